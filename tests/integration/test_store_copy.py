#!/usr/bin/env python3
"""test_store_copy.py: `store copy` of the store of a running gateway.

While 0384 posts messages to the gateway, its store is copied three times
(SQLite to SQLite): each copy exits 0 with a line of rows and SHA-256 per
table and "copied, checked", and is the store at one moment (every audit
entry's message is in it, which a copy read table by table at different
moments would break). `audit verify` finds the copy's chain intact. A
second gateway serves the copy (same store_key, another port) beside the
first: every message in the copy reads there byte for byte as posted. A
copy into a store with rows is refused with status 2 and the table, and a
source that is not there is refused without making it.

    test_store_copy.py BINARY SOURCE_DIR SHARED_DIR
"""
import copy
import itertools
import os
import re
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

TABLES = ("messages", "deliveries", "attempts", "audit", "ledger")


def cli(ctx, *args):
    r = subprocess.run([ctx.binary] + list(args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, cwd=ctx.cwd)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-copy")
    pki.ini().cross_checks_off().save()
    ctx.cwd = pki.dir  # relative specs are taken from the current folder
    d = ctx.daemon(pki, "source").start()
    bodies = [ctx.generate("JW301", seed) for seed in range(1, 41)]
    posted = {}
    stop = threading.Event()

    def post():
        """Posts until the copies are done: the bodies again under new identifications."""
        gem = d.client(g.GEMEENTE)
        for i in itertools.count():
            if stop.is_set():
                break
            b = bodies[i] if i < len(bodies) else g.set_identificatie(bodies[i % len(bodies)],
                                                                     "CP%010d" % i)
            status, j = gem.post(b)
            if status == 201:
                posted[g.identificatie(b)] = b
        gem.close()

    gem = d.client(g.GEMEENTE)
    for b in bodies[:5]:
        status, _ = gem.post(b)  # the poster's repeats of these are answered 200
        ck.equal(status, 201, "a message is stored before the copies")
        posted[g.identificatie(b)] = b
    gem.close()
    poster = threading.Thread(target=post)
    poster.start()
    results = [cli(ctx, "store", "copy", "--from", "gateway.db", "--to", "copy-%d.db" % i)
               for i in range(3)]
    stop.set()
    poster.join()
    for i, (status, out, err) in enumerate(results):
        ck.check(status == 0 and "copied, checked: every table identical" in out,
                 "copy %d of the live store exits 0, checked" % i, out + err)
        for t in TABLES:
            ck.check(re.search(r"^%s: \d+ rows, sha256 [0-9a-f]{64}$" % t, out, re.M),
                     "copy %d prints the rows and SHA-256 of %s" % (i, t), out)
        copied = os.path.join(pki.dir, "copy-%d.db" % i)
        orphans = g.store_query(copied, "SELECT count(*) FROM audit WHERE message IS NOT NULL"
                                        " AND message NOT IN (SELECT id FROM messages)")[0][0]
        ck.equal(orphans, 0, "copy %d is one moment of the store: every audit entry's "
                             "message is in it" % i)
    counts = [g.store_query(os.path.join(pki.dir, "copy-%d.db" % i),
                            "SELECT count(*) FROM messages")[0][0] for i in range(3)]
    counts.append(g.store_query(pki.store, "SELECT count(*) FROM messages")[0][0])
    ck.check(counts[0] < counts[2] < counts[3],
             "the copies were made while messages were stored (messages in the copies and "
             "then in the store: %r)" % counts)

    # a gateway on the copy: the same keys, another port, beside the first
    ini = pki.ini()
    ini.set("gateway", "store", "copy-2.db")
    ini.save(pki.path("copy.ini"))
    status, out, err = cli(ctx, "audit", "verify", "-c", "copy.ini")
    ck.check(status == 0 and "chain intact" in out, "audit verify: the copy's chain intact",
             out + err)
    other = copy.copy(pki)
    other.ini_path = pki.path("copy.ini")
    c = ctx.daemon(other, "copy").start()
    aan_copy, aan = c.client(g.AANBIEDER), d.client(g.AANBIEDER)
    rows = g.store_query(os.path.join(pki.dir, "copy-2.db"),
                         "SELECT id, identificatie FROM messages WHERE generated = 0")
    wrong = []
    for mid, ident in rows:
        got = [aan_copy.get(mid), aan.get(mid)]
        if got[0] != got[1] or got[0] != (200, posted.get(ident)):
            wrong.append((mid, got[0][0], got[1][0]))
    ck.check(rows and not wrong, "every message of the copy (%d) reads from a gateway on the "
             "copy byte for byte as posted, as from the first" % len(rows), repr(wrong[:5]))
    aan_copy.close()
    aan.close()
    c.stop(ck)

    status, out, err = cli(ctx, "store", "copy", "--from", "gateway.db", "--to", "copy-2.db")
    ck.check(status == 2 and "holds rows already (in messages)" in err and "rows, sha" not in out,
             "a copy into a store with rows is refused (status 2), naming the table", out + err)
    status, out, err = cli(ctx, "store", "copy", "--from", "none.db", "--to", "new.db")
    ck.check(status == 2 and "store copy: --from none.db: no such store" in err,
             "a source that is not there is refused", err)
    ck.check(not os.path.exists(pki.path("none.db")) and not os.path.exists(pki.path("new.db")),
             "... and neither file is made")
    d.stop(ck)


if __name__ == "__main__":
    g.run("store_copy", body)
