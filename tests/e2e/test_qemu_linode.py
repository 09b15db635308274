"""A real Linode on the qemu driver: created through the API from linode/debian12, reached
with `ssh root@$ipv4` and its root password, shut down, booted, killed, and deleted."""
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from support import BIN, wait_until

PASSWORD = "q8w2k5m1z9x4c7v3"
BOOT = 400  # seconds: a boot under TCG on a busy CI machine


def ssh(address, command, timeout=60, password=PASSWORD):
    return subprocess.run(
        ["sshpass", "-p", password, "ssh", "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
         "-o", "ConnectTimeout=20", f"root@{address}", command],
        capture_output=True, text=True, timeout=timeout)


def status(srv, linode_id):
    r = srv.get(f"/linode/instances/{linode_id}")
    return r.json()["status"] if r.status_code == 200 else r.status_code


def wait_status(srv, linode_id, wanted, timeout=BOOT):
    wait_until(lambda: status(srv, linode_id) == wanted, timeout=timeout, interval=1,
               what=f"linode {linode_id} {wanted}")


def qemu_pid(data_dir, linode_id):
    path = Path(data_dir) / "linodes" / str(linode_id) / "qemu.pid"
    return int(path.read_text().strip()) if path.exists() else 0


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_a_linode_lives_and_dies(qemu_server, data_dir, pool):
    srv = qemu_server
    first_address = pool.rsplit(".", 1)[0] + ".2"
    # Something else holds port 443 on the address the Linode will get: its boot must say so.
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind((first_address, 443))
    holder.listen()
    # The caller's SSH key (/profile/sshkeys), installed through authorized_users.
    key = Path(data_dir) / "e2e_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    added = srv.post("/profile/sshkeys", json={"label": "e2e",
                                               "ssh_key": (key.with_suffix(".pub")).read_text()
                                               .strip()})
    assert added.status_code == 200, added.text
    me = srv.get("/profile").json()["username"]
    try:
        r = srv.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                                "image": "linode/debian12", "root_pass": PASSWORD,
                                                "label": "e2e-debian", "authorized_users": [me]})
        assert r.status_code == 200, r.text
        linode = r.json()
        assert linode["status"] == "provisioning"
        ipv4 = linode["ipv4"][0]
        assert ipv4 == first_address
        wait_status(srv, linode["id"], "running")
    finally:
        holder.close()

    events = srv.get("/account/events", filter={"entity.id": linode["id"],
                                                "action": "linode_create"}).json()["data"]
    assert events[0]["status"] == "finished"
    # The port is forwarded when the machine starts: the boot's own event says what failed.
    boots = srv.get("/account/events", filter={"entity.id": linode["id"],
                                               "action": "linode_boot"}).json()["data"]
    assert boots[0]["status"] == "finished"
    assert "443" in boots[0]["message"]
    log = (Path(data_dir) / "server.log").read_text()
    assert f"cannot forward port(s) 443 on {ipv4}" in log

    by_key = subprocess.run(
        ["ssh", "-i", str(key), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20",
         f"root@{ipv4}", "echo by-key"], capture_output=True, text=True, timeout=60)
    assert by_key.returncode == 0 and "by-key" in by_key.stdout, by_key.stderr
    out = ssh(ipv4, "cat /etc/os-release; hostname")
    assert out.returncode == 0, out.stderr
    assert 'VERSION_CODENAME=bookworm' in out.stdout and "Debian GNU/Linux 12" in out.stdout
    assert "e2e-debian" in out.stdout
    # The root filesystem fills the plan's disk less swap (25600 - 512 MB), and swap is on.
    out = ssh(ipv4, "df -m --output=size / | tail -1; swapon --show=SIZE --bytes --noheadings")
    size_mb, swap_bytes = out.stdout.split()
    assert int(size_mb) > 20000
    assert int(swap_bytes) > 500 * 1024 * 1024

    # Shut down: offline, and QEMU is gone.
    pid = qemu_pid(data_dir, linode["id"])
    assert alive(pid)
    assert srv.post(f"/linode/instances/{linode['id']}/shutdown").status_code == 200
    wait_status(srv, linode["id"], "offline", timeout=120)
    assert not alive(pid)

    # While it is off: a new root password and a bigger plan act on the disk files.
    new_password = "w7e4r1t9y3u6i2o8"
    r = srv.post(f"/linode/instances/{linode['id']}/password", json={"root_pass": new_password})
    assert r.status_code == 200, r.text
    wait_until(lambda: not srv.get("/account/events", filter={
        "entity.id": linode["id"], "action": "password_reset"}).json()["data"][0]["status"]
        in ("scheduled", "started"), timeout=120, interval=1, what="password reset")
    r = srv.post(f"/linode/instances/{linode['id']}/resize", json={"type": "g6-standard-1"})
    assert r.status_code == 200, r.text
    wait_status(srv, linode["id"], "offline", timeout=300)
    assert srv.get(f"/linode/instances/{linode['id']}").json()["type"] == "g6-standard-1"

    # Boot again: the same disk, grown, with the new password.
    assert srv.post(f"/linode/instances/{linode['id']}/boot").status_code == 200
    wait_status(srv, linode["id"], "running")
    assert ssh(ipv4, "true").returncode != 0, "the old password still works"
    out = ssh(ipv4, "df -m --output=size / | tail -1", password=new_password)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 45000  # g6-standard-1: 51200 MB less swap

    # The serial console is kept: `linnetd console ID` shows the boots.
    console = subprocess.run([BIN, "console", str(linode["id"]), "--data", str(data_dir)],
                             capture_output=True, text=True, timeout=30)
    assert console.returncode == 0 and console.stdout.count("linnet-ready") >= 2

    # linnetd restarts: the VM keeps running and is found again.
    assert srv.terminate(timeout=30) == 0
    srv.start(timeout=30)
    assert status(srv, linode["id"]) == "running"
    assert ssh(ipv4, "true", password=new_password).returncode == 0

    # QEMU killed behind Linnet's back: the Linode goes offline and an event says so.
    os.kill(qemu_pid(data_dir, linode["id"]), signal.SIGKILL)
    wait_status(srv, linode["id"], "offline", timeout=30)
    stopped = srv.get("/account/events", filter={"entity.id": linode["id"],
                                                 "action": "linode_shutdown"}).json()["data"]
    assert any("unexpectedly" in (e["message"] or "") for e in stopped)

    # Delete: the Linode and its disk files are gone.
    disks = list((Path(data_dir) / "linodes" / str(linode["id"])).glob("disk-*.img"))
    assert len(disks) == 2
    assert srv.delete(f"/linode/instances/{linode['id']}").status_code == 200
    wait_until(lambda: status(srv, linode["id"]) == 404, timeout=60, interval=0.5,
               what="linode deleted")
    assert not any(d.exists() for d in disks)
