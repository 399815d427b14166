#!/usr/bin/env python3
"""fake_gateway.py: a stand-in for the gateway's HTTP API, for testing `replay`.

Serves POST /v1/berichten over HTTPS on 127.0.0.1 and demands a client
certificate signed by --cacert. Each message is judged by `BINARY validate
--json --today 2026-11-23` and answered as the gateway's contract says:

    201 {"id", "type"}           accepted, first time
    200 {"id", "type"}           accepted, the same bytes again
    409 {"error": "conflict"}    the identification of a stored message, other bytes (TR056, 9056)
    422 {"error": "rejected"}    rejected, with the findings of validate
    413 {"error": "too large"}   over --max-bytes
    403 {"error": "forbidden"}   the client certificate is not the message's sender

The sender of a message is its header's Afzender, or its Ontvanger for a
retour message other than JW325; the client is the certificate's CN, or its
serialNumber when that is a party code. Writes the port to --port-file once it
listens, and a line per connection and per answer to --log.

Standard library only.
"""
import argparse
import hashlib
import http.server
import json
import os
import re
import ssl
import subprocess
import threading

TODAY = "2026-11-23"
RETOUR = {"JW302", "JW306", "JW308", "JW316", "JW318", "JW320"}


def header_field(body, name):
    m = re.search(rb"<(?:[\w.-]+:)?" + name + rb">\s*([^<\s]*)\s*<", body)
    return m.group(1).decode("ascii", "replace") if m else ""


def party_of(cert):
    names = dict(item[0] for item in cert.get("subject", ()))
    serial = names.get("serialNumber", "")
    if re.fullmatch(r"\d{4}|\d{8}", serial):
        return serial
    return names.get("commonName", "")


class Gateway(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, args):
        super().__init__(("127.0.0.1", 0), Handler)
        self.args = args
        self.lock = threading.Lock()
        self.stored = {}  # (type, afzender, identificatie) -> (sha256, id)
        self.next_id = 1
        self.logfile = open(args.log, "a", encoding="utf-8") if args.log else None

    def log(self, line):
        if self.logfile:
            with self.lock:
                self.logfile.write(line + "\n")
                self.logfile.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body in one write, or Nagle holds the body back for the client's delayed ACK
    wbufsize = 1 << 16

    def setup(self):
        super().setup()
        self.party = party_of(self.connection.getpeercert() or {})
        self.server.log("connection " + self.party)

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.server.log("answer %d %s" % (status, self.party))

    def do_GET(self):
        self.answer(405, {"error": "method not allowed"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "-1"))
        if length < 0:
            self.close_connection = True
            self.answer(411, {"error": "length required"})
            return
        if length > self.server.args.max_bytes:
            while length > 0:
                chunk = self.rfile.read(min(length, 1 << 16))
                if not chunk:
                    return
                length -= len(chunk)
            self.answer(413, {
                "error": "too large", "retourcode": "0001",
                "findings": [{"retourcode": "0001", "rule": "XML", "xpath": "/", "line": 0,
                              "text": "the message is larger than %d bytes"
                                      % self.server.args.max_bytes}]})
            return
        body = self.rfile.read(length)
        if self.path != "/v1/berichten":
            self.answer(404, {"error": "not found"})
        elif self.headers.get("Content-Type") != "application/xml":
            self.answer(415, {"error": "unsupported media type"})
        else:
            self.answer(*self.judge(body))

    def judge(self, body):
        run = subprocess.run(
            [self.server.args.bin, "validate", "--json", "--today", TODAY, "-"],
            input=body, capture_output=True, check=False)
        if run.returncode not in (0, 1):
            return 500, {"error": "internal",
                         "message": run.stderr.decode("utf-8", "replace")}
        verdict = json.loads(run.stdout.decode("utf-8").splitlines()[0])
        mtype = verdict["type"]
        if mtype:
            afzender = header_field(body, rb"Afzender")
            sender = header_field(body, rb"Ontvanger") if mtype in RETOUR else afzender
            if sender != self.party:
                return 403, {"error": "forbidden",
                             "message": "a certificate of %s cannot send a message of %s"
                                        % (self.party, sender)}
        if verdict["verdict"] != "accepted":
            findings = verdict["findings"]
            return 422, {"error": "rejected", "type": mtype,
                         "retourcode": findings[0]["retourcode"], "findings": findings}
        key = (mtype, afzender, header_field(body, rb"Identificatie"))
        digest = hashlib.sha256(body).hexdigest()
        with self.server.lock:
            if key in self.server.stored:
                seen, mid = self.server.stored[key]
                if seen != digest:
                    return 409, {
                        "error": "conflict", "retourcode": "9056",
                        "findings": [{"retourcode": "9056", "rule": "TR056",
                                      "xpath": "/Bericht/Header/BerichtIdentificatie",
                                      "line": 0,
                                      "text": "message %s of %s was received with other "
                                              "content \u2014 send it as a new message"
                                              % (key[2], afzender)}]}
                return 200, {"id": str(mid), "type": mtype}
            mid = self.server.next_id
            self.server.next_id += 1
            self.server.stored[key] = (digest, mid)
        return 201, {"id": str(mid), "type": mtype}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", required=True, help="the ijw-gateway binary")
    p.add_argument("--cert", required=True, help="the server certificate (PEM)")
    p.add_argument("--key", required=True, help="its key (PEM)")
    p.add_argument("--cacert", required=True, help="the CA of the client certificates")
    p.add_argument("--port-file", required=True, help="where to write the port")
    p.add_argument("--max-bytes", type=int, default=32 << 20)
    p.add_argument("--log")
    args = p.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    ctx.load_verify_locations(args.cacert)
    ctx.verify_mode = ssl.CERT_REQUIRED

    server = Gateway(args)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
