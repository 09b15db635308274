"""Process lifecycle on servers of their own: SIGTERM shuts down cleanly (exit 0, /healthz stops),
and data survives a SIGKILL and restart on the same data dir."""
import threading

import requests

from support import Server, wait_until


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


def test_sigterm_with_idle_and_busy_connections_open_exits_zero(spawn):
    """Keep-alive connections that sit idle, half-sent requests and requests that keep coming on
    many connections at once: the server closes them and exits 0, every time."""
    import socket
    import threading
    for _ in range(5):
        srv = spawn()
        idle = []
        for n in range(20):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 200")
            if n % 2:
                s.sendall(b"GET /v4/regions HTTP/1.1\r\nHo")  # half a request
            idle.append(s)
        stop = threading.Event()

        def busy():
            session = requests.Session()
            while not stop.is_set():
                try:
                    session.get(srv.root + "/v4/regions/us-east", timeout=5)
                except requests.RequestException:
                    return

        workers = [threading.Thread(target=busy) for _ in range(8)]
        for w in workers:
            w.start()
        assert srv.terminate(timeout=20) == 0
        stop.set()
        for w in workers:
            w.join(timeout=10)
        for s in idle:
            s.close()


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


def test_every_create_acknowledged_before_a_sigkill_is_kept(spawn, tmp_path):
    """Writers from many threads, their commits sharing flushes, and the server killed among
    them: every create that was answered is there after the restart."""
    first = spawn(tmp_path, token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def create(n):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = first.post("/linode/instances", json={"region": "us-east",
                                                          "type": "g6-nanode-1",
                                                          "label": f"kept-{n}-{i}"})
            except requests.RequestException:
                return
            if r.status_code == 200:
                with lock:
                    acknowledged.append(r.json()["id"])

    writers = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for w in writers:
        w.start()
    wait_until(lambda: len(acknowledged) >= 40, timeout=60, interval=0.02, what="40 creates")
    first.kill()
    stop.set()
    for w in writers:
        w.join(timeout=15)
    second = spawn(tmp_path)
    kept = {linode["id"] for linode in second.get_all("/linode/instances", token=first.token)}
    missing = set(acknowledged) - kept
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged creates were lost"
