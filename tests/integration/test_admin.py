#!/usr/bin/env python3
"""test_admin.py: the admin listener over plain HTTP(S) requests.

/healthz and /readyz answer anyone; /metrics and /admin/v1/ want the token
of admin.token (401 without it and with a wrong one) and the party API no
longer serves /metrics (404). /metrics has the queues' gauges per party;
the JSON API lists messages with filters (a bad one is a 400 that names
it), a message's life and retours, the parties with their queues and the
rejections by rule per day. The console's login sets a session cookie
(HttpOnly, SameSite=Strict), a form with a forged CSRF token is refused,
and logins and failed logins are audited. With admin_tls the listener
speaks TLS: an admin certificate of admin_certificates is let in without a
token, a party's certificate gets nothing, and the cookie is Secure. A
non-loopback admin_listen without admin_tls is refused at the start, and
admin_listen = off opens no listener.

    test_admin.py BINARY SOURCE_DIR SHARED_DIR
"""
import datetime
import hashlib
import os
import re
import ssl
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def fingerprint(pem_path):
    with open(pem_path) as f:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(f.read())).hexdigest()


def login(admin, token):
    """POST /console/login: (status, Set-Cookie, Location)."""
    body = urllib.parse.urlencode({"token": token}).encode()
    status, _ = admin.request("POST", "/console/login", body,
                              {"Content-Type": "application/x-www-form-urlencoded"})
    return status, admin.headers.get("set-cookie", ""), admin.headers.get("location", "")


def audit_actions(pki, action):
    return g.store_query(pki.store, "SELECT party, message, detail FROM audit WHERE action = ?"
                         " ORDER BY id", (action,))


def plain(ctx, pki, d):
    ck = ctx.checks
    gem, anon = d.client(g.GEMEENTE), d.admin(token=None)

    for path in ("/healthz", "/readyz"):
        status, body = anon.request("GET", path)
        ck.check(status == 200, "%s on the admin listener without a token: 200" % path,
                 "%r %r" % (status, body))
    status, body = anon.request("GET", "/metrics")
    ck.check(status == 401 and b"Bearer" in body
             and "bearer" in anon.headers.get("www-authenticate", "").lower(),
             "/metrics without a token: 401 that says how to authenticate", repr(body))
    status, body = d.admin(token="0" * 64).request("GET", "/metrics")
    ck.equal(status, 401, "/metrics with the wrong token: 401")
    status, body = d.admin(token="0" * 64).request("GET", "/admin/v1/messages")
    ck.equal(status, 401, "/admin/v1/messages with the wrong token: 401")
    status, body = gem.request("GET", "/metrics")
    ck.equal(status, 404, "the party API no longer serves /metrics: 404")

    # data: two JW301s (automatic JW302s answer them) and a rejected one
    ids = []
    for seed in (1, 2):
        status, j = gem.post(ctx.generate("JW301", seed))
        ck.check(status == 201, "JW301 seed %d: 201" % seed, "%r %r" % (status, j))
        ids.append(int(j["id"]))
    status, j = gem.post(ctx.sample("JW301-TR002-invalid.xml"))
    ck.equal(status, 422, "a JW301 that breaks TR002: 422")

    admin = d.admin()
    text = admin.metrics()
    ck.check(re.search(r'^ijw_unacked_messages\{party="%s"\} 2$' % g.AANBIEDER, text, re.M),
             "/metrics: ijw_unacked_messages of %s is 2" % g.AANBIEDER,
             "\n".join(l for l in text.splitlines() if "unacked" in l))
    ck.check(re.search(r'^ijw_unacked_oldest_age_seconds\{party="%s"\} \d+$' % g.AANBIEDER,
                       text, re.M), "/metrics: the age of its oldest unacknowledged")
    ck.check(re.search(r'^ijw_pushes_given_up\{party="%s"\} 0$' % g.AANBIEDER, text, re.M)
             and re.search(r"^ijw_judging_waiting 0$", text, re.M)
             and re.search(r"^ijw_judging_running 0$", text, re.M),
             "/metrics: the pushes given up and the judging queue")
    ck.check("ijw_messages_total{" in text, "/metrics keeps the counters")

    status, j = admin.jrequest("GET", "/admin/v1/messages?type=JW301&sender=%s" % g.GEMEENTE)
    got = [int(m["id"]) for m in j.get("messages", [])] if status == 200 else j
    ck.equal(got, ids[::-1], "/admin/v1/messages?type=JW301&sender=...: the two, newest first")
    status, j = admin.jrequest("GET", "/admin/v1/messages?type=JW302&limit=1")
    ck.check(status == 200 and len(j["messages"]) == 1 and j["next_before"],
             "limit=1: one message and where the next page begins", repr(j))
    for query, word in (("status=nonsense", "status"), ("from=2026-13-01", "from"),
                        ("party=12", "party"), ("type=JW999", "type"), ("limit=0", "limit")):
        status, j = admin.jrequest("GET", "/admin/v1/messages?" + query)
        ck.check(status == 400 and j.get("message", "").startswith(word + ":"),
                 "a bad filter (%s): 400 naming %s" % (query, word), repr(j))
    status, j = admin.jrequest("GET", "/admin/v1/messages/%d" % ids[0])
    ck.check(status == 200 and j.get("type") == "JW301" and len(j.get("retours", [])) == 1
             and j["retours"][0]["type"] == "JW302",
             "/admin/v1/messages/{id}: its life, with its retour JW302", repr(j))
    status, j = admin.jrequest("GET", "/admin/v1/messages/999999")
    ck.equal(status, 404, "/admin/v1/messages/{id} of no message: 404")
    status, j = admin.jrequest("POST", "/admin/v1/messages/%d/redeliver" % ids[0], b"")
    ck.equal(status, 404, "redeliver of a message without a given-up push: 404")
    status, j = admin.jrequest("GET", "/admin/v1/parties")
    parties = {p["code"]: p for p in j.get("parties", [])} if status == 200 else {}
    ck.check(parties.get(g.AANBIEDER, {}).get("queue", {}).get("unacked") == 2
             and parties[g.AANBIEDER]["retour"] == "auto" and g.GEMEENTE in parties,
             "/admin/v1/parties: the parties, their settings and queues", repr(j))
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    status, j = admin.jrequest("GET", "/admin/v1/rejections?from=%s&to=%s" % (today, today))
    rows = j.get("rejections", []) if status == 200 else j
    ck.check(any(r["rule"] == "TR002" and r["day"] == today and r["n"] >= 1 for r in rows),
             "/admin/v1/rejections: TR002 today", repr(rows))

    # the console: login, the cookie, a forged CSRF token
    status, cookie, where = login(anon, "not the token")
    ck.check(status == 401 and not cookie, "a login with the wrong token: 401, no cookie")
    status, cookie, where = login(anon, open(pki.path("admin.token")).read().strip())
    ck.check(status == 303 and where == "/console/messages" and "HttpOnly" in cookie
             and "SameSite=Strict" in cookie and "Secure" not in cookie,
             "a login with the token: a session cookie, HttpOnly and SameSite=Strict", cookie)
    session = cookie.split(";")[0]
    status, page = anon.request("GET", "/console/messages", headers={"Cookie": session})
    h = anon.headers
    ck.check(status == 200 and b'id="messages"' in page
             and "default-src 'self'" in h.get("content-security-policy", "")
             and h.get("x-frame-options") == "DENY",
             "the session opens the console, with CSP and X-Frame-Options", repr(h))
    csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page)
    forged = urllib.parse.urlencode({"csrf": "1" * 64}).encode()
    status, body = anon.request("POST", "/console/messages/%d/unmask" % ids[0], forged,
                                   {"Cookie": session,
                                    "Content-Type": "application/x-www-form-urlencoded"})
    ck.check(status == 403 and b"csrf" in body, "an unmask with a forged CSRF token: 403",
             repr(body))
    ck.equal(audit_actions(pki, "unmasked"), [], "... and nothing is unmasked nor audited")
    status, body = anon.request("GET", "/console/messages")
    ck.check(status == 303 and anon.headers.get("location") == "/console/login",
             "the console without a session: to the login page")
    ck.check(csrf is not None, "the console's pages carry the session's CSRF token")
    logins = audit_actions(pki, "login")
    failed = audit_actions(pki, "login_failed")
    ck.check(len(logins) == 1 and logins[0][0] == "admin" and len(failed) >= 2,
             "logins and failed logins (token and bearer) are audited",
             "%r %r" % (logins, failed))
    ck.check(re.search(r" access listener=admin remote=127\.0\.0\.1:\d+ party=admin "
                       r"method=GET path=/metrics status=200 ", d.log()),
             "the access log has the admin requests")


def with_tls(ctx, pki):
    ck = ctx.checks
    admin_fp = fingerprint(pki.path("admin.pem"))
    ini = pki.path("tls.ini")
    (pki.ini().set("gateway", "admin_tls", "yes")
     .set("gateway", "admin_listen", "0.0.0.0")
     .set("gateway", "admin_certificates", ":".join(re.findall("..", admin_fp)).upper())
     .save(ini))
    d = ctx.daemon(pki, "tls", ini).start()
    ck.check(d.admin_tls, "admin_tls = yes: the admin listener says tls=yes")
    operator = d.admin(token=None, cert=pki.path("admin.pem"), key=pki.path("admin.key"))
    status, body = operator.request("GET", "/metrics")
    ck.check(status == 200 and b"ijw_start_time_seconds" in body,
             "admin_tls: the admin certificate gets /metrics without a token", repr(status))
    # a browser sends its certificate on a request another site makes: forms need a token
    mid = 1  # the first JW301 of the run before, on the same store
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, body = operator.request("POST", "/console/messages/%s/unmask" % mid, b"", form)
    ck.equal(status, 403, "admin_tls: the certificate's form without its CSRF token: 403")
    status, page = operator.request("GET", "/console/messages/%s" % mid)
    csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page)
    status, page = operator.request("POST", "/console/messages/%s/unmask" % mid,
                                    b"csrf=" + (csrf.group(1) if csrf else b""), form)
    ck.check(status == 200 and b'id="unmasked"' in page,
             "... with the token of its page: unmasked", repr(status))
    ck.equal([(p, m, c) for p, m, c in g.store_query(
        pki.store, "SELECT party, message, cert FROM audit WHERE action = 'unmasked'")],
             [("admin", int(mid), admin_fp)],
             "... audited with the certificate's CN and fingerprint")
    cert, key = pki.cert(g.GEMEENTE)
    status, body = d.admin(token=None, cert=cert, key=key).request("GET", "/metrics")
    ck.equal(status, 403, "admin_tls: a party's certificate gets nothing (403)")
    status, body = d.admin(token=None, cert=cert, key=key).request("GET",
                                                                     "/admin/v1/parties")
    ck.equal(status, 403, "admin_tls: ... nor the API")
    status, body = d.admin(token=None).request("GET", "/metrics")
    ck.equal(status, 401, "admin_tls: no certificate and no token: 401")
    status, body = d.admin().request("GET", "/metrics")
    ck.equal(status, 200, "admin_tls: the token still works")
    status, cookie, _ = login(d.admin(token=None), open(pki.path("admin.token")).read().strip())
    ck.check(status == 303 and "; Secure" in cookie, "admin_tls: the session cookie is Secure",
             cookie)
    d.stop(ck, what="the daemon with admin_tls")


def refused(ctx, pki):
    ck = ctx.checks
    ini = pki.path("open.ini")
    pki.ini().set("gateway", "admin_listen", "0.0.0.0").save(ini)
    r = subprocess.run([ctx.binary, "serve", "-c", ini], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    err = r.stderr.decode(errors="replace")
    ck.check(r.returncode != 0 and "admin_listen = 0.0.0.0 is not a loopback address" in err
             and "admin_tls" in err and "open.ini:" in err,
             "a non-loopback admin_listen without admin_tls is refused at the start", err)
    ini = pki.path("off.ini")
    pki.ini().set("gateway", "admin_listen", "off").save(ini)
    d = ctx.daemon(pki, "off", ini).start()
    ck.check(d.admin_port is None and " admin_listening " not in d.log(),
             "admin_listen = off: no admin listener")
    d.stop(ck, what="the daemon without an admin listener")


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    st = os.stat(pki.path("admin.token"))
    token = open(pki.path("admin.token")).read().strip()
    ck.check(st.st_mode & 0o777 == 0o600 and re.fullmatch("[0-9a-f]{64}", token),
             "pki init writes admin.token: 256 random bits in hex, mode 0600")
    d = ctx.daemon(pki).start()
    ck.check(d.admin_port and d.admin_port != d.port,
             "the admin listener names its port in admin_listening")
    plain(ctx, pki, d)
    d.stop(ck)
    with_tls(ctx, pki)
    refused(ctx, pki)


if __name__ == "__main__":
    g.run("test_admin", body)
