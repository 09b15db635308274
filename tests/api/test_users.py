"""Users of the account under /account/users: the user object, create/get/update/delete with the
spec's username rules, unrestricted callers only, and the admin commands `linnetd user create`
and `linnetd user passwd` (argon2id hashes that verify)."""
import ctypes
import ctypes.util
import re

import pytest

from support import (assert_error, assert_list, db_execute, restricted_user, run_user_cli,
                     unique_username)

USER_KEYS = {"username", "email", "restricted", "ssh_keys", "tfa_enabled", "last_login",
             "password_created", "verified_phone_number", "user_type"}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def create(server, token=None, **body):
    kw = {} if token is None else {"token": token}
    return server.post("/account/users", json=body, **kw)


def new_user(server, restricted=False, prefix="u"):
    name = unique_username(prefix)
    r = create(server, username=name, email=f"{name}@example.com", restricted=restricted)
    assert r.status_code == 200, r.text
    return r.json()


def password_hash(server, username):
    return db_execute(server.data_dir, "SELECT password_hash FROM users WHERE username = ?",
                      (username,))[0][0]


def sodium_verifies(hash_text, password):
    """crypto_pwhash_str_verify from the system's libsodium, independent of linnetd."""
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    assert sodium.sodium_init() >= 0
    pw = password.encode()
    return sodium.crypto_pwhash_str_verify(hash_text.encode(), pw, ctypes.c_ulonglong(len(pw))) == 0


# --- the user object and the list --------------------------------------------------------------

def test_create_answers_the_user_object(server):
    name = unique_username()
    r = create(server, username=name, email=f"{name}@example.com", restricted=True)
    assert r.status_code == 200, r.text
    user = r.json()
    assert set(user) == USER_KEYS
    assert user == {"username": name, "email": f"{name}@example.com", "restricted": True,
                    "ssh_keys": [], "tfa_enabled": False, "last_login": None,
                    "password_created": None, "verified_phone_number": None,
                    "user_type": "default"}
    assert server.get(f"/account/users/{name}").json() == user


def test_restricted_defaults_to_false(server):
    name = unique_username()
    r = create(server, username=name, email=f"{name}@example.com")
    assert r.status_code == 200, r.text
    assert r.json()["restricted"] is False


def test_list_holds_every_user_and_filters_on_username(server):
    a, b = new_user(server), new_user(server, restricted=True)
    users = server.get_all("/account/users")
    names = [u["username"] for u in users]
    assert a["username"] in names and b["username"] in names
    assert all(set(u) == USER_KEYS for u in users)
    data = assert_list(server.get("/account/users", filter={"username": b["username"]}), 1)
    assert data == [b]
    data = assert_list(server.get("/account/users",
                                  filter={"username": {"+contains": b["username"][:-1]}}))
    assert b in data


def test_list_cannot_filter_on_email(server):
    assert_error(server.get("/account/users", filter={"email": "x@example.com"}), 400,
                 field="X-Filter")


# --- validation ----------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["ab", "a" * 33, "-abc", "abc_", "a--b", "a_-b", "a b c",
                                      "abc!", "ünï"])
def test_create_refuses_bad_usernames(server, username):
    assert_error(create(server, username=username, email="x@example.com"), 400, field="username")


@pytest.mark.parametrize("username", ["abc", "a" * 32, "a-b_c", "A1-b2_C3"])
def test_create_accepts_the_spec_pattern(server, username):
    name = username if len(username) > 20 else username + unique_username("")[-6:]
    name = name[:32]
    r = create(server, username=name, email="ok@example.com")
    assert r.status_code == 200, r.text
    server.delete(f"/account/users/{name}")


def test_create_refuses_a_duplicate_username(server):
    user = new_user(server)
    assert_error(create(server, username=user["username"], email="other@example.com"), 400,
                 field="username")


def test_create_requires_username_and_a_valid_email(server):
    assert_error(create(server, email="x@example.com"), 400, field="username")
    assert_error(create(server, username=unique_username()), 400, field="email")
    assert_error(create(server, username=unique_username(), email="not-an-email"), 400,
                 field="email")
    assert_error(create(server, username=unique_username(), email="x@example.com",
                        restricted="yes"), 400, field="restricted")


def test_unknown_user_is_404(server):
    assert_error(server.get("/account/users/nosuchuser404"), 404)
    assert_error(server.put("/account/users/nosuchuser404", json={"email": "a@b.c"}), 404)
    assert_error(server.delete("/account/users/nosuchuser404"), 404)


# --- update and delete ---------------------------------------------------------------------------

def test_update_renames_and_changes_email_and_restricted(server):
    user = new_user(server)
    old = user["username"]
    new = unique_username("renamed")
    r = server.put(f"/account/users/{old}",
                   json={"username": new, "email": "new@example.com", "restricted": True})
    assert r.status_code == 200, r.text
    assert r.json()["username"] == new
    assert r.json()["email"] == "new@example.com" and r.json()["restricted"] is True
    assert server.get(f"/account/users/{new}").json() == r.json()
    assert_error(server.get(f"/account/users/{old}"), 404)


def test_update_validates_like_create(server):
    a, b = new_user(server), new_user(server)
    assert_error(server.put(f"/account/users/{a['username']}", json={"username": b["username"]}),
                 400, field="username")
    assert_error(server.put(f"/account/users/{a['username']}", json={"username": "x"}), 400,
                 field="username")
    assert_error(server.put(f"/account/users/{a['username']}", json={"email": "nope"}), 400,
                 field="email")
    # Keeping one's own name is no conflict.
    r = server.put(f"/account/users/{a['username']}", json={"username": a["username"]})
    assert r.status_code == 200, r.text


def test_delete_removes_the_user_and_its_tokens(server):
    user = new_user(server)
    token = server.make_token("*", user=user["username"])
    assert server.get("/profile", token=token).status_code == 200
    r = server.delete(f"/account/users/{user['username']}")
    assert r.status_code == 200 and r.json() == {}
    assert_error(server.get(f"/account/users/{user['username']}"), 404)
    assert_error(server.get("/profile", token=token), 401)


def test_delete_keeps_the_users_linodes_in_the_account(server):
    name, token = restricted_user(server)
    server.put(f"/account/users/{name}/grants", json={"global": {"add_linodes": True}})
    r = server.post("/linode/instances", token=token,
                    json={"region": "us-east", "type": "g6-nanode-1", "label": name + "-l"})
    assert r.status_code == 200, r.text
    assert server.delete(f"/account/users/{name}").status_code == 200
    assert server.get(f"/linode/instances/{r.json()['id']}").status_code == 200


def test_cannot_delete_oneself(server):
    me = server.get("/profile").json()["username"]
    assert_error(server.delete(f"/account/users/{me}"), 400)


# --- unrestricted users only ---------------------------------------------------------------------

def test_restricted_users_may_not_manage_users(server):
    name, token = restricted_user(server)
    server.put(f"/account/users/{name}/grants", json={"global": {"account_access": "read_write"}})
    forbidden = {"errors": [{"reason": "Unauthorized"}]}
    for method, path, body in [("GET", "/account/users", None),
                               ("POST", "/account/users", {"username": unique_username(),
                                                           "email": "a@example.com"}),
                               ("GET", f"/account/users/{name}", None),
                               ("PUT", f"/account/users/{name}", {"restricted": False}),
                               ("DELETE", f"/account/users/{name}", None)]:
        r = server.request(method, path, token=token, json=body)
        assert r.status_code == 403 and r.json() == forbidden, (method, path, r.text)
    assert server.get(f"/account/users/{name}").json()["restricted"] is True


def test_routes_declare_account_scopes(server):
    ro = server.make_token("account:read_only")
    assert server.get("/account/users", token=ro).status_code == 200
    r = server.post("/account/users", token=ro,
                    json={"username": unique_username(), "email": "a@example.com"})
    assert r.status_code == 401
    assert r.headers["X-Accepted-OAuth-Scopes"] == "account:read_write"
    other = server.make_token("linodes:read_write")
    assert server.get("/account/users", token=other).status_code == 401


# --- the admin commands --------------------------------------------------------------------------

def test_cli_user_create_makes_restricted_and_unrestricted_users(server):
    name = unique_username("cli")
    out = run_user_cli(server.data_dir, "create", name, "--email", f"{name}@example.com",
                       "--restricted")
    assert out.returncode == 0, out.stderr
    user = server.get(f"/account/users/{name}").json()
    assert user["restricted"] is True and user["email"] == f"{name}@example.com"
    other = unique_username("cli")
    out = run_user_cli(server.data_dir, "create", other, "--email", f"{other}@example.com")
    assert out.returncode == 0, out.stderr
    assert server.get(f"/account/users/{other}").json()["restricted"] is False


def test_cli_user_create_refuses_duplicates_and_bad_input(server):
    name = unique_username("cli")
    assert run_user_cli(server.data_dir, "create", name, "--email", "a@example.com").returncode == 0
    out = run_user_cli(server.data_dir, "create", name, "--email", "a@example.com")
    assert out.returncode != 0 and "already exists" in out.stderr
    out = run_user_cli(server.data_dir, "create", "a--b", "--email", "a@example.com")
    assert out.returncode != 0 and "username" in out.stderr
    out = run_user_cli(server.data_dir, "create", unique_username("cli"), "--email", "nope")
    assert out.returncode != 0 and "email" in out.stderr
    out = run_user_cli(server.data_dir, "create", unique_username("cli"))
    assert out.returncode != 0  # --email is required


def test_cli_user_passwd_stores_an_argon2id_hash_that_verifies(server):
    user = new_user(server)
    name = user["username"]
    assert password_hash(server, name) is None
    out = run_user_cli(server.data_dir, "passwd", name, stdin="Corr3ct-Horse-9\n")
    assert out.returncode == 0, out.stderr
    stored = password_hash(server, name)
    assert stored.startswith("$argon2id$"), stored
    assert "Corr3ct-Horse-9" not in stored
    assert sodium_verifies(stored, "Corr3ct-Horse-9")
    assert not sodium_verifies(stored, "corr3ct-horse-9")
    created = server.get(f"/account/users/{name}").json()["password_created"]
    assert TIME.match(created), created


@pytest.mark.parametrize("stdin,why", [("\n", "no password"), ("", "no password"),
                                        ("short1\n", "8-128"), ("abcdefghijkl\n", "weak"),
                                        ("aaaa1111aaaa\n", "weak")])
def test_cli_user_passwd_rejects_empty_and_weak_passwords(server, stdin, why):
    name = new_user(server)["username"]
    out = run_user_cli(server.data_dir, "passwd", name, stdin=stdin)
    assert out.returncode != 0
    assert why in out.stderr, out.stderr
    assert password_hash(server, name) is None


def test_cli_user_passwd_refuses_an_unknown_user(server):
    out = run_user_cli(server.data_dir, "passwd", "nosuchuser404", stdin="Corr3ct-Horse-9\n")
    assert out.returncode != 0 and "no user" in out.stderr


def test_cli_the_first_user_must_be_unrestricted(tmp_path):
    out = run_user_cli(tmp_path, "create", "firstuser", "--email", "a@example.com",
                       "--restricted")
    assert out.returncode != 0 and "first user" in out.stderr
    out = run_user_cli(tmp_path, "create", "firstuser", "--email", "a@example.com")
    assert out.returncode == 0, out.stderr
    out = run_user_cli(tmp_path, "create", "seconduser", "--email", "b@example.com",
                       "--restricted")
    assert out.returncode == 0, out.stderr
