"""`make cluster` (scripts/cluster.sh): two API nodes and two sim hosts over one PostgreSQL behind
HAProxy. Linodes created through HAProxy (so alternately through both API nodes) all reach
running on the worker hosts, with distinct addresses and each job run once; a host killed with
-9 while jobs are in flight leaves them to the other, and stopping the script stops everything."""
import os
import signal
import subprocess
import time

import pytest

import support
from support import REPO, free_port, wait_until


@pytest.fixture
def cluster(tmp_path):
    port = free_port()
    ready = tmp_path / "token"
    env = dict(os.environ, CLUSTER_PORT=str(port), CLUSTER_DIR=str(tmp_path / "cluster"),
               CLUSTER_READY_FILE=str(ready), LINNET_BIN=support.BIN, LINNET_SIM_SCALE="0.3",
               LINNET_JOB_LEASE_MS="1500", LINNET_RATE_LIMITS="off")
    env.pop("LINNET_DATABASE", None)
    proc = subprocess.Popen(["bash", str(REPO / "scripts" / "cluster.sh")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait_until(lambda: ready.exists() and ready.read_text().strip(), timeout=90,
                   what="the cluster")
        srv = support.Server(tmp_path / "unused")
        srv.port = port
        srv.root = f"http://127.0.0.1:{port}"
        srv.base_url = srv.root + "/v4"
        srv.token = ready.read_text().strip()
        yield srv, tmp_path / "cluster", proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_cluster_runs_each_job_once_and_survives_a_dead_host(cluster):
    srv, folder, proc = cluster
    made = []
    for _ in range(20):
        r = srv.post("/linode/instances", json={
            "region": "us-east", "type": "g6-nanode-1", "label": support.unique_label("cl"),
            "image": support.IMAGE, "root_pass": support.ROOT_PASS})
        assert r.status_code == 200, r.text
        made.append(r.json()["id"])
    victim = int((folder / "sim-1.pid").read_text())
    os.kill(victim, signal.SIGKILL)
    for linode_id in made:
        support.wait_status(srv, linode_id, "running", timeout=90)
    addresses = {support.get_linode(srv, i)["ipv4"][0] for i in made}
    assert len(addresses) == len(made)
    for linode_id in made:
        events = support.linode_events(srv, linode_id, action="linode_create")
        assert [e["status"] for e in events] == ["finished"], events
    # Both API nodes answered: HAProxy balances round robin over them.
    logs = [(folder / f"api-{n}.log").read_text() for n in (1, 2)]
    assert all("listening" in log for log in logs)
    # Stopping the script stops every process it started.
    pids = [int((folder / f"{name}.pid").read_text()) for name in ("api-1", "api-2", "sim-2")]
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    time.sleep(0.5)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
