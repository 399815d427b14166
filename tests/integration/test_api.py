#!/usr/bin/env python3
"""test_api.py: the HTTP API of the real daemon over mutual TLS.

A round trip (post, inbox, get byte for byte, ack, the automatic JW302),
posting for another party, a certificate of no party, an unknown receiver,
idempotent repeats and TR056, a message that breaks a rule, /healthz and
/metrics, every sample posted once, and no BSN in the daemon's log.

    test_api.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def inbox_of(c):
    status, j = c.inbox(1000)
    assert status == 200, "inbox: %r %r" % (status, j)
    return j["berichten"]


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    # the messages are generated one by one and form no conversation
    (pki.ini()
     .cross_checks_off()
     .save())
    ck.check(pki.ini().section("gateway").get("port") == "0",
             "`pki init DIR ... --port 0` writes port = 0 (serve takes a free port)")
    d = ctx.daemon(pki).start()
    gem = d.client(g.GEMEENTE)
    aan = d.client(g.AANBIEDER)
    posted = []  # every body posted, for the BSN check

    def post(c, b):
        posted.append(b)
        return c.post(b)

    # ---- 1. round trip ----
    jw301 = ctx.sample("JW301-valid-1.xml")
    status, j = post(gem, jw301)
    ck.check(status == 201 and isinstance(j, dict) and j.get("id"),
             "1. 0384 posts a JW301 to 42420001: 201 with an id", "%r %r" % (status, j))
    mid = j.get("id") if isinstance(j, dict) else None
    listed = [m for m in inbox_of(aan) if m["id"] == mid]
    ck.check(len(listed) == 1 and listed[0]["type"] == "JW301" and listed[0]["from"] == "0384",
             "1. the JW301 is in 42420001's inbox", repr(listed))
    status, got = aan.get(mid)
    ck.check(status == 200 and got == jw301, "1. GET /v1/berichten/{id} gives it byte for byte",
             "status %r, %d bytes vs %d" % (status, len(got), len(jw301)))
    status, j2 = gem.get(mid)
    ck.check(status == 200 and j2 == jw301, "1. the sender GETs its own message as it sent it",
             "status %r" % status)
    status, j2 = gem.ack(mid)
    ck.equal(status, 404, "1. the sender cannot ack a message addressed to another party")
    status, j2 = aan.ack(mid)
    ck.check(status == 200 and j2.get("acked") is True, "1. POST .../ack answers 200",
             "%r %r" % (status, j2))
    ck.check(mid not in [m["id"] for m in inbox_of(aan)], "1. after the ack it leaves the inbox")
    status, j2 = aan.ack(mid)
    ck.equal(status, 200, "1. a second ack is no error")

    retours = [m for m in inbox_of(gem) if m["type"] == "JW302" and m.get("answers") == mid]
    ck.check(len(retours) == 1 and retours[0].get("generated") is True,
             "1. retour = auto: one JW302 answering it is in 0384's inbox", repr(inbox_of(gem)))
    if retours:
        status, jw302 = gem.get(retours[0]["id"])
        ck.equal(status, 200, "1. 0384 fetches the JW302")
        ck.equal(g.header_retourcodes(jw302), ["0200"], "1. the JW302's header RetourCodes: 0200")
        ck.equal(g.identificatie(jw302), g.identificatie(jw301),
                 "1. the JW302 echoes the JW301's BerichtIdentificatie")
        if ctx.xsd_dir:
            path = os.path.join(ctx.tmp, "jw302.xml")
            with open(path, "wb") as f:
                f.write(jw302)
            r = subprocess.run([ctx.binary, "validate", "--schemas", ctx.xsd_dir, path],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
            out = r.stdout.decode(errors="replace")
            ck.check(r.returncode == 0 and "accepted JW302" in out,
                     "1. the JW302 validates against the official XSDs", out)
        else:
            ck.skip("1. the JW302 against the official XSDs",
                    "%s/reference/ijw-3.2/xsd is absent" % ctx.shared)

    # ---- 2. posting as another party; a certificate of no party ----
    jw301b = ctx.sample("JW301-valid-2.xml")
    status, j = post(aan, jw301b)
    ck.check(status == 403 and j.get("error") == "forbidden",
             "2. 42420001's certificate posting a JW301 from 0384: 403", "%r %r" % (status, j))
    stranger_pem, stranger_key = pki.ca.issue("stranger", "99999999", org="aanbieder")
    stranger = g.Client(d.port, pki.path("ca.pem"), stranger_pem, stranger_key)
    status, j = stranger.jrequest("GET", "/v1/berichten")
    ck.equal(status, 403, "2. a certificate of the right CA but of no party: GET inbox 403")
    status, j = stranger.post(jw301b)
    ck.equal(status, 403, "2. ... and its POST: 403")
    stranger.close()
    ck.check(not [m for m in inbox_of(aan) if m["identificatie"] == g.identificatie(jw301b)],
             "2. nothing of the forbidden posts reached the inbox")

    # ---- 4. unknown Ontvanger ----
    unknown = ctx.generate("JW301", 4, aanbieder="42429999")
    status, j = post(gem, unknown)
    ck.check(status == 422 and j.get("error") == "unknown receiver",
             "4. a JW301 to a party that is not configured: 422 unknown receiver",
             "%r %r" % (status, j))

    # ---- 6. idempotent retry, TR056 ----
    once = ctx.generate("JW301", 6)
    s1, j1 = post(gem, once)
    s2, j2 = post(gem, once)
    ck.check(s1 == 201 and s2 == 200 and j1.get("id") and j1.get("id") == j2.get("id"),
             "6. the same bytes twice: 201 then 200 with the same id",
             "%r %r / %r %r" % (s1, j1, s2, j2))
    ck.equal(len([m for m in inbox_of(aan) if m["identificatie"] == g.identificatie(once)]), 1,
             "6. the repeat is stored once")
    other, n = re.subn(rb"(<jw301:Client>.*?<jw301:Geslacht>)(\d)(<)",
                       lambda m: m.group(1) + (b"2" if m.group(2) != b"2" else b"1") + m.group(3),
                       once, count=1, flags=re.S)
    assert n == 1 and other != once
    before = {m["id"] for m in inbox_of(gem)}
    s3, j3 = post(gem, other)
    rules = [(f.get("rule"), f.get("retourcode")) for f in j3.get("findings", [])] \
        if isinstance(j3, dict) else []
    ck.check(s3 == 409 and ("TR056", "9056") in rules and j3.get("retourcode") == "9056",
             "6. other bytes with the same BerichtIdentificatie: 409, TR056, retourcode 9056",
             "%r %r" % (s3, j3))
    new = [m for m in inbox_of(gem) if m["id"] not in before]
    conflict = [m for m in new if m["type"] == "JW302"]
    ok = False
    for m in conflict:
        status, b = gem.get(m["id"])
        ok = ok or (status == 200 and "9056" in g.header_retourcodes(b))
    ck.check(ok and (not isinstance(j3, dict) or j3.get("retour") in [m["id"] for m in conflict]),
             "6. a JW302 with RetourCode 9056 in its header is in the sender's inbox",
             "new in 0384's inbox: %r; answer %r" % (new, j3))
    status, b = aan.get(j1.get("id"))
    ck.check(status == 200 and b == once, "6. the first bytes are kept", "status %r" % status)

    # ---- 7. a message that breaks a rule ----
    bad = ctx.sample("JW301-TR002-invalid.xml")
    before = {m["id"] for m in inbox_of(gem)}
    status, j = post(gem, bad)
    rules = [f.get("rule") for f in j.get("findings", [])] if isinstance(j, dict) else []
    ck.check(status == 422 and "TR002" in rules and j.get("retourcode") == "0001",
             "7. JW301-TR002-invalid.xml: 422 with rule TR002, retourcode 0001",
             "%r %r" % (status, j))
    new = [m for m in inbox_of(gem) if m["id"] not in before]
    ck.check(len(new) == 1 and new[0]["type"] == "JW302" and new[0]["id"] == j.get("retour"),
             "7. its retour is put in the sender's inbox", "%r; answer %r" % (new, j))
    if new:
        status, b = gem.get(new[0]["id"])
        ck.equal(g.header_retourcodes(b), ["0001"], "7. the retour's header RetourCodes: 0001")
    ck.check(not [m for m in inbox_of(aan) if m["identificatie"] == g.identificatie(bad)],
             "7. the rejected message is not delivered to the receiver")
    # The same rejected bytes again (a client that lost the first answer
    # retries): the same 422, and no second copy of the same retour.
    status, j4 = post(gem, bad)
    ck.equal(status, 422, "7. the same rejected message again: 422")
    again = [m for m in inbox_of(gem) if m["id"] not in before]
    ck.check(len(again) == 1,
             "7. ... and its retour is in the sender's inbox once, not twice",
             "%r; answers %r then %r" % (again, j.get("retour"), j4.get("retour")))

    # ---- 12. healthz, metrics, no BSN in the log ----
    status, b = gem.healthz()
    ck.check(status == 200 and b.strip() == b"ok", "12. /healthz: 200 ok", "%r %r" % (status, b))
    status, b = d.admin().request("GET", "/metrics")
    lines = [l for l in b.decode(errors="replace").splitlines()
             if l.startswith("ijw_messages_total{")]
    ck.check(status == 200 and lines, "12. /metrics has ijw_messages_total lines",
             b[:500].decode(errors="replace"))
    ck.check(any('type="JW301"' in l and 'outcome="accepted"' in l and not l.endswith(" 0")
                 for l in lines), "12. /metrics counts the accepted JW301s", "\n".join(lines))
    info = re.findall(r'^ijw_instance_info\{instance="([^"]*)",store="([^"]*)"\} 1$',
                      b.decode(errors="replace"), re.M)
    kind = "postgresql" if g.PG else "sqlite"
    ck.check(info and info[0][0] == socket.gethostname() + ":0" and info[0][1] == kind,
             "12. /metrics names the instance (host:port by default) and its store", repr(info))
    status, b = gem.request("GET", "/v1/berichten/%s/ack" % mid)
    ck.equal(status, 405, "12. GET on .../ack: 405")
    status, b = gem.request("GET", "/v1/nothing")
    ck.equal(status, 404, "12. an unknown path: 404")

    # Every sample, from the certificate of its Afzender: no 5xx, and below
    # no BSN of any of them in the log (rejected ones included: CS002 is
    # about the BSN itself).
    five = []
    names = sorted(n for n in os.listdir(os.path.join(ctx.src, "samples")) if n.endswith(".xml"))
    for name in names:
        b = ctx.sample(name)
        m = re.search(rb"<(?:\w+:)?Afzender>\s*(\d+)\s*<", b)
        c = aan if m and m.group(1) == g.AANBIEDER.encode() else gem
        status, j = post(c, b)
        if status >= 500:
            five.append((name, status, j))
    ck.check(not five, "12. every one of the %d samples gets an answer below 500" % len(names),
             repr(five[:5]))
    gem.close()
    aan.close()
    d.stop(ck)
    log = d.all_logs()
    numbers = set()
    for b in posted:
        numbers |= g.bsns(b)
    leaked = sorted(n for n in numbers if n in log)
    ck.check(numbers and not leaked,
             "12. no BSN of the %d posted messages is in the daemon's log" % len(posted),
             "found %r" % leaked)


if __name__ == "__main__":
    g.run("api", body)
