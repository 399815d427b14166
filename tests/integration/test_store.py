#!/usr/bin/env python3
"""test_store.py: the store that cannot be written, and its recovery.

A read-only store: the daemon runs as an unprivileged user (through setpriv
when the test runs as root, for whom file modes stop nothing) and is started
on a store whose file is read-only, as an operator might leave it (an open
file stays writable whatever its mode; a read-only folder as well keeps
SQLite from opening the file at all, and the daemon from starting). /readyz answers 503 with the reason, posts get 503, /healthz stays 200
and /metrics says ijw_store_writable 0. With the modes back, the daemon opens
its store anew by itself: /readyz 200 and the same post 201, no restart.

A full disk: the store on a small tmpfs of its own (mounting needs root and
the privilege to mount: without, this part is skipped, saying so), filled up
while the daemon runs: /readyz 503 and posts 503; with the space back, 200
and 201.

On PostgreSQL (IJW_TEST_PG) the same, with a database made read-only
(default_transaction_read_only, and the gateway's sessions ended so that it
connects anew); and a failover: while four clients post, every session of
the gateway is ended every 50 ms; each post is answered 2xx or 503, every
one answered 2xx is in the store, and each 503 is taken when sent again.

    test_store.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

NOBODY = 65534


def quiet_pki(ctx, name):
    pki = ctx.pki(name)
    pki.ini().cross_checks_off().save()
    return pki


def wait_ready(client, want, timeout):
    """Asks /readyz until it answers want; (status, body) of the last answer."""
    end = time.monotonic() + timeout
    while True:
        status, body = client.readyz()
        if status == want or time.monotonic() > end:
            return status, body
        time.sleep(0.2)


def unwritable_phase(ck, d, aan, jw315, why, what):
    """While the store cannot be written: readyz, post, healthz, metrics."""
    status, body = wait_ready(aan, 503, 20)
    ck.check(status == 503 and b"the store cannot be written: " in body
             and re.search(why, body.decode(errors="replace")),
             what + ": /readyz 503 with the reason", "%r %r" % (status, body))
    status, j = aan.post(jw315)
    ck.equal(status, 503, what + ": a post gets 503")
    status, body = aan.healthz()
    ck.check(status == 200 and body == b"ok\n", what + ": /healthz stays 200 (liveness)",
             "%r %r" % (status, body))
    ck.equal(d.admin().metric("ijw_store_writable"), 0, what + ": /metrics ijw_store_writable 0")
    m = d.wait_log(r" error store_unwritable error=", timeout=5)
    ck.check(m, what + ": the log says store_unwritable", d.log()[-2000:])


def recovered_phase(ck, d, aan, jw315, what):
    """After the cause is gone, without a restart."""
    status, body = wait_ready(aan, 200, 60)
    ck.check(status == 200 and body == b"ready\n", what + ": /readyz 200 ready again",
             "%r %r" % (status, body))
    status, j = aan.post(jw315)
    ck.equal(status, 201, what + ": the same post now gets 201, no restart")
    ck.equal(d.admin().metric("ijw_store_writable"), 1, what + ": /metrics ijw_store_writable 1")
    log = d.log()
    ck.equal(len(re.findall(r" store_unwritable ", log)), 1,
             what + ": store_unwritable logged once")
    ck.equal(len(re.findall(r" store_writable", log)), 1,
             what + ": store_writable logged once")


def read_only(ctx):
    ck = ctx.checks
    prefix = ()
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            ck.skip("a read-only store", "root ignores file modes and setpriv is missing")
            return
        prefix = ("setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups")
    pki = quiet_pki(ctx, "pki-ro")
    if prefix:
        os.chmod(ctx.tmp, 0o755)
        for root, dirs, files in os.walk(pki.dir):
            for n in dirs + files + ["."]:
                os.chown(os.path.join(root, n), NOBODY, NOBODY)
    d = ctx.daemon(pki, "ro")
    d.prefix = list(prefix)
    d.start()
    aan = d.client(g.AANBIEDER)
    status, body = wait_ready(aan, 200, 10)
    ck.check(status == 200 and body == b"ready\n", "a writable store: /readyz 200 ready",
             "%r %r" % (status, body))
    ck.equal(aan.post(ctx.generate("JW315", 1))[0], 201, "a writable store: a post gets 201")
    ck.equal(d.admin().metric("ijw_store_writable"), 1, "a writable store: /metrics ijw_store_writable 1")
    aan.close()
    d.stop(ck)

    store = pki.store
    os.chmod(store, 0o444)
    try:
        d.start()
        aan = d.client(g.AANBIEDER)
        jw315 = ctx.generate("JW315", 2)
        unwritable_phase(ck, d, aan, jw315, r"readonly", "a read-only store")
    finally:
        os.chmod(store, stat.S_IRUSR | stat.S_IWUSR)
    recovered_phase(ck, d, aan, jw315, "the store writable again")
    aan.close()
    d.stop(ck)


def full_disk(ctx):
    ck = ctx.checks
    disk = os.path.join(ctx.tmp, "disk")
    os.mkdir(disk)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode:
        ck.skip("a full disk", "cannot mount a tmpfs here (%s)"
                % r.stdout.decode(errors="replace").strip())
        return
    try:
        pki = quiet_pki(ctx, "pki-full")
        pki.ini().set("gateway", "store", os.path.join(disk, "gateway.db")).save()
        d = ctx.daemon(pki, "full")
        d.start()
        aan = d.client(g.AANBIEDER)
        ck.equal(aan.post(ctx.generate("JW315", 3))[0], 201, "a full disk: before, a post 201")
        filler = os.path.join(disk, "filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        jw315 = ctx.generate("JW315", 4)
        try:
            unwritable_phase(ck, d, aan, jw315, r"full|I/O", "a full disk")
        finally:
            os.unlink(filler)
        recovered_phase(ck, d, aan, jw315, "space again")
        aan.close()
        d.stop(ck)
    finally:
        for dm in ctx.daemons:
            dm.kill()
        subprocess.run(["umount", disk])


def end_sessions(url):
    """Ends every session of the gateway on the database of url, as a failover does."""
    db = url.rsplit("/", 1)[1]
    return g.psql(g.PG, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                  " WHERE datname = '%s' AND pid <> pg_backend_pid()" % db)[0][0]


def read_only_database(ctx):
    ck = ctx.checks
    pki = quiet_pki(ctx, "pki-ro")
    url = pki.store
    db = url.rsplit("/", 1)[1]
    d = ctx.daemon(pki, "ro").start()
    aan = d.client(g.AANBIEDER)
    ck.equal(aan.post(ctx.generate("JW315", 1))[0], 201, "a writable database: a post gets 201")
    g.psql(g.PG, "ALTER DATABASE %s SET default_transaction_read_only = on" % db)
    try:
        end_sessions(url)
        jw315 = ctx.generate("JW315", 2)
        aan.post(jw315)  # the write that finds the database read-only
        unwritable_phase(ck, d, aan, jw315, r"read-only", "a read-only database")
    finally:
        g.psql(g.PG, "ALTER DATABASE %s SET default_transaction_read_only = off" % db)
    recovered_phase(ck, d, aan, jw315, "the database writable again")
    aan.close()
    d.stop(ck)


def failover(ctx):
    ck = ctx.checks
    pki = quiet_pki(ctx, "pki-failover")
    d = ctx.daemon(pki, "failover").start()
    base = ctx.generate("JW315", 5)
    answers = {}
    lock = threading.Lock()
    posting = threading.Event()
    posting.set()

    def post(k):
        c = d.client(g.AANBIEDER)
        for i in range(k, 400, 4):
            ident = "FO%010d" % i
            try:
                st = c.post(g.set_identificatie(base, ident))[0]
            except OSError:
                c.close()
                c = d.client(g.AANBIEDER)
                st = c.post(g.set_identificatie(base, ident))[0]
            with lock:
                answers[ident] = st
        c.close()

    threads = [threading.Thread(target=post, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    ended = 0
    while any(t.is_alive() for t in threads) and ended < 40:
        ended += end_sessions(pki.store)
        time.sleep(0.05)
    for t in threads:
        t.join(120)
    ok = {i for i, st in answers.items() if 200 <= st < 300}
    other = {st for st in answers.values() if not 200 <= st < 300}
    ck.info("failover: %d sessions ended while 4 clients posted; %d posts 2xx, %d 503"
            % (ended, len(ok), sum(1 for st in answers.values() if st == 503)))
    ck.check(ended >= 2 and len(answers) == 400,
             "failover: the gateway's sessions were ended while 400 posts were answered",
             "%d ended, %d answered" % (ended, len(answers)))
    ck.check(other <= {503}, "failover: every post is answered 2xx or 503", repr(other))
    stored = {r[0] for r in g.store_query(pki.store, "SELECT identificatie FROM messages"
                                          " WHERE identificatie LIKE 'FO%' AND generated = 0")}
    ck.check(ok <= stored, "failover: every post answered 2xx is in the store",
             repr(sorted(ok - stored)[:5]))
    aan = d.client(g.AANBIEDER)
    status, body = wait_ready(aan, 200, 60)
    ck.equal(status, 200, "failover: /readyz 200 afterwards, no restart")
    retried = [aan.post(g.set_identificatie(base, i))[0] for i in sorted(answers)
               if answers[i] == 503]
    ck.check(all(st == 201 for st in retried),
             "failover: each post answered 503 is taken when sent again (%d)" % len(retried),
             repr(retried))
    aan.close()
    d.stop(ck)


def main(ctx):
    if g.PG:
        read_only_database(ctx)
        failover(ctx)
        return
    read_only(ctx)
    full_disk(ctx)


if __name__ == "__main__":
    g.run("store", main)
