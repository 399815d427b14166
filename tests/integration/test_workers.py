#!/usr/bin/env python3
"""test_workers.py: posted messages are judged on a pool of threads.

A declaration (JW323) of about 24 MB takes the gateway a second or more to
judge. While it is being judged (the gauge ijw_judging says so) another
client's /healthz and small posts (JW301) are answered, each within BOUND,
and before the declaration's own answer: judged on the event loop, as
before the pool, they would all wait for it.

- workers: the default is the number of online cores; a given number is
  honoured (the "listening" line and ijw_workers say it).
- fairness: with workers = 2, two declarations posted at once take one worker
  between them, one after the other; the small posts keep the other one.
- limits: a declaration being judged counts toward max_bytes_in_flight.
- stopping: SIGTERM while a declaration is being judged answers it (201),
  and the daemon exits with status 0.
- a connection that closes while its declaration is judged harms nothing:
  the daemon goes on answering, and stops without a sanitizer's report.

    test_workers.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import signal
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

BOUND = 0.5          # seconds for a small request, even on a loaded machine under ASan
CLIENTS = 13000      # clients in the declaration: about 24 MB
MB = 1024 * 1024


def small_posts(ctx, n, first_seed):
    """n valid JW301s from 0384 to 42420001, each its own identification."""
    return [ctx.generate("JW301", first_seed + i) for i in range(n)]


def start(ctx, pki, name, workers=None, **settings):
    ini = pki.ini().cross_checks_off()
    if workers:
        ini.set("gateway", "workers", workers)
    for k, v in settings.items():
        ini.set("gateway", k, v)
    ini.save()
    return ctx.daemon(pki, name).start()


class Big:
    """A declaration posted from its own connection, in a thread."""

    def __init__(self, d, body):
        self.d = d
        self.body = body
        self.status = None
        self.answer = None
        self.done = None  # when the answer arrived (monotonic)
        self.thread = threading.Thread(target=self.run)

    def run(self):
        c = self.d.client(g.AANBIEDER, timeout=600)
        try:
            self.status, self.answer = c.post(self.body)
        except Exception as e:  # a transport failure is reported by the checks
            self.answer = repr(e)
        self.done = time.monotonic()
        c.close()

    def start(self):
        self.t0 = time.monotonic()
        self.thread.start()
        return self

    def join(self):
        self.thread.join(600)


def wait_judging(ck, d, at_least, what):
    """Waits until ijw_judging is at least at_least; the highest value seen."""
    end = time.monotonic() + 120
    seen = 0
    while time.monotonic() < end:
        seen = d.admin().metric("ijw_judging") or 0
        if seen >= at_least:
            break
        time.sleep(0.01)
    ck.check(seen >= at_least, what, "ijw_judging is %r" % seen)
    return seen


def meanwhile(ck, d, bigs, smalls, label):
    """
    While bigs are judged, 0384 asks /healthz and posts smalls one after
    the other, each timed; after each round /metrics tells whether a
    declaration was still being judged when they were answered.
    """
    wait_judging(ck, d, len(bigs),
                 "%s: the declaration%s being judged (ijw_judging %d)"
                 % (label, "s are" if len(bigs) > 1 else " is", len(bigs)))
    # connected once they are judged: an idle connection is closed after header_timeout
    probe = d.client(g.GEMEENTE).connect()
    during = []  # (healthz seconds, post seconds, post status) answered while judging
    most = 0
    for body in smalls:
        if all(b.done for b in bigs):
            break
        t0 = time.monotonic()
        hs, _ = probe.healthz()
        t1 = time.monotonic()
        ps, pj = probe.post(body)
        t2 = time.monotonic()
        judging = d.admin().metric("ijw_judging") or 0
        most = max(most, judging)
        # still judging after both answers: they were answered meanwhile
        if judging >= 1 and not any(b.done for b in bigs):
            during.append((t1 - t0, t2 - t1, hs, ps, t2))
    for b in bigs:
        b.join()
    first_big = min(b.done for b in bigs)
    ck.check(len(during) >= 3,
             "%s: /healthz and a JW301 answered at least 3 times while the declaration "
             "was judged" % label, "%d times" % len(during))
    ck.check(all(hs == 200 and ps == 201 for _, _, hs, ps, _ in during),
             "%s: those answers are 200 and 201" % label,
             repr([(hs, ps) for _, _, hs, ps, _ in during]))
    slowest = max([max(h, p) for h, p, _, _, _ in during] or [0])
    ck.check(during and slowest <= BOUND,
             "%s: each within %.1f s (the slowest %.3f s)" % (label, BOUND, slowest))
    ck.check(during and all(t < first_big for _, _, _, _, t in during),
             "%s: all of them before the declaration's answer" % label)
    for i, b in enumerate(bigs):
        ck.equal(b.status, 201, "%s: declaration %d accepted after %.2f s"
                 % (label, i + 1, (b.done or 0) - b.t0))
    probe.close()
    return during


def default_workers(ctx, pki):
    ck = ctx.checks
    d = start(ctx, pki, "default")
    cores = os.sysconf("SC_NPROCESSORS_ONLN")
    m = d.wait_log(r" info listening .* workers=(\d+)")
    ck.check(m and int(m.group(1)) == cores,
             "without workers the gateway judges on one thread per online core (%d)" % cores,
             m.group(0) if m else d.log()[-1000:])
    ck.equal(d.admin().metric("ijw_workers"), cores,
             "/metrics: ijw_workers is the number of online cores")
    d.stop(ck)


def one_declaration(ctx, d, big, smalls):
    return meanwhile(ctx.checks, d, [Big(d, big).start()], smalls, "one declaration")


def two_declarations(ctx, d, big, smalls):
    bigs = [Big(d, g.set_identificatie(big, "W2A")).start(),
            Big(d, g.set_identificatie(big, "W2B")).start()]
    meanwhile(ctx.checks, d, bigs, smalls, "two declarations, workers = 2")
    a, b = sorted(bigs, key=lambda x: x.done)
    ctx.checks.info("the declarations were answered %.2f s and %.2f s after they were posted"
                    % (a.done - a.t0, b.done - b.t0))


def stop_while_judged(ctx, pki, big):
    """Room for one declaration in flight: a second is refused while the first is judged."""
    ck = ctx.checks
    d = start(ctx, pki, "stop", workers=2, max_message_bytes=len(big) + 1024,
              max_bytes_in_flight=len(big) + MB)
    b = Big(d, g.set_identificatie(big, "W3")).start()
    wait_judging(ck, d, 1, "stop: the declaration is being judged")
    other = d.client(g.AANBIEDER, timeout=600)
    status, j = other.post(g.set_identificatie(big, "W3B"))
    ck.check(status == 503 and j.get("error") == "busy" and "bytes" in j.get("message", ""),
             "a declaration being judged counts toward max_bytes_in_flight: a second gets 503",
             "%r %r" % (status, j))
    other.close()
    since = d.log_size()
    d.signal(signal.SIGTERM)
    b.join()
    ck.equal(b.status, 201, "stop: SIGTERM while a declaration is judged: it is answered")
    ck.check(d.wait_log(r" info stopping ", since=since), "stop: the daemon said it stops")
    d.stop(ck, what="the daemon stopped while judging")


def closed_while_judged(ctx, d, big):
    """The declaration's connection closes as soon as the body is sent."""
    ck = ctx.checks
    cert, key = d.pki.cert(g.AANBIEDER)
    tls = ssl.create_default_context(cafile=d.pki.path("ca.pem"))
    tls.load_cert_chain(cert, key)
    body = g.set_identificatie(big, "W4")
    with socket.create_connection(("127.0.0.1", d.port), timeout=120) as raw:
        with tls.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"POST /v1/berichten HTTP/1.1\r\nHost: localhost\r\n"
                      b"Content-Type: application/xml\r\nContent-Length: %d\r\n\r\n"
                      % len(body) + body)
            wait_judging(ck, d, 1, "closed: the declaration is being judged")
    # closed: the answer has nowhere to go
    end = time.monotonic() + 120
    while time.monotonic() < end and (d.admin().metric("ijw_judging") or 0) > 0:
        time.sleep(0.05)
    ck.equal(d.admin().metric("ijw_judging"), 0, "closed: the declaration was judged to its end")
    probe = d.client(g.GEMEENTE)
    ck.equal(probe.healthz()[0], 200, "closed: the gateway goes on answering")
    probe.close()


def main(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    default_workers(ctx, pki)

    big = ctx.generate("JW323", 7, clients=CLIENTS)
    ck.check(len(big) > 20 * MB, "the declaration is over 20 MB (%.1f MB)" % (len(big) / MB))
    smalls = small_posts(ctx, 60, 1000)

    d = start(ctx, pki, "two", workers=2)
    m = d.wait_log(r" info listening .* workers=(\d+)")
    ck.check(m and m.group(1) == "2", "workers = 2: the listening line says workers=2")
    ck.equal(d.admin().metric("ijw_workers"), 2, "workers = 2: /metrics says ijw_workers 2")
    ck.equal(d.admin().metric("ijw_judging"), 0, "nothing is being judged: ijw_judging 0")
    one_declaration(ctx, d, big, smalls[:30])
    two_declarations(ctx, d, big, smalls[30:])
    closed_while_judged(ctx, d, big)
    d.stop(ck)
    stop_while_judged(ctx, pki, big)


if __name__ == "__main__":
    g.run("workers", main)
