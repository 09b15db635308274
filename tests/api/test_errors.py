"""Error envelope: every failure is {"errors":[{"reason", "field"?}]}, oversized bodies give 413,
malformed or non-object JSON bodies give 400."""
import pytest
import requests

from support import assert_error

BIG = b'{"label":"' + b"a" * (1024 * 1024 + 16) + b'"}'


@pytest.mark.parametrize("method,path", [("POST", "/profile/tokens"), ("PUT", "/profile"),
                                         ("PUT", "/account"), ("PUT", "/account/settings")])
def test_body_over_1mib_is_413(server, method, path):
    try:
        r = server.request(method, path, data=BIG, headers={"Content-Type": "application/json"})
    except requests.ConnectionError as e:
        pytest.fail(f"connection dropped instead of a 413 answer: {e}")
    assert_error(r, 413)
    assert server.get("/profile").status_code == 200


def test_body_just_under_1mib_is_not_413(server):
    body = b'{"label":"' + b"a" * (1024 * 1024 - 64) + b'"}'
    r = server.post("/profile/tokens", data=body, headers={"Content-Type": "application/json"})
    assert_error(r, 400, field="label")


@pytest.mark.parametrize("body", [b"{", b"not json", b'{"label": "x",}', b"\xff\xfe", b'{"label":"x"} trailing'])
def test_malformed_json_body_is_400(server, body):
    r = server.post("/profile/tokens", data=body, headers={"Content-Type": "application/json"})
    assert_error(r, 400)


@pytest.mark.parametrize("body", [b"[]", b'"x"', b"42", b"null"])
@pytest.mark.parametrize("method,path", [("POST", "/profile/tokens"), ("PUT", "/profile"),
                                         ("PUT", "/account"), ("PUT", "/account/settings")])
def test_non_object_body_is_400(server, method, path, body):
    assert_error(server.request(method, path, data=body), 400)


def test_error_shapes_of_404_405_401(server):
    assert_error(server.get("/nope"), 404, reason="Not found")
    assert_error(server.delete("/regions"), 405)
    assert_error(server.get("/profile", token=None), 401, reason="Invalid Token")
    assert_error(server.post("/profile/tokens", json={"label": ""}), 400, field="label")
