#!/usr/bin/env python3
"""test_report.py: the monitoring report of a store the real daemon writes.

Ten conversations of flow-volledig (request, answer, assignment, start and
stop, with the retours), each with its own client, numbers and references,
and the first one's declarations and their answers too (a provider declares
its periods in order), are posted to the gateway. While the last four are
posted, `ijw-gateway report` reads the same store (exit 0, a whole report);
when all are in, with the gateway still serving, the report in JSON has
exactly the figures of ten such conversations, and no output (CSV, JSON,
HTML) holds a BSN or a ToewijzingNummer of the messages. The console's
report page shows the same table as `report --format html`.

    test_report.py BINARY SOURCE_DIR SHARED_DIR
"""
import json
import os
import re
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402
import test_ledger as tl  # noqa: E402

CONVERSATIONS = 10
DURING = 4  # the last ones, posted while reports are made


def conversation(flow, k):
    """flow-volledig for conversation k; its declarations (from 11) for the first only."""
    return [tl.renumber(tl.read(os.path.join(flow, name)), k, "R")
            for name in sorted(os.listdir(flow))
            if name.endswith(".xml") and (k == 0 or name < "11")]


def report(ctx, pki, *args):
    r = subprocess.run([ctx.binary, "report", "-c", pki.ini_path, "--from", "2026-01-01",
                        "--to", "2026-12-31"] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def post_all(d, convs, bad):
    clients = tl.Clients(d)
    for conv in convs:
        for body in conv:
            status, j = clients[tl.sender_of(body)].post(body)
            if status != 201:
                bad.append((tl.message_type(body), status, g.clip(j)))
    clients.close()


def body(ctx):
    ck = ctx.checks
    flow = os.path.join(ctx.src, "tests", "scenarios", tl.FLOW)
    pki = ctx.pki("pki-report", ("gemeente:" + tl.FLOW_G, "aanbieder:" + tl.FLOW_A))
    ini = pki.ini()
    for p in (tl.FLOW_G, tl.FLOW_A):
        ini.set("party " + p, "retour", "relay").set("party " + p, "cross_checks", "enforce")
    ini.save()
    convs = [conversation(flow, k) for k in range(CONVERSATIONS)]
    d = ctx.daemon(pki, "report").start()

    bad = []
    post_all(d, convs[:-DURING], bad)
    ck.check(not bad, "the first %d conversations are stored: 201 each"
             % (CONVERSATIONS - DURING), repr(bad[:3]))

    # reports of the store while the gateway writes to it
    poster = threading.Thread(target=post_all, args=(d, convs[-DURING:], bad))
    poster.start()
    during = [report(ctx, pki, "--format", "json") for _ in range(3)]
    poster.join()
    ck.check(not bad, "the last %d conversations, posted during the reports: 201 each"
             % DURING, repr(bad[:3]))
    for i, (status, out, err) in enumerate(during):
        ok = status == 0
        if ok:
            clients = json.loads(out)["periods"][0]["total"]["clients"]
            ok = CONVERSATIONS - DURING <= clients <= CONVERSATIONS
        ck.check(ok, "report %d, made while messages are posted: exit 0, between %d and %d "
                 "clients" % (i, CONVERSATIONS - DURING, CONVERSATIONS), out[-600:] + err)

    status, out, err = report(ctx, pki, "--format", "json")
    ck.equal(status, 0, "report --format json of the served store: exit 0")
    r = json.loads(out) if status == 0 else {"periods": [{"rows": [{}]}]}
    rows = r["periods"][0]["rows"]
    n = CONVERSATIONS
    want = {"aanbieder": tl.FLOW_A, "product": "45A04", "clients": n, "new_assignments": n,
            "starts": n, "waiting_days_median": 13, "waiting_days_p90": 13,
            "requests_assigned": n, "lead_days_median": 15, "lead_days_p90": 15, "ended": n,
            "duration_days_median": 118, "duration_days_p90": 118, "ended_early": 0,
            "ended_as_planned": n, "declared_eur": 2850.0, "awarded_eur": 2100.0,
            "dropout_rate": 0.0, "suppressed": []}
    got = {k: rows[0].get(k) for k in want} if len(rows) == 1 else rows
    ck.equal(got, want, "report: the figures of %d conversations of flow-volledig" % n)

    outputs = [out]
    for fmt in ("csv", "html"):
        status, text, err = report(ctx, pki, "--format", fmt, "--by", "month")
        ck.equal(status, 0, "report --format %s --by month: exit 0" % fmt)
        outputs.append(text)
    # the console's report page: the same figures, from the served store
    status, text, err = report(ctx, pki, "--format", "html", "--by", "period")
    want = re.search(r'<table class="report-table">.*?</table>', text, re.S)
    admin = d.admin()
    status, page = admin.request("GET", "/console/report?from=2026-01-01&to=2026-12-31"
                                 "&by=period")
    admin.close()
    page = page.decode(errors="replace")
    got = re.search(r'<table class="report-table">.*?</table>', page, re.S)
    ck.check(status == 200 and want and got and got.group(0) == want.group(0)
             and ">%d<" % n in got.group(0),
             "the console's report page shows the table `report` prints, %d clients" % n,
             "%r %s" % (status, page[-800:]))
    outputs.append(page)
    secrets = [tl.bsn(k) for k in range(n)] + [str(8000000 + k) for k in range(n)]
    found = [s for s in secrets for text in outputs if s in text]
    ck.check(not found, "no BSN or ToewijzingNummer in the CSV, JSON or HTML report", found[:3])
    d.stop(ck)


if __name__ == "__main__":
    g.run("report", body)
