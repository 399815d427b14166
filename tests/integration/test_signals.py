#!/usr/bin/env python3
"""test_signals.py: SIGHUP and SIGTERM of the real daemon.

SIGHUP: a third party added to the file can post after the reload while an
established keep-alive connection of 0384 goes on working; a broken file
keeps the old configuration (reload_failed); a party taken out is refused,
also on its established connection.

SIGTERM with requests in flight: the requests being handled are answered,
the daemon exits with status 0, and after a restart every accepted message
is there, and every stored message was answered.

    test_signals.py BINARY SOURCE_DIR SHARED_DIR
"""
import json
import os
import re
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

THIRD = "42420002"


def reload(ck, d, ini_text, pattern, what):
    """Writes the configuration, sends SIGHUP, waits for the log line pattern."""
    with open(d.pki.ini_path, "w") as f:
        f.write(ini_text)
    since = d.log_size()
    d.signal(signal.SIGHUP)
    m = d.wait_log(pattern, timeout=20, since=since)
    ck.check(m, what, d.log()[since:][-2000:])
    return m


def sighup(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-hup")
    # the messages are generated one by one and form no conversation
    (pki.ini()
     .cross_checks_off()
     .save())
    d = ctx.daemon(pki, "hup").start()
    third_cert = pki.ca.issue(THIRD, THIRD, org="aanbieder")
    gem = d.client(g.GEMEENTE)
    status, b = gem.healthz()
    ck.equal(status, 200, "SIGHUP: 0384's keep-alive connection works")
    port = gem.local_port()
    third = g.Client(d.port, pki.path("ca.pem"), *third_cert)
    jw315 = ctx.generate("JW315", 15, aanbieder=THIRD)
    status, j = third.post(jw315)
    ck.equal(status, 403, "SIGHUP: before the reload the third party's certificate gets 403")
    third.close()

    good = pki.ini()
    good.set("party " + THIRD, "kind", "aanbieder").set("party " + THIRD, "certificate_cn", THIRD)
    # the messages are generated one by one and form no conversation
    good.cross_checks_off(THIRD)
    good_text = good.text()
    reload(ck, d, good_text, r" info reloaded parties=3",
           "SIGHUP: the daemon reloads the file with a third party (reloaded parties=3)")
    status, j = gem.inbox()
    ck.check(status == 200 and gem.local_port() == port,
             "SIGHUP: 0384's established keep-alive connection still works after the reload",
             "status %r, local port %r then %r" % (status, port, gem.local_port()))
    status, j = third.post(jw315)
    ck.check(status == 201, "SIGHUP: the new party can post (201)", "%r %r" % (status, j))
    listed = [m for m in gem.inbox()[1]["berichten"] if m["from"] == THIRD]
    ck.equal(len(listed), 1, "SIGHUP: its message is in 0384's inbox")
    status, j = gem.post(ctx.generate("JW301", 16, aanbieder=THIRD))
    ck.check(status == 201, "SIGHUP: 0384 can post to the new party (201)", "%r %r" % (status, j))

    # A broken file: the old configuration stays.
    for i, (what, text) in enumerate((
            ("a line that is not INI", good_text + "\nthis is not a setting\n"),
            ("an unknown setting", good_text.replace("[gateway]\n", "[gateway]\nfrobnicate = 1\n")),
            ("a certificate file that is not there",
             good_text.replace("certificate = ", "certificate = missing-", 1)),
            ("an empty file", ""))):
        reload(ck, d, text, r" error reload_failed ",
               "SIGHUP with %s: reload_failed is logged" % what)
        ck.check(d.alive(), "SIGHUP with %s: the daemon runs" % what)
        status, j = third.post(ctx.generate("JW315", 100 + i, aanbieder=THIRD))
        ck.check(status == 201, "SIGHUP with %s: the third party can still post" % what,
                 "%r %r" % (status, j))
        status, j = gem.inbox()
        ck.check(status == 200 and gem.local_port() == port,
                 "SIGHUP with %s: 0384's connection still works" % what, repr(status))

    # The third party taken out again: refused, also on its open connection.
    third.healthz()
    third_port = third.local_port()
    reload(ck, d, _without(good, THIRD), r" info reloaded parties=2",
           "SIGHUP: the file without the third party is reloaded (parties=2)")
    status, j = third.post(ctx.generate("JW315", 17, aanbieder=THIRD))
    ck.check(status == 403 and third.local_port() in (third_port, None),
             "SIGHUP: the removed party is refused on its established connection",
             "%r, local port %r then %r" % (status, third_port, third.local_port()))
    third.close()
    status, j = third.post(ctx.generate("JW315", 18, aanbieder=THIRD))
    ck.equal(status, 403, "SIGHUP: ... and on a new one")
    gem.close()
    d.stop(ck)


def _without(ini, party):
    ini.sections = [s for s in ini.sections if s[0] != "party " + party]
    return ini.text()


def sigterm(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-term")
    # debug: the daemon logs each message it has read whole, before judging it
    (pki.ini().set("gateway", "log_level", "debug")
     # the messages are generated one by one and form no conversation
     .cross_checks_off()
     .save())
    d = ctx.daemon(pki, "term").start()
    base = {t: ctx.generate(t, 1) for t in ("JW301", "JW305")}
    big = ctx.generate("JW323", 2, clients=5000)
    lock = threading.Lock()
    results = []  # (identificatie, body, sender, status or exception, answer)
    stop = threading.Event()

    def load(k):
        party = g.GEMEENTE if k % 2 == 0 else g.AANBIEDER
        kind = "JW301" if party == g.GEMEENTE else "JW305"
        c = d.client(party)
        for i in range(100000):
            if stop.is_set():
                break
            ident = "TM%02d%08d" % (k, i)
            b = g.set_identificatie(base[kind], ident)
            try:
                status, j = c.post(b)
            except Exception as e:
                with lock:
                    results.append((ident, b, party, e, None))
                break
            with lock:
                results.append((ident, b, party, status, j))
        c.close()

    big_sent = threading.Event()
    big_result = []

    def post_big():
        c = d.client(g.AANBIEDER)
        c.connect()
        try:
            c.conn.request("POST", "/v1/berichten", body=big,
                           headers={"Content-Type": "application/xml"})
            big_sent.set()
            r = c.conn.getresponse()
            big_result.append((r.status, r.read(), time.monotonic()))
        except Exception as e:
            big_sent.set()
            big_result.append((e, None, time.monotonic()))
        c.close()

    threads = [threading.Thread(target=load, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    while True:
        with lock:
            if len(results) >= 100:
                break
        time.sleep(0.005)
    tb = threading.Thread(target=post_big)
    tb.start()
    big_sent.wait(60)
    # SIGTERM while the 9 MB declaration is judged: the gateway has read all
    # of it (and said so), and it will store it and answer.
    busy = d.wait_log(r" debug message_received from=%s bytes=%d\b" % (g.AANBIEDER, len(big)),
                      timeout=60) is not None
    d.signal(signal.SIGTERM)
    try:
        rc = d.proc.wait(60)
    except Exception:
        rc = None
    stop.set()
    for t in threads + [tb]:
        t.join(60)
    log = d.log()
    ck.check(" info stopping signal=15" in log, "SIGTERM: the daemon logs stopping", log[-1500:])
    m = re.search(r" info stopping signal=15 in_flight=(\d+)", log)
    ck.check(busy and m and int(m.group(1)) >= 1,
             "SIGTERM: it came while the declaration was judged, with requests in flight "
             "(the log's in_flight >= 1)",
             m.group(0) if m else log[-1500:])
    big_status = big_result[0][0] if big_result else None
    # The answer to a request in flight is made when the store has spoken;
    # the event loop must go on until it is written to the socket.
    ck.check(big_status == 201,
             "a 9 MB declaration being judged when SIGTERM comes is answered 201",
             "got %r; the daemon's log: %s" % (big_result[:1], " | ".join(
                 l for l in log.splitlines() if "JW301" not in l and "JW305" not in l
                 and "JW302" not in l)))
    d.stop(ck, what="SIGTERM: the daemon")
    ck.equal(rc, 0, "SIGTERM: the exit status is 0")
    codes = {}
    for r in results:
        k = r[3] if isinstance(r[3], int) else type(r[3]).__name__
        codes[k] = codes.get(k, 0) + 1
    ck.info("SIGTERM: the load's outcomes: %r" % codes)
    ok = [r for r in results if isinstance(r[3], int) and 200 <= r[3] < 300]
    ck.check(all(200 <= r[3] < 300 or r[3] == 503 for r in results if isinstance(r[3], int)),
             "SIGTERM: every answer is a 2xx or 503 shutting down", repr(codes))

    d.start()
    clients = {p: d.client(p) for p in (g.GEMEENTE, g.AANBIEDER)}
    lost = []
    for ident, b, party, status, j in ok:
        receiver = g.AANBIEDER if party == g.GEMEENTE else g.GEMEENTE
        s, got = clients[receiver].get(j["id"])
        if s != 200 or got != b:
            lost.append((ident, j["id"], s))
    ck.check(ok and not lost, "SIGTERM: after a restart every one of the %d accepted messages "
             "is there byte for byte" % len(ok), repr(lost[:5]))
    rows = g.store_query(pki.store, "SELECT id FROM messages WHERE type = 'JW323'"
                                    " AND identificatie = ?", (g.identificatie(big),))
    if big_status == 201:
        j = json.loads(big_result[0][1])
        s, got = clients[g.GEMEENTE].get(j["id"])
        ck.check(s == 200 and got == big, "SIGTERM: ... and so is the declaration")
    ck.info("SIGTERM: the declaration is %s the store after the restart"
            % ("in" if rows else "not in"))
    # A request the daemon stored was in flight at SIGTERM: it must have been
    # answered. Stored but unanswered is an answer lost.
    stored = {r[0] for r in g.store_query(
        pki.store, "SELECT identificatie FROM messages WHERE generated = 0")}
    unanswered = [r[0] for r in results if not isinstance(r[3], int)]
    if not (big_result and isinstance(big_result[0][0], int)):
        unanswered.append(g.identificatie(big))
    silent = sorted(i for i in unanswered if i in stored)
    ck.check(not silent,
             "every message the daemon stored got its answer (%d requests got "
             "none)" % len(unanswered),
             "stored, but the client saw the connection closed: %r" % silent[:10])
    dup = g.store_query(pki.store, "SELECT sender, type, identificatie, COUNT(*) FROM messages"
                                   " WHERE generated = 0 GROUP BY 1, 2, 3 HAVING COUNT(*) > 1")
    ck.check(not dup, "SIGTERM: no message is stored twice", repr(dup[:5]))
    for c in clients.values():
        c.close()
    d.stop(ck)


def body(ctx):
    sighup(ctx)
    sigterm(ctx)


if __name__ == "__main__":
    g.run("signals", body)
