"""The store under more than one server: one SQLite file serves one linnetd (a second is refused
with a clear message); one PostgreSQL database serves several, which see each other's writes."""
import subprocess

import support
from support import BIN, Server, create_linode, store_env


def test_second_server_on_the_same_store(spawn, tmp_path):
    first = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    if support.ENGINE == "sqlite":
        env = dict(support.os.environ, **store_env(tmp_path))
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
