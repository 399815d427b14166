#!/usr/bin/env python3
"""test_push_receivers.py: push receivers side by side, isolated from each other.

One daemon pushes to seven receivers at once, written here: one that hangs
(it takes the TLS handshake and the request and never answers), one that
answers 500, one that resets the connection, a healthy one, a healthy one
for a party with push_ocsp = yes (Python cannot staple an OCSP answer, so
the gateway must refuse it), one that speaks TLS 1.2 with a CBC suite only
(outside the gateway's suites) and one that speaks TLS 1.2 with an AEAD
suite only (inside them). With short retry settings:

- the healthy receiver gets each of its messages while the hanging one
  holds an attempt, long before push_timeout, and the hanging attempt ends
  by that timeout;
- the 500 receiver's message is given up only after min_attempts attempts,
  and give_up_after counted from its first attempt; the receiver's breaker
  opens (log and /metrics), no attempt is made while it is open, and it
  closes when a trial push after the pause is answered 200;
- a reload that turns a party's pushes off settles its pending push; one
  that turns them on for another party makes its messages pushed;
- SIGTERM with the hanging attempt under way: the daemon exits, status 0.

    test_push_receivers.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import signal
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

HEALTHY, HANGING, FAILING, RESETTING, OCSP, CBC, TLS12, LATER = (
    "4242%04d" % i for i in range(1, 9))
PUSH_TIMEOUT = 10
MIN_ATTEMPTS = 4
GIVE_UP_AFTER = 4
BREAKER_FAILURES = 3
BREAKER_SECONDS = 3


def attempts_of(store, message):
    """(at, http_status, delivered, error) of every attempt at pushing message, in order."""
    return g.store_query(store,
                         "SELECT a.at, a.http_status, a.delivered, a.error FROM attempts a"
                         " JOIN deliveries d ON d.id = a.delivery"
                         " WHERE d.message = ? ORDER BY a.id", (int(message),))


def delivery_of(store, message):
    rows = g.store_query(store, "SELECT state, attempts FROM deliveries WHERE message = ?",
                         (int(message),))
    return rows[0] if rows else None


def wait_until(cond, timeout):
    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        time.sleep(0.05)
    return cond()


def body(ctx):
    ck = ctx.checks
    parties = ["gemeente:" + g.GEMEENTE] + ["aanbieder:" + c for c in (
        HEALTHY, HANGING, FAILING, RESETTING, OCSP, CBC, TLS12, LATER)]
    pki = ctx.pki(parties=parties)
    rcert = pki.ca.issue("receiver", "localhost", kind="server")
    ca = pki.path("ca.pem")

    def tls12(suite):
        def narrow(c):
            c.maximum_version = ssl.TLSVersion.TLSv1_2
            c.set_ciphers(suite)
        return narrow

    rx = {HEALTHY: g.Receiver(ca, *rcert), HANGING: g.Receiver(ca, *rcert),
          FAILING: g.Receiver(ca, *rcert), RESETTING: g.Receiver(ca, *rcert),
          OCSP: g.Receiver(ca, *rcert),
          CBC: g.Receiver(ca, *rcert, tls=tls12("ECDHE-ECDSA-AES128-SHA")),
          TLS12: g.Receiver(ca, *rcert, tls=tls12("ECDHE-ECDSA-AES128-GCM-SHA256"))}
    rx[HANGING].answer = g.HANG
    rx[FAILING].answer = 500
    rx[RESETTING].answer = g.RESET
    for r in rx.values():
        r.start()
    ini = (pki.ini()
           .set("gateway", "retry_initial", 1).set("gateway", "retry_max", 2)
           .set("gateway", "give_up_after", GIVE_UP_AFTER)
           .set("gateway", "min_attempts", MIN_ATTEMPTS)
           .set("gateway", "push_timeout", PUSH_TIMEOUT)
           .set("gateway", "push_breaker_failures", BREAKER_FAILURES)
           .set("gateway", "push_breaker_seconds", BREAKER_SECONDS)
           # the messages are generated one by one and form no conversation
           .cross_checks_off(g.GEMEENTE))
    for code in (HEALTHY, HANGING, FAILING, RESETTING, OCSP, CBC, TLS12, LATER):
        ini.cross_checks_off(code)
        if code in rx:
            ini.set("party " + code, "delivery", "push")
            ini.set("party " + code, "push_url",
                    "https://127.0.0.1:%d/inbox/%s" % (rx[code].port, code))
    ini.set("party " + OCSP, "push_ocsp", "yes")
    ini.save()
    seed = [0]

    def make(code):
        seed[0] += 1
        return ctx.generate("JW301", seed[0], aanbieder=code)

    # made in advance: while the hanging attempt lasts, only posting takes time
    healthy = [make(HEALTHY) for _ in range(10)]
    d = ctx.daemon(pki).start()
    gem = d.client(g.GEMEENTE)

    def send(code, msg=None):
        msg = msg or make(code)
        status, j = gem.post(msg)
        ck.check(status == 201, "a JW301 to %s: 201" % code, "%r %r" % (status, j))
        return msg, j.get("id") if isinstance(j, dict) else None

    first = {code: send(code) for code in (FAILING, RESETTING, OCSP, CBC, TLS12, HANGING)}
    ck.check(wait_until(lambda: rx[HANGING].posts, 10),
             "the hanging receiver has the request of its push, and does not answer")

    # ---- the healthy receiver beside the hanging one ----
    sent = []
    for msg in healthy:
        t = time.monotonic()
        send(HEALTHY, msg)
        sent.append((t, msg))
        time.sleep(0.1)
    arrived = rx[HEALTHY].wait_for([g.sha(m) for _, m in sent], PUSH_TIMEOUT / 2)
    with rx[HEALTHY].lock:
        at = {g.sha(p[2]): t for p, t in zip(rx[HEALTHY].posts, rx[HEALTHY].times)}
    late = [round(at[g.sha(m)] - t, 2) if g.sha(m) in at else None for t, m in sent]
    ck.check(arrived and all(x is not None and x < PUSH_TIMEOUT / 2 for x in late),
             "the healthy receiver gets each of its 10 messages within %d s (push_timeout "
             "is %d s) while the hanging one holds an attempt" % (PUSH_TIMEOUT / 2, PUSH_TIMEOUT),
             "seconds from posting to arrival: %r" % late)
    ck.info("seconds from posting to arrival at the healthy receiver: %r" % late)
    hang_id = first[HANGING][1]
    ck.check(" push_failed id=%s " % hang_id not in d.log(),
             "... and the hanging attempt is still under way then (no push_failed for it)")
    # ---- the 500 receiver: min_attempts, give_up_after since the first attempt, breaker ----
    fail_id = first[FAILING][1]
    m = d.wait_log(r" push_given_up id=%s to=%s attempts=(\d+) since_first=(\d+) "
                   % (fail_id, FAILING), 30)
    rows = attempts_of(pki.store, fail_id)
    ck.check(m is not None, "the 500 receiver's message is given up in the end",
             d.log()[-3000:])
    ck.check(m and int(m.group(1)) >= MIN_ATTEMPTS and len(rows) >= MIN_ATTEMPTS
             and all(r[1] == 500 and not r[2] for r in rows),
             "... only after min_attempts (%d) attempts, each recorded with its 500"
             % MIN_ATTEMPTS, repr(rows))
    ck.check(rows and rows[-1][0] - rows[0][0] >= GIVE_UP_AFTER
             and m and int(m.group(2)) >= GIVE_UP_AFTER,
             "... and give_up_after (%d s) after its first attempt" % GIVE_UP_AFTER, repr(rows))
    ck.equal(rx[FAILING].count(first[FAILING][0]), len(rows),
             "the receiver saw exactly the recorded attempts (an open breaker makes none)")
    opened = d.wait_log(r" push_breaker_open to=%s failures=%d trial=none "
                        % (FAILING, BREAKER_FAILURES), 5)
    ck.check(opened, "its breaker opens after %d failures in a row, logged once"
             % BREAKER_FAILURES, d.log()[-3000:])
    ck.equal(d.log().count(" push_breaker_open to=%s failures=%d " % (FAILING, BREAKER_FAILURES)),
             1, "the opening is logged once")
    breakers = (d.admin().metric("ijw_push_breakers_open"),
                d.admin().metric("ijw_push_breaker_opened_total"))
    ck.check((breakers[0] or 0) >= 1 and (breakers[1] or 0) >= 1, "/metrics shows open breakers",
             "open %r, opened %r" % breakers)
    # the failed trial that gave it up opened the breaker again: a message now waits
    rx[FAILING].answer = 200
    later_msg, later_id = send(FAILING)
    closed = d.wait_log(r" push_breaker_closed to=%s" % FAILING, BREAKER_SECONDS + 10)
    ck.check(closed and closed.start() > opened.start(),
             "after the pause a trial push is answered 200: the breaker closes, logged",
             d.log()[-3000:])
    ck.check(rx[FAILING].wait_for([g.sha(later_msg)], 10),
             "... and the receiver has the message that waited for it")
    ck.check(wait_until(lambda: delivery_of(pki.store, later_id) == ("delivered", 1), 5)
             and rx[FAILING].count(later_msg) == 1,
             "... in one attempt: the pause made none and counted none",
             repr(delivery_of(pki.store, later_id)))
    trial = attempts_of(pki.store, later_id)
    ck.check(trial and trial[0][0] >= rows[-1][0] + BREAKER_SECONDS,
             "... and not before push_breaker_seconds after the failed trial",
             "%r after %r" % (trial, rows[-1]))

    m = d.wait_log(r" push_failed id=%s to=%s attempt=1 .*error=(.*)" % (hang_id, HANGING),
                   PUSH_TIMEOUT + 5)
    ck.check(m and "timed out" in m.group(1).lower(),
             "the hanging attempt ends by push_timeout", m.group(0) if m else d.log()[-2000:])


    # ---- the resetting receiver, OCSP, the TLS suites ----
    m = d.wait_log(r" push_failed id=%s to=%s attempt=1 .*error=(.*)"
                   % (first[RESETTING][1], RESETTING), 10)
    ck.check(m and rx[RESETTING].posts, "a receiver that resets the connection: the push fails",
             m.group(0) if m else d.log()[-2000:])
    ck.info("the reset's error: %s" % (m.group(1) if m else None))
    ck.check(d.wait_log(r" push_breaker_open to=%s " % RESETTING, 15),
             "... and its breaker opens too")
    rows = attempts_of(pki.store, first[OCSP][1])
    ck.check(rows and all(not r[2] and r[3] and "ocsp" in r[3].lower() for r in rows)
             and not rx[OCSP].posts,
             "push_ocsp = yes: a receiver without a stapled OCSP answer gets nothing, and the "
             "attempt is recorded with the reason", repr(rows))
    rows = attempts_of(pki.store, first[CBC][1])
    ck.check(rows and not any(r[2] for r in rows) and not rx[CBC].posts,
             "a receiver with TLS 1.2 and a CBC suite only gets nothing", repr(rows))
    ck.check(rx[TLS12].wait_for([g.sha(first[TLS12][0])], 10),
             "a receiver with TLS 1.2 and an AEAD suite only gets its message")

    # ---- reloads: a party's pushes turned off, another's turned on ----
    _, reset_id = send(RESETTING)  # its first was given up by now: one to be pending
    ini = pki.ini()
    ini.set("party " + RESETTING, "delivery", "inbox")
    ini.set("party " + LATER, "delivery", "push")
    ini.set("party " + LATER, "push_url", "https://127.0.0.1:%d/inbox/%s"
            % (rx[HEALTHY].port, LATER))
    ini.save()
    since = d.log_size()
    d.signal(signal.SIGHUP)
    ck.check(d.wait_log(r" info reloaded ", 10, since), "SIGHUP reloads the configuration")
    m = d.wait_log(r" push_failed id=%s to=%s .*no longer wants" % (reset_id, RESETTING),
                   BREAKER_SECONDS + 10, since)
    ck.check(m and d.wait_log(r" push_breaker_closed to=%s" % RESETTING, 5, since),
             "a party no longer pushed to: its pending push says so, and its breaker closes",
             d.log()[-2000:])
    msg, _ = send(LATER)
    ck.check(rx[HEALTHY].wait_for([g.sha(msg)], 10),
             "a party pushed to after a reload gets its message pushed")

    # ---- SIGTERM while the hanging receiver holds an attempt ----
    ck.check(wait_until(lambda: len(rx[HANGING].posts) > len(attempts_of(pki.store, hang_id)),
                        PUSH_TIMEOUT + 5),
             "the hanging receiver holds an attempt not yet recorded")
    held = len(rx[HANGING].posts)
    gem.close()
    t = time.monotonic()
    d.stop(ck, timeout=10, what="the daemon with a hanging push under way")
    ck.info("it stopped in %.1f s" % (time.monotonic() - t))
    ck.equal(delivery_of(pki.store, hang_id), ("pending", held - 1),
             "the attempt cut short by the stop is not recorded")
    for r in rx.values():
        r.stop()


if __name__ == "__main__":
    g.run("push-receivers", body)
