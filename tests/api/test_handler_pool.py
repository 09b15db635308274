"""Handlers run on a bounded pool of their own: while every handler waits on a busy database,
/healthz still answers at once from the I/O threads, a request beyond the pool's queue is
answered 503 with Retry-After in the API's error shape, and the waiting request completes once
the database is free."""
import contextlib
import sqlite3
import threading
import time

import support
from support import assert_error


@contextlib.contextmanager
def writers_held(srv):
    """Holds what a create writes, as another writer would."""
    if support.ENGINE == "postgresql":
        import psycopg2
        db = psycopg2.connect(support.store_env(srv.data_dir)["LINNET_DATABASE"])
        # Reads go on; a new Linode's row waits.
        db.cursor().execute("LOCK TABLE linodes IN EXCLUSIVE MODE")
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
