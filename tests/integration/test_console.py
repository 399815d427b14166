#!/usr/bin/env python3
"""test_console.py: the operators' console in a real browser.

A gateway with data in it (accepted JW301s answered by automatic JW302s, a
message rejected for TR002, and a push to a receiver that never answers,
given up) and headless Chromium driven through chromedriver's WebDriver
HTTP protocol (urllib and json; no selenium). The browser logs in with the
token (a wrong one first), loads every page and the DOM must show what the
store holds: the messages and their count, a type filter, a message's life
and its retour, its XML with every BSN masked and no BSN anywhere in the
page until the operator unmasks it (audited), the pushes given up and a
redeliver click that makes the push pending again (audited), the rejections
chart's bars and table, the parties with their queues, and the monitoring
report with its own stylesheet. A screenshot of
every page is saved as PNG into IJW_SCREENSHOTS (the test's build folder).

Skips (77) when chromium or chromedriver is not installed.

    test_console.py BINARY SOURCE_DIR SHARED_DIR
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

PUSHED = "42420002"  # an aanbieder whose pushes go to a receiver that hangs
PARTIES = g.PARTIES + ("aanbieder:" + PUSHED,)
PUSH_TIMEOUT = 2
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000"]


class Browser:
    """A chromedriver and one session of headless Chromium, over WebDriver's HTTP protocol."""

    def __init__(self, tmp):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.log = open(os.path.join(tmp, "chromedriver.log"), "wb")
        self.proc = subprocess.Popen([shutil.which("chromedriver"), "--port=%d" % self.port],
                                     stdout=self.log, stderr=self.log)
        self.profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
        end = time.monotonic() + 30
        while True:
            try:
                self.call("GET", "/status")
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)
        caps = {"browserName": "chrome",
                "goog:chromeOptions": {"binary": shutil.which("chromium"),
                                       "args": CHROME_FLAGS +
                                       ["--user-data-dir=" + self.profile]}}
        self.session = self.call("POST", "/session",
                                 {"capabilities": {"alwaysMatch": caps}})["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=data,
                                     method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError("WebDriver %s %s: %s" % (method, path, e.read()[:500]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.session, path), body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def url(self):
        return self.s("GET", "/url")

    def source(self):
        return self.s("GET", "/source")

    def element(self, css):
        found = self.s("POST", "/element", {"using": "css selector", "value": css})
        return list(found.values())[0]

    def type(self, css, text):
        self.s("POST", "/element/%s/value" % self.element(css), {"text": text})

    def click(self, css):
        self.s("POST", "/element/%s/click" % self.element(css), {})

    def accept(self):
        self.s("POST", "/alert/accept", {})

    def wait(self, script, timeout=20):
        """Until script returns something true; that value (or None)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            v = self.js(script)
            if v:
                return v
            time.sleep(0.1)
        return None

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))

    def quit(self):
        try:
            self.call("DELETE", "/session/%s" % self.session)
        finally:
            self.proc.terminate()
            self.proc.wait(30)
            self.log.close()


def rows(b, table):
    return b.js("return Array.from(document.querySelectorAll('#%s tbody tr'))"
                ".map(r => r.dataset.id || r.dataset.party);" % table)


def body(ctx):
    ck = ctx.checks
    if not shutil.which("chromium") or not shutil.which("chromedriver"):
        raise g.Skip("chromium and chromedriver are not installed (apt-get install chromium "
                     "chromium-driver)")
    shots = os.environ.get("IJW_SCREENSHOTS") or os.path.join(ctx.tmp, "screenshots")
    os.makedirs(shots, exist_ok=True)
    pki = ctx.pki(parties=PARTIES)
    rcert = pki.ca.issue("receiver", "localhost", kind="server")
    rx = g.Receiver(pki.path("ca.pem"), *rcert)
    rx.answer = g.HANG
    rx.start()
    (pki.ini()
     .set("gateway", "retry_initial", 1).set("gateway", "give_up_after", 1)
     .set("gateway", "min_attempts", 1).set("gateway", "push_timeout", PUSH_TIMEOUT)
     .set("party " + PUSHED, "delivery", "push")
     .set("party " + PUSHED, "push_url", "https://127.0.0.1:%d/inbox" % rx.port)
     .cross_checks_off(g.GEMEENTE, g.AANBIEDER, PUSHED)
     .save())
    d = ctx.daemon(pki).start()
    gem = d.client(g.GEMEENTE)

    accepted = []
    for seed in (1, 2):
        b = ctx.generate("JW301", seed)
        status, j = gem.post(b)
        ck.check(status == 201, "JW301 seed %d: 201" % seed, "%r %r" % (status, j))
        accepted.append((int(j["id"]), b))
    pushed = ctx.generate("JW301", 3, aanbieder=PUSHED)
    status, j = gem.post(pushed)
    ck.check(status == 201, "a JW301 to the push party: 201", "%r %r" % (status, j))
    pushed_id = int(j["id"])
    status, j = gem.post(ctx.sample("JW301-TR002-invalid.xml"))
    ck.equal(status, 422, "a JW301 that breaks TR002: 422")
    ck.check(d.wait_log(r" push_given_up id=%d " % pushed_id, timeout=PUSH_TIMEOUT + 20),
             "the push to the receiver that hangs is given up", d.log()[-1500:])
    status, listed = d.admin().jrequest("GET", "/admin/v1/messages?limit=1000")
    stored = [int(m["id"]) for m in listed["messages"]]

    base = "http://127.0.0.1:%d" % d.admin_port
    b = Browser(ctx.tmp)
    try:
        # ---- login ----
        b.go(base + "/console/messages")
        ck.check(b.url().endswith("/console/login"), "without a session: the login page",
                 b.url())
        b.type("#token", "not the token")
        b.click("#login")
        ck.check(b.wait("return document.querySelector('#login-error')"),
                 "a wrong token: the login page says so")
        b.screenshot(os.path.join(shots, "login.png"))
        b.type("#token", open(pki.path("admin.token")).read().strip())
        b.click("#login")
        ck.check(b.wait("return location.pathname == '/console/messages'"),
                 "the token logs in: the messages page", b.url())

        # ---- messages ----
        ck.equal([int(i) for i in rows(b, "messages")], stored,
                 "messages: a row per stored message, newest first")
        ck.equal(b.js("return document.querySelector('#count').textContent"),
                 "%d messages" % len(stored), "messages: the count")
        b.screenshot(os.path.join(shots, "messages.png"))
        b.go(base + "/console/messages?type=JW302")
        types = b.js("return Array.from(document.querySelectorAll('#messages tbody tr "
                     "td:nth-child(2)')).map(t => t.textContent);")
        ck.check(types and set(types) == {"JW302"}, "messages?type=JW302: JW302s only",
                 repr(types))

        # ---- a message, masked and unmasked ----
        mid, heen = accepted[0]
        bsns = g.bsns(heen)
        b.go(base + "/console/messages/%d" % mid)
        steps = b.js("return Array.from(document.querySelectorAll('#life .step'))"
                     ".map(s => s.textContent);")
        ck.check(steps and steps[0] == "received" and "stored" in steps,
                 "a message's page: its life", repr(steps))
        retour = b.js("return Array.from(document.querySelectorAll('#retours a'))"
                      ".map(a => a.textContent);")
        ck.check(retour and len(retour) == 1, "... its retour linked", repr(retour))
        xml = b.js("return document.querySelector('#xml').textContent")
        page = b.source()
        ck.check(bsns and "*********" in xml and not any(n in page for n in bsns),
                 "... its XML with the BSN masked, and no BSN in the page",
                 "bsns %r" % bsns)
        b.screenshot(os.path.join(shots, "message.png"))
        b.click("form.unmask button")
        b.accept()
        ck.check(b.wait("return document.querySelector('#unmasked')"),
                 "unmask: the XML shown unmasked")
        xml = b.js("return document.querySelector('#xml').textContent")
        ck.check(all(n in xml for n in bsns), "... with its BSN", "bsns %r" % bsns)
        audited = g.store_query(pki.store, "SELECT party, message FROM audit"
                                " WHERE action = 'unmasked'")
        ck.equal([(p, int(m)) for p, m in audited], [("admin", mid)],
                 "the unmask is audited: the operator and the message")
        b.screenshot(os.path.join(shots, "message-unmasked.png"))
        b.go(base + "/console/messages/%d" % mid)
        ck.check(not any(n in b.source() for n in bsns),
                 "unmasked for that request only: masked again on the next")
        if retour:
            b.click("#retours a")
            ck.check(b.wait("return location.pathname == '/console/messages/%s'"
                            % retour[0]), "the retour's link opens its page")

        # ---- pushes ----
        b.go(base + "/console/pushes")
        ck.equal([int(i) for i in rows(b, "given-up") or []], [pushed_id],
                 "pushes: the given-up push")
        ck.check(b.js("return document.querySelector('#given-up td.error').textContent"),
                 "... with its last error")
        b.screenshot(os.path.join(shots, "pushes.png"))
        b.click("#given-up form.redeliver button")
        b.accept()
        ck.check(b.wait("return location.pathname == '/console/messages/%d'" % pushed_id),
                 "redeliver: to the message's page")
        state = g.store_query(pki.store, "SELECT state FROM deliveries WHERE message = ?",
                              (pushed_id,))
        ck.equal(state, [("pending",)], "redeliver makes the push pending again")
        ck.check(d.wait_log(r" push_(?:failed|given_up) id=%d .*attempts?=2 " % pushed_id,
                            timeout=PUSH_TIMEOUT + 20),
                 "the push worker takes it up again: a second attempt", d.log()[-1500:])
        audited = g.store_query(pki.store, "SELECT party, message FROM audit"
                                " WHERE action = 'redelivered'")
        ck.equal([(p, int(m)) for p, m in audited], [("admin", pushed_id)],
                 "the redelivery is audited")

        # ---- rejections ----
        b.go(base + "/console/rejections")
        bars = b.js("return Array.from(document.querySelectorAll('#chart rect.bar'))"
                    ".map(r => [r.dataset.rule, r.dataset.n, r.getAttribute('height')]);")
        ck.check(bars and any(r == "TR002" and n == "1" and int(h) > 0 for r, n, h in bars),
                 "rejections: a bar for TR002", repr(bars))
        table = b.js("return Array.from(document.querySelectorAll('#rejections tbody tr'))"
                     ".map(r => r.cells[1].textContent + ' ' + r.cells[2].textContent);")
        ck.check(table and "TR002 1" in table, "rejections: the table", repr(table))
        b.screenshot(os.path.join(shots, "rejections.png"))

        # ---- parties ----
        b.go(base + "/console/parties")
        ck.equal(sorted(rows(b, "parties")), sorted([g.GEMEENTE, g.AANBIEDER, PUSHED]),
                 "parties: every configured party")
        unacked = b.js("return document.querySelector('tr[data-party=\"%s\"] td.unacked')"
                       ".textContent" % g.AANBIEDER)
        ck.equal(unacked, "2", "parties: the queue of %s" % g.AANBIEDER)
        b.screenshot(os.path.join(shots, "parties.png"))

        # ---- report ----
        b.go(base + "/console/report?by=period")
        ck.check(b.wait("return document.querySelector('section.report-section h2')"),
                 "report: the monitoring report's section")
        ck.check(b.js("return getComputedStyle(document.querySelector('section.report-section'))"
                      ".maxWidth != 'none'"),
                 "report: its stylesheet applies under the page's Content-Security-Policy")
        b.screenshot(os.path.join(shots, "report.png"))

        # ---- logout ----
        b.click("header form button")
        ck.check(b.wait("return location.pathname == '/console/login'"),
                 "logout: back to the login page")
        b.go(base + "/console/parties")
        ck.check(b.url().endswith("/console/login"), "... and the session is gone")
    finally:
        b.quit()
        rx.stop()
    ck.info("screenshots in " + shots)
    d.stop(ck)


if __name__ == "__main__":
    g.run("test_console", body)
