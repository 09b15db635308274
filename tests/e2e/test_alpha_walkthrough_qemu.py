"""Walkthrough 1 of the 2016 announcement on the qemu driver, ssh step included: the shell
script of tests/api/walkthroughs creates and boots a Debian 8.1 (linode/debian12) Linode through
the alpha API, then `ssh root@$linode_ip` logs in with the root password it was given."""
import os
import re
import subprocess
from pathlib import Path

from test_qemu_linode import BOOT, ssh

SCRIPT = Path(__file__).resolve().parents[1] / "api" / "walkthroughs" / "alpha_shell.sh"


def test_walkthrough_1_with_ssh(qemu_server):
    env = dict(os.environ, LINNET=qemu_server.root, token=qemu_server.token,
               POLLS=str(BOOT), POLL_SECONDS="1")
    out = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True,
                         timeout=BOOT + 60)
    assert out.returncode == 0, out.stdout + out.stderr
    linode_id, ip = re.search(r"^linode (linode_\d+) ip (\S+)$", out.stdout, re.M).groups()
    try:
        login = ssh(ip, "cat /etc/os-release")
        assert login.returncode == 0, login.stderr
        assert "bookworm" in login.stdout
    finally:
        qemu_server.delete(f"/linodes/{linode_id}")
