#!/usr/bin/env python3
"""test_crash.py: no accepted message is lost when the daemon is killed.

32 threads, each with its own keep-alive connection and the certificate of
the message's sender, post 1,280 distinct messages (JW301 from 0384, JW305,
JW315, JW317 and JW323 from 42420001). When 40% are answered the daemon is
killed with SIGKILL. After a restart on the same store every message that
got a 2xx is there byte for byte under its id (and its automatic JW302
with it), none is stored twice, a repeat of it is recognised, and every one
addressed to 0384, which has delivery = push, reaches its receiver.

    test_crash.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

TOTAL = 1280
THREADS = 32
KILL_AT = 0.4
TYPES = ("JW301", "JW305", "JW315", "JW317", "JW323")
SEEDS = 4


def make_messages(ctx):
    """TOTAL distinct messages: (identificatie, type, sender, receiver, bytes)."""
    base = {t: [ctx.generate(t, s) for s in range(1, SEEDS + 1)] for t in TYPES}
    out = []
    for i in range(TOTAL):
        t = TYPES[i % len(TYPES)]
        ident = "CR%010d" % i
        body = g.set_identificatie(base[t][(i // len(TYPES)) % SEEDS], ident)
        sender, receiver = (g.GEMEENTE, g.AANBIEDER) if t == "JW301" else \
            (g.AANBIEDER, g.GEMEENTE)
        out.append((ident, t, sender, receiver, body))
    return out


class Load:
    """Posts the messages from THREADS threads until told to stop or the daemon dies."""

    def __init__(self, daemon, messages):
        self.lock = threading.Lock()
        self.answered = {}   # identificatie -> (status, json)
        self.errors = {}     # identificatie -> exception text (no answer)
        self.queues = {g.GEMEENTE: queue.Queue(), g.AANBIEDER: queue.Queue()}
        for m in messages:
            self.queues[m[2]].put(m)
        # threads per sender, in proportion to its messages
        n301 = max(1, THREADS * sum(1 for m in messages if m[2] == g.GEMEENTE) // len(messages))
        self.threads = [threading.Thread(target=self.work, args=(daemon, g.GEMEENTE))
                        for _ in range(n301)]
        self.threads += [threading.Thread(target=self.work, args=(daemon, g.AANBIEDER))
                         for _ in range(THREADS - n301)]

    def work(self, daemon, party):
        c = daemon.client(party, timeout=60)
        q = self.queues[party]
        while True:
            try:
                m = q.get_nowait()
            except queue.Empty:
                break
            try:
                status, j = c.post(m[4])
            except Exception as e:  # no answer: the daemon was killed
                with self.lock:
                    self.errors[m[0]] = "%s: %s" % (type(e).__name__, e)
                break
            with self.lock:
                self.answered[m[0]] = (status, j)
        c.close()

    def count(self):
        with self.lock:
            return len(self.answered)


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    rx = g.Receiver(pki.path("ca.pem"),
                    *pki.ca.issue("receiver", "localhost", kind="server")).start()
    (pki.ini()
     .set("gateway", "retry_initial", 1).set("gateway", "retry_max", 2)
     .set("gateway", "give_up_after", 600)
     .set("party " + g.GEMEENTE, "delivery", "push")
     .set("party " + g.GEMEENTE, "push_url", "https://127.0.0.1:%d/inbox" % rx.port)
     # the messages are generated one by one and form no conversation
     .cross_checks_off()
     .save())
    messages = make_messages(ctx)
    by_ident = {m[0]: m for m in messages}
    ck.equal(len({g.sha(m[4]) for m in messages}), TOTAL, "%d distinct messages" % TOTAL)

    d = ctx.daemon(pki).start()
    load = Load(d, messages)
    t0 = time.monotonic()
    killed_at = d.kill9_during(load.threads, load.count, KILL_AT * TOTAL, join=60)
    ck.info("killed with SIGKILL after %d answers in %.2f s; %d answered in all, "
            "%d without an answer, %d not sent"
            % (killed_at, time.monotonic() - t0, load.count(), len(load.errors),
               TOTAL - load.count() - len(load.errors)))
    ok = {i: a for i, a in load.answered.items() if 200 <= a[0] < 300}
    not_ok = {i: a for i, a in load.answered.items() if not 200 <= a[0] < 300}
    ck.check(not not_ok, "every answer before the kill was a 2xx",
             repr(list(not_ok.items())[:5]))
    ck.check(len(ok) >= KILL_AT * TOTAL * 0.9 and load.errors,
             "the kill came with messages in flight (%d accepted, %d unanswered)"
             % (len(ok), len(load.errors)))
    ck.check(not d.alive(), "the daemon is dead")

    # ---- the restart ----
    d.start()
    clients = {p: d.client(p) for p in (g.GEMEENTE, g.AANBIEDER)}
    lost, differ = [], []
    for ident, (status, j) in ok.items():
        m = by_ident[ident]
        s, b = clients[m[3]].get(j["id"])
        if s != 200:
            lost.append((ident, j["id"], s))
        elif b != m[4]:
            differ.append((ident, j["id"]))
    ck.check(not lost, "after the restart every one of the %d accepted messages is there "
             "under its id" % len(ok), "%d lost, e.g. %r" % (len(lost), lost[:5]))
    ck.check(not differ, "... byte for byte", "%d differ, e.g. %r" % (len(differ), differ[:5]))

    inbox = set(clients[g.AANBIEDER].inbox_ids(1000))
    jw301 = [j["id"] for i, (s, j) in ok.items() if by_ident[i][1] == "JW301"]
    ck.check(set(jw301) <= inbox,
             "every accepted JW301 is in 42420001's inbox",
             "missing %r" % sorted(set(jw301) - inbox)[:10])

    store = pki.store
    dup = g.store_query(store, "SELECT sender, type, identificatie, COUNT(*) FROM messages"
                               " WHERE generated = 0 GROUP BY 1, 2, 3 HAVING COUNT(*) > 1")
    ck.check(not dup, "no message is stored twice (sender, type, identificatie)", repr(dup[:5]))
    dup = g.store_query(store, "SELECT hex(sha256), COUNT(*) FROM messages WHERE generated = 0"
                               " GROUP BY 1 HAVING COUNT(*) > 1")
    ck.check(not dup, "no message is stored twice (its bytes)", repr(dup[:5]))
    stored = {r[0] for r in g.store_query(
        store, "SELECT identificatie FROM messages WHERE generated = 0")}
    ck.check(stored <= set(by_ident), "the store holds only messages that were posted")
    ck.info("of the %d messages without an answer, %d were stored"
            % (len(load.errors), len(stored & set(load.errors))))
    ids = [int(i) for i in jw301]
    answered = {r[0] for r in g.store_query(
        store, "SELECT answers FROM messages WHERE generated = 1 AND answers IS NOT NULL")}
    ck.check(set(ids) <= answered, "every accepted JW301 has its automatic JW302",
             "missing for %r" % sorted(set(ids) - answered)[:10])

    # ---- repeats after the restart ----
    again = list(ok.items())[:40]
    bad = []
    for ident, (status, j) in again:
        m = by_ident[ident]
        s, j2 = clients[m[2]].post(m[4])
        if s != 200 or j2.get("id") != j["id"]:
            bad.append((ident, j["id"], s, j2))
    ck.check(not bad, "an accepted message posted again after the restart: 200, the same id",
             repr(bad[:3]))
    bad = []
    for ident in list(load.errors)[:40]:
        m = by_ident[ident]
        s, j2 = clients[m[2]].post(m[4])
        ok[ident] = (s, j2)
        if s not in (200, 201):
            bad.append((ident, s, j2))
    ck.check(not bad, "a message that got no answer, posted again: 200 or 201", repr(bad[:3]))
    dup = g.store_query(store, "SELECT sender, type, identificatie, COUNT(*) FROM messages"
                               " WHERE generated = 0 GROUP BY 1, 2, 3 HAVING COUNT(*) > 1")
    ck.check(not dup, "still no message stored twice", repr(dup[:5]))

    # ---- push: every accepted message to 0384 reaches the receiver ----
    want = {g.sha(by_ident[i][4]) for i, (s, j) in ok.items()
            if by_ident[i][3] == g.GEMEENTE and 200 <= s < 300}
    t1 = time.monotonic()
    arrived = rx.wait_for(want, 90)
    missing = want - set(rx.unique())
    ck.check(arrived, "every one of the %d accepted messages to 0384 (delivery = push) reaches "
             "the receiver" % len(want), "%d missing" % len(missing))
    ck.info("pushed in %.1f s after the restart: %d posts, %d distinct bodies"
            % (time.monotonic() - t1, len(rx.posts), len(rx.unique())))
    for c in clients.values():
        c.close()
    rx.stop()
    d.stop(ck)


if __name__ == "__main__":
    g.run("crash", body)
