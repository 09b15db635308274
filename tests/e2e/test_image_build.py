"""Images on the qemu driver: a build that fails leaves nothing registered, and a Linode created
while its image is being built waits in provisioning, then fails clearly if no image comes."""
import os
import subprocess
import time

from support import BIN, Server, wait_until


def image_row(srv):
    return srv.get("/images/linode/debian12", token=None).json()


def test_a_failed_build_registers_nothing(tmp_path):
    env = dict(os.environ, LINNET_DEBIAN_MIRROR="http://127.0.0.1:9/debian")
    out = subprocess.run([BIN, "image", "build", "debian12", "--data", str(tmp_path)],
                         capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode != 0
    assert "building linode/debian12 failed" in out.stderr
    image_dir = tmp_path / "images" / "linode" / "debian12"
    assert not (image_dir / "rootfs.raw").exists()
    assert not (image_dir / "building").exists()
    srv = Server(tmp_path).start()
    try:
        image = image_row(srv)
        assert image["status"] == "available" and image["size"] == 1800  # the catalog's row
    finally:
        srv.terminate()


def test_a_linode_waits_for_its_image(tmp_path):
    image_dir = tmp_path / "images" / "linode" / "debian12"
    image_dir.mkdir(parents=True)
    (image_dir / "building").write_text("building\n")
    srv = Server(tmp_path, env={"LINNET_DRIVER": "qemu", "LINNET_IPV4_POOL": "127.201.7.0/24"})
    srv.token = srv.make_token("*")
    srv.start(timeout=30)
    try:
        r = srv.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                "image": "linode/debian12",
                                                "root_pass": "q8w2k5m1z9x4c7v3"})
        assert r.status_code == 200, r.text
        linode_id = r.json()["id"]
        time.sleep(8)
        assert srv.get(f"/linode/instances/{linode_id}").json()["status"] == "provisioning"
        # The build goes away without an image: the create fails, and says why.
        (image_dir / "building").unlink()
        wait_until(lambda: srv.get(f"/linode/instances/{linode_id}").json()["status"] == "offline",
                   timeout=30, interval=0.5, what="create failed")
        event = srv.get("/account/events", filter={"entity.id": linode_id,
                                                   "action": "linode_create"}).json()["data"][0]
        assert event["status"] == "failed"
        assert "has not been built" in event["message"]
    finally:
        srv.terminate(timeout=30)
