#!/usr/bin/env python3
"""bench_push.py: how long a healthy push receiver waits beside a hanging one.

Two runs of the real daemon (`ijw-gateway serve`), each on a fresh PKI and
store made by `ijw-gateway pki init` in a temporary folder (removed at the
end), with the default push settings (push_timeout 30 s):

  baseline  one push receiver, healthy: it answers 200 at once
  hanging   the same receiver, and beside it a second push party whose
            receiver takes the TLS handshake and the request and never
            answers; it gets a message before the measured ones and one more
            before each of them, so that its backlog grows all along

In each run MESSAGES JW301 from gemeente 0384 go to the healthy receiver, one
after the other, after one more that warms up and is not counted: each is
posted over the gemeente's keep-alive connection, and the next one only
after the receiver has it. The delay of a message is
from the moment its POST is written to the moment the receiver has read it:
storing (one fsync) and pushing. The receivers are Python's http.server
with TLS (tests/integration/gateway.py), on loopback.

How to read the output: p50, p99 and max of the delays in milliseconds, per
run (lower is better); hanging/baseline, the ratio of the two runs (1.00: the
hanging receiver costs the healthy one nothing); and the target, every
delay beside the hanging receiver under one attempt timeout (push_timeout),
with what was measured against it. Not a test: it always exits 0 once both
runs were made, 1 when a run could not be made.

Usage: bench_push.py [IJW_GATEWAY]; the default is build/gateway/ijw-gateway
of the source tree. Progress goes to standard error.
"""
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
import gateway as g  # noqa: E402

MESSAGES = 50
PUSH_TIMEOUT = 30  # the default of push_timeout
HEALTHY, HANGING = "42420001", "42420002"


def say(line):
    print(line, file=sys.stderr, flush=True)


def percentile(xs, p):
    """The nearest-rank percentile p of xs."""
    xs = sorted(xs)
    return xs[max(0, math.ceil(p / 100.0 * len(xs)) - 1)]


def run(ctx, name, hanging):
    """The delays in seconds of the healthy receiver's messages in one run."""
    parties = ("gemeente:" + g.GEMEENTE, "aanbieder:" + HEALTHY, "aanbieder:" + HANGING)
    pki = ctx.pki("pki-" + name, parties=parties)
    cert = pki.ca.issue("receiver", "localhost", kind="server")
    rx = g.Receiver(pki.path("ca.pem"), *cert).start()
    hang = g.Receiver(pki.path("ca.pem"), *cert)
    hang.answer = g.HANG
    hang.start()
    ini = pki.ini().cross_checks_off(g.GEMEENTE)
    for code, r in ((HEALTHY, rx), (HANGING, hang)):
        ini.cross_checks_off(code)
        ini.set("party " + code, "delivery", "push")
        ini.set("party " + code, "push_url", "https://127.0.0.1:%d/inbox" % r.port)
    ini.save()
    say("bench_push: %s: making %d messages" % (name, 2 * MESSAGES + 2))
    msgs = [ctx.generate("JW301", 1000 + i, aanbieder=HEALTHY) for i in range(MESSAGES + 1)]
    stuck = [ctx.generate("JW301", 2000 + i, aanbieder=HANGING) for i in range(MESSAGES + 2)]
    d = ctx.daemon(pki, name).start()
    gem = d.client(g.GEMEENTE)
    delays = []
    try:
        if hanging:
            gem.post(stuck[0])
            end = time.monotonic() + 10
            while not hang.posts and time.monotonic() < end:
                time.sleep(0.01)
            if not hang.posts:
                raise RuntimeError("the hanging receiver got no request")
        say("bench_push: %s: %d messages" % (name, MESSAGES))
        for i, msg in enumerate(msgs):
            if hanging:
                gem.post(stuck[i + 1])
            t = time.monotonic()
            status, j = gem.post(msg)
            if status != 201:
                raise RuntimeError("a JW301 was answered %r %r" % (status, j))
            if not rx.wait_for([g.sha(msg)], 2 * PUSH_TIMEOUT):
                raise RuntimeError("message %d did not arrive within %d s" % (i, 2 * PUSH_TIMEOUT))
            with rx.lock:
                arrived = next(a for p, a in zip(rx.posts, rx.times) if g.sha(p[2]) == g.sha(msg))
            delays.append(arrived - t)
    finally:
        gem.close()
        d.stop()
        rx.stop()
        hang.stop()
    return delays[1:]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SRC, "build", "gateway",
                                                                "ijw-gateway")
    if len(sys.argv) > 2 or not os.access(binary, os.X_OK):
        say("usage: bench_push.py [IJW_GATEWAY] (%s is not an executable)" % binary)
        return 1
    ctx = g.Context("bench-push", [sys.argv[0], binary, SRC, os.path.join(SRC, "..", "shared")])
    try:
        base = run(ctx, "baseline", False)
        hung = run(ctx, "hanging", True)
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        say("bench_push: %s" % e)
        return 1
    finally:
        for d in ctx.daemons:
            d.kill()
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    ms = {name: [x * 1000 for x in xs] for name, xs in (("baseline", base), ("hanging", hung))}
    print("ijw-gateway push isolation benchmark: %d messages to a healthy receiver, one at a "
          "time, push_timeout %d s" % (MESSAGES, PUSH_TIMEOUT))
    print()
    print("delay from posting to arrival at the healthy receiver, ms (lower is better; "
          "nearest rank: with %d messages p99 is the largest)" % MESSAGES)
    print("  %-28s %9s %9s %9s" % ("", "p50", "p99", "max"))
    stats = {}
    for name, what in (("baseline", "baseline (healthy only)"),
                       ("hanging", "beside a hanging receiver")):
        xs = ms[name]
        stats[name] = (percentile(xs, 50), percentile(xs, 99), max(xs))
        print("  %-28s %9.1f %9.1f %9.1f" % ((what,) + stats[name]))
    ratio = tuple(h / b if b else float("inf") for h, b in zip(stats["hanging"],
                                                               stats["baseline"]))
    print("  %-28s %8.2fx %8.2fx %8.2fx" % (("hanging/baseline",) + ratio))
    worst = stats["hanging"][2] / 1000
    print()
    print("target: every delay beside the hanging receiver under one attempt timeout "
          "(%d s): max %.3f s, %s" % (PUSH_TIMEOUT, worst,
                                      "met" if worst < PUSH_TIMEOUT else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
