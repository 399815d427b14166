#!/usr/bin/env python3
"""test_rest.py: message bodies encrypted in the store of the real daemon.

A gateway made by `pki init` encrypts from the start: after every sample is
posted, no BSN of them is in the store's file or its write-ahead log, while
GET gives each stored message byte for byte (on PostgreSQL: in the files of
its database and the server's write-ahead log, and in the rows it holds). Without store_key the daemon
warns, and the same scan finds the BSNs (the scan itself works). A new key
put first and a SIGHUP: new bodies go under it; `store rekey` while the
daemon runs moves the rest; the old line dropped, everything still reads.
A key the daemon has not read yet (rekeyed without a SIGHUP) is read when
it meets a body under it. `audit verify` finds the live log intact.

    test_rest.py BINARY SOURCE_DIR SHARED_DIR
"""
import hashlib
import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def key_id(hexkey):
    return hashlib.sha256(bytes.fromhex(hexkey)).hexdigest()[:16]


def new_key():
    return os.urandom(32).hex()


def store_files(store):
    """The files a store keeps its bytes in: a SQLite file and its -wal; on
    PostgreSQL the files of its database and the server's write-ahead log."""
    if not g.is_pg(store):
        return [store, store + "-wal"]
    data = os.environ.get("IJW_TEST_PG_DATA", "")
    oid = g.store_query(store, "SELECT oid FROM pg_database WHERE datname = current_database()")
    out = []
    for d in (os.path.join(data, "base", str(oid[0][0])), os.path.join(data, "pg_wal")):
        if os.path.isdir(d):
            out += [os.path.join(d, n) for n in os.listdir(d)]
    return out


def found_in_rows(store, numbers):
    """On PostgreSQL, which compresses large values on disk: the numbers found
    in the bytes its tables hold."""
    rows = g.store_query(store, "SELECT encode(body, 'hex'), encode(coalesce(translated,"
                         " ''::bytea), 'hex'), coalesce(advice, '') FROM messages"
                         " UNION ALL SELECT '', '', v FROM ledger"
                         " UNION ALL SELECT '', '', coalesce(detail, '') FROM audit")
    data = b"".join(bytes.fromhex(r[0]) + bytes.fromhex(r[1]) + r[2].encode() for r in rows)
    return {n for n in numbers if n.encode() in data}


def found_in_store(store, numbers):
    """The numbers found in the bytes of the store's files (and, on
    PostgreSQL, of its rows)."""
    found = found_in_rows(store, numbers) if g.is_pg(store) else set()
    for path in store_files(store):
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        # what `strings` shows, and the raw bytes beside: a BSN is found either way
        runs = b"\n".join(re.findall(rb"[\x20-\x7e]{4,}", data))
        found |= {n for n in numbers if n.encode() in runs or n.encode() in data}
    return found


def stored_keys(store, sql, *args):
    return dict(g.store_query(store, sql, args))


def keys_in_use(store):
    """{key id: how many bodies are under it}, "" for plain ones."""
    return stored_keys(store, "SELECT coalesce(body_key, ''), count(*) FROM messages GROUP BY 1")


def cli(ctx, *args):
    r = subprocess.run([ctx.binary] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def post_all(ctx, gem, aan, names):
    """Posts each sample from its Afzender; [(receiver's client, id, body)] of those stored."""
    stored, numbers = [], set()
    for name in names:
        b = ctx.sample(name)
        numbers |= g.bsns(b)
        m = re.search(rb"<(?:\w+:)?Afzender>\s*(\d+)\s*<", b)
        sender, receiver = (aan, gem) if m and m.group(1) == g.AANBIEDER.encode() else (gem, aan)
        status, j = sender.post(b)
        if status in (200, 201) and isinstance(j, dict) and j.get("id"):
            stored.append((receiver, j["id"], b))
    return stored, numbers


def all_read(stored):
    """The ids of the stored messages that GET does not give back byte for byte."""
    bad = []
    for c, mid, b in stored:
        status, got = c.get(mid)
        if status != 200 or got != b:
            bad.append((mid, status, len(got)))
    return bad


def reload(ck, d, what):
    since = d.log_size()
    d.signal(signal.SIGHUP)
    ck.check(d.wait_log(r" info reloaded ", timeout=20, since=since), what,
             d.log()[since:][-2000:])


def body(ctx):
    ck = ctx.checks
    names = sorted(n for n in os.listdir(os.path.join(ctx.src, "samples"))
                   if n.endswith(".xml"))

    # ---- 1. without store_key: a warning, and the BSNs are in the file ----
    plain = ctx.pki("pki-plain")
    plain.ini().cross_checks_off().save()
    ini = plain.ini()
    ini.section("gateway").pop("store_key", None)
    ini.save()
    d = ctx.daemon(plain, "plain").start()
    ck.check(re.search(r" warn no_store_key what=\"no store_key: message bodies are stored "
                       r"in plain text\"", d.log()),
             "1. without store_key the daemon warns at start that bodies are plain", d.log())
    gem, aan = d.client(g.GEMEENTE), d.client(g.AANBIEDER)
    stored, numbers = post_all(ctx, gem, aan, ["JW301-valid-1.xml"])
    ck.check(stored and found_in_store(plain.store, numbers),
             "1. without store_key a posted BSN is in the store's bytes (the scan finds one)")
    gem.close()
    aan.close()
    d.stop(ck)

    # ---- 2. pki init encrypts: every sample posted, no BSN at rest, GET byte for byte ----
    pki = ctx.pki()
    ck.equal(pki.ini().section("gateway").get("store_key"), "store.key",
             "2. pki init writes store_key = store.key")
    pki.ini().cross_checks_off().save()
    with open(pki.path("store.key")) as f:
        k1 = f.read().strip()
    d = ctx.daemon(pki).start()
    ck.check("no_store_key" not in d.log(), "2. with store_key the daemon does not warn",
             d.log())
    gem, aan = d.client(g.GEMEENTE), d.client(g.AANBIEDER)
    stored, numbers = post_all(ctx, gem, aan, names)
    ck.check(len(stored) > 20 and len(numbers) > 20,
             "2. the samples are posted: %d stored, %d BSNs in them"
             % (len(stored), len(numbers)))
    leaked = found_in_store(pki.store, numbers)
    ck.check(not leaked, "2. no BSN of the posted samples is in the store's file or its -wal",
             "found %r" % sorted(leaked)[:5])
    ck.check(any(re.search(r"(-wal|pg_wal/\w+)$", p) and os.path.exists(p)
                 for p in store_files(pki.store)), "2. the write-ahead log was scanned too")
    ck.equal(all_read(stored), [], "2. GET gives every stored message byte for byte")
    ck.equal(set(keys_in_use(pki.store)), {key_id(k1)},
             "2. every stored body is under the key of store.key")

    # ---- 3. rotation: a new key first, SIGHUP, store rekey while serving, old line out ----
    k2 = new_key()
    with open(pki.path("store.key"), "w") as f:
        f.write("%s\n%s\n" % (k2, k1))
    reload(ck, d, "3. SIGHUP reloads with a new key first")
    before = keys_in_use(pki.store)
    jw301 = ctx.generate("JW301", 901)
    status, j = gem.post(jw301)
    ck.check(status == 201, "3. a message posted after the reload is stored", repr(j))
    if status == 201:
        stored.append((aan, j["id"], jw301))
        ck.equal(stored_keys(pki.store, "SELECT id, body_key FROM messages WHERE id = ?",
                             j["id"]),
                 {int(j["id"]): key_id(k2)}, "3. it is stored under the new key")
    counts = keys_in_use(pki.store)
    ck.equal(counts.get(key_id(k1)), before.get(key_id(k1)),
             "3. the bodies before it stay under the old key until rekey")
    rc, out, err = cli(ctx, "store", "rekey", "-c", pki.ini_path, "--batch", "7")
    ck.check(rc == 0 and re.search(r"^re-encrypted %d message bodies under key %s$"
                                   % (counts.get(key_id(k1), 0), key_id(k2)), out, re.M),
             "3. store rekey, the daemon running, re-encrypts the %d bodies under the old key"
             % counts.get(key_id(k1), 0), out + err)
    ck.equal(set(keys_in_use(pki.store)), {key_id(k2)}, "3. then every body is under the new key")
    with open(pki.path("store.key"), "w") as f:
        f.write("%s\n" % k2)
    reload(ck, d, "3. SIGHUP with the old line dropped")
    ck.equal(all_read(stored), [], "3. every message still reads byte for byte")

    # ---- 4. a key the daemon has not read yet: read when a body needs it ----
    k3 = new_key()
    with open(pki.path("store.key"), "w") as f:
        f.write("%s\n%s\n" % (k3, k2))
    rc, out, err = cli(ctx, "store", "rekey", "-c", pki.ini_path)
    ck.check(rc == 0 and "under key %s" % key_id(k3) in out,
             "4. store rekey to a third key, without a SIGHUP", out + err)
    ck.equal(all_read(stored), [], "4. the daemon reads the key file again and reads every body")
    ck.check(not found_in_store(pki.store, numbers), "4. and no BSN came to rest in the clear")

    # ---- 5. the audit log of the live store chains ----
    rc, out, err = cli(ctx, "audit", "verify", "-c", pki.ini_path)
    ck.check(rc == 0 and re.search(r"^\d+ entries, chain intact$", out, re.M),
             "5. audit verify, the daemon running: the chain is intact", out + err)
    gem.close()
    aan.close()
    d.stop(ck)
    ck.check(not found_in_store(pki.store, numbers),
             "5. after the daemon stopped, no BSN is in the store's bytes")


if __name__ == "__main__":
    g.run("rest", body)
