#!/usr/bin/env python3
"""test_push.py: push delivery of the real daemon to an HTTPS receiver.

Party 42420001 has delivery = push to a receiver written here (its server
certificate from the test's CA; it demands a client certificate of that CA,
which the gateway's gateway-client.pem is). With the receiver down at first
a JW301 is retried until the receiver is up, then delivered once and byte
for byte, its attempts recorded in the store and the message out of the
inbox; a receiver that answers 500 twice is retried; a receiver with a
certificate of another CA gets nothing. Last, SIGTERM while a push waits for
a receiver that never answers: the daemon still exits promptly.

    test_push.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def attempts_of(store, message):
    """(http_status, delivered, error) of every attempt at pushing message, in order."""
    return g.store_query(store,
                         "SELECT a.http_status, a.delivered, a.error FROM attempts a"
                         " JOIN deliveries d ON d.id = a.delivery"
                         " WHERE d.message = ? ORDER BY a.id", (int(message),))


def wait_attempts(store, message, cond, timeout):
    end = time.monotonic() + timeout
    while True:
        rows = attempts_of(store, message)
        if cond(rows) or time.monotonic() > end:
            return rows
        time.sleep(0.1)


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    reserved = g.reserve_port()
    port = reserved.getsockname()[1]
    url = "https://127.0.0.1:%d/inbox" % port
    (pki.ini()
     .set("gateway", "retry_initial", 1).set("gateway", "retry_max", 2)
     .set("gateway", "give_up_after", 60)
     .set("party " + g.AANBIEDER, "delivery", "push")
     .set("party " + g.AANBIEDER, "push_url", url)
     # the messages are generated one by one and form no conversation
     .cross_checks_off()
     .save())
    rcert = pki.ca.issue("receiver", "localhost", kind="server")
    d = ctx.daemon(pki).start()
    gem = d.client(g.GEMEENTE)
    aan = d.client(g.AANBIEDER)

    # ---- the receiver is down at first ----
    first = ctx.sample("JW301-valid-1.xml")
    status, j = gem.post(first)
    ck.check(status == 201, "a JW301 to the push party: 201", "%r %r" % (status, j))
    mid = j["id"]
    time.sleep(3)
    failed = d.log().count(" push_failed id=%s " % mid)
    ck.check(failed >= 1, "with nothing listening the push fails and is logged (push_failed)",
             d.log()[-2000:])
    rx = g.Receiver(pki.path("ca.pem"), *rcert, sock=reserved).start()
    arrived = rx.wait_for([g.sha(first)], 20)
    ck.check(arrived, "once the receiver is up the JW301 arrives")
    rows = wait_attempts(pki.store, mid, lambda r: any(x[1] for x in r), 10)
    bodies = rx.bodies()
    ck.check(first in bodies and all(b == first for b in bodies if g.sha(b) == g.sha(first)),
             "it arrives byte for byte")
    ck.equal(len(rx.unique()), 1, "exactly one message after the receiver's deduplication")
    ok_posts = [p for p in rx.posts if p[3] == 200 and g.sha(p[2]) == g.sha(first)]
    ck.equal(len(ok_posts), 1, "it was posted successfully exactly once")
    ck.check(rx.posts and all(p[0] == "/inbox" for p in rx.posts),
             "it is posted to the push_url's path", repr([p[0] for p in rx.posts]))
    ck.equal(rx.peers, {"ijw-gateway"}, "the gateway presents its client certificate")
    ck.info("Ijw-Message-Id headers of the posts: %r" % [p[1] for p in rx.posts])
    ck.check(len(rows) >= 2 and sum(1 for r in rows if not r[1]) >= 1
             and sum(1 for r in rows if r[1]) == 1,
             "the store has its attempts: at least 2, at least one failed, exactly one delivered",
             repr(rows))
    ck.check(str(mid) not in [m["id"] for m in aan.inbox()[1]["berichten"]],
             "a delivered push is no longer in the party's inbox")
    status, b = aan.get(mid)
    ck.check(status == 200 and b == first, "it can still be fetched by id", repr(status))

    # ---- 500 twice, then 200 ----
    second = ctx.sample("JW301-valid-2.xml")
    rx.fail[g.sha(second)] = 2
    status, j = gem.post(second)
    ck.check(status == 201, "a second JW301: 201", "%r %r" % (status, j))
    arrived = rx.wait_for([g.sha(second)], 25)
    ck.check(arrived, "a receiver that answers 500 twice gets it on a retry")
    statuses = [p[3] for p in rx.posts if g.sha(p[2]) == g.sha(second)]
    ck.equal(statuses, [500, 500, 200], "it was posted three times: 500, 500, 200")
    rows = wait_attempts(pki.store, j["id"], lambda r: any(x[1] for x in r), 10)
    ck.equal([(r[0], r[1]) for r in rows], [(500, 0), (500, 0), (200, 1)],
             "the store has those three attempts")

    # ---- a receiver whose certificate is not of push_ca ----
    rx.stop()
    other = g.CA.new(os.path.join(ctx.tmp, "other-ca"), "another CA")
    bad = g.Receiver(pki.path("ca.pem"), *other.issue("receiver", "localhost", kind="server"),
                     port=port).start()
    third = ctx.generate("JW301", 33)
    status, j = gem.post(third)
    ck.check(status == 201, "a third JW301: 201", "%r %r" % (status, j))
    rows = wait_attempts(pki.store, j["id"], lambda r: len(r) >= 2, 10)
    ck.check(not bad.posts and len(rows) >= 2 and not any(r[1] for r in rows),
             "a receiver with a certificate of another CA gets nothing (the push fails)",
             "posts %d, attempts %r" % (len(bad.posts), rows))
    bad.stop()
    rx = g.Receiver(pki.path("ca.pem"), *rcert, port=port).start()
    ck.check(rx.wait_for([g.sha(third)], 20), "... and the right receiver gets it later")
    rx.stop()
    gem.close()
    aan.close()
    d.stop(ck)
    hanging_receiver(ctx)


def hanging_receiver(ctx):
    """SIGTERM while a push waits for a receiver that never answers."""
    ck = ctx.checks
    pki = ctx.pki("pki-hang")
    silent = g.reserve_port()
    silent.listen(16)  # connections complete in the kernel; nothing is ever said
    (pki.ini()
     .set("party " + g.AANBIEDER, "delivery", "push")
     .set("party " + g.AANBIEDER, "push_url",
          "https://127.0.0.1:%d/inbox" % silent.getsockname()[1])
     # the messages are generated one by one and form no conversation
     .cross_checks_off()
     .save())
    d = ctx.daemon(pki, "hang").start()
    gem = d.client(g.GEMEENTE)
    status, j = gem.post(ctx.sample("JW301-valid-1.xml"))
    ck.check(status == 201, "a JW301 to a push party whose receiver never answers: 201",
             "%r %r" % (status, j))
    gem.close()
    time.sleep(1.5)  # the push is under way: connected, waiting for the TLS handshake
    t = time.monotonic()
    d.signal(signal.SIGTERM)
    try:
        rc = d.proc.wait(10)
    except subprocess.TimeoutExpired:
        rc = None
    took = time.monotonic() - t
    # The delivery thread is inside curl_easy_perform, whose timeout is 30 s;
    # the daemon must break the attempt off rather than wait for it.
    ck.check(rc is not None,
             "SIGTERM while a push waits for a silent receiver: the daemon "
             "exits within 10 s", "still running after %.1f s; its log:\n%s" % (took, d.log()))
    if rc is not None:
        d.stop(ck, what="the daemon with a silent push receiver")
    else:
        d.kill()
    silent.close()
    if status == 201:
        state = g.store_query(pki.store, "SELECT state, attempts FROM deliveries"
                                         " WHERE message = ?", (int(j["id"]),))
        ck.check(state == [("pending", 0)] and not attempts_of(pki.store, j["id"]),
                 "... and the push it broke off is no attempt: still pending, to be made after "
                 "a start", repr(state))


if __name__ == "__main__":
    g.run("push", body)
