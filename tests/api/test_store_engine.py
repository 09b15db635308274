"""The store under more than one server: one SQLite file serves one linnetd (a second is refused
with a clear message); one PostgreSQL database serves several, which see each other's writes."""
import os
import subprocess

import support
from support import BIN, Server, create_linode, store_env


def test_second_server_on_the_same_store(spawn, tmp_path):
    first = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    if support.ENGINE == "sqlite":
        env = dict(os.environ, **store_env(tmp_path))
        out = subprocess.run([BIN, "serve", "--data", str(tmp_path), "--listen",
                              f"127.0.0.1:{support.free_port()}"], env=env, capture_output=True,
                             text=True, timeout=20)
        assert out.returncode != 0
        assert "already serves" in out.stderr and "postgresql://" in out.stderr, out.stderr
        # The first server is untouched.
        assert first.get("/linode/instances").status_code == 200
    else:
        second = Server(tmp_path, env={"LINNET_SIM_SCALE": "0"})
        second.token = first.token
        second.start()
        try:
            linode = create_linode(first, wait="offline")
            seen = second.get(f"/linode/instances/{linode['id']}")
            assert seen.status_code == 200 and seen.json()["label"] == linode["label"]
        finally:
            second.kill()


def test_the_lock_goes_with_the_server(spawn, tmp_path):
    """A server that stopped leaves no lock behind: the next one starts."""
    first = spawn(token_scopes="*")
    assert first.terminate(timeout=10) == 0
    again = spawn(token_scopes=None)
    again.token = first.token
    assert again.get("/linode/instances").status_code == 200


def test_a_listener_address_in_use_stops_serve_with_its_reason(tmp_path):
    """serve exits with the bind error (not a crash), having stopped what it started."""
    import socket
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    try:
        env = dict(os.environ, **store_env(tmp_path))
        out = subprocess.run([BIN, "serve", "--data", str(tmp_path), "--listen",
                              f"127.0.0.1:{held.getsockname()[1]}"], env=env,
                             capture_output=True, text=True, timeout=30)
    finally:
        held.close()
    assert out.returncode == 1, (out.returncode, out.stderr)
    assert "Address already in use" in out.stderr + out.stdout, out.stderr


def test_postgresql_that_goes_away_is_503_and_recovers(tmp_path):
    """Runs on a PostgreSQL cluster of its own (it stops and restarts it), on either pass of the
    suite: while the server is away every API request is a 503 in the error shape; once it is
    back, requests succeed again without restarting linnetd, and nothing acknowledged is lost."""
    from pg_cluster import PgCluster
    cluster = PgCluster().start()
    srv = None
    try:
        env = {"LINNET_DATABASE": cluster.database("outage"), "LINNET_SIM_SCALE": "0"}
        token = support.linnetd(["token", "create", "--scopes", "*"], tmp_path, env=env,
                                check=True, capture_output=True, text=True).stdout.strip()
        srv = Server(tmp_path, env=env)
        srv.token = token
        srv.start()
        before = create_linode(srv, wait="offline")

        cluster.pause()
        for attempt in range(3):
            r = srv.get("/linode/instances")
            support.assert_error(r, 503)
            assert r.headers.get("Retry-After"), r.headers
        support.assert_error(srv.post("/linode/instances", json={"region": "us-east",
                                                                  "type": "g6-nanode-1"}), 503)
        assert srv.proc.poll() is None, "linnetd exited while the database was away"

        cluster.resume()
        listed = support.wait_until(
            lambda: (r := srv.get("/linode/instances")).status_code == 200 and r.json(),
            timeout=15, what="answers after PostgreSQL came back")
        assert before["id"] in [l["id"] for l in listed["data"]]
        after = create_linode(srv, wait="offline")
        assert after["id"] != before["id"]
    finally:
        if srv:
            srv.kill()
        cluster.stop()


def test_two_servers_run_each_job_once_and_take_over_a_dead_ones(spawn, tmp_path):
    """Two linnetd on one store, each with its own job workers (PostgreSQL; on SQLite one
    server, as the store allows): Linodes created alternately through both reach their
    statuses, each job's finished event is recorded once, and when one server is killed (-9)
    with jobs in flight the other finishes them once their leases run out."""
    env = {"LINNET_SIM_SCALE": "0.03", "LINNET_JOB_LEASE_MS": "1500"}
    first = spawn(token_scopes="*", env=dict(env, LINNET_HOST="host-one"))
    servers = [first]
    second = None
    if support.ENGINE == "postgresql":
        second = Server(tmp_path, env=dict(env, LINNET_HOST="host-two"))
        second.token = first.token
        second.start()
        servers.append(second)
    try:
        made = []
        for i in range(16):
            srv = servers[i % len(servers)]
            r = srv.post("/linode/instances", json={
                "region": "us-east", "type": "g6-nanode-1", "label": support.unique_label("mn"),
                "image": support.IMAGE, "root_pass": support.ROOT_PASS})
            assert r.status_code == 200, r.text
            made.append(r.json()["id"])
        # Kill one server while its jobs are in flight (provisioning takes ~2 s at this scale).
        victim = servers[-1]
        victim.proc.kill()
        victim.proc.wait()
        active = support.db_execute(tmp_path, "SELECT COUNT(*) FROM jobs WHERE state = 'active'")
        assert active[0][0] > 0, "every job had finished before the kill"
        survivor = servers[0] if len(servers) > 1 else None
        if survivor is None:
            # SQLite: the same store restarted takes its own jobs back at once.
            survivor = Server(tmp_path, env=dict(env, LINNET_HOST="host-one"))
            survivor.token = first.token
            survivor.start()
            servers.append(survivor)
        for linode_id in made:
            support.wait_status(survivor, linode_id, "running", timeout=60)
        addresses = set()
        for linode_id in made:
            events = support.linode_events(survivor, linode_id, action="linode_create")
            finished = [e for e in events if e["status"] == "finished"]
            assert len(events) == 1 and len(finished) == 1, events
            addresses.add(support.get_linode(survivor, linode_id)["ipv4"][0])
        assert len(addresses) == len(made)
    finally:
        for srv in servers:
            srv.kill()


def test_the_data_folder_and_database_are_private(spawn, tmp_path):
    """Password hashes live in the store: the data folder is 0700 and SQLite's files 0600."""
    import stat
    srv = spawn(token_scopes="*")
    assert srv.get("/linode/instances").status_code == 200
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    if support.ENGINE == "sqlite":
        for name in ("linnet.db", "linnet.db-wal", "linnet.db-shm"):
            path = tmp_path / name
            assert path.exists(), name
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
