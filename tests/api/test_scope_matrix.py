"""Every registered route (from `linnetd routes`) called with no token, a token lacking its
scope, one with read_only and one with read_write: 401 exactly when the scope says so."""
import re
import subprocess

import pytest

from support import BIN, create_account, linnetd, unique_username

# A value for each kind of path parameter; the auth layer answers before any lookup.
PARAMS = {"imageId": "linode/debian12", "kernelId": "linode/latest-64bit",
          "regionId": "us-east", "typeId": "g6-nanode-1", "username": "nobody-here",
          "address": "198.18.0.250", "tagLabel": "no-such-tag", "clientId": "0" * 20}


def routes():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.strip().splitlines()[1:]]
    return [(m, p, op, scope) for m, p, op, scope in rows]


def fill(path):
    return re.sub(r"\{(\w+)\+?\}", lambda m: PARAMS.get(m.group(1), "999999"), path)


def required(scope):
    """(kind, [(area, level)]) from the SCOPE column."""
    if scope == "public":
        return "public", []
    if scope == "token":
        return "token", []
    kind = "optional" if scope.startswith("public|") else "scoped"
    scopes = scope.split("|", 1)[-1].replace(",", " ").split()
    return kind, [tuple(s.split(":")) for s in scopes]


@pytest.fixture(scope="module")
def tokens(server):
    made = {}

    def token(scopes):
        if scopes not in made:
            made[scopes] = server.make_token(scopes)
        return made[scopes]
    return token


ROUTES = routes()


# Operations that end the caller's account: their calls run as an account of their own.
ENDS_THE_ACCOUNT = {"post-cancel-account"}


def own_account_tokens(server):
    name = unique_username("sm")
    create_account(server.data_dir, name)

    def token(scopes):
        out = linnetd(["token", "create", "--scopes", scopes, "--user", name, "--account", name],
                      server.data_dir, capture_output=True, text=True, timeout=20, check=True)
        return out.stdout.strip()
    return token


@pytest.mark.parametrize("method,path,operation,scope", ROUTES,
                         ids=[r[2] for r in ROUTES])
def test_scopes_of(server, tokens, method, path, operation, scope):
    if operation in ENDS_THE_ACCOUNT:
        tokens = own_account_tokens(server)
    kind, needs = required(scope)
    url = fill(path)
    body = {} if method in ("POST", "PUT") else None

    def call(token):
        return server.request(method, url, token=token, json=body).status_code

    # Without a token: only public routes (and public-or-scoped ones) answer.
    assert (call(None) == 401) == (kind in ("token", "scoped")), f"no token on {operation}"
    if kind == "public":
        return
    # A token of an area no route uses lacks every scope.
    lacking = tokens("lke:read_write")
    assert (call(lacking) == 401) == (kind in ("scoped", "optional")), f"lacking on {operation}"
    if kind == "token":
        return
    read_only = tokens(" ".join(f"{area}:read_only" for area, _ in needs))
    read_write = tokens(" ".join(f"{area}:read_write" for area, _ in needs))
    needs_write = any(level == "read_write" for _, level in needs)
    assert (call(read_only) == 401) == needs_write, f"read_only on {operation}"
    assert call(read_write) != 401, f"read_write on {operation}"


SPEC = {}
with open(__import__("pathlib").Path(__file__).parent / "data" / "spec_operations.txt") as f:
    for line in f:
        method, path, operation, scope = line.split()[:4]
        SPEC[operation] = (method, path, scope)
# Operations Linode added after the spec this server follows (v4.189.0), served as Linode serves
# them: the method, path and scope of each are Linode's.
NEWER = {"get-regions-vpc-availability": ("GET", "/regions/vpc-availability", "public"),
         "get-region-vpc-availability": ("GET", "/regions/{regionId}/vpc-availability", "public")}


# The 2016 alpha routes (src/api/alpha/) are not operations of the modern spec; their scopes are
# the modern equivalents, checked by test_scopes_of above and in test_alpha.py.
MODERN_ROUTES = [r for r in ROUTES if not r[2].startswith("alpha-")]


@pytest.mark.parametrize("method,path,operation,scope", MODERN_ROUTES,
                         ids=[r[2] for r in MODERN_ROUTES])
def test_route_matches_the_spec(method, path, operation, scope):
    """Each route's method, path and scope are the spec's for its operationId (an image or
    kernel id may span segments: {imageId+})."""
    assert operation in SPEC or operation in NEWER, f"{operation} is not an operation of the spec"
    spec_method, spec_path, spec_scope = SPEC.get(operation) or NEWER[operation]
    assert method == spec_method
    assert path.replace("+}", "}") == spec_path
    # The spec's "ips:read" (of get-ipv6-range) is no scope: ips:read_only is what it means.
    assert scope.split("|")[-1] == spec_scope.replace("ips:read", "ips:read_only") \
        if spec_scope == "ips:read" else scope.split("|")[-1] == spec_scope
