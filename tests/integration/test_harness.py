#!/usr/bin/env python3
"""test_harness.py: the harness's check of answers against the API descriptions.

Every request of the integration tests goes through Client.request, which
checks the answer against schemas/openapi/; this program shows that the check
is made: answers as the gateway gives them pass, and a wrong body, status,
Content-Type, method or header raises AssertionError naming the method, the
path and the status. No daemon is started.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

JSON = {"content-type": "application/json"}
ACCEPTED = {"id": "17", "type": "JW301", "status": "accepted", "retour": "18"}


def raises(fn, *args):
    """The text of the AssertionError fn(*args) raises, or None."""
    try:
        fn(*args)
    except AssertionError as e:
        return str(e)
    return None


def body(v):
    return json.dumps(v).encode()


def main(ctx):
    ck = ctx.checks
    party = g.Description.of("party.json")
    admin = g.Description.of("admin.json")

    # what the gateway answers passes
    ck.equal(raises(party.check, "POST", "/v1/berichten", 201, JSON, body(ACCEPTED)), None,
             "an accepted message's answer is described")
    ck.equal(raises(party.check, "GET", "/v1/berichten?box=sent&limit=2", 200, JSON,
                    body({"berichten": [], "next_before": "3"})), None,
             "an outbox page is described (the query is not part of the path)")
    ck.equal(raises(party.check, "GET", "/v1/nothing", 404, JSON,
                    body({"error": "not found", "message": "no such resource: /v1/nothing"})),
             None, "a path the gateway does not route is described as its 404")
    ck.equal(raises(party.check, "GET", "/v1/berichten/7/ack", 405, JSON,
                    body({"error": "method not allowed", "message": "x"})), None,
             "GET of an ack is described as 405")
    ck.equal(raises(party.check, "GET", "/healthz", 200, {"content-type": "text/plain"},
                    b"ok\n"), None, "/healthz's text is described")
    ck.equal(raises(party.check, "GET", "/v1/berichten/1", 200,
                    {"content-type": "application/xml", "ijw-advice": "TR418 0611"}, b"<x/>"),
             None, "a message's XML is described")
    ck.equal(raises(party.check, "GET", "/healthz", 429,
                    {"content-type": "application/json", "retry-after": "2"},
                    body({"error": "too many requests", "message": "x"})), None,
             "429 with Retry-After is described")
    ck.equal(raises(admin.check, "GET", "/admin/v2/messages", 404, JSON,
                    body({"error": "not found", "message": "x"})), None,
             "a path the admin listener does not route is described as its 404")
    ck.equal(raises(admin.check, "GET", "/metrics", 200,
                    {"content-type": "text/plain; version=0.0.4"}, b"ijw_up 1\n"), None,
             "the admin's /metrics is Prometheus text")

    # and what it does not answer raises, naming the method, path and status
    e = raises(party.check, "POST", "/v1/berichten", 201, JSON, body(dict(ACCEPTED, bsn="1")))
    ck.check(e and "POST /v1/berichten: 201" in e and "bsn" in e,
             "a body with a property the schema does not have raises", repr(e))
    e = raises(party.check, "POST", "/v1/berichten", 201, JSON, body(dict(ACCEPTED, id=17)))
    ck.check(e and "201" in e and "/id" in e, "an id that is a number, not a string, raises",
             repr(e))
    e = raises(party.check, "POST", "/v1/berichten", 201, JSON,
               body({"id": "17", "type": "JW301"}))
    ck.check(e and "status" in e, "a body without a required property raises", repr(e))
    e = raises(party.check, "POST", "/v1/berichten", 201, JSON,
               body(dict(ACCEPTED, type="JW999")))
    ck.check(e and "JW999" in e, "a message type outside the enum raises", repr(e))
    e = raises(party.check, "GET", "/v1/berichten/1/status", 200, JSON,
               body({"id": "1", "type": "JW301"}))
    ck.check(e and "GET /v1/berichten/{id}/status: 200" in e,
             "a status without its fields raises, naming the template", repr(e))
    e = raises(party.check, "POST", "/v1/berichten", 418, JSON, body({}))
    ck.check(e and "418" in e and "not described" in e, "an undescribed status raises", repr(e))
    e = raises(party.check, "POST", "/v1/berichten", 201, {"content-type": "text/html"},
               b"<p>ok</p>")
    ck.check(e and "Content-Type" in e, "an undescribed Content-Type raises", repr(e))
    e = raises(party.check, "POST", "/v1/berichten", 201, JSON, b"{not json")
    ck.check(e and "not JSON" in e, "a body that is not JSON raises", repr(e))
    e = raises(party.check, "GET", "/healthz", 200, {"content-type": "text/plain"}, b"fine\n")
    ck.check(e and "GET /healthz: 200" in e, "a text body other than the described one raises",
             repr(e))
    e = raises(party.check, "GET", "/nowhere", 200, JSON, body({}))
    ck.check(e and "not routed" in e and "200" in e, "a 200 for an unrouted path raises",
             repr(e))
    e = raises(party.check, "GET", "/healthz", 429,
               {"content-type": "application/json", "retry-after": "soon"},
               body({"error": "too many requests", "message": "x"}))
    ck.check(e and "Retry-After" in e, "a Retry-After that is not seconds raises", repr(e))
    e = raises(admin.check, "DELETE", "/admin/v1/parties", 404, JSON,
               body({"error": "not found", "message": "x"}))
    ck.check(e and "method is not described" in e, "an undescribed method raises", repr(e))
    e = raises(admin.check, "GET", "/admin/v1/parties", 200, JSON,
               body({"parties": [{"code": "0384"}]}))
    ck.check(e and "GET /admin/v1/parties: 200" in e, "an admin body missing fields raises",
             repr(e))
    # a path parameter outside its schema is not the template's: /v1/berichten/0 is unrouted
    e = raises(party.check, "GET", "/v1/berichten/0", 200, {"content-type": "application/xml"},
               b"<x/>")
    ck.check(e and "not routed" in e, "a path parameter outside its schema matches no template",
             repr(e))


if __name__ == "__main__":
    g.run("harness", main)
