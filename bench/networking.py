#!/usr/bin/python3
"""Networking benchmark: a NodeBalancer (HAProxy, on the qemu driver) in front of two nginx
nodes, against one node served directly, in the same run; and how long a DNS record takes from
its create request to being answered by the DNS server (Knot). Starts what it needs on free
127.0.0.1 ports in a temp folder, stops it all, prints a summary and appends it to
bench/results.md. Needs wrk, nginx-light, kdig (knot-dnsutils) and a built build/linnetd."""
import datetime
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
BIN = os.environ.get("LINNET_BIN", str(REPO / "build" / "linnetd"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "40"))
DURATION = os.environ.get("BENCH_DURATION", "8s")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(probe, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.05)
    sys.exit(f"timed out waiting for {what}")


def wrk(url):
    out = subprocess.run(["wrk", "-t1", "-c32", f"-d{DURATION}", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, pct(50), pct(99), int(errors.group(1)) if errors else 0


def main():
    for tool in ("wrk", "nginx", "kdig"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found (apt-get install wrk nginx-light knot-dnsutils)")
    tmp = Path(tempfile.mkdtemp(prefix="linnet-bench-net-"))
    procs = []
    try:
        # Two nginx nodes.
        nodes = [free_port(), free_port()]
        (tmp / "nginx").mkdir()
        servers = "".join(
            f"server {{ listen 127.0.0.1:{p}; access_log off; "
            f"location / {{ return 200 'node {i}\\n'; }} }}\n" for i, p in enumerate(nodes))
        (tmp / "nginx" / "nginx.conf").write_text(
            f"worker_processes 1; user root; pid {tmp}/nginx/nginx.pid; "
            f"error_log {tmp}/nginx/error.log; events {{}} http {{ {servers} }}\n")
        procs.append(subprocess.Popen(["nginx", "-p", str(tmp / "nginx"), "-c",
                                       str(tmp / "nginx" / "nginx.conf"), "-g", "daemon off;"]))
        wait(lambda: requests.get(f"http://127.0.0.1:{nodes[0]}/", timeout=1).ok, 10, "nginx")

        # linnetd on the qemu driver (no VM is booted) with its DNS server.
        port, dns = free_port(), free_port()
        pool = f"127.{random.randint(65, 250)}.{random.randint(0, 255)}.0/24"
        env = dict(os.environ, LINNET_DRIVER="qemu", LINNET_IPV4_POOL=pool,
                   LINNET_DNS_LISTEN=f"127.0.0.1:{dns}", LINNET_RATE_LIMITS="off")
        token = subprocess.run([BIN, "token", "create", "--data", str(tmp)], env=env,
                               capture_output=True, text=True, check=True).stdout.split()[-1]
        log = open(tmp / "linnetd.log", "w")
        procs.append(subprocess.Popen([BIN, "serve", "--data", str(tmp), "--listen",
                                       f"127.0.0.1:{port}"], env=env, stdout=log,
                                      stderr=subprocess.STDOUT))
        api = f"http://127.0.0.1:{port}/v4"
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        wait(lambda: requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok, 30,
             "linnetd")

        nb_port = free_port()
        nb = s.post(f"{api}/nodebalancers", json={"region": "us-east", "configs": [{
            "port": nb_port, "protocol": "http", "check": "connection", "check_interval": 5,
            "check_timeout": 2, "nodes": [{"label": f"node-{i}", "address": f"127.0.0.1:{p}"}
                                          for i, p in enumerate(nodes)]}]}).json()
        config = s.get(f"{api}/nodebalancers/{nb['id']}/configs").json()["data"][0]["id"]
        wait(lambda: s.get(f"{api}/nodebalancers/{nb['id']}/configs/{config}").json()[
            "nodes_status"] == {"up": 2, "down": 0}, 30, "nodes UP")
        direct = wrk(f"http://127.0.0.1:{nodes[0]}/")
        through = wrk(f"http://{nb['ipv4']}:{nb_port}/")

        # DNS: each record's create request to its answer.
        zone = f"bench{random.randint(0, 1 << 30)}.example"
        d = s.post(f"{api}/domains", json={"domain": zone, "type": "master",
                                           "soa_email": "bench@example.org"}).json()
        delays = []
        for i in range(RECORDS):
            target = f"192.0.2.{i % 250 + 1}"
            started = time.monotonic()
            r = s.post(f"{api}/domains/{d['id']}/records",
                       json={"type": "A", "name": f"h{i}", "target": target})
            assert r.ok, r.text
            while True:
                out = subprocess.run(["kdig", "@127.0.0.1", "-p", str(dns), "+short", "+time=1",
                                      "+retry=0", f"h{i}.{zone}", "A"], capture_output=True,
                                     text=True).stdout.strip()
                if out == target:
                    break
                if time.monotonic() - started > 10:
                    sys.exit(f"record h{i} not answered within 10 s")
            delays.append((time.monotonic() - started) * 1000)
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    delays.sort()
    lines = [
        f"## {datetime.datetime.utcnow():%Y-%m-%d %H:%M:%S} UTC — networking",
        "",
        f"- commit {commit}; {os.cpu_count()} cores; wrk -t1 -c32 -d{DURATION}; nginx nodes "
        "(1 worker each); HAProxy from the qemu driver",
        "",
        "| scenario | req/s | p50 ms | p99 ms | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| one node directly | {direct[0]:.0f} | {direct[1]:.2f} | {direct[2]:.2f} | {direct[3]} |",
        f"| NodeBalancer over two nodes | {through[0]:.0f} | {through[1]:.2f} | {through[2]:.2f} "
        f"| {through[3]} |",
        "",
        f"- DNS record create to answered ({RECORDS} records, dig polled): median "
        f"{statistics.median(delays):.0f} ms, p95 {delays[int(len(delays) * 0.95) - 1]:.0f} ms, "
        f"max {delays[-1]:.0f} ms (target < 2000 ms: "
        f"{'PASS' if delays[-1] < 2000 else 'FAIL'})",
        "",
    ]
    print("\n".join(lines))
    with open(REPO / "bench" / "results.md", "a") as f:
        f.write("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
