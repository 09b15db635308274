"""What a real Linode gets around it, on one boot: a StackScript deployed with it runs once at
its first boot as root, with its fields' values and the Linode's variables in its environment
and its output in /root/stackscript.log; its user data is run by cloud-init, and the Metadata
service answers the guest at 169.254.169.254; and Block Storage Volumes: a volume created attached to
the running Linode appears in the guest at the path the API reports, keeps what is written to it
across detach and attach, grows when resized, comes back after a reboot from the config, and its
clone and deletion act on its file; then an image captured from the running Linode's disk creates
a second Linode that boots with what the first had written; and a snapshot of the running Linode,
restored over it, takes it back to what it held then. Around it: a Cloud Firewall closing and
opening its port 22, and a NodeBalancer reaching its SSH at its private address."""
import base64
import json
import socket
import time
from pathlib import Path

from support import db_execute, wait_until
from test_qemu_linode import ssh, status, wait_status

PASSWORD = "v7c4x1z8b5n2m9q3"
GIB = 1 << 30


def volume(srv, volume_id):
    r = srv.get(f"/volumes/{volume_id}")
    assert r.status_code == 200, r.text
    return r.json()


def wait_volume(srv, volume_id, probe, what):
    return wait_until(lambda: probe(volume(srv, volume_id)), timeout=60, interval=0.5, what=what)


def finished(srv, volume_id, action):
    events = srv.get("/account/events", filter={"entity.id": volume_id, "entity.type": "volume",
                                                "action": action}).json()["data"]
    assert not events or events[0]["status"] != "failed", events[0]
    return bool(events) and events[0]["status"] == "finished"


def guest(ipv4, command):
    out = ssh(ipv4, command, password=PASSWORD, timeout=120)
    assert out.returncode == 0, f"{command}: {out.returncode} {out.stdout} {out.stderr}"
    return out.stdout.strip()


def wait_device(ipv4, path, present=True):
    test = f"test -b {path}" if present else f"test ! -e {path}"
    guest(ipv4, f"udevadm settle; for i in $(seq 60); do {test} && exit 0; sleep 0.5; done; "
                f"ls -l /dev/disk/by-id/ >&2; exit 1")


STACKSCRIPT = r"""#!/bin/bash
# <UDF name="greeting" label="Greeting" />
# <UDF name="colour" label="Colour" oneOf="red,blue" default="red" />
set -e
printf '%s|%s|%s|%s|%s\n' "$greeting" "$colour" "$LINODE_ID" "$LINODE_RAM" "$(id -u)" \
    > /root/stackscript-env
echo run >> /root/stackscript-runs
echo "first boot done"
"""


USER_DATA = """#cloud-config
write_files:
  - path: /root/cloud-init-file
    content: written by cloud-init
runcmd:
  - [sh, -c, "echo ran > /root/cloud-init-ran"]
"""

METADATA = ("T=$(curl -sf -X PUT -H 'Metadata-Token-Expiry-Seconds: 300' "
            "http://169.254.169.254/v1/token) && "
            "curl -sf -H \"Metadata-Token: $T\" -H 'Accept: application/json' "
            "http://169.254.169.254/v1/instance && echo && "
            "curl -sf -H \"Metadata-Token: $T\" http://169.254.169.254/v1/user-data")


def test_a_stackscript_and_volumes_in_a_running_linode(qemu_server, data_dir, shared_dir):
    srv = qemu_server
    r = srv.post("/linode/stackscripts", json={"label": "e2e-first-boot", "script": STACKSCRIPT,
                                               "images": ["linode/debian12"]})
    assert r.status_code == 200, r.text
    script = r.json()
    greeting = "it's a \"new\" day; $HOME stays"
    user_data = base64.b64encode(USER_DATA.encode()).decode()
    created = time.monotonic()
    r = srv.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                            "image": "linode/debian12", "root_pass": PASSWORD,
                                            "label": "e2e-volumes", "stackscript_id": script["id"],
                                            "stackscript_data": {"greeting": greeting},
                                            "metadata": {"user_data": user_data}})
    assert r.status_code == 200, r.text
    linode = r.json()
    ipv4 = linode["ipv4"][0]
    wait_status(srv, linode["id"], "running")
    # Running is the guest's word that SSH answers.
    print(f"\ncreate-to-SSH with cloud-init: {time.monotonic() - created:.1f} s")

    # cloud-init ran the user data (NoCloud seed) to its end.
    assert guest(ipv4, "cloud-init status --wait >/dev/null; cloud-init status") == "status: done"
    assert guest(ipv4, "cat /root/cloud-init-file") == "written by cloud-init"
    assert guest(ipv4, "cat /root/cloud-init-ran") == "ran"
    # The Metadata service, from inside the guest: a token, then the instance and user data.
    instance, served = guest(ipv4, METADATA).split("\n")
    assert json.loads(instance)["id"] == linode["id"]
    assert json.loads(instance)["label"] == "e2e-volumes"
    assert served == user_data

    # The StackScript ran once, as root, with its values; its output is in the guest's log.
    finished_script = ("for i in $(seq 240); do test -e /var/lib/linnet/stackscript.done && "
                       "! systemctl is-active -q linnet-stackscript && exit 0; sleep 0.5; done; "
                       "systemctl status linnet-stackscript >&2; exit 1")
    guest(ipv4, finished_script)
    assert guest(ipv4, "cat /root/stackscript-env") == \
        f"{greeting}|red|{linode['id']}|1024|0"
    assert guest(ipv4, "cat /root/stackscript.log") == "first boot done"
    assert guest(ipv4, "head -n 1 /root/StackScript") == "#!/bin/bash"
    # Its values were the job's for its run only: no finished job keeps them.
    jobs = db_execute(data_dir, "SELECT payload FROM jobs WHERE linode_id = ?", (linode["id"],))
    assert jobs and not any("stackscript" in row[0] or greeting in row[0] for row in jobs)

    # Created attached: plugged into the running Linode, at the path the API reports.
    started = time.monotonic()
    r = srv.post("/volumes", json={"label": "e2e-data", "size": 10, "linode_id": linode["id"]})
    assert r.status_code == 200, r.text
    vol = r.json()
    path = vol["filesystem_path"]
    assert path == "/dev/disk/by-id/scsi-0Linode_Volume_e2e-data"
    wait_until(lambda: finished(srv, vol["id"], "volume_create"), timeout=60, interval=0.5,
               what="volume_create")
    file = Path(shared_dir) / "volumes" / f"{vol['id']}.img"
    assert file.stat().st_size == 10 * GIB
    wait_device(ipv4, path)
    print(f"volume create attached, request to visible in the guest: "
          f"{time.monotonic() - started:.1f} s")
    assert guest(ipv4, f"blockdev --getsize64 {path}") == str(10 * GIB)
    guest(ipv4, f"mkfs.ext4 -q -F {path} && mount {path} /mnt && echo kept > /mnt/marker && "
                f"umount /mnt && sync")

    # Grown while attached: the guest sees the new size.
    assert srv.post(f"/volumes/{vol['id']}/resize", json={"size": 12}).status_code == 200
    wait_volume(srv, vol["id"], lambda v: v["status"] == "active", "resize")
    assert guest(ipv4, f"blockdev --getsize64 {path}") == str(12 * GIB)

    # Detached: gone from the guest; attached again: the data is there.
    assert srv.post(f"/volumes/{vol['id']}/detach").status_code == 200
    wait_volume(srv, vol["id"], lambda v: v["linode_id"] is None, "detach")
    wait_device(ipv4, path, present=False)
    started = time.monotonic()
    r = srv.post(f"/volumes/{vol['id']}/attach", json={"linode_id": linode["id"]})
    assert r.status_code == 200, r.text
    wait_until(lambda: finished(srv, vol["id"], "volume_attach"), timeout=60, interval=0.5,
               what="volume_attach")
    wait_device(ipv4, path)
    print(f"volume attach, request to visible in the guest: {time.monotonic() - started:.1f} s")
    assert guest(ipv4, f"mount {path} /mnt && cat /mnt/marker && umount /mnt") == "kept"

    # After a reboot the config gives the volume to the new VM.
    assert srv.post(f"/linode/instances/{linode['id']}/reboot").status_code == 200
    wait_until(lambda: status(srv, linode["id"]) == "rebooting", timeout=30, interval=0.2,
               what="rebooting")
    wait_status(srv, linode["id"], "running")
    wait_device(ipv4, path)
    assert guest(ipv4, f"mount {path} /mnt && cat /mnt/marker && umount /mnt") == "kept"
    # The StackScript ran at the first boot only.
    assert guest(ipv4, "cat /root/stackscript-runs") == "run"

    # What its host measured (sampled every 5 s here): CPU time, disk I/O and the SSH sessions'
    # traffic (counted by nft for the VM's cgroup) in its statistics and transfer.
    def measured():
        doc = srv.get(f"/linode/instances/{linode['id']}/stats").json()
        busy = any(v > 0 for _, v in doc["cpu"]) and any(v > 0 for _, v in doc["io"]["io"])
        talked = any(v > 0 for _, v in doc["netv4"]["in"]) and any(
            v > 0 for _, v in doc["netv4"]["out"])
        return doc if busy and talked else None
    doc = wait_until(measured, timeout=60, interval=2, what="measured statistics")
    assert all(0 <= v <= 100 for _, v in doc["cpu"]), doc["cpu"]
    assert srv.get(f"/linode/instances/{linode['id']}/transfer").json()["used"] > 0

    # A Cloud Firewall (nftables, matching the sockets of the VM's cgroup) closes port 22 of the
    # running Linode, a rule opens it again, and deleting the firewall leaves it open. (QEMU on
    # the host takes the connection: an open port answers within a millisecond or two.)
    def ssh_open():
        try:
            socket.create_connection((ipv4, 22), timeout=0.05).close()
            return True
        except OSError:
            return False
    assert ssh_open()
    started = time.monotonic()
    r = srv.post("/networking/firewalls", json={
        "label": "e2e-guard", "devices": {"linodes": [linode["id"]]},
        "rules": {"inbound_policy": "DROP", "outbound_policy": "ACCEPT"}})
    assert r.status_code == 200, r.text
    guard = r.json()
    wait_until(lambda: not ssh_open(), timeout=10, interval=0.01, what="port 22 closed")
    print(f"\nfirewall create to port 22 closed: {(time.monotonic() - started) * 1000:.0f} ms "
          "(probes wait 50 ms)")
    ssh_rule = {"action": "ACCEPT", "protocol": "TCP", "ports": "22",
                "addresses": {"ipv4": ["127.0.0.0/8"]}}
    started = time.monotonic()
    r = srv.put(f"/networking/firewalls/{guard['id']}/rules",
                json={"inbound_policy": "DROP", "inbound": [ssh_rule]})
    assert r.status_code == 200, r.text
    wait_until(ssh_open, timeout=10, interval=0.005, what="port 22 open")
    print(f"firewall rule change to enforced (port 22 open): "
          f"{(time.monotonic() - started) * 1000:.0f} ms")
    # Each probe that got through was a connection the guest's sshd still works through, and
    # past its MaxStartups it drops new ones at random: a session may need a few tries.
    def session_through():
        out = ssh(ipv4, "echo through", password=PASSWORD, timeout=60)
        return out.returncode == 0 and out.stdout.strip() == "through"
    wait_until(session_through, timeout=120, interval=2, what="an SSH session through the rule")
    assert srv.delete(f"/networking/firewalls/{guard['id']}").status_code == 200
    assert ssh_open()

    # A NodeBalancer (HAProxy) whose node is the Linode's private address reaches it at its
    # loopback forward: SSH's banner comes through a tcp port of the NodeBalancer.
    r = srv.post(f"/linode/instances/{linode['id']}/ips", json={"type": "ipv4", "public": False})
    assert r.status_code == 200, r.text
    private = r.json()["address"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        nb_port = s.getsockname()[1]
    r = srv.post("/nodebalancers", json={
        "region": linode["region"], "label": "e2e-ssh", "configs": [{
            "port": nb_port, "protocol": "tcp", "check": "connection", "check_interval": 3,
            "check_timeout": 2, "nodes": [{"label": "guest", "address": f"{private}:22"}]}]})
    assert r.status_code == 200, r.text
    nb = r.json()
    config = srv.get(f"/nodebalancers/{nb['id']}/configs").json()["data"][0]["id"]
    wait_until(lambda: srv.get(f"/nodebalancers/{nb['id']}/configs/{config}/nodes").json()[
        "data"][0]["status"] == "UP", timeout=30, interval=0.5, what="the guest's node UP")
    with socket.create_connection((nb["ipv4"], nb_port), timeout=10) as conn:
        assert conn.recv(64).startswith(b"SSH-2.0-"), "no SSH banner through the NodeBalancer"
    assert srv.get_all(f"/linode/instances/{linode['id']}/nodebalancers")[0]["id"] == nb["id"]
    assert srv.delete(f"/nodebalancers/{nb['id']}").status_code == 200

    # A clone copies the file; deleting it removes its file.
    r = srv.post(f"/volumes/{vol['id']}/clone", json={"label": "e2e-copy"})
    assert r.status_code == 200, r.text
    copy = r.json()
    wait_volume(srv, copy["id"], lambda v: v["status"] == "active", "clone")
    copied = Path(shared_dir) / "volumes" / f"{copy['id']}.img"
    assert copied.stat().st_size == 12 * GIB
    assert srv.delete(f"/volumes/{copy['id']}").status_code == 200
    wait_until(lambda: not copied.exists(), timeout=60, interval=0.5, what="clone's file gone")

    # Encryption is not offered by this driver: refused by name.
    r = srv.post("/volumes", json={"label": "e2e-secret", "region": "us-east",
                                   "encryption": "enabled"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "encryption", r.text

    # An image captured from the running Linode's disk (a point-in-time copy) creates a second
    # Linode that boots with what the first had written.
    guest(ipv4, "echo captured > /root/image-marker && sync")
    disks = srv.get(f"/linode/instances/{linode['id']}/disks").json()["data"]
    root = next(d for d in disks if d["filesystem"] == "ext4")
    started = time.monotonic()
    r = srv.post("/images", json={"disk_id": root["id"], "label": "e2e-golden"})
    assert r.status_code == 200, r.text
    golden = r.json()
    wait_until(lambda: srv.get(f"/images/{golden['id']}").json()["status"] == "available",
               timeout=600, interval=1, what="image captured")
    print(f"\nimage capture of a {root['size']} MB disk: {time.monotonic() - started:.1f} s")
    files = Path(shared_dir) / "images" / golden["id"]
    rootfs = files / "rootfs.raw"
    assert rootfs.stat().st_size == root["size"] << 20
    assert rootfs.stat().st_blocks * 512 < (root["size"] << 20) // 4  # sparse
    assert (files / "vmlinuz").exists() and (files / "initrd.img").exists()
    r = srv.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                            "image": golden["id"], "root_pass": PASSWORD,
                                            "label": "e2e-from-image"})
    assert r.status_code == 200, r.text
    second = r.json()
    wait_status(srv, second["id"], "running")
    second_ip = second["ipv4"][0]
    assert guest(second_ip, "cat /root/image-marker") == "captured"
    assert guest(second_ip, "hostname") == "e2e-from-image"
    # The StackScript ran on the first Linode's first boot only: not again from its image.
    assert guest(second_ip, "cat /root/stackscript-runs") == "run"
    assert srv.delete(f"/linode/instances/{second['id']}").status_code == 200

    # A snapshot of the running Linode, a file written after it, a restore over the Linode: once
    # booted again, the file is gone and what the snapshot held is there.
    lid = linode["id"]
    assert srv.post(f"/linode/instances/{lid}/backups/enable").status_code == 200
    started = time.monotonic()
    r = srv.post(f"/linode/instances/{lid}/backups", json={"label": "e2e-snap"})
    assert r.status_code == 200, r.text
    snap = r.json()

    def backup_status():
        return srv.get(f"/linode/instances/{lid}/backups/{snap['id']}").json()["status"]
    wait_until(lambda: backup_status() == "successful", timeout=600, interval=1, what="snapshot")
    print(f"snapshot of a {root['size']} MB disk (running): {time.monotonic() - started:.1f} s")
    folder = Path(shared_dir) / "backups" / str(lid) / str(snap["id"])
    copied = folder / f"disk-{root['id']}.raw"
    assert copied.stat().st_size == root["size"] << 20
    assert copied.stat().st_blocks * 512 < (root["size"] << 20) // 4  # sparse
    guest(ipv4, "echo later > /root/after-snapshot && sync")
    started = time.monotonic()
    r = srv.post(f"/linode/instances/{lid}/backups/{snap['id']}/restore",
                 json={"linode_id": lid, "overwrite": True})
    assert r.status_code == 200, r.text
    wait_status(srv, lid, "offline")
    print(f"restore of a {root['size']} MB disk: {time.monotonic() - started:.1f} s")
    assert srv.post(f"/linode/instances/{lid}/boot").status_code == 200
    wait_status(srv, lid, "running")
    assert guest(ipv4, "test -e /root/after-snapshot && echo present || echo gone") == "gone"
    assert guest(ipv4, "cat /root/image-marker") == "captured"
