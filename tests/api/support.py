"""Helpers for the API tests: start/stop a linnetd server, make tokens, call the API.
Every request goes to 127.0.0.1 only."""
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "data" / "catalog"
BIN = os.environ.get("LINNET_BIN") or str(REPO / "build" / "linnetd")

_DEFAULT = object()


def load_catalog(name):
    """The objects of data/catalog/NAME.json, in file order."""
    with open(CATALOG / f"{name}.json") as f:
        return json.load(f)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_token(data_dir, scopes="*", user=None, label=None):
    cmd = [BIN, "token", "create", "--data", str(data_dir), "--scopes", scopes]
    if user:
        cmd += ["--user", user]
    if label:
        cmd += ["--label", label]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=20)
    token = out.stdout.strip()
    assert len(token) == 64 and "\n" not in token, f"token create printed {out.stdout!r}"
    return token


class Server:
    """A running `linnetd serve` on 127.0.0.1 with its own data dir."""

    def __init__(self, data_dir):
        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.base_url = self.root + "/v4"
        self.token = None
        self.proc = None

    def start(self, timeout=20):
        env = dict(os.environ, LINNET_RATE_LIMITS="off")
        self.log = open(self.data_dir / "server.log", "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--data", str(self.data_dir), "--listen", f"127.0.0.1:{self.port}"],
            cwd=str(REPO), env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"linnetd exited early with {self.proc.returncode}"
            try:
                if requests.get(self.root + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        self.kill()
        raise AssertionError("linnetd did not answer /healthz within %ss" % timeout)

    def terminate(self, timeout=10):
        """SIGTERM; returns the exit code (None if it did not exit in time)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def make_token(self, scopes="*", user=None, label=None):
        return create_token(self.data_dir, scopes, user, label)

    def request(self, method, path, token=_DEFAULT, filter=None, headers=None, **kw):
        """path is relative to /v4 unless it starts with http."""
        h = dict(headers or {})
        if token is _DEFAULT:
            token = self.token
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        if filter is not None:
            h["X-Filter"] = filter if isinstance(filter, str) else json.dumps(filter)
        url = path if path.startswith("http") else self.base_url + path
        kw.setdefault("timeout", 10)
        return requests.request(method, url, headers=h, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def get_all(self, path, page_size=500, **kw):
        """Every item of a paginated list, following pages."""
        items, page = [], 1
        while True:
            r = self.get(path, params={"page": page, "page_size": page_size}, **kw)
            assert r.status_code == 200, r.text
            body = r.json()
            items += body["data"]
            if page >= body["pages"]:
                return items
            page += 1


def assert_error(resp, status, field=None, reason=None):
    """resp is an error in the API's shape; returns the errors list."""
    assert resp.status_code == status, f"{resp.status_code} {resp.text}"
    assert resp.headers.get("Content-Type", "").startswith("application/json")
    body = resp.json()
    assert list(body) == ["errors"], body
    errors = body["errors"]
    assert isinstance(errors, list) and errors, body
    for e in errors:
        assert isinstance(e.get("reason"), str) and e["reason"], body
        assert set(e) <= {"reason", "field"}, body
    if field is not None:
        assert field in [e.get("field") for e in errors], body
    if reason is not None:
        assert reason in [e["reason"] for e in errors], body
    return errors


def assert_list(resp, results=None):
    """resp is a list envelope; returns its data."""
    assert resp.status_code == 200, f"{resp.status_code} {resp.text}"
    body = resp.json()
    assert set(body) == {"data", "page", "pages", "results"}, body.keys()
    assert isinstance(body["data"], list)
    if results is not None:
        assert body["results"] == results, (body["results"], results)
    return body["data"]
