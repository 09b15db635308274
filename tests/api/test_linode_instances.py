"""/linode/instances: one-call creation (disks, config, addresses, statuses), every validation
error, list filters, GET, PUT, DELETE and the scopes they need."""
import ipaddress

import pytest

from support import (IMAGE, ROOT_PASS, assert_busy, assert_error, assert_list, create_from_image,
                     create_linode, get_linode, linode_events, load_catalog, unique_label,
                     wait_event, wait_gone, wait_status, wait_until, watch_statuses)

TYPES = {t["id"]: t for t in load_catalog("types")}
PUBLIC_POOL = ipaddress.ip_network("198.18.0.0/15")
PRIVATE_POOL = ipaddress.ip_network("192.168.128.0/17")
NOT_AUTHORIZED = "Your OAuth token is not authorized to use this endpoint."


def count_linodes(srv):
    return srv.get("/linode/instances").json()["results"]


# --- creation ------------------------------------------------------------------------------------

def test_create_from_image_answers_a_provisioning_linode(instant):
    label = unique_label("web")
    r = instant.post("/linode/instances", json={
        "region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
        "label": label, "tags": ["alpha", "beta"], "group": "grp"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["status"] == "provisioning"
    assert (doc["label"], doc["region"], doc["type"], doc["image"]) == (label, "us-east",
                                                                         "g6-nanode-1", IMAGE)
    assert doc["tags"] == ["alpha", "beta"] and doc["group"] == "grp"
    assert doc["hypervisor"] == "kvm" and isinstance(doc["id"], int)
    nanode = TYPES["g6-nanode-1"]
    for key in ("disk", "memory", "vcpus", "gpus", "transfer"):
        assert doc["specs"][key] == nanode[key], key
    assert doc["alerts"]["cpu"] == 90 * nanode["vcpus"]
    assert set(doc["alerts"]) == {"cpu", "network_in", "network_out", "transfer_quota", "io"}
    assert len(doc["ipv4"]) == 1 and ipaddress.ip_address(doc["ipv4"][0]) in PUBLIC_POOL
    assert doc["ipv6"].endswith("/128")
    ipaddress.ip_interface(doc["ipv6"])
    assert doc["created"] and doc["updated"] and "T" in doc["created"]
    assert get_linode(instant, doc["id"])["id"] == doc["id"]
    assert wait_status(instant, doc["id"], "running")["ipv4"] == doc["ipv4"]


def test_image_gives_boot_disk_swap_disk_and_profile(instant):
    linode = create_from_image(instant, type="g6-standard-1")
    disks = assert_list(instant.get(f"/linode/instances/{linode['id']}/disks"), 2)
    by_label = {d["label"]: d for d in disks}
    assert set(by_label) == {"Debian 12 Disk", "512 MB Swap Image"}
    boot, swap = by_label["Debian 12 Disk"], by_label["512 MB Swap Image"]
    assert (boot["filesystem"], boot["size"]) == ("ext4", TYPES["g6-standard-1"]["disk"] - 512)
    assert (swap["filesystem"], swap["size"]) == ("swap", 512)
    assert boot["status"] == swap["status"] == "ready"
    configs = assert_list(instant.get(f"/linode/instances/{linode['id']}/configs"), 1)
    config = configs[0]
    assert config["label"] == "My Debian 12 Disk Profile"
    assert config["devices"]["sda"]["disk_id"] == boot["id"]
    assert config["devices"]["sdb"]["disk_id"] == swap["id"]
    assert all(config["devices"][s] is None for s in ("sdc", "sdd", "sde", "sdf", "sdg", "sdh"))


@pytest.mark.parametrize("swap", [256, 0])
def test_swap_size(instant, swap):
    linode = create_from_image(instant, swap_size=swap)
    disks = assert_list(instant.get(f"/linode/instances/{linode['id']}/disks"))
    sizes = {d["filesystem"]: d["size"] for d in disks}
    plan = TYPES["g6-nanode-1"]["disk"]
    if swap:
        assert sizes == {"ext4": plan - swap, "swap": swap}
        assert f"{swap} MB Swap Image" in [d["label"] for d in disks]
    else:
        assert sizes == {"ext4": plan} and len(disks) == 1


def test_without_image_no_disks_and_offline(sim):
    linode = create_linode(sim)
    assert linode["status"] == "provisioning" and linode["image"] is None
    seen = watch_statuses(sim, linode["id"], ("offline", "running"))
    # Without disks to lay down, provisioning lasts 50 ms here: a busy machine's first GET may
    # come after it. Nothing but provisioning may come before offline.
    assert seen[-1] == "offline" and set(seen) <= {"provisioning", "offline"}
    assert assert_list(sim.get(f"/linode/instances/{linode['id']}/disks"), 0) == []
    assert assert_list(sim.get(f"/linode/instances/{linode['id']}/configs"), 0) == []


def test_booted_statuses_provisioning_booting_running(sim):
    linode = create_from_image(sim, wait=None)
    assert watch_statuses(sim, linode["id"], ("running", "offline")) == [
        "provisioning", "booting", "running"]


def test_booted_false_ends_offline(sim):
    linode = create_from_image(sim, wait=None, booted=False)
    assert watch_statuses(sim, linode["id"], ("running", "offline")) == ["provisioning", "offline"]
    assert wait_event(sim, linode["id"], "linode_create")["percent_complete"] == 100


def test_label_is_generated(instant):
    r = instant.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1"})
    assert r.status_code == 200, r.text
    assert r.json()["label"] == f"linode{r.json()['id']}"


def test_generated_label_taken_by_another_linode_gets_a_suffix(instant):
    body = {"region": "us-east", "type": "g6-nanode-1"}
    first = instant.post("/linode/instances", json=body)
    assert first.status_code == 200, first.text
    # Ids are handed out in order: the next Linode takes the label the one after it would get.
    after_next = first.json()["id"] + 2
    taker = instant.post("/linode/instances", json={**body, "label": f"linode{after_next}"})
    assert taker.status_code == 200, taker.text
    assert taker.json()["id"] == first.json()["id"] + 1
    r = instant.post("/linode/instances", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == after_next
    assert r.json()["label"] == f"linode{after_next}-2"
    assert instant.get(f"/linode/instances/{after_next}").json()["label"] == f"linode{after_next}-2"


def test_private_ip_adds_a_private_address(instant):
    linode = create_linode(instant, private_ip=True)
    addrs = [ipaddress.ip_address(a) for a in linode["ipv4"]]
    assert len(addrs) == 2
    assert sum(a in PUBLIC_POOL for a in addrs) == 1 and sum(a in PRIVATE_POOL for a in addrs) == 1
    ips = instant.get(f"/linode/instances/{linode['id']}/ips").json()
    assert [ipaddress.ip_address(i["address"]) in PRIVATE_POOL for i in ips["ipv4"]["private"]] == [True]


def test_optional_fields_are_accepted(instant):
    users = instant.get("/account/users").json().get("data", [])
    username = users[0]["username"] if users else instant.get("/profile").json()["username"]
    linode = create_from_image(instant, wait=None, backups_enabled=True,
                               authorized_keys=["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3 me@host"],
                               authorized_users=[username], metadata={"user_data": "I2Nsb3VkLWNvbmZpZwo="},
                               interfaces=[{"purpose": "public"}], disk_encryption="disabled")
    assert linode["has_user_data"] is True
    assert linode["backups"]["enabled"] is True
    assert linode["disk_encryption"] == "disabled"
    wait_status(instant, linode["id"], "running")


def test_two_fake_values_are_two_errors(instant):
    before = count_linodes(instant)
    r = instant.post("/linode/instances", json={"type": "g6-fake-plan", "region": "us-fakeregion"})
    errors = assert_error(r, 400)
    assert {"field": "type", "reason": "A valid plan type by that ID was not found"} in errors
    assert {"field": "region", "reason": "region is not valid"} in errors
    assert count_linodes(instant) == before


@pytest.mark.parametrize("body,fields", [
    ({"type": "g6-nanode-1"}, {"region"}),
    ({"region": "us-east"}, {"type"}),
    ({}, {"region", "type"}),
])
def test_region_and_type_are_required(instant, body, fields):
    errors = assert_error(instant.post("/linode/instances", json=body), 400)
    assert {e.get("field") for e in errors} == fields
    for e in errors:
        assert "required" in e["reason"], e


def test_image_without_root_pass(instant):
    before = count_linodes(instant)
    r = instant.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                "image": IMAGE, "label": unique_label()})
    assert_error(r, 400, field="root_pass")
    assert count_linodes(instant) == before


@pytest.mark.parametrize("pw", ["password123", "aaaaaaaaaaa", "Ab1!x", "", "PASSWORD123",
                                "12345678901234", "x" * 129])
def test_weak_root_pass(instant, pw):
    r = instant.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                "image": IMAGE, "root_pass": pw})
    errors = assert_error(r, 400, field="root_pass")
    assert [e["field"] for e in errors] == ["root_pass"]


@pytest.mark.parametrize("label", ["my linode", "my--linode", "ab", "a", "-abc", "abc-", "a__b",
                                   "x" * 65, "caf\u00e9-1", "dot..dot", "semi;colon"])
def test_bad_label(instant, label):
    before = count_linodes(instant)
    r = instant.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                "label": label})
    assert_error(r, 400, field="label")
    assert count_linodes(instant) == before


def test_good_labels(instant):
    n = unique_label("g").replace("-", "")
    for label in [n, f"a-b_c.d-{n}", f"Web.01.{n}", (n + "x" * 64)[:64], f"9{n}z"]:
        r = instant.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                    "label": label})
        assert r.status_code == 200 and r.json()["label"] == label, f"{label}: {r.text}"


def test_duplicate_label(instant):
    label = unique_label("dup")
    create_linode(instant, label=label)
    before = count_linodes(instant)
    r = instant.post("/linode/instances", json={"region": "eu-west", "type": "g6-standard-1",
                                                "label": label})
    assert_error(r, 400, field="label", reason="Label must be unique among your Linodes")
    assert count_linodes(instant) == before


@pytest.mark.parametrize("image", ["linode/nosuchos", "private/999999", "", "debian12"])
def test_unknown_image(instant, image):
    r = instant.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                "image": image, "root_pass": ROOT_PASS})
    assert_error(r, 400, field="image")


@pytest.mark.parametrize("field,value", [("stackscript_id", 1), ("backup_id", 12),
                                         ("firewall_id", 99999999), ("placement_group", {"id": 4})])
def test_unsupported_fields_are_refused(instant, field, value):
    before = count_linodes(instant)
    r = instant.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                "image": IMAGE, "root_pass": ROOT_PASS, field: value})
    assert_error(r, 400, field=field)
    assert count_linodes(instant) == before


@pytest.mark.parametrize("field,value", [
    ("region", 5), ("type", ["g6-nanode-1"]), ("label", 12), ("booted", "yes"), ("swap_size", -1),
    ("swap_size", "512"), ("private_ip", 1), ("backups_enabled", "true"), ("tags", "web"),
    ("tags", [1]), ("tags", ["x" * 51]), ("group", 7), ("authorized_keys", ["not a key"]),
    ("authorized_keys", "ssh-rsa AAAA"), ("authorized_users", ["nosuchuser"]),
    ("metadata", "data"), ("interfaces", {"purpose": "public"}), ("disk_encryption", "maybe"),
    ("swap_size", 30000),
])
def test_bad_field_types_and_values(instant, field, value):
    body = {"region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
            "label": unique_label()}
    body[field] = value
    before = count_linodes(instant)
    assert_error(instant.post("/linode/instances", json=body), 400, field=field)
    assert count_linodes(instant) == before


@pytest.mark.parametrize("body", [b"{", b"[]", b'"x"', b"null", b'{"region": "us-east",}'])
def test_malformed_body(instant, body):
    before = count_linodes(instant)
    r = instant.post("/linode/instances", data=body, headers={"Content-Type": "application/json"})
    assert_error(r, 400)
    assert count_linodes(instant) == before


def test_create_leaves_a_linode_create_event(instant):
    linode = create_from_image(instant)
    event = wait_event(instant, linode["id"], "linode_create")
    assert event["entity"] == {"id": linode["id"], "label": linode["label"], "type": "linode",
                               "url": f"/v4/linode/instances/{linode['id']}"}
    assert event["secondary_entity"]["id"] == IMAGE
    assert event["percent_complete"] == 100 and event["duration"] is not None


# --- GET, list and filters -------------------------------------------------------------------------

def test_get_unknown_linode_is_404(instant):
    for path in ("/linode/instances/99999999", "/linode/instances/abc", "/linode/instances/0",
                 "/linode/instances/-1"):
        assert_error(instant.get(path), 404)


@pytest.fixture(scope="module")
def family(instant):
    """Three Linodes that differ in region, image, group, tags and addresses."""
    tag = unique_label("fam")
    a = create_from_image(instant, region="us-east", group="g-a", tags=[tag, tag + "-a"],
                          label=unique_label("fa"))
    b = create_from_image(instant, region="eu-west", image="linode/ubuntu24.04", group="g-b",
                          tags=[tag], label=unique_label("fb"))
    c = create_linode(instant, wait="offline", region="eu-west", group="g-a", tags=[tag + "-c"],
                      label=unique_label("fc"))
    return tag, a, b, c


def listed(srv, flt):
    r = srv.get("/linode/instances", filter=flt)
    assert r.status_code == 200, f"{flt}: {r.status_code} {r.text}"
    return sorted(x["id"] for x in srv.get_all("/linode/instances", filter=flt))


def test_list_contains_created_linodes(instant, family):
    _, a, b, c = family
    everything = {x["id"]: x for x in instant.get_all("/linode/instances")}
    for linode in (a, b, c):
        assert everything[linode["id"]]["label"] == linode["label"]
        assert everything[linode["id"]] == get_linode(instant, linode["id"])
    r = instant.get("/linode/instances")
    assert r.json()["results"] == len(everything)


def test_list_filters(instant, family):
    tag, a, b, c = family
    mine = [a["id"], b["id"], c["id"]]

    def only_mine(flt):
        return [i for i in listed(instant, flt) if i in mine]

    assert listed(instant, {"id": a["id"]}) == [a["id"]]
    assert listed(instant, {"label": b["label"]}) == [b["id"]]
    assert only_mine({"region": "eu-west"}) == sorted([b["id"], c["id"]])
    assert only_mine({"image": IMAGE}) == [a["id"]]
    assert only_mine({"image": "linode/ubuntu24.04"}) == [b["id"]]
    assert only_mine({"group": "g-a"}) == sorted([a["id"], c["id"]])
    assert listed(instant, {"tags": tag}) == sorted([a["id"], b["id"]])
    assert listed(instant, {"tags": tag + "-c"}) == [c["id"]]
    assert listed(instant, {"ipv4": a["ipv4"][0]}) == [a["id"]]
    assert listed(instant, {"+or": [{"label": a["label"]}, {"label": c["label"]}]}) == sorted(
        [a["id"], c["id"]])
    assert listed(instant, {"label": {"+contains": c["label"][3:]}}) == [c["id"]]
    assert listed(instant, {"tags": tag, "region": "us-east"}) == [a["id"]]
    assert only_mine({"id": {"+gte": a["id"]}, "region": {"+neq": "us-east"}}) == sorted(
        [b["id"], c["id"]])


def test_list_order_and_paging(instant, family):
    desc = instant.get_all("/linode/instances", filter={"+order_by": "id", "+order": "desc"})
    assert [x["id"] for x in desc] == sorted((x["id"] for x in desc), reverse=True)
    by_label = instant.get_all("/linode/instances", filter={"+order_by": "label"})
    assert [x["label"] for x in by_label] == sorted(x["label"] for x in by_label)
    total = len(desc)
    r = instant.get("/linode/instances", params={"page_size": 25, "page": 1})
    assert r.json()["pages"] == -(-total // 25) and len(r.json()["data"]) == min(25, total)


@pytest.mark.parametrize("field", ["status", "type", "created", "specs.disk", "hypervisor"])
def test_unfilterable_fields(instant, field):
    assert_error(instant.get("/linode/instances", filter={field: "x"}), 400, field="X-Filter")


@pytest.mark.parametrize("flt", ["{", "[]", '{"id": {"+gt": "x"}}', '{"+order_by": "status"}',
                                 '{"label": {"+like": "x"}}'])
def test_bad_filters(instant, flt):
    assert_error(instant.get("/linode/instances", filter=flt), 400, field="X-Filter")


# --- PUT -------------------------------------------------------------------------------------------

def test_put_updates_fields(instant):
    linode = create_from_image(instant)
    new_label = unique_label("renamed")
    body = {"label": new_label, "tags": ["t-put-1", "t-put-2"], "group": "updated",
            "watchdog_enabled": False,
            "alerts": {"cpu": 150, "network_in": 5, "network_out": 6, "transfer_quota": 70, "io": 8000},
            "backups": {"schedule": {"day": "Tuesday", "window": "W10"}}}
    r = instant.put(f"/linode/instances/{linode['id']}", json=body)
    assert r.status_code == 200, r.text
    for doc in (r.json(), get_linode(instant, linode["id"])):
        assert doc["label"] == new_label and doc["tags"] == ["t-put-1", "t-put-2"]
        assert doc["group"] == "updated" and doc["watchdog_enabled"] is False
        assert doc["alerts"] == body["alerts"]
        assert doc["backups"]["schedule"] == {"day": "Tuesday", "window": "W10"}
        assert (doc["region"], doc["type"], doc["status"]) == ("us-east", "g6-nanode-1", "running")
    event = wait_event(instant, linode["id"], "linode_update", status="notification")
    assert event["entity"]["label"] == new_label


def test_put_partial_alerts_keep_the_others(instant):
    linode = create_linode(instant)
    r = instant.put(f"/linode/instances/{linode['id']}", json={"alerts": {"io": 1234}})
    assert r.status_code == 200, r.text
    assert r.json()["alerts"] == dict(linode["alerts"], io=1234)
    r = instant.put(f"/linode/instances/{linode['id']}", json={"label": linode["label"]})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("body,field", [
    ({"label": "bad label"}, "label"), ({"label": "a--b"}, "label"), ({"label": "ab"}, "label"),
    ({"label": 5}, "label"), ({"tags": "x"}, "tags"), ({"group": 3}, "group"),
    ({"watchdog_enabled": "no"}, "watchdog_enabled"), ({"alerts": 5}, "alerts"),
    ({"alerts": {"cpu": -1}}, "alerts.cpu"), ({"alerts": {"cpu": "high"}}, "alerts.cpu"),
    ({"alerts": {"foo": 1}}, "alerts.foo"), ({"backups": {"schedule": {"day": "Funday"}}},
                                            "backups.schedule.day"),
    ({"backups": {"schedule": {"window": "W3"}}}, "backups.schedule.window"),
    ({"backups": {"schedule": {"window": "W24"}}}, "backups.schedule.window"),
    ({"backups": "daily"}, "backups"),
])
def test_put_validation(instant, body, field):
    linode = create_linode(instant)
    assert_error(instant.put(f"/linode/instances/{linode['id']}", json=body), 400, field=field)
    after = get_linode(instant, linode["id"])
    assert {k: after[k] for k in ("label", "tags", "group", "alerts", "backups", "watchdog_enabled")} == \
        {k: linode[k] for k in ("label", "tags", "group", "alerts", "backups", "watchdog_enabled")}


def test_put_duplicate_label(instant):
    first = create_linode(instant)
    second = create_linode(instant)
    r = instant.put(f"/linode/instances/{second['id']}", json={"label": first["label"]})
    assert_error(r, 400, field="label", reason="Label must be unique among your Linodes")
    assert get_linode(instant, second["id"])["label"] == second["label"]


def test_put_unknown_linode(instant):
    assert_error(instant.put("/linode/instances/99999999", json={"label": "whatever"}), 404)


# --- DELETE ----------------------------------------------------------------------------------------

def test_delete_shows_deleting_then_404(sim):
    linode = create_from_image(sim)
    r = sim.delete(f"/linode/instances/{linode['id']}")
    assert r.status_code == 200 and r.json() == {}, r.text
    assert get_linode(sim, linode["id"])["status"] == "deleting"
    assert_busy(sim.post(f"/linode/instances/{linode['id']}/reboot"))
    wait_gone(sim, linode["id"])
    assert linode["id"] not in [x["id"] for x in sim.get_all("/linode/instances")]
    assert_error(sim.get(f"/linode/instances/{linode['id']}/disks"), 404)
    assert_error(sim.get(f"/networking/ips/{linode['ipv4'][0]}"), 404)
    assert_error(sim.delete(f"/linode/instances/{linode['id']}"), 404)
    event = wait_event(sim, linode["id"], "linode_delete")
    assert event["percent_complete"] == 100


def test_delete_while_provisioning_fails_the_create(sim):
    linode = create_from_image(sim, wait=None)
    assert sim.delete(f"/linode/instances/{linode['id']}").status_code == 200
    wait_gone(sim, linode["id"])
    assert wait_event(sim, linode["id"], "linode_create", status="failed")["status"] == "failed"
    wait_event(sim, linode["id"], "linode_delete")


def test_deleted_label_is_free_again(instant):
    linode = create_linode(instant, wait="offline")
    assert instant.delete(f"/linode/instances/{linode['id']}").status_code == 200
    wait_gone(instant, linode["id"])
    again = create_linode(instant, label=linode["label"])
    assert again["id"] != linode["id"]


def test_deleted_addresses_are_free_again(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0", "LINNET_IPV4_POOL": "10.77.0.0/30"})
    first = create_linode(srv, wait="offline")
    second = create_linode(srv, wait="offline")
    pool = {first["ipv4"][0], second["ipv4"][0]}
    assert pool == {"10.77.0.2", "10.77.0.3"}
    before = count_linodes(srv)
    assert_error(srv.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1"}), 400)
    assert count_linodes(srv) == before
    assert srv.delete(f"/linode/instances/{first['id']}").status_code == 200
    wait_gone(srv, first["id"])
    third = create_linode(srv, wait="offline")
    assert third["ipv4"] == first["ipv4"]
    ips = [x["address"] for x in srv.get_all("/networking/ips") if ":" not in x["address"]]
    assert sorted(ips) == ["10.77.0.2", "10.77.0.3"]


# --- scopes ----------------------------------------------------------------------------------------

def test_read_only_token_lists_but_cannot_write(instant):
    linode = create_linode(instant)
    tok = instant.make_token("linodes:read_only")
    assert instant.get("/linode/instances", token=tok).status_code == 200
    assert instant.get(f"/linode/instances/{linode['id']}", token=tok).status_code == 200
    before = count_linodes(instant)
    writes = [("POST", "/linode/instances", {"region": "us-east", "type": "g6-nanode-1"}),
              ("PUT", f"/linode/instances/{linode['id']}", {"label": unique_label()}),
              ("DELETE", f"/linode/instances/{linode['id']}", None),
              ("POST", f"/linode/instances/{linode['id']}/boot", {}),
              ("POST", f"/linode/instances/{linode['id']}/disks", {"size": 100})]
    for method, path, body in writes:
        r = instant.request(method, path, token=tok, json=body)
        assert_error(r, 401, reason=NOT_AUTHORIZED)
        assert r.headers.get("X-Accepted-OAuth-Scopes") == "linodes:read_write", (method, path)
    assert count_linodes(instant) == before
    assert get_linode(instant, linode["id"])["label"] == linode["label"]


def test_other_scopes_cannot_read_linodes(instant):
    tok = instant.make_token("account:read_write")
    r = instant.get("/linode/instances", token=tok)
    assert_error(r, 401, reason=NOT_AUTHORIZED)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "linodes:read_only"
    assert_error(instant.get("/linode/instances", token=None), 401)

