#!/usr/bin/env python3
"""test_one_store.py: one SQLite store is served by one gateway.

A second `serve` on a configuration with the same store (it listens on
another port) exits non-zero within seconds, naming the store and the pid
of the gateway that holds it, while the first goes on answering and the
commands that work on a live store (audit verify) still do. After kill -9
of the first, a new gateway starts on the same store and serves what the
first stored.

    test_one_store.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def cli(ctx, *args, timeout=120):
    """(status, stdout, stderr, seconds) of ijw-gateway args."""
    start = time.monotonic()
    r = subprocess.run([ctx.binary] + list(args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return (r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"),
            time.monotonic() - start)


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-one")
    pki.ini().cross_checks_off().save()
    first = ctx.daemon(pki, "first").start()
    gem, aan = first.client(g.GEMEENTE), first.client(g.AANBIEDER)
    jw301 = ctx.generate("JW301", 1)
    status, j = gem.post(jw301)
    ck.check(status == 201, "the first gateway stores a message (201)", "%r %r" % (status, j))
    mid = j.get("id") if isinstance(j, dict) else None

    # the same store (a relative path, from the same folder), port 0: another port
    second_ini = pki.path("second.ini")
    pki.ini().save(second_ini)
    status, out, err, took = cli(ctx, "serve", "-c", second_ini, timeout=30)
    ck.check(status != 0 and took < 10,
             "a second serve on the same store exits non-zero within seconds",
             "status %r after %.1f s; stderr %r" % (status, took, err[-2000:]))
    ck.equal(status, 2, "... with the status of other start failures")
    want = ("store %s is in use by another gateway (pid %d); one SQLite store is served by one "
            "gateway: to run several gateways, use a PostgreSQL store"
            % (os.path.join(pki.dir, "gateway.db"), first.pid))
    ck.check(want in err, "... and says why, with the store's file and the holder's pid",
             "stderr %r, wanted %r" % (err[-2000:], want))
    ck.check(not re.search(r" info listening ", err), "... and never listened", err[-2000:])

    status, got = aan.get(mid)
    ck.check(status == 200 and got == jw301, "the first gateway still answers (GET, same bytes)",
             "status %r" % status)
    status, _ = gem.post(ctx.generate("JW301", 2))
    ck.equal(status, 201, "the first gateway still stores messages")
    status, out, err, _ = cli(ctx, "audit", "verify", "-c", pki.ini_path)
    ck.check(status == 0 and "chain intact" in out,
             "audit verify works on the store of the running gateway", out + err)
    gem.close()
    aan.close()

    first.kill9()
    after = ctx.daemon(pki, "after").start()
    ck.check(after.alive(), "after kill -9 of the first, a gateway starts on the same store")
    aan = after.client(g.AANBIEDER)
    status, got = aan.get(mid)
    ck.check(status == 200 and got == jw301,
             "it serves the message the first one stored", "status %r" % status)
    aan.close()
    after.stop(ck)


if __name__ == "__main__":
    g.run("one_store", body)
