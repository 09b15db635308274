"""Walkthrough 1 of the 2016 announcement (the shell one), run as written against linnetd with the
sim driver: create with 2016 ids, boot at once, watch the state reach "running"."""
import ipaddress
import os
import re
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parent / "walkthroughs" / "alpha_shell.sh"


def test_walkthrough_1_reaches_running(sim):
    env = dict(os.environ, LINNET=sim.root, token=sim.token)
    out = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "{}", lines  # the boot's answer
    states = [line.split()[1] for line in lines if line.startswith("state ")]
    assert states[-1] == "running", states
    assert set(states) <= {"provisioning", "booting", "running"}, states
    linode_id, ip = re.search(r"^linode (linode_\d+) ip (\S+)$", out.stdout, re.M).groups()
    ipaddress.IPv4Address(ip)
    # The same Linode, read back through the alpha and the modern API.
    alpha = sim.get(f"/linodes/{linode_id}").json()
    assert alpha["state"] == "running" and alpha["ip_addresses"]["public"]["ipv4"] == [ip]
    modern = sim.get(f"/linode/instances/{linode_id.split('_')[1]}").json()
    assert (modern["region"], modern["type"], modern["image"]) == \
        ("us-east", "g6-nanode-1", "linode/debian12")
    assert modern["status"] == "running" and modern["ipv4"][0] == ip
