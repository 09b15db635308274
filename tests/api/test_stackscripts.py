"""/linode/stackscripts: writing StackScripts (create, get, update, delete), their user-defined
fields read from the script, public and private scripts across accounts and without a token,
filters, events, grants; and deploying one with stackscript_id and stackscript_data on a Linode
create or rebuild (compatible images, required and restricted UDF values, deployment counts)."""
import pytest

from support import (IMAGE, ROOT_PASS, assert_error, assert_list, create_account,
                     create_from_image, put_grants, restricted_user, unique_label,
                     unique_username, wait_gone, wait_status, wait_until)

FIELDS = {"id", "username", "user_gravatar_id", "label", "description", "ordinal", "logo_url",
          "images", "deployments_total", "deployments_active", "is_public", "mine", "created",
          "updated", "rev_note", "script", "user_defined_fields"}

SCRIPT = """#!/bin/bash
# <UDF name="db_password" label="Database password" example="s3cret" />
# <UDF name="flavour" Label="Flavour" oneOf="vanilla,chocolate" default="vanilla"/>
# <udf name='extras' label='Extras' manyOf='nuts,cream,sauce' default=''>
echo "$db_password $flavour $extras" > /root/answer
"""


def create_script(srv, token=None, **fields):
    body = {"label": unique_label("ss"), "images": [IMAGE], "script": SCRIPT}
    body.update(fields)
    kw = {} if token is None else {"token": token}
    r = srv.post("/linode/stackscripts", json=body, **kw)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def script_events(srv, script_id, action):
    return srv.get_all("/account/events", filter={"entity.id": script_id,
                                                  "entity.type": "stackscript",
                                                  "action": action})


def deploy(srv, script_id, data=None, token=None, **fields):
    body = {"region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
            "stackscript_id": script_id}
    if data is not None:
        body["stackscript_data"] = data
    body.update(fields)
    kw = {} if token is None else {"token": token}
    return srv.post("/linode/instances", json=body, **kw)


@pytest.fixture(scope="module")
def other(instant):
    """A second account on the same server: its token."""
    return create_account(instant.data_dir, unique_username("ssb"))


def test_create_reads_the_fields_of_the_script(instant):
    label = unique_label("create")
    script = create_script(instant, label=label, description="Sets up a database",
                           rev_note="first", images=[IMAGE, "linode/ubuntu22.04"])
    assert set(script) == FIELDS
    assert script["label"] == label and script["description"] == "Sets up a database"
    assert script["images"] == [IMAGE, "linode/ubuntu22.04"] and script["rev_note"] == "first"
    assert script["is_public"] is False and script["mine"] is True
    assert script["deployments_total"] == 0 and script["deployments_active"] == 0
    assert script["script"] == SCRIPT and script["created"] == script["updated"]
    profile = instant.get("/profile").json()
    assert script["username"] == profile["username"]
    assert len(script["user_gravatar_id"]) == 32
    assert script["user_defined_fields"] == [
        {"name": "db_password", "label": "Database password", "example": "s3cret"},
        {"name": "flavour", "label": "Flavour", "example": "", "default": "vanilla",
         "oneOf": "vanilla,chocolate"},
        {"name": "extras", "label": "Extras", "example": "", "default": "",
         "manyOf": "nuts,cream,sauce"},
    ]
    assert instant.get(f"/linode/stackscripts/{script['id']}").json() == script
    events = script_events(instant, script["id"], "stackscript_create")
    assert len(events) == 1 and events[0]["status"] == "notification"
    assert events[0]["entity"] == {"id": script["id"], "type": "stackscript", "label": label,
                                   "url": f"/v4/linode/stackscripts/{script['id']}"}


@pytest.mark.parametrize("body,field", [
    ({"label": None}, "label"),
    ({"label": "ab"}, "label"),
    ({"label": "x" * 129}, "label"),
    ({"script": None}, "script"),
    ({"script": "echo no interpreter line"}, "script"),
    ({"script": "#!/bin/sh\n# <UDF label=\"no name\" />\n"}, "script"),
    ({"script": "#!/bin/sh\n# <UDF name=\"9lives\" label=\"x\" />\n"}, "script"),
    ({"script": "#!/bin/sh\n# <UDF name=\"a\" label=\"x\"/>\n# <UDF name=\"a\" label=\"y\"/>\n"},
     "script"),
    ({"script": "#!/bin/sh\n# <UDF name=\"a\" label=\"x\" oneOf=\"1\" manyOf=\"2\"/>\n"},
     "script"),
    ({"images": None}, "images"),
    ({"images": []}, "images"),
    ({"images": ["linode/nosuch"]}, "images[0]"),
    ({"images": "linode/debian12"}, "images"),
    ({"is_public": "yes"}, "is_public"),
])
def test_create_refuses_bad_fields(instant, body, field):
    full = {"label": unique_label("bad"), "images": [IMAGE], "script": "#!/bin/sh\n"}
    full.update(body)
    full = {k: v for k, v in full.items() if v is not None}
    assert_error(instant.post("/linode/stackscripts", json=full), 400, field)


def test_any_image_is_accepted(instant):
    script = create_script(instant, images=["any/all"])
    assert script["images"] == ["any/all"]
    r = deploy(instant, script["id"], {"db_password": "pw"}, image="linode/ubuntu22.04")
    assert r.status_code == 200, r.text


def test_update_revise_publicize_and_never_private_again(instant):
    script = create_script(instant)
    sid = script["id"]
    r = instant.put(f"/linode/stackscripts/{sid}", json={"label": "renamed-" + unique_label(),
                                                         "rev_note": "second"})
    assert r.status_code == 200, r.text
    assert r.json()["rev_note"] == "second" and r.json()["script"] == SCRIPT
    assert script_events(instant, sid, "stackscript_revise") == []
    new_script = "#!/bin/sh\n# <UDF name=\"only\" label=\"Only\" />\necho $only\n"
    r = instant.put(f"/linode/stackscripts/{sid}", json={"script": new_script})
    assert r.json()["user_defined_fields"] == [{"name": "only", "label": "Only", "example": ""}]
    assert len(script_events(instant, sid, "stackscript_revise")) == 1
    assert len(script_events(instant, sid, "stackscript_update")) == 2
    r = instant.put(f"/linode/stackscripts/{sid}", json={"is_public": True})
    assert r.status_code == 200 and r.json()["is_public"] is True
    assert len(script_events(instant, sid, "stackscript_publicize")) == 1
    assert_error(instant.put(f"/linode/stackscripts/{sid}", json={"is_public": False}), 400,
                 "is_public")
    assert_error(instant.put(f"/linode/stackscripts/{sid}", json={"script": "no shebang"}), 400,
                 "script")
    assert_error(instant.put(f"/linode/stackscripts/{sid}", json={"images": ["linode/x"]}), 400,
                 "images[0]")
    after = instant.get(f"/linode/stackscripts/{sid}").json()
    assert after["is_public"] is True and after["script"] == new_script
    assert after["images"] == [IMAGE]


def test_delete(instant):
    script = create_script(instant)
    assert instant.delete(f"/linode/stackscripts/{script['id']}").json() == {}
    assert_error(instant.get(f"/linode/stackscripts/{script['id']}"), 404)
    assert_error(instant.delete(f"/linode/stackscripts/{script['id']}"), 404)
    assert len(script_events(instant, script["id"], "stackscript_delete")) == 1
    assert_error(instant.get("/linode/stackscripts/notanumber"), 404)


def test_public_and_private_across_accounts(instant, other):
    private = create_script(instant)
    public = create_script(instant, is_public=True)
    theirs = create_script(instant, token=other)
    mine_seen = {s["id"]: s for s in instant.get_all("/linode/stackscripts")}
    assert private["id"] in mine_seen and public["id"] in mine_seen
    assert theirs["id"] not in mine_seen

    seen = {s["id"]: s for s in instant.get_all("/linode/stackscripts", token=other)}
    assert private["id"] not in seen and theirs["id"] in seen
    assert seen[public["id"]]["mine"] is False and seen[theirs["id"]]["mine"] is True
    assert_error(instant.get(f"/linode/stackscripts/{private['id']}", token=other), 404)
    assert instant.get(f"/linode/stackscripts/{public['id']}", token=other).json()["mine"] is False
    # Another account's public script is read, never changed.
    assert_error(instant.put(f"/linode/stackscripts/{public['id']}", token=other,
                             json={"label": "taken-over"}), 403)
    assert_error(instant.delete(f"/linode/stackscripts/{public['id']}", token=other), 403)
    assert instant.get(f"/linode/stackscripts/{public['id']}").json()["label"] == public["label"]
    # ... and deployed.
    r = deploy(instant, public["id"], {"db_password": "x"}, token=other)
    assert r.status_code == 200, r.text
    assert_error(deploy(instant, private["id"], {"db_password": "x"}, token=other), 400,
                 "stackscript_id")


def test_without_a_token_only_public_scripts(instant):
    private = create_script(instant)
    public = create_script(instant, is_public=True)
    r = instant.get("/linode/stackscripts", token=None, params={"page_size": 500})
    assert r.status_code == 200, r.text
    ids = {s["id"] for s in r.json()["data"]}
    assert public["id"] in ids and private["id"] not in ids
    assert all(s["is_public"] and not s["mine"] for s in r.json()["data"])
    assert instant.get(f"/linode/stackscripts/{public['id']}", token=None).status_code == 200
    assert_error(instant.get(f"/linode/stackscripts/{private['id']}", token=None), 404)
    assert_error(instant.post("/linode/stackscripts", token=None,
                              json={"label": "x" * 5, "images": [IMAGE], "script": "#!/bin/sh"}),
                 401)


def test_filters(instant, other):
    label = unique_label("filt")
    mine = create_script(instant, label=label, description="needle in a haystack",
                         rev_note="r-" + label)
    theirs = create_script(instant, token=other, label=label + "-b", is_public=True)
    r = instant.get("/linode/stackscripts", filter={"label": label})
    assert [s["id"] for s in assert_list(r, 1)] == [mine["id"]]
    r = instant.get("/linode/stackscripts", filter={"description": {"+contains": "NEEDLE"},
                                                    "label": label})
    assert [s["id"] for s in r.json()["data"]] == [mine["id"]]
    r = instant.get("/linode/stackscripts", filter={"rev_note": "r-" + label})
    assert [s["id"] for s in r.json()["data"]] == [mine["id"]]
    both = instant.get_all("/linode/stackscripts", filter={"label": {"+contains": label}})
    assert {s["id"] for s in both} == {mine["id"], theirs["id"]}
    not_mine = instant.get_all("/linode/stackscripts", filter={"mine": False})
    assert theirs["id"] in {s["id"] for s in not_mine}
    assert all(not s["mine"] for s in not_mine)
    only_mine = instant.get_all("/linode/stackscripts", filter={"mine": True})
    assert mine["id"] in {s["id"] for s in only_mine}
    assert all(s["mine"] for s in only_mine)
    public = instant.get_all("/linode/stackscripts", filter={"is_public": True})
    assert all(s["is_public"] for s in public) and mine["id"] not in {s["id"] for s in public}
    ordered = instant.get_all("/linode/stackscripts",
                              filter={"+order_by": "mine", "+order": "desc",
                                      "label": {"+contains": label}})
    assert [s["id"] for s in ordered] == [mine["id"], theirs["id"]]
    assert_error(instant.get("/linode/stackscripts", filter={"script": "x"}), 400, "X-Filter")
    assert_error(instant.get("/linode/stackscripts", filter={"deployments_total": "many"}), 400,
                 "X-Filter")


@pytest.mark.parametrize("data,field", [
    (None, "stackscript_data.db_password"),
    ({}, "stackscript_data.db_password"),
    ({"db_password": ""}, "stackscript_data.db_password"),
    ({"db_password": 5}, "stackscript_data.db_password"),
    ({"db_password": "x", "flavour": "mint"}, "stackscript_data.flavour"),
    ({"db_password": "x", "extras": "nuts,gravel"}, "stackscript_data.extras"),
    ("db_password=x", "stackscript_data"),
    ({"db_password": "x" * 70000}, "stackscript_data"),
])
def test_deploy_refuses_bad_data(instant, data, field):
    script = create_script(instant)
    assert_error(deploy(instant, script["id"], data), 400, field)
    assert instant.get(f"/linode/stackscripts/{script['id']}").json()["deployments_total"] == 0


def test_deploy_needs_a_compatible_image_and_a_script(instant):
    script = create_script(instant)
    assert_error(deploy(instant, script["id"], {"db_password": "x"}, image="linode/ubuntu22.04"),
                 400, "image")
    body = {"region": "us-east", "type": "g6-nanode-1", "stackscript_id": script["id"],
            "stackscript_data": {"db_password": "x"}}
    assert_error(instant.post("/linode/instances", json=body), 400, "image")
    assert_error(deploy(instant, 99999999, {"db_password": "x"}), 400, "stackscript_id")
    assert_error(deploy(instant, "one", {"db_password": "x"}), 400, "stackscript_id")
    body = {"region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
            "stackscript_data": {"db_password": "x"}}
    assert_error(instant.post("/linode/instances", json=body), 400, "stackscript_data")


def test_deployments_are_counted(sim):
    script = create_script(sim)
    sid = script["id"]
    r = deploy(sim, sid, {"db_password": "pw", "flavour": "chocolate", "extras": "nuts,cream"})
    assert r.status_code == 200, r.text
    first = r.json()
    r = deploy(sim, sid, {"db_password": "pw"})
    assert r.status_code == 200, r.text
    second = r.json()
    counted = sim.get(f"/linode/stackscripts/{sid}").json()
    assert counted["deployments_total"] == 2 and counted["deployments_active"] == 2
    assert_list(sim.get("/linode/stackscripts", filter={"deployments_total": {"+gte": 2},
                                                        "label": script["label"]}), 1)
    wait_status(sim, first["id"], "running")
    # A rebuild without a script leaves it; a rebuild with one deploys it again.
    r = sim.post(f"/linode/instances/{first['id']}/rebuild",
                 json={"image": IMAGE, "root_pass": ROOT_PASS})
    assert r.status_code == 200, r.text
    counted = sim.get(f"/linode/stackscripts/{sid}").json()
    assert counted["deployments_total"] == 2 and counted["deployments_active"] == 1
    wait_status(sim, first["id"], "running")
    assert_error(sim.post(f"/linode/instances/{first['id']}/rebuild",
                          json={"image": IMAGE, "root_pass": ROOT_PASS, "stackscript_id": sid}),
                 400, "stackscript_data.db_password")
    r = sim.post(f"/linode/instances/{first['id']}/rebuild",
                 json={"image": IMAGE, "root_pass": ROOT_PASS, "stackscript_id": sid,
                       "stackscript_data": {"db_password": "again"}})
    assert r.status_code == 200, r.text
    counted = sim.get(f"/linode/stackscripts/{sid}").json()
    assert counted["deployments_total"] == 3 and counted["deployments_active"] == 2
    # A deleted Linode is no longer an active deployment.
    wait_status(sim, second["id"], "running")
    assert sim.delete(f"/linode/instances/{second['id']}").status_code == 200
    wait_gone(sim, second["id"])
    counted = sim.get(f"/linode/stackscripts/{sid}").json()
    assert counted["deployments_total"] == 3 and counted["deployments_active"] == 1


def test_a_deployed_script_can_be_deleted(sim):
    script = create_script(sim)
    linode = deploy(sim, script["id"], {"db_password": "pw"}).json()
    assert sim.delete(f"/linode/stackscripts/{script['id']}").status_code == 200
    wait_status(sim, linode["id"], "running")
    assert sim.get(f"/linode/instances/{linode['id']}").status_code == 200


def test_scopes(instant):
    script = create_script(instant)
    read_only = instant.make_token("stackscripts:read_only")
    assert instant.get(f"/linode/stackscripts/{script['id']}", token=read_only).status_code == 200
    assert_error(instant.put(f"/linode/stackscripts/{script['id']}", token=read_only,
                             json={"label": "nope-nope"}), 401)
    linodes_only = instant.make_token("linodes:read_only")
    assert_error(instant.get("/linode/stackscripts", token=linodes_only), 401)


def test_restricted_users_need_grants(instant):
    username, token = restricted_user(instant, "ss")
    assert_error(instant.post("/linode/stackscripts", token=token,
                              json={"label": unique_label(), "images": [IMAGE],
                                    "script": "#!/bin/sh\n"}), 403)
    theirs = create_script(instant)
    public = create_script(instant, is_public=True)
    seen = {s["id"] for s in instant.get_all("/linode/stackscripts", token=token)}
    assert theirs["id"] not in seen and public["id"] in seen
    assert_error(instant.get(f"/linode/stackscripts/{theirs['id']}", token=token), 403)
    # The account's public script is readable without a grant, as it is for everyone; not
    # writable.
    assert instant.get(f"/linode/stackscripts/{public['id']}", token=token).status_code == 200
    assert_error(instant.put(f"/linode/stackscripts/{public['id']}", token=token,
                             json={"label": "not-mine"}), 403)
    put_grants(instant, username, **{"global": {"add_stackscripts": True, "add_linodes": True}},
               stackscript=[{"id": theirs["id"], "permissions": "read_only"}])
    assert instant.get(f"/linode/stackscripts/{theirs['id']}", token=token).status_code == 200
    assert_error(instant.put(f"/linode/stackscripts/{theirs['id']}", token=token,
                             json={"label": "mine-now"}), 403)
    made = create_script(instant, token=token)
    seen = {s["id"] for s in instant.get_all("/linode/stackscripts", token=token)}
    assert {theirs["id"], made["id"], public["id"]} <= seen
    grants = instant.get(f"/account/users/{username}/grants").json()
    assert {"id": made["id"], "label": made["label"],
            "permissions": "read_write"} in grants["stackscript"]
    # Deploying takes read access to the script (a public one is readable by all).
    r = deploy(instant, theirs["id"], {"db_password": "pw"}, token=token)
    assert r.status_code == 200, r.text
    r = deploy(instant, public["id"], {"db_password": "pw"}, token=token)
    assert r.status_code == 200, r.text
    put_grants(instant, username, stackscript=[{"id": theirs["id"], "permissions": None}])
    assert_error(deploy(instant, theirs["id"], {"db_password": "pw"}, token=token), 400,
                 "stackscript_id")
