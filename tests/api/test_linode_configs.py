"""Config profiles of a Linode: list, create, get, update, delete with every field checked, their
interfaces (public, vlan, vpc) and the linode_config_* events."""
import pytest

from support import (IMAGE, ROOT_PASS, assert_error, assert_list, create_from_image,
                     create_linode, linode_events, wait_event)

SLOTS = ("sda", "sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh")


def base(linode):
    return f"/linode/instances/{linode['id']}/configs"


@pytest.fixture
def linode(instant):
    return create_from_image(instant)


@pytest.fixture
def disks(instant, linode):
    return assert_list(instant.get(f"/linode/instances/{linode['id']}/disks"))


def new_config(srv, linode, **body):
    r = srv.post(base(linode), json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def test_default_profile_shape(instant, linode):
    (config,) = assert_list(instant.get(base(linode)), 1)
    assert set(config) >= {"id", "label", "kernel", "devices", "root_device", "run_level",
                           "virt_mode", "helpers", "memory_limit", "interfaces", "created", "updated"}
    assert set(config["devices"]) == set(SLOTS)
    assert config["root_device"] == "/dev/sda" and config["run_level"] == "default"
    assert config["virt_mode"] == "paravirt"
    assert set(config["helpers"]) >= {"updatedb_disabled", "distro", "modules_dep", "network",
                                      "devtmpfs_automount"}
    r = instant.get(f"{base(linode)}/{config['id']}")
    assert r.status_code == 200 and r.json() == config


def test_create_with_every_field(instant, linode, disks):
    body = {"label": "custom", "kernel": "linode/latest-64bit", "comments": "hello",
            "memory_limit": 512, "run_level": "single", "virt_mode": "fullvirt",
            "root_device": "/dev/sdb",
            "helpers": {"network": False, "distro": False},
            "devices": {"sda": {"disk_id": disks[1]["id"]}, "sdb": {"disk_id": disks[0]["id"]}}}
    config = new_config(instant, linode, **body)
    for key in ("label", "kernel", "comments", "memory_limit", "run_level", "virt_mode", "root_device"):
        assert config[key] == body[key], key
    assert config["helpers"]["network"] is False and config["helpers"]["distro"] is False
    assert config["helpers"]["modules_dep"] is True
    assert config["devices"]["sda"]["disk_id"] == disks[1]["id"]
    assert config["devices"]["sdb"]["disk_id"] == disks[0]["id"]
    assert config["devices"]["sdc"] is None
    assert instant.get(f"{base(linode)}/{config['id']}").json() == config
    assert len(assert_list(instant.get(base(linode)), 2)) == 2
    event = wait_event(instant, linode["id"], "linode_config_create", status="notification")
    assert event["secondary_entity"]["id"] == config["id"]


def test_create_defaults(instant, linode):
    config = new_config(instant, linode, label="minimal")
    assert config["kernel"] == "linode/latest-64bit"
    assert all(config["devices"][s] is None for s in SLOTS)


@pytest.mark.parametrize("body,field", [
    ({}, "label"), ({"label": ""}, "label"), ({"label": "x" * 49}, "label"),
    ({"label": "k", "kernel": "linode/nosuchkernel"}, "kernel"),
    ({"label": "r", "run_level": "multi"}, "run_level"),
    ({"label": "v", "virt_mode": "hvm"}, "virt_mode"),
    ({"label": "m", "memory_limit": -1}, "memory_limit"),
    ({"label": "h", "helpers": {"network": "yes"}}, "helpers.network"),
    ({"label": "h", "helpers": {"teleport": True}}, "helpers.teleport"),
    ({"label": "h", "helpers": []}, "helpers"),
    ({"label": "d", "devices": {"sdz": {"disk_id": 1}}}, "devices.sdz"),
    ({"label": "d", "devices": {"sda": {"disk_id": 99999999}}}, "devices.sda.disk_id"),
    ({"label": "d", "devices": {"sda": {"volume_id": 5}}}, "devices.sda.volume_id"),
    ({"label": "d", "devices": {"sda": "disk"}}, "devices.sda"),
    ({"label": "d", "devices": []}, "devices"),
    ({"label": "i", "interfaces": {"purpose": "public"}}, "interfaces"),
])
def test_create_validation(instant, linode, body, field):
    assert_error(instant.post(base(linode), json=body), 400, field=field)
    assert len(assert_list(instant.get(base(linode)))) == 1


def test_devices_must_be_this_linodes_disks(instant, linode):
    other = create_from_image(instant)
    foreign = assert_list(instant.get(f"/linode/instances/{other['id']}/disks"))[0]["id"]
    r = instant.post(base(linode), json={"label": "x", "devices": {"sda": {"disk_id": foreign}}})
    assert_error(r, 400, field="devices.sda.disk_id")


def test_update(instant, linode, disks):
    (config,) = assert_list(instant.get(base(linode)))
    body = {"label": "renamed", "kernel": "linode/grub2", "run_level": "binbash",
            "virt_mode": "fullvirt", "helpers": {"updatedb_disabled": False},
            "devices": {"sdb": None, "sdc": {"disk_id": disks[1]["id"]}}}
    r = instant.put(f"{base(linode)}/{config['id']}", json=body)
    assert r.status_code == 200, r.text
    got = instant.get(f"{base(linode)}/{config['id']}").json()
    assert r.json() == got
    assert (got["label"], got["kernel"], got["run_level"], got["virt_mode"]) == (
        "renamed", "linode/grub2", "binbash", "fullvirt")
    assert got["helpers"]["updatedb_disabled"] is False
    assert got["devices"]["sda"] == config["devices"]["sda"]
    assert got["devices"]["sdb"] is None and got["devices"]["sdc"]["disk_id"] == disks[1]["id"]
    wait_event(instant, linode["id"], "linode_config_update", status="notification")


@pytest.mark.parametrize("body,field", [
    ({"label": ""}, "label"), ({"kernel": "nope"}, "kernel"), ({"run_level": 1}, "run_level"),
    ({"devices": {"sda": {"disk_id": 99999999}}}, "devices.sda.disk_id"),
])
def test_update_validation(instant, linode, body, field):
    (config,) = assert_list(instant.get(base(linode)))
    assert_error(instant.put(f"{base(linode)}/{config['id']}", json=body), 400, field=field)
    assert instant.get(f"{base(linode)}/{config['id']}").json() == config


def test_delete(instant, linode):
    config = new_config(instant, linode, label="doomed")
    r = instant.delete(f"{base(linode)}/{config['id']}")
    assert r.status_code == 200 and r.json() == {}, r.text
    assert_error(instant.get(f"{base(linode)}/{config['id']}"), 404)
    assert_error(instant.delete(f"{base(linode)}/{config['id']}"), 404)
    assert len(assert_list(instant.get(base(linode)))) == 1
    wait_event(instant, linode["id"], "linode_config_delete", status="notification")
    actions = [e["action"] for e in linode_events(instant, linode["id"])]
    assert actions[-2:] == ["linode_config_create", "linode_config_delete"]


def test_config_of_another_linode_is_404(instant, linode):
    other = create_linode(instant)
    (config,) = assert_list(instant.get(base(linode)))
    assert_error(instant.get(f"{base(other)}/{config['id']}"), 404)
    assert_error(instant.put(f"{base(other)}/{config['id']}", json={"label": "x"}), 404)
    assert_error(instant.delete(f"{base(other)}/{config['id']}"), 404)
    assert_error(instant.get(f"{base(linode)}/99999999"), 404)


def test_filter_by_label(instant, linode):
    new_config(instant, linode, label="findme")
    got = instant.get_all(base(linode), filter={"label": "findme"})
    assert [c["label"] for c in got] == ["findme"]


# --- interfaces ------------------------------------------------------------------------------------

def interfaces(linode, config):
    return f"{base(linode)}/{config['id']}/interfaces"


@pytest.fixture
def config(instant, linode):
    return assert_list(instant.get(base(linode)))[0]


def test_interfaces_add_get_delete(instant, linode, config):
    r = instant.get(interfaces(linode, config))
    assert r.status_code == 200 and r.json() == [], r.text
    pub = instant.post(interfaces(linode, config), json={"purpose": "public"})
    assert pub.status_code == 200, pub.text
    vlan = instant.post(interfaces(linode, config), json={"purpose": "vlan", "label": "vlan-1"})
    assert vlan.status_code == 200, vlan.text
    pub, vlan = pub.json(), vlan.json()
    assert pub["purpose"] == "public" and pub["primary"] is True and pub["label"] is None
    assert vlan["purpose"] == "vlan" and vlan["label"] == "vlan-1" and vlan["primary"] is False
    assert pub["id"] != vlan["id"]
    listed = instant.get(interfaces(linode, config)).json()
    assert [i["id"] for i in listed] == [pub["id"], vlan["id"]]
    one = instant.get(f"{interfaces(linode, config)}/{vlan['id']}")
    assert one.status_code == 200 and one.json() == vlan
    assert instant.get(f"{base(linode)}/{config['id']}").json()["interfaces"] == listed
    r = instant.delete(f"{interfaces(linode, config)}/{vlan['id']}")
    assert r.status_code == 200 and r.json() == {}, r.text
    assert_error(instant.get(f"{interfaces(linode, config)}/{vlan['id']}"), 404)
    assert [i["id"] for i in instant.get(interfaces(linode, config)).json()] == [pub["id"]]
    assert_error(instant.delete(f"{interfaces(linode, config)}/{vlan['id']}"), 404)


def test_a_vpc_interface_needs_a_subnet_that_exists(instant, linode, config):
    assert_error(instant.post(interfaces(linode, config), json={"purpose": "vpc"}), 400,
                 field="subnet_id")
    assert_error(instant.post(interfaces(linode, config),
                              json={"purpose": "vpc", "subnet_id": 987654}),
                 400, field="subnet_id", reason="Subnet not found")


@pytest.mark.parametrize("body,field", [
    ({}, "purpose"), ({"purpose": "private"}, "purpose"), ({"purpose": 1}, "purpose"),
    ({"purpose": "vlan"}, "label"), ({"purpose": "vlan", "label": ""}, "label"),
    ({"purpose": "vlan", "label": "two--hyphens"}, "label"),
    ({"purpose": "vlan", "label": "sp ace"}, "label"), ({"purpose": "vlan", "label": 5}, "label"),
    ({"purpose": "vlan", "label": "v" * 65}, "label"),
    ({"purpose": "public", "label": "named"}, "label"),
    ({"purpose": "vlan", "label": "v1", "ipam_address": "10.0.0.1"}, "ipam_address"),
    ({"purpose": "vlan", "label": "v1", "ipam_address": "10.0.0.1/33"}, "ipam_address"),
    ({"purpose": "vlan", "label": "v1", "ipam_address": ["10.0.0.1/24"]}, "ipam_address"),
    ({"purpose": "public", "ipam_address": "10.0.0.1/24"}, "ipam_address"),
    ({"purpose": "vlan", "label": "v1", "primary": True}, "primary"),
    ({"purpose": "public", "primary": "yes"}, "primary"),
    ({"purpose": "public", "ipv4": {"vpc": "10.0.0.2"}}, "ipv4.vpc"),
    ({"purpose": "public", "ip_ranges": ["10.0.0.0/24"]}, "ip_ranges"),
    ({"purpose": "public", "colour": "red"}, "colour"),
])
def test_interface_validation(instant, linode, config, body, field):
    assert_error(instant.post(interfaces(linode, config), json=body), 400, field=field)
    assert instant.get(interfaces(linode, config)).json() == []


def test_interfaces_of_unknown_config_are_404(instant, linode):
    other = create_from_image(instant)
    (foreign,) = assert_list(instant.get(base(other)))
    assert_error(instant.get(interfaces(linode, foreign)), 404)
    assert_error(instant.post(interfaces(linode, foreign), json={"purpose": "public"}), 404)
    assert_error(instant.get(interfaces(linode, {"id": 99999999})), 404)


def test_at_most_three_interfaces(instant, linode, config):
    """The spec: "At least one and up to three Interface objects can exist in this array"."""
    for n in range(3):
        body = {"purpose": "vlan", "label": f"v{n}"}
        assert instant.post(interfaces(linode, config), json=body).status_code == 200
    assert_error(instant.post(interfaces(linode, config), json={"purpose": "vlan", "label": "v4"}), 400)
    assert len(instant.get(interfaces(linode, config)).json()) == 3


def test_adding_an_interface_is_a_config_update_event(instant, linode, config):
    """The spec: "A successful request triggers a linode_config_update event"."""
    before = len(linode_events(instant, linode["id"], "linode_config_update"))
    assert instant.post(interfaces(linode, config), json={"purpose": "public"}).status_code == 200
    assert len(linode_events(instant, linode["id"], "linode_config_update")) == before + 1


def test_root_pass_is_not_in_configs(instant, linode):
    for config in assert_list(instant.get(base(linode))):
        assert ROOT_PASS not in str(config)


def put_interfaces(srv, linode, config, value):
    return srv.put(f"{base(linode)}/{config['id']}", json={"interfaces": value})


@pytest.mark.parametrize("value,field", [
    ([1, {"id": "x"}], "interfaces[0]"),
    ([{"purpose": "public", "id": 9223372036854775807}, {"id": "x"}], "interfaces[1].purpose"),
    ([{"purpose": "public"}] * 4, "interfaces"),
    ([{"purpose": "public"}] * 30000, "interfaces"),
    ([{"purpose": "public"}, {"purpose": "public"}], "interfaces[1].purpose"),
    ([{"purpose": "public", "primary": True}, {"purpose": "vlan", "label": "a"},
      {"purpose": "vlan", "label": "a"}], "interfaces[2].label"),
    ([{"purpose": "vlan", "label": "a", "ipam_address": "10.0.0.1/24"},
      {"purpose": "vlan", "label": "b", "ipam_address": "10.0.0.1/24"}],
     "interfaces[1].ipam_address"),
    ("public", "interfaces"), ({"purpose": "public"}, "interfaces"),
])
def test_a_config_put_checks_every_interface(instant, linode, config, value, field):
    before = instant.get(f"{base(linode)}/{config['id']}").json()
    assert_error(put_interfaces(instant, linode, config, value), 400, field=field)
    assert instant.get(f"{base(linode)}/{config['id']}").json() == before


def test_a_config_put_numbers_interfaces_itself(instant, linode, config):
    sent = [{"purpose": "public", "id": 9223372036854775807, "active": True, "vpc_id": 5},
            {"purpose": "vlan", "label": "backend", "ipam_address": "10.0.0.1/24"}]
    r = put_interfaces(instant, linode, config, sent)
    assert r.status_code == 200, r.text
    got = r.json()["interfaces"]
    assert [i["purpose"] for i in got] == ["public", "vlan"]
    assert all(0 < i["id"] < 2**31 for i in got) and len({i["id"] for i in got}) == 2
    # `active` is whether the Linode runs this profile, whatever was sent.
    running = instant.get(f"/linode/instances/{linode['id']}").json()["status"] == "running"
    assert got[0]["active"] is (running and config["id"] == assert_list(
        instant.get(base(linode)))[0]["id"])
    assert got[0]["vpc_id"] is None and got[0]["label"] is None
    assert got[1]["label"] == "backend" and got[1]["ipam_address"] == "10.0.0.1/24"
    # What a GET answers, PUT back unchanged, is accepted and reads the same.
    again = put_interfaces(instant, linode, config, got)
    assert again.status_code == 200, again.text
    assert [(i["purpose"], i["label"]) for i in again.json()["interfaces"]] == \
        [(i["purpose"], i["label"]) for i in got]
    assert instant.get(interfaces(linode, config)).status_code == 200
    # A third one may be added; a fourth may not.
    third = instant.post(interfaces(linode, config), json={"purpose": "vlan", "label": "front"})
    assert third.status_code == 200, third.text
    assert_error(instant.post(interfaces(linode, config), json={"purpose": "vlan", "label": "x"}),
                 400, field="purpose")
    empty = put_interfaces(instant, linode, config, [])
    assert empty.status_code == 200 and empty.json()["interfaces"] == []


def test_an_added_interface_may_not_clash_with_the_others(instant, linode, config):
    assert instant.post(interfaces(linode, config), json={"purpose": "public"}).status_code == 200
    assert_error(instant.post(interfaces(linode, config), json={"purpose": "public"}), 400,
                 field="purpose")
    assert instant.post(interfaces(linode, config),
                        json={"purpose": "vlan", "label": "v1"}).status_code == 200
    assert_error(instant.post(interfaces(linode, config), json={"purpose": "vlan", "label": "v1"}),
                 400, field="label")


@pytest.mark.parametrize("value,field", [
    ([1], "interfaces[0]"), ([{"purpose": "public"}] * 4, "interfaces"),
    ([{"purpose": "vlan"}], "interfaces[0].label"),
])
def test_a_create_checks_interfaces(instant, value, field):
    r = instant.post("/linode/instances", json={
        "region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
        "interfaces": value})
    assert_error(r, 400, field=field)


def test_interface_update_makes_one_primary(instant, linode, config):
    pub = instant.post(interfaces(linode, config), json={"purpose": "public"}).json()
    vlan = instant.post(interfaces(linode, config),
                        json={"purpose": "vlan", "label": "vlan-up"}).json()
    assert pub["primary"] is True and vlan["primary"] is False
    assert_error(instant.put(f"{interfaces(linode, config)}/{vlan['id']}",
                             json={"primary": True}), 400, "primary")
    assert_error(instant.put(f"{interfaces(linode, config)}/{pub['id']}",
                             json={"ipv4": {"vpc": "10.0.0.2"}}), 400, "ipv4")
    assert_error(instant.put(f"{interfaces(linode, config)}/{pub['id']}",
                             json={"ip_ranges": ["10.0.0.0/24"]}), 400, "ip_ranges")
    assert_error(instant.put(f"{interfaces(linode, config)}/{pub['id']}",
                             json={"primary": "yes"}), 400, "primary")
    r = instant.put(f"{interfaces(linode, config)}/{pub['id']}", json={"primary": False})
    assert r.status_code == 200 and r.json()["primary"] is False, r.text
    r = instant.put(f"{interfaces(linode, config)}/{pub['id']}", json={"primary": True})
    assert r.json() == {**pub, "primary": True}
    assert [i["primary"] for i in instant.get(interfaces(linode, config)).json()] == [True, False]
    assert_error(instant.put(f"{interfaces(linode, config)}/999999", json={}), 404)
    assert linode_events(instant, linode["id"], "linode_config_update")


def test_interfaces_order(instant, config):
    offline = create_from_image(instant, wait="offline", booted=False)
    cfg = assert_list(instant.get(base(offline)))[0]
    made = [instant.post(interfaces(offline, cfg), json=body).json()
            for body in ({"purpose": "public"}, {"purpose": "vlan", "label": "a-vlan"},
                         {"purpose": "vlan", "label": "b-vlan"})]
    ids = [i["id"] for i in made]
    order = f"{interfaces(offline, cfg)}/order"
    for bad in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], ids + [999], "1,2,3", None):
        assert_error(instant.post(order, json={"ids": bad}), 400, "ids")
    r = instant.post(order, json={"ids": [ids[2], ids[0], ids[1]]})
    assert r.status_code == 200 and r.json() == {}, r.text
    assert [i["id"] for i in instant.get(interfaces(offline, cfg)).json()] == \
        [ids[2], ids[0], ids[1]]
    # A running Linode is shut down first.
    running = create_from_image(instant)
    rcfg = assert_list(instant.get(base(running)))[0]
    one = instant.post(interfaces(running, rcfg), json={"purpose": "public"}).json()
    assert_error(instant.post(f"{interfaces(running, rcfg)}/order", json={"ids": [one["id"]]}),
                 400)


def test_a_linodes_nodebalancers_are_none_yet(instant, linode):
    r = instant.get(f"/linode/instances/{linode['id']}/nodebalancers")
    assert r.status_code == 200, r.text
    assert r.json() == {"data": [], "page": 1, "pages": 1, "results": 0}
    assert_error(instant.get("/linode/instances/99999999/nodebalancers"), 404)
