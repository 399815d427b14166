#!/usr/bin/env python3
"""test_cluster.py: two gateway instances on one PostgreSQL store.

Instances a and b serve one database (store = postgresql://..., each its own
port and instance name). What holds across them:

1. Idempotency: the same message posted to both at once is stored once
   (one 201, the other 200 with the same id); the same identification with
   other bytes is TR056 at whichever comes second (one 201, one 409).
2. The cross-message rules: two starts of care for one assignment (another
   identification each, the same key) posted to a and b at once: exactly one
   is accepted, the other refused with TR074 (9074).
3. A burst of assignments spread over both, for a receiver that takes them
   by push; a is killed with SIGKILL halfway. Then every message that was
   answered 2xx is in the store exactly once, every one of them reaches the
   receiver (at least once; every repeat under the same Ijw-Message-Id), b
   carries on alone, and each instance's /metrics names itself.

Needs a PostgreSQL server: run through tests/with-pg, which sets IJW_TEST_PG.

    test_cluster.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import queue
import shutil
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

PROVIDER = "42421011"  # the scenarios' provider
TOTAL = 600
THREADS = 16
KILL_AT = 0.5
SCENARIO = "TR074-JW305"


def at_once(*calls):
    """Runs the calls in threads released together; their results in order."""
    out = [None] * len(calls)
    go = threading.Barrier(len(calls))

    def run(i, fn):
        go.wait()
        out[i] = fn()
    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def idempotency(ctx, a, b):
    ck = ctx.checks
    body = g.set_identificatie(ctx.generate("JW301", 7), "CL0000000001")
    ca, cb = a.client(g.GEMEENTE), b.client(g.GEMEENTE)
    (sa, ja), (sb, jb) = at_once(lambda: ca.post(body), lambda: cb.post(body))
    ck.check(sorted((sa, sb)) == [200, 201] and ja["id"] == jb["id"],
             "1. the same message posted to a and b at once: one 201, one 200, one id",
             "a %d %r, b %d %r" % (sa, ja, sb, jb))
    one = g.set_identificatie(ctx.generate("JW301", 8), "CL0000000002")
    other = g.set_identificatie(ctx.generate("JW301", 9), "CL0000000002")
    (sa, ja), (sb, jb) = at_once(lambda: ca.post(one), lambda: cb.post(other))
    ck.check(sorted((sa, sb)) == [201, 409],
             "1. one identification with two contents at once: one 201, one 409 (TR056)",
             "a %d %r, b %d %r" % (sa, ja, sb, jb))
    rows = g.store_query(a.pki.store, "SELECT count(*) FROM messages WHERE sender = ?"
                         " AND identificatie IN ('CL0000000001', 'CL0000000002')"
                         " AND generated = 0", (g.GEMEENTE,))
    ck.equal(rows, [(2,)], "1. each identification is stored once")
    ca.close()
    cb.close()


def two_starts(ctx, a, b):
    ck = ctx.checks
    folder = os.path.join(ctx.src, "tests", "scenarios", SCENARIO)
    with open(os.path.join(folder, "01-JW301-toewijzing.xml"), "rb") as f:
        assignment = f.read()
    with open(os.path.join(folder, "02-JW305-start.xml"), "rb") as f:
        start = f.read()
    c = a.client(g.GEMEENTE)
    status, j = c.post(assignment)
    ck.equal(status, 201, "2. the assignment is accepted by a")
    c.close()
    first = g.set_identificatie(start, "CLSTART00001")
    second = g.set_identificatie(start, "CLSTART00002")
    pa, pb = a.client(PROVIDER), b.client(PROVIDER)
    (sa, ja), (sb, jb) = at_once(lambda: pa.post(first), lambda: pb.post(second))
    refused = ja if sa != 201 else jb
    ck.check(sorted((sa, sb)) == [201, 422] and "9074" in repr(refused),
             "2. two starts for one assignment at a and b at once: exactly one accepted, "
             "the other refused with 9074 (TR074)", "a %d %r, b %d %r" % (sa, ja, sb, jb))
    pa.close()
    pb.close()


class Burst:
    """Posts the assignments from THREADS threads, half to a and half to b."""

    def __init__(self, daemons, messages):
        self.lock = threading.Lock()
        self.answered = {}  # identificatie -> (status, json, instance)
        self.queue = queue.Queue()
        for m in messages:
            self.queue.put(m)
        self.threads = [threading.Thread(target=self.work, args=(daemons[i % 2],))
                        for i in range(THREADS)]

    def work(self, daemon):
        c = daemon.client(g.GEMEENTE, timeout=60)
        while True:
            try:
                ident, body = self.queue.get_nowait()
            except queue.Empty:
                break
            try:
                status, j = c.post(body)
            except Exception:  # no answer: that instance was killed
                break
            with self.lock:
                self.answered[ident] = (status, j, daemon.name)
        c.close()

    def count(self):
        with self.lock:
            return len(self.answered)


def burst(ctx, pki, a, b, rx):
    ck = ctx.checks
    base = [ctx.generate("JW301", s) for s in range(1, 5)]
    messages = [("CB%010d" % i, g.set_identificatie(base[i % 4], "CB%010d" % i))
                for i in range(TOTAL)]
    by_ident = dict(messages)
    load = Burst((a, b), messages)
    killed_at = a.kill9_during(load.threads, load.count, KILL_AT * TOTAL)
    ok = {i: v for i, v in load.answered.items() if 200 <= v[0] < 300}
    ck.info("a killed after %d answers; %d answered 2xx in all (%d by a, %d by b)"
            % (killed_at, len(ok), sum(1 for v in ok.values() if v[2] == "a"),
               sum(1 for v in ok.values() if v[2] == "b")))
    ck.check(all(v[0] == 201 for v in load.answered.values()),
             "3. every answer of the burst is 201",
             repr([v for v in load.answered.values() if v[0] != 201][:3]))
    ck.check(any(v[2] == "a" for v in ok.values()) and any(v[2] == "b" for v in ok.values()),
             "3. both instances took posts of the burst")
    rows = g.store_query(pki.store, "SELECT identificatie, count(*), min(id) FROM messages"
                         " WHERE sender = ? AND identificatie LIKE 'CB%' AND generated = 0"
                         " GROUP BY identificatie", (g.GEMEENTE,))
    stored = {r[0]: (r[1], r[2]) for r in rows}
    lost = [i for i in ok if i not in stored]
    twice = [i for i, (n, _) in stored.items() if n != 1]
    wrong_id = [i for i, v in ok.items() if i in stored and int(v[1]["id"]) != stored[i][1]]
    ck.check(not lost, "3. every message answered 2xx is in the store", repr(lost[:5]))
    ck.check(not twice, "3. none is stored twice", repr(twice[:5]))
    ck.check(not wrong_id, "3. each under the id it was answered with", repr(wrong_id[:5]))

    want = {g.sha(by_ident[i]): int(v[1]["id"]) for i, v in ok.items()}
    got = rx.wait_for(want, 120)
    missing = set(want) - set(rx.unique())
    ck.check(got, "3. every acknowledged message reaches the receiver, those a had taken "
             "too (%d messages)" % len(want), "%d missing" % len(missing))
    with rx.lock:
        posts = list(rx.posts)
    ids = {}
    for _, mid, body, _ in posts:
        ids.setdefault(g.sha(body), set()).add(mid)
    bad = [h for h, v in ids.items() if h in want and v != {str(want[h])}]
    repeats = len(posts) - len(ids)
    ck.check(not bad, "3. every delivery, repeats too, carries its message's Ijw-Message-Id "
             "(%d repeats)" % repeats, repr(bad[:3]))

    cb = b.client(g.GEMEENTE)
    after = []
    for i in range(20):
        body = g.set_identificatie(base[i % 4], "CA%010d" % i)
        status, j = cb.post(body)
        after.append(status)
        want[g.sha(body)] = int(j.get("id", 0))
    cb.close()
    ck.check(after == [201] * 20 and rx.wait_for(want, 60),
             "3. b carries on alone: 20 more accepted and delivered", repr(after))


def body(ctx):
    ck = ctx.checks
    if not g.PG:
        raise g.Skip("needs a PostgreSQL server: run it through tests/with-pg")
    if not shutil.which("psql"):
        raise g.Skip("psql is not installed")
    pki = ctx.pki(parties=g.PARTIES + ("aanbieder:" + PROVIDER,))
    rx = g.Receiver(pki.path("ca.pem"),
                    *pki.ca.issue("receiver", "localhost", kind="server")).start()
    ini = (pki.ini()
           .set("gateway", "retry_initial", 1).set("gateway", "retry_max", 2)
           .set("gateway", "push_timeout", 2).set("gateway", "give_up_after", 600)
           .set("party " + g.AANBIEDER, "delivery", "push")
           .set("party " + g.AANBIEDER, "push_url", "https://127.0.0.1:%d/in" % rx.port)
           .cross_checks_off(g.AANBIEDER)
           .set("party " + g.GEMEENTE, "cross_checks", "enforce"))
    ini.set("gateway", "instance", "a").save()
    ini.set("gateway", "instance", "b").save(pki.path("gateway-b.ini"))
    a = ctx.daemon(pki, "a").start()
    b = ctx.daemon(pki, "b", pki.path("gateway-b.ini")).start()
    ck.check(a.port != b.port, "a and b listen on ports of their own")

    idempotency(ctx, a, b)
    two_starts(ctx, a, b)

    ca, cb = a.admin(), b.admin()
    for c, name in ((ca, "a"), (cb, "b")):
        status, data = c.request("GET", "/metrics")
        ck.check(status == 200 and ('ijw_instance_info{instance="%s"' % name).encode() in data,
                 "the /metrics of %s names instance %s" % (name, name))
    ca.close()
    cb.close()

    burst(ctx, pki, a, b, rx)
    b.stop(ck)
    rx.stop()


if __name__ == "__main__":
    g.run("cluster", body)
