"""Rate limits held across API nodes: two `linnetd serve --role api` on one PostgreSQL database
take each caller's windows from it in batches, so a token whose requests alternate between them
gets no more than its limit, and a token on one node still gets (nearly) all of it; the database
sees one write per batch, not one per request. Sign-in throttles and login sessions are rows in
the store and hold across the nodes too. On SQLite one server serves the file: the same cases
run there on that one server."""
import re

import pytest
import requests

import support
from support import Server, assert_error, csrf_token, make_user

LIMITS = "*=40/60,post-linode-instance=4/30"
ENV = {"LINNET_RATE_LIMITS": LIMITS, "LINNET_SIM_SCALE": "0"}
CREATE = {"region": "us-east", "type": "g6-nanode-1"}
PASSWORD = "pale-Lantern-47-orchard"


@pytest.fixture
def nodes(spawn, tmp_path):
    """The API nodes of one store: two on PostgreSQL, one on SQLite. The first also runs the
    worker whose hosts new Linodes are placed on."""
    first = spawn(token_scopes="*", env=ENV)
    started = [first]
    if support.ENGINE == "postgresql":
        second = Server(tmp_path, env=dict(ENV, LINNET_ROLE="api"))
        second.token = first.token
        started.append(second.start())
    yield started
    for srv in started[1:]:
        srv.kill()


def until_refused(nodes, token, path="/profile", method="GET", json=None, limit=200):
    """Sends requests alternately to the nodes until every node has refused one; answers how
    many were admitted."""
    admitted, refused_by = 0, set()
    for i in range(limit):
        n = i % len(nodes)
        r = nodes[n].request(method, path, token=token, json=json)
        if r.status_code == 429:
            assert 1 <= int(r.headers["Retry-After"]) <= 60
            assert r.headers["X-RateLimit-Remaining"] == "0"
            refused_by.add(n)
            if len(refused_by) == len(nodes):
                return admitted
        else:
            assert r.status_code == 200, r.text
            admitted += 1
    raise AssertionError(f"still admitted after {limit} requests")


def store_writes(srv):
    """The rate limiter's writes to the store so far (None where it keeps no shared windows)."""
    text = requests.get(srv.root + "/metrics", timeout=5).text
    m = re.search(r"^linnet_rate_limit_store_writes_total (\d+)$", text, re.M)
    return int(m.group(1)) if m else None


def test_a_token_spread_over_the_nodes_gets_no_more_than_its_limit(nodes):
    token = nodes[0].make_token("*")
    admitted = until_refused(nodes, token)
    assert 36 <= admitted <= 44, admitted
    # Refused on every node for the rest of the window.
    for srv in nodes:
        assert_error(srv.get("/profile", token=token), 429)


def test_a_token_on_one_node_gets_its_whole_limit(nodes):
    token = nodes[0].make_token("*")
    admitted = until_refused(nodes[:1], token)
    assert 36 <= admitted <= 40, admitted
    # A token that started on the other node and stays on this one loses at most a batch.
    moved = nodes[0].make_token("*")
    assert nodes[-1].get("/profile", token=moved).status_code == 200
    assert 36 <= 1 + until_refused(nodes[:1], moved) <= 40


def test_the_create_limit_holds_across_the_nodes(nodes):
    token = nodes[0].make_token("*")
    assert until_refused(nodes, token, "/linode/instances", "POST", CREATE) == 4
    # The refused creates took nothing from the general budget: 40 - 4 creates are left.
    assert until_refused(nodes, token) == 36


def test_one_write_per_batch(spawn, tmp_path):
    """800 requests of one token under the default limits (800 per 2 minutes): on PostgreSQL
    the limiter writes a batch of 40 at a time, 20 writes and a sweep of old windows; SQLite's
    one server counts in its own memory and writes nothing."""
    srv = spawn(token_scopes="*", data_dir=tmp_path,
                env={"LINNET_RATE_LIMITS": "default", "LINNET_ROLE": "api"})
    before = store_writes(srv)
    for i in range(800):
        r = srv.get("/profile")
        assert r.status_code == 200, (i, r.text)
    assert r.headers["X-RateLimit-Remaining"] == "0"
    assert_error(srv.get("/profile"), 429)
    if support.ENGINE == "sqlite":
        assert before is None and store_writes(srv) is None
    else:
        writes = store_writes(srv) - before
        print(f"rate limiter writes for 800 requests: {writes}")
        assert writes <= 22, writes


def test_sign_in_throttle_and_sessions_hold_across_the_nodes(nodes):
    """A sign-in form from one node is accepted by the other (the session is in the store), and
    failures counted on either node lock the user out on both."""
    make_user(nodes[0], "spread", PASSWORD)
    browser = requests.Session()
    csrf = csrf_token(browser.get(nodes[0].root + "/login", timeout=10).text)

    def attempt(srv, password):
        return browser.post(srv.root + "/login", allow_redirects=False, timeout=30,
                            data={"csrf_token": csrf, "username": "spread",
                                  "password": password})

    for i in range(4):
        r = attempt(nodes[(i + 1) % len(nodes)], "wrong")
        assert r.status_code == 401, r.text[:300]
    for srv in nodes:
        r = attempt(srv, PASSWORD)
        assert r.status_code == 429 and "Too many failed sign-in attempts" in r.text
