"""Routing: /v4 and /v4beta alike, trailing slashes on collections, unknown routes (404),
wrong methods (405), and paths outside /v4."""
import pytest
import requests

from support import assert_error

NOT_FOUND = {"errors": [{"reason": "Not found"}]}


@pytest.mark.parametrize("path", ["/regions", "/linode/types", "/linode/kernels/linode/grub2",
                                  "/images/linode/debian12", "/profile", "/account/settings"])
def test_v4beta_is_the_same_api(server, path):
    a = server.get(path)
    b = server.get(server.root + "/v4beta" + path)
    assert a.status_code == b.status_code == 200 and a.json() == b.json()


@pytest.mark.parametrize("path", ["/regions", "/linode/types", "/linode/kernels", "/images",
                                  "/regions/availability", "/profile/tokens"])
def test_trailing_slash_on_a_collection_lists(server, path):
    a = server.get(path)
    b = server.get(path + "/")
    assert b.status_code == 200 and b.json() == a.json()
    assert set(b.json()) == {"data", "page", "pages", "results"}
    c = server.get(server.root + "/v4beta" + path + "/")
    assert c.status_code == 200 and c.json() == a.json()


@pytest.mark.parametrize("path", ["/v4/nope", "/v4beta/invalid/endpoint", "/v4/regions/us-east/nope",
                                  "/v4/linode", "/v4/linode/typesx", "/v4/", "/v4",
                                  "/v4/account/nope", "/v4/profile/tokens/1/x"])
def test_unknown_route_is_404(server, path):
    r = requests.get(server.root + path, headers={"Authorization": f"Bearer {server.token}"}, timeout=5)
    assert r.status_code == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("path", ["/regions", "/linode/types", "/v3/regions", "/v4regions",
                                  "/V4/regions", "/api/v4/regions", "/", "/v5/regions"])
def test_paths_outside_v4_are_404(server, path):
    r = requests.get(server.root + path, timeout=5)
    assert r.status_code == 404 and r.json() == NOT_FOUND


@pytest.mark.parametrize("method,path", [
    ("DELETE", "/regions"), ("POST", "/regions"), ("PUT", "/linode/types"),
    ("DELETE", "/regions/us-east"), ("POST", "/linode/kernels/linode/grub2"),
    ("DELETE", "/profile"), ("POST", "/account"), ("DELETE", "/account/settings"),
    ("PATCH", "/profile/tokens"), ("POST", "/images/linode/debian12"),
])
def test_wrong_method_is_405(server, method, path):
    assert_error(server.request(method, path), 405)


def test_json_content_type_on_get_is_accepted(server):
    r = server.get("/regions/us-east", headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["id"] == "us-east"
