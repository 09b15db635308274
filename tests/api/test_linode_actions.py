"""Linode actions (boot, reboot, shutdown, rebuild, resize, mutate, migrate, clone, rescue,
password): transient statuses, results, events, "Linode busy." and wrong-status refusals."""
import json

import pytest

from support import (IMAGE, ROOT_PASS, assert_busy, db_execute, assert_error, assert_list, create_from_image,
                     create_linode, get_linode, load_catalog, unique_label, wait_event,
                     wait_status, watch_statuses)

TYPES = {t["id"]: t for t in load_catalog("types")}
UBUNTU = "linode/ubuntu24.04"


def act(srv, linode_id, name, body=None):
    return srv.post(f"/linode/instances/{linode_id}/{name}", json=body if body is not None else {})


def ok(resp):
    assert resp.status_code == 200, f"{resp.status_code} {resp.text}"
    return resp.json()


def finished(srv, linode_id, action):
    """The action's event once finished: 100 % and a duration."""
    event = wait_event(srv, linode_id, action)
    assert event["percent_complete"] == 100, event
    assert isinstance(event["duration"], (int, float)) and event["duration"] >= 0, event
    assert event["entity"]["id"] == linode_id and event["entity"]["type"] == "linode", event
    return event


def disks_of(srv, linode_id):
    return assert_list(srv.get(f"/linode/instances/{linode_id}/disks"))


def configs_of(srv, linode_id):
    return assert_list(srv.get(f"/linode/instances/{linode_id}/configs"))


# --- boot, shutdown, reboot ------------------------------------------------------------------------

def test_shutdown_then_boot(sim):
    linode = create_from_image(sim)
    assert ok(act(sim, linode["id"], "shutdown")) == {}
    assert watch_statuses(sim, linode["id"], "offline") == ["shutting_down", "offline"]
    finished(sim, linode["id"], "linode_shutdown")
    assert ok(act(sim, linode["id"], "boot")) == {}
    assert watch_statuses(sim, linode["id"], "running") == ["booting", "running"]
    finished(sim, linode["id"], "linode_boot")


def test_reboot(sim):
    linode = create_from_image(sim)
    assert ok(act(sim, linode["id"], "reboot")) == {}
    assert watch_statuses(sim, linode["id"], "running") == ["rebooting", "running"]
    finished(sim, linode["id"], "linode_reboot")


def test_boot_with_config_id(sim):
    linode = create_from_image(sim, wait="offline", booted=False)
    other = create_from_image(sim, wait="offline", booted=False)
    other_config = configs_of(sim, other["id"])[0]["id"]
    assert_error(act(sim, linode["id"], "boot", {"config_id": other_config}), 400, field="config_id")
    assert_error(act(sim, linode["id"], "boot", {"config_id": "one"}), 400, field="config_id")
    assert get_linode(sim, linode["id"])["status"] == "offline"
    disk = disks_of(sim, linode["id"])[0]["id"]
    second = ok(sim.post(f"/linode/instances/{linode['id']}/configs",
                         json={"label": "second", "devices": {"sda": {"disk_id": disk}}}))
    ok(act(sim, linode["id"], "boot", {"config_id": second["id"]}))
    wait_status(sim, linode["id"], "running")
    finished(sim, linode["id"], "linode_boot")


def test_boot_without_a_config_is_refused(sim):
    linode = create_linode(sim, wait="offline")
    assert_error(act(sim, linode["id"], "boot"), 400)
    assert get_linode(sim, linode["id"])["status"] == "offline"


def test_wrong_status_is_400_and_changes_nothing(sim):
    running = create_from_image(sim)
    offline = create_from_image(sim, wait="offline", booted=False)
    for linode_id, name, body in [(offline["id"], "shutdown", {}),
                                  (running["id"], "boot", {}),
                                  (running["id"], "password", {"root_pass": ROOT_PASS})]:
        errors = assert_error(act(sim, linode_id, name, body), 400)
        assert errors != [{"reason": "Linode busy."}], (name, errors)
    assert get_linode(sim, running["id"])["status"] == "running"
    assert get_linode(sim, offline["id"])["status"] == "offline"


# --- busy ------------------------------------------------------------------------------------------

def test_busy_while_a_job_holds_the_linode(sim):
    linode = create_from_image(sim)
    target = create_linode(sim, wait="offline", type="g6-standard-2")
    ok(act(sim, linode["id"], "reboot"))
    lid = linode["id"]
    disk = disks_of(sim, lid)[0]["id"]
    attempts = [
        ("shutdown", {}), ("boot", {}), ("reboot", {}), ("rescue", {}),
        ("rebuild", {"image": IMAGE, "root_pass": ROOT_PASS}),
        ("resize", {"type": "g6-standard-1"}), ("migrate", {"region": "eu-west"}),
        ("clone", {"linode_id": target["id"]}), ("password", {"root_pass": ROOT_PASS}),
    ]
    for name, body in attempts:
        assert_busy(act(sim, lid, name, body))
    assert_busy(sim.delete(f"/linode/instances/{lid}/disks/{disk}"))
    assert_busy(sim.post(f"/linode/instances/{lid}/disks/{disk}/password",
                         json={"password": ROOT_PASS}))
    assert get_linode(sim, lid)["status"] == "rebooting"
    wait_status(sim, lid, "running")
    assert {d["status"] for d in disks_of(sim, lid)} == {"ready"}
    ok(act(sim, lid, "shutdown"))
    wait_status(sim, lid, "offline")


def test_disk_jobs_hold_the_linode_too(sim):
    linode = create_linode(sim, wait="offline")
    lid = linode["id"]
    ok(sim.post(f"/linode/instances/{lid}/disks", json={"label": "one", "size": 100}))
    assert_busy(sim.post(f"/linode/instances/{lid}/disks", json={"label": "two", "size": 100}))
    assert_busy(act(sim, lid, "resize", {"type": "g6-standard-1"}))
    assert_busy(act(sim, lid, "migrate", {"region": "eu-west"}))
    wait_event(sim, lid, "disk_create")
    assert [d["label"] for d in disks_of(sim, lid)] == ["one"]


def test_busy_while_provisioning(sim):
    linode = create_from_image(sim, wait=None)
    assert_busy(act(sim, linode["id"], "reboot"))
    assert_busy(act(sim, linode["id"], "shutdown"))
    assert_busy(act(sim, linode["id"], "resize", {"type": "g6-standard-1"}))
    wait_status(sim, linode["id"], "running")


# --- rebuild ---------------------------------------------------------------------------------------

def test_rebuild_replaces_disks(sim):
    linode = create_from_image(sim)
    old_disks = {d["id"] for d in disks_of(sim, linode["id"])}
    old_configs = {c["id"] for c in configs_of(sim, linode["id"])}
    doc = ok(act(sim, linode["id"], "rebuild", {"image": UBUNTU, "root_pass": ROOT_PASS}))
    assert doc["id"] == linode["id"] and doc["status"] == "rebuilding" and doc["image"] == UBUNTU
    assert watch_statuses(sim, linode["id"], "running") == ["rebuilding", "booting", "running"]
    disks = disks_of(sim, linode["id"])
    assert not {d["id"] for d in disks} & old_disks
    assert sorted(d["label"] for d in disks) == ["512 MB Swap Image", "Ubuntu 24.04 LTS Disk"]
    assert all(d["status"] == "ready" for d in disks)
    configs = configs_of(sim, linode["id"])
    assert len(configs) == 1 and configs[0]["id"] not in old_configs
    assert configs[0]["label"] == "My Ubuntu 24.04 LTS Disk Profile"
    assert get_linode(sim, linode["id"])["image"] == UBUNTU
    event = finished(sim, linode["id"], "linode_rebuild")
    assert event["secondary_entity"]["id"] == UBUNTU


def test_rebuild_offline_and_not_booted(sim):
    linode = create_from_image(sim, wait="offline", booted=False)
    ok(act(sim, linode["id"], "rebuild", {"image": IMAGE, "root_pass": ROOT_PASS, "booted": False}))
    assert watch_statuses(sim, linode["id"], ("offline", "running")) == ["rebuilding", "offline"]
    finished(sim, linode["id"], "linode_rebuild")


@pytest.mark.parametrize("body,field", [
    ({"root_pass": ROOT_PASS}, "image"), ({"image": IMAGE}, "root_pass"),
    ({"image": IMAGE, "root_pass": "password123"}, "root_pass"),
    ({"image": "linode/nosuchos", "root_pass": ROOT_PASS}, "image"),
    ({"image": IMAGE, "root_pass": ROOT_PASS, "booted": "yes"}, "booted"),
])
def test_rebuild_validation(instant, body, field):
    linode = create_from_image(instant)
    disks = disks_of(instant, linode["id"])
    assert_error(act(instant, linode["id"], "rebuild", body), 400, field=field)
    assert disks_of(instant, linode["id"]) == disks
    assert get_linode(instant, linode["id"])["status"] == "running"


# --- resize and mutate -----------------------------------------------------------------------------

def test_resize_running_linode(sim):
    linode = create_from_image(sim)
    ok(act(sim, linode["id"], "resize", {"type": "g6-standard-1"}))
    during = get_linode(sim, linode["id"])
    assert during["status"] == "resizing" and during["type"] == "g6-nanode-1"
    seen = watch_statuses(sim, linode["id"], "running")
    assert seen[0] == "resizing" and seen[-1] == "running"
    after = get_linode(sim, linode["id"])
    assert after["type"] == "g6-standard-1" and after["specs"]["disk"] == TYPES["g6-standard-1"]["disk"]
    assert after["specs"]["memory"] == TYPES["g6-standard-1"]["memory"]
    sizes = {d["filesystem"]: d["size"] for d in disks_of(sim, linode["id"])}
    assert sizes == {"ext4": TYPES["g6-standard-1"]["disk"] - 512, "swap": 512}
    finished(sim, linode["id"], "linode_resize")


def test_resize_offline_without_disk_resize(sim):
    linode = create_from_image(sim, wait="offline", booted=False)
    before = {d["id"]: d["size"] for d in disks_of(sim, linode["id"])}
    ok(act(sim, linode["id"], "resize", {"type": "g6-standard-2", "allow_auto_disk_resize": False}))
    assert watch_statuses(sim, linode["id"], ("offline", "running")) == ["resizing", "offline"]
    assert get_linode(sim, linode["id"])["type"] == "g6-standard-2"
    assert {d["id"]: d["size"] for d in disks_of(sim, linode["id"])} == before
    finished(sim, linode["id"], "linode_resize")


@pytest.mark.parametrize("body,field", [
    ({}, "type"), ({"type": "g6-nanode-1"}, "type"), ({"type": "g6-fake-plan"}, "type"),
    ({"type": 5}, "type"), ({"type": "g6-standard-1", "allow_auto_disk_resize": "no"},
                            "allow_auto_disk_resize"),
    ({"type": "g6-standard-1", "migration_type": "hot"}, "migration_type"),
])
def test_resize_validation(instant, body, field):
    linode = create_from_image(instant)
    assert_error(act(instant, linode["id"], "resize", body), 400, field=field)
    after = get_linode(instant, linode["id"])
    assert (after["status"], after["type"]) == ("running", "g6-nanode-1")


def test_resize_to_a_type_too_small_for_the_disks(instant):
    linode = create_from_image(instant, type="g6-standard-1")
    r = act(instant, linode["id"], "resize", {"type": "g6-nanode-1", "allow_auto_disk_resize": False})
    assert_error(r, 400)
    assert get_linode(instant, linode["id"])["type"] == "g6-standard-1"


def test_resize_down_when_swap_alone_exceeds_the_new_plan(instant):
    """Auto disk resize cannot help when the swap disk alone is larger than the new plan."""
    linode = create_from_image(instant, type="g6-standard-1", swap_size=30000)
    r = act(instant, linode["id"], "resize", {"type": "g6-nanode-1"})
    try:
        assert_error(r, 400)
    finally:
        wait_status(instant, linode["id"], ("running", "offline"))
        sizes = [d["size"] for d in disks_of(instant, linode["id"])]
        assert all(s > 0 for s in sizes), f"disk sizes after resize: {sizes}"
        assert sum(sizes) <= get_linode(instant, linode["id"])["specs"]["disk"], sizes


def test_mutate_without_successor_is_400(instant):
    linode = create_from_image(instant)
    assert_error(act(instant, linode["id"], "mutate"), 400)
    assert_error(act(instant, linode["id"], "mutate", {"allow_auto_disk_resize": "x"}), 400)
    assert get_linode(instant, linode["id"])["type"] == "g6-nanode-1"


def test_mutate_to_successor(spawn, tmp_path):
    """No catalog type has a successor, so this test adds one, g6-test-legacy-1 -> g6-standard-1,
    straight into the server's linode_types table before using it."""
    srv = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    legacy = dict(TYPES["g6-nanode-1"], id="g6-test-legacy-1", label="Legacy 1GB",
                  successor="g6-standard-1")
    db_execute(tmp_path, "INSERT INTO linode_types (id, sort, label, class, disk, memory, vcpus, "
               "gpus, network_out, transfer, doc) VALUES (?, 999, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (legacy["id"], legacy["label"], legacy["class"], legacy["disk"], legacy["memory"],
                legacy["vcpus"], legacy["gpus"], legacy["network_out"], legacy["transfer"],
                json.dumps(legacy)))
    linode = create_from_image(srv, type="g6-test-legacy-1")
    ok(act(srv, linode["id"], "mutate"))
    after = wait_status(srv, linode["id"], "running")
    event = finished(srv, linode["id"], "linode_mutate")
    assert event["action"] == "linode_mutate"
    assert after["type"] == "g6-standard-1"
    assert after["specs"]["disk"] == TYPES["g6-standard-1"]["disk"]


# --- migrate ---------------------------------------------------------------------------------------

def test_migrate_changes_region(sim):
    linode = create_from_image(sim)
    ok(act(sim, linode["id"], "migrate", {"region": "eu-west"}))
    during = get_linode(sim, linode["id"])
    assert during["status"] == "migrating" and during["region"] == "us-east"
    seen = watch_statuses(sim, linode["id"], "running")
    assert seen[0] == "migrating" and seen[-1] == "running"
    assert get_linode(sim, linode["id"])["region"] == "eu-west"
    ips = sim.get(f"/linode/instances/{linode['id']}/ips").json()
    assert ips["ipv4"]["public"][0]["region"] == "eu-west"
    finished(sim, linode["id"], "linode_migrate")


def test_migrate_without_region_stays_put(instant):
    linode = create_from_image(instant)
    ok(act(instant, linode["id"], "migrate"))
    finished(instant, linode["id"], "linode_migrate")
    after = wait_status(instant, linode["id"], "running")
    assert after["region"] == "us-east"


@pytest.mark.parametrize("body,field", [
    ({"region": "us-east"}, "region"), ({"region": "us-fakeregion"}, "region"),
    ({"region": 1}, "region"), ({"region": "eu-west", "type": "lukewarm"}, "type"),
    ({"region": "eu-west", "placement_group": {"id": 1}}, "placement_group"),
])
def test_migrate_validation(instant, body, field):
    linode = create_from_image(instant)
    assert_error(act(instant, linode["id"], "migrate", body), 400, field=field)
    after = get_linode(instant, linode["id"])
    assert (after["status"], after["region"]) == ("running", "us-east")


# --- clone -----------------------------------------------------------------------------------------

def test_clone_to_a_new_linode(sim):
    source = create_from_image(sim, tags=["cloned-tag"])
    label = unique_label("clone")
    target = ok(act(sim, source["id"], "clone",
                    {"region": "eu-west", "type": "g6-standard-1", "label": label}))
    assert target["id"] != source["id"] and target["label"] == label
    assert (target["region"], target["type"]) == ("eu-west", "g6-standard-1")
    assert target["status"] == "provisioning" and target["tags"] == ["cloned-tag"]
    assert get_linode(sim, source["id"])["status"] == "cloning"
    wait_status(sim, target["id"], "offline")
    wait_status(sim, source["id"], "running")
    src_disks, dst_disks = disks_of(sim, source["id"]), disks_of(sim, target["id"])
    assert [(d["label"], d["size"], d["filesystem"]) for d in dst_disks] == \
        [(d["label"], d["size"], d["filesystem"]) for d in src_disks]
    assert all(d["status"] == "ready" for d in dst_disks)
    assert not {d["id"] for d in src_disks} & {d["id"] for d in dst_disks}
    (src_config,), (dst_config,) = configs_of(sim, source["id"]), configs_of(sim, target["id"])
    assert dst_config["label"] == src_config["label"]
    remap = {s["id"]: d["id"] for s, d in zip(src_disks, dst_disks)}
    for slot in ("sda", "sdb"):
        assert dst_config["devices"][slot]["disk_id"] == remap[src_config["devices"][slot]["disk_id"]]
    event = finished(sim, source["id"], "linode_clone")
    assert event["secondary_entity"]["id"] == target["id"]
    assert len(target["ipv4"]) == 1 and target["ipv4"] != source["ipv4"]


def test_source_cannot_be_deleted_while_cloning(sim):
    source = create_from_image(sim)
    target = ok(act(sim, source["id"], "clone", {"region": "us-east", "type": "g6-nanode-1"}))
    assert_busy(sim.delete(f"/linode/instances/{source['id']}"))
    wait_status(sim, target["id"], "offline")
    wait_status(sim, source["id"], "running")
    assert sim.delete(f"/linode/instances/{source['id']}").status_code == 200


def test_clone_chosen_disks_and_configs(instant):
    source = create_from_image(instant)
    boot = next(d for d in disks_of(instant, source["id"]) if d["filesystem"] == "ext4")
    (config,) = configs_of(instant, source["id"])
    target = ok(act(instant, source["id"], "clone", {"region": "us-east", "type": "g6-nanode-1",
                                                     "disks": [boot["id"]], "configs": [config["id"]]}))
    wait_status(instant, target["id"], "offline")
    (disk,) = disks_of(instant, target["id"])
    assert (disk["label"], disk["size"]) == (boot["label"], boot["size"])
    (copied,) = configs_of(instant, target["id"])
    assert copied["devices"]["sda"]["disk_id"] == disk["id"] and copied["devices"]["sdb"] is None


def test_clone_onto_an_existing_linode(sim):
    source = create_from_image(sim)
    target = create_linode(sim, wait="offline", type="g6-standard-1")
    doc = ok(act(sim, source["id"], "clone", {"linode_id": target["id"]}))
    assert doc["id"] == target["id"]
    assert get_linode(sim, source["id"])["status"] == "cloning"
    wait_status(sim, target["id"], "offline")
    wait_status(sim, source["id"], "running")
    assert sorted(d["label"] for d in disks_of(sim, target["id"])) == [
        "512 MB Swap Image", "Debian 12 Disk"]
    finished(sim, source["id"], "linode_clone")


def test_clone_validation(instant):
    source = create_from_image(instant)
    running = create_from_image(instant)
    small = create_linode(instant, wait="offline", type="g7-highmem-1")
    create_linode(instant, wait="offline", label=source["label"] + "-taken")
    before = instant.get("/linode/instances").json()["results"]
    for body, field in [({}, None), ({"region": "eu-west"}, "type"), ({"type": "g6-standard-1"}, "region"),
                        ({"linode_id": source["id"]}, "linode_id"),
                        ({"linode_id": running["id"]}, None),
                        ({"linode_id": small["id"]}, "linode_id"),
                        ({"linode_id": 99999999}, None),
                        ({"region": "us-fakeregion", "type": "g6-standard-1"}, "region"),
                        ({"region": "eu-west", "type": "g6-fake"}, "type"),
                        ({"region": "eu-west", "type": "g6-standard-1", "label": "a--b"}, "label"),
                        ({"region": "eu-west", "type": "g6-standard-1",
                          "label": source["label"] + "-taken"}, "label"),
                        ({"region": "eu-west", "type": "g6-standard-1", "disks": [999999]}, "disks")]:
        r = act(instant, source["id"], "clone", body)
        assert r.status_code in (400, 404), f"{body}: {r.status_code} {r.text}"
        if field:
            assert_error(r, 400, field=field)
    assert instant.get("/linode/instances").json()["results"] == before
    assert get_linode(instant, source["id"])["status"] == "running"
    assert get_linode(instant, running["id"])["status"] == "running"
    assert get_linode(instant, small["id"])["status"] == "offline"


def test_clone_into_a_plan_too_small_for_the_disks(instant):
    source = create_from_image(instant, type="g6-standard-1")
    before = instant.get("/linode/instances").json()["results"]
    r = act(instant, source["id"], "clone", {"region": "us-east", "type": "g6-nanode-1"})
    assert_error(r, 400)
    assert instant.get("/linode/instances").json()["results"] == before


# --- rescue and password ---------------------------------------------------------------------------

def test_rescue(sim):
    linode = create_from_image(sim)
    disk = disks_of(sim, linode["id"])[0]["id"]
    ok(act(sim, linode["id"], "rescue", {"devices": {"sda": {"disk_id": disk}}}))
    seen = watch_statuses(sim, linode["id"], "running")
    assert seen[0] == "booting" and seen[-1] == "running"
    finished(sim, linode["id"], "linode_rescue")


def test_rescue_validation(instant):
    linode = create_from_image(instant)
    other = create_from_image(instant)
    foreign = disks_of(instant, other["id"])[0]["id"]
    own = disks_of(instant, linode["id"])[0]["id"]
    assert_error(act(instant, linode["id"], "rescue", {"devices": {"sdh": {"disk_id": own}}}), 400)
    assert_error(act(instant, linode["id"], "rescue", {"devices": {"sda": {"disk_id": foreign}}}), 400)
    assert_error(act(instant, linode["id"], "rescue", {"devices": "sda"}), 400, field="devices")
    assert get_linode(instant, linode["id"])["status"] == "running"


def test_password_reset(sim):
    linode = create_from_image(sim, wait="offline", booted=False)
    assert ok(act(sim, linode["id"], "password", {"root_pass": "An0ther-Str0ng-Pass"})) == {}
    finished(sim, linode["id"], "password_reset")
    assert get_linode(sim, linode["id"])["status"] == "offline"


@pytest.mark.parametrize("body", [{}, {"root_pass": "password123"}, {"root_pass": "short"},
                                  {"root_pass": 12345678}])
def test_password_validation(instant, body):
    linode = create_from_image(instant, wait="offline", booted=False)
    assert_error(act(instant, linode["id"], "password", body), 400, field="root_pass")


# --- unknown Linodes -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["boot", "reboot", "shutdown", "rebuild", "resize", "mutate",
                                  "migrate", "clone", "rescue", "password"])
def test_actions_on_unknown_linode_are_404(instant, name):
    assert_error(act(instant, 99999999, name), 404)
