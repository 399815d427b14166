#!/usr/bin/env python3
"""test_tls.py: mutual TLS of the real daemon.

A valid client certificate works; no certificate, a certificate of another
CA (with the CN of a real party) and an expired or not yet valid certificate
of the right CA fail the TLS handshake (at connect, or at the first request
under TLS 1.3); a certificate of the right CA that is no party's gets 403;
and the daemon keeps serving, on new and on established connections. The
refused handshakes are logged, one line per address per 10 s, and the ones
left out counted.

    test_tls.py BINARY SOURCE_DIR SHARED_DIR
"""
import datetime
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    # the messages are generated one by one and form no conversation
    (pki.ini()
     .cross_checks_off()
     .save())
    d = ctx.daemon(pki).start()
    t0 = time.monotonic()
    refusals = 0
    ca = pki.path("ca.pem")
    utc = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    day = datetime.timedelta(days=1)

    other = g.CA.new(os.path.join(ctx.tmp, "other-ca"), "ijw-gateway development CA")
    wrong = other.issue("0384-wrong-ca", "0384", org="gemeente")
    expired = pki.ca.issue("0384-expired", "0384", org="gemeente",
                           not_before=utc - 400 * day, not_after=utc - 30 * day)
    future = pki.ca.issue("0384-future", "0384", org="gemeente",
                          not_before=utc + 30 * day, not_after=utc + 400 * day)
    stranger = pki.ca.issue("stranger", "77777777", org="aanbieder")

    good = d.client(g.GEMEENTE)
    r = good.healthz()
    ck.check(r == (200, b"ok\n"), "a valid client certificate: GET /healthz 200 ok", repr(r))
    port_before = good.local_port()

    for what, cert in (("no client certificate", (None, None)),
                       ("a certificate of another CA, with the CN of party 0384", wrong),
                       ("an expired certificate of the right CA", expired),
                       ("a certificate of the right CA that is not yet valid", future)):
        r = g.attempt(d.port, ca, *cert)
        refusals += 1
        ck.check(isinstance(r, BaseException), what + ": the TLS handshake fails",
                 "got an answer: %r" % (r,))
        if isinstance(r, BaseException):
            ck.info("%s: %s: %s" % (what, type(r).__name__, r))
        r = g.attempt(d.port, ca, *pki.cert(g.GEMEENTE))
        ck.check(r == (200, b"ok\n"), "after " + what + ": a new good connection works",
                 repr(r))
        ck.check(d.alive(), "after " + what + ": the daemon runs")

    r = g.attempt(d.port, ca, *stranger)
    ck.check(isinstance(r, tuple) and r[0] == 403,
             "a certificate of the right CA that is no party's: 403", repr(r))

    # Many refused handshakes at once, then the established connection.
    threads = [threading.Thread(target=g.attempt, args=(d.port, ca) + c)
               for c in [(None, None), wrong, expired] * 10]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refusals += len(threads)
    status, j = good.inbox()
    ck.check(status == 200 and good.local_port() == port_before,
             "after 30 refused handshakes the established keep-alive connection still works",
             "%r, local port %r then %r" % (status, port_before, good.local_port()))
    s, j = good.post(ctx.sample("JW301-valid-2.xml"))
    ck.check(s == 201, "... and a valid message is still accepted", "%r %r" % (s, j))
    good.close()
    elapsed = time.monotonic() - t0
    d.stop(ck)

    # one line per address per 10 s; the others counted, the count logged at the stop
    log = d.log()
    lines = re.findall(r" warn tls_handshake_failed address=127\.0\.0\.1 port=\d+ .*", log)
    held = sum(int(n) for n in re.findall(r" warn tls_handshake_failed_suppressed count=(\d+)",
                                          log))
    ck.check(lines and re.search(r'alert_sent="certificate required"$', lines[0]),
             "the first refused handshake, without a certificate, is logged with the address "
             "and the alert", "\n".join(lines))
    ck.check(len(lines) <= elapsed / 10 + 1,
             "at most one line per address per 10 s (%d lines in %.0f s)" % (len(lines), elapsed),
             "\n".join(lines))
    ck.equal(len(lines) + held, refusals, "every refused handshake is logged or counted")


if __name__ == "__main__":
    g.run("tls", body)
