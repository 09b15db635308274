"""Fixtures: one shared linnetd for the session (`server`), and `spawn` for tests that need
their own server (shutdown, persistence). See support.py for the helpers."""
import os
import tempfile

import pytest

from support import BIN, Server


@pytest.fixture(scope="session")
def server():
    assert os.access(BIN, os.X_OK), f"no linnetd binary at {BIN} (set LINNET_BIN)"
    with tempfile.TemporaryDirectory(prefix="linnet-api-") as data_dir:
        srv = Server(data_dir)
        srv.token = srv.make_token("*")
        srv.start()
        yield srv
        code = srv.terminate(timeout=10)
        assert code == 0, f"linnetd exit code on SIGTERM: {code}"


@pytest.fixture
def spawn(tmp_path):
    """Factory: spawn(data_dir=None) -> a started Server; all are killed at teardown."""
    started = []

    def _spawn(data_dir=None, token_scopes=None):
        srv = Server(data_dir or tmp_path)
        if token_scopes:
            srv.token = srv.make_token(token_scopes)
        started.append(srv)
        return srv.start()

    yield _spawn
    for srv in started:
        srv.kill()
