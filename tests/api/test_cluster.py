"""`make cluster` (scripts/cluster.sh): two API nodes and two sim worker nodes over one PostgreSQL
behind HAProxy. 200 Linodes created alternately through both API nodes are placed on the hosts of
both workers and all reach running, with distinct addresses and each job run once; a worker
killed with -9 while jobs are in flight is found lost, its Linodes move to the other's hosts and
their jobs finish there; stopping the script stops everything."""
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
               CLUSTER_READY_FILE=str(ready), LINNET_BIN=support.BIN, LINNET_SIM_SCALE="0.04",
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


def node(srv, folder, name):
    """A client of one API node of the cluster, with the cluster's token."""
    port = int((folder / f"{name}.port").read_text())
    direct = support.Server(folder / "unused")
    direct.port = port
    direct.root = f"http://127.0.0.1:{port}"
    direct.base_url = direct.root + "/v4"
    direct.token = srv.token
    return direct


def query(folder, sql):
    import psycopg2
    with psycopg2.connect((folder / "database").read_text().strip()) as db:
        with db.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()


def linodes_by_node(folder):
    return dict(query(folder, "SELECT h.node, COUNT(*) FROM linodes l JOIN hosts h ON "
                              "h.id = l.host_id GROUP BY h.node"))


def test_cluster_runs_each_job_once_and_survives_a_dead_host(cluster):
    srv, folder, proc = cluster
    api = [node(srv, folder, "api-1"), node(srv, folder, "api-2")]
    made = []
    # 200 Linodes, alternately through each API node, in two regions.
    for n in range(200):
        r = api[n % 2].post("/linode/instances", json={
            "region": ("us-east", "eu-west")[n % 4 // 2], "type": "g6-nanode-1",
            "label": support.unique_label("cl"), "image": support.IMAGE,
            "root_pass": support.ROOT_PASS})
        assert r.status_code == 200, r.text
        made.append(r.json()["id"])
    # Placement spread them over the hosts of both worker nodes.
    placed = linodes_by_node(folder)
    assert sum(placed.values()) == 200 and set(placed) == {"sim-1", "sim-2"}, placed
    assert min(placed.values()) >= 50, placed
    # sim-1 dies with jobs in flight.
    victim = int((folder / "sim-1.pid").read_text())
    os.kill(victim, signal.SIGKILL)
    for linode_id in made:
        support.wait_status(srv, linode_id, "running", timeout=120)
    # Its hosts were found lost and its Linodes moved to sim-2's hosts of their regions.
    assert linodes_by_node(folder) == {"sim-2": 200}
    states = dict(query(folder, "SELECT DISTINCT node, state FROM hosts"))
    assert states == {"sim-1": "lost", "sim-2": "active"}, states
    assert query(folder, "SELECT COUNT(*) FROM linodes l JOIN hosts h ON h.id = l.host_id "
                         "JOIN host_regions r ON r.host_id = h.id WHERE r.region <> l.region") \
        == [(0,)]
    # Every Linode's host_uuid is its host's.
    uuids = dict(query(folder, "SELECT l.id, h.uuid FROM linodes l JOIN hosts h ON "
                               "h.id = l.host_id"))
    linodes = {i: support.get_linode(srv, i) for i in made}
    assert all(linodes[i]["host_uuid"] == uuids[i] for i in made)
    addresses = {linodes[i]["ipv4"][0] for i in made}
    assert len(addresses) == len(made)
    # Each job ran to its end once: one create job per Linode, done, and one finished event.
    assert query(folder, "SELECT state, COUNT(*) FROM jobs GROUP BY state") == [("done", 200)]
    for linode_id in made:
        events = support.linode_events(srv, linode_id, action="linode_create")
        assert [e["status"] for e in events] == ["finished"], events
    # Stopping the script stops every process it started.
    pids = [int((folder / f"{name}.pid").read_text()) for name in ("api-1", "api-2", "sim-2")]
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    time.sleep(0.5)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
