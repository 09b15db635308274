"""Bridge networking, inside a network namespace this test makes: a Linode on a tap device of
a Linux bridge gets its pool address configured in its disk and answers SSH on it."""
import json
import os
import subprocess
import time

from support import BIN, create_token, free_port

PASSWORD = "q8w2k5m1z9x4c7v3"


def run(cmd, check=True, timeout=60):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check:
        assert out.returncode == 0, f"{cmd}: {out.stdout}{out.stderr}"
    return out


def test_bridge_mode_in_a_network_namespace(data_dir, image):
    ns = f"linnet-e2e-{os.getpid()}"
    inside = ["ip", "netns", "exec", ns]
    run(["ip", "netns", "add", ns])
    server = None
    try:
        run(inside + ["ip", "link", "set", "lo", "up"])
        run(inside + ["ip", "link", "add", "br-linnet", "type", "bridge"])
        run(inside + ["ip", "addr", "add", "10.77.0.1/24", "dev", "br-linnet"])
        run(inside + ["ip", "link", "set", "br-linnet", "up"])

        token = create_token(data_dir)
        port = free_port()
        log = open(data_dir / "bridge-server.log", "ab")
        server = subprocess.Popen(
            inside + [BIN, "serve", "--data", str(data_dir), "--listen", f"127.0.0.1:{port}",
                      "--driver", "qemu", "--network", "bridge", "--bridge", "br-linnet",
                      "--ipv4-pool", "10.77.0.0/24"],
            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, LINNET_RATE_LIMITS="off"))

        def api(method, path, body=None):
            cmd = inside + ["curl", "-s", "-X", method, "-H", f"Authorization: Bearer {token}",
                            "-H", "Content-Type: application/json",
                            f"http://127.0.0.1:{port}/v4{path}"]
            if body is not None:
                cmd += ["-d", json.dumps(body)]
            out = run(cmd, check=False)
            return json.loads(out.stdout) if out.stdout else None

        deadline = time.monotonic() + 30
        while run(inside + ["curl", "-sf", f"http://127.0.0.1:{port}/healthz"],
                  check=False).returncode != 0:
            assert time.monotonic() < deadline and server.poll() is None, "linnetd did not start"
            time.sleep(0.2)

        linode = api("POST", "/linode/instances", {"region": "us-east", "type": "g6-nanode-1",
                                                   "image": image, "root_pass": PASSWORD})
        assert linode["ipv4"] == ["10.77.0.2"], linode
        deadline = time.monotonic() + 400
        while api("GET", f"/linode/instances/{linode['id']}")["status"] != "running":
            assert time.monotonic() < deadline, "the Linode did not reach running"
            time.sleep(1)
        assert run(inside + ["ip", "link", "show", f"lnt{linode['id']}"]).returncode == 0

        out = run(inside + ["sshpass", "-p", PASSWORD, "ssh", "-o", "StrictHostKeyChecking=no",
                            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                            "-o", "ConnectTimeout=20", "root@10.77.0.2",
                            "ip -4 -o addr show; ip route"], check=False, timeout=90)
        assert out.returncode == 0, out.stderr
        assert "10.77.0.2/24" in out.stdout
        assert "default via 10.77.0.1" in out.stdout

        api("DELETE", f"/linode/instances/{linode['id']}")
        deadline = time.monotonic() + 60
        while "errors" not in (api("GET", f"/linode/instances/{linode['id']}") or {}):
            assert time.monotonic() < deadline, "the Linode was not deleted"
            time.sleep(0.5)
        assert run(inside + ["ip", "link", "show", f"lnt{linode['id']}"],
                   check=False).returncode != 0, "the tap device outlived its Linode"
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        run(["ip", "netns", "del", ns], check=False)
