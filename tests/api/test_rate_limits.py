"""Rate limits: every response carries X-RateLimit-Limit/-Remaining/-Reset; a caller over its
budget gets 429 with Retry-After; limits are per token, per address without one."""
import time

from support import assert_error

LIMITS = "*=6/60,post-linode-instance=2/30"


def limited(spawn):
    return spawn(token_scopes="*", env={"LINNET_RATE_LIMITS": LIMITS, "LINNET_SIM_SCALE": "0"})


def test_headers_count_down(spawn):
    srv = limited(spawn)
    first = srv.get("/profile")
    second = srv.get("/profile")
    assert first.headers["X-RateLimit-Limit"] == "6"
    assert int(first.headers["X-RateLimit-Remaining"]) == 5
    assert int(second.headers["X-RateLimit-Remaining"]) == 4
    reset = int(first.headers["X-RateLimit-Reset"])
    assert time.time() - 1 <= reset <= time.time() + 61


def test_over_the_limit_is_429_with_retry_after(spawn):
    srv = limited(spawn)
    for _ in range(6):
        assert srv.get("/profile").status_code == 200
    r = srv.get("/profile")
    assert_error(r, 429)
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert r.headers["X-RateLimit-Remaining"] == "0"


def test_creates_have_their_own_tighter_limit(spawn):
    srv = limited(spawn)
    body = {"region": "us-east", "type": "g6-nanode-1"}
    assert srv.post("/linode/instances", json=body).status_code == 200
    r = srv.post("/linode/instances", json=body)
    assert r.status_code == 200 and r.headers["X-RateLimit-Limit"] == "2"
    assert_error(srv.post("/linode/instances", json=body), 429)
    # The refused create did not use the general budget: 6 - 2 creates - this one.
    assert srv.get("/profile").headers["X-RateLimit-Remaining"] == "3"


def test_limits_are_per_token(spawn):
    srv = limited(spawn)
    for _ in range(6):
        srv.get("/profile")
    assert srv.get("/profile").status_code == 429
    other = srv.make_token("*")
    assert srv.get("/profile", token=other).status_code == 200


def test_public_routes_count_per_address(spawn):
    srv = limited(spawn)
    codes = [srv.get("/regions", token=None).status_code for _ in range(7)]
    assert codes == [200] * 6 + [429]
    # Unknown routes and bad tokens are counted too, and answered with the headers.
    r = srv.get("/nothing", token=None)
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_off_means_no_limit(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_RATE_LIMITS": "off"})
    for _ in range(20):
        r = srv.get("/profile")
        assert r.status_code == 200
    assert "X-RateLimit-Limit" not in r.headers
