"""gateway.py: the harness of the integration tests.

Each test program starts the real daemon (`ijw-gateway serve -c FILE`) on
127.0.0.1, port 0, with a PKI made for the run by `ijw-gateway pki init`
(and, for the certificates pki does not make, by the openssl command line),
talks to it over mutual TLS with http.client, and judges what it sees. A
program is called as

    PROGRAM BINARY SOURCE_DIR SHARED_DIR

and exits 0 when every check passed, 1 when one failed, 77 (meson's skip)
when it could not run at all. Each check prints one line, "ok - ..." or
"FAIL - ...", so that a failing run says what went wrong. IJW_KEEP_TMP=1
keeps the files of a failed run (PKI, configuration, store, the daemon's logs).

With IJW_TEST_PG set (tests/with-pg sets it to a throw-away PostgreSQL
server's URL), every PKI's gateway.ini names a database of its own on that
server as its store, so that the same programs test the PostgreSQL backend;
store_query() reads either backend.

Every answer a Client (or an Admin) gets is checked against the description
of its listener, schemas/openapi/party.json or admin.json (class Description):
an answer they do not describe fails the test.

Standard library only, with python3-jsonschema (Debian's) for those checks,
and the psql command for PostgreSQL.
"""
import datetime
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

SKIP = 77
PARTIES = ("gemeente:0384", "aanbieder:42420001")
GEMEENTE = "0384"
AANBIEDER = "42420001"

# Lines of a sanitizer's report in the daemon's standard error.
SANITIZER = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|LeakSanitizer|"
    r"runtime error:|ThreadSanitizer|SUMMARY: UndefinedBehaviorSanitizer")

# A TLS handshake the daemon refuses shows up as one of these, at connect or
# at the first request (TLS 1.3 judges the client certificate after the
# client's side of the handshake is done).
REFUSED = (ssl.SSLError, ConnectionError, http.client.RemoteDisconnected,
           http.client.BadStatusLine, BrokenPipeError, EOFError, socket.timeout)


# A PostgreSQL server's superuser URL (tests/with-pg), or None for SQLite stores.
PG = os.environ.get("IJW_TEST_PG")


class Skip(Exception):
    """The program cannot run here (a tool is missing)."""


# ---- checks ----

class Checks:
    """Counts checks; every check prints a line."""

    def __init__(self, name):
        self.name = name
        self.failed = []
        self.passed = 0
        self.t0 = time.monotonic()

    def say(self, line):
        print("[%6.2fs] %s" % (time.monotonic() - self.t0, line), flush=True)

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            self.say("ok - " + what)
        else:
            self.failed.append(what)
            self.say("FAIL - " + what + (": " + detail if detail else ""))
        return bool(cond)

    def equal(self, got, want, what):
        return self.check(got == want, what, "got %r, expected %r" % (clip(got), clip(want)))

    def info(self, line):
        self.say("# " + line)

    def skip(self, what, why):
        self.say("skip - %s: %s" % (what, why))

    def finish(self):
        self.say("%s: %d passed, %d failed" % (self.name, self.passed, len(self.failed)))
        for what in self.failed:
            self.say("  failed: " + what)
        return 1 if self.failed else 0


def clip(v, n=300):
    s = repr(v)
    return v if len(s) <= n else s[:n] + "..."


class Context:
    """What a test program gets: its arguments, a scratch folder, its checks."""

    def __init__(self, name, argv):
        if len(argv) != 4:
            sys.exit("usage: %s BINARY SOURCE_DIR SHARED_DIR" % argv[0])
        self.binary = os.path.abspath(argv[1])
        self.src = os.path.abspath(argv[2])
        self.shared = os.path.abspath(argv[3])
        self.tmp = tempfile.mkdtemp(prefix="ijw-it-%s-" % name)
        self.checks = Checks(name)
        self.daemons = []

    @property
    def xsd_dir(self):
        d = os.path.join(self.shared, "reference", "ijw-3.2", "xsd")
        return d if os.path.isdir(d) else None

    def sample(self, name):
        with open(os.path.join(self.src, "samples", name), "rb") as f:
            return f.read()

    def generate(self, kind, seed, gemeente=GEMEENTE, aanbieder=AANBIEDER, clients=None):
        cmd = [self.binary, "generate", kind, "--seed", str(seed), "--gemeente", gemeente,
               "--aanbieder", aanbieder]
        if clients:
            cmd += ["--clients", str(clients)]
        return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, timeout=120).stdout

    def pki(self, name="pki", parties=PARTIES, args=()):
        return Pki(self, os.path.join(self.tmp, name), parties, args)

    def daemon(self, pki, name="gateway", ini=None):
        d = Daemon(self, pki, name, ini)
        self.daemons.append(d)
        return d


def run(name, body):
    """Runs body(ctx) as the test program name; exits with its verdict."""
    ctx = Context(name, sys.argv)
    status = 0
    try:
        for tool in ("openssl",):
            if not shutil.which(tool):
                raise Skip("%s is not installed" % tool)
        if jsonschema is None:
            raise Skip("python3-jsonschema is not installed")
        body(ctx)
    except Skip as e:
        ctx.checks.say("SKIP: %s" % e)
        status = SKIP
    except Exception:  # a broken harness or an unexpected answer: a failure, with its story
        ctx.checks.check(False, "the test ran to its end", traceback.format_exc())
        for d in ctx.daemons:
            if d.logs:
                ctx.checks.say("the end of the log of the daemon %s:\n%s"
                               % (d.name, d.log()[-3000:]))
    finally:
        for d in ctx.daemons:
            d.kill()
    if status != SKIP:
        ctx.checks.check(not UNDESCRIBED, "every answer (%d) is described by schemas/openapi/"
                         % (ANSWERS[0] + len(UNDESCRIBED)), "\n".join(UNDESCRIBED[:5]))
        status = ctx.checks.finish()
    if status == 1 and os.environ.get("IJW_KEEP_TMP"):
        ctx.checks.say("the run's files (PKI, configuration, store, daemon logs) are kept in "
                       + ctx.tmp)
    else:
        shutil.rmtree(ctx.tmp, ignore_errors=True)
        if status == 1:
            ctx.checks.say("IJW_KEEP_TMP=1 keeps the run's files (PKI, configuration, store, "
                           "daemon logs) of a failed run")
    sys.exit(status)


# ---- messages ----

def sha(b):
    return hashlib.sha256(b).hexdigest()


def set_identificatie(body, ident):
    """body with the BerichtIdentificatie's Identificatie set to ident (at most 12 chars)."""
    out, n = re.subn(rb"(<(?:\w+:)?BerichtIdentificatie>\s*<(?:\w+:)?Identificatie>)[^<]*(<)",
                     lambda m: m.group(1) + ident.encode() + m.group(2), body, count=1)
    assert n == 1, "no BerichtIdentificatie"
    return out


def identificatie(body):
    m = re.search(rb"<(?:\w+:)?BerichtIdentificatie>\s*<(?:\w+:)?Identificatie>([^<]*)<", body)
    return m.group(1).decode() if m else None


def header_retourcodes(body):
    """The RetourCode values of the Header of a retour message."""
    m = re.search(rb"<(?:\w+:)?Header>(.*?)</(?:\w+:)?Header>", body, re.S)
    if not m:
        return []
    return [c.decode() for c in re.findall(rb"<(?:\w+:)?RetourCode>\s*([^<\s]*)\s*<", m.group(1))]


def bsns(body):
    return {b.decode() for b in re.findall(rb"<(?:\w+:)?Bsn>\s*(\d+)\s*<", body)}


def reserve_port():
    """A socket bound to a free port of 127.0.0.1, not listening: connecting
    to it is refused, and no one else takes the port. A Receiver can listen
    on it later."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    return s


# ---- configuration ----

class Ini:
    """An INI file kept as sections of (name, value) pairs, in order."""

    def __init__(self, path):
        self.path = path
        self.sections = []  # [name, {key: value}]
        cur = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line[0] in ";#":
                    continue
                if line.startswith("["):
                    cur = {}
                    self.sections.append([line[1:-1], cur])
                else:
                    k, v = line.split("=", 1)
                    cur[k.strip()] = v.strip()

    def section(self, name):
        for n, s in self.sections:
            if n == name:
                return s
        s = {}
        self.sections.append([name, s])
        return s

    def set(self, section, key, value):
        self.section(section)[key] = str(value)
        return self

    def cross_checks_off(self, *codes):
        """No cross-message rules for messages to the parties (by default the two of
        PARTIES): for messages posted one by one that form no conversation."""
        for code in codes or (GEMEENTE, AANBIEDER):
            self.set("party " + code, "cross_checks", "off")
        return self

    def text(self):
        return "".join("[%s]\n%s\n" % (n, "".join("%s = %s\n" % kv for kv in s.items()))
                       for n, s in self.sections)

    def save(self, path=None):
        with open(path or self.path, "w", encoding="utf-8") as f:
            f.write(self.text())


# ---- certificates ----

def _openssl(*args, cwd=None):
    r = subprocess.run(["openssl"] + list(args), cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    if r.returncode:
        raise RuntimeError("openssl %s: %s" % (" ".join(args), r.stderr.decode(errors="replace")))


def _asn1(t):
    return t.strftime("%Y%m%d%H%M%SZ")


class CA:
    """A CA key and certificate, and certificates issued with `openssl ca`."""

    def __init__(self, directory, cert, key):
        self.dir = directory
        self.cert = cert
        self.key = key
        self.work = os.path.join(directory, "openssl-ca")
        os.makedirs(os.path.join(self.work, "new"), exist_ok=True)
        self.conf = os.path.join(self.work, "ca.cnf")
        if not os.path.exists(self.conf):
            open(os.path.join(self.work, "index.txt"), "w").close()
            with open(os.path.join(self.work, "serial"), "w") as f:
                f.write("%016X\n" % int.from_bytes(os.urandom(7), "big"))
            with open(self.conf, "w") as f:
                f.write("[ca]\ndefault_ca = ca_here\n"
                        "[ca_here]\ndatabase = {w}/index.txt\nnew_certs_dir = {w}/new\n"
                        "serial = {w}/serial\ndefault_md = sha256\npolicy = any\n"
                        "unique_subject = no\ncopy_extensions = none\n"
                        "[any]\ncommonName = supplied\norganizationName = optional\n"
                        "serialNumber = optional\n"
                        "[client]\nbasicConstraints = critical,CA:FALSE\n"
                        "keyUsage = critical,digitalSignature\n"
                        "extendedKeyUsage = clientAuth\n"
                        "[server]\nbasicConstraints = critical,CA:FALSE\n"
                        "keyUsage = critical,digitalSignature\n"
                        "extendedKeyUsage = serverAuth\n"
                        "subjectAltName = DNS:localhost,IP:127.0.0.1\n".format(w=self.work))

    @classmethod
    def new(cls, directory, cn="another CA"):
        """A fresh self-signed CA in directory."""
        os.makedirs(directory, exist_ok=True)
        cert, key = os.path.join(directory, "ca.pem"), os.path.join(directory, "ca.key")
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=" + cn, "-days", "30",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        return cls(directory, cert, key)

    def issue(self, name, cn, not_before=None, not_after=None, kind="client", org=None,
              newkey=("ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")):
        """DIR/name.pem and .key for subject CN=cn; by default valid from a day ago for 30 days,
        with an EC P-256 key (newkey: the arguments of openssl req -newkey for another)."""
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        not_before = not_before or now - datetime.timedelta(days=1)
        not_after = not_after or now + datetime.timedelta(days=30)
        pem = os.path.join(self.dir, name + ".pem")
        key = os.path.join(self.dir, name + ".key")
        csr = os.path.join(self.work, name + ".csr")
        subj = ("/O=%s" % org if org else "") + "/CN=" + cn
        _openssl("req", "-new", "-newkey", *newkey,
                 "-nodes", "-keyout", key, "-out", csr, "-subj", subj)
        _openssl("ca", "-batch", "-notext", "-config", self.conf, "-cert", self.cert,
                 "-keyfile", self.key, "-in", csr, "-out", pem, "-extensions", kind,
                 "-startdate", _asn1(not_before), "-enddate", _asn1(not_after))
        return pem, key


class Pki:
    """`ijw-gateway pki init DIR`: the CA, the certificates, gateway.ini (port 0)."""

    def __init__(self, ctx, directory, parties=PARTIES, args=()):
        """args: more options of pki init, after the parties (so that party
        options apply to the last one)."""
        self.ctx = ctx
        self.dir = directory
        cmd = [ctx.binary, "pki", "init", directory]
        for p in parties:
            cmd += ["--party", p]
        cmd += list(args)
        # port 0: the daemon listens on a free port and names it in its log
        r = subprocess.run(cmd + ["--port", "0"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        if r.returncode:
            raise RuntimeError("pki init: " + r.stderr.decode(errors="replace"))
        self.ini_path = os.path.join(directory, "gateway.ini")
        self.ca = CA(directory, self.path("ca.pem"), self.path("ca.key"))
        if PG:
            self.ini().set("gateway", "store", pg_database()).save()

    def path(self, name):
        return os.path.join(self.dir, name)

    def ini(self):
        return Ini(self.ini_path)

    def cert(self, party):
        """(certificate, key) of a party made by pki init."""
        return self.path(party + ".pem"), self.path(party + ".key")

    @property
    def store(self):
        """The store: a SQLite file's path, or a PostgreSQL URL."""
        spec = self.ini().section("gateway").get("store", "gateway.db")
        return spec if is_pg(spec) else self.path(spec)


# ---- the daemon ----

class Daemon:
    """`ijw-gateway serve -c DIR/gateway.ini`, its standard error in a file."""

    def __init__(self, ctx, pki, name, ini=None):
        """ini: a configuration file of its own, else the PKI's gateway.ini."""
        self.ctx = ctx
        self.pki = pki
        self.name = name
        self.ini_path = ini or pki.ini_path
        self.proc = None
        self.port = None
        self.admin_port = None  # the admin listener's, from its admin_listening line
        self.runs = 0
        self.logs = []
        self.prefix = []  # a command to run the daemon under, e.g. prlimit

    @property
    def log_path(self):
        return os.path.join(self.ctx.tmp, "%s-%d.log" % (self.name, self.runs))

    def start(self, timeout=60):
        self.runs += 1
        self.logs.append(self.log_path)
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.prefix + [self.ctx.binary, "serve", "-c",
                                                    self.ini_path],
                                     stdin=subprocess.DEVNULL, stdout=self.log_file,
                                     stderr=self.log_file)
        # in logfmt or, with log_format = json, as an object
        m = self.wait_log(r' info listening address=\S+ port=(\d+) |'
                          r'"event":"listening","address":"[^"]*","port":(\d+)\b',
                          timeout=timeout)
        if not m:
            self.kill()
            raise RuntimeError("the daemon did not say it listens:\n" + self.log())
        self.port = int(m.group(1) or m.group(2))
        m = re.search(r' info admin_listening address=\S+ port=(\d+) tls=(\w+)|'
                      r'"event":"admin_listening","address":"[^"]*","port":(\d+),"tls":"?(\w+)',
                      self.log())
        self.admin_port = int(m.group(1) or m.group(3)) if m else None
        self.admin_tls = bool(m) and (m.group(2) or m.group(4)) == "yes"
        return self

    def log(self, run=None):
        with open(self.logs[-1] if run is None else self.logs[run], "rb") as f:
            return f.read().decode("utf-8", "replace")

    def all_logs(self):
        out = ""
        for p in self.logs:
            with open(p, "rb") as f:
                out += f.read().decode("utf-8", "replace")
        return out

    def log_size(self):
        return os.path.getsize(self.logs[-1])

    def wait_log(self, pattern, timeout=20, since=0):
        """The first match of pattern in this run's log after byte since, or None."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while True:
            with open(self.logs[-1], "rb") as f:
                f.seek(since)
                m = rx.search(f.read().decode("utf-8", "replace"))
            if m:
                return m
            if self.proc.poll() is not None or time.monotonic() > end:
                return None
            time.sleep(0.02)

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def rss_kb(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, checks=None, timeout=60, what=None):
        """SIGTERM, then the exit status must be 0 and the log free of sanitizer reports."""
        what = what or "the daemon (%s, run %d)" % (self.name, self.runs)
        if not self.alive():
            rc = self.proc.poll()
        else:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                rc = None
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()
        if checks:
            log = self.log()
            checks.check(rc == 0, what + " exits with status 0 after SIGTERM",
                         "status %r; its log ends:\n%s" % (rc, log[-3000:]))
            bad = [l for l in log.splitlines() if SANITIZER.search(l)]
            checks.check(not bad, what + " has no sanitizer report in its log",
                         "\n".join(bad[:5]) + "\n" + log[-4000:])
        return rc

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log_file.close()

    def kill9_during(self, threads, count, at, join=120):
        """Starts the threads (a load on this daemon), kills the daemon with
        SIGKILL once count() reaches at (or the threads have ended), and waits
        for the threads; count() at the kill."""
        for t in threads:
            t.start()
        while count() < at and any(t.is_alive() for t in threads):
            time.sleep(0.002)
        self.kill9()
        killed_at = count()
        for t in threads:
            t.join(join)
        return killed_at

    def kill(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()

    def client(self, party=None, cert=None, key=None, ca=None, timeout=60):
        if party:
            cert, key = self.pki.cert(party)
        return Client(self.port, ca or self.pki.path("ca.pem"), cert, key, timeout)


    def admin(self, token=True, cert=None, key=None, timeout=60):
        """A client of the admin listener: with the PKI's admin.token as a bearer token
        (token=True), another token (a string), or none (None); over TLS when the daemon's
        admin_tls is on, with a client certificate when one is given."""
        if token is True:
            with open(self.pki.path("admin.token")) as f:
                token = f.read().strip()
        ca = self.pki.path("ca.pem") if self.admin_tls else None
        return Admin(self.admin_port, token, ca, cert, key, timeout)


# ---- the API descriptions ----

# schemas/openapi/ of the source tree this harness belongs to
OPENAPI_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas",
                           "openapi")

try:
    import jsonschema
except ImportError:  # run() skips: python3-jsonschema is not installed
    jsonschema = None


# Answers a Client checked, and those it found undescribed: run() fails a program with one
# even where the program caught the AssertionError (a load thread that takes any exception
# for a killed daemon).
ANSWERS = [0]
UNDESCRIBED = []


class Description:
    """An OpenAPI 3.1 description (schemas/openapi/NAME) that answers are checked against.

    check() raises AssertionError, naming the method, the path, the status and
    what is wrong, unless the answer is described: its path matches a path
    template (each path parameter valid by its schema) and the template has the
    method, or else the document's "x-ijw-unrouted" answers (any other path);
    the status is one of the operation's responses (or its range, "4XX", or
    "default"); the Content-Type is one the response names; a JSON body (or a
    text one) is valid by the schema, Draft 2020-12, every $ref resolved in the
    document.
    """

    _loaded = {}

    @classmethod
    def of(cls, name):
        if name not in cls._loaded:
            cls._loaded[name] = cls(os.path.join(OPENAPI_DIR, name))
        return cls._loaded[name]

    def __init__(self, path, doc=None):
        if doc is None:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        self.name = os.path.basename(path)
        # every $ref made absolute, so that a schema inside the document resolves its
        # references in the document, wherever it sits
        self.uri = "urn:ijw-openapi:" + self.name
        self.doc = self._absolute(doc)
        self.templates = []
        for template, item in self.doc.get("paths", {}).items():
            rx = re.escape(template)
            for name in re.findall(r"\{(\w+)\}", template):
                rx = rx.replace(re.escape("{%s}" % name), "(?P<%s>[^/]+)" % name)
            self.templates.append((re.compile(rx + r"\Z"), template, item))
        self.validators = {}
        self.format_checker = getattr(jsonschema.Draft202012Validator, "FORMAT_CHECKER", None)
        try:  # jsonschema >= 4.18
            import referencing
            import referencing.jsonschema
            resource = referencing.Resource.from_contents(
                self.doc, default_specification=referencing.jsonschema.DRAFT202012)
            self.registry = referencing.Registry().with_resource(self.uri, resource)
            self.resolver = None
        except ImportError:  # Debian 12's 4.10
            self.registry = None
            self.resolver = jsonschema.RefResolver(self.uri, self.doc, store={self.uri: self.doc})

    def _absolute(self, v):
        if isinstance(v, dict):
            return {k: (self.uri + x if k == "$ref" and isinstance(x, str) and x.startswith("#")
                        else self._absolute(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [self._absolute(x) for x in v]
        return v

    def resolve(self, obj):
        """obj, or what its $ref (within the document) points at."""
        while isinstance(obj, dict) and "$ref" in obj:
            pointer, obj = obj["$ref"].split("#/", 1)[1], self.doc
            for part in pointer.split("/"):
                obj = obj[part.replace("~1", "/").replace("~0", "~")]
        return obj

    def errors(self, schema, value):
        """The first error of value by schema, as text, or None."""
        key = id(schema)
        if key not in self.validators:
            kw = {"format_checker": self.format_checker}
            if self.registry is not None:
                kw["registry"] = self.registry
            else:
                kw["resolver"] = self.resolver
            self.validators[key] = (schema, jsonschema.Draft202012Validator(schema, **kw))
        err = jsonschema.exceptions.best_match(self.validators[key][1].iter_errors(value))
        if err is None:
            return None
        where = "/".join(str(p) for p in err.absolute_path)
        return "%s%s" % ("at /%s: " % where if where else "", err.message[:500])

    def operation(self, method, path):
        """(label, responses) for method on path (no query)."""
        for rx, template, item in self.templates:
            m = rx.match(path)
            if not m:
                continue
            op = item.get(method.lower())
            params = [self.resolve(p) for p in item.get("parameters", []) +
                      ((op or {}).get("parameters", []))]
            bad = [p["name"] for p in params if p.get("in") == "path" and
                   self.errors(p["schema"], m.group(p["name"])) is not None]
            if bad:
                continue
            if op is None:
                raise AssertionError("%s: %s %s: the method is not described for %s"
                                     % (self.name, method, path, template))
            return "%s %s" % (method, template), op["responses"]
        other = self.doc.get("x-ijw-unrouted")
        if not other:
            raise AssertionError("%s: %s %s: no path template matches" % (self.name, method, path))
        return "%s %s (not routed)" % (method, path), other["responses"]

    def check(self, method, path, status, headers, body):
        """Raises AssertionError unless the answer (headers: lowercase names) is described."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        label, responses = self.operation(method, path)
        what = "%s: %s: %d" % (self.name, label, status)
        resp = responses.get(str(status)) or responses.get("%dXX" % (status // 100)) or \
            responses.get("default")
        if resp is None:
            raise AssertionError("%s: the status is not described (described: %s)"
                                 % (what, ", ".join(sorted(responses))))
        resp = self.resolve(resp)
        for name, h in resp.get("headers", {}).items():
            value = headers.get(name.lower())
            h = self.resolve(h)
            if value is not None and "schema" in h:
                schema = self.resolve(h["schema"])
                v = int(value) if schema.get("type") == "integer" and value.isdigit() else value
                err = self.errors(h["schema"], v)
                if err:
                    raise AssertionError("%s: header %s: %s" % (what, name, err))
        content = resp.get("content")
        ctype = headers.get("content-type", "")
        if not content:
            if body:
                raise AssertionError("%s: a body of %d bytes (%s), described as none"
                                     % (what, len(body), ctype))
            return
        norm = ";".join(p.strip() for p in ctype.lower().split(";"))
        media = next((k for k in content
                      if ";".join(p.strip() for p in k.lower().split(";")) in
                      (norm, norm.split(";")[0])), None)
        if media is None:
            raise AssertionError("%s: Content-Type %r is none of %s"
                                 % (what, ctype, ", ".join(content)))
        schema = content[media].get("schema")
        if schema is None:
            return
        if media.split(";")[0] == "application/json":
            try:
                value = json.loads(body)
            except ValueError as e:
                raise AssertionError("%s: the body is not JSON: %s: %r" % (what, e, body[:200]))
        else:
            value = body.decode("utf-8", "replace")
        err = self.errors(schema, value)
        if err:
            raise AssertionError("%s: the body does not match its schema: %s; body: %s"
                                 % (what, err, clip(body[:400])))


class Client:
    """One keep-alive HTTPS connection to the gateway with a client certificate (or none).
    Every answer is checked against the party API's description (schemas/openapi/party.json):
    one it does not describe raises AssertionError."""

    description = "party.json"

    def __init__(self, port, ca, cert=None, key=None, timeout=60):
        self.ctx = ssl.create_default_context(cafile=ca)
        if cert:
            self.ctx.load_cert_chain(cert, key)
        self.port = port
        self.timeout = timeout
        self.conn = None
        self.headers = {}

    def connect(self):
        self.conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx,
                                                timeout=self.timeout)
        self.conn.connect()
        return self

    def local_port(self):
        """The local port of the open connection, or None: tells whether it is the same one."""
        s = self.conn.sock if self.conn else None
        return s.getsockname()[1] if s else None

    def request(self, method, path, body=None, headers=None):
        """(status, body bytes), the answer's headers in self.headers (lowercase names);
        raises on a transport failure (the connection is dropped), and AssertionError when
        the description of the listener does not describe the answer."""
        if self.conn is None:
            self.connect()
        h = {"Content-Type": "application/xml"} if body is not None else {}
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read()
        except BaseException:
            self.close()
            raise
        self.headers = {k.lower(): v for k, v in r.getheaders()}
        if r.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            Description.of(self.description).check(method, path, r.status, self.headers, data)
        except AssertionError as e:
            UNDESCRIBED.append(str(e))
            raise
        ANSWERS[0] += 1
        return r.status, data

    def jrequest(self, method, path, body=None):
        status, data = self.request(method, path, body)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data

    def post(self, body):
        return self.jrequest("POST", "/v1/berichten", body)

    def inbox(self, limit=None):
        return self.jrequest("GET", "/v1/berichten" + ("?limit=%d" % limit if limit else ""))

    def inbox_ids(self, limit=1000):
        status, j = self.inbox(limit)
        assert status == 200, "inbox: %r %r" % (status, j)
        return [m["id"] for m in j["berichten"]]

    def get(self, mid):
        return self.request("GET", "/v1/berichten/%s" % mid)

    def ack(self, mid):
        return self.jrequest("POST", "/v1/berichten/%s/ack" % mid, b"")

    def healthz(self):
        return self.request("GET", "/healthz")

    def readyz(self):
        return self.request("GET", "/readyz")

    def close(self):
        if self.conn:
            self.conn.close()
        self.conn = None


class Admin(Client):
    """One keep-alive connection to the admin listener, HTTP (or HTTPS with ca), with a
    bearer token (or none) in every request; answers are checked against admin.json."""

    description = "admin.json"

    def __init__(self, port, token=None, ca=None, cert=None, key=None, timeout=60):
        super().__init__(port, ca, cert, key, timeout)
        self.tls = ca is not None
        self.token = token

    def connect(self):
        if self.tls:
            return super().connect()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self.conn.connect()
        return self

    def request(self, method, path, body=None, headers=None):
        h = {"Authorization": "Bearer " + self.token} if self.token else {}
        h.update(headers or {})
        return super().request(method, path, body, h)

    def metrics(self):
        """The text of /metrics (asserting a 200)."""
        status, data = self.request("GET", "/metrics")
        assert status == 200, "/metrics: %r %r" % (status, data[:300])
        return data.decode()

    def metric(self, name):
        """The value on the /metrics line of name (with its labels, if any), or None."""
        status, data = self.request("GET", "/metrics")
        m = re.search(r"^%s (\S+)$" % re.escape(name), data.decode(), re.M)
        return int(float(m.group(1))) if status == 200 and m else None


def attempt(port, ca, cert=None, key=None):
    """What a client gets for GET /healthz on a new connection: (status, body), or the
    exception of a refused TLS connection."""
    c = Client(port, ca, cert, key, timeout=20)
    try:
        c.connect()
        return c.request("GET", "/healthz")
    except REFUSED as e:
        return e
    finally:
        c.close()


def refused(fn):
    """None when fn() raised as a refused TLS connection does, else what it returned."""
    try:
        return fn()
    except REFUSED:
        return None


# ---- a push receiver ----

# What a Receiver answers besides a status: read the request and never answer,
# or read it and reset the connection.
HANG = "hang"
RESET = "reset"


class Receiver:
    """An HTTPS server for push deliveries on 127.0.0.1:port.

    Its certificate is issued by ca (the test's CA); it demands a client
    certificate from that CA. Every POST is recorded (path, Ijw-Message-Id
    header, body, status answered; and all its request headers, and when it
    was read); a body is answered 500 while fail[sha256] is above 0, else
    answer: 200, another status, HANG or RESET (recorded as status 0).
    unique() gives the bodies without repeats (the receiver's own
    deduplication by body hash). tls, when given, narrows the server's
    SSLContext (protocol versions, cipher suites) before it starts.
    """

    def __init__(self, ca, cert, key, port=0, sock=None, tls=None):
        """On sock (from reserve_port) when given, else on port (0: any)."""
        self.ca = ca
        self.port = port
        self.sock = sock
        self.cert, self.key = cert, key
        self.tls = tls
        self.lock = threading.Lock()
        self.posts = []  # (path, message id header, body, status)
        self.headers = []  # the request headers of each post, in the order of posts
        self.times = []  # time.monotonic() when each post was read, in the order of posts
        self.fail = {}   # sha256 -> how many more times to answer 500
        self.answer = 200
        self.stopped = threading.Event()  # lets the posts held by HANG go
        self.peers = set()
        self.server = None

    def start(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        ctx.load_verify_locations(self.ca)
        ctx.verify_mode = ssl.CERT_REQUIRED
        if self.tls:
            self.tls(ctx)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body in one write: else Nagle holds the body back
            # for the client's delayed ACK, 40 ms a post
            wbufsize = 1 << 16

            def log_message(self, *args):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                h = sha(body)
                peer = dict(x[0] for x in (self.connection.getpeercert() or {}).get(
                    "subject", ()))
                with receiver.lock:
                    answer = receiver.answer
                    status = answer if isinstance(answer, int) else 0
                    if receiver.fail.get(h, 0) > 0:
                        receiver.fail[h] -= 1
                        status = answer = 500
                    receiver.peers.add(peer.get("commonName", ""))
                    receiver.posts.append((self.path, self.headers.get("Ijw-Message-Id"),
                                           body, status))
                    receiver.headers.append(dict(self.headers.items()))
                    receiver.times.append(time.monotonic())
                if answer == HANG:
                    receiver.stopped.wait()
                    self.close_connection = True
                    return
                if answer == RESET:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                out = b'{"ok":true}\n' if status == 200 else b'{"error":"try later"}\n'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
                self.wfile.flush()

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def get_request(self):
                sock, addr = self.socket.accept()
                # the handshake's last flight and the answer go at once
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return ctx.wrap_socket(sock, server_side=True,
                                       do_handshake_on_connect=False), addr

            def finish_request(self, request, client_address):
                try:
                    request.settimeout(30)
                    request.do_handshake()
                except (ssl.SSLError, OSError):
                    return
                super().finish_request(request, client_address)

            def handle_error(self, request, client_address):
                pass

        self.server = Server(("127.0.0.1", self.port), Handler, bind_and_activate=False)
        if self.sock:
            self.server.socket.close()
            self.server.socket = self.sock
            self.sock = None
        else:
            self.server.server_bind()
        self.server.server_activate()
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stopped.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def bodies(self):
        with self.lock:
            return [p[2] for p in self.posts]

    def headers_of(self, body):
        """The request headers of each post of body."""
        h = sha(body)
        with self.lock:
            return [hd for p, hd in zip(self.posts, self.headers) if sha(p[2]) == h]

    def unique(self):
        """sha256 -> body, of the bodies answered 200 (deduplicated)."""
        with self.lock:
            return {sha(p[2]): p[2] for p in self.posts if p[3] == 200}

    def count(self, body):
        h = sha(body)
        with self.lock:
            return sum(1 for p in self.posts if sha(p[2]) == h)

    def wait_for(self, shas, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if set(shas) <= set(self.unique()):
                return True
            time.sleep(0.05)
        return set(shas) <= set(self.unique())


# ---- the store ----

def is_pg(spec):
    return spec.startswith(("postgresql://", "postgres://"))


_databases = []


def pg_database():
    """A new, empty database on the server of IJW_TEST_PG; its URL."""
    name = "ijw_%d_%d" % (os.getpid(), len(_databases) + 1)
    _databases.append(name)
    psql(PG, "CREATE DATABASE " + name)
    return PG.rsplit("/", 1)[0] + "/" + name


# psql's separators of fields and rows, and its NULL: bytes no stored text holds
_FS, _RS, _NULL = "\x1f", "\x1e", "\x1d"


def _psql(url, sql, stdin=None):
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                        "-F", _FS, "-R", _RS, "-P", "null=" + _NULL, "-d", url]
                       + ([] if stdin else ["-c", sql]), input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if r.returncode:
        raise RuntimeError("psql: %s: %s" % (sql, r.stderr.decode(errors="replace")))
    out = r.stdout.decode("utf-8", "replace").rstrip("\n")
    return [row.split(_FS) for row in out.split(_RS) if row]


def psql(url, sql):
    """Rows of sql run by psql on url, as SQLite gives them: NULL as None,
    integers as int, booleans as 0 or 1, the rest as text."""
    if not re.match(r"\s*(SELECT|WITH)\b", sql, re.I):
        return _psql(url, sql)
    types = [t for _, t in _psql(url, sql, stdin=(sql + " \\gdesc\n").encode())]
    integer = ("smallint", "integer", "bigint")

    def value(v, t):
        if v == _NULL:
            return None
        if t == "boolean":
            return int(v == "t")
        return int(v) if t in integer else v
    return [tuple(value(v, t) for v, t in zip(row, types)) for row in _psql(url, sql)]


def _literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, (bool, int)):
        return str(int(v))
    return "'" + str(v).replace("'", "''") + "'"


def store_query(path, sql, args=()):
    """Rows of a query on the store (a file, or a PostgreSQL URL); ? for each of args.
    On PostgreSQL, SQLite's hex(x) reads as upper(encode(x, 'hex'))."""
    if is_pg(path):
        parts = sql.split("?")
        if len(parts) != len(args) + 1:
            raise ValueError("%d arguments for %s" % (len(args), sql))
        sql = parts[0] + "".join(_literal(a) + p for a, p in zip(args, parts[1:]))
        return psql(path, re.sub(r"\bhex\((\w+)\)", r"upper(encode(\1, 'hex'))", sql))
    import sqlite3
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def store_change(path, sql):
    """Runs a statement that changes the store (a file, or a PostgreSQL URL),
    as a tamperer would; the number of rows it returns (use RETURNING)."""
    if is_pg(path):
        return len(_psql(path, sql))
    import sqlite3
    db = sqlite3.connect(path, timeout=10)
    try:
        n = len(db.execute(sql).fetchall())
        db.commit()
        return n
    finally:
        db.close()
