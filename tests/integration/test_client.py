#!/usr/bin/env python3
"""test_client.py: the party's commands (send, inbox, fetch, ack, status, watch)
against the real daemon, as the real binary runs them.

The municipality 0384 sends with a client file of its own, the provider
42420001 (retour = auto) takes its messages with another; the files name
their certificates relative to their folder, and the commands run from
another folder.

- send: accepted (exit 0), repeated (200), rejected with its finding (exit 1),
  --json an array of the answers with "file" and "http_status";
- inbox lists what was sent, fetch gives it byte for byte (to standard output
  and with -o), status tells its life, ack takes it out: the inbox is empty;
- a message that is not the party's: fetch and ack exit 1;
- watch --to DIR --once takes three messages (one of them already in DIR, as
  after a stop between the rename and the ack) and acknowledges them, the files
  equal to the posted bytes; watch --exec 'exit 1' acknowledges nothing;
- watch killed by SIGKILL while its command sleeps acknowledges nothing, and a
  later watch hands every message over and acknowledges it: each one handed
  over at least once, none lost;
- watch as a service takes a message posted while it polls, and stops on
  SIGTERM with exit 0;
- an unreachable gateway, a gateway's certificate of another CA, a missing
  cert setting and a bad client file: exit 2 with a message that says so.

    test_client.py BINARY SOURCE_DIR SHARED_DIR
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

WAIT = 60  # seconds: a bound on waiting, never a verdict


def client_file(pki, party, url, **drop):
    path = pki.path("client-%s.ini" % party)
    lines = ["[client]", "url = %s" % url, "cacert = ca.pem", "cert = %s.pem" % party,
             "key = %s.key" % party]
    with open(path, "w") as f:
        f.write("\n".join(x for x in lines if x.split(" ")[0] not in drop) + "\n")
    return path


def run(ctx, *args, env=None):
    """The binary run with args from the scratch folder: (exit status, stdout, stderr)."""
    r = subprocess.run([ctx.binary] + list(args), cwd=ctx.tmp, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=WAIT * 2,
                       env=dict(os.environ, **(env or {})))
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def write(ctx, name, data):
    path = os.path.join(ctx.tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def inbox_ids(c):
    status, j = c.inbox()
    return [m["id"] for m in j["berichten"]] if status == 200 else None


def send_all(ctx, gem, bodies):
    """Posts each message as the municipality; their ids."""
    ids = []
    for b in bodies:
        status, j = gem.post(b)
        if status != 201:
            raise RuntimeError("posting a message: %d %s" % (status, j))
        ids.append(j["id"])
    return ids


def test_send(ctx, c, gem, prov, pki):
    ck = ctx.checks
    one = ctx.sample("JW301-valid-1.xml")
    f1 = write(ctx, "one.xml", one)
    st, out, err = run(ctx, "send", "-c", gem, f1)
    ck.equal(st, 0, "send of a valid JW301 exits 0")
    m = re.match(r"^%s: accepted id=(\d+) type=JW301 retour=(\d+)$" % re.escape(f1),
                 out.strip())
    ck.check(m, "send says accepted with the id, the type and the gateway's retour", out + err)
    sent = m.group(1) if m else "0"
    st, out, err = run(ctx, "send", "-c", gem, f1)
    ck.equal(st, 0, "the same message sent again exits 0")
    ck.equal(out.strip(), "%s: repeated id=%s type=JW301" % (f1, sent),
             "send says repeated with the first id (200)")
    bad = write(ctx, "bad.xml", ctx.sample("JW301-CD005-invalid.xml"))
    st, out, err = run(ctx, "send", "-c", gem, bad)
    ck.equal(st, 1, "send of a rejected message exits 1")
    ck.check(re.match(r"^%s: rejected type=JW301 retourcode=0001 retour=\d+\n    CD005 0001 "
                      r"/jw301:Bericht/\S+ \(line \d+\): \S" % re.escape(bad), out),
             "send says rejected, with the finding indented", out)
    two = ctx.generate("JW301", 701)
    f2 = write(ctx, "two.xml", two)
    st, out, err = run(ctx, "send", "-c", gem, "--json", f2, f1, bad)
    ck.equal(st, 1, "send --json with a rejected file exits 1")
    try:
        answers = json.loads(out)
    except ValueError:
        answers = []
    ck.equal([(a.get("file"), a.get("http_status"), a.get("status", a.get("error")))
              for a in answers],
             [(f2, 201, "accepted"), (f1, 200, "repeated"), (bad, 422, "rejected")],
             "send --json: an array of the answers with file and http_status")
    second = answers[0].get("id") if answers else None
    ck.equal(answers[2].get("findings", [{}])[0].get("rule") if len(answers) == 3 else None,
             "CD005", "send --json keeps the gateway's findings")
    st, out, err = run(ctx, "send", "-c", gem, os.path.join(ctx.tmp, "nothing.xml"), f1)
    ck.equal(st, 2, "send of a file that cannot be read exits 2")
    ck.check("nothing.xml: cannot read: No such file" in err and "repeated id=" in out,
             "the unreadable file is named, the others are sent", out + err)
    return sent, second, one, two


def test_inbox(ctx, c, gem, prov, sent, second, one, two):
    ck = ctx.checks
    st, out, err = run(ctx, "inbox", "-c", prov)
    ck.equal(st, 0, "inbox exits 0")
    rows = [line.split() for line in out.splitlines()]
    ck.equal(rows[0] if rows else None,
             ["id", "type", "from", "to", "identificatie", "received"], "inbox: its header")
    ck.equal([r[:4] for r in rows[1:]],
             [[sent, "JW301", "0384", "42420001"], [second, "JW301", "0384", "42420001"]],
             "inbox lists both messages, oldest first")
    st, out, err = run(ctx, "inbox", "--json", "--limit", "1", env={"IJW_CLIENT": prov})
    try:
        j = json.loads(out)
    except ValueError:
        j = {}
    ck.equal([m["id"] for m in j.get("berichten", [])], [sent],
             "inbox --json --limit 1 ($IJW_CLIENT): the gateway's JSON")
    r = subprocess.run([ctx.binary, "fetch", "-c", prov, sent], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=WAIT)
    ck.equal((r.returncode, g.sha(r.stdout)), (0, g.sha(one)),
             "fetch writes the message byte for byte to standard output")
    out_file = os.path.join(ctx.tmp, "fetched.xml")
    st, out, err = run(ctx, "fetch", "-c", prov, second, "-o", out_file)
    with open(out_file, "rb") as f:
        ck.equal((st, g.sha(f.read())), (0, g.sha(two)), "fetch -o writes the file byte for byte")
    ck.check(not [n for n in os.listdir(ctx.tmp) if n.startswith("fetched.xml.")],
             "fetch -o leaves no temporary file")
    st, out, err = run(ctx, "fetch", "-c", prov, "999999")
    ck.equal(st, 1, "fetch of a message that is not there exits 1")
    ck.check("no message 999999 for this party" in err, "fetch says there is no such message",
             err)
    st, out, err = run(ctx, "status", "-c", gem, sent)
    ck.equal(st, 0, "status exits 0")
    ck.check(out.startswith("message %s: JW301 from 0384 to 42420001" % sent) and
             re.search(r"^  status +waiting$", out, re.M) and
             re.search(r"^  answered by +\d+ JW302 42420001->0384 \(made by the gateway\), "
                       r"retourcodes 0200$", out, re.M),
             "status shows the message waiting, answered by the gateway's JW302", out)
    ack_ = subprocess.run([ctx.binary, "ack", "-c", prov, sent, second],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=WAIT)
    ck.equal((ack_.returncode, ack_.stdout.decode()),
             (0, "%s: acknowledged\n%s: acknowledged\n" % (sent, second)),
             "ack acknowledges both")
    st, out, err = run(ctx, "status", "-c", gem, "--json", sent)
    try:
        j = json.loads(out)
    except ValueError:
        j = {}
    ck.equal((st, j.get("status"), j.get("delivery", {}).get("state")),
             (0, "acknowledged", "acknowledged"), "status --json: acknowledged")
    st, out, err = run(ctx, "inbox", "-c", prov)
    ck.equal((st, out), (0, "the inbox of 42420001 is empty\n"), "inbox: empty after the acks")
    ck.equal(inbox_ids(c), [], "the gateway's inbox is empty too")
    st, out, err = run(ctx, "ack", "-c", prov, "999999")
    ck.equal(st, 1, "ack of a message that is not the party's exits 1")
    ck.check("999999: not acknowledged: no message 999999 for this party" in err,
             "ack says which one and why", err)


def test_watch(ctx, c, gem, prov, posting):
    ck = ctx.checks
    bodies = [ctx.generate("JW301", 800 + i) for i in range(3)]
    ids = send_all(ctx, posting, bodies)
    into = os.path.join(ctx.tmp, "in")
    os.mkdir(into)
    # the first as if a watch had stopped between its rename and its ack
    write(ctx, os.path.join("in", "%s-JW301.xml" % ids[0]), bodies[0])
    st, out, err = run(ctx, "watch", "-c", prov, "--to", into, "--once")
    ck.equal(st, 0, "watch --to --once exits 0")
    want = ["%s JW301 0384->42420001: already in %s/%s-JW301.xml, acknowledged"
            % (ids[0], into, ids[0])] + [
        "%s JW301 0384->42420001: written %s/%s-JW301.xml, acknowledged" % (i, into, i)
        for i in ids[1:]]
    ck.equal(out.splitlines(), want, "watch --to: a line per message, oldest first")
    ck.equal(inbox_ids(c), [], "watch --to --once acknowledged all three")
    got = {}
    for i in ids:
        with open(os.path.join(into, "%s-JW301.xml" % i), "rb") as f:
            got[i] = f.read()
    ck.equal([g.sha(got[i]) for i in ids], [g.sha(b) for b in bodies],
             "the files hold the posted bytes")
    ck.equal(sorted(os.listdir(into)), sorted("%s-JW301.xml" % i for i in ids),
             "watch --to leaves no temporary files")

    bodies = [ctx.generate("JW301", 900 + i) for i in range(2)]
    ids = send_all(ctx, posting, bodies)
    st, out, err = run(ctx, "watch", "-c", prov, "--exec", "exit 1", "--once")
    ck.equal((st, out), (1, ""), "watch --exec 'exit 1' --once exits 1, acknowledging nothing")
    ck.check(len(re.findall(r"the command exited with 1: not acknowledged", err)) == 2,
             "watch says so for each message", err)
    ck.equal(inbox_ids(c), ids, "the inbox still holds both")

    # killed while its command holds the first message
    handed = os.path.join(ctx.tmp, "handed")
    os.mkdir(handed)
    slow = ('cat > "%s/$IJW_ID.$$"; touch "%s/marker"; sleep 60' % (handed, ctx.tmp))
    p = subprocess.Popen([ctx.binary, "watch", "-c", prov, "--exec", slow],
                         cwd=ctx.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    marker = os.path.join(ctx.tmp, "marker")
    deadline = time.monotonic() + WAIT
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    ck.check(os.path.exists(marker), "the command of watch --exec got the first message")
    os.killpg(p.pid, signal.SIGKILL)
    p.communicate(timeout=WAIT)
    ck.equal(inbox_ids(c), ids, "watch killed by SIGKILL acknowledged nothing")
    env_cmd = ('cat > "%s/$IJW_ID.$$" && cmp -s "$IJW_FILE" "%s/$IJW_ID.$$" && '
               'printf "%%s %%s %%s %%s\\n" "$IJW_ID" "$IJW_TYPE" "$IJW_FROM" "$IJW_TO" '
               '>> "%s/env"' % (handed, handed, ctx.tmp))
    st, out, err = run(ctx, "watch", "-c", prov, "--exec", env_cmd, "--once")
    ck.check(st == 0, "a later watch --exec --once exits 0", err)
    ck.equal(out.splitlines(),
             ["%s JW301 0384->42420001: handed to the command, acknowledged" % i for i in ids],
             "it hands both over and acknowledges them")
    ck.equal(inbox_ids(c), [], "the inbox is empty")
    with open(os.path.join(ctx.tmp, "env")) as f:
        ck.equal(f.read().splitlines(), ["%s JW301 0384 42420001" % i for i in ids],
                 "the command gets IJW_ID, IJW_TYPE, IJW_FROM, IJW_TO and IJW_FILE")
    seen = {}
    for name in os.listdir(handed):
        with open(os.path.join(handed, name), "rb") as f:
            seen.setdefault(name.split(".")[0], set()).add(g.sha(f.read()))
    ck.equal({i: seen.get(i) for i in ids}, {i: {g.sha(b)} for i, b in zip(ids, bodies)},
             "every message was handed over at least once, with its bytes")

    # as a service: a message posted while it polls is taken; SIGTERM ends it with exit 0
    p = subprocess.Popen([ctx.binary, "watch", "-c", prov, "--to", into, "--interval", "1"],
                         cwd=ctx.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    late = ctx.generate("JW301", 950)
    mid = send_all(ctx, posting, [late])[0]
    line = p.stdout.readline().decode()
    ck.equal(line, "%s JW301 0384->42420001: written %s/%s-JW301.xml, acknowledged\n"
             % (mid, into, mid), "watch polls and takes a message posted while it runs")
    p.send_signal(signal.SIGTERM)
    try:
        st = p.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        p.kill()
        st = None
    ck.equal(st, 0, "watch ends with exit 0 on SIGTERM")
    ck.equal(inbox_ids(c), [], "the inbox is empty")


def test_errors(ctx, pki, port):
    ck = ctx.checks
    f1 = os.path.join(ctx.src, "samples", "JW301-valid-1.xml")
    st, out, err = run(ctx, "send", "-c", pki.path("client-0384.ini"), "--url",
                       "https://127.0.0.1:1", f1)
    ck.equal(st, 2, "send to an unreachable gateway exits 2")
    ck.check(re.search(r"send: cannot reach the gateway at https://127.0.0.1:1/v1/berichten: "
                       r".*(onnect|refused)", err), "it names the URL and the reason", err)
    other = g.CA.new(os.path.join(ctx.tmp, "other"))
    st, out, err = run(ctx, "inbox", "-c", pki.path("client-0384.ini"), "--cacert", other.cert)
    ck.equal(st, 2, "a gateway's certificate of another CA: exit 2")
    ck.check("the gateway's TLS certificate does not verify with %s" % other.cert in err,
             "it says that the gateway's certificate does not verify", err)
    nocert = client_file(pki, "0384", "https://localhost:%d" % port, cert=True)
    st, out, err = run(ctx, "inbox", "-c", nocert)
    ck.equal(st, 2, "a client file without cert: exit 2")
    ck.check("the client certificate is not set: give --cert or cert = in the [client] section"
             in err, "it names the setting and how to give it", err)
    bad = write(ctx, "bad.ini", b"[client]\nurl = https://localhost\ncolour = blue\n")
    st, out, err = run(ctx, "inbox", "-c", bad)
    ck.equal(st, 2, "a client file with an unknown setting: exit 2")
    ck.check("%s:3: unknown setting (url, cacert, cert, key): colour" % bad in err,
             "it says file:line and what is wrong", err)
    st, out, err = run(ctx, "fetch", "-c", bad, "x1")
    ck.equal(st, 2, "fetch of an id that is no number: exit 2")
    ck.check("'x1' is no message id" in err, "it says so", err)


def main(ctx):
    pki = ctx.pki()
    # generated assignments refer to requests that were never sent
    pki.ini().cross_checks_off(g.AANBIEDER).save()
    d = ctx.daemon(pki).start()
    url = "https://localhost:%d" % d.port
    gem = client_file(pki, "0384", url)
    prov = client_file(pki, "42420001", url)
    c = d.client(g.AANBIEDER).connect()
    posting = d.client(g.GEMEENTE).connect()
    sent, second, one, two = test_send(ctx, c, gem, prov, pki)
    test_inbox(ctx, c, gem, prov, sent, second, one, two)
    test_watch(ctx, c, gem, prov, posting)
    test_errors(ctx, pki, d.port)
    d.stop(ctx.checks)


if __name__ == "__main__":
    g.run("client", main)
