#!/usr/bin/env python3
"""test_openapi.py: the descriptions of the two APIs, served, valid, and complete.

- GET /v1/openapi.json (a party) and GET /admin/v1/openapi.json (an operator)
  answer the files of schemas/openapi/ byte for byte, as application/json;
  the admin's needs the operator's token like the rest of /admin/v1;
- each is an OpenAPI 3.1 document: openapi "3.1.x", info, paths, every
  operation with responses of valid status codes, every path parameter
  declared, every $ref resolving within the document, the security schemes
  the operations name defined (mutual TLS for the party API; a bearer token
  and mutual TLS for the admin listener), the push as a webhook;
- every path the gateway routes (read from gateway/gw_route.c and
  gateway/gw_admin.c, and the console's files) is described, and no path is
  described that the gateway does not route.

    test_openapi.py BINARY SOURCE_DIR SHARED_DIR
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")


def refs(v, at="#"):
    """(where, $ref) of every reference in v."""
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "$ref" and isinstance(x, str):
                yield at, x
            else:
                yield from refs(x, at + "/" + k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from refs(x, "%s/%d" % (at, i))


def pointer(doc, ref):
    """What ref (#/a/b) points at in doc, or None."""
    if not ref.startswith("#/"):
        return None
    v = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(v, dict) or part not in v:
            return None
        v = v[part]
    return v


def resolve(doc, v):
    """v, or what its $ref points at ({} for nothing: problems() names the $ref)."""
    while isinstance(v, dict) and "$ref" in v:
        v = pointer(doc, v["$ref"]) or {}
    return v


def problems(doc):
    """What is wrong with doc as an OpenAPI 3.1 document, as a list of lines."""
    out = []
    if not re.match(r"^3\.1\.\d+$", str(doc.get("openapi"))):
        out.append("openapi is %r, not 3.1.x" % doc.get("openapi"))
    info = doc.get("info")
    if not isinstance(info, dict) or not info.get("title") or not info.get("version"):
        out.append("info has no title or version")
    if not isinstance(doc.get("paths"), dict) or not doc["paths"]:
        out.append("no paths")
    for where, ref in refs(doc):
        if pointer(doc, ref) is None:
            out.append("%s: $ref %s resolves to nothing" % (where, ref))
    schemes = doc.get("components", {}).get("securitySchemes", {})
    items = [("paths" + p, item) for p, item in doc.get("paths", {}).items()]
    items += [("webhooks/" + w, item) for w, item in doc.get("webhooks", {}).items()]
    for requirement in doc.get("security", []):
        out += ["security: %s is no security scheme" % n for n in requirement if n not in schemes]
    for where, item in items:
        declared = {resolve(doc, p).get("name") for p in item.get("parameters", [])
                    if resolve(doc, p).get("in") == "path"}
        ops = [(m, item[m]) for m in METHODS if m in item]
        if not ops:
            out.append("%s: no operation" % where)
        for m, op in ops:
            named = declared | {resolve(doc, p).get("name") for p in op.get("parameters", [])
                                if resolve(doc, p).get("in") == "path"}
            for name in re.findall(r"\{(\w+)\}", where):
                if name not in named:
                    out.append("%s %s: path parameter %s is not declared" % (m, where, name))
            responses = op.get("responses")
            if not isinstance(responses, dict) or not responses:
                out.append("%s %s: no responses" % (m, where))
                continue
            for code, r in responses.items():
                if not STATUS.match(code):
                    out.append("%s %s: %r is not a status code" % (m, where, code))
                if not resolve(doc, r).get("description"):
                    out.append("%s %s: %s has no description" % (m, where, code))
            for requirement in op.get("security", []):
                out += ["%s %s: %s is no security scheme" % (m, where, n)
                        for n in requirement if n not in schemes]
    return out


def read(ctx, path):
    with open(os.path.join(ctx.src, path), encoding="utf-8") as f:
        return f.read()


def party_routes(ctx):
    """The paths gw_route.c routes, with {id} for a message's id."""
    src = read(ctx, "gateway/gw_route.c")
    messages = re.search(r'#define MESSAGES "([^"]+)"', src).group(1)
    routes = set(re.findall(r'strcmp\(path, "([^"]+)"\)', src))
    if "strcmp(path, MESSAGES)" in src:
        routes.add(messages)
    if "if (!*rest)" in src:
        routes.add(messages + "/{id}")
    routes |= {messages + "/{id}" + r for r in re.findall(r'strcmp\(rest, "([^"]+)"\)', src)}
    return routes


def admin_routes(ctx):
    """The paths gw_admin.c routes, and the console's files it serves."""
    src = read(ctx, "gateway/gw_admin.c")
    routes = set(re.findall(r'strcmp\(path, "([^"]+)"\)', src))
    routes |= {p + "{id}" + s for p, s in
               re.findall(r'path_id\(path, "([^"]+)", "([^"]*)"\)', src)}
    build = read(ctx, "gateway/meson.build")
    files = re.search(r"custom_target\('gw_console_data',\s*input : files\(([^)]*)\)", build)
    routes |= {"/console/" + os.path.basename(f)
               for f in re.findall(r"'([^']+)'", files.group(1))}
    return routes


def main(ctx):
    ck = ctx.checks
    pki = ctx.pki()
    d = ctx.daemon(pki).start()
    gem = d.client(g.GEMEENTE)
    admin = d.admin()
    served = {}

    for name, client, path in (("party.json", gem, "/v1/openapi.json"),
                               ("admin.json", admin, "/admin/v1/openapi.json")):
        with open(os.path.join(ctx.src, "schemas", "openapi", name), "rb") as f:
            want = f.read()
        status, body = client.request("GET", path)
        ck.equal(status, 200, "GET %s answers 200" % path)
        ck.equal(client.headers.get("content-type"), "application/json",
                 "GET %s is application/json" % path)
        ck.check(body == want, "GET %s is schemas/openapi/%s byte for byte" % (path, name),
                 "%d bytes, the file %d" % (len(body), len(want)))
        served[name] = json.loads(body)
        bad = problems(served[name])
        ck.check(not bad, "%s is a valid OpenAPI 3.1 document" % name, "\n".join(bad[:20]))

    status, j = d.admin(token=None).jrequest("GET", "/admin/v1/openapi.json")
    ck.equal((status, j.get("error") if isinstance(j, dict) else j), (401, "unauthorized"),
             "the admin's description needs the operator, like the rest of /admin/v1")
    status, j = gem.jrequest("POST", "/v1/openapi.json", b"")
    ck.equal(status, 405, "the party's description takes GET only")

    # the security schemes
    party, adm = served["party.json"], served["admin.json"]
    schemes = party["components"]["securitySchemes"]
    ck.equal([schemes[n]["type"] for r in party["security"] for n in r], ["mutualTLS"],
             "the party API needs mutual TLS")
    schemes = adm["components"]["securitySchemes"]
    ck.equal(sorted((schemes[n]["type"], schemes[n].get("scheme")) for r in adm["security"]
                    for n in r), [("http", "bearer"), ("mutualTLS", None)],
             "the admin listener takes a bearer token or mutual TLS")
    push = party.get("webhooks", {}).get("push", {}).get("post", {})
    ck.equal(sorted(p["name"] for p in push.get("parameters", [])),
             ["Ijw-Advice", "Ijw-Message-Id"],
             "the push is a webhook with its Ijw-Message-Id and Ijw-Advice headers")

    # every routed path described, and nothing else
    for name, doc, routes in (("party.json", party, party_routes(ctx)),
                              ("admin.json", adm, admin_routes(ctx))):
        described = set(doc["paths"])
        ck.check(len(routes) > 5, "%d routes read from the code for %s" % (len(routes), name))
        ck.equal(sorted(routes - described), [], "every path the gateway routes is in " + name)
        ck.equal(sorted(described - routes), [], "every path in %s is routed" % name)
    ck.check("/v1/openapi.json" in party_routes(ctx) and
             "/admin/v1/openapi.json" in admin_routes(ctx),
             "the descriptions' own paths are among the routes")

    d.stop(ck)


if __name__ == "__main__":
    g.run("openapi", main)
