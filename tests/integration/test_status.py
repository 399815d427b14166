#!/usr/bin/env python3
"""test_status.py: what became of every message, as its sender and its receiver see it.

Parties: 0384 (a municipality, retour = relay), 42420001 (a provider that
lets the gateway answer, retour = auto), 42420002 (a provider that answers
itself, retour = relay), 42420003 (a provider with delivery = push to a
receiver that is not there) and 0363 (a municipality that is party to none
of the others' messages, advised by the ledger). Each step reads GET /v1/berichten/{id}/status, the
outbox (GET /v1/berichten?box=sent) and GET /v1/berichten/{id}:

- a JW301 to an inbox provider: waiting, then acknowledged after its ack;
- a JW301 to the retour = auto provider: answered by the gateway's JW302 (0200);
- 42420002 sends its own JW302 for a JW301: linked to it, with its codes;
- a JW323 answered by the municipality's own JW325: linked;
- a push that fails: its attempts in the status, then given up;
- a third party: 404 for the status and the message, as for one not there;
- the outbox: newest first, in pages, with filters; bad queries are 400s;
- a rejected message: its retour in the sender's inbox, its codes in its status;
- a message the ledger advised on: the advice in its status, rule by rule;
- a message whose bytes retention removed: 410 for its bytes, when in its status.

    test_status.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

RELAY = "42420002"
PUSHED = "42420003"
OTHER = "0363"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def status_of(c, mid):
    return c.jrequest("GET", "/v1/berichten/%s/status" % mid)


def outbox(c, query=""):
    return c.jrequest("GET", "/v1/berichten?box=sent" + query)


def retour_for(ctx, heen, name):
    """The retour message `ijw-gateway retour` makes for heen (bytes)."""
    path = os.path.join(ctx.tmp, name + ".xml")
    with open(path, "wb") as f:
        f.write(heen)
    return subprocess.run([ctx.binary, "retour", path], check=True, stdout=subprocess.PIPE,
                          timeout=60).stdout


def codes_of(answer):
    """The header's codes of a retour in a status, and each record's level and codes."""
    return answer.get("retourcodes"), [(r["level"], r["retourcodes"])
                                       for r in answer.get("records", [])]


def wait_status(c, mid, cond, timeout):
    """The status of mid once cond holds of it, or the last one read after timeout."""
    end = time.monotonic() + timeout
    while True:
        status, j = status_of(c, mid)
        if (status == 200 and cond(j)) or time.monotonic() > end:
            return status, j
        time.sleep(0.2)


def inbox_waiting(ctx, ck, gem, aan, other):
    jw301 = ctx.generate("JW301", 101)
    status, j = gem.post(jw301)
    ck.check(status == 201, "a. 0384 posts a JW301 to 42420001: 201", "%r %r" % (status, j))
    mid = j["id"]
    status, s = status_of(gem, mid)
    ck.check(status == 200 and s["id"] == mid and s["type"] == "JW301"
             and s["from"] == g.GEMEENTE and s["to"] == g.AANBIEDER
             and s["identificatie"] == g.identificatie(jw301),
             "a. its sender reads its status: the message", "%r %r" % (status, s))
    ck.check(ISO.match(s.get("received", "")) and s.get("stored") == s.get("received"),
             "a. received and stored as ISO 8601 UTC", repr(s))
    ck.equal((s.get("status"), s.get("delivery"), s.get("acknowledged")),
             ("waiting", {"by": "inbox", "state": "waiting"}, None),
             "a. waiting in the receiver's inbox, not acknowledged")
    ck.equal((s.get("generated"), s.get("translated"), s.get("judged")), (False, False, []),
             "a. not made by the gateway, not translated, no advice")
    status, s2 = status_of(aan, mid)
    ck.check(status == 200 and s2["id"] == mid, "a. its receiver reads the same status",
             "%r %r" % (status, s2))
    status, got = gem.get(mid)
    ck.check(status == 200 and got == jw301, "a. its sender GETs the bytes it sent",
             "%r" % status)

    status, e = status_of(other, mid)
    ck.check(status == 404 and e.get("error") == "not found",
             "f. a third party gets 404 for the status", "%r %r" % (status, e))
    status, e = other.get(mid)
    ck.equal(status, 404, "f. a third party gets 404 for the message")
    status, e = status_of(gem, 999999)
    ck.equal(status, 404, "f. a message that is not there: 404 alike")

    status, j = aan.ack(mid)
    ck.equal(status, 200, "a. the receiver acknowledges it")
    status, s = status_of(gem, mid)
    ck.check(status == 200 and s["status"] == "acknowledged"
             and s["delivery"] == {"by": "inbox", "state": "acknowledged"}
             and ISO.match(s.get("acknowledged") or ""),
             "a. then its status is acknowledged, with when", repr(s))
    retours = s.get("answered_by", [])
    ck.check(len(retours) == 1 and retours[0]["type"] == "JW302" and retours[0]["generated"]
             and retours[0]["from"] == g.AANBIEDER and retours[0]["to"] == g.GEMEENTE,
             "b. retour = auto: answered by the gateway's own JW302", repr(retours))
    if retours:
        header, records = codes_of(retours[0])
        ck.check(header == ["0200"] and records and all(c == ["0200"] for _, c in records),
                 "b. with 0200 in its header and at every record", repr(retours[0]))
        status, r = status_of(gem, retours[0]["id"])
        ck.check(status == 200 and r.get("answers", {}).get("id") == mid
                 and r["answers"]["type"] == "JW301",
                 "b. the JW302's own status names the JW301 it answers", repr(r))
        ck.equal(r.get("retourcodes"), ["0200"], "b. ... and its own codes")
    return mid


def relayed_retour(ctx, ck, gem, relay):
    jw301 = ctx.generate("JW301", 102, aanbieder=RELAY)
    status, j = gem.post(jw301)
    ck.check(status == 201 and "retour" not in j,
             "c. a JW301 to the retour = relay provider: 201, no retour of the gateway's",
             "%r %r" % (status, j))
    mid = j["id"]
    status, s = status_of(gem, mid)
    ck.equal(s.get("answered_by"), [], "c. nothing answers it yet")
    jw302 = retour_for(ctx, jw301, "jw302")
    status, r = relay.post(jw302)
    ck.check(status == 201, "c. 42420002 sends its own JW302 for it: 201", "%r %r" % (status, r))
    status, s = status_of(gem, mid)
    answers = s.get("answered_by", [])
    ck.check(len(answers) == 1 and answers[0]["id"] == r["id"] and not answers[0]["generated"]
             and answers[0]["from"] == RELAY,
             "c. the JW301's status: answered by that JW302, not one of the gateway's",
             repr(s))
    if answers:
        header, records = codes_of(answers[0])
        ck.check(header == g.header_retourcodes(jw302) and records,
                 "c. with the codes of the JW302's header and records", repr(answers[0]))
    status, rs = status_of(relay, r["id"])
    ck.check(status == 200 and rs.get("answers", {}).get("id") == mid,
             "c. the JW302's status names the JW301 it answers", repr(rs))
    status, box = outbox(gem, "&to=" + RELAY)
    listed = [m for m in box.get("berichten", []) if m["id"] == mid]
    ck.check(listed and listed[0].get("answered_by") == r["id"],
             "c. the outbox names the retour that answers it", repr(box))

    # ---- d. a declaration and its answer ----
    jw323 = ctx.generate("JW323", 103, aanbieder=RELAY)
    status, j = relay.post(jw323)
    ck.check(status == 201, "d. 42420002 posts a JW323 to 0384: 201", "%r %r" % (status, j))
    jw325 = retour_for(ctx, jw323, "jw325")
    status, r = gem.post(jw325)
    ck.check(status == 201, "d. 0384 answers it with its own JW325: 201", "%r %r" % (status, r))
    status, s = status_of(relay, j["id"])
    answers = s.get("answered_by", [])
    ck.check(len(answers) == 1 and answers[0]["id"] == r["id"] and answers[0]["type"] == "JW325",
             "d. the JW323's status: answered by the JW325", repr(s))
    status, rs = status_of(gem, r["id"])
    ck.check(rs.get("answers", {}).get("id") == j["id"] and rs["answers"]["type"] == "JW323",
             "d. the JW325's status names the JW323", repr(rs))


def given_up(ctx, ck, gem):
    jw301 = ctx.generate("JW301", 104, aanbieder=PUSHED)
    status, j = gem.post(jw301)
    ck.check(status == 201, "e. a JW301 to the push provider: 201", "%r %r" % (status, j))
    mid = j["id"]
    status, s = wait_status(gem, mid, lambda s: s["delivery"]["state"] == "given_up", 60)
    d = s.get("delivery", {})
    ck.check(d.get("by") == "push" and d.get("state") == "given_up"
             and s.get("status") == "given_up",
             "e. with nothing listening the push is given up", repr(s))
    attempts = d.get("attempts", [])
    ck.check(len(attempts) >= 2 and all(a["delivered"] is False and a["http_status"] is None
                                         and a["error"] and ISO.match(a["at"])
                                         for a in attempts),
             "e. its status has every attempt: when, no HTTP status, the error, not delivered",
             repr(attempts))
    ck.check(d.get("delivered") is None and "next_attempt" not in d,
             "e. not delivered, no attempt due", repr(d))
    status, box = outbox(gem, "&status=given_up")
    ck.equal([m["id"] for m in box.get("berichten", [])], [mid],
             "e. the outbox with status=given_up lists it alone")
    return mid


def outbox_pages(ctx, ck, gem, aan, sent):
    status, box = outbox(gem)
    ids = [m["id"] for m in box.get("berichten", [])]
    ck.check(status == 200 and ids == sorted(ids, key=int, reverse=True)
             and all(m in ids for m in sent),
             "g. the outbox lists what 0384 sent, newest first", "%r %r" % (status, box))
    ck.check(all(m["from"] == g.GEMEENTE for m in box["berichten"]),
             "g. ... and only what it sent", repr(box))
    ck.check(all(set(m) >= {"id", "type", "to", "identificatie", "received", "status"}
                 for m in box["berichten"]),
             "g. each with its id, type, receiver, identification, time and status", repr(box))
    pages, before = [], ""
    while True:
        status, page = outbox(gem, "&limit=2" + before)
        if status != 200 or not page["berichten"]:
            break
        pages.append([m["id"] for m in page["berichten"]])
        if "next_before" not in page:
            break
        before = "&before=" + page["next_before"]
    ck.check(all(len(p) <= 2 for p in pages) and sum(pages, []) == ids,
             "g. in pages of two (limit, before) it is the same list", repr(pages))
    status, box = outbox(gem, "&type=JW301&to=" + g.AANBIEDER)
    ck.check(status == 200 and box["berichten"]
             and all(m["type"] == "JW301" and m["to"] == g.AANBIEDER for m in box["berichten"]),
             "g. filtered by type and receiver", repr(box))
    status, box = outbox(gem, "&status=acknowledged")
    ck.check(status == 200 and sent[0] in [m["id"] for m in box["berichten"]]
             and all(m["status"] in ("acknowledged", "delivered") for m in box["berichten"]),
             "g. filtered by status", repr(box))
    status, box = outbox(aan)
    ck.check(status == 200 and box["berichten"]
             and all(m["from"] == g.AANBIEDER and m["generated"] for m in box["berichten"]),
             "g. another party's outbox holds what it sent (the gateway's retours for it)",
             repr(box))
    for query, what in (("?box=outbox", "box is inbox or sent, not \"outbox\""),
                        ("?box=sent&before=x", "before is the id of a message"),
                        ("?box=sent&status=read", "status is unacknowledged"),
                        ("?before=3", "are for box=sent")):
        status, e = gem.jrequest("GET", "/v1/berichten" + query)
        ck.check(status == 400 and what in e.get("message", ""),
                 "g. %s: 400 saying what is wrong" % query, "%r %r" % (status, e))
    status, e = gem.jrequest("GET", "/v1/berichten?box=inbox")
    ck.check(status == 200 and "berichten" in e, "g. box=inbox is the inbox", repr(e))


def rejected(ctx, ck, gem, aan):
    bad = ctx.sample("JW301-CS002-invalid.xml")
    status, j = gem.post(bad)
    ck.check(status == 422 and j.get("retour"), "h. a JW301 that breaks CS002: 422 with its retour",
             "%r %r" % (status, j))
    rid = j.get("retour")
    status, box = gem.inbox(1000)
    ck.check(rid in [m["id"] for m in box["berichten"]],
             "h. its retour is in the sender's inbox", repr(box))
    status, s = status_of(gem, rid)
    ck.check(status == 200 and s["type"] == "JW302" and s["generated"] and "answers" not in s,
             "h. the retour's status: the gateway's JW302, answering nothing stored",
             "%r %r" % (status, s))
    header, records = codes_of(s)
    ck.check(header == ["0001"], "h. its codes in its status: 0001 in the header",
             repr(s))
    ck.check(any(c == ["0001"] for _, c in records)
             and all(c in (["0001"], ["0233"]) for _, c in records),
             "h. ... and each record's: 0001 where the BSN is wrong, 0233 (not judged) at the "
             "others", repr(records))
    # the receiver never got the rejected message: the retour made in its name, which echoes
    # the client's data, is the sender's only
    status, e = status_of(aan, rid)
    ck.check(status == 404, "h. the receiver of the rejected message gets 404 for its retour's "
             "status", "%r %r" % (status, e))
    status, got = aan.get(rid)
    ck.check(status == 404, "h. ... and for its bytes", "%r %r" % (status, got[:200]))
    status, box = outbox(aan)
    ck.check(status == 200 and rid not in [m["id"] for m in box["berichten"]],
             "h. ... and it is not in the receiver's outbox", repr(box))


def advised(ctx, ck, relay):
    jw305 = ctx.generate("JW305", 105, gemeente=OTHER, aanbieder=RELAY)
    status, j = relay.post(jw305)
    advice = j.get("advice", []) if isinstance(j, dict) else []
    ck.check(status == 201 and advice,
             "i. 42420002 posts a JW305 to 0363 that the ledger advises on: 201 with advice",
             "%r %r" % (status, j))
    status, s = status_of(relay, j.get("id"))
    ck.equal(s.get("judged"), [{"rule": a["rule"], "retourcode": a["retourcode"]} for a in advice],
             "i. its status has the advice, finding by finding: the rule and its code")


def purged(ctx, ck, pki, gem, aan, mid):
    g.store_change(pki.store, "UPDATE messages SET purged = 1764500000 WHERE id = %d" % int(mid))
    for who, c in (("its sender", gem), ("its receiver", aan)):
        status, e = c.jrequest("GET", "/v1/berichten/%s" % mid)
        ck.check(status == 410 and e.get("error") == "gone" and "retention" in e.get("message"),
                 "j. once retention removed its bytes, %s gets 410 gone" % who,
                 "%r %r" % (status, e))
    status, s = status_of(gem, mid)
    ck.check(status == 200 and s.get("purged") == "2025-11-30T10:53:20Z",
             "j. its status says when retention removed them", repr(s))


def body(ctx):
    ck = ctx.checks
    parties = g.PARTIES + ("aanbieder:" + RELAY, "aanbieder:" + PUSHED, "gemeente:" + OTHER)
    pki = ctx.pki(parties=parties)
    dead = g.reserve_port()
    (pki.ini()
     .set("gateway", "retry_initial", 1).set("gateway", "retry_max", 1)
     .set("gateway", "give_up_after", 2).set("gateway", "min_attempts", 2)
     .set("party " + RELAY, "retour", "relay")
     .set("party " + PUSHED, "retour", "relay")
     .set("party " + PUSHED, "delivery", "push")
     .set("party " + PUSHED, "push_url", "https://127.0.0.1:%d/inbox" % dead.getsockname()[1])
     # the messages are generated one by one and form no conversation of the ledger's;
     # 0363 hears what the ledger finds
     .cross_checks_off(g.GEMEENTE, g.AANBIEDER, RELAY, PUSHED)
     .set("party " + OTHER, "cross_checks", "advise")
     .save())
    d = ctx.daemon(pki).start()
    gem, aan = d.client(g.GEMEENTE), d.client(g.AANBIEDER)
    relay, other = d.client(RELAY), d.client(OTHER)

    first = inbox_waiting(ctx, ck, gem, aan, other)
    relayed_retour(ctx, ck, gem, relay)
    pushed = given_up(ctx, ck, gem)
    outbox_pages(ctx, ck, gem, aan, [first, pushed])
    rejected(ctx, ck, gem, aan)
    advised(ctx, ck, relay)
    purged(ctx, ck, pki, gem, aan, first)
    for c in (gem, aan, relay, other):
        c.close()
    dead.close()
    d.stop(ck)


if __name__ == "__main__":
    g.run("status", body)
