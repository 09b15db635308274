"""Parent and child accounts: `linnetd account create NAME --parent P` makes a child account of P
with a proxy user; P's users list its children and take 15-minute tokens of the proxy user
(`POST /account/child-accounts/{euuid}/token`) to act in a child as that user."""
import calendar
import time

from support import (Caller, account_user, assert_error, create_account, create_linode, linnetd,
                     unique_username, wait_status)


def child_of(srv, parent):
    """A child account of PARENT (a username): its first user's name and token."""
    name = unique_username("kid")
    out = linnetd(["account", "create", name, "--email", f"{name}@example.com", "--parent",
                   parent], srv.data_dir, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return name, Caller(srv, out.stdout.strip())


def test_a_parent_acts_in_its_child_through_the_proxy_user(instant):
    parent_name = unique_username("par")
    parent = Caller(instant, create_account(instant.data_dir, parent_name))
    assert parent.put("/account", json={"company": "Acme Hosting"}).status_code == 200
    assert parent.get("/account/child-accounts").json()["results"] == 0
    kid_name, kid = child_of(instant, parent_name)
    child = kid.get("/account").json()

    listed = parent.get("/account/child-accounts").json()
    assert listed["results"] == 1 and listed["data"] == [child]
    assert parent.get(f"/account/child-accounts/{child['euuid']}").json() == child
    assert parent.get("/profile").json()["user_type"] == "parent"
    assert kid.get("/profile").json()["user_type"] == "child"
    users = {u["username"]: u for u in kid.get("/account/users").json()["data"]}
    [proxy] = [u for u in users.values() if u["user_type"] == "proxy"]
    assert proxy["username"].startswith("Acme-Hosting_")

    before = time.time()
    r = parent.post(f"/account/child-accounts/{child['euuid']}/token")
    assert r.status_code == 200, r.text
    token = r.json()
    assert token["scopes"] == "*" and len(token["token"]) == 64
    assert token["label"].startswith(parent_name + "_")
    expiry = calendar.timegm(time.strptime(token["expiry"], "%Y-%m-%dT%H:%M:%S"))
    assert before + 14 * 60 <= expiry <= time.time() + 15 * 60 + 1
    as_proxy = Caller(instant, token["token"])
    me = as_proxy.get("/profile").json()
    assert me["username"] == proxy["username"] and me["user_type"] == "proxy"
    assert as_proxy.get("/account").json()["euuid"] == child["euuid"]
    # What the proxy user makes is the child's.
    linode = create_linode(as_proxy)
    wait_status(as_proxy, linode["id"], ("offline", "running"))
    assert kid.get(f"/linode/instances/{linode['id']}").status_code == 200
    assert_error(parent.get(f"/linode/instances/{linode['id']}"), 404)
    # The proxy user makes no tokens of its own, and the child keeps it.
    assert_error(as_proxy.post("/profile/tokens", json={"label": "mine"}), 403)
    assert_error(kid.delete(f"/account/users/{proxy['username']}"), 400, "username")

    # A child has no children, and is not cancelled by its own users; a parent with children
    # is not cancelled either.
    assert_error(kid.get("/account/child-accounts"), 403)
    assert_error(as_proxy.get("/account/child-accounts"), 403)
    assert_error(kid.post("/account/cancel", json={}), 403)
    assert_error(parent.post("/account/cancel", json={}), 409)


def test_only_the_parent_and_its_granted_users_reach_its_children(instant):
    parent_name = unique_username("par")
    parent = Caller(instant, create_account(instant.data_dir, parent_name))
    _, kid = child_of(instant, parent_name)
    euuid = kid.get("/account").json()["euuid"]
    helper = unique_username("hlp")
    restricted = Caller(instant, account_user(instant.data_dir, parent_name, helper))
    assert_error(restricted.get("/account/child-accounts"), 403)
    assert_error(restricted.post(f"/account/child-accounts/{euuid}/token"), 403)
    r = parent.put(f"/account/users/{helper}/grants",
                   json={"global": {"child_account_access": True}})
    assert r.status_code == 200, r.text
    assert restricted.get(f"/account/child-accounts/{euuid}").json()["euuid"] == euuid
    assert restricted.post(f"/account/child-accounts/{euuid}/token").status_code == 200

    stranger = Caller(instant, create_account(instant.data_dir, unique_username("str")))
    assert stranger.get("/account/child-accounts").json()["data"] == []
    assert_error(stranger.get(f"/account/child-accounts/{euuid}"), 404)
    assert_error(stranger.post(f"/account/child-accounts/{euuid}/token"), 404)
    assert_error(parent.get("/account/child-accounts/NOT-A-CHILD"), 404)
    # Scopes: the child_account area.
    out = linnetd(["token", "create", "--scopes", "child_account:read_only", "--user",
                   parent_name, "--account", parent_name], instant.data_dir,
                  capture_output=True, text=True, timeout=30, check=True)
    read_only = Caller(instant, out.stdout.strip())
    assert read_only.get(f"/account/child-accounts/{euuid}").status_code == 200
    assert_error(read_only.post(f"/account/child-accounts/{euuid}/token"), 401)


def test_a_child_account_cannot_be_a_parent(instant):
    parent_name = unique_username("par")
    create_account(instant.data_dir, parent_name)
    kid_name, _ = child_of(instant, parent_name)
    out = linnetd(["account", "create", unique_username("gk"), "--email", "g@example.com",
                   "--parent", kid_name], instant.data_dir, capture_output=True, text=True,
                  timeout=30)
    assert out.returncode != 0 and "child account itself" in out.stderr
    out = linnetd(["account", "create", unique_username("gk"), "--email", "g@example.com",
                   "--parent", "nobody-at-all"], instant.data_dir, capture_output=True,
                  text=True, timeout=30)
    assert out.returncode != 0 and "no account" in out.stderr
