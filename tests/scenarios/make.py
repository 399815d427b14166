#!/usr/bin/env python3
"""Writes the scenario folders of tests/scenarios: sequences of iJw 3.2 messages
between one gemeente and one aanbieder, judged in order against the ledger of
earlier messages, with the verdict each must get in expected.tsv.

Deterministic, standard library only: python3 tests/scenarios/make.py
(rewrites every folder it makes; see README.md)."""

import datetime
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GEMEENTE = "0384"
D = datetime.date

TYPES = {
    "JW301": "436", "JW302": "437", "JW305": "438", "JW306": "439",
    "JW307": "440", "JW308": "441", "JW315": "446", "JW316": "447",
    "JW317": "486", "JW318": "487", "JW319": "488", "JW320": "489",
    "JW323": "490", "JW325": "491",
}
RETOUR = {"JW301": "JW302", "JW305": "JW306", "JW307": "JW308",
          "JW315": "JW316", "JW317": "JW318", "JW319": "JW320"}
# the record levels that carry RetourCodes in a retour message
RECORDS = {"Client", "Relatie", "Contact", "ToegewezenProduct", "StartProduct",
           "StopProduct", "AangevraagdProduct", "Antwoord", "Woonplaatsbeginsel",
           "Verzoek", "OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct"}

# the rules of the cross-message ledger and their retour codes
CODES = {
    "TR019": "9019", "TR063": "9063", "TR071": "9071", "TR074": "9074",
    "TR326": "9326", "TR382": "9069", "TR413": "9413", "TR414": "9414",
    "TR415": "9415", "TR332": "9332", "TR379": "9379", "TR385": "9385",
    "TR347": "9347", "TR374": "9374", "TR304": "8187", "TR349": "9349",
    "TR350": "9350", "TR351": "9351", "TR357": "9357", "TR361": "9361",
    "TR373": "9373", "TR375": "9375", "TR411": "9411", "TR412": "9412",
    "TR355": "9355", "TR359": "9359", "TR360": "9360", "TR365": "9365",
    "TR333": "9333", "TR318": "8214", "TR338": "9338", "TR384": "9384",
    "TR339": "9339", "TR340": "9340", "TR341": "9341", "TR307": "9307",
    "TR308": "9308", "TR387": "9387", "TR388": "9388", "TR321": "9321",
    "TR322": "9322", "TR369": "9369", "TR314": "8021", "TR319": "9319",
    "TR389": "9389", "TR323": "8017", "TR390": "9390", "TR337": "0001",
    "TR371": "0001", "TR376": "0001", "TR366": "9366", "TR367": "9367",
    # the region's policy, judged only with a product table (products.ini)
    "STAPELING": "0001", "PLAFOND": "0001", "TERMIJN": "0001",
}

# the project's product table, the base of a policy scenario's products.ini
TABLE = os.path.join(HERE, "..", "..", "conf", "products", "amsterdam-zaanstreek.ini")
# the [region] settings of every policy scenario: all three policy checks enforced,
# the tariff checks off (the scenarios' tariffs are not the table's)
POLICY = [("check_tariff", "off"), ("check_day_price", "off"),
          ("check_stacking", "enforce"), ("check_ceiling", "enforce"),
          ("check_invoice_days", "enforce"), ("invoice_days", "90"), ("acute", "A"),
          ("acute_max_days", "14"), ("durable", "D"), ("agreement", "regisseur akkoord")]

SURNAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder",
            "de Boer", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer"]
FIRSTNAMES = ["Sem", "Noah", "Liam", "Emma", "Julia", "Mila", "Tess", "Luca",
              "Saar", "Daan", "Yara", "Finn", "Nora", "Milan"]
STREETS = ["Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Julianalaan"]


# ---------------------------------------------------------------- XML

def serialize(tree, prefix, out, depth):
    name, content = tree
    tag = name if name.startswith("ijw:") else prefix + ":" + name
    pad = "\t" * depth
    if isinstance(content, list):
        out.append("%s<%s>" % (pad, tag))
        for child in content:
            serialize(child, prefix, out, depth + 1)
        out.append("%s</%s>" % (pad, tag))
    else:
        text = str(content).replace("&", "&amp;").replace("<", "&lt;")
        out.append("%s<%s>%s</%s>" % (pad, tag, text, tag))


def document(jw, body):
    p = jw.lower()
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<%s:Bericht xmlns:%s="http://www.istandaarden.nl/ijw/3_2/%s/schema" '
           'xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema">' % (p, p, p)]
    for child in body:
        serialize(child, p, out, 1)
    out.append("</%s:Bericht>" % p)
    return "\n".join(out) + "\n"


def ds(d):
    return d.isoformat()


def xsdversie(name, basis="1.0.0", bericht="1.0.0"):
    return (name, [("ijw:BasisschemaXsdVersie", basis), ("ijw:BerichtXsdVersie", bericht)])


def retourcodes(*codes):
    return ("RetourCodes", [("RetourCode", c) for c in codes])


def with_retourcodes(tree):
    name, content = tree
    if not isinstance(content, list):
        return tree
    kids = [with_retourcodes(c) for c in content]
    if name in RECORDS:
        kids.append(retourcodes("0200"))
    return (name, kids)


# ---------------------------------------------------------------- data

def month_end(d):
    nxt = D(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def bsn_ok(s):
    digits = [int(c) for c in s]
    total = sum(w * x for w, x in zip(range(9, 1, -1), digits[:8])) - digits[8]
    return total % 11 == 0


class Registry:
    """Everything that must be unique over all scenarios."""

    def __init__(self):
        self.bsn_next = 0
        self.seen = set()

    def bsn(self, idx):
        while True:
            self.bsn_next += 1
            base = "%03d%05d" % (200 + idx % 700, self.bsn_next)
            weights = sum(w * int(c) for w, c in zip(range(9, 1, -1), base))
            check = weights % 11
            if check == 10:
                continue
            s = base + str(check)
            assert bsn_ok(s) and s not in self.seen
            self.seen.add(s)
            return s


REG = Registry()


class Client:
    def __init__(self, sc, k):
        n = sc.idx * 3 + k
        self.bsn = REG.bsn(sc.idx)
        self.geboortedatum = D(2010 + n % 10, 1 + n % 12, 1 + n % 27)
        self.geslacht = str(1 + n % 2)
        self.achternaam = SURNAMES[n % len(SURNAMES)]
        self.voornaam = FIRSTNAMES[(n * 5) % len(FIRSTNAMES)]
        self.huis = 10 + n % 180
        self.postcode = "%04d%s" % (1000 + (n * 37) % 8999, "AB")
        self.straat = STREETS[n % len(STREETS)]

    def naam(self, gebruik=False):
        kids = [("ijw:Geslachtsnaam", [("ijw:Achternaam", self.achternaam)]),
                ("ijw:Voornamen", self.voornaam), ("ijw:Voorletters", self.voornaam[0])]
        if gebruik:
            kids.append(("ijw:NaamGebruik", "1"))
        return ("Naam", kids)

    def head(self, gebruik=False):
        return [("Bsn", self.bsn), ("Geboortedatum", [("ijw:Datum", ds(self.geboortedatum))]),
                ("Geslacht", self.geslacht), self.naam(gebruik)]

    def contact(self):
        return ("Contactgegevens", [("Contact", [
            ("Soort", "01"),
            ("Adres", [("ijw:Huis", [("ijw:Huisnummer", str(self.huis))]),
                       ("ijw:Postcode", self.postcode), ("ijw:Straatnaam", self.straat),
                       ("ijw:Plaatsnaam", "Diemen"), ("ijw:LandCode", "NL")])])])


def omvang(name, om):
    vol, eenheid, freq = om
    return (name, [("ijw:Volume", str(vol)), ("ijw:Eenheid", eenheid), ("ijw:Frequentie", freq)])


def product(cat, code):
    kids = [("ijw:Categorie", cat)]
    if code:
        kids.append(("ijw:Code", code))
    return ("Product", kids)


class Assignment:
    """One version of a ToegewezenProduct."""

    def __init__(self, nr, cat, code, ingang, eind, om=None, budget=None, reden=None, ref=None,
                 commentaar=None):
        self.nr, self.cat, self.code = nr, cat, code
        self.ingang, self.eind, self.om, self.budget = ingang, eind, om, budget
        self.reden, self.ref, self.commentaar = reden, ref, commentaar

    def version(self, **kw):
        a = Assignment(self.nr, self.cat, self.code, self.ingang, self.eind, self.om,
                       self.budget, self.reden, self.ref, self.commentaar)
        a.reden = None
        a.ref = None
        for k, v in kw.items():
            setattr(a, k, v)
        return a


class Prestatie:
    def __init__(self, ref, a, begin, eind, vol, eenheid=None, tarief=7500, vorig=None,
                 cat=None, code=None):
        self.ref, self.nr = ref, a.nr
        self.cat = cat or a.cat or "45"
        self.code = code or a.code or (self.cat + "A04")
        self.begin, self.eind, self.vol = begin, eind, vol
        self.eenheid = eenheid or (a.om[1] if a.om else "83")
        self.tarief = None if self.eenheid == "83" else tarief
        self.vorig = vorig
        self.dc = "C" if vorig else "D"
        self.bedrag = vol if self.eenheid == "83" else vol * tarief

    def credit(self, ref):
        p = Prestatie.__new__(Prestatie)
        p.__dict__.update(self.__dict__)
        p.ref, p.vorig, p.dc = ref, self.ref, "C"
        return p

    def signed(self):
        return self.bedrag if self.dc == "D" else -self.bedrag

    def tree(self, **over):
        v = dict(self.__dict__)
        v.update(over)
        ref = [("ijw:ReferentieNummer", v["ref"])]
        if v["vorig"]:
            ref.append(("ijw:VorigReferentieNummer", v["vorig"]))
        kids = [("ProductReferentie", ref), ("ToewijzingNummer", str(v["nr"])),
                ("ProductCategorie", v["cat"]), ("ProductCode", v["code"]),
                ("ProductPeriode", [("ijw:Begindatum", ds(v["begin"])),
                                    ("ijw:Einddatum", ds(v["eind"]))]),
                ("GeleverdVolume", str(v["vol"])), ("Eenheid", v["eenheid"])]
        if v["tarief"] is not None:
            kids.append(("ProductTarief", str(v["tarief"])))
        kids.append(("IngediendBedrag", [("ijw:Bedrag", str(v["bedrag"])),
                                         ("ijw:DebetCredit", v["dc"])]))
        return ("Prestatie", kids)


def totaal(name, amount):
    return (name, [("ijw:TotaalBedrag", str(abs(amount))),
                   ("ijw:DebetCredit", "C" if amount < 0 else "D")])


# ---------------------------------------------------------------- scenarios

SCENARIOS = []


class Scenario:
    def __init__(self, name, about):
        self.idx = len(SCENARIOS) + 1
        self.name, self.about = name, about
        self.agb = "42421%03d" % self.idx
        self.agb2 = "42429%03d" % self.idx
        self.msgs = []          # (filename, xml, row)
        self.nclient = 0
        self.nnr = 0
        self.nref = 0
        self.ndecl = 0
        self.nprest = 0
        self.last_dag = None
        self.ceilings = None    # [(key, cents)]: a policy scenario, with a products.ini
        SCENARIOS.append(self)

    # unique values
    def client(self):
        self.nclient += 1
        return Client(self, self.nclient)

    def nr(self):
        self.nnr += 1
        return 7000000 + self.idx * 100 + self.nnr

    def ref(self):
        self.nref += 1
        return "VZ-%03d-%02d" % (self.idx, self.nref)

    def declnr(self):
        self.ndecl += 1
        return "DS%03d%02d" % (self.idx, self.ndecl)

    def pref(self):
        self.nprest += 1
        return "PS%03d-%03d" % (self.idx, self.nprest)

    def assignment(self, cat="45", code="45A04", ingang=D(2026, 1, 1), eind=D(2026, 6, 30),
                   om=(3, "04", "2"), **kw):
        return Assignment(self.nr(), cat, code, ingang, eind, om, **kw)

    # writing
    def add(self, jw, what, dag, body, verdict=None, note=""):
        n = len(self.msgs) + 1
        if self.last_dag:
            assert dag >= self.last_dag, (self.name, n)
        assert dag <= D(2026, 11, 23), (self.name, n)
        self.last_dag = dag
        fname = "%02d-%s-%s.xml" % (n, jw, what)
        if verdict:
            rules = verdict.split(",")
            row = [fname, "rejected", jw, CODES[rules[0]], ",".join(rules), note]
        else:
            # an accepted message names the rule it is a borderline case of
            rule = self.name.split("-")[0] if note.startswith("borderline") else "-"
            row = [fname, "accepted", jw, "0200", rule if rule in CODES else "-", note or what]
        self.msgs.append((fname, document(jw, body), row))
        return n

    def header(self, jw, dag, afz, ont, ident=None):
        n = len(self.msgs) + 1
        ident = ident or "S%03dM%02d" % (self.idx, n)
        return ident, [("BerichtCode", TYPES[jw]), ("BerichtVersie", "3"),
                       ("BerichtSubversie", "2"), ("Afzender", afz), ("Ontvanger", ont),
                       ("BerichtIdentificatie", [("ijw:Identificatie", ident),
                                                 ("ijw:Dagtekening", ds(dag))]),
                       xsdversie("XsdVersie")]

    def retour(self, heen, what=None):
        """The 0200 retour answering message number heen (1-based)."""
        fname, xml, row = self.msgs[heen - 1]
        jw = row[2]
        rt = RETOUR[jw]
        tree, dag = self._trees[heen]
        hdr = list(tree[0][1])
        hdr[0] = ("BerichtCode", TYPES[rt])
        hdr += [("IdentificatieRetour", "S%03dR%02d" % (self.idx, len(self.msgs) + 1)),
                ("DagtekeningRetour", ds(dag)), xsdversie("XsdVersieRetour"),
                retourcodes("0200")]
        body = [("Header", hdr)] + [with_retourcodes(t) for t in tree[1:]]
        return self.add(rt, what or fname.split("-", 2)[2][:-4], dag, body,
                        note="retour of %s: 0200" % fname[:2])

    def _keep(self, n, body, dag):
        if not hasattr(self, "_trees"):
            self._trees = {}
        self._trees[n] = (body, dag)
        return n

    # heen messages ---------------------------------------------------------
    def jw301(self, what, dag, client, assignments, verdict=None, note="", ont=None):
        ident, hdr = self.header("JW301", dag, GEMEENTE, ont or self.agb)
        prods = []
        for a in assignments:
            kids = [("ToewijzingNummer", str(a.nr))]
            if a.ref:
                kids.append(("ReferentieAanbieder", a.ref))
            if a.cat:
                kids.append(product(a.cat, a.code))
            kids += [("Toewijzingsdatum", ds(dag)), ("Toewijzingstijd", "10:%02d:00" % (len(self.msgs) % 60)),
                     ("Ingangsdatum", ds(a.ingang))]
            if a.eind:
                kids.append(("Einddatum", ds(a.eind)))
            if a.reden:
                kids.append(("RedenWijziging", a.reden))
            if a.om:
                kids.append(omvang("Omvang", a.om))
            if a.budget is not None:
                kids.append(("Budget", str(a.budget)))
            if a.commentaar:
                kids.append(("Commentaar", a.commentaar))
            prods.append(("ToegewezenProduct", kids))
        body = [("Header", hdr), ("Client", client.head(True) + [
            client.contact(), ("ToegewezenProducten", prods)])]
        return self._keep(self.add("JW301", what, dag, body, verdict, note), body, dag)

    def jw305(self, what, dag, client, starts, verdict=None, note=""):
        """starts: (assignment, begindatum, status)"""
        ident, hdr = self.header("JW305", dag, self.agb, GEMEENTE)
        recs = [("StartProduct", [("ToewijzingNummer", str(a.nr)), product(a.cat, a.code),
                                  ("ToewijzingIngangsdatum", ds(a.ingang)),
                                  ("Begindatum", ds(b)), ("StatusAanlevering", st)])
                for a, b, st in starts]
        body = [("Header", hdr), ("Client", client.head() + [("StartProducten", recs)])]
        return self._keep(self.add("JW305", what, dag, body, verdict, note), body, dag)

    def jw307(self, what, dag, client, stops, verdict=None, note=""):
        """stops: (assignment, begindatum, reden, einddatum, status)"""
        ident, hdr = self.header("JW307", dag, self.agb, GEMEENTE)
        recs = [("StopProduct", [("ToewijzingNummer", str(a.nr)), product(a.cat, a.code),
                                 ("ToewijzingIngangsdatum", ds(a.ingang)),
                                 ("Begindatum", ds(b)), ("RedenBeeindiging", r),
                                 ("Einddatum", ds(e)), ("StatusAanlevering", st)])
                for a, b, r, e, st in stops]
        body = [("Header", hdr), ("Client", client.head() + [("StopProducten", recs)])]
        return self._keep(self.add("JW307", what, dag, body, verdict, note), body, dag)

    def jw315(self, what, dag, client, requests, verdict=None, note="", afz=None):
        """requests: (ref, cat, code, ingang, eind, omvang)"""
        ident, hdr = self.header("JW315", dag, afz or self.agb, GEMEENTE)
        recs = []
        for ref, cat, code, ingang, eind, om in requests:
            kids = [("ReferentieAanbieder", ref), product(cat, code),
                    ("ToewijzingIngangsdatum", ds(ingang))]
            if eind:
                kids.append(("ToewijzingEinddatum", ds(eind)))
            if om:
                kids.append(omvang("Omvang", om))
            kids.append(("Verwijzer", [("ijw:Type", "01"), ("ijw:Naam", "Jeugdteam Diemen")]))
            recs.append(("AangevraagdProduct", kids))
        body = [("Header", hdr), ("Client", client.head() + [
            ("GezagsdragerBekend", "1"), ("AangevraagdeProducten", recs)])]
        return self._keep(self.add("JW315", what, dag, body, verdict, note), body, dag)

    def jw317(self, what, dag, client, ref, ongewijzigd=(), tewijzigen=(), nieuw=(),
              verdict=None, note=""):
        """tewijzigen: (assignment, gewenste, eind, omvang, budget);
        nieuw: (cat, code, gewenste, eind, omvang)"""
        ident, hdr = self.header("JW317", dag, self.agb, GEMEENTE)
        kids = [("ReferentieAanbieder", ref), ("RedenVerzoek", "1")]
        if ongewijzigd:
            kids.append(("OngewijzigdeProducten", [
                ("OngewijzigdProduct", [("ToewijzingNummer", str(a.nr))]) for a in ongewijzigd]))
        if tewijzigen:
            recs = []
            for a, g, e, om, budget in tewijzigen:
                r = [("ToewijzingNummer", str(a.nr)), ("GewensteIngangsdatum", ds(g))]
                if e:
                    r.append(("Einddatum", ds(e)))
                if om:
                    r.append(omvang("Omvang", om))
                if budget is not None:
                    r.append(("Budget", str(budget)))
                recs.append(("TeWijzigenProduct", r))
            kids.append(("TeWijzigenProducten", recs))
        if nieuw:
            recs = []
            for cat, code, g, e, om in nieuw:
                r = [product(cat, code), ("GewensteIngangsdatum", ds(g))]
                if e:
                    r.append(("Einddatum", ds(e)))
                if om:
                    r.append(omvang("Omvang", om))
                recs.append(("NieuwProduct", r))
            kids.append(("NieuweProducten", recs))
        body = [("Header", hdr), ("Client", [("Bsn", client.bsn), ("Verzoek", kids)])]
        return self._keep(self.add("JW317", what, dag, body, verdict, note), body, dag)

    def jw319(self, what, dag, ref, antwoord, verdict=None, note="", ont=None):
        ident, hdr = self.header("JW319", dag, GEMEENTE, ont or self.agb)
        kids = [("ReferentieAanbieder", ref), ("VerzoekAntwoord", antwoord)]
        if antwoord == "1":
            kids.append(("RedenAfwijzingVerzoek", "2"))
        body = [("Header", hdr), ("Antwoord", kids)]
        return self._keep(self.add("JW319", what, dag, body, verdict, note), body, dag)

    def jw323(self, what, dag, month, clients, verdict=None, note="", nummer=None):
        """clients: [(client, [prestatie])]; month: the 1st of the DeclaratiePeriode"""
        ident, hdr = self.header("JW323", dag, self.agb, GEMEENTE)
        nummer = nummer or self.declnr()
        total = sum(p.signed() for _, ps in clients for p in ps)
        body = [("Header", hdr), ("Declaratie", [
            ("DeclaratieNummer", nummer),
            ("DeclaratiePeriode", [("ijw:Begindatum", ds(month)),
                                   ("ijw:Einddatum", ds(month_end(month)))]),
            ("DeclaratieDagtekening", ds(dag)),
            totaal("TotaalIngediendBedrag", total),
            ("Clienten", [("Client", [("Bsn", c.bsn), ("Prestaties", [p.tree() for p in ps])])
                          for c, ps in clients])])]
        n = self.add("JW323", what, dag, body, verdict, note)
        self._keep(n, body, dag)
        return Declaration(ident, dag, nummer, total, clients)

    def jw325(self, what, dag, decl, rejected=(), verdict=None, note="", declid=None,
              xsdversie_decl=("1.0.0", "1.0.0"), nummer=None, bsn=None, over=None):
        """rejected: [(prestatie, code)] of decl; over: changed values of the listed prestatie"""
        ident, hdr = self.header("JW325", dag, GEMEENTE, self.agb)
        hdr += [("DeclaratieIdentificatie", [("ijw:Identificatie", declid or decl.ident),
                                             ("ijw:Dagtekening", ds(decl.dag))]),
                xsdversie("XsdVersieDeclaratie", *xsdversie_decl), retourcodes("0200")]
        afgewezen = sum(p.signed() for p, _ in rejected)
        kids = [("DeclaratieNummer", nummer or decl.nummer),
                totaal("TotaalIngediendBedrag", decl.total),
                totaal("TotaalToegekendBedrag", decl.total - afgewezen)]
        if rejected:
            clients = []
            for c, ps in decl.clients:
                listed = [(p, code) for p, code in rejected if p in ps]
                if listed:
                    clients.append(("Client", [
                        ("Bsn", bsn or c.bsn),
                        ("Prestaties", [(lambda t: (t[0], t[1] + [retourcodes(code)]))(
                            p.tree(**(over or {}))) for p, code in listed]),
                        retourcodes("0200")]))
            # a prestatie of another declaration (TR366): listed under the first client
            extra = [(p, code) for p, code in rejected
                     if not any(p in ps for _, ps in decl.clients)]
            for p, code in extra:
                clients.append(("Client", [("Bsn", decl.clients[0][0].bsn), ("Prestaties", [
                    (lambda t: (t[0], t[1] + [retourcodes(code)]))(p.tree())]),
                    retourcodes("0200")]))
            kids.append(("Clienten", clients))
        kids.append(retourcodes("0200" if rejected else "8001"))
        body = [("Header", hdr), ("DeclaratieAntwoord", kids)]
        return self.add("JW325", what, dag, body, verdict, note)

    def write(self):
        folder = os.path.join(HERE, self.name)
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        for fname, xml, row in self.msgs:
            with open(os.path.join(folder, fname), "w", encoding="utf-8") as f:
                f.write(xml)
        with open(os.path.join(folder, "expected.tsv"), "w", encoding="utf-8") as f:
            f.write("# Scenario %s: %s\n" % (self.name, self.about))
            f.write("# Gemeente %s, aanbieder %s; judged in order with ijw-gateway, each accepted\n"
                    "# message joining the history before the next (a rejected one does not).\n"
                    % (GEMEENTE, self.agb))
            f.write("file\toutcome\ttype\tretourcode\trules\tnote\n")
            for _, _, row in self.msgs:
                f.write("\t".join(row) + "\n")
        if self.ceilings is not None:
            with open(os.path.join(folder, "products.ini"), "w", encoding="utf-8") as f:
                f.write(self.products())

    def products(self):
        """The project's product table with the policy settings in [region] and the
        aanbieder's ceilings in a [ceiling AGB] section."""
        with open(TABLE, encoding="utf-8") as f:
            lines = f.read().splitlines()
        todo = dict(POLICY)
        out = ["; Scenario %s: the product table conf/products/amsterdam-zaanstreek.ini" % self.name,
               "; with the region's policy enforced and the ceilings of aanbieder %s." % self.agb,
               "; Written by tests/scenarios/make.py; do not edit.", ""]
        section = None
        for line in lines:
            t = line.strip()
            if t.startswith("["):
                if section == "region":
                    while out and not out[-1].strip():
                        out.pop()
                    out += ["%s = %s" % kv for kv in POLICY if kv[0] in todo] + [""]
                    todo.clear()
                section = t[1:t.index("]")]
            elif section == "region" and "=" in t and not t.startswith(";"):
                k = t.split("=", 1)[0].strip()
                if k in todo:
                    line = "%s = %s" % (k, todo.pop(k))
            out.append(line)
        assert not todo, todo
        out += ["", "[ceiling %s]" % self.agb] + ["%s = %d" % kc for kc in self.ceilings]
        return "\n".join(out) + "\n"


class Declaration:
    def __init__(self, ident, dag, nummer, total, clients):
        self.ident, self.dag, self.nummer, self.total, self.clients = \
            ident, dag, nummer, total, clients


def month(y, m):
    return D(y, m, 1)


def whole(sc, a, y, m, vol, **kw):
    """A debit prestatie for the whole month m (cut to the assignment's period)."""
    b = max(D(y, m, 1), a.ingang)
    e = month_end(D(y, m, 1))
    if a.eind and a.eind < e:
        e = a.eind
    return Prestatie(sc.pref(), a, b, e, vol, **kw)


# ---------------------------------------------------------------- the scenarios

def casus():
    sc = Scenario("casus1-verlenging", "release case 1: assignment, start, extension by a new "
                  "JW301 version with a later Einddatum and RedenWijziging 04")
    c = sc.client()
    a = sc.assignment(ingang=D(2025, 1, 1), eind=D(2025, 6, 30))
    sc.jw301("toewijzing", D(2025, 1, 1), c, [a], note="45A04, 3 hours a week, to 2025-06-30")
    sc.jw305("start", D(2025, 1, 6), c, [(a, D(2025, 1, 5), "1")], note="start 2025-01-05")
    sc.jw301("verlenging", D(2025, 5, 10), c,
             [a.version(eind=D(2025, 12, 31), reden="04")],
             note="same nummer, Einddatum 2025-12-31, RedenWijziging 04")

    sc = Scenario("casus2-tijdelijk-definitief", "release case 2: start, temporary stop "
                  "(RedenBeeindiging 20), final stop (34) with the same Einddatum")
    c = sc.client()
    a = sc.assignment("41", "41A03", D(2025, 5, 12), D(2025, 12, 31), (6, "16", "2"))
    sc.jw301("toewijzing", D(2025, 5, 9), c, [a], note="41A03, 6 dagdelen a week")
    sc.jw305("start", D(2025, 5, 15), c, [(a, D(2025, 5, 15), "1")], note="start 2025-05-15")
    sc.jw307("stop-tijdelijk", D(2025, 6, 20), c, [(a, D(2025, 5, 15), "20", D(2025, 6, 20), "1")],
             note="temporary stop (20) 2025-06-20")
    sc.jw307("stop-definitief", D(2025, 7, 4), c, [(a, D(2025, 5, 15), "34", D(2025, 6, 20), "1")],
             note="final stop (34, the iJw code for Wmo 23), same Einddatum (TR414 equal)")

    sc = Scenario("casus3-ongelijke-einddatum", "release case 3: start, temporary stop, "
                  "final stop with a later Einddatum")
    c = sc.client()
    a = sc.assignment("41", "41A03", D(2025, 1, 1), D(2025, 12, 31), (4, "16", "2"))
    sc.jw301("toewijzing", D(2024, 12, 20), c, [a], note="41A03, 4 dagdelen a week")
    sc.jw305("start", D(2025, 1, 7), c, [(a, D(2025, 1, 6), "1")], note="start 2025-01-06")
    sc.jw307("stop-tijdelijk", D(2025, 6, 12), c, [(a, D(2025, 1, 6), "20", D(2025, 6, 10), "1")],
             note="temporary stop (20), client in hospital")
    sc.jw307("stop-definitief", D(2025, 6, 27), c, [(a, D(2025, 1, 6), "35", D(2025, 6, 25), "1")],
             note="final stop (35, external circumstances) with a later Einddatum")

    sc = Scenario("casus4-stop-corrigeren", "release case 4: stop, the stop deleted "
                  "(StatusAanlevering 3, same key), a corrected stop with another Einddatum")
    c = sc.client()
    a = sc.assignment(ingang=D(2025, 3, 1), eind=D(2025, 12, 31))
    sc.jw301("toewijzing", D(2025, 2, 20), c, [a], note="45A04, 3 hours a week")
    sc.jw305("start", D(2025, 3, 4), c, [(a, D(2025, 3, 3), "1")], note="start 2025-03-03")
    sc.jw307("stop", D(2025, 9, 2), c, [(a, D(2025, 3, 3), "31", D(2025, 8, 29), "1")],
             note="final stop (31) 2025-08-29")
    sc.jw307("stop-verwijderd", D(2025, 9, 5), c, [(a, D(2025, 3, 3), "31", D(2025, 8, 29), "3")],
             note="the stop deleted: status 3, same key")
    sc.jw307("stop-gecorrigeerd", D(2025, 9, 5), c, [(a, D(2025, 3, 3), "31", D(2025, 8, 22), "1")],
             note="corrected stop, Einddatum 2025-08-22 (earlier: the deleted one no longer counts)")


def flow():
    sc = Scenario("flow-volledig", "a full flow: request, answer in onderzoek, assignment with "
                  "its ReferentieAanbieder, start, stop, declaration, answer rejecting one "
                  "prestatie, credit of an approved one and a new debit; with the retours")
    c = sc.client()
    ref = sc.ref()
    n = sc.jw315("verzoek", D(2026, 1, 5), c,
                 [(ref, "45", "45A04", D(2026, 2, 1), D(2026, 7, 31), (3, "04", "2"))],
                 note="request 45A04 3 hours a week")
    sc.retour(n)
    n = sc.jw319("in-onderzoek", D(2026, 1, 8), ref, "2", note="VerzoekAntwoord 2 (in onderzoek)")
    sc.retour(n)
    a = sc.assignment(ingang=D(2026, 2, 1), eind=D(2026, 7, 31), ref=ref)
    n = sc.jw301("toewijzing", D(2026, 1, 20), c, [a], note="with the request's ReferentieAanbieder")
    sc.retour(n)
    n = sc.jw305("start", D(2026, 2, 3), c, [(a, D(2026, 2, 2), "1")], note="start 2026-02-02")
    sc.retour(n)
    n = sc.jw307("stop", D(2026, 6, 1), c, [(a, D(2026, 2, 2), "31", D(2026, 5, 31), "1")],
                 note="final stop (31) 2026-05-31")
    sc.retour(n)
    ps = [whole(sc, a, 2026, m, 10) for m in (2, 3, 4, 5)]
    d1 = sc.jw323("declaratie", D(2026, 6, 5), month(2026, 5), [(c, ps)],
                  note="debit February to May, 10 hours each")
    sc.jw325("antwoord", D(2026, 6, 12), d1, [(ps[1], "0611")],
             note="rejects the March prestatie, approves the others")
    cr = ps[0].credit(sc.pref())
    d2 = sc.jw323("credit", D(2026, 7, 3), month(2026, 6), [(c, [cr])],
                  note="credit of the approved February prestatie")
    sc.jw325("antwoord-credit", D(2026, 7, 10), d2, note="approved")
    p = Prestatie(sc.pref(), a, D(2026, 2, 1), D(2026, 2, 28), 8)
    d3 = sc.jw323("debet-opnieuw", D(2026, 8, 4), month(2026, 7), [(c, [p])],
                  note="new debit for February after its credit (TR389 borderline)")
    sc.jw325("antwoord-debet", D(2026, 8, 11), d3, note="approved")


def start_stop():
    # TR019 JW305
    sc = Scenario("TR019-JW305", "a start needs a live assignment of this client")
    c = sc.client()
    a1 = sc.assignment()
    a2 = sc.assignment(code="45A05")
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2], note="two assignments")
    sc.jw301("verwijderd", D(2025, 12, 20), c, [a2.version(eind=a2.ingang, reden="13")],
             note="the second deleted (RedenWijziging 13)")
    sc.jw305("start-borderline", D(2026, 1, 6), c, [(a1, D(2026, 1, 5), "1")],
             note="borderline: start of the live assignment")
    sc.jw305("start-verwijderd", D(2026, 1, 6), c, [(a2, D(2026, 1, 5), "1")], "TR019",
             "start of the deleted assignment")

    sc = Scenario("TR019-JW307", "a stop needs a live assignment of this client")
    c = sc.client()
    a1 = sc.assignment()
    a2 = sc.assignment(code="45A05")
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2], note="two assignments")
    sc.jw305("start", D(2026, 1, 6), c, [(a1, D(2026, 1, 5), "1"), (a2, D(2026, 1, 5), "1")],
             note="both started")
    sc.jw301("verwijderd", D(2026, 1, 8), c, [a2.version(eind=a2.ingang, reden="13")],
             note="the second deleted (RedenWijziging 13)")
    sc.jw307("stop-borderline", D(2026, 3, 2), c, [(a1, D(2026, 1, 5), "31", D(2026, 2, 27), "1")],
             note="borderline: stop of the live assignment")
    sc.jw307("stop-verwijderd", D(2026, 3, 2), c, [(a2, D(2026, 1, 5), "31", D(2026, 2, 27), "1")],
             "TR019", "stop on the deleted assignment (its start exists)")

    sc = Scenario("TR063-JW305", "a start is deleted only when it exists and is not deleted")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw305("verwijder-borderline", D(2026, 1, 7), c, [(a, D(2026, 1, 5), "3")],
             note="borderline: deletes the existing start")
    sc.jw305("verwijder-nogmaals", D(2026, 1, 8), c, [(a, D(2026, 1, 5), "3")], "TR063",
             "the same start deleted again")

    sc = Scenario("TR063-JW307", "a stop is deleted only when it exists and is not deleted")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw307("stop", D(2026, 3, 2), c, [(a, D(2026, 1, 5), "31", D(2026, 2, 27), "1")])
    sc.jw307("verwijder-borderline", D(2026, 3, 3), c, [(a, D(2026, 1, 5), "31", D(2026, 2, 27), "3")],
             note="borderline: deletes the existing stop")
    sc.jw307("verwijder-nogmaals", D(2026, 3, 4), c, [(a, D(2026, 1, 5), "31", D(2026, 2, 27), "3")],
             "TR063", "the same stop deleted again")

    sc = Scenario("TR071-JW305", "a start with a stop (not deleted) cannot be deleted")
    c = sc.client()
    a1 = sc.assignment()
    a2 = sc.assignment(code="45A05")
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2])
    sc.jw305("start", D(2026, 1, 6), c, [(a1, D(2026, 1, 5), "1"), (a2, D(2026, 1, 5), "1")])
    sc.jw307("stop", D(2026, 3, 2), c, [(a1, D(2026, 1, 5), "31", D(2026, 2, 27), "1"),
                                       (a2, D(2026, 1, 5), "31", D(2026, 2, 27), "1")],
             note="both stopped")
    sc.jw307("stop-verwijderd", D(2026, 3, 3), c, [(a1, D(2026, 1, 5), "31", D(2026, 2, 27), "3")],
             note="the first stop deleted")
    sc.jw305("verwijder-borderline", D(2026, 3, 4), c, [(a1, D(2026, 1, 5), "3")],
             note="borderline: its stop was deleted, so the start can be")
    sc.jw305("verwijder-gestopt", D(2026, 3, 4), c, [(a2, D(2026, 1, 5), "3")], "TR071",
             "deletes a start that has a stop")

    sc = Scenario("TR074-JW305", "no second start with the same key (not deleted)")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw305("verwijder", D(2026, 1, 7), c, [(a, D(2026, 1, 5), "3")], note="start deleted")
    sc.jw305("start-borderline", D(2026, 1, 7), c, [(a, D(2026, 1, 5), "1")],
             note="borderline: same key as the deleted start")
    sc.jw307("stop", D(2026, 3, 2), c, [(a, D(2026, 1, 5), "31", D(2026, 2, 27), "1")],
             note="stopped, so there is no current start (TR326)")
    sc.jw305("start-nogmaals", D(2026, 3, 3), c, [(a, D(2026, 1, 5), "1")], "TR074",
             "the same key as the (stopped) start")

    sc = Scenario("TR074-JW307", "no second stop with the same key (not deleted)")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw307("stop", D(2026, 3, 2), c, [(a, D(2026, 1, 5), "20", D(2026, 2, 27), "1")],
             note="temporary stop")
    sc.jw307("verwijder", D(2026, 3, 3), c, [(a, D(2026, 1, 5), "20", D(2026, 2, 27), "3")],
             note="deleted")
    sc.jw307("stop-borderline", D(2026, 3, 3), c, [(a, D(2026, 1, 5), "20", D(2026, 2, 27), "1")],
             note="borderline: same key as the deleted stop")
    sc.jw307("stop-nogmaals", D(2026, 3, 4), c, [(a, D(2026, 1, 5), "20", D(2026, 2, 27), "1")],
             "TR074,TR413", "same key again; a repeated 20 also breaks TR413 (unavoidable)")

    sc = Scenario("TR326-JW305", "a start only when the assignment has no current start")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw307("stop-tijdelijk", D(2026, 2, 2), c, [(a, D(2026, 1, 5), "20", D(2026, 1, 30), "1")])
    sc.jw305("herstart-borderline", D(2026, 2, 10), c, [(a, D(2026, 2, 9), "1")],
             note="borderline: restart after the temporary stop")
    sc.jw305("start-nogmaals", D(2026, 2, 17), c, [(a, D(2026, 2, 16), "1")], "TR326",
             "a start while the restart is current")

    sc = Scenario("TR382-JW307", "a stop needs a start with the same Begindatum")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw307("stop-borderline", D(2026, 2, 2), c, [(a, D(2026, 1, 5), "20", D(2026, 1, 30), "1")],
             note="borderline: Begindatum of the start")
    sc.jw307("stop-andere-begindatum", D(2026, 2, 3), c,
             [(a, D(2026, 1, 6), "20", D(2026, 1, 30), "1")], "TR382",
             "Begindatum one day after the start's")

    sc = Scenario("TR413-JW307", "after a temporary stop only a final one")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw307("stop-tijdelijk", D(2026, 2, 2), c, [(a, D(2026, 1, 5), "20", D(2026, 1, 30), "1")])
    sc.jw307("verwijder", D(2026, 2, 3), c, [(a, D(2026, 1, 5), "20", D(2026, 1, 30), "3")],
             note="the temporary stop deleted")
    sc.jw307("tijdelijk-borderline", D(2026, 2, 4), c, [(a, D(2026, 1, 5), "20", D(2026, 2, 2), "1")],
             note="borderline: temporary again, the earlier one is deleted")
    sc.jw307("tijdelijk-nogmaals", D(2026, 2, 10), c, [(a, D(2026, 1, 5), "20", D(2026, 2, 9), "1")],
             "TR413", "a second temporary stop")

    sc = Scenario("TR414-JW307", "a later stop has an Einddatum >= the latest one's")
    c = sc.client()
    a1 = sc.assignment()
    a2 = sc.assignment(code="45A05")
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2])
    sc.jw305("start", D(2026, 1, 6), c, [(a1, D(2026, 1, 5), "1"), (a2, D(2026, 1, 5), "1")])
    sc.jw307("stop-tijdelijk", D(2026, 2, 2), c, [(a1, D(2026, 1, 5), "20", D(2026, 1, 30), "1"),
                                                 (a2, D(2026, 1, 5), "20", D(2026, 1, 30), "1")],
             note="both stopped temporarily")
    sc.jw307("definitief-borderline", D(2026, 2, 9), c,
             [(a1, D(2026, 1, 5), "35", D(2026, 1, 30), "1")],
             note="borderline: final stop with the equal Einddatum")
    sc.jw307("definitief-eerder", D(2026, 2, 9), c, [(a2, D(2026, 1, 5), "35", D(2026, 1, 29), "1")],
             "TR414", "final stop one day before the temporary one's Einddatum")

    sc = Scenario("TR415-JW307", "no stop after a final stop (delete it first)")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw305("start", D(2026, 1, 6), c, [(a, D(2026, 1, 5), "1")])
    sc.jw307("stop", D(2026, 2, 2), c, [(a, D(2026, 1, 5), "35", D(2026, 1, 30), "1")])
    sc.jw307("verwijder", D(2026, 2, 3), c, [(a, D(2026, 1, 5), "35", D(2026, 1, 30), "3")])
    sc.jw307("correctie-borderline", D(2026, 2, 3), c, [(a, D(2026, 1, 5), "35", D(2026, 2, 2), "1")],
             note="borderline: corrected final stop after the deletion")
    sc.jw307("stop-nogmaals", D(2026, 2, 10), c, [(a, D(2026, 1, 5), "35", D(2026, 2, 6), "1")],
             "TR415", "another final stop, later Einddatum, without deleting")


def toewijzing():
    sc = Scenario("TR332-JW301", "a ToewijzingNummer belongs to one aanbieder, client and product")
    c = sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw301("verlenging-borderline", D(2026, 5, 4), c, [a.version(eind=D(2026, 12, 31), reden="04")],
             note="borderline: a new version (RedenWijziging 04)")
    sc.jw301("andere-aanbieder", D(2026, 5, 5), c, [a.version(eind=D(2026, 12, 31))], "TR332",
             "the same nummer to another aanbieder (%s)" % sc.agb2, ont=sc.agb2)

    sc = Scenario("TR379-JW301", "a ReferentieAanbieder is that of a request for this client")
    c, c2 = sc.client(), sc.client()
    r1, r2 = sc.ref(), sc.ref()
    sc.jw315("verzoek", D(2025, 12, 1), c, [(r1, "45", "45A04", D(2026, 1, 1), D(2026, 6, 30), (3, "04", "2"))])
    sc.jw315("verzoek-ander", D(2025, 12, 1), c2, [(r2, "45", "45A04", D(2026, 1, 1), D(2026, 6, 30), (3, "04", "2"))],
             note="a request for another client")
    sc.jw301("toewijzing-borderline", D(2025, 12, 15), c, [sc.assignment(ref=r1)],
             note="borderline: the client's own request")
    sc.jw301("toewijzing-fout", D(2025, 12, 15), c, [sc.assignment(code="45A05", ref=r2)], "TR379",
             "the ReferentieAanbieder of the other client's request")

    sc = Scenario("TR385-JW301", "no deletion of an assignment with approved prestaties")
    c = sc.client()
    a1 = sc.assignment()
    a2 = sc.assignment(code="45A05")
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2])
    p1, p2 = whole(sc, a1, 2026, 1, 10), whole(sc, a2, 2026, 1, 10)
    d = sc.jw323("declaratie", D(2026, 2, 3), month(2026, 1), [(c, [p1, p2])])
    sc.jw325("antwoord", D(2026, 2, 10), d, [(p2, "0611")], note="rejects the second's prestatie")
    sc.jw301("verwijder-borderline", D(2026, 2, 12), c, [a2.version(eind=a2.ingang, reden="13")],
             note="borderline: its only prestatie was rejected")
    sc.jw301("verwijder", D(2026, 2, 12), c, [a1.version(eind=a1.ingang, reden="13")], "TR385",
             "deletes the assignment with an approved prestatie")


def verzoek():
    om = (3, "04", "2")
    sc = Scenario("TR347-JW315", "a ReferentieAanbieder is used once by an aanbieder")
    c, c2 = sc.client(), sc.client()
    r = sc.ref()
    sc.jw315("verzoek", D(2026, 3, 2), c, [(r, "45", "45A04", D(2026, 4, 1), D(2026, 9, 30), om)])
    sc.jw315("andere-aanbieder-borderline", D(2026, 3, 3), c,
             [(r, "45", "45A04", D(2026, 4, 1), D(2026, 9, 30), om)],
             note="borderline: the same reference from another aanbieder (%s)" % sc.agb2, afz=sc.agb2)
    sc.jw315("zelfde-referentie", D(2026, 3, 4), c2, [(r, "45", "45A04", D(2026, 4, 1), D(2026, 9, 30), om)],
             "TR347", "the aanbieder's own reference again (other client)")

    sc = Scenario("TR347-JW317", "a ReferentieAanbieder is used once by an aanbieder")
    c = sc.client()
    a = sc.assignment(eind=D(2026, 12, 31))
    r1, r2 = sc.ref(), sc.ref()
    nieuw = [("45", "45A05", D(2026, 5, 1), D(2026, 12, 31), om)]
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw317("verzoek", D(2026, 3, 2), c, r1, [a], nieuw=nieuw)
    sc.jw319("afgewezen", D(2026, 3, 9), r1, "1", note="refused: the request is closed")
    sc.jw317("verzoek-borderline", D(2026, 3, 10), c, r2, [a], nieuw=nieuw,
             note="borderline: a fresh reference")
    sc.jw319("afgewezen-2", D(2026, 3, 12), r2, "1")
    sc.jw317("zelfde-referentie", D(2026, 3, 13), c, r1, [a], nieuw=nieuw, verdict="TR347",
             note="the first reference again")

    sc = Scenario("TR374-JW315", "no second request while one is open")
    c = sc.client()
    r1, r2, r3 = sc.ref(), sc.ref(), sc.ref()
    sc.jw315("verzoek", D(2026, 3, 2), c, [(r1, "45", "45A04", D(2026, 4, 1), D(2026, 9, 30), om)])
    sc.jw301("toewijzing", D(2026, 3, 9), c, [sc.assignment(ingang=D(2026, 4, 1), eind=D(2026, 9, 30), ref=r1)],
             note="assigned: the request is closed")
    sc.jw315("verzoek-borderline", D(2026, 3, 10), c, [(r2, "45", "45A05", D(2026, 4, 1), D(2026, 9, 30), om)],
             note="borderline: the earlier request was assigned")
    sc.jw319("in-onderzoek", D(2026, 3, 11), r2, "2", note="VerzoekAntwoord 2: still open")
    sc.jw315("verzoek-open", D(2026, 3, 12), c, [(r3, "45", "45A06", D(2026, 4, 1), D(2026, 9, 30), om)],
             "TR374", "a request while the second is open")

    sc = Scenario("TR374-JW317", "no second request while one is open")
    c = sc.client()
    a = sc.assignment(eind=D(2026, 12, 31))
    r1, r2, r3 = sc.ref(), sc.ref(), sc.ref()
    nieuw = [("45", "45A05", D(2026, 5, 1), D(2026, 12, 31), om)]
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw317("verzoek", D(2026, 3, 2), c, r1, [a], nieuw=nieuw)
    sc.jw319("afgewezen", D(2026, 3, 9), r1, "1")
    sc.jw317("verzoek-borderline", D(2026, 3, 10), c, r2, [a], nieuw=nieuw,
             note="borderline: the earlier request was refused")
    sc.jw317("verzoek-open", D(2026, 3, 11), c, r3, [a], nieuw=nieuw, verdict="TR374",
             note="a request while the second is open")

    sc = Scenario("TR304-JW317", "a request for change is for a client with an assignment")
    c, c2 = sc.client(), sc.client()
    a = sc.assignment(eind=D(2026, 12, 31))
    a2 = sc.assignment(code="45A05", eind=D(2026, 12, 31))
    nieuw = [("45", "45A06", D(2026, 5, 1), D(2026, 12, 31), om)]
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw301("toewijzing-ander", D(2025, 12, 15), c2, [a2], note="another client's assignment")
    sc.jw317("verzoek-borderline", D(2026, 3, 2), c, sc.ref(), [a], nieuw=nieuw,
             note="borderline: the client's own assignment")
    c3 = sc.client()
    sc.jw317("client-zonder-toewijzing", D(2026, 3, 3), c3, sc.ref(), [a2], nieuw=nieuw,
             verdict="TR304,TR350",
             note="a client without assignment; the OngewijzigdProduct it must list breaks TR350 too")

    sc = Scenario("TR349-JW317", "a request lists every actual assignment of the client")
    c = sc.client()
    a1 = sc.assignment(eind=D(2026, 12, 31))
    a2 = sc.assignment(code="45A05", eind=D(2026, 12, 31))
    a3 = sc.assignment(code="45A06", eind=D(2026, 3, 1))
    nieuw = [("41", "41A03", D(2026, 5, 1), D(2026, 12, 31), (2, "16", "2"))]
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2, a3], note="the third ends 2026-03-01")
    sc.jw317("verzoek-borderline", D(2026, 3, 2), c, sc.ref(), [a1, a2], nieuw=nieuw,
             note="borderline: the third ended the day before, it is not listed")
    sc.jw319("afgewezen", D(2026, 3, 9), "VZ-%03d-01" % sc.idx, "1")
    sc.jw317("verzoek-onvolledig", D(2026, 3, 10), c, sc.ref(), [a1], nieuw=nieuw, verdict="TR349",
             note="the second assignment is not listed")

    for rule, kind in (("TR350", "ongewijzigd"), ("TR351", "tewijzigen")):
        sc = Scenario("%s-JW317" % rule, "a listed %s nummer is an actual assignment of the client" % kind)
        c = sc.client()
        a1 = sc.assignment(eind=D(2026, 12, 31))
        a2 = sc.assignment(code="45A05", eind=D(2026, 3, 2))
        nieuw = [("41", "41A03", D(2026, 5, 1), D(2026, 12, 31), (2, "16", "2"))]
        sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2], note="the second ends 2026-03-02")
        r1 = sc.ref()
        if kind == "ongewijzigd":
            args1 = dict(ongewijzigd=[a1, a2], nieuw=nieuw)
            args2 = dict(ongewijzigd=[a1, a2], nieuw=nieuw)
        else:
            tw = [(a2, D(2026, 3, 3), D(2026, 6, 30), (4, "04", "2"), None)]
            args1 = dict(ongewijzigd=[a1], tewijzigen=tw)
            args2 = dict(ongewijzigd=[a1], tewijzigen=[(a2, D(2026, 3, 4), D(2026, 6, 30), (4, "04", "2"), None)])
        sc.jw317("verzoek-borderline", D(2026, 3, 2), c, r1, note="borderline: Einddatum equals the Dagtekening", **args1)
        sc.jw319("afgewezen", D(2026, 3, 2), r1, "1")
        sc.jw317("verzoek-verlopen", D(2026, 3, 3), c, sc.ref(), verdict=rule,
                 note="the second assignment ended the day before", **args2)

    sc = Scenario("TR357-JW317", "a GewensteIngangsdatum not after the Dagtekening is the Ingangsdatum")
    c = sc.client()
    a = sc.assignment(eind=D(2026, 12, 31))
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    r1 = sc.ref()
    sc.jw317("verzoek-borderline", D(2026, 3, 10), c, r1,
             tewijzigen=[(a, D(2026, 3, 11), D(2026, 12, 31), (4, "04", "2"), None)],
             note="borderline: GewensteIngangsdatum the day after the Dagtekening")
    sc.jw319("afgewezen", D(2026, 3, 12), r1, "1")
    sc.jw317("verzoek-verleden", D(2026, 3, 13), c, sc.ref(),
             tewijzigen=[(a, D(2026, 3, 13), D(2026, 12, 31), (4, "04", "2"), None)], verdict="TR357",
             note="GewensteIngangsdatum equals the Dagtekening, not the Ingangsdatum")

    sc = Scenario("TR361-JW317", "one product more than once only without overlap")
    c = sc.client()
    a = sc.assignment(eind=D(2026, 12, 31))
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    r1 = sc.ref()
    sc.jw317("verzoek-borderline", D(2026, 5, 4), c, r1, [a],
             nieuw=[("45", "45A04", D(2027, 1, 1), D(2027, 6, 30), om)],
             note="borderline: the same product from the day after the assignment")
    sc.jw319("afgewezen", D(2026, 5, 6), r1, "1")
    sc.jw317("verzoek-overlap", D(2026, 5, 7), c, sc.ref(), [a],
             nieuw=[("45", "45A04", D(2026, 12, 31), D(2027, 6, 30), om)], verdict="TR361",
             note="the same product overlapping one day")

    sc = Scenario("TR373-JW317", "a changed total Volume or Budget goes from the Ingangsdatum")
    c = sc.client()
    a = sc.assignment(eind=D(2026, 12, 31), om=(60, "04", "6"))
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a], note="60 hours in total")
    r1 = sc.ref()
    sc.jw317("verzoek-borderline", D(2026, 3, 10), c, r1,
             tewijzigen=[(a, a.ingang, D(2026, 12, 31), (80, "04", "6"), None)],
             note="borderline: 80 hours from the Ingangsdatum")
    sc.jw319("afgewezen", D(2026, 3, 12), r1, "1")
    sc.jw317("verzoek-later", D(2026, 3, 13), c, sc.ref(),
             tewijzigen=[(a, D(2026, 4, 1), D(2026, 12, 31), (80, "04", "6"), None)], verdict="TR373",
             note="80 hours in total from a later date")

    sc = Scenario("TR411-JW317", "a change of an assignment with a product code has an Omvang")
    c = sc.client()
    a = sc.assignment(eind=D(2026, 12, 31))
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    r1 = sc.ref()
    sc.jw317("verzoek-borderline", D(2026, 3, 10), c, r1,
             tewijzigen=[(a, D(2026, 4, 1), D(2027, 3, 31), om, None)],
             note="borderline: with its Omvang")
    sc.jw319("afgewezen", D(2026, 3, 12), r1, "1")
    sc.jw317("verzoek-zonder-omvang", D(2026, 3, 13), c, sc.ref(),
             tewijzigen=[(a, D(2026, 4, 1), D(2027, 3, 31), None, None)], verdict="TR411",
             note="only a later Einddatum, no Omvang")

    sc = Scenario("TR412-JW317", "a change of a category-only assignment has no Omvang")
    c = sc.client()
    a = sc.assignment(code=None, eind=D(2026, 12, 31), om=None)
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a], note="category 45 only, no Omvang")
    r1 = sc.ref()
    sc.jw317("verzoek-borderline", D(2026, 3, 10), c, r1,
             tewijzigen=[(a, D(2026, 4, 1), D(2027, 3, 31), None, None)],
             note="borderline: a later Einddatum, no Omvang")
    sc.jw319("afgewezen", D(2026, 3, 12), r1, "1")
    sc.jw317("verzoek-met-omvang", D(2026, 3, 13), c, sc.ref(),
             tewijzigen=[(a, D(2026, 4, 1), D(2027, 3, 31), om, None)], verdict="TR412",
             note="with an Omvang")

    sc = Scenario("TR375-JW317", "a change of an assignment without product has no Omvang")
    c = sc.client()
    a = Assignment(sc.nr(), None, None, D(2026, 1, 1), D(2026, 12, 31), None, budget=5000)
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a], note="a Budget of 5000 euros, no product")
    r1 = sc.ref()
    sc.jw317("verzoek-borderline", D(2026, 3, 10), c, r1,
             tewijzigen=[(a, a.ingang, D(2026, 12, 31), None, 6000)],
             note="borderline: a higher Budget from the Ingangsdatum")
    sc.jw319("afgewezen", D(2026, 3, 12), r1, "1")
    sc.jw317("verzoek-met-omvang", D(2026, 3, 13), c, sc.ref(),
             tewijzigen=[(a, a.ingang, D(2026, 12, 31), om, None)], verdict="TR375",
             note="an Omvang instead of the Budget, from the Ingangsdatum")


def antwoord():
    om = (3, "04", "2")
    req = lambda r: [(r, "45", "45A04", D(2026, 4, 1), D(2026, 9, 30), om)]
    sc = Scenario("TR355-JW319", "an answer is to a request of this aanbieder")
    c = sc.client()
    r1, r2 = sc.ref(), sc.ref()
    sc.jw315("verzoek", D(2026, 3, 2), c, req(r1))
    sc.jw315("verzoek-andere-aanbieder", D(2026, 3, 2), c, req(r2),
             note="a request of another aanbieder (%s)" % sc.agb2, afz=sc.agb2)
    sc.jw319("antwoord-borderline", D(2026, 3, 5), r1, "2", note="borderline: its own request")
    sc.jw319("antwoord-fout", D(2026, 3, 5), r2, "2", "TR355",
             "answers the other aanbieder's request")

    sc = Scenario("TR359-JW319", "no answer after the assignment with that reference")
    c = sc.client()
    r1 = sc.ref()
    sc.jw315("verzoek", D(2026, 3, 2), c, req(r1))
    sc.jw319("antwoord-borderline", D(2026, 3, 5), r1, "2", note="borderline: before the assignment")
    sc.jw301("toewijzing", D(2026, 3, 9), c, [sc.assignment(ingang=D(2026, 4, 1), eind=D(2026, 9, 30), ref=r1)])
    sc.jw319("antwoord-na-toewijzing", D(2026, 3, 10), r1, "1", "TR359", "refusal after the assignment")

    sc = Scenario("TR360-JW319", "VerzoekAntwoord 2 only as the first answer")
    c = sc.client()
    r1 = sc.ref()
    sc.jw315("verzoek", D(2026, 3, 2), c, req(r1))
    sc.jw319("in-onderzoek-borderline", D(2026, 3, 5), r1, "2", note="borderline: the first answer")
    sc.jw319("in-onderzoek-nogmaals", D(2026, 3, 6), r1, "2", "TR360", "a second answer 2")

    sc = Scenario("TR365-JW319", "a second answer only after an answer 2")
    c = sc.client()
    r1, r2 = sc.ref(), sc.ref()
    sc.jw315("verzoek", D(2026, 3, 2), c, req(r1))
    sc.jw319("in-onderzoek", D(2026, 3, 5), r1, "2")
    sc.jw319("afgewezen-borderline", D(2026, 3, 6), r1, "1", note="borderline: refusal after answer 2")
    sc.jw315("verzoek-2", D(2026, 3, 9), c, [(r2, "45", "45A05", D(2026, 4, 1), D(2026, 9, 30), om)],
             note="a new request, the first was refused")
    sc.jw319("afgewezen", D(2026, 3, 10), r2, "1", note="refused at once")
    sc.jw319("afgewezen-nogmaals", D(2026, 3, 11), r2, "1", "TR365", "a second answer after an answer 1")


def declaratie():
    def base(name, about, **kw):
        sc = Scenario(name, about)
        c = sc.client()
        a = sc.assignment(**kw)
        sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
        return sc, c, a

    def decl(sc, c, what, y, m, ps, verdict=None, note=""):
        nm = month(y, m)
        dag = month_end(nm) + datetime.timedelta(days=3)
        return sc.jw323(what, dag, nm, [(c, ps)], verdict, note)

    sc, c, a = base("TR333-JW323", "a DeclaratieNummer is used once by an aanbieder")
    d1 = decl(sc, c, "januari", 2026, 1, [whole(sc, a, 2026, 1, 10)])
    decl(sc, c, "februari-borderline", 2026, 2, [whole(sc, a, 2026, 2, 10)], note="borderline: a new number")
    sc.jw323("maart", D(2026, 4, 3), month(2026, 3), [(c, [whole(sc, a, 2026, 3, 10)])], "TR333",
             "the January DeclaratieNummer again", nummer=d1.nummer)

    sc, c, a = base("TR318-JW323", "a declaration is for a later month than the previous one")
    decl(sc, c, "februari", 2026, 2, [whole(sc, a, 2026, 2, 10)])
    decl(sc, c, "maart-borderline", 2026, 3, [whole(sc, a, 2026, 3, 10)], note="borderline: the next month")
    sc.jw323("maart-nogmaals", D(2026, 4, 6), month(2026, 3), [(c, [whole(sc, a, 2026, 1, 10)])], "TR318",
             "March again (a January prestatie)")

    sc = Scenario("TR304-JW323", "a declared client has an assignment")
    c, c2 = sc.client(), sc.client()
    a = sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    decl(sc, c, "januari-borderline", 2026, 1, [whole(sc, a, 2026, 1, 10)], note="borderline: the client's own")
    decl(sc, c2, "client-zonder-toewijzing", 2026, 2, [whole(sc, a, 2026, 2, 10)], "TR304,TR338",
         "a client without assignment; the nummer then is not the client's either (TR338)")

    sc = Scenario("TR338-JW323", "a prestatie is on an assignment of this client")
    c, c2 = sc.client(), sc.client()
    a, a2 = sc.assignment(), sc.assignment()
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw301("toewijzing-ander", D(2025, 12, 15), c2, [a2], note="the same product for another client")
    decl(sc, c, "januari-borderline", 2026, 1, [whole(sc, a, 2026, 1, 10)], note="borderline: its own")
    decl(sc, c, "andere-client", 2026, 2, [whole(sc, a2, 2026, 2, 10)], "TR338",
         "the other client's nummer under this client")

    sc = Scenario("TR384-JW323", "no prestatie on a deleted assignment")
    c = sc.client()
    a1 = sc.assignment()
    a2 = sc.assignment(code="45A05", ingang=D(2026, 3, 10))
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a1, a2])
    a2d = a2.version(eind=a2.ingang, reden="13")
    sc.jw301("verwijderd", D(2026, 3, 12), c, [a2d], note="the second deleted")
    decl(sc, c, "maart-borderline", 2026, 3, [whole(sc, a1, 2026, 3, 10)], note="borderline: the live one")
    decl(sc, c, "verwijderd", 2026, 4, [Prestatie(sc.pref(), a2d, a2.ingang, a2.ingang, 2)], "TR384",
         "one day on the deleted assignment, within its last version")

    sc, c, a = base("TR339-JW323", "ProductCategorie is the assignment's")
    b = Assignment(sc.nr(), "45", None, D(2026, 1, 1), D(2026, 6, 30))
    sc.jw301("toewijzing-categorie", D(2025, 12, 20), c, [b],
             note="an assignment of category 45 without a code (and so without Omvang)")
    decl(sc, c, "januari", 2026, 1, [whole(sc, a, 2026, 1, 10)])
    decl(sc, c, "februari-borderline", 2026, 2, [whole(sc, b, 2026, 2, 40000, code="45A07")],
         note="borderline: ProductCategorie 45 is the category of an assignment without a "
              "code; any code of it fits")
    decl(sc, c, "andere-categorie", 2026, 3, [whole(sc, a, 2026, 3, 10, cat="46", code="45A04")], "TR339",
         "ProductCategorie 46, the code the assignment's")

    sc, c, a = base("TR340-JW323", "ProductCode is the assignment's")
    decl(sc, c, "januari-borderline", 2026, 1, [whole(sc, a, 2026, 1, 10)],
         note="borderline: ProductCode 45A04, the code of the assignment")
    decl(sc, c, "andere-code", 2026, 2, [whole(sc, a, 2026, 2, 10, code="45A05")], "TR340",
         "ProductCode 45A05 on a 45A04 assignment")

    sc, c, a = base("TR341-JW323", "Eenheid is the assignment's (minutes fit hours)",
                    om=(10, "04", "2"))
    decl(sc, c, "minuten-borderline", 2026, 1, [whole(sc, a, 2026, 1, 120, eenheid="01", tarief=125)],
         note="borderline: 120 minutes against hours")
    decl(sc, c, "etmaal", 2026, 2, [whole(sc, a, 2026, 2, 1, eenheid="14", tarief=20000)], "TR341",
         "Eenheid 14 against hours")

    sc, c, a = base("TR307-JW323", "a ProductPeriode begins on or after the Ingangsdatum",
                    ingang=D(2026, 2, 1))
    decl(sc, c, "februari-borderline", 2026, 2, [whole(sc, a, 2026, 2, 10)],
         note="borderline: Begindatum equals the Ingangsdatum")
    decl(sc, c, "januari", 2026, 3, [Prestatie(sc.pref(), a, D(2026, 1, 1), D(2026, 1, 31), 10)], "TR307",
         "January, before the Ingangsdatum")

    sc, c, a = base("TR308-JW323", "a ProductPeriode ends on or before the Einddatum",
                    eind=D(2026, 3, 31))
    decl(sc, c, "maart-borderline", 2026, 3, [whole(sc, a, 2026, 3, 10)],
         note="borderline: ends on the Einddatum")
    decl(sc, c, "april", 2026, 4, [Prestatie(sc.pref(), a, D(2026, 4, 1), D(2026, 4, 30), 10)], "TR308",
         "April, after the Einddatum")

    sc, c, a = base("TR387-JW323", "a ProductPeriode begins on the 1st or the Ingangsdatum",
                    ingang=D(2026, 1, 15))
    decl(sc, c, "januari-borderline", 2026, 1, [whole(sc, a, 2026, 1, 8)],
         note="borderline: begins on the Ingangsdatum later in the month")
    decl(sc, c, "februari-2", 2026, 2, [Prestatie(sc.pref(), a, D(2026, 2, 2), D(2026, 2, 28), 10)], "TR387",
         "begins on the 2nd")

    sc, c, a = base("TR388-JW323", "a ProductPeriode ends on the month's last day or the Einddatum",
                    eind=D(2026, 3, 20))
    decl(sc, c, "maart-borderline", 2026, 3, [whole(sc, a, 2026, 3, 8)],
         note="borderline: ends on the Einddatum earlier in the month")
    decl(sc, c, "februari-27", 2026, 4, [Prestatie(sc.pref(), a, D(2026, 2, 1), D(2026, 2, 27), 10)], "TR388",
         "February, ending on the 27th")

    sc, c, a = base("TR321-JW323", "GeleverdVolume fits the Omvang for the ProductPeriode")
    decl(sc, c, "januari-borderline", 2026, 1, [whole(sc, a, 2026, 1, 15)],
         note="borderline: 15 hours = 3 x 5 weeks (31 days)")
    decl(sc, c, "februari", 2026, 2, [whole(sc, a, 2026, 2, 13)], "TR321",
         "13 hours > 3 x 4 weeks (28 days)")

    sc, c, a = base("TR322-JW323", "the delivered total fits the assignment's total",
                    eind=D(2026, 3, 31), om=(20, "04", "6"))
    decl(sc, c, "januari", 2026, 1, [whole(sc, a, 2026, 1, 12)])
    decl(sc, c, "februari-borderline", 2026, 2, [whole(sc, a, 2026, 2, 8)],
         note="borderline: 12 + 8 = exactly the 20 hours")
    decl(sc, c, "maart", 2026, 3, [whole(sc, a, 2026, 3, 1)], "TR322", "one hour more")

    sc = Scenario("TR369-JW323", "the declared amounts fit the Budget")
    c = sc.client()
    a = Assignment(sc.nr(), None, None, D(2026, 1, 1), D(2026, 6, 30), None, budget=1000)
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a], note="a Budget of 1000 euros")
    decl(sc, c, "januari", 2026, 1, [whole(sc, a, 2026, 1, 60000)])
    decl(sc, c, "februari-borderline", 2026, 2, [whole(sc, a, 2026, 2, 40000)],
         note="borderline: 600 + 400 euros, exactly the Budget")
    decl(sc, c, "maart", 2026, 3, [whole(sc, a, 2026, 3, 1)], "TR369", "one cent more")

    sc, c, a = base("TR314-JW323", "a ReferentieNummer is used once by an aanbieder")
    p1 = whole(sc, a, 2026, 1, 10)
    decl(sc, c, "januari", 2026, 1, [p1])
    decl(sc, c, "februari-borderline", 2026, 2, [whole(sc, a, 2026, 2, 10)], note="borderline: a new number")
    p3 = whole(sc, a, 2026, 3, 10)
    p3.ref = p1.ref
    decl(sc, c, "maart", 2026, 3, [p3], "TR314", "the January ReferentieNummer again")

    sc, c, a = base("TR319-JW323", "a ProductPeriode begins by the end of the DeclaratiePeriode",
                    ingang=D(2026, 1, 31))
    decl(sc, c, "januari-borderline", 2026, 1, [whole(sc, a, 2026, 1, 2)],
         note="borderline: begins on the last day of the DeclaratiePeriode")
    sc.jw323("februari", D(2026, 4, 2), month(2026, 2), [(c, [whole(sc, a, 2026, 3, 10)])], "TR319",
             "a March prestatie in the February declaration")

    sc, c, a = base("TR389-JW323", "no second debit for the same assignment, product and period")
    p1 = whole(sc, a, 2026, 1, 10)
    d1 = decl(sc, c, "januari", 2026, 1, [p1])
    sc.jw325("afgewezen", D(2026, 2, 10), d1, [(p1, "0611")], note="the prestatie rejected")
    p2 = whole(sc, a, 2026, 1, 10)
    d2 = decl(sc, c, "januari-opnieuw-borderline", 2026, 2, [p2], note="borderline: January again after the rejection")
    sc.jw325("goedgekeurd", D(2026, 3, 10), d2, note="approved")
    decl(sc, c, "januari-nogmaals", 2026, 3, [whole(sc, a, 2026, 1, 10)], "TR389", "January a third time")

    sc, c, a = base("TR323-JW323", "a credit is of an approved debit")
    p1 = whole(sc, a, 2026, 1, 10)
    d1 = decl(sc, c, "januari", 2026, 1, [p1])
    sc.jw325("goedgekeurd", D(2026, 2, 10), d1, note="approved")
    p2 = whole(sc, a, 2026, 2, 10)
    decl(sc, c, "februari-borderline", 2026, 2, [p2, p1.credit(sc.pref())],
         note="borderline: credits the approved January prestatie")
    decl(sc, c, "credit-onbeantwoord", 2026, 3, [p2.credit(sc.pref())], "TR323",
         "credits the February prestatie, not answered yet")

    sc, c, a = base("TR390-JW323", "a prestatie is credited once")
    p1 = whole(sc, a, 2026, 1, 10)
    d1 = decl(sc, c, "januari", 2026, 1, [p1])
    sc.jw325("goedgekeurd", D(2026, 2, 10), d1, note="approved")
    decl(sc, c, "credit-borderline", 2026, 2, [p1.credit(sc.pref())], note="borderline: the first credit")
    decl(sc, c, "credit-nogmaals", 2026, 3, [p1.credit(sc.pref())], "TR390", "credits it again")


def declaratieantwoord():
    def base(name, about):
        sc = Scenario(name, about)
        c = sc.client()
        a = sc.assignment()
        sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
        p1 = whole(sc, a, 2026, 1, 10)
        p2 = whole(sc, a, 2026, 2, 12)
        d1 = sc.jw323("januari", D(2026, 2, 3), month(2026, 1), [(c, [p1])])
        return sc, c, a, p1, p2, d1

    sc, c, a, p1, p2, d1 = base("TR337-JW325", "a JW325 answers an earlier JW323")
    sc.jw325("antwoord-borderline", D(2026, 2, 10), d1, note="borderline: answers it")
    d2 = sc.jw323("februari", D(2026, 3, 3), month(2026, 2), [(c, [p2])])
    sc.jw325("onbekende-declaratie", D(2026, 3, 10), d2, verdict="TR337", declid="S%03dX99" % sc.idx,
             note="DeclaratieIdentificatie of no JW323")

    sc, c, a, p1, p2, d1 = base("TR371-JW325", "XsdVersieDeclaratie is the JW323's XsdVersie")
    sc.jw325("antwoord-borderline", D(2026, 2, 10), d1, note="borderline: 1.0.0 as sent")
    d2 = sc.jw323("februari", D(2026, 3, 3), month(2026, 2), [(c, [p2])])
    sc.jw325("andere-versie", D(2026, 3, 10), d2, verdict="TR371", xsdversie_decl=("1.0.0", "1.0.1"),
             note="BerichtXsdVersie 1.0.1 in XsdVersieDeclaratie")

    sc, c, a, p1, p2, d1 = base("TR376-JW325", "DeclaratieNummer is the JW323's")
    sc.jw325("antwoord-borderline", D(2026, 2, 10), d1, note="borderline: its number")
    d2 = sc.jw323("februari", D(2026, 3, 3), month(2026, 2), [(c, [p2])])
    sc.jw325("ander-nummer", D(2026, 3, 10), d2, verdict="TR376", nummer=d1.nummer,
             note="the January DeclaratieNummer")

    sc, c, a, p1, p2, d1 = base("TR366-JW325", "a listed prestatie is one of the declaration")
    sc.jw325("afwijzing-borderline", D(2026, 2, 10), d1, [(p1, "0611")], note="borderline: rejects its own")
    d2 = sc.jw323("februari", D(2026, 3, 3), month(2026, 2), [(c, [p2])])
    sc.jw325("andere-prestatie", D(2026, 3, 10), d2, [(p1, "0611")], verdict="TR366",
             note="lists the January prestatie in the answer to February")

    sc, c, a, p1, p2, d1 = base("TR367-JW325", "a listed prestatie has the declared values")
    sc.jw325("afwijzing-borderline", D(2026, 2, 10), d1, [(p1, "0611")], note="borderline: as declared")
    d2 = sc.jw323("februari", D(2026, 3, 3), month(2026, 2), [(c, [p2])])
    sc.jw325("ander-volume", D(2026, 3, 10), d2, [(p2, "0611")], verdict="TR367", over={"vol": 11},
             note="GeleverdVolume 11 where 12 was declared")

    sc, c, a, p1, p2, d1 = base("TR304-JW325", "a listed client has an assignment")
    c2 = sc.client()
    sc.jw325("afwijzing-borderline", D(2026, 2, 10), d1, [(p1, "0611")], note="borderline: its client")
    d2 = sc.jw323("februari", D(2026, 3, 3), month(2026, 2), [(c, [p2])])
    sc.jw325("andere-client", D(2026, 3, 10), d2, [(p2, "0611")], verdict="TR304", bsn=c2.bsn,
             note="the prestatie under a BSN without assignment")


def policy():
    """The region's policy (STAPELING, PLAFOND, TERMIJN): judged only with a product
    table, so each of these scenarios has a products.ini (see Scenario.products)."""
    om = (3, "04", "2")

    sc = Scenario("STAPELING-JW301", "no two combinations of the region for a client at one "
                  "aanbieder at the same time, except Acuut for at most 14 days and Duurzaam "
                  "with the regisseur's agreement")
    sc.ceilings = []
    c = sc.client()
    p2 = sc.assignment("45", "45A01", D(2026, 1, 1), D(2026, 6, 30), om)
    sc.jw301("toewijzing-2P", D(2025, 12, 15), c, [p2], note="45A01 = combination 2P, first half of 2026")
    acuut = sc.assignment("46", "46A01", D(2026, 3, 1), D(2026, 3, 14), (2, "04", "1"))
    sc.jw301("acuut-14-dagen-borderline", D(2026, 2, 27), c, [acuut],
             note="borderline: 46A01 = 2A during 2P, Acuut of exactly 14 days")
    d7 = sc.assignment("41", "41A17", D(2026, 5, 1), D(2026, 9, 30), om,
                       commentaar="Stapeling met 2P: regisseur akkoord op 2026-04-20")
    sc.jw301("duurzaam-akkoord-borderline", D(2026, 4, 24), c, [d7],
             note="borderline: 41A17 = 7D during 2P, 'regisseur akkoord' in its Commentaar")
    i2 = sc.assignment("45", "45A02", D(2026, 7, 1), D(2026, 12, 31), om)
    sc.jw301("aansluitend-borderline", D(2026, 6, 15), c, [i2],
             note="borderline: 45A02 = 2I from 2026-07-01, the day after 2P ends "
                  "(beside 7D, which has the agreement)")
    p1 = sc.assignment("45", "45A12", D(2026, 7, 1), D(2026, 8, 31), om)
    sc.jw301("overlap", D(2026, 6, 20), c, [p1], "STAPELING",
             "45A12 = 1P overlaps 2I, no exception")
    a4 = sc.assignment("46", "46A02", D(2026, 10, 1), D(2026, 10, 15), (2, "04", "1"))
    sc.jw301("acuut-15-dagen", D(2026, 9, 28), c, [a4], "STAPELING",
             "46A02 = 4A of 15 days during 2I")
    d7b = sc.assignment("41", "41A18", D(2026, 10, 1), D(2026, 12, 31), om,
                        commentaar="Stapeling met 2I aangevraagd")
    sc.jw301("duurzaam-zonder-akkoord", D(2026, 9, 28), c, [d7b], "STAPELING",
             "41A18 = 7D during 2I, its Commentaar without the agreement")
    c2 = sc.client()
    p2b = sc.assignment("45", "45A01", D(2027, 1, 1), D(2027, 6, 30), om)
    p1b = sc.assignment("45", "45A12", D(2027, 3, 1), D(2027, 4, 30), om)
    sc.jw301("twee-in-een-bericht", D(2026, 10, 5), c2, [p2b, p1b], "STAPELING",
             "another client: 2P and 1P overlapping in one message")

    sc = Scenario("PLAFOND-JW323", "an aanbieder's declarations of a year stay within its "
                  "ceiling, and within its ceiling for a profile")
    sc.ceilings = [("2026", 200000), ("2026 profile 2", 150000)]
    c, c2 = sc.client(), sc.client()
    a = sc.assignment("45", "45A04", om=(10, "04", "2"))
    b = sc.assignment("45", "45A12", om=(10, "04", "2"))
    sc.jw301("toewijzing-2P", D(2025, 12, 15), c, [a], note="45A04 = 2P (profile 2)")
    sc.jw301("toewijzing-1P", D(2025, 12, 15), c2, [b], note="45A12 = 1P (profile 1), another client")

    def decl(what, m, cl, ps, verdict=None, note=""):
        nm = month(2026, m)
        return sc.jw323(what, month_end(nm) + datetime.timedelta(days=3), nm, [(cl, ps)],
                        verdict, note)

    decl("januari", 1, c, [whole(sc, a, 2026, 1, 10)], note="750 euros for profile 2")
    decl("februari-profiel-borderline", 2, c, [whole(sc, a, 2026, 2, 10)],
         note="borderline: 750 more, exactly the 1500 euros of profile 2")
    decl("maart-jaar-borderline", 3, c2, [whole(sc, b, 2026, 3, 10, tarief=5000)],
         note="borderline: 500 euros for profile 1, exactly the 2000 euros of the year")
    decl("april-jaar", 4, c2, [whole(sc, b, 2026, 4, 1, eenheid="01", tarief=1)], "PLAFOND",
         "one minute at 1 cent for profile 1: one cent over the year's ceiling")
    decl("april-profiel", 4, c, [whole(sc, a, 2026, 4, 1, eenheid="01", tarief=1)], "PLAFOND",
         "one cent for profile 2: over the ceiling of the year and of profile 2")

    sc = Scenario("TERMIJN-JW323", "a prestatie is declared within 90 days after its "
                  "ProductPeriode")
    sc.ceilings = [("2026", 10000000)]
    c = sc.client()
    a = sc.assignment("45", "45A04")
    sc.jw301("toewijzing", D(2025, 12, 15), c, [a])
    sc.jw323("januari-borderline", D(2026, 5, 1), month(2026, 1), [(c, [whole(sc, a, 2026, 1, 10)])],
             note="borderline: January declared on 2026-05-01, 90 days after its end")
    sc.jw323("februari", D(2026, 5, 30), month(2026, 2), [(c, [whole(sc, a, 2026, 2, 10)])],
             "TERMIJN", "February declared on 2026-05-30, 91 days after its end")


def define():
    casus()
    flow()
    start_stop()
    toewijzing()
    verzoek()
    antwoord()
    declaratie()
    declaratieantwoord()
    policy()


def main():
    define()
    names = set()
    for sc in SCENARIOS:
        assert sc.name not in names, sc.name
        names.add(sc.name)
        sc.write()
    print("%d scenarios, %d messages" % (len(SCENARIOS), sum(len(s.msgs) for s in SCENARIOS)))


if __name__ == "__main__":
    main()
