"""Personal access tokens under /profile/tokens: list (own tokens only, 16-char prefix), create with
scope/label/expiry rules, get/rename/delete by id, and other users' or bad ids giving 404."""
import re

import pytest

from support import assert_error, assert_list

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
KEYS = {"id", "label", "scopes", "created", "expiry", "token"}


def create(server, token=None, **body):
    kw = {} if token is None else {"token": token}
    return server.post("/profile/tokens", json=body, **kw)


def scope_set(s):
    return set(s.split())


def test_list_shows_own_tokens_with_16_char_prefix(server):
    data = assert_list(server.get("/profile/tokens"))
    assert data
    for t in data:
        assert set(t) == KEYS
        assert isinstance(t["id"], int) and len(t["token"]) == 16
        assert TIME.match(t["created"])
    assert server.token[:16] in [t["token"] for t in data]


def test_list_excludes_other_users_tokens(server):
    bob = server.make_token("*", user="bob-list")
    bob_ids = {t["id"] for t in server.get("/profile/tokens", token=bob).json()["data"]}
    assert [t["token"] for t in server.get("/profile/tokens", token=bob).json()["data"]] == [bob[:16]]
    mine = {t["id"] for t in server.get_all("/profile/tokens")}
    assert mine and not (mine & bob_ids)


def test_create_returns_full_token_that_works_with_those_scopes(server):
    r = create(server, label="reader", scopes="linodes:read_only account:read_only")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == KEYS and body["label"] == "reader" and body["expiry"] is None
    assert len(body["token"]) == 64 and body["token"] != server.token
    assert scope_set(body["scopes"]) == {"linodes:read_only", "account:read_only"}
    tok = body["token"]
    assert server.get("/account", token=tok).status_code == 200
    assert server.put("/account", token=tok, json={}).status_code == 401
    assert scope_set(server.get("/profile", token=tok).headers["X-OAuth-Scopes"]) == scope_set(body["scopes"])
    listed = server.get(f"/profile/tokens/{body['id']}").json()
    assert listed["token"] == tok[:16] and listed["label"] == "reader"


def test_default_scopes_are_the_callers(server):
    assert create(server, label="star").json()["scopes"] == "*"
    caller = server.make_token("account:read_write linodes:read_only")
    r = create(server, token=caller, label="inherit")
    assert r.status_code == 200, r.text
    assert scope_set(r.json()["scopes"]) == {"account:read_write", "linodes:read_only"}


def test_narrower_scopes_are_allowed(server):
    caller = server.make_token("account:read_write")
    r = create(server, token=caller, label="narrow", scopes="account:read_only")
    assert r.status_code == 200 and r.json()["scopes"] == "account:read_only"


def test_star_from_a_narrower_caller_means_the_callers_scopes(server):
    # spec (POST /profile/tokens): "*" gives the new token the acting token's scopes, never more
    caller = server.make_token("account:read_write")
    r = create(server, token=caller, label="star-narrow", scopes="*")
    assert r.status_code == 200 and r.json()["scopes"] == "account:read_write"
    assert server.get("/images", token=r.json()["token"]).status_code == 401


@pytest.mark.parametrize("caller,scopes", [
    ("account:read_write", "account:read_write linodes:read_only"),
    ("account:read_write linodes:read_only", "linodes:read_write"),
])
def test_wider_scopes_are_refused(server, caller, scopes):
    assert_error(create(server, token=server.make_token(caller), label="wide", scopes=scopes),
                 400, field="scopes")


@pytest.mark.parametrize("scopes", ["foo:read_only", "account:write", "account", "account:read_none",
                                    "linodes:read_only foo:read_write", 5, ["*"], ""])
def test_unknown_or_malformed_scopes(server, scopes):
    assert_error(create(server, label="bad", scopes=scopes), 400, field="scopes")


@pytest.mark.parametrize("label", ["", "x" * 101, 5, None, ["a"]])
def test_bad_label(server, label):
    assert_error(create(server, label=label), 400, field="label")


def test_label_of_100_chars_is_fine(server):
    r = create(server, label="x" * 100)
    assert r.status_code == 200 and r.json()["label"] == "x" * 100


@pytest.mark.parametrize("expiry", ["2000-01-01T00:00:00", "yesterday", "2099-13-01T00:00:00",
                                    "2099-01-01", 1234567890, "2099-02-30T00:00:00"])
def test_bad_expiry(server, expiry):
    assert_error(create(server, label="exp", expiry=expiry), 400, field="expiry")


def test_future_expiry_is_kept(server):
    r = create(server, label="future", expiry="2099-01-01T00:00:00")
    assert r.status_code == 200 and r.json()["expiry"] == "2099-01-01T00:00:00"
    assert server.get("/profile", token=r.json()["token"]).status_code == 200


def test_get_rename_delete(server):
    made = create(server, label="temp", scopes="account:read_only").json()
    path = f"/profile/tokens/{made['id']}"
    got = server.get(path).json()
    assert got == {**made, "token": made["token"][:16]}
    r = server.put(path, json={"label": "renamed"})
    assert r.status_code == 200 and r.json()["label"] == "renamed" and r.json()["scopes"] == "account:read_only"
    assert server.get(path).json()["label"] == "renamed"
    assert_error(server.put(path, json={"label": ""}), 400, field="label")
    assert_error(server.put(path, json={"label": "y" * 101}), 400, field="label")
    assert server.get("/account", token=made["token"]).status_code == 200
    r = server.delete(path)
    assert r.status_code == 200 and r.json() == {}
    assert_error(server.get("/account", token=made["token"]), 401)
    assert_error(server.get(path), 404)
    assert_error(server.delete(path), 404)


def test_other_users_token_ids_are_404(server):
    bob = server.make_token("*", user="bob-ids")
    bob_id = server.get("/profile/tokens", token=bob).json()["data"][0]["id"]
    path = f"/profile/tokens/{bob_id}"
    assert_error(server.get(path), 404)
    assert_error(server.put(path, json={"label": "stolen"}), 404)
    assert_error(server.delete(path), 404)
    assert server.get(path, token=bob).json()["label"] != "stolen"
    assert server.get("/profile", token=bob).status_code == 200


@pytest.mark.parametrize("tid", ["abc", "1.0", "-1", "0", "999999", "99999999999999999999999", "1%20"])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_bad_or_unknown_ids_are_404(server, tid, method):
    assert_error(server.request(method, f"/profile/tokens/{tid}", json={"label": "x"}), 404)


def test_a_token_that_expires_makes_none_that_outlives_it(server):
    """A narrow token with an expiry: what it creates expires no later (by default at the same
    time); a '*' token with an expiry may create a lasting one (linode-cli's configure does)."""
    r = create(server, label="short", scopes="account:read_write linodes:read_write",
               expiry="2098-01-01T00:00:00")
    assert r.status_code == 200, r.text
    short = r.json()["token"]
    child = create(server, token=short, label="child", scopes="linodes:read_only")
    assert child.status_code == 200 and child.json()["expiry"] == "2098-01-01T00:00:00"
    assert_error(create(server, token=short, label="late", scopes="linodes:read_only",
                        expiry="2099-01-01T00:00:00"), 400, field="expiry")
    sooner = create(server, token=short, label="sooner", expiry="2097-01-01T00:00:00")
    assert sooner.status_code == 200 and sooner.json()["expiry"] == "2097-01-01T00:00:00"
    star = create(server, label="star", scopes="*", expiry="2098-01-01T00:00:00").json()["token"]
    lasting = create(server, token=star, label="lasting", scopes="*")
    assert lasting.status_code == 200 and lasting.json()["expiry"] is None
