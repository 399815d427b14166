#!/usr/bin/env python3
"""test_crl.py: client_crl, the CRLs of `pki revoke`, in the real daemon.

A revoked party gets no TLS connection while the others work; `serve -n`
names the CRL's issuer and nextUpdate; a party revoked and a SIGHUP later is
refused on new connections; at the CRL's nextUpdate the daemon reads the
file again by itself; a CRL past its nextUpdate refuses every certificate of
its CA (fail closed, with a warning) until a newer one is read; a CRL file
that does not parse makes `serve -n` fail with the file and the reason, and
a SIGHUP keep the CRLs it had. With two CAs in client_ca and a CRL of one,
only the client's certificate is checked and the other CA's parties are
refused; with a CRL of each, every certificate of the chain.

    test_crl.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

THIRD = "42420002"


def attempt(d, party):
    return g.attempt(d.port, d.pki.path("ca.pem"), *d.pki.cert(party))


def works(ck, d, party, what):
    r = attempt(d, party)
    ck.check(r == (200, b"ok\n"), what + ": " + party + " gets GET /healthz 200", repr(r))


def refused(ck, d, party, what):
    r = attempt(d, party)
    ck.check(isinstance(r, BaseException), what + ": " + party + " gets no TLS connection",
             "got an answer: %r" % (r,))


def revoke(ctx, pki, *args):
    subprocess.run([ctx.binary, "pki", "revoke", pki.dir] + list(args), check=True,
                   stdout=subprocess.PIPE, timeout=60)


def check_config(ctx, pki):
    return subprocess.run([ctx.binary, "serve", "-n", "-c", pki.ini_path], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60)


def sighup(ck, d, pattern, what):
    since = d.log_size()
    d.signal(signal.SIGHUP)
    ck.check(d.wait_log(pattern, since=since), what, d.log()[since:][-2000:])


def revocation(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    pki.ca.issue(THIRD, THIRD, org="aanbieder")
    (pki.ini().set("gateway", "client_crl", "crl.pem")
     .set("party " + THIRD, "kind", "aanbieder").set("party " + THIRD, "certificate_cn", THIRD)
     .save())
    revoke(ctx, pki, g.AANBIEDER)

    r = check_config(ctx, pki)
    ck.check(r.returncode == 0 and re.search(
        r"client_crl: issuer CN=ijw-gateway development CA, 1 revoked, next update "
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.stdout) and
        "checked for every certificate of a client's chain" in r.stdout,
        "serve -n names the CRL's issuer, its entries and its nextUpdate", r.stdout + r.stderr)

    d = ctx.daemon(pki, "crl").start()
    works(ck, d, g.GEMEENTE, "with 42420001 revoked")
    works(ck, d, THIRD, "with 42420001 revoked")
    refused(ck, d, g.AANBIEDER, "revoked")
    fp = subprocess.run(["openssl", "x509", "-in", pki.cert(g.AANBIEDER)[0], "-noout",
                         "-fingerprint", "-sha256"], check=True, stdout=subprocess.PIPE,
                        text=True).stdout.split("=", 1)[1].strip().replace(":", "").lower()
    ck.check(d.wait_log(r" warn tls_handshake_failed address=127\.0\.0\.1 port=\d+ "
                        r"alert_sent=\"certificate revoked\" cert_sha256=%s "
                        r"verify_error=\"certificate revoked\" depth=0\n" % fp),
             "the refused handshake is logged with the address, the certificate's "
             "fingerprint and the reason", d.log()[-2000:])
    gem = d.client(g.GEMEENTE)
    ck.equal(gem.healthz()[0], 200, "0384's keep-alive connection works")
    port = gem.local_port()

    revoke(ctx, pki, g.GEMEENTE)
    sighup(ck, d, r" info reloaded ", "0384 revoked and SIGHUP: the daemon reloads")
    refused(ck, d, g.GEMEENTE, "revoked, after SIGHUP")
    refused(ck, d, g.AANBIEDER, "still revoked, after SIGHUP")
    works(ck, d, THIRD, "after SIGHUP")
    status, _ = gem.healthz()
    ck.check(status == 200 and gem.local_port() == port,
             "0384's connection established before the reload keeps its context", repr(status))
    gem.close()

    # the file read again at its nextUpdate, without a signal
    revoke(ctx, pki, "--next-update", "10")
    sighup(ck, d, r" info reloaded ", "a CRL with a nextUpdate 10 s away, and SIGHUP")
    since = d.log_size()
    revoke(ctx, pki, THIRD)
    works(ck, d, THIRD, "revoked in the file, before the nextUpdate of the CRL read")
    m = d.wait_log(r" info crl_reloaded file=\S+ crls=1", timeout=40, since=since)
    ck.check(m, "at the nextUpdate the daemon reads the file again (crl_reloaded)",
             d.log()[since:][-2000:])
    refused(ck, d, THIRD, "revoked, after the nextUpdate")

    # a file that does not parse: serve -n says where and why, SIGHUP keeps the CRLs
    with open(pki.path("crl.pem")) as f:
        good = f.read()
    for what, text, says in (
            ("a CRL that does not parse",
             "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
             r"crl\.pem: CRL 1 does not parse: "),
            ("a second CRL that does not parse",
             good + "-----BEGIN X509 CRL-----\nnot base64\n-----END X509 CRL-----\n",
             r"crl\.pem: CRL 2 does not parse: "),
            ("no CRL at all", "nothing\n", r"crl\.pem: holds no CRL"),
            ("a CRL of another CA",
             None, r"crl\.pem: CRL 1, of /CN=ijw-gateway development CA, is not signed by "
                   r"that CA")):
        if text is None:
            other = ctx.pki("pki-other")
            revoke(ctx, other)
            with open(other.path("crl.pem")) as f:
                text = f.read()
        with open(pki.path("crl.pem"), "w") as f:
            f.write(text)
        r = check_config(ctx, pki)
        ck.check(r.returncode == 2 and re.search(re.escape(pki.ini_path) + r": \S*" + says,
                                                 r.stderr),
                 "%s: serve -n fails with the file and the reason" % what, r.stderr + r.stdout)
        sighup(ck, d, r" error reload_failed error=\S*" + says,
               "%s: SIGHUP is refused with the reason" % what)
        refused(ck, d, THIRD, "%s: the CRLs before stay" % what)
    with open(pki.path("crl.pem"), "w") as f:
        f.write(good)
    d.stop(ck)


def expired(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-expired")
    pki.ini().set("gateway", "client_crl", "crl.pem").save()
    revoke(ctx, pki, "--next-update", "1")
    time.sleep(2)

    r = check_config(ctx, pki)
    ck.check(r.returncode == 2 and "the CRL of CN=ijw-gateway development CA is past its next "
             "update" in r.stderr, "an expired CRL: serve -n fails and says so",
             r.stderr + r.stdout)

    d = ctx.daemon(pki, "expired").start()
    ck.check(d.wait_log(r" warn crl_expired file=\S+ issuer=\"CN=ijw-gateway development CA\" "
                        r"next_update=\d+ "),
             "an expired CRL: the daemon warns at its start (crl_expired)", d.log()[-2000:])
    refused(ck, d, g.GEMEENTE, "an expired CRL of its CA (fail closed)")
    ck.check(d.wait_log(r" warn tls_handshake_failed address=127\.0\.0\.1 port=\d+ "
                        r"alert_sent=\"[^\"]+\" cert_sha256=[0-9a-f]{64} "
                        r"verify_error=\"CRL has expired\" depth=0\n"),
             "the handshake refused for an expired CRL is logged so", d.log()[-2000:])
    refused(ck, d, g.AANBIEDER, "an expired CRL of its CA (fail closed)")
    revoke(ctx, pki)
    sighup(ck, d, r" info reloaded ", "a newer CRL and SIGHUP")
    works(ck, d, g.GEMEENTE, "a newer CRL read")
    d.stop(ck)


def two_cas(ctx):
    """client_ca with two CAs, client_crl with a CRL of one, then of both."""
    ck = ctx.checks
    pki = ctx.pki("pki-two")
    second = g.CA.new(os.path.join(ctx.tmp, "second-ca"), "second CA")
    cert, key = second.issue("42420003", "42420003", org="aanbieder")
    with open(pki.path("cas.pem"), "w") as out:
        for f in (pki.path("ca.pem"), second.cert):
            with open(f) as f:
                out.write(f.read())
    (pki.ini().set("gateway", "client_ca", "cas.pem").set("gateway", "client_crl", "crl.pem")
     .set("party 42420003", "kind", "aanbieder").set("party 42420003", "certificate_cn", "42420003")
     .save())
    revoke(ctx, pki)
    r = check_config(ctx, pki)
    ck.check(r.returncode == 0 and "checked for the client's own certificate (not every CA of "
             "client_ca has a CRL)" in r.stdout,
             "a CRL of one CA of two: serve -n says only the client's own certificate is checked",
             r.stdout + r.stderr)
    d = ctx.daemon(pki, "two").start()
    works(ck, d, g.GEMEENTE, "the CA with a CRL")
    r = g.attempt(d.port, pki.path("ca.pem"), cert, key)
    ck.check(isinstance(r, BaseException), "a party of the CA without a CRL is refused", repr(r))
    ck.check(d.wait_log(r" warn tls_handshake_failed address=127\.0\.0\.1 port=\d+ "
                        r"alert_sent=\"[^\"]+\" cert_sha256=[0-9a-f]{64} "
                        r"verify_error=\"unable to get certificate CRL\" depth=0\n"),
             "... and the log says why", d.log()[-2000:])

    g._openssl("ca", "-gencrl", "-config", second.conf, "-cert", second.cert, "-keyfile",
               second.key, "-crldays", "1", "-out", os.path.join(ctx.tmp, "second.crl"))
    with open(os.path.join(ctx.tmp, "second.crl")) as f, open(pki.path("crl.pem"), "a") as out:
        out.write(f.read())
    r = check_config(ctx, pki)
    ck.check(r.returncode == 0 and "2 CRLs; checked for every certificate of a client's chain"
             in r.stdout, "a CRL of each CA: serve -n says every certificate is checked",
             r.stdout + r.stderr)
    sighup(ck, d, r" info reloaded ", "with the second CA's CRL added, SIGHUP")
    r = g.attempt(d.port, pki.path("ca.pem"), cert, key)
    ck.check(r == (200, b"ok\n"), "the party of the second CA gets GET /healthz 200", repr(r))
    works(ck, d, g.GEMEENTE, "two CRLs")
    d.stop(ck)


def body(ctx):
    revocation(ctx)
    expired(ctx)
    two_cas(ctx)


if __name__ == "__main__":
    g.run("crl", body)
