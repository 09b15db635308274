"""Images: GET /images and /images/{id} (raw and %2F-encoded slashes), public without a token,
scope images:read_only checked with one. Compared with data/catalog/images.json."""
import pytest

from support import IMAGE, assert_error, assert_list, load_catalog

IMAGES = load_catalog("images")
PUBLIC = [i for i in IMAGES if i["is_public"]]
DEBIAN12 = next(i for i in IMAGES if i["id"] == "linode/debian12")


def test_anonymous_list_is_the_public_images(server):
    data = assert_list(server.get("/images", token=None), results=len(PUBLIC))
    assert data == PUBLIC


def test_list_with_full_token(server):
    r = server.get("/images")
    assert r.status_code == 200 and r.json()["data"] == PUBLIC
    assert r.headers.get("X-OAuth-Scopes") == "*"


@pytest.mark.parametrize("path", ["/images/linode/debian12", "/images/linode%2Fdebian12",
                                  "/images/linode%2fdebian12"])
def test_get_debian12(server, path):
    r = server.get(path, token=None)
    assert r.status_code == 200 and r.json() == DEBIAN12


@pytest.mark.parametrize("scopes", ["images:read_only", "images:read_write",
                                    "linodes:read_only images:read_only"])
def test_token_with_images_scope_may_read(server, scopes):
    tok = server.make_token(scopes)
    assert server.get("/images", token=tok).status_code == 200
    assert server.get("/images/linode/debian12", token=tok).json() == DEBIAN12


@pytest.mark.parametrize("path", ["/images", "/images/linode/debian12"])
def test_token_without_images_scope_is_refused(server, path):
    tok = server.make_token("linodes:read_only")
    r = server.get(path, token=tok)
    assert_error(r, 401, reason="Your OAuth token is not authorized to use this endpoint.")
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "images:read_only"


def test_invalid_token_is_refused(server):
    assert_error(server.get("/images", token="0" * 64), 401, reason="Invalid Token")


@pytest.mark.parametrize("path", ["/images/linode/nope", "/images/private/999",
                                  "/images/private%2F999", "/images/linode", "/images/debian12",
                                  "/images/linode/debian12/extra"])
def test_unknown_image_is_404(server, path):
    assert_error(server.get(path, token=None), 404)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_public_images_cannot_be_changed(server, method):
    before = server.get(f"/images/{IMAGE}").json()
    r = server.request(method, f"/images/{IMAGE}", json={"label": "mine"})
    assert_error(r, 403, reason="Unauthorized")
    assert server.get(f"/images/{IMAGE}").json() == before
    assert_error(server.request(method, "/images/private/999999", json={}), 404)
    assert_error(server.request(method, f"/images/{IMAGE}", token=server.make_token(
        "images:read_only"), json={}), 401)
