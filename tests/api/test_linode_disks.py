"""A Linode's disks: list, create (empty or from an image, "not ready" then "ready"), relabel,
delete, resize, clone and password reset, with the plan's free space, statuses and events."""
import pytest

from support import (IMAGE, ROOT_PASS, assert_error, assert_list, create_from_image,
                     create_linode, get_linode, linode_events, load_catalog, wait_event,
                     wait_until)

PLAN = {t["id"]: t["disk"] for t in load_catalog("types")}
NANODE = PLAN["g6-nanode-1"]


def base(linode):
    return f"/linode/instances/{linode['id']}/disks"


def new_disk(srv, linode, **body):
    r = srv.post(base(linode), json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def get_disk(srv, linode, disk_id):
    r = srv.get(f"{base(linode)}/{disk_id}")
    assert r.status_code == 200, r.text
    return r.json()


def wait_ready(srv, linode, disk_id):
    return wait_until(lambda: (d := get_disk(srv, linode, disk_id))["status"] == "ready" and d,
                      what=f"disk {disk_id} ready")


def wait_idle(srv, linode):
    """Every job of the Linode has ended (its events are finished or failed)."""
    wait_until(lambda: all(e["status"] in ("finished", "failed", "notification")
                           for e in linode_events(srv, linode["id"])), what="jobs to end")


@pytest.fixture
def empty(instant):
    """An offline Linode with no disks: the whole nanode plan is free."""
    return create_linode(instant, wait="offline")


def test_list_and_get(instant):
    linode = create_from_image(instant)
    disks = assert_list(instant.get(base(linode)), 2)
    for d in disks:
        assert set(d) >= {"id", "label", "status", "size", "filesystem", "created", "updated"}
        assert get_disk(instant, linode, d["id"]) == d
    filtered = instant.get_all(base(linode), filter={"filesystem": "swap"})
    assert [d["label"] for d in filtered] == ["512 MB Swap Image"]


def test_disk_of_another_linode_is_404(instant):
    a = create_from_image(instant)
    b = create_from_image(instant)
    disk = assert_list(instant.get(base(a)))[0]["id"]
    assert_error(instant.get(f"{base(b)}/{disk}"), 404)
    assert_error(instant.put(f"{base(b)}/{disk}", json={"label": "x"}), 404)
    assert_error(instant.delete(f"{base(b)}/{disk}"), 404)
    assert_error(instant.get(f"{base(a)}/99999999"), 404)
    assert_error(instant.get("/linode/instances/99999999/disks"), 404)


def test_new_disk_is_not_ready_then_ready(sim):
    linode = create_linode(sim, wait="offline")
    disk = new_disk(sim, linode, label="data", size=1024, filesystem="ext3")
    assert disk["status"] == "not ready"
    assert (disk["label"], disk["size"], disk["filesystem"]) == ("data", 1024, "ext3")
    ready = wait_ready(sim, linode, disk["id"])
    assert (ready["label"], ready["size"], ready["filesystem"]) == ("data", 1024, "ext3")
    event = wait_event(sim, linode["id"], "disk_create")
    assert event["percent_complete"] == 100 and event["duration"] is not None
    assert event["secondary_entity"]["id"] == disk["id"]


@pytest.mark.parametrize("fs", ["raw", "swap", "ext3", "ext4", "initrd"])
def test_every_filesystem(instant, empty, fs):
    disk = new_disk(instant, empty, label=f"fs-{fs}", size=100, filesystem=fs)
    assert wait_ready(instant, empty, disk["id"])["filesystem"] == fs


def test_default_filesystem_and_label(instant, empty):
    disk = new_disk(instant, empty, size=200)
    assert disk["filesystem"] == "ext4" and disk["label"]


def test_disk_from_image(instant, empty):
    disk = new_disk(instant, empty, label="root", size=4000, image=IMAGE, root_pass=ROOT_PASS)
    assert wait_ready(instant, empty, disk["id"])["filesystem"] == "ext4"


def test_whole_plan_fits_one_more_byte_does_not(instant, empty):
    assert_error(instant.post(base(empty), json={"label": "big", "size": NANODE + 1}), 400, field="size")
    disk = new_disk(instant, empty, label="all", size=NANODE)
    wait_ready(instant, empty, disk["id"])
    assert_error(instant.post(base(empty), json={"label": "more", "size": 1}), 400, field="size")
    full = create_from_image(instant)
    assert_error(instant.post(base(full), json={"label": "x", "size": 1}), 400, field="size")


@pytest.mark.parametrize("body,field", [
    ({"label": "nosize"}, "size"), ({"label": "zero", "size": 0}, "size"),
    ({"label": "neg", "size": -5}, "size"), ({"label": "str", "size": "100"}, "size"),
    ({"label": "fs", "size": 100, "filesystem": "ntfs"}, "filesystem"),
    ({"label": "x" * 49, "size": 100}, "label"), ({"label": 5, "size": 100}, "label"),
    ({"label": "img", "size": 4000, "image": IMAGE}, "root_pass"),
    ({"label": "img", "size": 4000, "image": IMAGE, "root_pass": "password123"}, "root_pass"),
    ({"label": "img", "size": 4000, "image": "linode/nosuchos", "root_pass": ROOT_PASS}, "image"),
    ({"label": "img", "size": 100, "image": IMAGE, "root_pass": ROOT_PASS}, "size"),
])
def test_create_validation(instant, empty, body, field):
    assert_error(instant.post(base(empty), json=body), 400, field=field)
    assert assert_list(instant.get(base(empty)), 0) == []


def test_relabel(instant, empty):
    disk = new_disk(instant, empty, label="before", size=100)
    wait_ready(instant, empty, disk["id"])
    r = instant.put(f"{base(empty)}/{disk['id']}", json={"label": "after"})
    assert r.status_code == 200 and r.json()["label"] == "after", r.text
    assert get_disk(instant, empty, disk["id"])["label"] == "after"
    event = wait_event(instant, empty["id"], "disk_update", status="notification")
    assert event["secondary_entity"]["label"] == "after"
    assert_error(instant.put(f"{base(empty)}/{disk['id']}", json={"label": "x" * 49}), 400, field="label")
    assert_error(instant.put(f"{base(empty)}/{disk['id']}", json={"label": 3}), 400, field="label")
    assert get_disk(instant, empty, disk["id"])["label"] == "after"


def test_delete(instant):
    linode = create_from_image(instant, wait="offline", booted=False)
    disks = assert_list(instant.get(base(linode)))
    swap = next(d for d in disks if d["filesystem"] == "swap")
    r = instant.delete(f"{base(linode)}/{swap['id']}")
    assert r.status_code == 200 and r.json() == {}, r.text
    wait_until(lambda: instant.get(f"{base(linode)}/{swap['id']}").status_code == 404, what="disk gone")
    event = wait_event(instant, linode["id"], "disk_delete")
    assert event["percent_complete"] == 100
    config = assert_list(instant.get(f"/linode/instances/{linode['id']}/configs"))[0]
    assert config["devices"]["sdb"] is None and config["devices"]["sda"] is not None
    new_disk(instant, linode, label="reuse", size=512)


def test_resize_needs_offline(instant):
    linode = create_from_image(instant)
    disk = assert_list(instant.get(base(linode)))[0]
    r = instant.post(f"{base(linode)}/{disk['id']}/resize", json={"size": 2000})
    assert_error(r, 400)
    assert get_disk(instant, linode, disk["id"])["size"] == disk["size"]


def test_resize(sim):
    linode = create_from_image(sim, wait="offline", booted=False)
    boot = next(d for d in assert_list(sim.get(base(linode))) if d["filesystem"] == "ext4")
    r = sim.post(f"{base(linode)}/{boot['id']}/resize", json={"size": 10000})
    assert r.status_code == 200 and r.json() == {}, r.text
    assert get_disk(sim, linode, boot["id"])["status"] == "not ready"
    assert wait_ready(sim, linode, boot["id"])["size"] == 10000
    event = wait_event(sim, linode["id"], "disk_resize")
    assert event["percent_complete"] == 100
    assert get_linode(sim, linode["id"])["status"] == "offline"


def test_resize_validation(instant):
    linode = create_from_image(instant, wait="offline", booted=False)
    boot = next(d for d in assert_list(instant.get(base(linode))) if d["filesystem"] == "ext4")
    path = f"{base(linode)}/{boot['id']}/resize"
    for body in [{}, {"size": 0}, {"size": boot["size"] + 1}, {"size": "big"}]:
        assert_error(instant.post(path, json=body), 400, field="size")
    assert get_disk(instant, linode, boot["id"]) == boot


def test_clone(instant, empty):
    disk = new_disk(instant, empty, label="orig", size=1000, filesystem="ext3")
    wait_ready(instant, empty, disk["id"])
    r = instant.post(f"{base(empty)}/{disk['id']}/clone")
    assert r.status_code == 200, r.text
    copy = r.json()
    assert copy["id"] != disk["id"] and "orig" in copy["label"]
    assert (copy["size"], copy["filesystem"]) == (1000, "ext3")
    wait_ready(instant, empty, copy["id"])
    event = wait_event(instant, empty["id"], "disk_duplicate")
    assert event["percent_complete"] == 100
    assert len(assert_list(instant.get(base(empty)))) == 2


def test_clone_without_space(instant, empty):
    disk = new_disk(instant, empty, label="most", size=NANODE - 100)
    wait_ready(instant, empty, disk["id"])
    assert_error(instant.post(f"{base(empty)}/{disk['id']}/clone"), 400)
    assert len(assert_list(instant.get(base(empty)))) == 1


def test_password(instant):
    linode = create_from_image(instant, wait="offline", booted=False)
    disks = assert_list(instant.get(base(linode)))
    boot = next(d for d in disks if d["filesystem"] == "ext4")
    swap = next(d for d in disks if d["filesystem"] == "swap")
    r = instant.post(f"{base(linode)}/{boot['id']}/password", json={"password": ROOT_PASS})
    assert r.status_code == 200 and r.json() == {}, r.text
    assert wait_event(instant, linode["id"], "password_reset")["percent_complete"] == 100
    for disk, body in [(boot, {}), (boot, {"password": "password123"}), (boot, {"password": "x"}),
                       (swap, {"password": ROOT_PASS})]:
        assert_error(instant.post(f"{base(linode)}/{disk['id']}/password", json=body), 400,
                     field="password")


def test_password_needs_offline(instant):
    linode = create_from_image(instant)
    boot = next(d for d in assert_list(instant.get(base(linode))) if d["filesystem"] == "ext4")
    r = instant.post(f"{base(linode)}/{boot['id']}/password", json={"password": ROOT_PASS})
    assert_error(r, 400)


def test_disk_events_name_the_linode(instant, empty):
    disk = new_disk(instant, empty, label="evt", size=100)
    wait_ready(instant, empty, disk["id"])
    instant.put(f"{base(empty)}/{disk['id']}", json={"label": "evt2"})
    instant.delete(f"{base(empty)}/{disk['id']}")
    wait_event(instant, empty["id"], "disk_delete")
    actions = [e["action"] for e in linode_events(instant, empty["id"])]
    assert actions == ["linode_create", "disk_create", "disk_update", "disk_delete"]
