#!/usr/bin/env python3
"""test_conform.py: `ijw-gateway conform` against the real daemon.

Parties: 0384 (a municipality) and 42420001 (a provider), both answering
themselves (retour = relay, so the ledger advises):

- `conform --self` over the whole built-in pack as gemeente and as
  aanbieder: exit 0, its JUnit report parses, one testcase per scenario
  and per mistake of the other side, none failed; the gateway holds what
  was played, every message taken;
- a stand-in provider (a shell script run by `ijw-gateway watch --exec`
  that answers with `generate --from` and `send`) for
  toewijzing-start-stop: passes;
- a stand-in that starts another client: exit 1, the failure names the
  step and its check.

    test_conform.py BINARY SOURCE_DIR SHARED_DIR
"""
import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def client_file(d, pki, party):
    """A client file for party, as `pki init` writes them."""
    path = pki.path("client-%s.ini" % party)
    with open(path, "w") as f:
        f.write("[client]\nurl = https://127.0.0.1:%d\ncacert = ca.pem\ncert = %s.pem\n"
                "key = %s.key\n" % (d.port, party, party))
    return path


def pack(src):
    """The built-in scenarios: {name: mistakes by the side that makes them}."""
    out = {}
    for path in sorted(glob.glob(os.path.join(src, "conf", "conform", "*.scenario"))):
        sides, name, mistakes = {}, None, {"gemeente": 0, "aanbieder": 0}
        with open(path) as f:
            for line in f:
                w = line.split()
                if not w or w[0].startswith("#"):
                    continue
                if w[0] == "scenario":
                    name = w[1]
                elif w[0] in ("gemeente", "aanbieder") and "as" in w:
                    sides[w[w.index("as") + 1]] = w[0]
                elif w[0] == "mistake":
                    mistakes[sides[w[1]]] += 1
        out[name] = mistakes
    return out


def conform(ctx, *args, timeout=600):
    return subprocess.run([ctx.binary, "conform"] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout, text=True)


def self_run(ctx, ck, side, mine, other, other_code, expected):
    """conform --self over the pack as side: exit 0, the JUnit report complete."""
    junit = os.path.join(ctx.tmp, "junit-%s.xml" % side)
    other_side = "aanbieder" if side == "gemeente" else "gemeente"
    r = conform(ctx, "--as", side, "-c", mine, "--with", other_code,
                "--self", other, "--max-wait", "2", "--junit", junit)
    ck.check(r.returncode == 0, "--self as %s: exit 0" % side,
             "%d\n%s\n%s" % (r.returncode, r.stdout[-4000:], r.stderr))
    scenarios = len(expected)
    mistakes = sum(m[other_side] for m in expected.values())
    ck.check(re.search(r"conform: %d scenarios, %d passed, 0 failed; %d mistakes, %d caught, "
                       r"0 not caught" % (scenarios, scenarios, mistakes, mistakes), r.stdout),
             "--self as %s: %d scenarios passed, %d mistakes caught" % (side, scenarios, mistakes),
             r.stdout[-600:])
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError) as e:
        ck.check(False, "--self as %s: the JUnit report parses" % side, repr(e))
        return
    cases = root.findall("testcase")
    names = [c.get("name") for c in cases]
    ck.check(root.tag == "testsuite" and root.get("tests") == str(scenarios + mistakes)
             and root.get("failures") == "0" and len(cases) == scenarios + mistakes,
             "--self as %s: JUnit: %d testcases, 0 failures" % (side, scenarios + mistakes),
             "%r %r %d" % (root.tag, root.attrib, len(cases)))
    ck.check(sorted(n for n in names if "caught-by" not in n) == sorted(expected),
             "--self as %s: a testcase per scenario, by its name" % side, repr(names))
    ck.check(not any(c.find("failure") is not None for c in cases),
             "--self as %s: no testcase has a failure" % side, repr(names))
    ck.check(all(c.get("classname") == "conform." + side for c in cases),
             "--self as %s: classname conform.%s" % (side, side), repr(cases[0].attrib))


def stand_in_run(ctx, ck, mine, theirs, wrong_client):
    """toewijzing-start-stop as gemeente while `watch --exec` plays the provider."""
    script = os.path.join(ctx.src, "conf", "conform", "stand-in-aanbieder.sh")
    env = dict(os.environ, BIN=ctx.binary, IJW_CLIENT=theirs)
    if wrong_client:
        env["WRONG_CLIENT"] = "1"
    watch = subprocess.Popen([ctx.binary, "watch", "--exec", "sh " + script,
                              "--interval", "1"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        r = conform(ctx, "toewijzing-start-stop", "--as", "gemeente", "-c", mine, "--with",
                    g.AANBIEDER, "--max-wait", "30")
    finally:
        watch.terminate()
        sent, err = watch.communicate(timeout=60)
    ck.check(sent.count(": accepted id=") == 3,
             "the stand-in provider sent its JW302, JW305 and JW307", sent + err)
    return r


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    (pki.ini()
     .set("party " + g.AANBIEDER, "retour", "relay")
     .set("party " + g.GEMEENTE, "retour", "relay")
     .save())
    d = ctx.daemon(pki).start()
    gem_ini = client_file(d, pki, g.GEMEENTE)
    aan_ini = client_file(d, pki, g.AANBIEDER)
    expected = pack(ctx.src)
    ck.check(len(expected) >= 8, "the pack has its eight scenarios", repr(sorted(expected)))

    r = conform(ctx, "--list")
    listed = [line.split()[0] for line in r.stdout.splitlines()]
    ck.check(r.returncode == 0 and listed == sorted(expected),
             "--list names every scenario of conf/conform/", r.stdout + r.stderr)

    self_run(ctx, ck, "gemeente", gem_ini, aan_ini, g.AANBIEDER, expected)
    self_run(ctx, ck, "aanbieder", aan_ini, gem_ini, g.GEMEENTE, expected)

    gem = d.client(g.GEMEENTE)
    status, j = gem.jrequest("GET", "/v1/berichten?box=sent&type=JW301&limit=1000")
    sent = j.get("berichten", []) if status == 200 else []
    ck.check(len(sent) >= len(expected)
             and all(m["status"] == "acknowledged" for m in sent),
             "the gateway holds the JW301s played, each taken by its receiver",
             "%d %r" % (len(sent), [m["status"] for m in sent][:20]))
    status, j = gem.jrequest("GET", "/v1/berichten?box=sent&type=JW306&limit=1000")
    ck.check(status == 200 and len(j["berichten"]) >= len(expected),
             "the gateway holds the JW306s the municipality sent", repr(j)[:300])

    r = stand_in_run(ctx, ck, gem_ini, aan_ini, False)
    ck.check(r.returncode == 0 and "toewijzing-start-stop: passed" in r.stdout
             and "1 scenarios, 1 passed, 0 failed" in r.stdout,
             "a stand-in provider that answers right passes toewijzing-start-stop",
             "%d\n%s\n%s" % (r.returncode, r.stdout, r.stderr))
    r = stand_in_run(ctx, ck, gem_ini, aan_ini, True)
    ck.check(r.returncode == 1 and "S: JW305 client differs from T's [client]" in r.stdout
             and "toewijzing-start-stop: FAILED" in r.stdout,
             "a stand-in that starts another client fails at S, check client",
             "%d\n%s\n%s" % (r.returncode, r.stdout, r.stderr))
    ck.check(re.search(r"^  S +aanbieder sends JW305 from T +\d+ +\d+\.\d\ds  FAILED$",
                       r.stdout, re.M),
             "the report's line of the step: label, step, id, time, verdict", r.stdout)

    d.stop(ck)


if __name__ == "__main__":
    g.run("test_conform", body)
