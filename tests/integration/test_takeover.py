#!/usr/bin/env python3
"""test_takeover.py: two gateways on one PostgreSQL database, a push taken over.

Runs through tests/with-pg, which names a throw-away server in IJW_TEST_PG,
on which the harness makes the PKI's database. Gateways a and b
(instance gw-a and gw-b) share it: a message posted to a is a repeat when
posted to b, and b's inbox has it; /metrics of each names its instance and
the store. Party 42420001 takes pushes at a receiver that is down at first:
both gateways attempt them, a is killed, and once the receiver is up b
delivers the message, once. Last, the server ends b's connections (as a
restart or a failover does): the next post connects anew and gets 201.

    test_takeover.py BINARY SOURCE_DIR SHARED_DIR
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway as g  # noqa: E402


def instance_info(admin):
    status, data = admin.request("GET", "/metrics")
    return re.findall(r'^ijw_instance_info\{instance="([^"]*)",store="([^"]*)"\} 1$',
                      data.decode(errors="replace"), re.M)


def body(ctx):
    ck = ctx.checks
    if not g.PG:
        raise g.Skip("no PostgreSQL server: run it through tests/with-pg")
    pki = ctx.pki()
    url = pki.store
    reserved = g.reserve_port()
    push_url = "https://127.0.0.1:%d/inbox" % reserved.getsockname()[1]
    (pki.ini()
     .set("gateway", "instance", "gw-a")
     .set("gateway", "retry_initial", 1).set("gateway", "retry_max", 2)
     .set("party " + g.AANBIEDER, "delivery", "push")
     .set("party " + g.AANBIEDER, "push_url", push_url)
     .cross_checks_off()
     .save())
    # b: the same configuration but for its name, beside a's
    b_ini = pki.path("b.ini")
    pki.ini().set("gateway", "instance", "gw-b").save(b_ini)
    a = ctx.daemon(pki, "a").start()
    b = ctx.daemon(pki, "b", ini=b_ini).start()
    ck.check("instance=gw-a store=postgresql" in a.log(),
             "a's listening line names its instance and store", a.log()[-500:])
    ck.equal(instance_info(a.admin()), [("gw-a", "postgresql")],
             "a's /metrics: ijw_instance_info")
    ck.equal(instance_info(b.admin()), [("gw-b", "postgresql")],
             "b's /metrics: ijw_instance_info")

    # ---- one store: a message posted to a is a repeat at b ----
    first = ctx.sample("JW301-valid-1.xml")
    status, j = a.client(g.GEMEENTE).post(first)
    ck.check(status == 201, "a JW301 posted to a: 201", "%r %r" % (status, j))
    status, j2 = b.client(g.GEMEENTE).post(first)
    ck.check(status == 200 and j2.get("id") == j.get("id") and j2.get("status") == "repeated",
             "the same posted to b: a repeat of the same id", "%r %r" % (status, j2))
    status, inbox = b.client(g.AANBIEDER).inbox()
    ck.check(status == 200 and j.get("id") in [m["id"] for m in inbox["berichten"]],
             "b's inbox of 42420001 has it", repr(inbox))

    # ---- pushes: both attempt them; a killed, b delivers ----
    time.sleep(4)
    failed = a.log().count(" push_failed ") + b.log().count(" push_failed ")
    ck.check(failed >= 2, "with the receiver down the push is attempted and fails",
             "a:\n%s\nb:\n%s" % (a.log()[-1000:], b.log()[-1000:]))
    a.kill9()
    rx = g.Receiver(pki.path("ca.pem"), *pki.ca.issue("receiver", "localhost", kind="server"),
                    sock=reserved).start()
    t0 = time.monotonic()
    arrived = rx.wait_for([g.sha(first)], 60)
    ck.check(arrived, "a killed, the receiver up: b delivers it (after %.1f s)"
             % (time.monotonic() - t0))
    time.sleep(2)
    ck.equal(len([p for p in rx.posts if p[3] == 200]), 1, "it is delivered once")
    ck.check(" message_pushed id=%s " % j.get("id") in b.log(), "by b", b.log()[-1500:])
    rx.stop()

    # ---- the server ends b's connections: the next post connects anew ----
    g.psql(url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()")
    gem = b.client(g.GEMEENTE)
    status, j = gem.post(ctx.sample("JW301-valid-2.xml"))
    ck.equal(status, 201, "a post after the connections ended: 201 (connected anew)")
    status, _ = gem.readyz()
    ck.equal(status, 200, "/readyz: 200")
    b.stop(ck)


g.run("takeover", body)
