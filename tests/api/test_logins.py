"""Sign-ins through the login service are listed: /account/logins (the account's, unrestricted
users only) and /profile/logins (the caller's own), each with its address, time, status
(successful or failed) and whether the user is restricted. A name nobody has is not listed."""
import requests

from support import (assert_error, csrf_token, make_user, restricted_user, set_password,
                     sign_in, unique_username)

PASSWORD = "pale-Lantern-47-orchard"


def failed_sign_in(srv, username):
    b = requests.Session()
    page = b.get(srv.root + "/login", timeout=10)
    r = b.post(srv.root + "/login", allow_redirects=False, timeout=30,
               data={"csrf_token": csrf_token(page.text), "username": username,
                     "password": "not-the-password-1"})
    assert r.status_code == 401


def test_sign_ins_are_listed(spawn):
    srv = spawn(token_scopes="*")
    name = unique_username("in")
    token = make_user(srv, name, PASSWORD)
    failed_sign_in(srv, name)
    sign_in(srv, name, PASSWORD)
    failed_sign_in(srv, unique_username("nobody"))
    mine = srv.get_all("/profile/logins", token=token)
    assert [(l["username"], l["status"]) for l in mine] == [(name, "failed"), (name, "successful")]
    for login in mine:
        assert login["ip"] == "127.0.0.1" and login["restricted"] is False
        assert set(login) == {"id", "username", "ip", "datetime", "status", "restricted"}
        assert srv.get(f"/profile/logins/{login['id']}", token=token).json() == login
    everyone = srv.get_all("/account/logins")
    assert [l["id"] for l in everyone] == [l["id"] for l in mine]
    assert srv.get(f"/account/logins/{mine[0]['id']}").json() == mine[0]
    # The account's first user has signed in nowhere: its own list is empty.
    assert srv.get_all("/profile/logins") == []
    assert_error(srv.get(f"/profile/logins/{mine[0]['id']}"), 404)
    assert_error(srv.get("/account/logins/99999999"), 404)


def test_restricted_users_see_their_own_only(spawn):
    srv = spawn(token_scopes="*")
    name, token = restricted_user(srv, "rin")
    set_password(srv.data_dir, name, PASSWORD)
    sign_in(srv, name, PASSWORD)
    (login,) = srv.get_all("/profile/logins", token=token)
    assert login["restricted"] is True and login["status"] == "successful"
    assert_error(srv.get("/account/logins", token=token), 403)
    assert_error(srv.get(f"/account/logins/{login['id']}", token=token), 403)
    assert srv.get(f"/account/logins/{login['id']}").json() == login


def test_scopes(spawn):
    srv = spawn(token_scopes="*")
    assert_error(srv.get("/account/logins", token=srv.make_token("linodes:read_only")), 401)
    assert srv.get("/profile/logins", token=srv.make_token("account:read_only")).status_code == 200


def test_a_users_last_sign_in(server):
    name = unique_username("ll")
    make_user(server, name, PASSWORD)
    assert server.get(f"/account/users/{name}").json()["last_login"] is None
    sign_in(server, name, PASSWORD)
    last = server.get(f"/account/users/{name}").json()["last_login"]
    assert set(last) == {"login_datetime", "status"} and last["status"] == "successful"
    assert last["login_datetime"] == [l["datetime"] for l in server.get_all("/account/logins")
                                      if l["username"] == name][-1]
    failed_sign_in(server, name)
    assert server.get(f"/account/users/{name}").json()["last_login"]["status"] == "failed"
    listed = [u for u in server.get_all("/account/users") if u["username"] == name]
    assert listed[0]["last_login"]["status"] == "failed"
