#!/usr/bin/env python3
"""bench_hostile.py: the gateway's figures under attack, each next to a
baseline measured in the same run.

1. 20,000 idle connections that never start a TLS handshake, from 200
   loopback addresses, re-opened as the gateway closes them, while party
   0384 makes requests in a loop on new connections and on a kept-alive
   one: its latency and errors against the same loop without attackers, and
   the gateway's CPU, log growth, peak memory, the connections the attackers
   hold at the end and its refusal counters.
2. Ten parallel posts of 29 MB of empty elements in an iJw root, against ten
   parallel posts of a valid JW323 of about that size: the statuses and the
   gateway's peak memory.
3. 200 connections that send a request head one byte a second (slowloris):
   the party's latency against the baseline of 1.

    bench_hostile.py BINARY SOURCE_DIR

Python 3 standard library only; it uses the integration tests' harness.
The attackers are worker processes, each raising its descriptor limit to
the hard limit.
"""
import collections
import multiprocessing
import os
import resource
import selectors
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "integration"))
import gateway as g  # noqa: E402

WINDOW = 20              # seconds of each measurement
ATTACK_ADDRESSES = 200   # 127.0.x.y source addresses of the idle connections
ATTACK_PER_ADDRESS = 100
ATTACK_WORKERS = 4
SLOW_CONNECTIONS = 200
SLOW_ADDRESSES = 10
BIG = 29 * 1000 * 1000   # bytes of each hostile or large post
PARALLEL = 10
CPU_TARGET = 0.5         # cores
LOG_TARGET = 100 * 1000  # bytes
PEAK_TARGET_KB = 512 * 1024

NS = b'xmlns:jw301="http://www.istandaarden.nl/ijw/3_2/jw301/schema"'
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)


def say(line=""):
    print(line, flush=True)


# ---- the gateway process ----

def proc_status(pid, field):
    """A field of /proc/PID/status in kB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """utime + stime of the process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def metrics(d, names):
    """The lines of /metrics that start with one of names; retried while the gateway is busy."""
    c = d.admin(timeout=30)
    for _ in range(10):
        try:
            status, body = c.request("GET", "/metrics")
            if status == 200:
                return [l for l in body.decode().splitlines() if l.startswith(names)]
        except g.REFUSED + (OSError,):
            pass
        time.sleep(0.5)
    return ["(/metrics did not answer)"]


def mb(kb):
    return "%.1f MB" % (kb / 1024)


# ---- party 0384 in a loop ----

class Idents:
    """A fresh BerichtIdentificatie each time (at most 12 characters)."""

    def __init__(self):
        self.prefix = "H%05d" % (os.getpid() % 100000)
        self.n = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            self.n += 1
            return "%s%06d" % (self.prefix, self.n)


def party_loop(d, seconds, jw301, idents):
    """GET /v1/berichten and POST of a JW301, on a new connection and on a
    kept-alive one, in turn, for seconds: {kind: (latencies, errors, statuses)}."""
    kept = d.client(g.GEMEENTE, timeout=30)
    out = {k: ([], collections.Counter(), collections.Counter()) for k in ("new", "kept-alive")}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for kind in ("new", "kept-alive"):
            for method in ("GET", "POST"):
                c = d.client(g.GEMEENTE, timeout=30) if kind == "new" else kept
                body = g.set_identificatie(jw301, idents.next()) if method == "POST" else None
                lat, errors, statuses = out[kind]
                t0 = time.monotonic()
                try:
                    status, _ = c.request(method, "/v1/berichten", body)
                    statuses["%s %d" % (method, status)] += 1
                    if status != (200 if method == "GET" else 201):
                        errors["%s %d" % (method, status)] += 1
                except Exception as e:  # every failure of the party's request is a figure
                    errors["%s %s" % (method, type(e).__name__)] += 1
                lat.append(time.monotonic() - t0)
                if kind == "new":
                    c.close()
    kept.close()
    return out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] if xs else float("nan")


def latency_table(base, attacked, what):
    say("  party 0384 requests: %-10s %9s %9s %9s %8s %s" % ("", "requests", "p50 ms", "p99 ms",
                                                             "max ms", "errors"))
    for kind in ("new", "kept-alive"):
        for name, run in (("baseline", base), (what, attacked)):
            lat, errors, _ = run[kind]
            say("    %-10s %-12s %9d %9.1f %9.1f %8.1f %d%s" % (
                kind, name, len(lat), pct(lat, 50) * 1e3, pct(lat, 99) * 1e3, max(lat) * 1e3,
                sum(errors.values()),
                (" (" + ", ".join("%s: %d" % kv for kv in sorted(errors.items())) + ")")
                if errors else ""))
        b, a = base[kind][0], attacked[kind][0]
        say("    %-10s ratio        %9.2f %9.2f %9.2f %8.2f" % (
            kind, len(a) / max(1, len(b)), pct(a, 50) / pct(b, 50), pct(a, 99) / pct(b, 99),
            max(a) / max(b)))


def requests(figures):
    """How many requests the party made in a loop of party_loop()."""
    return sum(len(lat) for lat, _, _ in figures.values())


class Window:
    """The gateway's CPU, log growth and peak memory over a measurement."""

    def __init__(self, d):
        self.d = d
        self.t0 = time.monotonic()
        self.cpu0 = cpu_seconds(d.pid)
        self.log0 = d.log_size()

    def end(self):
        self.seconds = time.monotonic() - self.t0
        self.cores = (cpu_seconds(self.d.pid) - self.cpu0) / self.seconds
        self.log = self.d.log_size() - self.log0
        with open(self.d.logs[-1], "rb") as f:
            f.seek(self.log0)
            fields = (l.split() for l in f.read(self.log).decode("utf-8", "replace").splitlines())
            self.events = collections.Counter(f[2] for f in fields if len(f) > 2)
        self.hwm = proc_status(self.d.pid, "VmHWM")
        return self

    def events_line(self):
        """The log lines of the window by event, the most frequent first."""
        return ", ".join("%s %d" % kv for kv in self.events.most_common(8)) or "none"


# ---- 1. idle connections that never start a handshake ----

def attacker_setup():
    """An attacker process: as many descriptors as it may have, and the
    lowest priority, so that on a machine of few cores the attackers take
    what the gateway and the party leave (attackers elsewhere would take
    none)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    os.nice(19)


def attacker(port, addresses, per_address, ready, snapshot, stop, results):
    """Holds per_address plain TCP connections from each of addresses to port,
    re-opening each one the gateway closes, until stop."""
    attacker_setup()
    sel = selectors.DefaultSelector()
    n = collections.Counter()
    retry = collections.deque()  # (when, address) of connections to open again

    def open_one(addr):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
            s.setblocking(False)
            s.bind((addr, 0))
            s.connect_ex(("127.0.0.1", port))
        except OSError:
            s.close()
            n["open_failed"] += 1
            retry.append((time.monotonic() + 0.1, addr))
            return
        n["opened"] += 1
        sel.register(s, selectors.EVENT_WRITE, [addr, False])

    for addr in addresses:
        for _ in range(per_address):
            open_one(addr)
    ready.set()
    reported = False
    while not stop.is_set():
        for key, ev in sel.select(0.1):
            s, (addr, connected) = key.fileobj, key.data
            if not connected:
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if not err:
                    key.data[1] = True
                    n["connected"] += 1
                    sel.modify(s, selectors.EVENT_READ, key.data)
                    continue
                n["connect_failed"] += 1
                delay = 0.1
            else:
                try:
                    s.recv(1)
                except OSError:
                    pass
                n["closed_by_gateway"] += 1
                delay = 0
            sel.unregister(s)
            s.close()
            retry.append((time.monotonic() + delay, addr))
        now = time.monotonic()
        for _ in range(len(retry)):
            when, addr = retry.popleft()
            if when <= now:
                open_one(addr)
            else:
                retry.append((when, addr))
        if snapshot.is_set() and not reported:
            held = sum(1 for k in sel.get_map().values() if k.data[1])
            results.put(dict(n, held=held, pending=len(sel.get_map()) - held))
            reported = True
    sel.close()


def start(ctx, pki, name):
    """A daemon of its own store, so that every measurement starts alike."""
    pki.ini().set("gateway", "store", name + ".db").save()
    return ctx.daemon(pki, name).start()


def attackers(target, argsets):
    """Starts a process per argument set; gives (processes, ready, snapshot, stop, results)."""
    mp = multiprocessing.get_context("fork")
    ready = [mp.Event() for _ in argsets]
    snapshot, stop, results = mp.Event(), mp.Event(), mp.Queue()
    procs = [mp.Process(target=target, args=a + (ready[i], snapshot, stop, results), daemon=True)
             for i, a in enumerate(argsets)]
    for p in procs:
        p.start()
    for e in ready:
        e.wait(120)
    return procs, snapshot, stop, results


def collect(procs, snapshot, stop, results):
    """The attackers' counts, summed; then they stop."""
    snapshot.set()
    counts = collections.Counter()
    for _ in procs:
        counts.update(results.get(timeout=60))
    return counts


def finish(procs, stop):
    stop.set()
    for p in procs:
        p.join(60)


def baseline(ctx, pki, jw301, idents):
    """The party's loop with no attackers: (its figures, the gateway's, /metrics' refusals)."""
    d = start(ctx, pki, "baseline")
    party_loop(d, 1, jw301, idents)  # warm up
    w = Window(d)
    base = party_loop(d, WINDOW, jw301, idents)
    bw = w.end()
    refused = metrics(d, ("ijw_connections_refused_total",))
    d.stop()
    return base, bw, refused


def idle_attack(ctx, pki, jw301, idents, base, bw, base_refused):
    say("1. 20,000 idle connections that never start a TLS handshake, "
        "%d addresses x %d, %d s" % (ATTACK_ADDRESSES, ATTACK_PER_ADDRESS, WINDOW))
    d = start(ctx, pki, "idle")
    party_loop(d, 1, jw301, idents)
    addrs = ["127.0.%d.%d" % (10 + i // 250, 1 + i % 250) for i in range(ATTACK_ADDRESSES)]
    procs, snapshot, stop, results = attackers(
        attacker, [(d.port, addrs[i::ATTACK_WORKERS], ATTACK_PER_ADDRESS)
                   for i in range(ATTACK_WORKERS)])
    time.sleep(2)
    w = Window(d)
    cpu0 = sum(cpu_seconds(p.pid) for p in procs)
    attacked = party_loop(d, WINDOW, jw301, idents)
    aw = w.end()
    attackers_cpu = (sum(cpu_seconds(p.pid) for p in procs) - cpu0) / aw.seconds
    counts = collect(procs, snapshot, stop, results)
    lines = metrics(d, ("ijw_connections ", "ijw_connections_refused_total"))
    finish(procs, stop)
    time.sleep(1)
    rss_after = proc_status(d.pid, "VmRSS")
    d.stop()

    latency_table(base, attacked, "attacked")
    say("  gateway CPU:         baseline %.3f cores, attacked %.3f cores, ratio %.1f"
        "   target < %.1f core: %s" % (bw.cores, aw.cores, aw.cores / max(bw.cores, 1e-9),
                                        CPU_TARGET, "met" if aw.cores < CPU_TARGET else "MISSED"))
    say("  attackers' CPU:      %.3f cores (%d processes at nice 19)" % (attackers_cpu,
                                                                        len(procs)))
    # every request of the party writes its access line (and a post its message
    # lines): what the attack adds is the growth beyond the party's own lines
    base_n, attacked_n = requests(base), requests(attacked)
    own = bw.log / max(base_n, 1)
    beyond = aw.log - own * attacked_n
    say("  gateway log growth:  baseline %d bytes, attacked %d bytes, ratio %.2f "
        "(%d and %d requests of the party, %.0f bytes each in the baseline)"
        % (bw.log, aw.log, aw.log / max(bw.log, 1), base_n, attacked_n, own))
    say("  the attack's lines:  %d bytes beyond the party's own   target < %d bytes: %s"
        % (beyond, LOG_TARGET, "met" if beyond < LOG_TARGET else "MISSED"))
    say("  gateway log lines:   baseline: %s" % bw.events_line())
    say("                       attacked: %s" % aw.events_line())
    say("  gateway peak RSS:    baseline %s, attacked %s, ratio %.2f; RSS after the attack %s"
        % (mb(bw.hwm), mb(aw.hwm), aw.hwm / bw.hwm, mb(rss_after)))
    say("  attackers at the end: %d connections established on their side (the gateway's "
        "and the kernel's queues), %d connecting; %d opened in all, %d closed by the gateway, "
        "%d connects failed" % (counts["held"], counts["pending"], counts["opened"],
                                counts["closed_by_gateway"],
                                counts["connect_failed"] + counts["open_failed"]))
    say("  /metrics at the end (attacked; ijw_connections: the connections the gateway holds):")
    for l in lines:
        say("    " + l)
    say("  /metrics at the end (baseline): " + (", ".join(
        l for l in base_refused if not l.endswith(" 0")) or "no refusals"))
    errors = sum(sum(attacked[k][1].values()) for k in attacked)
    say("  target: party requests still answered (errors 0): %s; p99 new %.1f ms, "
        "kept-alive %.1f ms" % ("met" if not errors else "MISSED (%d errors)" % errors,
                                pct(attacked["new"][0], 99) * 1e3,
                                pct(attacked["kept-alive"][0], 99) * 1e3))
    say()


# ---- 2. ten parallel 29 MB posts ----

def post_all(d, party, bodies):
    """Posts the bodies in parallel, each on a connection of its own: [(status, Retry-After)]."""
    out = [None] * len(bodies)

    def one(i):
        c = d.client(party, timeout=600)
        try:
            c.connect()
            c.conn.request("POST", "/v1/berichten", body=bodies[i],
                           headers={"Content-Type": "application/xml"})
            r = c.conn.getresponse()
            r.read()
            out[i] = (r.status, r.getheader("Retry-After"))
        except Exception as e:  # a failed post is a figure too
            out[i] = (type(e).__name__, None)
        finally:
            c.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(bodies))]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out, time.monotonic() - t0


def big_posts(ctx, pki, idents):
    say("2. ten parallel posts of about 29 MB each, max_message_bytes 33554432, "
        "max_bytes_in_flight 67108864")
    head = b"<jw301:Bericht " + NS + b">"
    tail = b"</jw301:Bericht>"
    hostile = head + b"<a/>" * ((BIG - len(head) - len(tail)) // 4) + tail
    # a JW323 of 1,000 clients, scaled to the size of the hostile post
    sample = ctx.generate("JW323", 7, clients=1000)
    jw323 = ctx.generate("JW323", 7, clients=max(1, int(1000 * len(hostile) / len(sample))))
    runs = (("valid JW323 (baseline)", g.AANBIEDER,
             [g.set_identificatie(jw323, idents.next()) for _ in range(PARALLEL)]),
            ("hostile <a/> x N", g.GEMEENTE, [hostile] * PARALLEL))
    figures = []
    for i, (name, party, bodies) in enumerate(runs):
        d = start(ctx, pki, "big-%d" % i)
        rss0 = proc_status(d.pid, "VmRSS")
        out, seconds = post_all(d, party, bodies)
        time.sleep(1)
        figures.append((name, len(bodies[0]), out, seconds, rss0, proc_status(d.pid, "VmHWM"),
                        proc_status(d.pid, "VmRSS")))
        d.stop()
    for name, size, out, seconds, rss0, hwm, rss in figures:
        statuses = collections.Counter(str(s) for s, _ in out)
        busy = [r for s, r in out if s == 503]
        say("  %-24s %.1f MB each, %.1f s: statuses %s; %d of %d got 503%s" % (
            name, size / 1e6, seconds, ", ".join("%s x%d" % kv for kv in sorted(statuses.items())),
            len(busy), len(out),
            " (Retry-After %s)" % ",".join(sorted(set(str(r) for r in busy))) if busy else ""))
        say("  %-24s RSS before %s, peak RSS %s, RSS a second after %s" % (
            "", mb(rss0), mb(hwm), mb(rss)))
    base, hostile_hwm = figures[0][5], figures[1][5]
    say("  peak RSS hostile/baseline %.2f   target peak < %s: baseline %s, hostile %s" % (
        hostile_hwm / base, mb(PEAK_TARGET_KB), "met" if base < PEAK_TARGET_KB else "MISSED",
        "met" if hostile_hwm < PEAK_TARGET_KB else "MISSED"))
    say()


# ---- 3. slowloris ----

def dribbler(port, ca, cert, key, addresses, per_address, ready, snapshot, stop, results):
    """Holds per_address TLS connections from each of addresses to port and
    sends a byte of a request head on each every second, re-opening each one
    the gateway closes, until stop."""
    attacker_setup()
    tls = ssl.create_default_context(cafile=ca)
    tls.load_cert_chain(cert, key)
    head = b"GET /v1/berichten HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"s" * 200
    n = collections.Counter()

    def connect(addr):
        try:
            s = socket.socket()
            s.bind((addr, 0))
            s.settimeout(10)
            s.connect(("127.0.0.1", port))
            return [tls.wrap_socket(s, server_hostname="127.0.0.1"), 0, addr]
        except OSError:
            n["connect_failed"] += 1
            return [None, 0, addr]

    conns = [connect(a) for a in addresses for _ in range(per_address)]
    ready.set()
    reported = False
    while not stop.wait(1):
        for i, c in enumerate(conns):
            try:
                if not c[0]:
                    raise OSError
                c[0].send(head[c[1] % len(head):c[1] % len(head) + 1])
                c[1] += 1
                n["bytes"] += 1
            except OSError:
                if c[0]:
                    n["closed_by_gateway"] += 1
                    c[0].close()
                conns[i] = connect(c[2])
        if snapshot.is_set() and not reported:
            results.put(dict(n, held=sum(1 for c in conns if c[0])))
            reported = True
    for c in conns:
        if c[0]:
            c[0].close()


def slowloris(ctx, pki, jw301, idents, base):
    say("3. %d TLS connections of party 42420001 that send a request head one byte a second "
        "(from %d addresses), %d s" % (SLOW_CONNECTIONS, SLOW_ADDRESSES, WINDOW))
    d = start(ctx, pki, "slow")
    party_loop(d, 1, jw301, idents)
    addrs = ["127.0.20.%d" % (i + 1) for i in range(SLOW_ADDRESSES)]
    cert, key = pki.cert(g.AANBIEDER)
    procs, snapshot, stop, results = attackers(
        dribbler, [(d.port, pki.path("ca.pem"), cert, key, addrs[i::2],
                    SLOW_CONNECTIONS // SLOW_ADDRESSES) for i in range(2)])
    time.sleep(2)
    w = Window(d)
    attacked = party_loop(d, WINDOW, jw301, idents)
    sw = w.end()
    counts = collect(procs, snapshot, stop, results)
    lines = metrics(d, ("ijw_connections ", "ijw_connections_refused_total"))
    finish(procs, stop)
    d.stop()
    latency_table(base, attacked, "slowloris")
    say("  gateway CPU %.3f cores, log growth %d bytes, peak RSS %s" % (sw.cores, sw.log,
                                                                      mb(sw.hwm)))
    say("  gateway log lines: %s" % sw.events_line())
    say("  slowloris: %d held at the end, %d bytes dribbled, %d connections closed by the "
        "gateway, %d connects failed" % (counts["held"], counts["bytes"],
                                         counts["closed_by_gateway"], counts["connect_failed"]))
    for l in lines:
        if not l.endswith(" 0"):
            say("    " + l)
    say()


PARTS = ("idle", "big", "slow")


def body(ctx, parts):
    pki = ctx.pki()
    (pki.ini().set("gateway", "max_message_bytes", 33554432)
     # the messages repeat one JW301 and form no conversation
     .cross_checks_off()
     .save())
    jw301 = ctx.sample("JW301-valid-1.xml")
    idents = Idents()
    say("bench_hostile: the gateway under attack; each figure next to a baseline of this run")
    say("RLIMIT_NOFILE %s, %d CPUs, load average %.1f (the latencies are the machine's too)"
        % (resource.getrlimit(resource.RLIMIT_NOFILE), os.cpu_count(), os.getloadavg()[0]))
    say()
    if "idle" in parts or "slow" in parts:
        base, bw, base_refused = baseline(ctx, pki, jw301, idents)
    if "idle" in parts:
        idle_attack(ctx, pki, jw301, idents, base, bw, base_refused)
    if "big" in parts:
        big_posts(ctx, pki, idents)
    if "slow" in parts:
        slowloris(ctx, pki, jw301, idents, base)


if __name__ == "__main__":
    if len(sys.argv) < 3 or not set(sys.argv[3:]) <= set(PARTS):
        sys.exit("usage: %s BINARY SOURCE_DIR [%s]..." % (sys.argv[0], "|".join(PARTS)))
    parts = sys.argv[3:] or PARTS
    shared = os.environ.get("IJW_SHARED", os.path.join(sys.argv[2], "..", "shared"))
    sys.argv[3:] = [shared]
    g.run("bench_hostile", lambda ctx: body(ctx, parts))
