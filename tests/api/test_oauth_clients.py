"""/account/oauth-clients: create, list, get, update, delete and reset-secret; secrets shown
once and stored hashed; public clients have none; label and public are filterable."""
import hashlib
import re

import pytest

import support
from support import assert_error, assert_list, create_client, db_execute

REDACTED = "<REDACTED>"


def stored_client(server, client_id):
    rows = db_execute(server.data_dir, "SELECT secret_hash, public FROM oauth_clients WHERE id = ?",
                      (client_id,))
    return rows[0] if rows else None


def test_create_shows_the_secret_once(server):
    client = create_client(server, label="create-shows", redirect_uri="https://example.org/cb")
    assert set(client) == {"id", "label", "public", "redirect_uri", "secret", "status",
                           "thumbnail_url"}
    assert re.fullmatch(r"[0-9a-f]{20}", client["id"])
    assert re.fullmatch(r"[0-9a-f]{64}", client["secret"])
    assert client["label"] == "create-shows"
    assert client["public"] is False
    assert client["redirect_uri"] == "https://example.org/cb"
    assert client["status"] == "active"
    assert client["thumbnail_url"] is None

    again = server.get(f"/account/oauth-clients/{client['id']}")
    assert again.status_code == 200
    assert again.json() == dict(client, secret=REDACTED)
    listed = [c for c in assert_list(server.get("/account/oauth-clients"))
              if c["id"] == client["id"]]
    assert listed == [dict(client, secret=REDACTED)]


def test_secret_is_stored_hashed(server):
    client = create_client(server, label="hashed")
    secret_hash, public = stored_client(server, client["id"])
    assert secret_hash == hashlib.sha256(client["secret"].encode()).hexdigest()
    assert public == 0
    if support.ENGINE == "sqlite":
        with open(server.data_dir / "linnet.db", "rb") as f:
            assert client["secret"].encode() not in f.read()
    for row in db_execute(server.data_dir, "SELECT * FROM oauth_clients"):
        assert client["secret"] not in repr(row)


def test_public_client_has_no_secret(server):
    client = create_client(server, label="public-one", public=True)
    assert client["public"] is True
    assert client["secret"] == REDACTED
    assert stored_client(server, client["id"]) == (None, 1)
    r = server.post(f"/account/oauth-clients/{client['id']}/reset-secret")
    assert_error(r, 400)


def test_reset_secret_replaces_it(server):
    client = create_client(server, label="reset-me")
    r = server.post(f"/account/oauth-clients/{client['id']}/reset-secret")
    assert r.status_code == 200, r.text
    reset = r.json()
    assert re.fullmatch(r"[0-9a-f]{64}", reset["secret"])
    assert reset["secret"] != client["secret"]
    assert reset["id"] == client["id"] and reset["label"] == client["label"]
    assert stored_client(server, client["id"])[0] == hashlib.sha256(
        reset["secret"].encode()).hexdigest()
    assert server.get(f"/account/oauth-clients/{client['id']}").json()["secret"] == REDACTED


@pytest.mark.parametrize("body,field", [
    ({"redirect_uri": "https://example.org/cb"}, "label"),
    ({"label": "x"}, "redirect_uri"),
    ({"label": "", "redirect_uri": "https://example.org/cb"}, "label"),
    ({"label": "x" * 513, "redirect_uri": "https://example.org/cb"}, "label"),
    ({"label": "x", "redirect_uri": "ftp://example.org/cb"}, "redirect_uri"),
    ({"label": "x", "redirect_uri": "https://example.org/cb#frag"}, "redirect_uri"),
    ({"label": "x", "redirect_uri": "/relative"}, "redirect_uri"),
    ({"label": "x", "redirect_uri": "https://example.org/cb", "public": "yes"}, "public"),
])
def test_create_validates(server, body, field):
    assert_error(server.post("/account/oauth-clients", json=body), 400, field=field)


def test_label_of_512_is_accepted(server):
    client = create_client(server, label="y" * 512)
    assert client["label"] == "y" * 512


def test_update_label_and_redirect_uri(server):
    client = create_client(server, label="before")
    r = server.put(f"/account/oauth-clients/{client['id']}",
                   json={"label": "after", "redirect_uri": "https://example.com/new"})
    assert r.status_code == 200, r.text
    assert r.json() == dict(client, label="after", redirect_uri="https://example.com/new",
                            secret=REDACTED)
    assert server.get(f"/account/oauth-clients/{client['id']}").json()["label"] == "after"


@pytest.mark.parametrize("body,field", [
    ({"public": True}, "public"),
    ({"secret": "mine"}, "secret"),
    ({"label": ""}, "label"),
    ({"redirect_uri": "nope"}, "redirect_uri"),
])
def test_update_refuses(server, body, field):
    client = create_client(server, label="refuses")
    assert_error(server.put(f"/account/oauth-clients/{client['id']}", json=body), 400,
                 field=field)


def test_delete(server):
    client = create_client(server, label="doomed")
    r = server.delete(f"/account/oauth-clients/{client['id']}")
    assert r.status_code == 200 and r.json() == {}
    assert_error(server.get(f"/account/oauth-clients/{client['id']}"), 404)
    assert_error(server.delete(f"/account/oauth-clients/{client['id']}"), 404)


def test_unknown_client_is_404(server):
    assert_error(server.get("/account/oauth-clients/" + "f" * 20), 404)
    assert_error(server.put("/account/oauth-clients/" + "f" * 20, json={"label": "x"}), 404)
    assert_error(server.post("/account/oauth-clients/" + "f" * 20 + "/reset-secret"), 404)


def test_filter_by_label_and_public(server):
    mark = "filterable-7q"
    confidential = create_client(server, label=mark + "-a")
    public = create_client(server, label=mark + "-b", public=True)
    found = assert_list(server.get("/account/oauth-clients",
                                   filter={"label": {"+contains": mark}}))
    assert [c["id"] for c in found] == [confidential["id"], public["id"]]
    found = assert_list(server.get("/account/oauth-clients",
                                   filter={"label": {"+contains": mark}, "public": True}))
    assert [c["id"] for c in found] == [public["id"]]
    assert_error(server.get("/account/oauth-clients", filter={"redirect_uri": "x"}), 400,
                 field="X-Filter")


def test_scopes(server):
    reader = server.make_token("account:read_only")
    assert server.get("/account/oauth-clients", token=reader).status_code == 200
    r = server.post("/account/oauth-clients", token=reader,
                    json={"label": "x", "redirect_uri": "https://example.org/cb"})
    assert_error(r, 401)
    assert r.headers["X-Accepted-OAuth-Scopes"] == "account:read_write"


def test_events_are_recorded(server):
    def count(action):
        return len(server.get_all("/account/events", filter={"action": action}))

    actions = ["oauth_client_create", "oauth_client_update", "oauth_client_secret_reset",
               "oauth_client_delete"]
    before = {a: count(a) for a in actions}
    client = create_client(server, label="eventful")
    server.put(f"/account/oauth-clients/{client['id']}", json={"label": "eventful-2"})
    server.post(f"/account/oauth-clients/{client['id']}/reset-secret")
    server.delete(f"/account/oauth-clients/{client['id']}")
    assert {a: count(a) - before[a] for a in actions} == {a: 1 for a in actions}


def test_a_clients_thumbnail(server):
    import base64
    import requests as plain
    client = create_client(server, label="thumbs")
    assert client["thumbnail_url"] is None
    url = f"/account/oauth-clients/{client['id']}/thumbnail"
    assert_error(server.get(url, token=None), 404)
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf"
                           "DwAChwGA60e6kgAAAABJRU5ErkJggg==")
    r = server.put(url, data=png, headers={"Content-Type": "image/png"})
    assert r.status_code == 200 and r.json() == {}, r.text
    # Anyone may read it, with no token.
    got = plain.get(server.base_url + url, timeout=10)
    assert got.status_code == 200 and got.headers["Content-Type"] == "image/png"
    assert got.content == png
    assert server.get(f"/account/oauth-clients/{client['id']}").json()["thumbnail_url"] == \
        "/v4" + url
    assert_error(server.put(url, data=b"GIF89a not a png", headers={"Content-Type": "image/png"}),
                 400)
    assert_error(server.put(url, data=png[:8] + b"\0" * (128 * 1024),
                            headers={"Content-Type": "image/png"}), 400)
    assert_error(server.put("/account/oauth-clients/0123456789abcdef0123/thumbnail", data=png,
                            headers={"Content-Type": "image/png"}), 404)
