"""/networking/firewalls: Cloud Firewalls on the sim driver: create (with devices), update
(label, tags, status), delete; rules (checked, versioned, fingerprinted) and their history;
devices (one enabled firewall per Linode); a Linode's firewalls, firewall_id on create and
/firewalls/apply; events, filters, scopes and grants."""
import pytest

from support import (assert_error, assert_list, create_from_image, put_grants, restricted_user,
                     unique_label, wait_until)

FIELDS = {"id", "label", "created", "updated", "status", "rules", "tags", "entities"}
SSH = {"action": "ACCEPT", "protocol": "TCP", "ports": "22",
       "addresses": {"ipv4": ["0.0.0.0/0"], "ipv6": ["::/0"]}, "label": "ssh-in"}
RULES = {"inbound_policy": "DROP", "outbound_policy": "ACCEPT", "inbound": [SSH], "outbound": []}


def flabel(prefix="fw"):
    return unique_label(prefix).replace(".", "-")[:32]


def create_firewall(srv, **fields):
    body = {"label": flabel(), "rules": RULES}
    body.update(fields)
    r = srv.post("/networking/firewalls", json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def events_of(srv, firewall_id, action):
    return srv.get_all("/account/events", filter={"entity.id": firewall_id,
                                                  "entity.type": "firewall", "action": action})


def test_create_get_and_list(sim):
    made = create_firewall(sim, tags=["fw-a"])
    assert set(made) == FIELDS
    assert made["status"] == "enabled" and made["tags"] == ["fw-a"] and made["entities"] == []
    rules = made["rules"]
    assert rules["version"] == 1 and len(rules["fingerprint"]) == 8
    assert rules["inbound_policy"] == "DROP" and rules["outbound_policy"] == "ACCEPT"
    assert rules["inbound"] == [SSH] and rules["outbound"] == []
    assert sim.get(f"/networking/firewalls/{made['id']}").json() == made
    assert sim.get(f"/networking/firewalls/{made['id']}/rules").json() == rules
    listed = assert_list(sim.get("/networking/firewalls", filter={"label": made["label"]}), 1)
    assert listed == [made]
    assert made["id"] in [f["id"] for f in sim.get_all("/networking/firewalls",
                                                        filter={"tags": "fw-a"})]
    assert sim.get_all("/networking/firewalls", filter={"id": made["id"]}) == [made]
    [event] = events_of(sim, made["id"], "firewall_create")
    assert event["entity"] == {"id": made["id"], "label": made["label"], "type": "firewall",
                               "url": f"/v4/networking/firewalls/{made['id']}"}
    assert event["status"] == "notification"
    assert_error(sim.get("/networking/firewalls/99999999"), 404)


def test_rules_keep_what_was_given(sim):
    """An ICMP rule has no ports; a null list stays null; absent label/description stay absent."""
    rules = {"inbound_policy": "ACCEPT", "outbound_policy": "DROP", "outbound": None,
             "inbound": [{"action": "DROP", "protocol": "ICMP",
                          "addresses": {"ipv4": ["192.0.2.0/24"]}, "description": "no pings"}]}
    made = create_firewall(sim, rules=rules)
    assert made["rules"]["outbound"] is None
    assert made["rules"]["inbound"] == rules["inbound"]


@pytest.mark.parametrize("rule,field", [
    ({"action": "ALLOW"}, "action"),
    ({"protocol": "SCTP"}, "protocol"),
    ({"ports": "080"}, "ports"),
    ({"ports": "0"}, "ports"),
    ({"ports": "65536"}, "ports"),
    ({"ports": "30-20"}, "ports"),
    ({"ports": "22,"}, "ports"),
    ({"ports": ",".join(str(p) for p in range(1, 17))}, "ports"),
    ({"protocol": "ICMP", "ports": "22"}, "ports"),
    ({"addresses": {}}, "addresses"),
    ({"addresses": {"ipv4": []}}, "addresses.ipv4"),
    ({"addresses": {"ipv4": ["10.0.0.1"]}}, "addresses.ipv4"),
    ({"addresses": {"ipv4": ["10.0.0.0/33"]}}, "addresses.ipv4"),
    ({"addresses": {"ipv6": ["fe80::1%eth0/64"]}}, "addresses.ipv6"),
    ({"addresses": {"ipv4": [f"10.0.{i // 256}.{i % 256}/32" for i in range(256)]}},
     "addresses"),
    ({"label": "ab"}, "label"),
    ({"description": "x" * 101}, "description"),
])
def test_a_bad_rule_is_refused_by_field(sim, rule, field):
    bad = dict(SSH, **rule)
    r = sim.post("/networking/firewalls",
                 json={"label": flabel(), "rules": dict(RULES, inbound=[SSH, bad])})
    assert_error(r, 400, field=f"rules.inbound[1].{field}")


def test_ports_may_be_lists_and_ranges(sim):
    ok = dict(SSH, ports="22-24, 80,443,8000-8010")  # 7 pieces
    assert create_firewall(sim, rules=dict(RULES, inbound=[ok]))["rules"]["inbound"][0][
        "ports"] == "22-24, 80,443,8000-8010"


@pytest.mark.parametrize("body,field", [
    ({"label": "ab"}, "label"),
    ({"label": "1abc"}, "label"),
    ({"label": "a--b"}, "label"),
    ({"label": "x" * 33}, "label"),
    ({"rules": None}, "rules"),
    ({"rules": {"inbound_policy": "DROP"}}, "rules.outbound_policy"),
    ({"rules": dict(RULES, inbound_policy="REJECT")}, "rules.inbound_policy"),
    ({"rules": dict(RULES, inbound=[SSH] * 13, outbound=[SSH] * 13)}, "rules"),
    ({"devices": {"linodes": [99999999]}}, "devices.linodes"),
    ({"devices": {"nodebalancers": [1]}}, "devices.nodebalancers"),
    ({"devices": {"linodes": "1"}}, "devices.linodes"),
])
def test_a_bad_firewall_is_refused_by_field(sim, body, field):
    before = len(sim.get_all("/networking/firewalls"))
    full = {"label": flabel(), "rules": RULES}
    full.update(body)
    full = {k: v for k, v in full.items() if v is not None}
    assert_error(sim.post("/networking/firewalls", json=full), 400, field=field)
    assert len(sim.get_all("/networking/firewalls")) == before


def test_labels_are_unique_in_the_account(sim):
    made = create_firewall(sim)
    assert_error(sim.post("/networking/firewalls", json={"label": made["label"], "rules": RULES}),
                 400, field="label")
    other = create_firewall(sim)
    assert_error(sim.put(f"/networking/firewalls/{other['id']}", json={"label": made["label"]}),
                 400, field="label")


def test_rules_are_versioned(sim):
    made = create_firewall(sim)
    fid = made["id"]
    first = made["rules"]
    web = dict(SSH, ports="80,443", label="web-in")
    r = sim.put(f"/networking/firewalls/{fid}/rules",
                json={"inbound": [SSH, web], "inbound_policy": "DROP"})
    assert r.status_code == 200, r.text
    second = r.json()
    # The outbound policy left out stays; the outbound list left out is empty.
    assert second["version"] == 2 and second["outbound_policy"] == "ACCEPT"
    assert second["inbound"] == [SSH, web] and second["outbound"] == []
    assert second["fingerprint"] != first["fingerprint"]
    assert sim.get(f"/networking/firewalls/{fid}/rules").json() == second
    assert sim.get(f"/networking/firewalls/{fid}").json()["rules"] == second
    history = assert_list(sim.get(f"/networking/firewalls/{fid}/history"), 2)
    assert [h["rules"] for h in history] == [{"version": 1}, {"version": 2}]
    assert all(h["status"] == "enabled" and h["updated"] for h in history)
    assert sim.get(f"/networking/firewalls/{fid}/history/rules/1").json() == first
    assert sim.get(f"/networking/firewalls/{fid}/history/rules/2").json() == second
    assert_error(sim.get(f"/networking/firewalls/{fid}/history/rules/3"), 404)
    # The same rules again change nothing.
    again = sim.put(f"/networking/firewalls/{fid}/rules",
                    json={"inbound": [SSH, web], "inbound_policy": "DROP"}).json()
    assert again == second
    third = sim.put(f"/networking/firewalls/{fid}/rules", json={"inbound": [web]}).json()
    assert third["version"] == 3 and third["inbound"] == [web]
    # A bad rule changes nothing.
    assert_error(sim.put(f"/networking/firewalls/{fid}/rules",
                         json={"inbound": [dict(SSH, ports="0")]}), 400,
                 field="inbound[0].ports")
    assert sim.get(f"/networking/firewalls/{fid}/rules").json()["version"] == 3
    assert len(events_of(sim, fid, "firewall_update")) == 2
    assert len(sim.get_all(f"/networking/firewalls/{fid}/history")) == 3


def test_update_label_tags_and_status(sim):
    made = create_firewall(sim)
    fid = made["id"]
    label = flabel("renamed")
    r = sim.put(f"/networking/firewalls/{fid}", json={"label": label, "tags": ["t1"]})
    assert r.status_code == 200, r.text
    assert r.json()["label"] == label and r.json()["tags"] == ["t1"]
    assert r.json()["rules"]["version"] == 1
    r = sim.put(f"/networking/firewalls/{fid}", json={"status": "disabled"})
    assert r.json()["status"] == "disabled"
    assert len(events_of(sim, fid, "firewall_disable")) == 1
    assert sim.put(f"/networking/firewalls/{fid}", json={"status": "enabled"}).json()[
        "status"] == "enabled"
    assert len(events_of(sim, fid, "firewall_enable")) == 1
    assert_error(sim.put(f"/networking/firewalls/{fid}", json={"status": "deleted"}), 400,
                 field="status")
    assert_error(sim.put(f"/networking/firewalls/{fid}", json={"label": "a"}), 400, field="label")


def test_devices_and_one_enabled_firewall_per_linode(sim):
    linode = create_from_image(sim)
    lid = linode["id"]
    guard = create_firewall(sim, devices={"linodes": [lid]})
    assert guard["entities"] == [{"id": lid, "type": "linode", "label": linode["label"],
                                  "url": f"/v4/linode/instances/{lid}"}]
    [device] = assert_list(sim.get(f"/networking/firewalls/{guard['id']}/devices"), 1)
    assert set(device) == {"id", "created", "updated", "entity"}
    assert device["entity"] == guard["entities"][0]
    assert sim.get(f"/networking/firewalls/{guard['id']}/devices/{device['id']}").json() == device
    [listed] = sim.get_all("/networking/firewalls", filter={"id": guard["id"]})
    assert listed["entities"] == guard["entities"]
    assert [f["id"] for f in sim.get_all(f"/linode/instances/{lid}/firewalls")] == [guard["id"]]
    added = events_of(sim, guard["id"], "firewall_device_add")
    assert [e["secondary_entity"]["id"] for e in added] == [lid]

    # A second enabled firewall cannot take the Linode; a disabled one can, and cannot be
    # enabled while the first is.
    other = create_firewall(sim)
    path = f"/networking/firewalls/{other['id']}/devices"
    assert_error(sim.post(path, json={"id": lid, "type": "linode"}), 400, field="id")
    assert_error(sim.post("/networking/firewalls", json={"label": flabel(), "rules": RULES,
                                                         "devices": {"linodes": [lid]}}),
                 400, field="devices.linodes")
    sim.put(f"/networking/firewalls/{other['id']}", json={"status": "disabled"})
    r = sim.post(path, json={"id": lid, "type": "linode"})
    assert r.status_code == 200, r.text
    assert_error(sim.post(path, json={"id": lid, "type": "linode"}), 400, field="id")
    assert_error(sim.put(f"/networking/firewalls/{other['id']}", json={"status": "enabled"}), 400,
                 field="status")
    assert len(sim.get_all(f"/linode/instances/{lid}/firewalls")) == 2
    for body, field in [({"id": lid, "type": "volume"}, "type"), ({"type": "linode"}, "id"),
                        ({"id": 99999999, "type": "linode"}, "id"),
                        ({"id": 1, "type": "nodebalancer"}, "id")]:
        assert_error(sim.post(path, json=body), 400, field=field)

    # Removing the first firewall's device lets the second be enabled.
    assert sim.delete(f"/networking/firewalls/{guard['id']}/devices/{device['id']}").json() == {}
    assert_error(sim.get(f"/networking/firewalls/{guard['id']}/devices/{device['id']}"), 404)
    assert sim.get(f"/networking/firewalls/{guard['id']}").json()["entities"] == []
    removed = events_of(sim, guard["id"], "firewall_device_remove")
    assert [e["secondary_entity"]["id"] for e in removed] == [lid]
    assert sim.put(f"/networking/firewalls/{other['id']}", json={"status": "enabled"}).json()[
        "status"] == "enabled"

    # Apply: the Linode's firewall_apply event.
    assert sim.post(f"/linode/instances/{lid}/firewalls/apply").json() == {}
    applied = sim.get_all("/account/events", filter={"action": "firewall_apply",
                                                     "entity.id": lid})
    assert applied and applied[0]["entity"]["type"] == "linode"
    assert_error(sim.post("/linode/instances/99999999/firewalls/apply"), 404)

    # A deleted Linode is no firewall's device any more.
    assert sim.delete(f"/linode/instances/{lid}").status_code == 200
    wait_until(lambda: sim.get(f"/linode/instances/{lid}").status_code == 404, what="deleted")
    assert sim.get(f"/networking/firewalls/{other['id']}").json()["entities"] == []


def test_firewall_id_on_create_and_delete_with_devices(sim):
    guard = create_firewall(sim)
    linode = create_from_image(sim, firewall_id=guard["id"])
    assert [f["id"] for f in sim.get_all(f"/linode/instances/{linode['id']}/firewalls")] == [
        guard["id"]]
    # A Linode cannot be created into a second enabled firewall.
    other = create_firewall(sim)
    r = sim.post("/networking/firewalls/{}/devices".format(other["id"]),
                 json={"id": linode["id"], "type": "linode"})
    assert_error(r, 400, field="id")
    # Deleting a firewall that has devices takes them with it.
    assert sim.delete(f"/networking/firewalls/{guard['id']}").json() == {}
    assert_error(sim.get(f"/networking/firewalls/{guard['id']}"), 404)
    assert_error(sim.get(f"/networking/firewalls/{guard['id']}/devices"), 404)
    assert sim.get_all(f"/linode/instances/{linode['id']}/firewalls") == []
    assert len(events_of(sim, guard["id"], "firewall_delete")) == 1


def test_scopes(sim):
    made = create_firewall(sim)
    read = sim.make_token("firewall:read_only")
    assert sim.get(f"/networking/firewalls/{made['id']}", token=read).status_code == 200
    assert_error(sim.put(f"/networking/firewalls/{made['id']}", token=read, json={}), 401)
    assert_error(sim.get("/networking/firewalls", token=sim.make_token("linodes:read_write")),
                 401)


def test_restricted_users_need_grants(sim):
    username, token = restricted_user(sim, "fw")
    assert_error(sim.post("/networking/firewalls", token=token,
                          json={"label": flabel(), "rules": RULES}), 403)
    theirs = create_firewall(sim)
    assert sim.get_all("/networking/firewalls", token=token) == []
    assert_error(sim.get(f"/networking/firewalls/{theirs['id']}", token=token), 403)
    put_grants(sim, username, **{"global": {"add_firewalls": True}},
               firewall=[{"id": theirs["id"], "permissions": "read_only"}])
    assert sim.get(f"/networking/firewalls/{theirs['id']}", token=token).status_code == 200
    seen = sim.get_all("/account/events", token=token, filter={"entity.type": "firewall"})
    assert {e["entity"]["id"] for e in seen} == {theirs["id"]}
    assert_error(sim.put(f"/networking/firewalls/{theirs['id']}", token=token, json={}), 403)
    made = sim.post("/networking/firewalls", token=token, json={"label": flabel(), "rules": RULES})
    assert made.status_code == 200, made.text
    seen = {f["id"] for f in sim.get_all("/networking/firewalls", token=token)}
    assert seen == {theirs["id"], made.json()["id"]}
    grants = sim.get(f"/account/users/{username}/grants").json()
    assert {"id": made.json()["id"], "label": made.json()["label"],
            "permissions": "read_write"} in grants["firewall"]
    # A Linode the user may not change cannot become a device.
    linode = create_from_image(sim)
    assert_error(sim.post(f"/networking/firewalls/{made.json()['id']}/devices", token=token,
                          json={"id": linode["id"], "type": "linode"}), 403)
