"""Fixtures: one shared linnetd for the session (`server`), and `spawn` for tests that need
their own server (shutdown, persistence). See support.py for the helpers."""
import os
import tempfile

import pytest

import support
from support import BIN, Server


@pytest.fixture(scope="session", autouse=True)
def engine():
    """The suite's engine; on PostgreSQL a private cluster for the whole session."""
    if support.ENGINE == "postgresql":
        from pg_cluster import PgCluster
        support.PG_CLUSTER = PgCluster().start()
        yield "postgresql"
        support.PG_CLUSTER.stop()
        support.PG_CLUSTER = None
    else:
        yield "sqlite"


def pytest_report_header(config):
    return f"linnet engine: {support.ENGINE}"


def pytest_terminal_summary(terminalreporter):
    passed = len(terminalreporter.stats.get("passed", []))
    failed = len(terminalreporter.stats.get("failed", []))
    terminalreporter.write_line(f"linnet engine {support.ENGINE}: {passed} passed, {failed} failed")


@pytest.fixture(scope="session")
def server(engine):
    assert os.access(BIN, os.X_OK), f"no linnetd binary at {BIN} (set LINNET_BIN)"
    with tempfile.TemporaryDirectory(prefix="linnet-api-") as data_dir:
        srv = Server(data_dir)
        srv.token = srv.make_token("*")
        srv.start()
        yield srv
        code = srv.terminate(timeout=10)
        assert code == 0, f"linnetd exit code on SIGTERM: {code}"


@pytest.fixture
def spawn(tmp_path, engine):
    """Factory: spawn(data_dir=None, token_scopes=None, env=None) -> a started Server (env: extra
    variables such as LINNET_SIM_SCALE); all are killed at teardown."""
    started = []

    def _spawn(data_dir=None, token_scopes=None, env=None):
        srv = Server(data_dir or tmp_path, env=env)
        if token_scopes:
            srv.token = srv.make_token(token_scopes)
        started.append(srv)
        return srv.start()

    yield _spawn
    for srv in started:
        srv.kill()


def _session_server(env):
    assert os.access(BIN, os.X_OK), f"no linnetd binary at {BIN} (set LINNET_BIN)"
    with tempfile.TemporaryDirectory(prefix="linnet-api-") as data_dir:
        srv = Server(data_dir, env=env)
        srv.token = srv.make_token("*")
        srv.start()
        yield srv
        code = srv.terminate(timeout=10)
        assert code == 0, f"linnetd exit code on SIGTERM: {code}"


@pytest.fixture(scope="session")
def instant(engine):
    """A shared linnetd whose sim driver takes no time (LINNET_SIM_SCALE=0): jobs finish at once."""
    yield from _session_server({"LINNET_SIM_SCALE": "0"})


@pytest.fixture(scope="session")
def sim(engine):
    """A shared linnetd at LINNET_SIM_SCALE=0.01: every transient status lasts 0.1-1.2 s."""
    yield from _session_server({"LINNET_SIM_SCALE": "0.01"})
