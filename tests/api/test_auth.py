"""Authentication and scopes: missing/unknown/malformed tokens (401), `token` scheme, scope checks
with X-Accepted-OAuth-Scopes, X-OAuth-Scopes on answers, read_write covering read_only, expiry."""
import datetime
import time

import pytest
import requests

from support import assert_error

NOT_AUTHORIZED = "Your OAuth token is not authorized to use this endpoint."


def test_no_token_on_profile(server):
    r = server.get("/profile", token=None)
    assert r.status_code == 401 and r.json() == {"errors": [{"reason": "Invalid Token"}]}


@pytest.mark.parametrize("auth", ["Bearer " + "0" * 64, "Bearer nope", "Bearer", "Bearer ",
                                  "Basic YWRtaW46YWRtaW4=", "0" * 64, "Bearer  x y"])
def test_bad_authorization_header(server, auth):
    r = requests.get(server.base_url + "/profile", headers={"Authorization": auth}, timeout=5)
    assert r.status_code == 401 and r.json() == {"errors": [{"reason": "Invalid Token"}]}


def test_truncated_token_is_refused(server):
    assert_error(server.get("/profile", token=server.token[:16]), 401, reason="Invalid Token")
    assert_error(server.get("/profile", token=server.token[:-1]), 401, reason="Invalid Token")


def test_token_scheme_works_like_bearer(server):
    r = requests.get(server.base_url + "/profile", headers={"Authorization": f"token {server.token}"},
                     timeout=5)
    assert r.status_code == 200 and r.json()["username"] == server.get("/profile").json()["username"]


def test_authenticated_answers_carry_x_oauth_scopes(server):
    assert server.get("/profile").headers.get("X-OAuth-Scopes") == "*"
    tok = server.make_token("linodes:read_only")
    r = server.get("/profile", token=tok)
    assert r.status_code == 200 and r.headers.get("X-OAuth-Scopes") == "linodes:read_only"


@pytest.mark.parametrize("scopes,method,path,accepted", [
    ("linodes:read_only", "GET", "/account", "account:read_only"),
    ("linodes:read_write", "GET", "/account/settings", "account:read_only"),
    ("account:read_only", "PUT", "/account", "account:read_write"),
    ("account:read_only", "PUT", "/profile", "account:read_write"),
    ("account:read_only", "POST", "/profile/tokens", "account:read_write"),
    ("images:read_write", "GET", "/profile/tokens", "account:read_only"),
    ("linodes:read_only", "DELETE", "/profile/tokens/1", "account:read_write"),
])
def test_missing_scope_is_401_with_accepted_scopes(server, scopes, method, path, accepted):
    tok = server.make_token(scopes)
    r = server.request(method, path, token=tok, json={})
    assert_error(r, 401, reason=NOT_AUTHORIZED)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == accepted


def test_scope_refusal_does_not_change_anything(server):
    tok = server.make_token("account:read_only")
    before = server.get("/account").json()
    assert server.put("/account", token=tok, json={"company": "Nope Ltd"}).status_code == 401
    assert server.get("/account").json() == before


@pytest.mark.parametrize("scopes", ["account:read_only", "account:read_write",
                                    "linodes:read_only account:read_only"])
def test_account_readers(server, scopes):
    tok = server.make_token(scopes)
    r = server.get("/account", token=tok)
    assert r.status_code == 200 and "euuid" in r.json()
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "account:read_only"


def test_profile_needs_only_a_valid_token(server):
    assert server.get("/profile", token=server.make_token("events:read_only")).status_code == 200


def test_public_endpoints_need_no_token(server):
    for path in ["/regions", "/regions/us-east", "/linode/types", "/linode/kernels", "/images"]:
        assert server.get(path, token=None).status_code == 200, path


def test_expired_token_is_refused(server):
    expiry = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=2)
    r = server.post("/profile/tokens", json={"label": "short-lived", "scopes": "account:read_only",
                                             "expiry": expiry.strftime("%Y-%m-%dT%H:%M:%S")})
    assert r.status_code == 200, r.text
    tok = r.json()["token"]
    assert server.get("/account", token=tok).status_code == 200
    time.sleep(max(0.0, (expiry - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.2)
    assert_error(server.get("/account", token=tok), 401, reason="Invalid Token")
    assert_error(server.get("/profile", token=tok), 401)
