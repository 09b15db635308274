"""Fixtures for the wrapper's tests: a linnetd with the sim driver (tests/api/support.py starts
it), a LinodeClient on it, and a recorder of the requests the client sends."""
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "api"))
sys.path.insert(0, str(REPO / "clients" / "python"))

from support import Server  # noqa: E402

from linode import LinodeClient  # noqa: E402


@pytest.fixture(scope="session")
def server():
    with tempfile.TemporaryDirectory(prefix="linnet-python-") as data_dir:
        srv = Server(data_dir, env={"LINNET_SIM_SCALE": "0.01"})
        srv.token = srv.make_token("*")
        srv.start()
        yield srv
        srv.terminate(timeout=10)


@pytest.fixture
def client(server):
    return LinodeClient(server.token, base_url=server.base_url)


class Recorder:
    """The (method, path, json, X-Filter) of every request a client sends."""

    def __init__(self, client):
        self.calls = []
        original = client.session.request

        def record(method, url, **kw):
            self.calls.append((method, url.split("/v4", 1)[-1].split("?")[0], kw.get("json"),
                               (kw.get("headers") or {}).get("X-Filter")))
            return original(method, url, **kw)
        client.session.request = record


@pytest.fixture
def recorder(client):
    return Recorder(client)
