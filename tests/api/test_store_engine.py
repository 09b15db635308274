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
