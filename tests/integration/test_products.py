#!/usr/bin/env python3
"""test_products.py: product codes translated in the relay, and the region's checks.

The gateway runs with the built-in product table; municipality 0384 reads
national codes (product_codes = legacy), provider 42420001 the region's
profile x intensity products (product_codes = profile) and answers its own
messages (retour = relay). A JW301 in national codes reaches the provider in
the region's products, valid against the official XSDs, while the store keeps
the bytes as sent; the provider's JW302 reaches the municipality in the
municipality's own codes; the provider's JW305 in the region's products
reaches the municipality in national codes; a national code without a
combination is refused (TR381, S329) with a valid retour. A declaration
(JW323) one cent over the contractual tariff is accepted with advice when the
region advises, and refused (TR418, 0611) with its JW325 when it enforces;
the contractual tariff exactly passes both.

    test_products.py BINARY SOURCE_DIR SHARED_DIR
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

TABLE = os.path.join("conf", "products", "amsterdam-zaanstreek.ini")


def products(body):
    """(category, code) of every product of a message, in order."""
    pairs = re.findall(rb"<(?:\w+:)?Categorie>([^<]*)</(?:\w+:)?Categorie>\s*"
                       rb"<(?:\w+:)?Code>([^<]*)</(?:\w+:)?Code>", body)
    pairs += re.findall(rb"<(?:\w+:)?ProductCategorie>([^<]*)</(?:\w+:)?ProductCategorie>\s*"
                        rb"<(?:\w+:)?ProductCode>([^<]*)</(?:\w+:)?ProductCode>", body)
    return [(a.decode(), b.decode()) for a, b in pairs]


def with_products(body, cat, code):
    """body with every product set to (cat, code)."""
    body = re.sub(rb"(<(\w+:)?Categorie>)[^<]*(</(\w+:)?Categorie>\s*<(\w+:)?Code>)[^<]*(<)",
                  lambda m: m.group(1) + cat.encode() + m.group(3) + code.encode()
                  + m.group(6), body)
    return re.sub(rb"(<(\w+:)?ProductCategorie>)[^<]*(</(\w+:)?ProductCategorie>\s*"
                  rb"<(\w+:)?ProductCode>)[^<]*(<)",
                  lambda m: m.group(1) + cat.encode() + m.group(3) + code.encode()
                  + m.group(6), body)


def one_product(ctx, seed):
    """The JW301 of the first seed from seed on that assigns one product: several set to
    one code would overlap (TR302)."""
    while len(re.findall(rb"<(?:\w+:)?Categorie>", ctx.generate("JW301", seed))) != 1:
        seed += 1
    return ctx.generate("JW301", seed)


def table_value(src, section, key):
    """A setting of a section of the built-in product table."""
    cur = None
    with open(os.path.join(src, TABLE)) as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                cur = line.strip("[]")
            elif cur == section and line.startswith(key + " ="):
                return line.split("=", 1)[1].strip()
    raise KeyError("%s %s" % (section, key))


def declaration(ctx, seed, cat, code, eenheid, tarief, volume, bedrag):
    """A JW323 from the provider of one client and one prestatie with these values."""
    body = ctx.generate("JW323", seed, clients=1)
    first = re.search(rb"<(\w+:)?Prestatie>.*?</(\w+:)?Prestatie>", body, re.S)
    p = first.group(0)
    for name, value in (("ProductCategorie", cat), ("ProductCode", code),
                        ("Eenheid", eenheid), ("ProductTarief", str(tarief)),
                        ("GeleverdVolume", str(volume)), ("Bedrag", str(bedrag))):
        p, n = re.subn(rb"(<(\w+:)?%s>)[^<]*(<)" % name.encode(),
                       lambda m: m.group(1) + value.encode() + m.group(3), p, count=1)
        assert n == 1, name
    # the one prestatie alone, and the declaration's total its amount
    body = re.sub(rb"<(\w+:)?Prestaties>.*</(\w+:)?Prestaties>",
                  lambda m: b"<%sPrestaties>" % (m.group(1) or b"") + p
                  + b"</%sPrestaties>" % (m.group(1) or b""), body, count=1, flags=re.S)
    return re.sub(rb"(<(\w+:)?TotaalIngediendBedrag>\s*<(\w+:)?TotaalBedrag>)[^<]*(<)",
                  lambda m: m.group(1) + str(bedrag).encode() + m.group(4), body, count=1)


def valid(ctx, body, what):
    """The message validates against the official XSDs (or ours when they are absent)."""
    path = os.path.join(ctx.tmp, "check.xml")
    with open(path, "wb") as f:
        f.write(body)
    cmd = [ctx.binary, "validate", "--xsd-only", path]
    if ctx.xsd_dir:
        cmd[2:2] = ["--schemas", ctx.xsd_dir]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    ctx.checks.check(r.returncode == 0, what + " validates against the %s XSDs"
                     % ("official" if ctx.xsd_dir else "project's"),
                     r.stdout.decode(errors="replace")[:600])


def newest(client, before):
    status, j = client.inbox(1000)
    assert status == 200, (status, j)
    return [m for m in j["berichten"] if m["id"] not in before]


def ids(client):
    status, j = client.inbox(1000)
    assert status == 200, (status, j)
    return {m["id"] for m in j["berichten"]}


def body(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    (pki.ini()
     .set("gateway", "products", "built-in")
     .set("party " + g.GEMEENTE, "product_codes", "legacy")
     .set("party " + g.AANBIEDER, "product_codes", "profile")
     .set("party " + g.AANBIEDER, "retour", "relay")
     # the messages are generated one by one and form no conversation
     .cross_checks_off()
     .save())
    d = ctx.daemon(pki).start()
    gem = d.client(g.GEMEENTE)
    aan = d.client(g.AANBIEDER)
    if not ctx.xsd_dir:
        ck.info("../shared is absent: messages are checked against the project's XSDs")

    # ---- national codes to the provider, in the region's products ----
    regional = (table_value(ctx.src, "combination 2P", "category"),
                table_value(ctx.src, "combination 2P", "code"))
    national = tuple(table_value(ctx.src, "combination 2P", "legacy").split())
    jw301 = with_products(one_product(ctx, 11), "45", "45A07")
    n = len(products(jw301))
    assert n >= 1
    before = ids(aan)
    status, j = gem.post(jw301)
    ck.check(status == 201, "a JW301 in national codes (45 45A07) to a profile party: 201",
             "%r %r" % (status, j))
    new = newest(aan, before)
    ck.check(len(new) == 1 and new[0].get("translated") is True,
             "the provider's inbox lists it, marked translated", repr(new))
    status, copy = aan.get(j["id"])
    ck.equal(products(copy), [regional] * n,
             "the provider's copy carries the region's product %s %s" % regional)
    valid(ctx, copy, "the provider's copy")
    # both are kept, each encrypted (a nonce and a tag more than its bytes); that the
    # municipality's bytes read back as sent is test_store.c's
    stored = g.store_query(pki.store, "SELECT length(body), length(translated), body_key"
                           " FROM messages WHERE id = ?", (int(j["id"]),))
    ck.check(stored and stored[0] == (len(jw301) + 28, len(copy) + 28, stored[0][2])
             and stored[0][2],
             "the store keeps the bytes the municipality sent, for audit, and the copy, "
             "both encrypted", repr(stored))

    # ---- the provider answers in its own codes; the municipality sees its own ----
    path = os.path.join(ctx.tmp, "copy.xml")
    with open(path, "wb") as f:
        f.write(copy)
    jw302 = subprocess.run([ctx.binary, "retour", path, "--id", "RETOURP1"], check=True,
                           stdout=subprocess.PIPE, timeout=60).stdout
    ck.equal(set(products(jw302)), {regional}, "the provider's JW302 echoes the region's codes")
    before = ids(gem)
    status, j = aan.post(jw302)
    ck.check(status == 201, "the provider's JW302: 201", "%r %r" % (status, j))
    status, back = gem.get(j["id"])
    ck.equal(products(back), [("45", "45A07")] * n,
             "the municipality gets the JW302 in its own codes (45 45A07)")
    valid(ctx, back, "the JW302 translated back")
    ck.check(newest(gem, before)[0].get("translated") is True,
             "... listed as translated in its inbox")

    # ---- the provider's own message in the region's products, to a legacy party ----
    jw305 = with_products(ctx.generate("JW305", 12), *regional)
    status, j = aan.post(jw305)
    ck.check(status == 201, "a JW305 in the region's products to a legacy party: 201",
             "%r %r" % (status, j))
    status, got = gem.get(j["id"])
    ck.equal(set(products(got)), {national},
             "the municipality gets it in the national code of combination 2P (%s %s)"
             % national)
    valid(ctx, got, "the municipality's JW305")

    # ---- a national code the region does not buy: TR381, S329 ----
    before = ids(gem)
    bad = with_products(one_product(ctx, 13), "43", "43A57")
    reason = table_value(ctx.src, "legacy", "43 43A57").split(":", 1)[1].strip()
    status, j = gem.post(bad)
    rules = [(f["rule"], f["retourcode"]) for f in j.get("findings", [])]
    ck.check(status == 422 and rules and set(rules) == {("TR381", "S329")},
             "a JW301 with 43 43A57 (unmapped) to a profile party: 422, TR381 S329",
             "%r %r" % (status, j))
    ck.check(any(reason in f["text"] for f in j.get("findings", [])),
             "... and the finding gives the table's reason: " + reason, json.dumps(j)[:500])
    new = newest(gem, before)
    if new:
        status, retour = gem.get(new[0]["id"])
        ck.check(b"S329" in retour, "its retour carries S329")
        valid(ctx, retour, "the retour with S329")
    else:
        ck.check(False, "the refused JW301 has its retour in the municipality's inbox")

    # ---- the region's checks on a declaration: advise ----
    tariff = int(table_value(ctx.src, "combination 1P", "tariff"))
    code1p = (table_value(ctx.src, "combination 1P", "category"),
              table_value(ctx.src, "combination 1P", "code"))
    exact = declaration(ctx, 21, *code1p, "82", tariff, 1, tariff)
    over = declaration(ctx, 22, *code1p, "82", tariff + 1, 1, tariff + 1)
    status, j = aan.post(exact)
    ck.check(status == 201 and "advice" not in j,
             "a JW323 at the contractual tariff of 1P exactly: 201, no advice",
             "%r %r" % (status, j))
    status, j = aan.post(over)
    advice = [(f["rule"], f["retourcode"]) for f in j.get("advice", [])]
    ck.check(status == 201 and advice == [("TR418", "0611")],
             "one cent over, the region advising: 201 with advice TR418 0611",
             "%r %r" % (status, j))
    if status == 201:
        audit = g.store_query(pki.store, "SELECT detail FROM audit WHERE action = 'advice'"
                                         " AND message = ?", (int(j["id"]),))
        ck.equal(audit, [("TR418 0611",)], "the advice is in the audit log")
    status, metrics = d.admin().request("GET", "/metrics")
    ck.check(b'ijw_advice_total{rule="TR418"} 1' in metrics, "/metrics counts the advice")
    ck.check(re.search(rb'ijw_translations_total\{to="profile"\} [1-9]', metrics) is not None
             and re.search(rb'ijw_translations_total\{to="sender"\} [1-9]', metrics) is not None,
             "/metrics counts the translations")
    gem.close()
    aan.close()
    d.stop(ck)

    # ---- the same region enforcing ----
    strict = os.path.join(pki.dir, "strict.ini")
    with open(os.path.join(ctx.src, TABLE)) as f:
        text = f.read()
    text, n = re.subn(r"(?m)^check_tariff = \w+$", "check_tariff = enforce", text)
    assert n == 1
    with open(strict, "w") as f:
        f.write(text)
    pki.ini().set("gateway", "products", "strict.ini").save()
    d = ctx.daemon(pki, "enforcing").start()
    aan = d.client(g.AANBIEDER)
    status, j = aan.post(declaration(ctx, 23, *code1p, "82", tariff, 1, tariff))
    ck.check(status == 201, "enforcing: the contractual tariff exactly: 201",
             "%r %r" % (status, j))
    before = ids(aan)
    status, j = aan.post(declaration(ctx, 24, *code1p, "82", tariff + 1, 1, tariff + 1))
    rules = [(f["rule"], f["retourcode"]) for f in j.get("findings", [])]
    ck.check(status == 422 and rules == [("TR418", "0611")],
             "enforcing: one cent over: 422, TR418 0611", "%r %r" % (status, j))
    new = newest(aan, before)
    ck.check(len(new) == 1 and new[0]["type"] == "JW325",
             "... and the JW325 that refuses it is in the provider's inbox", repr(new))
    if new:
        status, jw325 = aan.get(new[0]["id"])
        ck.check(b"0611" in jw325, "the JW325 carries 0611")
        valid(ctx, jw325, "the JW325 with 0611")
    aan.close()
    d.stop(ck)


if __name__ == "__main__":
    g.run("products", body)
