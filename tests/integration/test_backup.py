#!/usr/bin/env python3
"""test_backup.py: `store backup` of a serving gateway, `store restore` into a new store.

While 0384 keeps posting, `store backup -c gateway.ini OUT` copies the store
(SQLite, or the PostgreSQL database under IJW_TEST_PG) into a new SQLite
file: it exits 0, checked table by table. `store restore` puts it into a
fresh store (a new file, or a new database): a gateway on that store, with
the same keys, returns every message that was acknowledged (201) to its
sender before the backup began, byte for byte, and `audit verify` passes.
A restore is refused while a gateway serves the SQLite store it names, and
into a store that holds messages (status 2, naming the table); a backup
onto a file that exists is refused.

    test_backup.py BINARY SOURCE_DIR SHARED_DIR
"""
import copy
import itertools
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def cli(ctx, *args):
    r = subprocess.run([ctx.binary] + list(args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-backup")
    pki.ini().cross_checks_off().save()
    d = ctx.daemon(pki, "live").start()
    bodies = [ctx.generate("JW301", seed) for seed in range(1, 31)]
    before = {}  # identificatie: body, acknowledged before the backup began
    began = threading.Event()
    stop = threading.Event()
    during = [0]

    def post():
        gem = d.client(g.GEMEENTE)
        for i in itertools.count():
            if stop.is_set():
                break
            b = g.set_identificatie(bodies[i % len(bodies)], "BK%010d" % i)
            status, _ = gem.post(b)
            if status == 201 and not began.is_set():
                before[g.identificatie(b)] = b
            elif status == 201:
                during[0] += 1
        gem.close()

    poster = threading.Thread(target=post)
    poster.start()
    while len(before) < 20 and poster.is_alive():
        stop.wait(0.01)
    began.set()
    out_path = os.path.join(ctx.tmp, "backup.db")
    status, out, err = cli(ctx, "store", "backup", "-c", pki.ini_path, out_path)
    while during[0] < 5 and poster.is_alive():
        stop.wait(0.01)
    stop.set()
    poster.join()
    ck.check(status == 0 and "copied, checked: every table identical" in out
             and "backed up " in out, "store backup of the serving gateway exits 0, checked",
             out + err)
    ck.check(during[0] >= 5, "messages were stored while and after the backup was taken (%d)"
             % during[0])
    ck.check(not os.path.exists(out_path + "-wal"), "the backup is one file")
    status, out, err = cli(ctx, "store", "backup", "-c", pki.ini_path, out_path)
    ck.check(status == 2 and "exists already" in err, "a backup onto a file that exists is "
             "refused (status 2)", out + err)

    if not g.is_pg(pki.store):
        status, out, err = cli(ctx, "store", "restore", "-c", pki.ini_path, out_path)
        ck.check(status == 2 and "stop the gateway first" in err and "rows, sha" not in out,
                 "a restore into the SQLite store a gateway serves is refused", out + err)
    d.stop(ck)
    status, out, err = cli(ctx, "store", "restore", "-c", pki.ini_path, out_path)
    ck.check(status == 2 and "holds rows already (in messages)" in err,
             "a restore into a store that holds messages is refused, naming them", out + err)

    # a fresh store: a new file beside the PKI, or a new database
    fresh = g.pg_database() if g.PG else "restored.db"
    ini = pki.ini()
    ini.set("gateway", "store", fresh)
    ini.save(pki.path("restored.ini"))
    status, out, err = cli(ctx, "store", "restore", "-c", pki.path("restored.ini"), out_path)
    ck.check(status == 0 and "copied, checked: every table identical" in out
             and "restored " in out, "store restore into a fresh store exits 0, checked",
             out + err)
    status, out, err = cli(ctx, "audit", "verify", "-c", pki.path("restored.ini"))
    ck.check(status == 0 and "chain intact" in out, "audit verify of the restored store passes",
             out + err)
    other = copy.copy(pki)
    other.ini_path = pki.path("restored.ini")
    r = ctx.daemon(other, "restored").start()
    aan = r.client(g.AANBIEDER)
    store = g.PG and fresh or pki.path("restored.db")
    ids = dict((ident, mid) for mid, ident in g.store_query(
        store, "SELECT id, identificatie FROM messages WHERE generated = 0"))
    wrong = [ident for ident, b in before.items()
             if ident not in ids or aan.get(ids[ident]) != (200, b)]
    ck.check(before and not wrong, "a gateway on the restored store returns every message "
             "acknowledged before the backup began (%d), byte for byte" % len(before),
             repr(wrong[:5]))
    aan.close()
    r.stop(ck)


if __name__ == "__main__":
    g.run("backup", body)
