#!/usr/bin/env python3
"""test_replay.py: `ijw-gateway replay` against the real daemon.

The gateway is configured like the one of `make run`: municipality 0384 and
provider 42420001, both with retour = relay. Checked:

- samples/ replays with 0 mismatches;
- --record writes a manifest (every sample, its advice, translation and the
  codes of its retour) that a second replay passes, and keeps an existing one
  without --force;
- wrong expectations of advice, translated and record codes are mismatches
  that name the column;
- a sample without a line in its manifest is skipped with a warning and not
  posted: the store holds no such message;
- the advice of an accepted declaration is whole: each rule with its retour
  code, and the answer that lists it is JSON.

    test_replay.py BINARY SOURCE_DIR SHARED_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

HEADING = "file\toutcome\ttype\tretourcode\trules\tadvice\ttranslated\trecord_codes\tnote"
RULE = re.compile(r"^[A-Z]+[0-9]*$")


def copy_samples(ctx, folder, names=None):
    os.makedirs(folder)
    for path in glob.glob(os.path.join(ctx.src, "samples", "*.xml")):
        if names is None or os.path.basename(path) in names:
            shutil.copy(path, folder)


def manifest_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]


def body(ctx):
    c = ctx.checks
    # as make run makes it
    pki = ctx.pki(args=("--retour", "relay"))
    c.equal(pki.ini().section("party " + g.AANBIEDER).get("retour"), "relay",
            "pki init --retour relay: the provider answers itself")
    d = ctx.daemon(pki).start()

    def replay(*args):
        cmd = [ctx.binary, "replay", "--url", "https://localhost:%d" % d.port,
               "--cacert", pki.path("ca.pem")]
        for party in (g.GEMEENTE, g.AANBIEDER):
            cert, key = pki.cert(party)
            cmd += ["--cert", cert, "--key", key]
        r = subprocess.run(cmd + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=600)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    samples = os.path.join(ctx.src, "samples")
    n = len(glob.glob(os.path.join(samples, "*.xml")))

    # the samples as the README replays them against `make run`
    rc, out, err = replay(samples)
    c.equal(rc, 0, "replay of samples/ exits 0")
    c.equal(out.strip().splitlines()[-1:],
            ["replay: %d samples: %d as expected, 0 mismatches, 0 skipped" % (n, n)],
            "replay of samples/: every sample as expected")

    # --record: a manifest of the answers, that a second replay passes
    rec = os.path.join(ctx.tmp, "rec")
    copy_samples(ctx, rec)
    manifest = os.path.join(rec, "expected.tsv")
    rc, out, err = replay("--record", manifest, rec)
    c.equal(rc, 0, "--record exits 0")
    c.check(("replay: %d samples: %d recorded in %s, 0 skipped" % (n, n, manifest)) in out,
            "--record says what it wrote", out + err)
    lines = manifest_lines(manifest)
    c.equal(lines[0], HEADING.split("\t"), "the recorded manifest's heading")
    rows = {row[0]: row for row in lines[1:]}
    c.equal(len(rows), n, "the recorded manifest has a line per sample")
    row = rows.get("JW301-TR002-invalid.xml", [])
    c.equal(row[1:5], ["rejected", "JW301", "0001", "TR002"],
            "a rejected sample is recorded with its rule and retour code")
    c.check(len(row) > 7 and re.fullmatch(r"1:\d{4}(,\d+:\d{4})*", row[7]) and
            ":0001" in row[7], "a rejected sample's record codes are its retour's", row)
    row = rows.get("JW301-valid-1.xml", [])
    c.equal(row[1:8], ["accepted", "JW301", "0200", "-", row[5] if len(row) > 5 else "", "no",
                       "-"],
            "an accepted JW301 to a relay provider: no translation, no retour of the gateway")
    advised = [r for r in rows.values() if r[5] != "-"]
    c.check(advised, "some samples are advised on by the ledger (they form no conversation)")
    bad = [r for r in rows.values()
           if "not a JSON object" in r[8] or
           (r[5] != "-" and not all(RULE.match(x) for x in r[5].split(",")))]
    c.equal(bad, [], "every answer was JSON and every advice a list of rules")
    rc, out, err = replay(rec)
    c.equal(rc, 0, "a second replay against the recorded manifest exits 0")
    c.check(("replay: %d samples: %d as expected, 0 mismatches, 0 skipped" % (n, n)) in out,
            "a second replay matches the recorded manifest", out[-2000:])
    with open(manifest, "rb") as f:
        before = f.read()
    rc, out, err = replay("--record", manifest, rec)
    c.equal(rc, 2, "--record does not overwrite a manifest without --force")
    c.check("exists: --force overwrites it" in err, "--record says why it stopped", err)
    with open(manifest, "rb") as f:
        c.check(f.read() == before, "the manifest is unchanged")

    # the advice on an accepted declaration, whole
    client = d.client(g.AANBIEDER)
    status, ans = client.post(ctx.generate("JW323", 4711, clients=40))
    c.check(status == 201 and isinstance(ans, dict) and len(ans.get("advice", [])) > 40,
            "a declaration with much advice is answered in JSON", g.clip(ans))
    status, st = client.jrequest("GET", "/v1/berichten/%s/status" % ans.get("id"))
    judged = st.get("judged", []) if isinstance(st, dict) else []
    pairs = [(j.get("rule"), j.get("retourcode")) for j in judged]
    c.check(pairs and all(RULE.match(r or "") and re.fullmatch(r"\d{4}", code or "")
                          for r, code in pairs), "each advice of its status is whole", pairs)

    # wrong expectations, and a sample without a line
    wrong = os.path.join(ctx.tmp, "wrong")
    copy_samples(ctx, wrong, {"JW301-valid-1.xml", "JW301-TR002-invalid.xml",
                              "JW323-valid-1.xml"})
    unlisted = ctx.generate("JW301", 9001)
    with open(os.path.join(wrong, "new.xml"), "wb") as f:
        f.write(unlisted)
    with open(os.path.join(wrong, "expected.tsv"), "w", encoding="utf-8") as f:
        f.write("file\toutcome\ttype\tretourcode\trules\tadvice\ttranslated\trecord_codes\n"
                "JW301-valid-1.xml\taccepted\tJW301\t0200\t-\t\tyes\n"
                "JW301-TR002-invalid.xml\trejected\tJW301\t0001\tTR002\t\t\t1:0200\n"
                "JW323-valid-1.xml\taccepted\tJW323\t0200\t-\tTR418\n")
    rc, out, err = replay(wrong)
    c.equal(rc, 1, "wrong expectations: exit 1")
    c.check("%s/JW301-valid-1.xml: translated: expected yes, got no\n" % wrong in out,
            "a wrong translated is a mismatch that names it", out)
    c.check(re.search(r"/JW301-TR002-invalid\.xml: record_codes: expected 1:0200, "
                      r"got 1:\d{4}(,\d+:\d{4})*\n", out),
            "wrong record codes are a mismatch that names them", out)
    c.check(re.search(r"/JW323-valid-1\.xml: advice: expected TR418, got (TR\d+,)*TR304", out),
            "a wrong advice is a mismatch that names it", out)
    c.check("replay: 4 samples: 0 as expected, 3 mismatches, 1 skipped" in out,
            "the summary counts the mismatches and the skip", out)
    c.check("replay: %s/new.xml: no line in %s/expected.tsv: skipped, not sent"
            % (wrong, wrong) in err, "a sample without a line is skipped with a warning", err)
    ident = g.identificatie(unlisted)
    status, msgs = d.admin().jrequest("GET", "/admin/v1/messages?limit=1000")
    c.equal(status, 200, "the admin API lists the stored messages")
    stored = [m for m in msgs.get("messages", []) if m.get("identificatie") == ident]
    c.equal(stored, [], "the sample without a line was not posted")
    known = g.identificatie(ctx.sample("JW301-valid-1.xml"))
    c.check([m for m in msgs.get("messages", []) if m.get("identificatie") == known],
            "the store holds a sample that was sent, found the same way")
    d.stop(c)


if __name__ == "__main__":
    g.run("replay", body)
