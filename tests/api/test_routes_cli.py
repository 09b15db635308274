"""`linnetd routes`: the one route table, with each route's spec operationId and scope.
Checked against operations from the spec for the routes served today."""
import subprocess

from support import BIN

# method, path, operationId, scope as `linnetd routes` prints it
EXPECTED = [
    ("GET", "/regions", "get-regions", "public"),
    ("GET", "/regions/{regionId}", "get-region", "public"),
    ("GET", "/regions/availability", "get-regions-availability", "public"),
    ("GET", "/regions/{regionId}/availability", "get-region-availability", "public"),
    ("GET", "/linode/types", "get-linode-types", "public"),
    ("GET", "/linode/types/{typeId}", "get-linode-type", "public"),
    ("GET", "/linode/kernels", "get-kernels", "public"),
    ("GET", "/images", "get-images", "public|images:read_only"),
    ("GET", "/profile", "get-profile", "token"),
    ("PUT", "/profile", "put-profile", "account:read_write"),
    ("GET", "/profile/tokens", "get-personal-access-tokens", "account:read_only"),
    ("POST", "/profile/tokens", "post-personal-access-token", "account:read_write"),
    ("GET", "/profile/tokens/{tokenId}", "get-personal-access-token", "account:read_only"),
    ("PUT", "/profile/tokens/{tokenId}", "put-personal-access-token", "account:read_write"),
    ("DELETE", "/profile/tokens/{tokenId}", "delete-personal-access-token", "account:read_write"),
    ("GET", "/account", "get-account", "account:read_only"),
    ("PUT", "/account", "put-account", "account:read_write"),
    ("GET", "/account/settings", "get-account-settings", "account:read_only"),
    ("PUT", "/account/settings", "put-account-settings", "account:read_write"),
]


def table():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert lines[0].split() == ["METHOD", "PATH", "OPERATION", "SCOPE"]
    return [tuple(line.split()) for line in lines[1:]]


def test_every_expected_route_is_in_the_table():
    rows = set(table())
    missing = [e for e in EXPECTED if e not in rows]
    assert not missing


def test_operation_ids_are_unique():
    ops = [row[2] for row in table()]
    assert len(ops) == len(set(ops))
