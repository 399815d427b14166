#!/usr/bin/env python3
"""test_retention.py: retention_days removes the bytes of old handled messages.

42420001 posts twelve large declarations (JW323) to 0384, which
acknowledges eight, and 0384 two JW301s (for the ledger). The
test ages messages by moving their received time back in the store, sets
retention_days = 30 and reloads the gateway (SIGHUP), which runs a pass:
the old acknowledged ones lose their bytes (an empty body, purged set), the
old unacknowledged and the young acknowledged ones keep theirs byte for
byte, a GET of a removed one answers 410 {"error":"gone"}, the pass is
logged and audited ("retention"), `audit verify` finds the chain intact,
the ledger is unchanged, and a SQLite store has given its freed pages back
(no free page left, fewer pages). A restart runs a pass at its start: two
more messages aged then lose their bytes too. The store backs up and
restores with its removed bytes as they are.

    test_retention.py BINARY SOURCE_DIR SHARED_DIR
"""
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

DAY = 86400


def cli(ctx, *args):
    r = subprocess.run([ctx.binary] + list(args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def age(store, ids, days):
    """Moves the received time of the messages ids back by days."""
    return g.store_change(store, "UPDATE messages SET received = received - %d WHERE id IN (%s)"
                          " RETURNING id" % (days * DAY, ",".join(str(i) for i in ids)))


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-retention")
    pki.ini().cross_checks_off().save()
    store = pki.store
    d = ctx.daemon(pki, "retention").start()
    gem, aan = d.client(g.GEMEENTE), d.client(g.AANBIEDER)
    sent = {}
    for seed in range(1, 13):
        b = ctx.generate("JW323", seed, clients=40)
        status, j = aan.post(b)
        ck.equal(status, 201, "JW323 %d is stored" % seed)
        sent[int(j["id"])] = b
    for seed in range(1, 3):
        status, _ = gem.post(ctx.generate("JW301", seed))
        ck.equal(status, 201, "JW301 %d is stored" % seed)
    ids = sorted(sent)
    old_acked, old_open, young_acked, later = ids[:4], ids[4:8], ids[8:10], ids[10:12]
    for mid in old_acked + young_acked + later:
        status, _ = gem.ack(mid)
        ck.equal(status, 200, "0384 acknowledges %s" % mid)
    ck.equal(age(store, old_acked + old_open, 40), 8, "eight messages aged 40 days")
    # the ledger's keys hold bytes psql separates fields with: a summary reads on both
    ledger_sql = ("SELECT count(*), sum(length(k)), sum(length(v)), sum(message),"
                  " max(v), min(v) FROM ledger")
    ledger = g.store_query(store, ledger_sql)
    audit_before = g.store_query(store, "SELECT count(*) FROM audit")[0][0]
    if not g.is_pg(store):
        pages = g.store_query(store, "PRAGMA page_count")[0][0]

    since = d.log_size()
    pki.ini().set("gateway", "retention_days", "30").save()
    d.signal(signal.SIGHUP)
    m = d.wait_log(r" info retention removed=(\d+) days=30", since=since, timeout=60)
    ck.check(m and m.group(1) == "4", "a reload runs a pass: it logs 4 messages' bytes removed",
             d.log()[-2000:])

    rows = dict((r[0], r[1:]) for r in g.store_query(
        store, "SELECT id, length(body), translated IS NULL, purged IS NOT NULL FROM messages"))
    ck.check(all(rows[i] == (0, 1, 1) for i in old_acked),
             "the old acknowledged messages have no bytes left and are marked purged",
             repr([rows[i] for i in old_acked]))
    ck.check(all(rows[i][0] > 0 and rows[i][2] == 0 for i in old_open + young_acked + later),
             "the old unacknowledged and the young messages keep theirs")
    for mid in old_acked:
        status, data = gem.get(mid)
        j = json.loads(data) if status == 410 else {}
        ck.check(status == 410 and j.get("error") == "gone" and str(mid) in j.get("message", ""),
                 "GET of removed message %s: 410 gone" % mid, "%r %r" % (status, data[:300]))
    for mid in old_open + young_acked:
        ck.equal(gem.get(mid), (200, sent[mid]), "GET of kept message %s: its bytes" % mid)
    audit = g.store_query(store, "SELECT detail FROM audit WHERE action = 'retention'")
    ck.check(len(audit) == 1 and audit[0][0].startswith("4 messages received before "),
             "the pass is audited: retention, 4 messages", repr(audit))
    status, out, err = cli(ctx, "audit", "verify", "-c", pki.ini_path)
    ck.check(status == 0 and "chain intact" in out, "audit verify: the chain intact", out + err)
    ck.check(ledger[0][0] > 0, "the messages wrote the ledger (%d rows)" % ledger[0][0])
    ck.check(g.store_query(store, ledger_sql) == ledger, "the ledger is unchanged")
    ck.equal(g.store_query(store, "SELECT count(*) FROM audit")[0][0], audit_before + 1,
             "the audit log keeps every entry, one more for the pass")
    if not g.is_pg(store):
        free = g.store_query(store, "PRAGMA freelist_count")[0][0]
        now = g.store_query(store, "PRAGMA page_count")[0][0]
        ck.check(free == 0 and now < pages,
                 "the SQLite file gave the freed pages back (free %d, pages %d, before %d)"
                 % (free, now, pages))
    else:
        ck.info("PostgreSQL: autovacuum makes the removed bytes' space reusable")
    gem.close()
    aan.close()
    d.stop(ck)

    # a pass at a start
    ck.equal(age(store, later, 31), 2, "two more messages aged 31 days")
    d.start()
    m = d.wait_log(r" info retention removed=(\d+) days=30", timeout=60)
    ck.check(m and m.group(1) == "2", "a start runs a pass: 2 messages' bytes removed",
             d.log()[-2000:])
    gem = d.client(g.GEMEENTE)
    for mid in later:
        ck.equal(gem.get(mid)[0], 410, "after the restart, GET of %s: 410" % mid)
    ck.equal(gem.get(old_open[0]), (200, sent[old_open[0]]),
             "an unacknowledged old message still reads")
    gem.close()
    d.stop(ck)

    # a store with removed bytes backs up and restores as it is
    out_path = os.path.join(ctx.tmp, "backup.db")
    status, out, err = cli(ctx, "store", "backup", "-c", pki.ini_path, out_path)
    ck.check(status == 0 and "copied, checked" in out, "a store with removed bytes is backed up",
             out + err)
    ini = pki.ini()
    ini.set("gateway", "store", g.pg_database() if g.PG else "restored.db")
    ini.save(pki.path("restored.ini"))
    status, out, err = cli(ctx, "store", "restore", "-c", pki.path("restored.ini"), out_path)
    ck.check(status == 0 and "copied, checked" in out, "... and restored", out + err)
    restored = ini.section("gateway")["store"]
    restored = restored if g.is_pg(restored) else pki.path(restored)
    ck.equal(g.store_query(restored, "SELECT count(*) FROM messages WHERE purged IS NOT NULL"
                                     " AND length(body) = 0")[0][0], 6,
             "the restored store has the six messages without bytes, marked purged")


if __name__ == "__main__":
    g.run("retention", body)
