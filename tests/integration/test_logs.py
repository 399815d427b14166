#!/usr/bin/env python3
"""test_logs.py: the daemon's log as an operator reads it.

With log_format = json every line of the log is one JSON object; the access
log has a line for every request answered (201, a 200 repeat, a 422 with the
retour's id on message_rejected, a 403 of a certificate of no party, an
unknown receiver, a 404, a 413 from the head, a 431 of a path too long, a post
whose body never came in full) and for a failed handshake (a
certificate of another CA, none at all), with the party and the certificate's
fingerprint where they are known; of a query only the keys the API reads
are kept. No BSN of the posted messages is anywhere in the log. With
log_format = logfmt every line parses as logfmt.

    test_logs.py BINARY SOURCE_DIR SHARED_DIR
"""
import hashlib
import json
import os
import socket
import ssl
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def fingerprint(pem):
    with open(pem) as f:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(f.read())).hexdigest()


def json_lines(log):
    """The objects of the log's lines, and the lines that are not one."""
    objects, bad = [], []
    for line in log.splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            o = None
        if isinstance(o, dict):
            objects.append(o)
        else:
            bad.append(line)
    return objects, bad


def logfmt(line):
    """The pairs of a logfmt line (key, value or None for a bare key); raises ValueError
    where it is not logfmt: a key is a run of bytes above space other than '=' and '"',
    a value a run of them too, or a quoted string with \\" and \\\\ escaped."""
    pairs, i, n = [], 0, len(line)
    while i < n:
        if line[i] == " ":
            i += 1
            continue
        k = i
        while i < n and line[i] > " " and line[i] not in '="':
            i += 1
        if i == k:
            raise ValueError("no key at %d" % i)
        key = line[k:i]
        if i == n or line[i] == " ":
            pairs.append((key, None))
            continue
        if line[i] != "=":
            raise ValueError("%r after key %s" % (line[i], key))
        i += 1
        if i < n and line[i] == '"':
            i += 1
            v = []
            while i < n and line[i] != '"':
                if line[i] == "\\":
                    i += 1
                    if i == n or line[i] not in '"\\':
                        raise ValueError("a bad escape in %s" % key)
                v.append(line[i])
                i += 1
            if i == n:
                raise ValueError("%s: an unterminated quote" % key)
            i += 1
            if i < n and line[i] != " ":
                raise ValueError("%s: no space after the quote" % key)
            value = "".join(v)
        else:
            v0 = i
            while i < n and line[i] > " ":
                if line[i] in '="':
                    raise ValueError("%s: %r in a bare value" % (key, line[i]))
                i += 1
            value = line[v0:i]
        pairs.append((key, value))
    return pairs


def raw_post(d, ctx, length, body=b""):
    """Sends a POST head announcing length bytes, then body: the status of the answer,
    or None when the gateway closes the connection without one."""
    return raw_request(d, ctx, b"POST /v1/berichten HTTP/1.1\r\nHost: x\r\n"
                       b"Content-Length: %d\r\n\r\n" % length + body)


def raw_request(d, ctx, request):
    """Sends the bytes of request: the status of the answer, or None when the gateway
    closes the connection without one."""
    raw = socket.create_connection(("127.0.0.1", d.port), timeout=30)
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    try:
        s.sendall(request)
        data = b""
        while b"\r\n" not in data:
            try:
                chunk = s.recv(4096)
            except (ssl.SSLError, OSError):
                return None
            if not chunk:
                return None
            data += chunk
        return int(data.split(b" ", 2)[1])
    finally:
        s.close()


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    # header_timeout: a body that does not come in full is cut off after 2 s
    ini = (pki.ini().cross_checks_off().set("gateway", "log_format", "json")
           .set("gateway", "header_timeout", 2))
    ini.save()
    jw301 = ctx.generate("JW301", 11)
    invalid = ctx.sample("JW301-TR002-invalid.xml")
    unknown = ctx.generate("JW301", 12, aanbieder="42429999")
    stranger_pem, stranger_key = pki.ca.issue("stranger", "99999999", org="aanbieder")
    other = g.CA.new(os.path.join(ctx.tmp, "other-ca"), "ijw-gateway development CA")
    wrong = other.issue("0384-wrong-ca", "0384", org="gemeente")
    d = ctx.daemon(pki).start()
    gem = d.client(g.GEMEENTE)
    gem_fp = fingerprint(pki.cert(g.GEMEENTE)[0])
    posted = []
    requests = 0

    def post(c, b):
        nonlocal requests
        posted.append(b)
        requests += 1
        return c.post(b)

    status, j = post(gem, jw301)
    ck.equal(status, 201, "a JW301 is accepted")
    first_id = j.get("id") if isinstance(j, dict) else None
    status, j = post(gem, jw301)
    ck.equal(status, 200, "the same JW301 again is a repeat")
    status, rejected = post(gem, invalid)
    ck.check(status == 422 and isinstance(rejected, dict) and rejected.get("retour"),
             "a JW301 that breaks TR002: 422 with the id of its retour", repr(rejected))
    status, j = post(gem, unknown)
    ck.check(status == 422 and j.get("error") == "unknown receiver",
             "a JW301 to no party: 422 unknown receiver", repr(j))
    status, _ = gem.request("GET", "/v1/nothing")
    requests += 1
    ck.equal(status, 404, "an unknown path: 404")
    status, _ = gem.request("GET", "/v1/berichten?limit=5&bsn=999999990")
    requests += 1
    ck.equal(status, 200, "the inbox with a query")
    gem.close()

    stranger = g.Client(d.port, pki.path("ca.pem"), stranger_pem, stranger_key)
    status, _ = stranger.request("GET", "/v1/berichten")
    requests += 1
    ck.equal(status, 403, "a certificate of no party: 403")
    stranger.close()

    tls = ssl.create_default_context(cafile=pki.path("ca.pem"))
    tls.load_cert_chain(*pki.cert(g.GEMEENTE))
    ck.equal(raw_post(d, tls, 1 << 30), 413, "a head announcing 1 GiB: 413")
    requests += 1
    ck.equal(raw_request(d, tls, b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
             431, "a head of a path of 20,000 bytes: 431")
    requests += 1
    ck.equal(raw_post(d, tls, 1000, b"<half"), None,
             "a post whose body stops coming is closed without an answer")
    requests += 1

    ck.check(isinstance(g.attempt(d.port, pki.path("ca.pem"), *wrong), Exception),
             "a certificate of another CA is refused in the handshake")
    ck.check(isinstance(g.attempt(d.port, pki.path("ca.pem")), Exception),
             "no certificate is refused in the handshake")
    # each line comes when its connection is freed, in whichever order: wait for both
    d.wait_log(r'"event":"access"[^\n]*"error":"handshake: unable to get local issuer')
    d.wait_log(r'"event":"access"[^\n]*"error":"handshake: alert sent: certificate required"')
    d.stop(ck)

    objects, bad = json_lines(d.log())
    ck.check(objects and not bad, "with log_format = json every line of the log is a JSON "
             "object (%d lines)" % len(objects), "\n".join(bad[:5]))
    ck.check(all(isinstance(o.get("time"), str) and o.get("level") in
                 ("debug", "info", "warn", "error") and isinstance(o.get("event"), str)
                 for o in objects), "every object has its time, level and event")
    access = [o for o in objects if o.get("event") == "access"]
    answered = [o for o in access if "method" in o]

    def one(what, **want):
        got = [o for o in answered if all(o.get(k) == v for k, v in want.items())]
        ck.check(len(got) == 1, "an access line for %s" % what,
                 "%r in\n%s" % (want, "\n".join(json.dumps(o) for o in answered)))
        return got[0] if got else {}

    ck.equal(len(answered), requests, "every request answered has its access line")
    o = one("the 201", status=201, method="POST", path="/v1/berichten")
    ck.check(o.get("listener") == "api" and o.get("party") == g.GEMEENTE
             and o.get("cert") == gem_fp and o.get("remote", "").startswith("127.0.0.1:")
             and o.get("bytes_in") == len(jw301) and isinstance(o.get("bytes_out"), int)
             and o["bytes_out"] > 0 and isinstance(o.get("ms"), (int, float))
             and "error" not in o,
             "the 201's line: listener, remote, party, cert, byte counts as numbers, ms",
             json.dumps(o))
    one("the 200 repeat", status=200, method="POST", party=g.GEMEENTE, cert=gem_fp)
    one("the 422 rejection", status=422, error="rejected", party=g.GEMEENTE)
    one("the unknown receiver", status=422, error="unknown receiver", party=g.GEMEENTE)
    one("the 404", status=404, path="/v1/nothing", error="not found", party=g.GEMEENTE)
    one("the inbox, its query without the key the API does not read", status=200,
        method="GET", path="/v1/berichten?limit=5")
    o = one("the 403 of a certificate of no party", status=403, error="forbidden",
            cert=fingerprint(stranger_pem), path="/v1/berichten")
    ck.check("party" not in o, "the 403's line names no party", json.dumps(o))
    o = one("the 413 from the head", status=413, method="POST", error="too large")
    ck.check(o.get("party") == g.GEMEENTE and o.get("bytes_in") == 0,
             "the 413's line: its party, and no body read", json.dumps(o))

    o = one("the 431 of a head too long", status=431, method="GET")
    ck.check(o.get("path", "").startswith("/aaaa") and len(o.get("path", "")) <= 511,
             "its path, cut", "%d bytes" % len(o.get("path", "")))
    o = one("the post whose body never came in full", status=0, method="POST",
            error="no body in time")
    ck.check(o.get("party") == g.GEMEENTE and o.get("bytes_in") == 5,
             "its line: its party, and the bytes of the body that came", json.dumps(o))

    failed = [o for o in access if "method" not in o]
    wrong_fp = fingerprint(wrong[0])
    ck.check([o for o in failed if o.get("cert") == wrong_fp and o.get("status") == 0
              and o.get("error", "").startswith("handshake: unable to get local issuer")],
             "a failed handshake with a certificate of another CA: its line with the "
             "verify error and the certificate's fingerprint", json.dumps(failed))
    ck.check([o for o in failed if "cert" not in o
              and o.get("error") == "handshake: alert sent: certificate required"],
             "a handshake without a certificate: its line with the alert", json.dumps(failed))

    rej = [o for o in objects if o.get("event") == "message_rejected"]
    want = int(rejected.get("retour", 0)) if isinstance(rejected, dict) else None
    ck.check([o for o in rej if o.get("retour") == want and o.get("rule") == "TR002"
              and o.get("retourcode") == "0001"],
             "message_rejected names the retour stored for the sender (retour=%s)" % want,
             json.dumps(rej))
    acc = [o for o in objects if o.get("event") == "message_accepted"]
    ck.check([o for o in acc if str(o.get("id")) == first_id and isinstance(o.get("id"), int)
              and o.get("from") == g.GEMEENTE and o.get("to") == g.AANBIEDER
              and isinstance(o.get("retour"), int)],
             "message_accepted: the id a number, the parties text, and the automatic "
             "retour's id", json.dumps(acc))

    numbers = set()
    for b in posted:
        numbers |= g.bsns(b)
    numbers.add("999999990")
    log = d.all_logs()
    leaked = sorted(n for n in numbers if n in log)
    ck.check(numbers and not leaked, "no BSN of the posted messages is in the log",
             "found %r" % leaked)

    # ---- logfmt ----
    ini.set("gateway", "log_format", "logfmt").save()
    d.start()
    gem = d.client(g.GEMEENTE)
    status, _ = gem.post(ctx.generate("JW301", 13))
    ck.equal(status, 201, "logfmt: a JW301 is accepted")
    status, _ = gem.request("GET", '/v1/a%20b"c=d')
    ck.equal(status, 404, "logfmt: an odd path: 404")
    gem.close()
    d.stop(ck)
    errors, lines = [], d.log().splitlines()
    access = []
    for line in lines:
        try:
            pairs = logfmt(line)
            if len(pairs) < 3 or any(v is not None for _, v in pairs[:3]) or \
                    any(v is None for _, v in pairs[3:]):
                raise ValueError("not TIME LEVEL EVENT key=value...")
            if pairs[2][0] == "access":
                access.append(dict(pairs[3:]))
        except ValueError as e:
            errors.append("%s: %s" % (e, line))
    ck.check(lines and not errors, "with log_format = logfmt every line parses as logfmt: "
             "time, level and event, then key=value (%d lines)" % len(lines),
             "\n".join(errors[:5]))
    ck.check([a for a in access if a.get("status") == "201" and a.get("party") == g.GEMEENTE
              and a.get("cert") == gem_fp and a.get("path") == "/v1/berichten"],
             "logfmt: the 201's access line", repr(access))
    ck.check([a for a in access if a.get("status") == "404" and a.get("path") == '/v1/a%20b"c=d'],
             "logfmt: an odd path is one quoted value", repr(access))


if __name__ == "__main__":
    g.run("test_logs", body)
