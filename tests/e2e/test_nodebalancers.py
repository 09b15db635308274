"""NodeBalancers served by HAProxy on the qemu driver, with two HTTP servers of 127.0.0.0/8 as
nodes (no VM is booted): requests alternate between them; a node stopped goes DOWN and every
request reaches the other; its config's change is taken without dropping a connection; a Cloud
Firewall refuses the NodeBalancer's port; statistics and transfer come from HAProxy's counters. (Requests per second through a
NodeBalancer beside a node served directly: bench/networking.py.)"""
import http.server
import random
import shutil
import socket
import socketserver
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from support import Server, free_port, wait_until


class Named(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Backend(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # health checks close their connections as they please


def backend(name, address):
    srv = Backend((address, 0), Named)
    srv.name = name
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture
def balancer_server():
    data = Path(tempfile.mkdtemp(prefix="linnet-e2e-nb-"))
    pool = f"127.{random.randint(65, 250)}.{random.randint(0, 255)}.0/24"
    srv = Server(data, env={"LINNET_DRIVER": "qemu", "LINNET_IPV4_POOL": pool})
    srv.token = srv.make_token("*")
    srv.start(timeout=30)
    yield srv
    if srv.proc.poll() is None:
        srv.terminate(timeout=30)
    shutil.rmtree(data, ignore_errors=True)


def statuses(srv, nb, config):
    nodes = srv.get_all(f"/nodebalancers/{nb}/configs/{config}/nodes")
    return {n["label"]: n["status"] for n in nodes}


def test_two_http_nodes_behind_haproxy(balancer_server):
    srv = balancer_server
    a, b = backend("node-a", "127.0.0.1"), backend("node-b", "127.0.0.1")
    port = free_port()
    r = srv.post("/nodebalancers", json={"region": "us-east", "label": "e2e-balancer", "configs": [{
        "port": port, "protocol": "http", "algorithm": "roundrobin", "check": "http",
        "check_path": "/", "check_interval": 2, "check_timeout": 1, "check_attempts": 1,
        "nodes": [{"label": "node-a", "address": f"127.0.0.1:{a.server_address[1]}"},
                  {"label": "node-b", "address": f"127.0.0.1:{b.server_address[1]}"}]}]})
    assert r.status_code == 200, r.text
    nb = r.json()
    config = srv.get_all(f"/nodebalancers/{nb['id']}/configs")[0]["id"]
    url = f"http://{nb['ipv4']}:{port}/"

    # Both nodes are checked UP, and requests alternate between them.
    wait_until(lambda: statuses(srv, nb["id"], config) == {"node-a": "UP", "node-b": "UP"},
               timeout=20, interval=0.2, what="both nodes UP")
    answers = [requests.get(url, timeout=5).text for _ in range(6)]
    assert sorted(set(answers)) == ["node-a", "node-b"], answers
    assert all(answers[i] != answers[i + 1] for i in range(5)), answers
    shown = srv.get(f"/nodebalancers/{nb['id']}/configs/{config}").json()
    assert shown["nodes_status"] == {"up": 2, "down": 0}

    # A long-lived connection made now stays open across a config change (a reload).
    held = socket.create_connection((nb["ipv4"], port), timeout=5)
    r = srv.put(f"/nodebalancers/{nb['id']}/configs/{config}", json={"algorithm": "leastconn"})
    assert r.status_code == 200, r.text
    time.sleep(3)  # the heartbeat takes the change within two seconds
    held.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    reply = held.recv(4096)
    assert reply.startswith(b"HTTP/1.1 200"), reply
    held.close()

    # Node a stops: it goes DOWN, and every request reaches b.
    a.shutdown()
    a.server_close()
    wait_until(lambda: statuses(srv, nb["id"], config) == {"node-a": "DOWN", "node-b": "UP"},
               timeout=20, interval=0.2, what="node-a DOWN")
    assert {requests.get(url, timeout=5).text for _ in range(6)} == {"node-b"}
    assert srv.get(f"/nodebalancers/{nb['id']}/configs/{config}").json()["nodes_status"] == {
        "up": 1, "down": 1}

    # HAProxy's counters: statistics and this month's transfer.
    def counted():
        doc = srv.get(f"/nodebalancers/{nb['id']}").json()
        return doc if (doc["transfer"]["in"] or 0) > 0 else None
    doc = wait_until(counted, timeout=10, interval=0.5, what="transfer counted")
    assert doc["transfer"]["out"] > 0
    stats = srv.get(f"/nodebalancers/{nb['id']}/stats")
    assert stats.status_code == 200, stats.text
    assert any(v > 0 for _, v in stats.json()["data"]["connections"])

    # A Cloud Firewall that accepts another network only refuses the port.
    def reachable():
        try:
            return requests.get(url, timeout=1).status_code == 200
        except requests.RequestException:
            return False
    started = time.monotonic()
    r = srv.post("/networking/firewalls", json={
        "label": "e2e-nb-guard", "devices": {"nodebalancers": [nb["id"]]},
        "rules": {"inbound_policy": "DROP", "outbound_policy": "ACCEPT", "inbound": [
            {"action": "ACCEPT", "protocol": "TCP", "ports": str(port),
             "addresses": {"ipv4": ["192.0.2.0/24"]}}]}})
    assert r.status_code == 200, r.text
    wait_until(lambda: not reachable(), timeout=10, interval=0.05, what="port refused")
    print(f"firewall create to NodeBalancer port refused: "
          f"{(time.monotonic() - started) * 1000:.0f} ms")
    assert srv.delete(f"/networking/firewalls/{r.json()['id']}").status_code == 200
    wait_until(reachable, timeout=10, interval=0.05, what="port open again")

    # Deleted, it serves nothing.
    assert srv.delete(f"/nodebalancers/{nb['id']}").status_code == 200
    wait_until(lambda: not reachable(), timeout=10, interval=0.05, what="balancer gone")
    b.shutdown()
    b.server_close()
