#!/usr/bin/env python3
"""test_pki.py: a gateway made by `pki init` and `pki add-party`, as it is.

pki init makes 0384 and 42420001, the latter with --delivery push to a
receiver written here that serves with 42420001-push.pem and demands the
gateway's client certificate: a JW301 from 0384 is pushed to it. Party 0384
is named by the fingerprints of two certificates (its old one and a new one,
a rollover: one on a line, one in a list with a stranger's): each posts,
a third certificate with the same CN gets 403. pki add-party adds 42420002
while the gateway runs: its certificate gets 403 until SIGHUP, then posts.

    test_pki.py BINARY SOURCE_DIR SHARED_DIR
"""
import hashlib
import os
import signal
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

NEW = "42420002"


def fingerprint(pem_path):
    with open(pem_path) as f:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(f.read())).hexdigest()


def colons(hexdigits):
    return ":".join(hexdigits[i:i + 2] for i in range(0, 64, 2)).upper()


def body(ctx):
    ck = ctx.checks
    reserved = g.reserve_port()
    url = "https://127.0.0.1:%d/inbox" % reserved.getsockname()[1]
    pki = ctx.pki(args=["--delivery", "push", "--push-url", url])
    ini = pki.ini()
    ck.equal(ini.section("party " + g.AANBIEDER).get("push_url"), url,
             "pki init: the push party's section has its push_url")
    ck.check(os.path.exists(pki.path(g.AANBIEDER + "-push.pem")),
             "pki init: the push party has a certificate for its endpoint")

    # 0384 by two fingerprints: the certificate of pki init and a new one
    new_cert = pki.ca.issue("0384-new", g.GEMEENTE, org="gemeente")
    stranger = pki.ca.issue("0384-stranger", g.GEMEENTE, org="gemeente")
    old_fp, new_fp = fingerprint(pki.path("0384.pem")), fingerprint(new_cert[0])
    gem_section = ini.section("party " + g.GEMEENTE)
    del gem_section["certificate_cn"]
    gem_section["certificate_sha256"] = colons(old_fp)
    (ini.set("gateway", "retry_initial", 1).set("gateway", "retry_max", 2)
     .cross_checks_off().save())
    with open(pki.ini_path, encoding="utf-8") as f:
        text = f.read()
    one_line = "certificate_sha256 = %s\n" % colons(old_fp)
    before = text.replace(one_line, one_line + "certificate_sha256 = %s, %s\n"
                          % (new_fp, "ab" * 32))
    with open(pki.ini_path, "w", encoding="utf-8") as f:
        f.write(before)

    rx = g.Receiver(pki.path("ca.pem"), pki.path(g.AANBIEDER + "-push.pem"),
                    pki.path(g.AANBIEDER + "-push.key"), sock=reserved).start()
    d = ctx.daemon(pki).start()

    # ---- rollover: the old and the new certificate, not a third ----
    old = d.client(g.GEMEENTE)
    first = ctx.generate("JW301", 41)
    status, j = old.post(first)
    ck.check(status == 201, "rollover: 0384's old certificate posts a JW301 (201)",
             "%r %r" % (status, j))
    new = g.Client(d.port, pki.path("ca.pem"), *new_cert)
    status, j = new.post(ctx.generate("JW301", 42))
    ck.check(status == 201, "rollover: 0384's new certificate posts a JW301 (201)",
             "%r %r" % (status, j))
    other = g.Client(d.port, pki.path("ca.pem"), *stranger)
    status, j = other.post(ctx.generate("JW301", 43))
    ck.equal(status, 403, "rollover: a third certificate with CN 0384 but neither "
             "fingerprint gets 403")
    other.close()

    # ---- the push party gets it at its endpoint, served with X-push.pem ----
    ck.check(rx.wait_for([g.sha(first)], 20),
             "push: the JW301 arrives at the receiver serving %s-push.pem" % g.AANBIEDER)
    ck.equal(rx.peers, {"ijw-gateway"}, "push: the gateway presents its client certificate")

    # ---- add-party while the gateway runs ----
    ca_before = [open(pki.path(n), "rb").read() for n in ("ca.pem", "ca.key")]
    r = subprocess.run([ctx.binary, "pki", "add-party", pki.dir, "--party",
                        "aanbieder:" + NEW], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    ck.check(r.returncode == 0, "add-party: exit 0", r.stderr.decode(errors="replace"))
    ck.check(b"SIGHUP" in r.stdout, "add-party: it says a running gateway takes it at SIGHUP",
             r.stdout.decode(errors="replace"))
    ck.equal([open(pki.path(n), "rb").read() for n in ("ca.pem", "ca.key")], ca_before,
             "add-party: ca.pem and ca.key are unchanged")
    with open(pki.ini_path, encoding="utf-8") as f:
        after = f.read()
    ck.check(after.startswith(before) and "\n[party %s]\n" % NEW in after[len(before):],
             "add-party: gateway.ini is kept as it was, the new section after it")
    added = g.Client(d.port, pki.path("ca.pem"), *pki.cert(NEW))
    jw315 = ctx.generate("JW315", 44, aanbieder=NEW)
    status, j = added.post(jw315)
    ck.equal(status, 403, "add-party: before SIGHUP the new party's certificate gets 403")
    added.close()
    d.signal(signal.SIGHUP)
    ck.check(d.wait_log(r" info reloaded parties=3"), "add-party: SIGHUP reloads 3 parties",
             d.log()[-2000:])
    status, j = added.post(jw315)
    ck.check(status == 201, "add-party: after SIGHUP the new party posts a JW315 (201)",
             "%r %r" % (status, j))
    listed = [m for m in old.inbox()[1]["berichten"] if m["from"] == NEW]
    ck.equal(len(listed), 1, "add-party: its message is in 0384's inbox")
    for c in (old, new, added):
        c.close()
    rx.stop()
    d.stop(ck)


if __name__ == "__main__":
    g.run("test_pki", body)
