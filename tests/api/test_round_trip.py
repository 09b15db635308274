"""Whatever a GET answers, a PUT of it unchanged is accepted and changes nothing: SDKs save whole
objects (read, change a field, send everything back). Every PUT route of `linnetd routes` is
tried on a live object of its kind; the fields that move by themselves (updated) are left out of
the comparison."""
import subprocess

import pytest

from support import BIN, Server, live_objects, path_of


def put_routes():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.strip().splitlines()[1:]]
    return [(p, op) for m, p, op, _ in rows if m == "PUT" and not op.startswith("alpha-")]


# Objects a PUT exists for that are not the caller's to change: the reason.
NOT_THE_CALLERS = {"put-image": "public images are the catalog's (private ones come with image "
                                "capture and upload)",
                   "put-client-thumbnail": "a PNG, not a document (test_oauth_clients puts one "
                                           "and reads it back)"}
ROUTES = [(p, op) for p, op in put_routes() if op not in NOT_THE_CALLERS]
MOVING = {"updated"}


@pytest.fixture(scope="module")
def world(tmp_path_factory, engine):
    srv = Server(tmp_path_factory.mktemp("round-trip"),
                 env={"LINNET_SIM_SCALE": "0", "LINNET_RATE_LIMITS": "off"})
    srv.token = srv.make_token("*")
    srv.start()
    params = live_objects(srv, "rt")
    srv.put("/profile/preferences", json={"theme": "dark", "sort": {"by": "label"}})
    yield srv, params
    srv.kill()


def without_moving(doc):
    if isinstance(doc, dict):
        return {k: without_moving(v) for k, v in doc.items() if k not in MOVING}
    if isinstance(doc, list):
        return [without_moving(v) for v in doc]
    return doc


@pytest.mark.parametrize("template,op", ROUTES, ids=[op for _, op in ROUTES])
def test_a_get_put_back_unchanged_is_accepted(world, template, op):
    srv, params = world
    path = path_of(template, params)
    before = srv.get(path)
    assert before.status_code == 200, f"GET {path}: {before.text}"
    r = srv.put(path, json=before.json())
    assert r.status_code == 200, f"PUT {path} of its own GET: {r.status_code} {r.text}"
    after = srv.get(path).json()
    assert without_moving(after) == without_moving(before.json())
