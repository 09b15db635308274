#!/usr/bin/python3
"""Sign-in burst benchmark: rounds of 40 wrong-password sign-ins at once (each from its own
address, through --trusted-proxies, so that no throttle stops them before the password check)
while GET /v4/regions/us-east is asked every 20 ms (open loop); prints that unrelated request's latency
(p50, p99, max) and the sign-ins' answers, and appends them to bench/results.md.

    /usr/bin/python3 bench/signin.py

Environment: LINNET_BIN (default build/linnetd), BENCH_ROUNDS (default 5), BENCH_RESULTS, and
BENCH_BASELINE=1: the same burst with a form token that does not match, answered at once without
any password check, to show what the burst's own 40 clients cost the machine."""
import os
import re
import socket
import multiprocessing
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import requests

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("LINNET_BIN", os.path.join(REPO, "build", "linnetd"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
BASELINE = os.environ.get("BENCH_BASELINE") == "1"
RESULTS = os.environ.get("BENCH_RESULTS", os.path.join(REPO, "bench", "results.md"))
BURST = 40


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def one_unrelated(base, latencies):
    began = time.perf_counter()
    assert requests.get(base + "/v4/regions/us-east", timeout=30).status_code == 200
    latencies.append(time.perf_counter() - began)


def unrelated(base, stop, results):
    """Open loop: one request every 20 ms whatever the answers take, so that a stall counts once
    for every request it holds up."""
    latencies = []
    with ThreadPoolExecutor(256) as probes:
        while not stop.is_set():
            probes.submit(one_unrelated, base, latencies)
            time.sleep(0.02)
    results.put(latencies)


def main():
    with tempfile.TemporaryDirectory(prefix="linnet-bench-") as data:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, LINNET_RATE_LIMITS="off", LINNET_TRUSTED_PROXIES="127.0.0.1")
        subprocess.run([BIN, "token", "create", "--data", data], env=env, check=True,
                       capture_output=True)
        proc = subprocess.Popen([BIN, "serve", "--data", data, "--listen", f"127.0.0.1:{port}"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    if requests.get(base + "/healthz", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.1)
            latencies, codes = [], []
            n = 0
            for _ in range(ROUNDS):
                sessions = []
                for _ in range(BURST):
                    b = requests.Session()
                    page = b.get(base + "/login", timeout=10).text
                    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
                    n += 1
                    sessions.append((n, b, csrf))

                def attempt(item):
                    i, b, csrf = item
                    return b.post(base + "/login", allow_redirects=False, timeout=60,
                                  headers={"X-Forwarded-For": f"10.{i // 65536 % 256}."
                                                              f"{i // 256 % 256}.{i % 256}"},
                                  data={"csrf_token": "x" if BASELINE else csrf,
                                        "username": f"guess-{i}",
                                        "password": "wrong"}).status_code

                # The probe runs in a process of its own, so that the burst's client threads do
                # not hold up its requests in this interpreter.
                stop, results = multiprocessing.Event(), multiprocessing.Queue()
                probe = multiprocessing.Process(target=unrelated, args=(base, stop, results))
                probe.start()
                time.sleep(0.1)
                with ThreadPoolExecutor(BURST) as pool:
                    codes += list(pool.map(attempt, sessions))
                stop.set()
                latencies += results.get(timeout=60)
                probe.join()
            assert proc.poll() is None, "linnetd died"
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    ms = lambda v: f"{v * 1000:.1f}"
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    summary = (
        f"## {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} — sign-in burst"
        f"{' (baseline: no password checked)' if BASELINE else ''}\n\n"
        f"- commit {commit}, {os.cpu_count()} cores, {ROUNDS} rounds of {BURST} wrong-password "
        f"sign-ins at once\n"
        f"- GET /v4/regions/us-east meanwhile, every 20 ms: {len(latencies)} requests, "
        f"p50 {ms(percentile(latencies, 50))} ms, p99 {ms(percentile(latencies, 99))} ms, "
        f"max {ms(max(latencies))} ms (target: p99 under 50 ms)\n"
        f"- sign-ins: {codes.count(401)} checked (401), {codes.count(503)} refused at once (503), "
        f"{codes.count(403)} refused for their form (403), "
        f"other {len(codes) - codes.count(401) - codes.count(503) - codes.count(403)}\n")
    print(summary)
    with open(RESULTS, "a") as f:
        f.write("\n" + summary)


if __name__ == "__main__":
    sys.exit(main())
