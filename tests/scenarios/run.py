#!/usr/bin/env python3
"""Every scenario through `ijw-gateway validate --history`, each message
judged in order and joining the ledger when accepted; and every
cross-message rule of `ijw-gateway rules` has a scenario that breaks it
for each heen message it applies to, and a borderline one that passes.

usage: run.py IJW-GATEWAY
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenarios  # noqa: E402

TODAY = "2026-11-23"
RETOURS = {"JW302", "JW306", "JW308", "JW316", "JW318", "JW320"}


def main():
    binary = sys.argv[1]
    failed = passed = 0
    rejected, borderline = {}, set()
    with tempfile.TemporaryDirectory() as empty:
        for name, folder, rows, products in scenarios.scenarios():
            cmd = [binary, "validate", "--today", TODAY, "--history", empty]
            if products:
                cmd += ["--products", products]
            r = subprocess.run(cmd + [row.path for row in rows], capture_output=True,
                               text=True)
            if r.returncode not in (0, 1):
                print(f"FAIL {name}: exit {r.returncode}: {r.stderr.strip()}")
                failed += 1
                continue
            found, accepted = {}, set()
            for line in r.stdout.splitlines():
                m = scenarios.FINDING.match(line)
                if m:
                    found.setdefault(m.group(1), []).append((m.group(3), m.group(4)))
                elif line.endswith(" accepted " + line.rsplit(" ", 1)[-1]):
                    accepted.add(line.split(": accepted ")[0])
            for row in rows:
                why = scenarios.judge(row, row.path in accepted, found.get(row.path, []))
                if why:
                    print(f"FAIL {name}/{row.file}: {why}")
                    failed += 1
                else:
                    passed += 1
                for rule in row.rules:
                    if row.outcome == "rejected":
                        rejected.setdefault(rule, set()).add(row.type)
                    else:
                        borderline.add(rule)
    rules = subprocess.run([binary, "rules", "--json"], capture_output=True, text=True,
                           check=True)
    for line in rules.stdout.splitlines():
        rule = json.loads(line)
        if not rule["cross"]:
            continue
        for t in rule["messages"].split():
            if t in RETOURS:
                continue
            if t not in rejected.get(rule["code"], set()):
                print(f"FAIL {rule['code']}: no scenario breaks it with a {t}")
                failed += 1
        if rule["code"] not in borderline:
            print(f"FAIL {rule['code']}: no borderline scenario passes it")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
