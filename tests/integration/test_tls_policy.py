#!/usr/bin/env python3
"""test_tls_policy.py: the TLS versions, cipher suites and groups the daemon takes.

Two daemons, one with the EC server certificate of pki init and one with an
RSA certificate, so that every key exchange and authentication has a server
that could use it. Every TLS 1.2 cipher suite that `openssl ciphers -v` lists
and a client of Python's ssl can offer is offered on its own to both: the six
of GW_TLS_CIPHERS_12 are taken by the daemon whose certificate fits them,
every other one is refused by both with an alert. TLS 1.0 and 1.1 are
refused. With `openssl s_client`: the three TLS 1.3 suites and the four
groups are taken, TLS_AES_128_CCM_SHA256 and other groups are not, and the
server refuses renegotiation.

    test_tls_policy.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import ssl
import subprocess
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

ALLOWED_12 = ("ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256").split(":")
SUITES_13 = ("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256")
GROUPS = ("X25519", "X448", "secp384r1", "prime256v1")
# Key exchanges a client needs a pre-shared key or an SRP password for.
NOT_OFFERABLE = ("PSK", "DHEPSK", "ECDHEPSK", "RSAPSK", "SRP")


def suites_12():
    """(name, Kx, Au) of every suite openssl knows that TLS 1.2 can use."""
    out = subprocess.run(["openssl", "ciphers", "-v", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    found = []
    for line in out.splitlines():
        f = line.split()
        if len(f) < 4 or f[1] == "TLSv1.3":
            continue
        kv = dict(x.split("=", 1) for x in f[2:] if "=" in x)
        found.append((f[0], kv.get("Kx", ""), kv.get("Au", "")))
    return found


def handshake(port, ca, cert, key, version, ciphers):
    """(protocol, cipher, HTTP status) of GET /healthz, or the exception raised."""
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.load_verify_locations(ca)
    c.load_cert_chain(cert, key)
    with warnings.catch_warnings():  # TLS 1.0 and 1.1 are deprecated: offered on purpose
        warnings.simplefilter("ignore", DeprecationWarning)
        c.minimum_version = c.maximum_version = version
    c.set_ciphers(ciphers)
    cl = g.Client(port, ca, timeout=20)
    cl.ctx = c
    try:
        cl.connect()
        status, _ = cl.request("GET", "/healthz")
        return cl.conn.sock.version(), cl.conn.sock.cipher()[0], status
    except g.REFUSED as e:
        return e
    finally:
        cl.close()


def refused_by_server(r):
    """Whether r is the failure of a handshake the server ended with an alert."""
    return isinstance(r, ssl.SSLError) and "alert" in str(r).lower()


def s_client(port, pki, *args, stdin=None):
    """What openssl s_client prints; by default it asks GET /healthz and reads the answer."""
    cert, key = pki.cert(g.GEMEENTE)
    if stdin is None:
        args += ("-ign_eof",)
        stdin = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    r = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port,
                        "-CAfile", pki.path("ca.pem"), "-cert", cert, "-key", key,
                        "-verify_return_error"] + list(args),
                       input=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=30)
    return r.stdout.decode(errors="replace")


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    d_ec = ctx.daemon(pki, "ecdsa").start()
    pki_rsa = ctx.pki("pki-rsa")
    rsa_cert, rsa_key = pki_rsa.ca.issue("server-rsa", "localhost", kind="server",
                                         newkey=("rsa:2048",))
    (pki_rsa.ini().set("gateway", "certificate", rsa_cert)
     .set("gateway", "private_key", rsa_key).save())
    d_rsa = ctx.daemon(pki_rsa, "rsa").start()
    servers = (("ECDSA", d_ec, pki), ("RSA", d_rsa, pki_rsa))

    accepted, refused, skipped = [], [], []
    for name, kx, au in suites_12():
        if kx in NOT_OFFERABLE:
            skipped.append(name)
            continue
        results = {}
        try:
            for cert_kind, d, p in servers:
                results[cert_kind] = handshake(d.port, p.path("ca.pem"), *p.cert(g.GEMEENTE),
                                               ssl.TLSVersion.TLSv1_2, name + ":@SECLEVEL=0")
        except ssl.SSLError:  # set_ciphers: this client cannot offer it
            skipped.append(name)
            continue
        if name in ALLOWED_12:
            r = results[au]
            if ck.check(r == ("TLSv1.2", name, 200),
                        "TLS 1.2 %s: taken by the server with the %s certificate" % (name, au),
                        repr(r)):
                accepted.append(name)
        else:
            if ck.check(all(refused_by_server(r) for r in results.values()),
                        "TLS 1.2 %s (Kx=%s Au=%s): refused by both servers" % (name, kx, au),
                        repr(results)):
                refused.append(name)
    ck.check(sorted(accepted) == sorted(ALLOWED_12),
             "every suite of GW_TLS_CIPHERS_12 was offered and taken", repr(accepted))
    ck.check(len(refused) > 50, "more than 50 other TLS 1.2 suites were offered and refused",
             repr(refused))
    ck.info("accepted (%d): %s" % (len(accepted), " ".join(accepted)))
    ck.info("refused (%d): %s" % (len(refused), " ".join(refused)))
    ck.info("not offered, a client needs a PSK or SRP secret for them (%d): %s"
            % (len(skipped), " ".join(skipped)))

    for label, version in (("TLS 1.0", ssl.TLSVersion.TLSv1), ("TLS 1.1", ssl.TLSVersion.TLSv1_1)):
        for cert_kind, d, p in servers:
            r = handshake(d.port, p.path("ca.pem"), *p.cert(g.GEMEENTE), version,
                          "ALL:@SECLEVEL=0")
            ck.check(refused_by_server(r), "%s: refused by the server with the %s certificate"
                     % (label, cert_kind), repr(r))

    for suite in SUITES_13:
        out = s_client(d_ec.port, pki, "-tls1_3", "-ciphersuites", suite)
        ck.check(re.search(r"TLSv1.3, Cipher is %s\b" % suite, out) and "200 OK" in out,
                 "TLS 1.3 %s: taken" % suite, out[-1500:])
    out = s_client(d_ec.port, pki, "-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_SHA256")
    ck.check("alert handshake failure" in out and "200 OK" not in out, "TLS 1.3 TLS_AES_128_CCM_SHA256: refused",
             out[-1500:])

    # Under TLS 1.2 the client's groups are the curves its ECDSA key may
    # use too: the RSA server answers, and P-256 stays in the list, after the
    # group under test, which the server prefers
    for version, d, p in (("-tls1_3", d_ec, pki), ("-tls1_2", d_rsa, pki_rsa)):
        for group in GROUPS:
            offer = group if version == "-tls1_3" or group == "prime256v1" \
                else group + ":prime256v1"
            out = s_client(d.port, p, version, "-groups", offer)
            ck.check(re.search(r"Server Temp Key: (%s|ECDH, %s)" % (group, group), out)
                     and "200 OK" in out,
                     "%s group %s: taken" % (version[1:], group), out[-1500:])
        for group in ("secp521r1", "ffdhe2048", "ffdhe3072"):
            out = s_client(d.port, p, version, "-groups", group)
            ck.check("alert handshake failure" in out and "200 OK" not in out,
                     "%s group %s: refused" % (version[1:], group), out[-1500:])

    # s_client renegotiates on a line "R"; the server answers with an alert
    out = s_client(d_ec.port, pki, "-tls1_2", stdin=b"R\n")
    ck.check("RENEGOTIATING" in out and "no renegotiation" in out.lower(),
             "TLS 1.2: a renegotiation is refused", out[-1500:])
    out = s_client(d_ec.port, pki, "-tls1_2")
    ck.check(re.search(r"Compression: NONE", out), "TLS 1.2: no compression", out[-1500:])

    for _, d, _ in servers:
        d.stop(ck)


if __name__ == "__main__":
    g.run("tls_policy", body)
