"""CORS: OPTIONS preflight on any /v4 path answers 200 with the allow/expose headers, without a
token; normal, error and authenticated responses carry the same headers."""
import pytest


def header_set(resp, name):
    return {h.strip().lower() for h in resp.headers.get(name, "").split(",") if h.strip()}


def assert_cors(resp):
    assert resp.headers.get("Access-Control-Allow-Origin") == "*"
    assert {"authorization", "content-type", "x-filter"} <= header_set(resp, "Access-Control-Allow-Headers")
    assert {"x-oauth-scopes", "x-accepted-oauth-scopes", "x-status"} <= header_set(
        resp, "Access-Control-Expose-Headers")


PREFLIGHT = {"Origin": "https://cloud.example.com", "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization, content-type, x-filter"}


@pytest.mark.parametrize("path", ["/regions", "/profile", "/profile/tokens", "/account",
                                  "/linode/instances", "/images/linode/debian12", "/no/such/route"])
def test_preflight_answers_200(server, path):
    r = server.request("OPTIONS", path, token=None, headers=PREFLIGHT)
    assert r.status_code == 200, r.text
    assert_cors(r)
    methods = header_set(r, "Access-Control-Allow-Methods")
    assert {"get", "post", "put", "delete", "options"} <= methods


def test_preflight_on_v4beta(server):
    r = server.request("OPTIONS", server.root + "/v4beta/regions", token=None, headers=PREFLIGHT)
    assert r.status_code == 200
    assert_cors(r)


@pytest.mark.parametrize("method,path,token,status", [
    ("GET", "/regions", None, 200),
    ("GET", "/profile", "default", 200),
    ("GET", "/profile", None, 401),
    ("GET", "/nope", None, 404),
    ("DELETE", "/regions", None, 405),
    ("GET", "/linode/types", "filter", 400),
])
def test_normal_responses_carry_cors_headers(server, method, path, token, status):
    kw = {"token": None}
    if token == "default":
        kw = {}
    if token == "filter":
        kw["filter"] = "not json"
    r = server.request(method, path, headers={"Origin": "https://cloud.example.com"}, **kw)
    assert r.status_code == status
    assert_cors(r)
