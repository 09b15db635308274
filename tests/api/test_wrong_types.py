"""Every wrong JSON type in every field of every POST/PUT body the router serves: never a 500.

The fields come from the request schemas of Linode's OpenAPI spec (data/request_fields.json,
made by scripts/extract_request_fields.py), not from Linnet's own validators: for each field,
nested ones and the items of lists included, each JSON type the spec does not give it (null
where it is not nullable, booleans, integers in and out of 64 bits, fractions, strings, lists,
objects) is sent alone in an otherwise empty body; the whole body is also sent as a list, a
number, a string and null. Every answer must be below 500, and after a PUT that was accepted
the object must still read. Every POST/PUT route of `linnetd routes` is covered: one with no
body in the spec gets the whole-body cases only."""
import json
import subprocess
from pathlib import Path

import pytest
import requests

from support import BIN, Server, live_objects, path_of

FIELDS = json.loads((Path(__file__).parent / "data" / "request_fields.json").read_text())


def body_routes():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.strip().splitlines()[1:]]
    return [(m, p, op) for m, p, op, _ in rows if m in ("POST", "PUT") and p.startswith("/")
            and not op.startswith("alpha-")]


ROUTES = body_routes()

VALUES = [("null", None), ("boolean", True), ("boolean", False), ("integer", -1),
          ("integer", 9223372036854775807), ("number", 1.5), ("number", 1e300),
          ("string", ""), ("string", "x\u0000y"), ("array", []), ("array", [1, "a", None]),
          ("object", {}), ("object", {"a": {"b": 1}})]
# Integers that no 64-bit field holds, sent to integer fields too.
OUT_OF_RANGE = [18446744073709551616, -9223372036854775809, 10 ** 30]


def wrong_values(kind, nullable):
    out = [v for t, v in VALUES
           if t != kind and not (kind == "number" and t == "integer")
           and not (nullable and t == "null")]
    if kind in ("integer", "number"):
        out += OUT_OF_RANGE
    return out


def nest(path, value):
    for part in reversed(path):
        value = [value] if part == "[]" else {part: value}
    return value


@pytest.fixture(scope="module")
def world(tmp_path_factory, engine):
    srv = Server(tmp_path_factory.mktemp("wrong-types"),
                 env={"LINNET_SIM_SCALE": "0", "LINNET_RATE_LIMITS": "off"})
    srv.token = srv.make_token("*")
    srv.start()
    params = live_objects(srv, "wt")
    yield srv, params
    srv.kill()


def send(srv, method, path, raw):
    r = requests.request(method, srv.base_url + path, data=raw, timeout=30,
                         headers={"Authorization": f"Bearer {srv.token}",
                                  "Content-Type": "application/json"})
    return r


@pytest.mark.parametrize("method,template,op", ROUTES, ids=[op for _, _, op in ROUTES])
def test_no_wrong_type_gets_a_500(world, method, template, op):
    srv, params = world
    path = path_of(template, params)
    cases = [(["(body)"], raw) for raw in ("[]", "1", "\"x\"", "null", "[{}]", "true")]
    fields = FIELDS.get(op, {}).get("fields", [])
    # The items of a list of objects are objects: each other type is tried as an item too.
    paths = {tuple(f["path"]) for f in fields}
    items = [{"path": f["path"] + ["[]"], "type": "object", "nullable": False} for f in fields
             if f["type"] == "array" and tuple(f["path"] + ["[]"]) not in paths
             and any(tuple(p[:len(f["path"]) + 1]) == tuple(f["path"] + ["[]"]) for p in paths)]
    for field in fields + items:
        for value in wrong_values(field["type"], field["nullable"]):
            cases.append((field["path"], json.dumps(nest(field["path"], value))))
    failures = []
    statuses = {}
    for field_path, raw in cases:
        r = send(srv, method, path, raw)
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        if r.status_code >= 500:
            failures.append(f"{'.'.join(field_path)} = {raw[:80]}: {r.status_code} {r.text[:200]}")
        elif method == "PUT" and r.status_code < 300:
            back = srv.get(path)
            if back.status_code >= 500:
                failures.append(f"GET after {'.'.join(field_path)} = {raw[:80]}: "
                                f"{back.status_code} {back.text[:200]}")
    print(f"{method} {template}: {len(cases)} bodies, answers {sorted(statuses.items())}")
    assert requests.get(srv.root + "/healthz", timeout=10).status_code == 200
    assert not failures, f"{method} {template}: {len(failures)} of {len(cases)}:\n" + \
        "\n".join(failures[:30])


def test_every_spec_body_of_a_routed_operation_is_tried():
    """The spec extract holds the bodies of the routes it should; a route whose operation is not
    in the spec at all would be tried with whole-body cases only, so it is named here."""
    assert len(FIELDS) > 100
    missing = [op for _, _, op in ROUTES if op not in FIELDS]
    assert set(missing) <= {"post-reset-client-secret", "post-shutdown-linode-instance",
                            "post-event-seen", "post-event-read", "post-clone-linode-disk",
                            "post-detach-volume", "post-cancel-backups",
                            "post-enable-backups", "post-apply-firewalls", "post-tfa-enable",
                            "post-tfa-disable", "post-accept-entity-transfer",
                            "post-accept-service-transfer", "post-close-ticket",
                            "post-ticket-attachment", "put-client-thumbnail",
                            "post-make-payment-method-default", "post-child-account-token",
                            "post-enable-account-managed", "post-managed-credential-revoke",
                            "post-disable-managed-service", "post-enable-managed-service"}, \
        missing
