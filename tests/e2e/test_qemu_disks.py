"""Operations on a real Linode's disk files: rebuild from the image (old files gone, new
password), clone to a bigger Linode that boots with the source's data, and empty disks created,
resized and deleted."""
from pathlib import Path

from support import wait_until
from test_qemu_linode import ssh, status, wait_status

FIRST = "q8w2k5m1z9x4c7v3"
SECOND = "m3n6b9v2c5x8z1a4"


def finished(srv, linode_id, action):
    events = srv.get("/account/events", filter={"entity.id": linode_id,
                                                "action": action}).json()["data"]
    return bool(events) and events[0]["status"] == "finished"


def test_rebuild_clone_and_disks_act_on_files(qemu_server, data_dir):
    srv = qemu_server
    r = srv.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                            "image": "linode/debian12", "root_pass": FIRST,
                                            "label": "e2e-files"})
    assert r.status_code == 200, r.text
    linode = r.json()
    ipv4 = linode["ipv4"][0]
    wait_status(srv, linode["id"], "running")
    assert ssh(ipv4, "echo kept > /root/marker && sync", password=FIRST).returncode == 0

    # Clone while off: the new Linode's disks are copies of these files.
    assert srv.post(f"/linode/instances/{linode['id']}/shutdown").status_code == 200
    wait_status(srv, linode["id"], "offline", timeout=120)
    r = srv.post(f"/linode/instances/{linode['id']}/clone",
                 json={"region": "us-east", "type": "g6-standard-1", "label": "e2e-clone"})
    assert r.status_code == 200, r.text
    clone = r.json()
    wait_until(lambda: finished(srv, linode["id"], "linode_clone"), timeout=300, interval=1,
               what="clone")
    assert status(srv, clone["id"]) == "offline"
    clone_dir = Path(data_dir) / "linodes" / str(clone["id"])
    assert len(list(clone_dir.glob("disk-*.img"))) == 2
    assert srv.post(f"/linode/instances/{clone['id']}/boot").status_code == 200
    wait_status(srv, clone["id"], "running")
    out = ssh(clone["ipv4"][0], "cat /root/marker", password=FIRST)
    assert out.returncode == 0 and out.stdout.strip() == "kept", out.stderr

    # Rebuild: new disks from the image, the old files gone, the new password in.
    old_files = set((Path(data_dir) / "linodes" / str(linode["id"])).glob("disk-*.img"))
    r = srv.post(f"/linode/instances/{linode['id']}/rebuild",
                 json={"image": "linode/debian12", "root_pass": SECOND})
    assert r.status_code == 200, r.text
    wait_status(srv, linode["id"], "running")
    new_files = set((Path(data_dir) / "linodes" / str(linode["id"])).glob("disk-*.img"))
    assert new_files and not (new_files & old_files)
    out = ssh(ipv4, "cat /root/marker 2>/dev/null || echo gone", password=SECOND)
    assert out.returncode == 0 and out.stdout.strip() == "gone", out.stderr

    # An empty ext4 disk: made, grown, deleted, all as files.
    assert srv.post(f"/linode/instances/{clone['id']}/shutdown").status_code == 200
    wait_status(srv, clone["id"], "offline", timeout=120)
    r = srv.post(f"/linode/instances/{clone['id']}/disks",
                 json={"label": "data", "size": 256, "filesystem": "ext4"})
    assert r.status_code == 200, r.text
    disk = r.json()
    wait_until(lambda: srv.get(f"/linode/instances/{clone['id']}/disks/{disk['id']}")
               .json()["status"] == "ready", timeout=60, interval=0.5, what="disk ready")
    path = clone_dir / f"disk-{disk['id']}.img"
    assert path.stat().st_size == 256 * 1024 * 1024
    r = srv.post(f"/linode/instances/{clone['id']}/disks/{disk['id']}/resize", json={"size": 512})
    assert r.status_code == 200, r.text
    wait_until(lambda: srv.get(f"/linode/instances/{clone['id']}/disks/{disk['id']}")
               .json()["size"] == 512, timeout=60, interval=0.5, what="disk resized")
    assert path.stat().st_size == 512 * 1024 * 1024
    assert srv.delete(f"/linode/instances/{clone['id']}/disks/{disk['id']}").status_code == 200
    wait_until(lambda: not path.exists(), timeout=60, interval=0.5, what="disk file deleted")

    for linode_id in (linode["id"], clone["id"]):
        assert srv.delete(f"/linode/instances/{linode_id}").status_code == 200

