"""GET and PUT /profile: shape, updates that persist, and 400 naming the field for every bad
value; writes need account:read_write."""
import pytest

from support import assert_error

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForLinnetTests0000000000000000000 test@linnet"
FIELDS = {"uid", "username", "email", "timezone", "email_notifications", "restricted",
          "two_factor_auth", "lish_auth_method", "authorized_keys", "ip_whitelist_enabled",
          "referrals", "authentication_type", "verified_phone_number"}


@pytest.fixture
def restore_profile(server):
    before = server.get("/profile").json()
    yield before
    keep = {k: before[k] for k in ("email", "timezone", "email_notifications", "lish_auth_method")}
    keep["authorized_keys"] = before["authorized_keys"] or []
    assert server.put("/profile", json=keep).status_code == 200


def test_get_profile_shape(server):
    body = server.get("/profile").json()
    assert FIELDS <= set(body)
    assert isinstance(body["uid"], int) and body["username"]
    assert body["restricted"] is False
    assert body["lish_auth_method"] in ("password_keys", "keys_only", "disabled")


def test_put_profile_updates_and_persists(server, restore_profile):
    change = {"email": "new@example.com", "timezone": "Europe/Paris", "email_notifications": False,
              "lish_auth_method": "keys_only", "authorized_keys": [KEY]}
    r = server.put("/profile", json=change)
    assert r.status_code == 200, r.text
    for k, v in change.items():
        assert r.json()[k] == v, k
        assert server.get("/profile").json()[k] == v, k
    assert r.json()["username"] == restore_profile["username"]


@pytest.mark.parametrize("method", ["password_keys", "keys_only", "disabled"])
def test_every_lish_auth_method(server, restore_profile, method):
    r = server.put("/profile", json={"lish_auth_method": method})
    assert r.status_code == 200 and r.json()["lish_auth_method"] == method


def test_partial_put_keeps_other_fields(server, restore_profile):
    r = server.put("/profile", json={"timezone": "America/New_York"})
    assert r.status_code == 200
    assert r.json()["email"] == restore_profile["email"]
    assert r.json()["timezone"] == "America/New_York"


@pytest.mark.parametrize("field,value", [
    ("email", "not-an-email"), ("email", ""), ("email", 5), ("email", None),
    ("timezone", 123), ("timezone", ["UTC"]), ("timezone", "Mars/Olympus"), ("timezone", ""),
    ("email_notifications", "yes"), ("email_notifications", 1),
    ("lish_auth_method", "foo"), ("lish_auth_method", ""), ("lish_auth_method", True),
    ("authorized_keys", "ssh-ed25519 AAAA"), ("authorized_keys", [1]), ("authorized_keys", [None]),
    ("authorized_keys", {"key": "x"}),
])
def test_bad_value_is_400_naming_the_field(server, restore_profile, field, value):
    assert_error(server.put("/profile", json={field: value}), 400, field=field)
    assert server.get("/profile").json() == restore_profile


def test_put_profile_needs_account_read_write(server):
    tok = server.make_token("account:read_only")
    r = server.put("/profile", token=tok, json={"timezone": "UTC"})
    assert_error(r, 401)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "account:read_write"
    assert server.put("/profile", token=server.make_token("account:read_write"),
                      json={"timezone": server.get("/profile").json()["timezone"]}).status_code == 200


def test_a_profile_put_back_unchanged_is_accepted_and_fixed_fields_stay(server):
    profile = server.get("/profile").json()
    r = server.put("/profile", json=profile)
    assert r.status_code == 200, r.text
    assert r.json() == profile
    for field in ("restricted", "two_factor_auth", "ip_whitelist_enabled"):
        assert_error(server.put("/profile", json={field: not profile[field]}), 400, field=field)
        assert_error(server.put("/profile", json={field: "yes"}), 400, field=field)
    assert server.get("/profile").json() == profile
