"""/profile/sshkeys: a user's SSH public keys (add, list, rename, delete), each
user's own; the key must be an SSH public key; a create or rebuild that names users in
authorized_users accepts the users of the account (their keys are installed: tests/e2e)."""
import pytest

from support import assert_error, create_from_image, unique_username

KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcKWXa5yCsgP8TeBNFd0PT3e2ewHVKrO/D5Wg0nDwyB "
       "someone@laptop")
RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"


def test_add_list_rename_delete(server):
    r = server.post("/profile/sshkeys", json={"label": "laptop", "ssh_key": KEY})
    assert r.status_code == 200, r.text
    key = r.json()
    assert set(key) == {"id", "label", "ssh_key", "created"}
    assert key["label"] == "laptop" and key["ssh_key"] == KEY
    assert server.get(f"/profile/sshkeys/{key['id']}").json() == key
    assert key["id"] in [k["id"] for k in server.get_all("/profile/sshkeys")]
    # The spec marks no field of a key filterable.
    assert_error(server.get("/profile/sshkeys", filter={"label": "laptop"}), 400)
    r = server.put(f"/profile/sshkeys/{key['id']}", json={"label": "desk"})
    assert r.status_code == 200 and r.json()["label"] == "desk"
    # Sent back whole, unchanged: accepted; the key itself cannot change.
    assert server.put(f"/profile/sshkeys/{key['id']}", json=r.json()).status_code == 200
    assert_error(server.put(f"/profile/sshkeys/{key['id']}", json={"ssh_key": RSA}), 400,
                 field="ssh_key")
    assert server.delete(f"/profile/sshkeys/{key['id']}").status_code == 200
    assert_error(server.get(f"/profile/sshkeys/{key['id']}"), 404)
    assert_error(server.delete(f"/profile/sshkeys/{key['id']}"), 404)


@pytest.mark.parametrize("body,field", [
    ({}, "ssh_key"), ({"ssh_key": "not a key"}, "ssh_key"),
    ({"ssh_key": "ssh-ed25519 not*base64"}, "ssh_key"), ({"ssh_key": "ssh-foo AAAA"}, "ssh_key"),
    ({"ssh_key": KEY + "\nssh-rsa AAAA"}, "ssh_key"), ({"ssh_key": 5}, "ssh_key"),
    ({"ssh_key": KEY, "label": "x" * 65}, "label"), ({"ssh_key": KEY, "label": "a\u0000b"}, "label"),
])
def test_bad_keys_are_refused(server, body, field):
    before = server.get_all("/profile/sshkeys")
    assert_error(server.post("/profile/sshkeys", json=body), 400, field=field)
    assert server.get_all("/profile/sshkeys") == before


def test_keys_are_their_users_own(server):
    mine = server.post("/profile/sshkeys", json={"label": "mine", "ssh_key": KEY}).json()
    other = server.make_token("*", user=unique_username("keys"))
    assert server.get_all("/profile/sshkeys", token=other) == []
    assert_error(server.get(f"/profile/sshkeys/{mine['id']}", token=other), 404)
    assert_error(server.delete(f"/profile/sshkeys/{mine['id']}", token=other), 404)
    assert server.get(f"/profile/sshkeys/{mine['id']}").status_code == 200


def test_scopes(server):
    read = server.make_token("account:read_only")
    assert server.get("/profile/sshkeys", token=read).status_code == 200
    assert_error(server.post("/profile/sshkeys", token=read, json={"ssh_key": KEY}), 401)


def test_authorized_users_on_create_and_rebuild(instant):
    me = instant.get("/profile").json()["username"]
    instant.post("/profile/sshkeys", json={"label": "deploy", "ssh_key": KEY})
    linode = create_from_image(instant, authorized_users=[me])
    r = instant.post(f"/linode/instances/{linode['id']}/rebuild",
                     json={"image": linode["image"], "root_pass": "q8w2k5m1z9x4c7v3",
                           "authorized_users": [me]})
    assert r.status_code == 200, r.text
    assert_error(instant.post(f"/linode/instances/{linode['id']}/rebuild",
                              json={"image": linode["image"], "root_pass": "q8w2k5m1z9x4c7v3",
                                    "authorized_users": ["nobody-at-all"]}), 400,
                 field="authorized_users")
