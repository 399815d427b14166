#!/usr/bin/env python3
"""test_ledger.py: the care ledger and the cross-message rules in the real daemon.

Every scenario of tests/scenarios sent in order (cross_checks = enforce, each
verdict as expected.tsv says); a declaration to a retour = auto municipality
with one prestatie that breaks a cross-message rule (201, and a JW325 that
rejects exactly that one); advice under cross_checks = advise (the answer, the
inbox, GET's and a push's Ijw-Advice header, the audit table); SIGKILL during a
burst of conversations (nothing accepted is lost, `ledger verify` agrees, and
finds a corrupted ledger); `ledger import` and `ledger show`; a municipality
that reads national codes gets back the code it assigned.

    test_ledger.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

RETOURS = {"JW302", "JW306", "JW308", "JW316", "JW318", "JW320"}
FLOW = "flow-volledig"      # gemeente 0384, aanbieder 42421005
FLOW_G, FLOW_A = "0384", "42421005"
FLOW_BSN, FLOW_NR, FLOW_REF = "205000071", "7000501", "VZ-005-01"


def scenarios_module(ctx):
    sys.path.insert(0, os.path.join(ctx.src, "tests", "scenarios"))
    import scenarios  # noqa: E402
    return scenarios


def read(path):
    with open(path, "rb") as f:
        return f.read()


def header_field(body, name):
    m = re.search(rb"<(?:\w+:)?%s>\s*([^<\s]*)\s*<" % name.encode(), body)
    return m.group(1).decode() if m else None


def message_type(body):
    m = re.search(rb"<(\w+):Bericht\b", body)
    return m.group(1).decode().upper() if m else None


def sender_of(body):
    """Who posts it: the Ontvanger of the heen message for a retour, else the Afzender."""
    kind = message_type(body)
    return header_field(body, "Ontvanger" if kind in RETOURS else "Afzender")


def receiver_of(body):
    kind = message_type(body)
    return header_field(body, "Afzender" if kind in RETOURS else "Ontvanger")


def kind_of(code):
    return "gemeente" if len(code) == 4 else "aanbieder"


def elfproef(n):
    d = [int(c) for c in "%09d" % n]
    return (sum(d[i] * (9 - i) for i in range(8)) - d[8]) % 11 == 0


def bsn(k):
    """The k-th BSN (from 0) that passes the 11-proef, above 300000000."""
    n = 300000000 + 1000 * k
    while not elfproef(n):
        n += 1
    return "%09d" % n


def renumber(body, k, prefix):
    """A flow-volledig message for conversation k: its own identifications,
    BSN, ToewijzingNummer and ReferentieAanbieder."""
    body = body.replace(b"S005M", ("%s%04dM" % (prefix, k)).encode())
    body = body.replace(b"S005R", ("%s%04dR" % (prefix, k)).encode())
    body = body.replace(FLOW_BSN.encode(), bsn(k).encode())
    body = body.replace(FLOW_NR.encode(), str(8000000 + k).encode())
    body = body.replace(FLOW_REF.encode(), ("VZ-%s%04d" % (prefix, k)).encode())
    return body


def found_of(j):
    return [(f.get("retourcode"), f.get("rule")) for f in (j.get("findings") or [])] \
        if isinstance(j, dict) else []


class Clients:
    """One keep-alive client per party of a daemon."""

    def __init__(self, d):
        self.d = d
        self.c = {}

    def __getitem__(self, party):
        if party not in self.c:
            self.c[party] = self.d.client(party)
        return self.c[party]

    def close(self):
        for c in self.c.values():
            c.close()


def get_full(client, mid):
    """(status, Ijw-Advice header or None, body) of GET /v1/berichten/{id}."""
    if client.conn is None:
        client.connect()
    client.conn.request("GET", "/v1/berichten/%s" % mid)
    r = client.conn.getresponse()
    data = r.read()
    return r.status, r.getheader("Ijw-Advice"), data


def cli(ctx, *args, timeout=120):
    return subprocess.run([ctx.binary] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)


# ---- a. every scenario, in order, enforced ----

def all_scenarios(ctx):
    ck = ctx.checks
    sc = scenarios_module(ctx)
    every = sc.scenarios()
    parties = set()
    for name, folder, rows, products in every:
        for row in rows:
            b = read(row.path)
            parties.add(header_field(b, "Afzender"))
            parties.add(header_field(b, "Ontvanger"))
    parties.discard(None)
    ck.info("%d scenarios, %d parties" % (len(every), len(parties)))
    # one daemon per product table (None: no table)
    groups = {}
    for s in every:
        groups.setdefault(s[3], []).append(s)
    total = wrong = 0
    for gi, (products, group) in enumerate(sorted(groups.items(), key=lambda x: x[0] or "")):
        pki = ctx.pki("pki-scenarios-%d" % gi,
                      ["%s:%s" % (kind_of(p), p) for p in sorted(parties)])
        ini = pki.ini()
        for p in parties:
            ini.set("party " + p, "retour", "relay").set("party " + p, "cross_checks", "enforce")
        if products:
            ini.set("gateway", "products", products)
        ini.save()
        d = ctx.daemon(pki, "scenarios-%d" % gi).start()
        clients = Clients(d)
        for name, folder, rows, _ in group:
            bad = []
            for row in rows:
                body = read(row.path)
                status, j = clients[sender_of(body)].post(body)
                total += 1
                if status not in (201, 422):
                    bad.append("%s: %r %r" % (row.file, status, g.clip(j)))
                    continue
                why = sc.judge(row, status == 201, found_of(j))
                if why:
                    bad.append("%s: %s (%r)" % (row.file, why, g.clip(j, 600)))
            wrong += len(bad)
            ck.check(not bad, "scenario %s: each of its %d messages as expected.tsv says"
                     % (name, len(rows)), "\n".join(bad))
        clients.close()
        d.stop(ck)
    ck.info("%d scenario messages sent, %d verdicts not as expected" % (total, wrong))


# ---- b. retour = auto: a declaration partly awarded ----

def prestaties(body):
    """(ReferentieNummer, retour codes of the prestatie, its Bedrag) of each Prestatie."""
    out = []
    for p in re.findall(rb"<(?:\w+:)?Prestatie>(.*?)</(?:\w+:)?Prestatie>", body, re.S):
        ref = re.search(rb"<(?:\w+:)?ReferentieNummer>([^<]*)<", p).group(1).decode()
        codes = [c.decode() for c in re.findall(rb"<(?:\w+:)?RetourCode>\s*([^<\s]*)\s*<", p)]
        amount = re.search(rb"<(?:\w+:)?Bedrag>\s*(\d+)\s*<", p)
        out.append((ref, codes, int(amount.group(1)) if amount else None))
    return out


def totaal(body, name):
    m = re.search(rb"<(?:\w+:)?%s>\s*<(?:\w+:)?TotaalBedrag>\s*(\d+)\s*<" % name.encode(),
                  body, re.S)
    return int(m.group(1)) if m else None


def partial_award(ctx):
    ck = ctx.checks
    flow = os.path.join(ctx.src, "tests", "scenarios", FLOW)
    pki = ctx.pki("pki-auto", ("gemeente:" + FLOW_G, "aanbieder:" + FLOW_A))
    (pki.ini()
     .set("party " + FLOW_G, "retour", "auto")       # the gateway answers its JW323s
     .set("party " + FLOW_A, "retour", "relay")
     .save())
    d = ctx.daemon(pki, "auto").start()
    gem, aan = d.client(FLOW_G), d.client(FLOW_A)

    def msg(name):
        return renumber(read(os.path.join(flow, name)), 1, "P")

    status, j = gem.post(msg("05-JW301-toewijzing.xml"))
    ck.check(status == 201, "auto: the JW301: 201", "%r %r" % (status, j))
    status, j = aan.post(msg("07-JW305-start.xml"))
    ck.check(status == 201, "auto: the JW305: 201", "%r %r" % (status, j))

    # The declaration of February and March; March under an assignment number
    # the municipality never gave (TR338).
    decl = msg("11-JW323-declaratie.xml")
    blocks = re.findall(rb"\t*<jw323:Prestatie>.*?</jw323:Prestatie>\n", decl, re.S)
    assert len(blocks) == 4, "flow-volledig's declaration has 4 prestaties"
    nr = str(8000000 + 1).encode()
    bad_block = blocks[1].replace(b"<jw323:ToewijzingNummer>" + nr,
                                  b"<jw323:ToewijzingNummer>7999999")
    decl = decl.replace(blocks[1], bad_block).replace(blocks[2], b"").replace(blocks[3], b"")
    decl = re.sub(rb"(<jw323:TotaalIngediendBedrag>\s*<ijw:TotaalBedrag>)\d+", rb"\g<1>150000",
                  decl)
    decl = g.set_identificatie(decl, "P0001D11")
    bad_ref = re.search(rb"<ijw:ReferentieNummer>([^<]*)<", bad_block).group(1).decode()
    good_ref = re.search(rb"<ijw:ReferentieNummer>([^<]*)<", blocks[0]).group(1).decode()
    status, j = aan.post(decl)
    ck.check(status == 201 and isinstance(j, dict) and j.get("retour"),
             "auto: a JW323 with one prestatie under an unknown ToewijzingNummer: 201, "
             "with the gateway's retour", "%r %r" % (status, j))
    if status != 201 or not j.get("retour"):
        d.stop(ck)
        return
    listed = [m for m in aan.inbox()[1]["berichten"] if m["id"] == j["retour"]]
    ck.check(len(listed) == 1 and listed[0]["type"] == "JW325",
             "auto: the JW325 is in the provider's inbox", repr(listed))
    status, jw325 = aan.get(j["retour"])
    ck.equal(status, 200, "auto: the JW325 can be fetched")
    path = os.path.join(ctx.tmp, "jw325.xml")
    with open(path, "wb") as f:
        f.write(jw325)
    r = cli(ctx, "validate", path)
    ck.check(r.returncode == 0, "auto: the JW325 validates (ijw-gateway validate)",
             r.stdout.decode(errors="replace")[:800])
    listed = prestaties(jw325)
    ck.equal([(ref, codes) for ref, codes, _ in listed], [(bad_ref, ["9338"])],
             "auto: the JW325 lists exactly the failing prestatie, with TR338's code 9338")
    ck.equal(totaal(jw325, "TotaalIngediendBedrag"), 150000,
             "auto: its TotaalIngediendBedrag is the declaration's")
    ck.equal(totaal(jw325, "TotaalToegekendBedrag"), 150000 - 75000,
             "auto: TotaalToegekendBedrag = TotaalIngediendBedrag - the rejected prestatie")

    # A credit of the rejected prestatie: it was never approved (TR323).
    credit = msg("13-JW323-credit.xml")
    credit = credit.replace(("<ijw:VorigReferentieNummer>%s<" % good_ref).encode(),
                            ("<ijw:VorigReferentieNummer>%s<" % bad_ref).encode())
    credit = credit.replace(b"<ijw:Begindatum>2026-02-01</ijw:Begindatum>\n\t\t\t\t\t\t\t"
                            b"<ijw:Einddatum>2026-02-28",
                            b"<ijw:Begindatum>2026-03-01</ijw:Begindatum>\n\t\t\t\t\t\t\t"
                            b"<ijw:Einddatum>2026-03-31")
    credit = g.set_identificatie(credit, "P0001D13")
    status, j = aan.post(credit)
    # all its findings are at the prestatie: the gateway answers it, and its JW325
    # rejects that prestatie with TR323's code
    codes, awarded = [], None
    if status == 201 and isinstance(j, dict) and j.get("retour"):
        s, ans = aan.get(j["retour"])
        codes = [c for _, cs, _ in prestaties(ans) for c in cs]
        awarded = totaal(ans, "TotaalToegekendBedrag")
    ck.check(status == 201 and codes == ["8017"] and awarded == 0,
             "auto: a credit of the rejected prestatie: 201, and a JW325 that rejects it "
             "with TR323's code 8017 and awards 0", "%r %r; codes %r" % (status, j, codes))
    gem.close()
    aan.close()
    d.stop(ck)


# ---- c. advise ----

def advise(ctx):
    ck = ctx.checks
    flow = os.path.join(ctx.src, "tests", "scenarios", FLOW)
    push_g = "0363"
    pki = ctx.pki("pki-advise", ("gemeente:" + FLOW_G, "gemeente:" + push_g,
                                 "aanbieder:" + FLOW_A))
    rx = g.Receiver(pki.path("ca.pem"), *pki.ca.issue("receiver", "localhost",
                                                      kind="server")).start()
    (pki.ini()
     .set("gateway", "retry_initial", 1).set("gateway", "retry_max", 2)
     .set("party " + FLOW_G, "cross_checks", "advise")
     .set("party " + push_g, "cross_checks", "advise")
     .set("party " + push_g, "delivery", "push")
     .set("party " + push_g, "push_url", "https://127.0.0.1:%d/inbox" % rx.port)
     .save())
    d = ctx.daemon(pki, "advise").start()
    gem, aan = d.client(FLOW_G), d.client(FLOW_A)

    jw305 = renumber(read(os.path.join(flow, "07-JW305-start.xml")), 2, "A")
    status, j = aan.post(jw305)
    advice = [(f.get("rule"), f.get("retourcode")) for f in j.get("advice", [])] \
        if isinstance(j, dict) else []
    ck.check(status == 201 and ("TR019", "9019") in advice,
             "advise: a JW305 for an unknown assignment: 201 with advice TR019 9019",
             "%r %r" % (status, j))
    mid = j.get("id") if isinstance(j, dict) else None
    entry = [m for m in gem.inbox()[1]["berichten"] if m["id"] == mid]
    ck.check(len(entry) == 1 and "TR019 9019" in entry[0].get("advice", ""),
             "advise: the receiver's inbox entry carries the advice", repr(entry))
    status, header, body = get_full(gem, mid)
    ck.check(status == 200 and header and "TR019 9019" in header and body == jw305,
             "advise: GET gives the message with the header Ijw-Advice",
             "%r %r" % (status, header))
    audit = g.store_query(pki.store, "SELECT detail FROM audit WHERE action = 'advice'"
                                     " AND message = ?", (int(mid),)) if mid else []
    ck.check(len(audit) == 1 and "TR019 9019" in audit[0][0],
             "advise: the audit table has an 'advice' row", repr(audit))

    # the same to a push party
    jw305p = renumber(read(os.path.join(flow, "07-JW305-start.xml")), 3, "A")
    jw305p = jw305p.replace(b"<jw305:Ontvanger>%s<" % FLOW_G.encode(),
                            b"<jw305:Ontvanger>%s<" % push_g.encode())
    status, j = aan.post(jw305p)
    ck.check(status == 201 and any(f.get("rule") == "TR019" for f in j.get("advice", [])),
             "advise: the JW305 to a push party: 201 with advice TR019",
             "%r %r" % (status, j))
    arrived = rx.wait_for([g.sha(jw305p)], 30)
    hs = rx.headers_of(jw305p)
    ck.check(arrived and hs and all("TR019 9019" in h.get("Ijw-Advice", "") for h in hs),
             "advise: the push carries Ijw-Advice", repr(hs))
    rx.stop()
    gem.close()
    aan.close()
    d.stop(ck)


# ---- d. SIGKILL during a burst of conversations ----

CONVERSATION = ("01-JW315-verzoek.xml", "05-JW301-toewijzing.xml", "07-JW305-start.xml",
                "09-JW307-stop.xml")
BURST = 40


def burst(ctx):
    ck = ctx.checks
    flow = os.path.join(ctx.src, "tests", "scenarios", FLOW)
    pki = ctx.pki("pki-burst", ("gemeente:" + FLOW_G, "aanbieder:" + FLOW_A))
    ini = pki.ini()
    for p in (FLOW_G, FLOW_A):
        ini.set("party " + p, "retour", "relay").set("party " + p, "cross_checks", "enforce")
    ini.save()
    templates = [read(os.path.join(flow, n)) for n in CONVERSATION]
    convs = [[renumber(t, k, "K") for t in templates] for k in range(BURST)]
    d = ctx.daemon(pki, "burst").start()

    lock = threading.Lock()
    answered = {}     # (k, i) -> (status, answer)
    unanswered = {}   # k -> i of the first message without an answer
    killed = threading.Event()

    def run(k):
        clients = {FLOW_G: d.client(FLOW_G), FLOW_A: d.client(FLOW_A)}
        for i, body in enumerate(convs[k]):
            try:
                s, j = clients[sender_of(body)].post(body)
            except Exception:
                with lock:
                    unanswered[k] = i
                break
            with lock:
                answered[(k, i)] = (s, j)
            if killed.is_set():
                with lock:
                    unanswered[k] = i + 1
                break
        for c in clients.values():
            c.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(BURST)]
    for t in threads:
        t.start()
    total = BURST * len(CONVERSATION)
    while len(answered) < total // 2 and any(t.is_alive() for t in threads):
        time.sleep(0.002)
    d.kill9()
    killed.set()
    at = len(answered)
    for t in threads:
        t.join(120)
    ck.info("SIGKILL after %d of %d answers; %d conversations cut short"
            % (at, total, len(unanswered)))
    not_ok = {key: a for key, a in answered.items() if a[0] != 201}
    ck.check(not not_ok, "burst: every answer before the kill was 201 (each conversation "
             "holds together)", repr(list(not_ok.items())[:3]))
    ck.check(unanswered, "burst: the kill came with conversations unfinished")

    d.start()
    clients = Clients(d)
    lost = []
    for (k, i), (s, j) in answered.items():
        if 200 <= s < 300:
            st, b = clients[receiver_of(convs[k][i])].get(j["id"])
            if st != 200 or b != convs[k][i]:
                lost.append((k, i, j["id"], st))
    ck.check(not lost, "burst: after the restart every message answered 2xx is in the store",
             repr(lost[:5]))

    # The rest of each conversation: the ledger holds what the store holds.
    bad = []
    for k in range(BURST):
        for i in range(unanswered.get(k, len(CONVERSATION)), len(CONVERSATION)):
            s, j = clients[sender_of(convs[k][i])].post(convs[k][i])
            if s not in (200, 201):
                bad.append((k, i, s, g.clip(j)))
    ck.check(not bad, "burst: after the restart each conversation goes on where it stopped "
             "(200 or 201)", repr(bad[:3]))
    clients.close()

    r = cli(ctx, "ledger", "verify", "-c", pki.ini_path)
    out = r.stdout.decode(errors="replace")
    ck.check(r.returncode == 0 and "agrees" in out,
             "burst: `ledger verify` with the daemon running: exit 0, agrees",
             "exit %d: %s %s" % (r.returncode, out, r.stderr.decode(errors="replace")))
    d.stop(ck)
    r = cli(ctx, "ledger", "verify", "-c", pki.ini_path)
    out = r.stdout.decode(errors="replace")
    ck.check(r.returncode == 0 and "agrees" in out,
             "burst: `ledger verify` after the stop: exit 0, agrees",
             "exit %d: %s" % (r.returncode, out))

    n = g.store_change(pki.store, "UPDATE ledger SET v = 'x'"
                       " WHERE k = (SELECT MIN(k) FROM ledger) RETURNING k")
    r = cli(ctx, "ledger", "verify", "-c", pki.ini_path)
    out = r.stdout.decode(errors="replace")
    ck.check(n == 1 and r.returncode == 1 and "differs" in out,
             "burst: `ledger verify` on a corrupted ledger: exit 1",
             "rows %d, exit %d: %s %s" % (n, r.returncode, out,
                                          r.stderr.decode(errors="replace")))


# ---- e. ledger import, show ----

def ledger_import(ctx):
    ck = ctx.checks
    flow = os.path.join(ctx.src, "tests", "scenarios", FLOW)
    pki = ctx.pki("pki-import", ("gemeente:" + FLOW_G, "aanbieder:" + FLOW_A))
    ini = pki.ini()
    for p in (FLOW_G, FLOW_A):
        ini.set("party " + p, "retour", "relay").set("party " + p, "cross_checks", "enforce")
    ini.save()
    d = ctx.daemon(pki, "import").start()
    names = sorted(n for n in os.listdir(flow) if n.endswith(".xml"))
    first = [os.path.join(flow, n) for n in names[:10]]   # request ... stop, with retours
    nxt = os.path.join(flow, names[10])                    # the declaration
    r = cli(ctx, "ledger", "import", "-c", pki.ini_path, *first)
    out = r.stdout.decode(errors="replace")
    ck.check(r.returncode == 0 and out.count(": imported ") == len(first),
             "import: %d messages of %s imported, the daemon running" % (len(first), FLOW),
             "exit %d: %s %s" % (r.returncode, out, r.stderr.decode(errors="replace")))
    body = read(nxt)
    status, j = d.client(sender_of(body)).post(body)
    ck.check(status == 201, "import: then the scenario's next message (%s) is accepted" % names[10],
             "%r %r" % (status, j))
    r = cli(ctx, "ledger", "import", "-c", pki.ini_path, *first)
    out = r.stdout.decode(errors="replace")
    ck.check(r.returncode == 0 and out.count("already in the ledger") == len(first),
             "import: a second time, each is already in the ledger",
             "exit %d: %s" % (r.returncode, out))
    r = cli(ctx, "ledger", "show", "-c", pki.ini_path, "--gemeente", FLOW_G,
            "--aanbieder", FLOW_A, "--toewijzing", FLOW_NR)
    out = r.stdout.decode(errors="replace")
    ck.check(r.returncode == 0 and FLOW_NR in out,
             "show: the assignment %s" % FLOW_NR, "exit %d: %s" % (r.returncode, out))
    ck.check(FLOW_BSN not in out and FLOW_BSN not in r.stderr.decode(errors="replace"),
             "show: never the BSN", out)
    d.stop(ck)
    r = cli(ctx, "ledger", "verify", "-c", pki.ini_path)
    ck.check(r.returncode == 0 and b"agrees" in r.stdout,
             "import: `ledger verify` agrees with imported and posted messages",
             r.stdout.decode(errors="replace"))


# ---- f. the codes each side reads ----

def assigned_code(ctx):
    """A municipality that reads national codes gets back the code it assigned
    (45A04), not the one the table names for its combination 2P (45A01); the
    ledger holds a provider that writes the region's products (OP02P) to the
    assignment all the same (no TR340)."""
    ck = ctx.checks
    flow = os.path.join(ctx.src, "tests", "scenarios", FLOW)
    pki = ctx.pki("pki-codes", ("gemeente:" + FLOW_G, "aanbieder:" + FLOW_A))
    (pki.ini()
     .set("gateway", "products", "built-in")
     .set("party " + FLOW_G, "product_codes", "legacy")
     .set("party " + FLOW_G, "cross_checks", "enforce")
     .set("party " + FLOW_A, "product_codes", "profile")
     .set("party " + FLOW_A, "retour", "relay")
     .save())
    d = ctx.daemon(pki, "codes").start()
    gem, aan = d.client(FLOW_G), d.client(FLOW_A)

    def msg(name):
        return renumber(read(os.path.join(flow, name)), 2, "T")

    status, j = gem.post(msg("05-JW301-toewijzing.xml"))
    ck.check(status == 201, "codes: the JW301 with 45A04: 201", "%r %r" % (status, j))
    s, copy = aan.get(j["id"]) if status == 201 else (0, b"")
    ck.check(b"<ijw:Code>OP02P</ijw:Code>" in copy,
             "codes: the provider reads the assignment as the region's product OP02P",
             copy[:300])
    start = msg("07-JW305-start.xml").replace(b"<ijw:Code>45A04</ijw:Code>",
                                              b"<ijw:Code>OP02P</ijw:Code>")
    status, j = aan.post(start)
    ck.check(status == 201 and not (j or {}).get("advice"),
             "codes: the provider's start in OP02P: 201, no advice", "%r %r" % (status, j))
    s, copy = gem.get(j["id"]) if status == 201 else (0, b"")
    ck.check(b"<ijw:Code>45A04</ijw:Code>" in copy and b"45A01" not in copy,
             "codes: the municipality reads the start as 45A04, the code it assigned, not "
             "45A01", copy[-600:])
    decl = msg("11-JW323-declaratie.xml").replace(b"<jw323:ProductCode>45A04<",
                                                  b"<jw323:ProductCode>OP02P<")
    status, j = aan.post(decl)
    rules = {a.get("rule") for a in (j or {}).get("advice", [])}
    ck.check(status == 201 and not rules & {"TR339", "TR340"},
             "codes: a declaration in OP02P on the 45A04 assignment: 201, not TR339 or TR340",
             "%r %r" % (status, j))
    s, copy = gem.get(j["id"]) if status == 201 else (0, b"")
    ck.check(copy.count(b"<jw323:ProductCode>45A04<") == 4,
             "codes: the municipality reads its four prestaties as 45A04", copy[-600:])
    gem.close()
    aan.close()
    d.stop(ck)


def body(ctx):
    all_scenarios(ctx)
    assigned_code(ctx)
    partial_award(ctx)
    advise(ctx)
    burst(ctx)
    ledger_import(ctx)


if __name__ == "__main__":
    g.run("ledger", body)
