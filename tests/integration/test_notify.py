#!/usr/bin/env python3
"""test_notify.py: the gateway tells systemd how it is (sd_notify), and its unit.

The daemon runs with NOTIFY_SOCKET naming a unix datagram socket the test
listens on, as systemd's would. It must send READY=1 only once it listens
(its log says so when the message arrives) and its store took a write
(/readyz answers 200 right after it); around a SIGHUP, RELOADING=1 with
MONOTONIC_USEC (the time on CLOCK_MONOTONIC between the signal and the
message) and then READY=1 with a STATUS of the reload, failed or not; at
SIGTERM, STOPPING=1. Then `systemd-analyze verify` must find nothing to say
about the unit the build makes (its ExecStart pointed at the built binary),
and `systemd-sysusers --dry-run` must read the entry of its user; without
the tools those parts are skipped, with a line that says so.

    test_notify.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


class Notices:
    """A unix datagram socket as systemd's NOTIFY_SOCKET: each message, with
    whether the daemon's log said it listens when the message came."""

    def __init__(self, path, daemon):
        self.path = path
        self.daemon = daemon
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.got = queue.Queue()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.listen)
        self.thread.start()

    def listen(self):
        while not self.done.is_set():
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            listening = bool(self.daemon.logs) and " info listening " in self.daemon.log()
            fields = dict(l.split("=", 1) for l in data.decode().splitlines() if "=" in l)
            self.got.put((fields, listening, time.monotonic_ns() // 1000))

    def next(self, key, timeout=60):
        """The next message that sets key (the others before it are passed over)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                fields, listening, at = self.got.get(timeout=1)
            except queue.Empty:
                continue
            if key in fields:
                return fields, listening, at
        return None, False, 0

    def close(self):
        self.done.set()
        self.thread.join()
        self.sock.close()


def verify_unit(ctx):
    ck = ctx.checks
    unit = os.environ.get("IJW_SYSTEMD_UNIT")
    tool = shutil.which("systemd-analyze")
    if not unit or not os.path.exists(unit):
        ck.check(False, "the build made the unit", "IJW_SYSTEMD_UNIT=%r" % unit)
        return
    if not tool:
        ck.info("SKIP: systemd-analyze is not installed (apt-get install systemd): the unit "
                "is not verified")
        return
    with open(unit) as f:
        text = f.read()
    bindir = os.path.dirname(ctx.binary)
    lines = [l for l in text.splitlines() if l.startswith(("ExecStart=", "ExecStartPre="))]
    ck.check(len(lines) == 2 and all("/ijw-gateway serve " in l for l in lines),
             "the unit runs ijw-gateway serve, after serve -n checked the configuration",
             "\n".join(lines))
    for want in ("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "NoNewPrivileges=yes",
                 "ProtectSystem=strict", "StateDirectory=ijw-gateway", "CapabilityBoundingSet=\n",
                 "SystemCallFilter=@system-service", "MemoryDenyWriteExecute=yes",
                 "UMask=0077", "Restart=on-failure", "User=ijw-gateway"):
        ck.check(want in text, "the unit says " + want.strip())
    local = os.path.join(ctx.tmp, "ijw-gateway.service")
    with open(local, "w") as f:
        for l in text.splitlines():
            if l.startswith(("ExecStart=", "ExecStartPre=")):
                cmd = l.split("=", 1)[1].split()
                l = l.split("=", 1)[0] + "=" + " ".join([os.path.join(bindir, "ijw-gateway")]
                                                          + cmd[1:])
            f.write(l + "\n")
    r = subprocess.run([tool, "verify", local], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       cwd=ctx.tmp, timeout=120)
    said = (r.stdout + r.stderr).decode(errors="replace")
    if r.returncode and ("Failed to " in said and "manager" in said.lower()):
        ck.info("SKIP: systemd-analyze cannot run here: " + said.strip()[:300])
        return
    ck.check(r.returncode == 0 and not said.strip(),
             "systemd-analyze verify finds nothing to say about the unit", said)
    sysusers = shutil.which("systemd-sysusers")
    if not sysusers:
        ck.info("SKIP: systemd-sysusers is not installed: the unit's user is not checked")
        return
    conf = os.path.join(ctx.tmp, "ijw-gateway.conf")
    shutil.copy(os.path.join(ctx.src, "conf", "systemd", "ijw-gateway.sysusers"), conf)
    r = subprocess.run([sysusers, "--dry-run", conf], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    said = r.stdout.decode(errors="replace")
    with open("/etc/passwd") as f:
        there = any(l.startswith("ijw-gateway:") for l in f)
    # a user that is there already is not made again
    ck.check(r.returncode == 0 and (there or "Creating user 'ijw-gateway'" in said),
             "systemd-sysusers --dry-run reads the user of the unit", said)


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki("pki-notify")
    d = ctx.daemon(pki, "notify")
    path = os.path.join(ctx.tmp, "notify.sock")
    notices = Notices(path, d)
    os.environ["NOTIFY_SOCKET"] = path
    try:
        d.start()
    finally:
        del os.environ["NOTIFY_SOCKET"]
    try:
        fields, listening, _ = notices.next("READY")
        ck.check(fields and fields["READY"] == "1", "READY=1 at a start", repr(fields))
        ck.check(listening, "READY=1 comes once the log says the gateway listens")
        ck.check(fields and fields.get("STATUS", "").startswith("serving "),
                 "READY=1 comes with a STATUS", repr(fields))
        aan = d.client(g.AANBIEDER)
        status, _ = aan.readyz()
        ck.equal(status, 200, "/readyz: the store took a write when READY=1 came")
        aan.close()

        before = time.monotonic_ns() // 1000
        d.signal(signal.SIGHUP)
        fields, _, at = notices.next("RELOADING")
        ck.check(fields and fields["RELOADING"] == "1", "RELOADING=1 at SIGHUP", repr(fields))
        usec = int(fields.get("MONOTONIC_USEC", "0")) if fields else 0
        ck.check(before <= usec <= at,
                 "RELOADING=1 comes with MONOTONIC_USEC, the time on CLOCK_MONOTONIC it began",
                 "%d <= %d <= %d" % (before, usec, at))
        fields, _, _ = notices.next("READY")
        ck.check(fields and fields.get("STATUS", "").startswith("serving; reloaded"),
                 "READY=1 after the reload, with its STATUS", repr(fields))

        ini = pki.ini()
        ini.set("gateway", "port", "not a port").save()
        d.signal(signal.SIGHUP)
        fields, _, _ = notices.next("RELOADING")
        ck.check(fields is not None, "RELOADING=1 at a SIGHUP with a broken configuration")
        fields, _, _ = notices.next("READY")
        ck.check(fields and "the reload failed" in fields.get("STATUS", "")
                 and "port" in fields.get("STATUS", ""),
                 "READY=1 after a failed reload too (it serves on), its STATUS says why",
                 repr(fields))
        ini.set("gateway", "port", "0").save()

        d.signal(signal.SIGTERM)
        fields, _, _ = notices.next("STOPPING")
        ck.check(fields and fields["STOPPING"] == "1", "STOPPING=1 at SIGTERM", repr(fields))
        d.stop(ck)
    finally:
        notices.close()
    verify_unit(ctx)


if __name__ == "__main__":
    g.run("notify", body)
