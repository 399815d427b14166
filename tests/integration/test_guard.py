#!/usr/bin/env python3
"""test_guard.py: the connection guard against the real daemon.

Request heads the guard refuses (two Content-Lengths, conflicting ones,
Content-Length with Transfer-Encoding, chunked, a folded header) get their
400 or 411 with a JSON reason; a certificate of no party gets its 403 before
it has sent a byte of its body; a slow head, a slow body and a connection
that never starts TLS are closed after their deadlines; bodies in flight
over max_bytes_in_flight get 503 with Retry-After; connections over the
per-address cap are closed at once, and at max_connections the oldest idle
one makes room, so a party still gets in; accept() out of descriptors
pauses instead of spinning; a party over rate_limit gets 429 with
Retry-After. Every answer is counted in /metrics, and the log says what the
guard refused as counts, not a line per connection.

    test_guard.py BINARY SOURCE_DIR SHARED_DIR
"""
import json
import os
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

HEADER_TIMEOUT = 2
MAX_BODY = 1 << 20
IN_FLIGHT = 3 * MAX_BODY // 2
MIN_RATE = 50000


def tls_context(pki, party=g.GEMEENTE, cert=None):
    ctx = ssl.create_default_context(cafile=pki.path("ca.pem"))
    ctx.load_cert_chain(*(cert or pki.cert(party)))
    return ctx


def tls_socket(d, ctx, source="127.0.0.1", timeout=10):
    raw = socket.create_connection(("127.0.0.1", d.port), timeout=timeout,
                                   source_address=(source, 0))
    return ctx.wrap_socket(raw, server_hostname="localhost")


def read_answer(s):
    """(status, headers dict, body bytes) of one answer on s, or None when s closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = s.recv(65536)
        except (ssl.SSLError, OSError):
            return None
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    while len(rest) < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:n]


def raw_request(d, ctx, data):
    s = tls_socket(d, ctx)
    try:
        s.sendall(data)
        return read_answer(s)
    finally:
        s.close()


def closed_within(s, seconds, dribble=None):
    """Seconds until the peer closes s (sending dribble a byte at a time), or None."""
    t0 = time.monotonic()
    s.settimeout(0.25)
    i = 0
    while time.monotonic() - t0 < seconds:
        if dribble and i < len(dribble):
            try:
                s.send(dribble[i:i + 1])
            except OSError:
                return time.monotonic() - t0
            i += 1
        try:
            if s.recv(4096) == b"":
                return time.monotonic() - t0
        except (socket.timeout, ssl.SSLWantReadError):
            pass
        except OSError:
            return time.monotonic() - t0
    return None


def heads(ck, d, pki):
    ctx = tls_context(pki)
    post = b"POST /v1/berichten HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
    cases = [
        ("two equal Content-Lengths", post + b"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
         400, "Content-Length"),
        ("two conflicting Content-Lengths",
         post + b"Content-Length: 5\r\nContent-Length: 50\r\n\r\nhello", 400, "Content-Length"),
        ("Content-Length with Transfer-Encoding",
         post + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
         "Transfer-Encoding"),
        ("a Content-Length that is not a number", post + b"Content-Length: +5\r\n\r\nhello", 400,
         "Content-Length"),
        ("a Transfer-Encoding other than chunked", post + b"Transfer-Encoding: gzip\r\n\r\n", 400,
         "Transfer-Encoding"),
        ("a chunked body", post + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
         411, "Content-Length"),
        ("a GET with a body", b"GET /v1/berichten HTTP/1.1\r\nHost: x\r\nContent-Length: 5"
         b"\r\n\r\nhello", 400, "only a POST"),
        ("a NUL in the method", b"\x00ET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
         "request line"),
        ("a control character in a header", b"GET /healthz HTTP/1.1\r\nX-A: b\x01c\r\n\r\n",
         400, "control character"),
        ("a folded header", post + b"X-A: b\r\n c\r\nContent-Length: 0\r\n\r\n", 400, "folded"),
        ("a head of more than 16 KiB", b"GET /healthz HTTP/1.1\r\nX-Big: " + b"a" * 20000
         + b"\r\n\r\n", 431, "16384"),
        ("a body over max_message_bytes", post + b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1),
         413, "limit"),
    ]
    for what, data, want, word in cases:
        got = raw_request(d, ctx, data)
        ok = got is not None and got[0] == want
        reason = ""
        if ok:
            try:
                reason = json.loads(got[2])["message"]
            except (ValueError, KeyError):
                ok = False
        ck.check(ok and word in reason, "%s: %d with a reason (%s)" % (what, want, reason),
                 repr(got))


def closing(ck, d, pki):
    ctx = tls_context(pki)
    for what, data in (("an HTTP/1.0 request", b"GET /healthz HTTP/1.0\r\n\r\n"),
                       ("a request with Connection: close",
                        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")):
        s = tls_socket(d, ctx)
        s.sendall(data)
        got = read_answer(s)
        ck.check(got is not None and got[0] == 200 and got[1].get("connection") == "close"
                 and closed_within(s, 3) is not None,
                 "%s is answered whole, with Connection: close, and then closed" % what,
                 repr(got))
        s.close()
    s = tls_socket(d, ctx)
    s.sendall(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    first = read_answer(s)
    s.sendall(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    second = read_answer(s)
    ck.check(first and second and first[0] == second[0] == 200,
             "an HTTP/1.0 connection that asks to be kept is kept", repr((first, second)))
    s.close()


def forbidden(ck, d, pki):
    stranger = pki.ca.issue("stranger", "99999999", org="aanbieder")
    s = tls_socket(d, tls_context(pki, cert=stranger))
    t0 = time.monotonic()
    s.sendall(b"POST /v1/berichten HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n")
    got = read_answer(s)
    ck.check(got is not None and got[0] == 403 and time.monotonic() - t0 < 2,
             "a certificate of no party gets its 403 before it sends a byte of its body",
             repr(got))
    s.close()
    ck.check(d.wait_log(r" info access listener=api remote=127\.0\.0\.1:\d+ cert=[0-9a-f]{64} "
                        r"method=POST path=/v1/berichten status=403 bytes_in=0 ") is not None,
             "the 403 is logged with the peer's address and the certificate's fingerprint")


def deadlines(ck, d, pki):
    plain = socket.create_connection(("127.0.0.1", d.port))
    t = closed_within(plain, HEADER_TIMEOUT + 5)
    ck.check(t is not None and t < HEADER_TIMEOUT + 1.5,
             "a connection that never starts TLS is closed after header_timeout (%s s)" % t)
    plain.close()
    s = tls_socket(d, tls_context(pki))
    t = closed_within(s, HEADER_TIMEOUT + 5,
                      dribble=b"GET /v1/berichten HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100)
    ck.check(t is not None and t < HEADER_TIMEOUT + 1.5,
             "a head sent a byte at a time is cut off after header_timeout (%s s)" % t)
    s.close()
    s = tls_socket(d, tls_context(pki))
    length = 100000
    s.sendall(b"POST /v1/berichten HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % length)
    allowed = HEADER_TIMEOUT + length / MIN_RATE
    t = closed_within(s, allowed + 5, dribble=b"<" * 1000)
    ck.check(t is not None and allowed - 0.5 < t < allowed + 1.5,
             "a body sent a byte at a time is cut off after header_timeout plus its length "
             "at min_body_rate (%s s, allowed %.1f)" % (t, allowed))
    s.close()


def in_flight(ck, d, pki):
    ctx = tls_context(pki)
    hold = tls_socket(d, ctx)
    hold.sendall(b"POST /v1/berichten HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n<"
                 % MAX_BODY)
    time.sleep(0.3)
    second = b"<" * (MAX_BODY // 2 + 1)
    got = raw_request(d, ctx, b"POST /v1/berichten HTTP/1.1\r\nHost: x\r\nContent-Length: %d"
                      b"\r\n\r\n" % len(second) + second)
    ck.check(got is not None and got[0] == 503 and got[1].get("retry-after") == "1",
             "a body that would pass max_bytes_in_flight gets 503 with Retry-After", repr(got))
    hold.close()
    time.sleep(0.3)
    got = raw_request(d, ctx, b"POST /v1/berichten HTTP/1.1\r\nHost: x\r\nContent-Length: %d"
                      b"\r\n\r\n" % len(second) + second)
    ck.check(got is not None and got[0] == 422,
             "when the other body is gone, the same post is taken (and judged: 422)", repr(got))


def caps(ck, d, pki, per_address, max_connections):
    held = []
    for _ in range(per_address + 10):
        held.append(socket.create_connection(("127.0.0.1", d.port),
                                             source_address=("127.0.0.2", 0)))
    time.sleep(0.5)
    closed = sum(1 for s in held if closed_within(s, 0.3) is not None)
    ck.check(closed >= 10, "connections over max_connections_per_address are closed at once "
             "(%d of %d)" % (closed, len(held)))
    for s in held:
        s.close()
    time.sleep(0.3)
    held = []
    for i in range(max_connections + 20):
        src = "127.0.1.%d" % (1 + i // (per_address // 2))
        held.append(socket.create_connection(("127.0.0.1", d.port), source_address=(src, 0)))
    time.sleep(0.5)
    ctx = tls_context(pki)
    got = raw_request(d, ctx, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    ck.check(got is not None and got[0] == 200,
             "with %d idle connections held at max_connections = %d a party still gets in"
             % (len(held), max_connections), repr(got))
    for s in held:
        s.close()


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    per_address, max_connections = 20, 60
    (pki.ini().set("gateway", "header_timeout", HEADER_TIMEOUT)
     .set("gateway", "max_message_bytes", MAX_BODY)
     .set("gateway", "max_bytes_in_flight", IN_FLIGHT)
     .set("gateway", "min_body_rate", MIN_RATE)
     .set("gateway", "max_connections", max_connections)
     .set("gateway", "max_connections_per_address", per_address).save())
    d = ctx.daemon(pki).start()
    c = d.client(g.GEMEENTE)
    ck.equal(c.post(ctx.sample("JW301-valid-1.xml"))[0], 201,
             "an ordinary post goes through the guard")
    before = d.admin().request("GET", "/metrics")[1].decode()
    heads(ck, d, pki)
    closing(ck, d, pki)
    forbidden(ck, d, pki)
    deadlines(ck, d, pki)
    in_flight(ck, d, pki)
    caps(ck, d, pki, per_address, max_connections)
    c = d.client(g.GEMEENTE)
    counted = d.admin().metric('ijw_http_requests_total{code="400"}')
    ck.check(counted is not None and counted >= 7,
             "the guard's 400s are counted in /metrics (%s)" % counted, before[-500:])
    for code in ("411", "431", "413", "403", "503"):
        n = d.admin().metric('ijw_http_requests_total{code="%s"}' % code)
        ck.check(n and n >= 1, "the %s is counted in /metrics (%s)" % (code, n))
    evicted = d.admin().metric('ijw_connections_refused_total{reason="evicted"}')
    capped = d.admin().metric('ijw_connections_refused_total{reason="address_cap"}')
    ck.check(evicted and capped, "evictions (%s) and the per-address cap (%s) are counted"
             % (evicted, capped))
    m = d.wait_log(r"warn connections_refused .*address_cap=\d+", timeout=15)
    ck.check(m is not None, "the log says what the guard refused, as counts")
    lines = d.log().count("connections_refused")
    ck.check(lines <= 3, "in a few summary lines, not one per connection (%d)" % lines)
    d.stop(ck)

    # accept() out of descriptors: a pause, not a spin
    (pki.ini().set("gateway", "max_connections", 1000).save())
    d = ctx.daemon(pki, "nofile")
    d.prefix = ["prlimit", "--nofile=48:48"]
    d.start()
    held = [socket.create_connection(("127.0.0.1", d.port), source_address=("127.0.2.%d"
                                     % (1 + i // 10), 0)) for i in range(80)]
    with open("/proc/%d/stat" % d.pid) as f:
        t0 = sum(int(x) for x in f.read().split()[13:15])
    time.sleep(3)
    with open("/proc/%d/stat" % d.pid) as f:
        t1 = sum(int(x) for x in f.read().split()[13:15])
    cpu = (t1 - t0) / os.sysconf("SC_CLK_TCK") / 3
    ck.check(cpu < 0.3, "out of descriptors the daemon rests: %.2f of a core" % cpu)
    for s in held:
        s.close()
    m = d.wait_log(r"warn connections_refused .*too_many_open_files=\d+", timeout=15)
    ck.check(m is not None, "and logs running out of descriptors as a count")
    ck.check(d.log_size() < 20000, "its log stays small (%d bytes)" % d.log_size())
    time.sleep(HEADER_TIMEOUT + 1)
    ck.equal(d.client(g.GEMEENTE).healthz()[0], 200, "and answers parties when they are gone")
    d.stop(ck)

    # a party's rate
    pki.ini().set("gateway", "rate_limit", 5).set("gateway", "rate_burst", 5).save()
    d = ctx.daemon(pki, "rate").start()
    c = d.client(g.GEMEENTE).connect()
    statuses, after = [], None
    for _ in range(12):
        c.conn.request("GET", "/healthz")
        r = c.conn.getresponse()
        r.read()
        statuses.append(r.status)
        if r.status == 429:
            after = r.getheader("Retry-After")
    ck.check(statuses[:5] == [200] * 5 and 429 in statuses and after and int(after) >= 1,
             "over rate_limit a party gets 429 with Retry-After (%s, Retry-After %s)"
             % (statuses, after))
    time.sleep(1.2)
    ck.equal(d.client(g.AANBIEDER).healthz()[0], 200, "another party has a bucket of its own")
    ck.equal(c.request("GET", "/healthz")[0], 200, "and the first, a moment later, again")
    d.stop(ck)


if __name__ == "__main__":
    g.run("guard", body)
