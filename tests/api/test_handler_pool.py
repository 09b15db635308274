"""Handlers run on a bounded pool of their own: while every handler waits on a busy database,
/healthz still answers at once from the I/O threads, a request beyond the pool's queue is
answered 503 with Retry-After in the API's error shape, and the waiting request completes once
the database is free. Sign-ins run on a lane of their own, so that one waiting holds no handler,
and so do requests that write."""
import contextlib
import sqlite3
import threading
import time

import requests

import support
from support import assert_error, csrf_token


@contextlib.contextmanager
def writers_held(srv, table="linodes"):
    """Holds what a create (or, with table="login_failures", a sign-in) writes, as another writer
    would."""
    if support.ENGINE == "postgresql":
        import psycopg2
        db = psycopg2.connect(support.store_env(srv.data_dir)["LINNET_DATABASE"])
        # Reads go on; a new row of the table waits.
        db.cursor().execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            db.rollback()
            db.close()
    else:
        db = sqlite3.connect(srv.data_dir / "linnet.db", isolation_level=None, timeout=10)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            db.execute("COMMIT")
            db.close()


def test_a_full_handler_queue_is_503_and_health_stays_up(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_HANDLER_THREADS": "1", "LINNET_HANDLER_QUEUE": "1",
                                       "LINNET_SIM_SCALE": "0"})
    assert srv.get("/profile").status_code == 200
    answers = {}
    with writers_held(srv):
        def create():
            answers["create"] = srv.post("/linode/instances", json={
                "region": "us-east", "type": "g6-nanode-1", "label": support.unique_label("q")})
        waiting = threading.Thread(target=create)
        waiting.start()
        time.sleep(0.5)
        assert "create" not in answers  # its handler waits for the write lock
        started = time.monotonic()
        health = srv.get(srv.root + "/healthz", token=None)
        assert health.status_code == 200 and time.monotonic() - started < 2
        busy = srv.get("/profile")
        assert_error(busy, 503)
        assert busy.headers["Retry-After"] == "1"
    waiting.join(timeout=15)
    assert answers["create"].status_code == 200, answers["create"].text
    assert srv.get("/profile").status_code == 200


def test_a_waiting_sign_in_holds_no_handler(spawn):
    """With a single handler thread, a sign-in that waits (here for the database; under a burst, for
    a password hasher) leaves that thread to everything else, and is answered once it may go on."""
    srv = spawn(token_scopes="*", env={"LINNET_HANDLER_THREADS": "1"})
    browser = requests.Session()
    csrf = csrf_token(browser.get(srv.root + "/login", timeout=10).text)
    assert srv.get("/profile").status_code == 200  # the token's first use is written before
    answers = {}
    with writers_held(srv, "login_failures"):
        def sign_in():
            answers["sign-in"] = browser.post(
                srv.root + "/login", allow_redirects=False, timeout=30,
                data={"csrf_token": csrf, "username": "nobody", "password": "wrong-password"})
        waiting = threading.Thread(target=sign_in)
        waiting.start()
        time.sleep(0.5)
        assert "sign-in" not in answers  # it waits to count its attempt
        # The one handler is free: this is answered while the sign-in still waits.
        assert srv.get("/profile", timeout=5).status_code == 200
        assert "sign-in" not in answers
    waiting.join(timeout=15)
    assert answers["sign-in"].status_code == 401, answers["sign-in"].text


def test_waiting_writes_hold_no_handler_of_reads(spawn):
    """With a single handler thread for reads, creates that wait for the database leave it to the
    reads, and are answered once they may go on."""
    srv = spawn(token_scopes="*", env={"LINNET_HANDLER_THREADS": "1", "LINNET_SIM_SCALE": "0"})
    assert srv.get("/profile").status_code == 200  # the token's first use is written before
    answers = {}
    with writers_held(srv):
        def create(n):
            answers[n] = srv.post("/linode/instances", timeout=30, json={
                "region": "us-east", "type": "g6-nanode-1", "label": support.unique_label("w")})
        waiting = [threading.Thread(target=create, args=(n,)) for n in range(2)]
        for t in waiting:
            t.start()
        time.sleep(0.5)
        assert not answers  # both wait to write their Linode
        started = time.monotonic()
        assert srv.get("/profile", timeout=5).status_code == 200
        assert srv.get("/linode/instances", timeout=5).status_code == 200
        assert time.monotonic() - started < 2
        assert not answers
    for t in waiting:
        t.join(timeout=15)
    assert [answers[n].status_code for n in range(2)] == [200, 200], answers
