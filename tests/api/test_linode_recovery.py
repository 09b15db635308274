"""Crash recovery: linnetd killed with SIGKILL while Linodes provision or run actions comes back on
the same data dir with every acknowledged Linode there and none stuck in a transient status."""
import signal
import time

from support import (IMAGE, ROOT_PASS, SETTLED, create_from_image, get_linode, linode_events,
                     unique_label, wait_until)

TRANSIENT = {"provisioning", "booting", "rebooting", "shutting_down", "rebuilding", "resizing",
             "migrating", "cloning", "deleting"}


def sigkill(srv):
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait(timeout=10)
    assert srv.proc.returncode == -signal.SIGKILL


def restart(spawn, tmp_path, token, scale):
    srv = spawn(tmp_path, env={"LINNET_SIM_SCALE": str(scale)})
    srv.token = token
    return srv


def settled(srv, linode_id):
    doc = get_linode(srv, linode_id)
    return doc if doc["status"] in SETTLED else None


def job_events_ended(srv, linode_id):
    events = [e for e in linode_events(srv, linode_id) if e["status"] != "notification"]
    return events if all(e["status"] in ("finished", "failed") for e in events) else None


def test_sigkill_while_provisioning(spawn, tmp_path):
    first = spawn(tmp_path, token_scopes="*", env={"LINNET_SIM_SCALE": "0.06"})
    started = time.monotonic()
    acknowledged = []
    for _ in range(10):
        r = first.post("/linode/instances", json={
            "region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
            "label": unique_label("crash")})
        assert r.status_code == 200, r.text
        acknowledged.append(r.json())
    statuses = {get_linode(first, d["id"])["status"] for d in acknowledged}
    assert statuses <= {"provisioning", "booting"}, statuses
    sigkill(first)
    assert time.monotonic() - started < 1.5, "the kill came too late to catch provisioning"

    second = restart(spawn, tmp_path, first.token, 0.06)
    for linode in acknowledged:
        doc = get_linode(second, linode["id"])
        assert doc["label"] == linode["label"] and doc["ipv4"] == linode["ipv4"]
    for linode in acknowledged:
        doc = wait_until(lambda: settled(second, linode["id"]), timeout=20,
                         what=f"linode {linode['id']} to settle after restart")
        create_events = wait_until(lambda: job_events_ended(second, linode["id"]), timeout=20,
                                   what=f"events of {linode['id']} to end")
        (create,) = [e for e in create_events if e["action"] == "linode_create"]
        if doc["status"] == "offline":
            assert create["status"] == "failed", (doc, create)
        else:
            assert doc["status"] == "running" and create["status"] == "finished", (doc, create)
            assert create["percent_complete"] == 100
    everything = second.get_all("/linode/instances")
    assert {x["id"] for x in everything} == {d["id"] for d in acknowledged}
    assert not {x["status"] for x in everything} & TRANSIENT
    disks = second.get(f"/linode/instances/{acknowledged[0]['id']}/disks").json()["data"]
    assert len(disks) == 2 and {d["status"] for d in disks} == {"ready"}


def test_sigkill_during_actions(spawn, tmp_path):
    first = spawn(tmp_path, token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    a, b, c, d = (create_from_image(first) for _ in range(4))
    assert first.terminate() == 0
    second = restart(spawn, tmp_path, first.token, 0.06)
    for linode, action, body in [(a, "reboot", {}), (b, "shutdown", {}),
                                 (d, "resize", {"type": "g6-standard-1"})]:
        r = second.post(f"/linode/instances/{linode['id']}/{action}", json=body)
        assert r.status_code == 200, r.text
    assert second.delete(f"/linode/instances/{c['id']}").status_code == 200
    sigkill(second)

    third = restart(spawn, tmp_path, first.token, 0.01)
    wait_until(lambda: third.get(f"/linode/instances/{c['id']}").status_code == 404, timeout=15,
               what="the deleted Linode to go")
    after = {x["id"]: wait_until(lambda x=x: settled(third, x["id"]), timeout=15,
                                 what=f"linode {x['id']} to settle") for x in (a, b, d)}
    for linode, action in [(a, "linode_reboot"), (b, "linode_shutdown"), (d, "linode_resize")]:
        events = wait_until(lambda: job_events_ended(third, linode["id"]), timeout=15,
                            what=f"events of {linode['id']} to end")
        (event,) = [e for e in events if e["action"] == action]
        if event["status"] == "finished":
            assert event["percent_complete"] == 100
    assert after[a["id"]]["status"] == "running"
    assert after[b["id"]]["status"] == "offline"
    assert after[d["id"]]["status"] == "running"
    assert after[d["id"]]["type"] in ("g6-nanode-1", "g6-standard-1")
    resize = [e for e in linode_events(third, d["id"]) if e["action"] == "linode_resize"][0]
    assert (after[d["id"]]["type"] == "g6-standard-1") == (resize["status"] == "finished")
    assert not {x["status"] for x in third.get_all("/linode/instances")} & TRANSIENT
