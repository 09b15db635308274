"""/domains: Domains (master and slave), their records and zone file, clone and import (a zone
transfer from another name server), and the DNS server (Knot) that answers every active master
zone on --dns-listen: a record made through the API is answered by dig, the SOA serial moves on
with every change, and what is served is the zone file the API shows. A zone's name exists once
across Linnet. Events, filters, tags and grants."""
import subprocess
import time

import pytest

from support import (assert_error, assert_list, create_account, put_grants, restricted_user,
                     unique_label, wait_until)

FIELDS = {"id", "type", "domain", "tags", "group", "status", "errors", "description", "soa_email",
          "retry_sec", "master_ips", "axfr_ips", "expire_sec", "refresh_sec", "ttl_sec",
          "created", "updated"}
RECORD_FIELDS = {"id", "type", "name", "target", "priority", "weight", "port", "service",
                 "protocol", "ttl_sec", "tag", "created", "updated"}


def zone_name(prefix="z"):
    return unique_label(prefix).replace(".", "-").replace("_", "-").lower() + ".example"


def create_domain(srv, **fields):
    body = {"domain": zone_name(), "type": "master", "soa_email": "admin@example.org"}
    body.update(fields)
    r = srv.post("/domains", json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def add_record(srv, domain_id, **fields):
    r = srv.post(f"/domains/{domain_id}/records", json=fields)
    assert r.status_code == 200, f"{fields}: {r.status_code} {r.text}"
    return r.json()


def dig(srv, name, rtype, *options):
    out = subprocess.run(["kdig", "@127.0.0.1", "-p", str(srv.dns_port), "+time=1",
                          "+retry=0", *options, name, rtype],
                         capture_output=True, text=True, timeout=10)
    return out.stdout


def short(srv, name, rtype):
    return sorted(line.strip() for line in dig(srv, name, rtype, "+short").split("\n")[:-1])


def serial_of(srv, name):
    answer = short(srv, name, "SOA")
    return int(answer[0].split()[2]) if answer else None


def events_of(srv, domain_id, action):
    return srv.get_all("/account/events", filter={"entity.id": domain_id,
                                                  "entity.type": "domain", "action": action})


def test_create_get_list_update_delete(sim):
    made = create_domain(sim, tags=["dns"], group="web", description="shop")
    assert set(made) == FIELDS
    assert (made["status"], made["master_ips"], made["axfr_ips"], made["ttl_sec"]) == (
        "active", [], [], 0)
    assert sim.get(f"/domains/{made['id']}").json() == made
    for f in ({"domain": made["domain"]}, {"group": "web", "domain": made["domain"]},
              {"tags": "dns", "domain": made["domain"]}, {"type": "master", "id": made["id"]}):
        assert assert_list(sim.get("/domains", filter=f), 1) == [made], f
    r = sim.put(f"/domains/{made['id']}", json={"description": "store", "ttl_sec": 301,
                                                "retry_sec": 1, "axfr_ips": ["127.0.0.1"]})
    assert r.status_code == 200, r.text
    # Timers are rounded up to the next value Linode takes.
    assert (r.json()["description"], r.json()["ttl_sec"], r.json()["retry_sec"],
            r.json()["axfr_ips"]) == ("store", 3600, 30, ["127.0.0.1"])
    assert sim.get(f"/domains/{made['id']}").json() == r.json()
    assert sim.delete(f"/domains/{made['id']}").json() == {}
    assert_error(sim.get(f"/domains/{made['id']}"), 404)
    for action in ("dns_zone_create", "dns_zone_update", "dns_zone_delete"):
        assert [e["entity"]["url"] for e in events_of(sim, made["id"], action)] == [
            f"/v4/domains/{made['id']}"], action


@pytest.mark.parametrize("body,field", [
    ({"type": "master", "soa_email": "a@example.org"}, "domain"),
    ({"domain": "nodots", "type": "master", "soa_email": "a@example.org"}, "domain"),
    ({"domain": "bad..example.org", "type": "master", "soa_email": "a@example.org"}, "domain"),
    ({"domain": "x.example.org", "soa_email": "a@example.org"}, "type"),
    ({"domain": "x.example.org", "type": "primary", "soa_email": "a@example.org"}, "type"),
    ({"domain": "x.example.org", "type": "master"}, "soa_email"),
    ({"domain": "x.example.org", "type": "master", "soa_email": "nobody"}, "soa_email"),
    ({"domain": "x.example.org", "type": "slave"}, "master_ips"),
    ({"domain": "x.example.org", "type": "slave", "master_ips": ["not-an-ip"]}, "master_ips"),
    ({"domain": "x.example.org", "type": "master", "soa_email": "a@example.org",
      "ttl_sec": 2419201}, "ttl_sec"),
    ({"domain": "x.example.org", "type": "master", "soa_email": "a@example.org",
      "status": "paused"}, "status"),
])
def test_create_checks_every_field(sim, body, field):
    assert_error(sim.post("/domains", json=body), 400, field)


def test_a_zone_name_exists_once_across_linnet(sim):
    made = create_domain(sim)
    assert_error(sim.post("/domains", json={"domain": made["domain"].upper(), "type": "master",
                                            "soa_email": "b@example.org"}), 400, "domain")
    # Another account is refused the same way, and told nothing of who has it.
    name = unique_label("acct").replace(".", "-").replace("_", "-")
    other = create_account(sim.data_dir, name)
    r = sim.post("/domains", token=other, json={
        "domain": made["domain"], "type": "master", "soa_email": "b@example.org"})
    assert_error(r, 400, "domain")
    assert "admin@example.org" not in r.text and str(made["id"]) not in r.text
    second = create_domain(sim)
    assert_error(sim.put(f"/domains/{second['id']}", json={"domain": made["domain"]}), 400,
                 "domain")


def test_records_are_checked_and_answered(sim):
    d = create_domain(sim)
    zone = d["domain"]
    a = add_record(sim, d["id"], type="A", name="www", target="192.0.2.10")
    assert set(a) == RECORD_FIELDS
    assert (a["name"], a["priority"], a["service"], a["tag"]) == ("www", 0, None, None)
    full = add_record(sim, d["id"], type="AAAA", name=f"v6.{zone}", target="2001:db8::7")
    assert full["name"] == "v6"  # a name given in full is kept relative to the zone
    add_record(sim, d["id"], type="MX", name="", target=f"mail.{zone}", priority=10)
    add_record(sim, d["id"], type="TXT", name="", target='v=spf1 "mx" -all')
    add_record(sim, d["id"], type="CNAME", name="shop", target=f"www.{zone}")
    srv = add_record(sim, d["id"], type="SRV", service="_sip", protocol="udp", priority=5,
                     weight=10, port=5060, target=f"sip.{zone}")
    assert (srv["service"], srv["protocol"]) == ("sip", "udp")
    add_record(sim, d["id"], type="CAA", name="", tag="issue", target="letsencrypt.org")
    add_record(sim, d["id"], type="NS", name="sub", target="ns1.elsewhere.example")
    expected = {(f"www.{zone}", "A"): ["192.0.2.10"],
                (f"v6.{zone}", "AAAA"): ["2001:db8::7"],
                (zone, "MX"): [f"10 mail.{zone}."],
                (zone, "TXT"): ['"v=spf1 \\"mx\\" -all"'],
                (f"shop.{zone}", "CNAME"): [f"www.{zone}."],
                (f"_sip._udp.{zone}", "SRV"): [f"5 10 5060 sip.{zone}."],
                (zone, "CAA"): ['0 issue "letsencrypt.org"']}

    def answered():
        return {k: short(sim, *k) for k in expected} == expected
    # The last record's change is answered once the zone loaded with all of them.
    wait_until(answered, timeout=10, interval=0.05, what="every record answered")
    # The records list, filtered.
    assert [r["type"] for r in sim.get_all(f"/domains/{d['id']}/records",
                                           filter={"type": "CNAME"})] == ["CNAME"]
    assert len(sim.get_all(f"/domains/{d['id']}/records")) == 8


@pytest.mark.parametrize("fields,field", [
    ({"type": "A", "name": "www", "target": "2001:db8::1"}, "target"),
    ({"type": "AAAA", "name": "www", "target": "192.0.2.1"}, "target"),
    ({"type": "A", "name": "bad name", "target": "192.0.2.1"}, "name"),
    ({"type": "CNAME", "name": "", "target": "elsewhere.example"}, "name"),
    ({"type": "CNAME", "name": "www", "target": "not a host"}, "target"),
    ({"type": "CNAME", "name": "taken", "target": "elsewhere.example"}, "name"),
    ({"type": "A", "name": "alias", "target": "192.0.2.1"}, "name"),
    ({"type": "MX", "name": "", "target": "-", "priority": 10}, "target"),
    ({"type": "MX", "name": "", "target": "mail.example", "priority": 256}, "priority"),
    ({"type": "TXT", "name": "", "target": ""}, "target"),
    ({"type": "SRV", "service": "sip", "port": 5060, "weight": 1, "target": "s.example"},
     "priority"),
    ({"type": "SRV", "service": "s i p", "priority": 1, "port": 5060, "weight": 1,
      "target": "s.example"}, "service"),
    ({"type": "CAA", "name": "", "tag": "nope", "target": "ca.example"}, "tag"),
    ({"type": "NS", "name": "*", "target": "ns.example"}, "name"),
    ({"type": "A", "name": "www", "target": "192.0.2.1", "ttl_sec": -1}, "ttl_sec"),
    ({"type": "A", "name": "www", "target": "192.0.2.1", "ttl_sec": 2419201}, "ttl_sec"),
    ({"type": "SPF", "name": "", "target": "x"}, "type"),
    ({"name": "www", "target": "192.0.2.1"}, "type"),
])
def test_bad_records_are_400_with_their_field(sim, fields, field):
    d = create_domain(sim)
    add_record(sim, d["id"], type="A", name="taken", target="192.0.2.1")
    add_record(sim, d["id"], type="CNAME", name="alias", target="elsewhere.example")
    before = sim.get(f"/domains/{d['id']}/zone-file").json()
    assert_error(sim.post(f"/domains/{d['id']}/records", json=fields), 400, field)
    assert sim.get(f"/domains/{d['id']}/zone-file").json() == before


def test_the_serial_moves_on_and_what_is_served_is_the_zone_file(sim):
    d = create_domain(sim)
    zone = d["domain"]
    wait_until(lambda: serial_of(sim, zone) is not None, timeout=10, interval=0.05,
               what="zone answered")
    first = serial_of(sim, zone)
    started = time.monotonic()
    rec = add_record(sim, d["id"], type="A", name="api", target="192.0.2.20")
    wait_until(lambda: short(sim, f"api.{zone}", "A") == ["192.0.2.20"], timeout=10,
               interval=0.01, what="new record answered")
    print(f"\nrecord create to answered by dig: {(time.monotonic() - started) * 1000:.0f} ms")
    second = serial_of(sim, zone)
    assert second > first
    r = sim.put(f"/domains/{d['id']}/records/{rec['id']}", json={"target": "192.0.2.21",
                                                               "ttl_sec": 299})
    assert r.status_code == 200 and r.json()["ttl_sec"] == 300
    wait_until(lambda: short(sim, f"api.{zone}", "A") == ["192.0.2.21"], timeout=10,
               interval=0.02, what="changed record answered")
    assert serial_of(sim, zone) > second
    # What dig transfers is what /zone-file shows.
    lines = sim.get(f"/domains/{d['id']}/zone-file").json()["zone_file"]
    assert lines[0] == f"; {zone} [{d['id']}]"
    assert f"api 300 IN A 192.0.2.21" in lines
    soa = [line for line in lines if " SOA " in line][0]
    assert str(serial_of(sim, zone)) in soa
    assert sim.delete(f"/domains/{d['id']}/records/{rec['id']}").json() == {}
    wait_until(lambda: short(sim, f"api.{zone}", "A") == [], timeout=10, interval=0.02,
               what="record gone")
    for action in ("dns_record_create", "dns_record_update", "dns_record_delete"):
        assert len(events_of(sim, d["id"], action)) == 1, action
    # A disabled zone is not answered; a deleted one neither.
    assert sim.put(f"/domains/{d['id']}", json={"status": "disabled"}).status_code == 200
    wait_until(lambda: serial_of(sim, zone) is None, timeout=10, interval=0.05,
               what="disabled zone unanswered")
    assert sim.put(f"/domains/{d['id']}", json={"status": "active"}).status_code == 200
    wait_until(lambda: serial_of(sim, zone) is not None, timeout=10, interval=0.05,
               what="zone answered again")
    assert sim.delete(f"/domains/{d['id']}").status_code == 200
    wait_until(lambda: serial_of(sim, zone) is None, timeout=10, interval=0.05,
               what="deleted zone unanswered")


def test_clone_and_import(sim):
    d = create_domain(sim)
    add_record(sim, d["id"], type="A", name="www", target="192.0.2.30")
    add_record(sim, d["id"], type="TXT", name="note", target="hello world")
    add_record(sim, d["id"], type="MX", name="", target="mail.example.net", priority=5)
    copy_name = zone_name("clone")
    r = sim.post(f"/domains/{d['id']}/clone", json={"domain": copy_name})
    assert r.status_code == 200, r.text
    copy = r.json()
    assert copy["domain"] == copy_name and copy["soa_email"] == d["soa_email"]
    assert [(x["type"], x["name"], x["target"]) for x in
            sim.get_all(f"/domains/{copy['id']}/records")] == [
        ("A", "www", "192.0.2.30"), ("TXT", "note", "hello world"), ("MX", "", "mail.example.net")]
    assert_error(sim.post(f"/domains/{d['id']}/clone", json={"domain": copy_name}), 400, "domain")
    # Import of a name that exists is refused before any name server is asked.
    r = sim.post("/domains/import", json={"domain": copy_name,
                                         "remote_nameserver": f"127.0.0.1:{sim.dns_port}"})
    assert_error(r, 400, "domain")
    assert_error(sim.post("/domains/import", json={"domain": zone_name("imp"),
                                                  "remote_nameserver": "nowhere"}),
                 400, "remote_nameserver")


def test_import_from_another_name_server(sim, server):
    """Another Linnet's DNS server answers a zone whose axfr_ips allow 127.0.0.1: a transfer
    of it makes the same zone here, records and SOA fields; without the address it is refused."""
    name = zone_name("imp")
    theirs = create_domain(server, domain=name, soa_email="dns.admin@example.net",
                           refresh_sec=7200)
    for fields in ({"type": "A", "name": "www", "target": "192.0.2.50", "ttl_sec": 300},
                   {"type": "TXT", "name": "", "target": "imported \"zone\""},
                   {"type": "MX", "name": "", "target": "mail.example.net", "priority": 20},
                   {"type": "SRV", "service": "imap", "protocol": "tcp", "priority": 1,
                    "weight": 5, "port": 993, "target": "mail.example.net"},
                   {"type": "CNAME", "name": "web", "target": f"www.{name}"}):
        add_record(server, theirs["id"], **fields)
    remote = f"127.0.0.1:{server.dns_port}"
    wait_until(lambda: short(server, f"www.{name}", "A") == ["192.0.2.50"], timeout=10,
               interval=0.05, what="the remote zone answered")
    # Transfers are refused until the zone allows this address.
    assert_error(sim.post("/domains/import", json={"domain": name, "remote_nameserver": remote}),
                 400, "remote_nameserver")
    assert server.put(f"/domains/{theirs['id']}", json={"axfr_ips": ["127.0.0.1"]}).status_code \
        == 200

    def imported():
        r = sim.post("/domains/import", json={"domain": name, "remote_nameserver": remote})
        return r.json() if r.status_code == 200 else None
    mine = wait_until(imported, timeout=10, interval=0.1, what="the zone imported")
    assert (mine["domain"], mine["type"], mine["soa_email"], mine["refresh_sec"]) == (
        name, "master", "dns.admin@example.net", 7200)
    records = sim.get_all(f"/domains/{mine['id']}/records")
    assert sorted((r["type"], r["name"], r["target"]) for r in records) == sorted([
        ("A", "www", "192.0.2.50"), ("TXT", "", 'imported "zone"'),
        ("MX", "", "mail.example.net"), ("SRV", "", "mail.example.net"),
        ("CNAME", "web", f"www.{name}")])
    srv = [r for r in records if r["type"] == "SRV"][0]
    assert (srv["service"], srv["protocol"], srv["port"], srv["weight"]) == ("imap", "tcp", 993, 5)
    assert len(events_of(sim, mine["id"], "dns_zone_import")) == 1
    # This server answers it now too.
    wait_until(lambda: short(sim, f"www.{name}", "A") == ["192.0.2.50"], timeout=10,
               interval=0.05, what="the imported zone answered")


def test_restricted_users_need_grants(sim):
    username, token = restricted_user(sim, "dns")
    assert_error(sim.post("/domains", token=token, json={"domain": zone_name(), "type": "master",
                                                         "soa_email": "a@example.org"}), 403)
    theirs = create_domain(sim)
    assert sim.get_all("/domains", token=token) == []
    assert_error(sim.get(f"/domains/{theirs['id']}", token=token), 403)
    put_grants(sim, username, **{"global": {"add_domains": True}},
               domain=[{"id": theirs["id"], "permissions": "read_only"}])
    assert sim.get(f"/domains/{theirs['id']}/zone-file", token=token).status_code == 200
    assert_error(sim.post(f"/domains/{theirs['id']}/records", token=token,
                          json={"type": "A", "name": "x", "target": "192.0.2.1"}), 403)
    made = sim.post("/domains", token=token, json={"domain": zone_name(), "type": "master",
                                                    "soa_email": "a@example.org"})
    assert made.status_code == 200, made.text
    grants = sim.get(f"/account/users/{username}/grants").json()
    assert {"id": made.json()["id"], "label": made.json()["domain"],
            "permissions": "read_write"} in grants["domain"]
    seen = sim.get_all("/account/events", token=token, filter={"entity.type": "domain"})
    assert {e["entity"]["id"] for e in seen} == {theirs["id"], made.json()["id"]}


def test_tags_of_domains(sim):
    tag = unique_label("dtag")[:50]
    d = create_domain(sim)
    assert sim.post("/tags", json={"label": tag, "domains": [d["id"]]}).status_code == 200
    assert sim.get(f"/domains/{d['id']}").json()["tags"] == [tag]
    objects = sim.get(f"/tags/{tag}").json()["data"]
    assert [(o["type"], o["data"]["id"]) for o in objects] == [("domain", d["id"])]
    assert sim.delete(f"/tags/{tag}").status_code == 200
    assert sim.get(f"/domains/{d['id']}").json()["tags"] == []
