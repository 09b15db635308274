"""Process lifecycle on servers of their own: SIGTERM shuts down cleanly (exit 0, /healthz stops),
and data survives a SIGKILL and restart on the same data dir."""
import requests

from support import Server


def test_sigterm_exits_zero_and_stops_answering(spawn):
    srv = spawn()
    assert requests.get(srv.root + "/healthz", timeout=5).status_code == 200
    assert srv.terminate(timeout=10) == 0
    try:
        requests.get(srv.root + "/healthz", timeout=2)
        answered = True
    except requests.ConnectionError:
        answered = False
    assert not answered


def test_token_survives_sigkill_and_restart(spawn, tmp_path):
    first = spawn(tmp_path, token_scopes="*")
    r = first.post("/profile/tokens", json={"label": "durable", "scopes": "account:read_only"})
    assert r.status_code == 200, r.text
    made = r.json()
    first.kill()
    assert first.proc.returncode != 0
    second = spawn(tmp_path)
    r = second.get("/account", token=made["token"])
    assert r.status_code == 200 and r.headers.get("X-OAuth-Scopes") == "account:read_only"
    got = second.get(f"/profile/tokens/{made['id']}", token=first.token)
    assert got.status_code == 200 and got.json()["label"] == "durable"
