"""/linode/instances/{id}/backups on the sim driver: enabling and cancelling the service (also
by default from the account's settings and on create), snapshots (one kept, the newest) with the
disks and configs they hold, automatic backups taken in the Linode's window, restoring to the
same Linode over its disks or to another one beside its disks, and the refusals on the way."""
import datetime

import pytest

from support import (ROOT_PASS, assert_error, create_from_image, create_linode, get_linode,
                     linode_events, restricted_user, put_grants, wait_status, wait_until)

FIELDS = {"id", "region", "type", "status", "available", "created", "updated", "finished",
          "label", "configs", "disks"}


def backups(srv, linode_id, **kw):
    r = srv.get(f"/linode/instances/{linode_id}/backups", **kw)
    assert r.status_code == 200, r.text
    return r.json()


def enable(srv, linode_id):
    r = srv.post(f"/linode/instances/{linode_id}/backups/enable")
    assert r.status_code == 200, r.text


def snapshot(srv, linode_id, label="snap"):
    r = srv.post(f"/linode/instances/{linode_id}/backups", json={"label": label})
    assert r.status_code == 200, r.text
    return r.json()


def wait_backup(srv, linode_id, backup_id, status="successful"):
    def probe():
        r = srv.get(f"/linode/instances/{linode_id}/backups/{backup_id}")
        return r.json() if r.status_code == 200 and r.json()["status"] == status else None
    return wait_until(probe, 20, what=f"backup {backup_id} {status}")


def settle(srv, linode_id):
    wait_until(lambda: not [e for e in linode_events(srv, linode_id)
                            if e["status"] in ("scheduled", "started")], 20, what="idle")


@pytest.fixture
def linode(sim):
    made = create_from_image(sim)
    settle(sim, made["id"])
    return made


def test_enable_and_cancel(sim, linode):
    lid = linode["id"]
    assert get_linode(sim, lid)["backups"]["enabled"] is False
    assert backups(sim, lid) == {"automatic": [], "snapshot": {"current": None,
                                                               "in_progress": None}}
    enable(sim, lid)
    state = get_linode(sim, lid)["backups"]
    assert state["enabled"] is True and state["available"] is True
    assert [e["action"] for e in linode_events(sim, lid, "backups_enable")] == ["backups_enable"]
    enable(sim, lid)  # already enabled: nothing changes
    assert len(linode_events(sim, lid, "backups_enable")) == 1
    assert sim.post(f"/linode/instances/{lid}/backups/cancel").status_code == 200
    assert get_linode(sim, lid)["backups"]["enabled"] is False
    assert linode_events(sim, lid, "backups_cancel")
    assert_error(sim.post(f"/linode/instances/{lid}/backups/cancel"), 400)


def test_snapshot_holds_the_disks_and_configs(sim, linode):
    lid = linode["id"]
    assert_error(sim.post(f"/linode/instances/{lid}/backups", json={"label": "x"}), 400)
    enable(sim, lid)
    assert_error(sim.post(f"/linode/instances/{lid}/backups", json={}), 400, "label")
    assert_error(sim.post(f"/linode/instances/{lid}/backups", json={"label": "x" * 256}), 400,
                 "label")
    first = snapshot(sim, lid, "before-upgrade")
    assert set(first) == FIELDS
    assert first["type"] == "snapshot" and first["status"] == "pending"
    assert first["label"] == "before-upgrade" and first["region"] == linode["region"]
    assert first["disks"] == [] and first["configs"] == [] and first["finished"] is None
    assert backups(sim, lid)["snapshot"]["in_progress"]["id"] == first["id"]
    # The Linode is busy while its disks are copied.
    assert_error(sim.post(f"/linode/instances/{lid}/backups", json={"label": "again"}), 400)
    done = wait_backup(sim, lid, first["id"])
    disks = sim.get_all(f"/linode/instances/{lid}/disks")
    configs = sim.get_all(f"/linode/instances/{lid}/configs")
    assert done["disks"] == [{"label": d["label"], "size": d["size"],
                              "filesystem": d["filesystem"]} for d in disks]
    assert done["configs"] == [c["label"] for c in configs]
    assert done["finished"] is not None
    state = backups(sim, lid)
    assert state["snapshot"] == {"current": done, "in_progress": None}
    assert get_linode(sim, lid)["backups"]["last_successful"] == done["finished"]
    events = linode_events(sim, lid, "linode_snapshot")
    assert events and events[0]["status"] == "finished"
    # A new snapshot replaces the old one once it is taken.
    second = wait_backup(sim, lid, snapshot(sim, lid, "after")["id"])
    assert backups(sim, lid)["snapshot"]["current"]["id"] == second["id"]
    assert_error(sim.get(f"/linode/instances/{lid}/backups/{first['id']}"), 404)
    # Cancelling deletes every backup.
    assert sim.post(f"/linode/instances/{lid}/backups/cancel").status_code == 200
    assert_error(sim.get(f"/linode/instances/{lid}/backups/{second['id']}"), 404)


def test_restore_over_the_same_linode(sim, linode):
    lid = linode["id"]
    enable(sim, lid)
    backup = wait_backup(sim, lid, snapshot(sim, lid)["id"])
    old_disks = {d["id"] for d in sim.get_all(f"/linode/instances/{lid}/disks")}
    # More room is needed without overwrite.
    assert_error(sim.post(f"/linode/instances/{lid}/backups/{backup['id']}/restore",
                          json={"linode_id": lid}), 400, "linode_id")
    r = sim.post(f"/linode/instances/{lid}/backups/{backup['id']}/restore",
                 json={"linode_id": lid, "overwrite": True})
    assert r.status_code == 200, r.text
    assert get_linode(sim, lid)["status"] == "restoring"
    wait_status(sim, lid, "offline", timeout=20)
    disks = sim.get_all(f"/linode/instances/{lid}/disks")
    assert {d["id"] for d in disks}.isdisjoint(old_disks)
    assert [(d["label"], d["size"], d["filesystem"]) for d in disks] == \
        [(d["label"], d["size"], d["filesystem"]) for d in backup["disks"]]
    assert all(d["status"] == "ready" for d in disks)
    configs = sim.get_all(f"/linode/instances/{lid}/configs")
    assert [c["label"] for c in configs] == backup["configs"]
    assert configs[0]["devices"]["sda"]["disk_id"] == disks[0]["id"]
    events = linode_events(sim, lid, "backups_restore")
    assert events and events[0]["status"] == "finished"
    # It boots from what was restored.
    assert sim.post(f"/linode/instances/{lid}/boot").status_code == 200
    wait_status(sim, lid, "running", timeout=20)


def test_restore_to_another_linode_beside_its_disks(sim, linode):
    lid = linode["id"]
    enable(sim, lid)
    backup = wait_backup(sim, lid, snapshot(sim, lid)["id"])
    target = create_linode(sim, region=linode["region"], type="g6-standard-2")
    wait_status(sim, target["id"], "offline", timeout=20)
    r = sim.post(f"/linode/instances/{lid}/backups/{backup['id']}/restore",
                 json={"linode_id": target["id"], "overwrite": False})
    assert r.status_code == 200, r.text
    wait_status(sim, target["id"], "offline", timeout=20)
    settle(sim, target["id"])
    assert [d["label"] for d in sim.get_all(f"/linode/instances/{target['id']}/disks")] == \
        [d["label"] for d in backup["disks"]]
    # Another region's Linode: refused; so is a backup not yet taken, and a missing Linode.
    elsewhere = create_linode(sim, region="eu-west", type="g6-standard-2")
    assert_error(sim.post(f"/linode/instances/{lid}/backups/{backup['id']}/restore",
                          json={"linode_id": elsewhere["id"]}), 400, "linode_id")
    assert_error(sim.post(f"/linode/instances/{lid}/backups/{backup['id']}/restore",
                          json={"linode_id": 99999999}), 400, "linode_id")
    assert_error(sim.post(f"/linode/instances/{lid}/backups/{backup['id']}/restore",
                          json={}), 400, "linode_id")
    pending = snapshot(sim, lid, "pending")
    assert_error(sim.post(f"/linode/instances/{lid}/backups/{pending['id']}/restore",
                          json={"linode_id": target["id"], "overwrite": True}), 400)
    # A backup of another Linode is not this one's.
    assert_error(sim.get(f"/linode/instances/{target['id']}/backups/{backup['id']}"), 404)


def test_backups_enabled_on_create_and_by_the_account(sim):
    made = create_from_image(sim, backups_enabled=True)
    assert made["backups"]["enabled"] is True
    assert sim.put("/account/settings", json={"backups_enabled": True}).status_code == 200
    try:
        assert create_from_image(sim)["backups"]["enabled"] is True
        assert create_from_image(sim, backups_enabled=False)["backups"]["enabled"] is False
    finally:
        assert sim.put("/account/settings", json={"backups_enabled": False}).status_code == 200
    assert create_from_image(sim)["backups"]["enabled"] is False


def test_automatic_backups_are_taken_in_the_window(sim, linode):
    lid = linode["id"]
    hour = datetime.datetime.now(datetime.timezone.utc).hour
    window = f"W{hour - hour % 2}"
    r = sim.put(f"/linode/instances/{lid}", json={"backups": {"schedule": {"window": window,
                                                                          "day": "Monday"}}})
    assert r.status_code == 200, r.text
    enable(sim, lid)
    # The window is open: the worker takes the day's backup within a few heartbeats.
    taken = wait_until(lambda: backups(sim, lid)["automatic"], 40, interval=0.5,
                       what="an automatic backup")
    assert taken[0]["type"] == "auto" and taken[0]["label"] is None
    done = wait_backup(sim, lid, taken[0]["id"])
    assert done["disks"]
    # One a day: none more in the same window.
    assert len(backups(sim, lid)["automatic"]) == 1


def test_restricted_users_need_read_write_on_the_linode(sim, linode):
    username, token = restricted_user(sim, "bk")
    lid = linode["id"]
    assert_error(sim.get(f"/linode/instances/{lid}/backups", token=token), 403)
    put_grants(sim, username, linode=[{"id": lid, "permissions": "read_only"}])
    assert backups(sim, lid, token=token)["automatic"] == []
    assert_error(sim.post(f"/linode/instances/{lid}/backups/enable", token=token), 403)
    read_only = sim.make_token("linodes:read_only")
    assert_error(sim.post(f"/linode/instances/{lid}/backups/enable", token=read_only), 401)
