"""/tags (list, create with Linodes, tagged objects, delete) and /account/availability (one entry
per region with available and unavailable services)."""
import pytest

from support import (assert_error, assert_list, create_linode, get_linode, load_catalog,
                     unique_label)

REGIONS = load_catalog("regions")


def tag_labels(srv):
    return [t["label"] for t in srv.get_all("/tags")]


def test_tags_from_linode_creation_are_listed(instant):
    tag = unique_label("born")
    create_linode(instant, tags=[tag])
    assert tag in tag_labels(instant)
    got = instant.get_all("/tags", filter={"label": tag})
    assert got == [{"label": tag}]


def test_create_tag_on_linodes(instant):
    a, b, c = (create_linode(instant) for _ in range(3))
    tag = unique_label("made")
    r = instant.post("/tags", json={"label": tag, "linodes": [a["id"], b["id"]]})
    assert r.status_code == 200 and r.json() == {"label": tag}, r.text
    assert tag in tag_labels(instant)
    assert tag in get_linode(instant, a["id"])["tags"] and tag in get_linode(instant, b["id"])["tags"]
    assert tag not in get_linode(instant, c["id"])["tags"]
    objects = assert_list(instant.get(f"/tags/{tag}"), 2)
    assert sorted(o["data"]["id"] for o in objects) == sorted([a["id"], b["id"]])
    for o in objects:
        assert o["type"] == "linode" and o["data"] == get_linode(instant, o["data"]["id"])
    again = instant.post("/tags", json={"label": tag, "linodes": [a["id"]]})
    assert again.status_code == 200, again.text
    assert get_linode(instant, a["id"])["tags"].count(tag) == 1


def test_tags_set_by_put_are_listed(instant):
    linode = create_linode(instant)
    tag = unique_label("put")
    assert instant.put(f"/linode/instances/{linode['id']}", json={"tags": [tag]}).status_code == 200
    assert tag in tag_labels(instant)
    assert [o["data"]["id"] for o in assert_list(instant.get(f"/tags/{tag}"))] == [linode["id"]]


def test_tag_without_linodes(instant):
    tag = unique_label("bare")
    r = instant.post("/tags", json={"label": tag})
    assert r.status_code == 200, r.text
    assert tag in tag_labels(instant)
    assert assert_list(instant.get(f"/tags/{tag}"), 0) == []


def test_delete_tag_removes_it_from_linodes(instant):
    tag = unique_label("gone")
    keep = unique_label("keep")
    linode = create_linode(instant, tags=[tag, keep])
    r = instant.delete(f"/tags/{tag}")
    assert r.status_code == 200 and r.json() == {}, r.text
    assert tag not in tag_labels(instant)
    assert get_linode(instant, linode["id"])["tags"] == [keep]
    assert_error(instant.get(f"/tags/{tag}"), 404)
    assert_error(instant.delete(f"/tags/{tag}"), 404)


def test_tag_lookup_is_exact(instant):
    """"_" and "%" are not wildcards and one tag is not a prefix of another."""
    stem = unique_label("ex")
    plain = create_linode(instant, tags=[f"{stem}abc", f"{stem}a"])
    underscore = create_linode(instant, tags=[f"{stem}a_c"])
    percent = create_linode(instant, tags=[f"{stem}a%"])
    assert [o["data"]["id"] for o in assert_list(instant.get(f"/tags/{stem}a_c"))] == [underscore["id"]]
    assert [o["data"]["id"] for o in assert_list(instant.get(f"/tags/{stem}a%25"))] == [percent["id"]]
    assert [o["data"]["id"] for o in assert_list(instant.get(f"/tags/{stem}a"))] == [plain["id"]]


def test_tag_filter_on_linodes_matches_whole_tags(instant):
    stem = unique_label("wf")
    a = create_linode(instant, tags=[f"{stem}-web"])
    create_linode(instant, tags=[f"{stem}-webserver"])
    got = instant.get_all("/linode/instances", filter={"tags": f"{stem}-web"})
    assert [x["id"] for x in got] == [a["id"]]


@pytest.mark.parametrize("body,field", [
    ({}, "label"), ({"label": "ab"}, "label"), ({"label": "x" * 51}, "label"), ({"label": 5}, "label"),
    ({"label": "okay-tag", "linodes": [99999999]}, "linodes"),
    ({"label": "okay-tag", "linodes": "1"}, "linodes"),
    ({"label": "okay-tag", "linodes": ["x"]}, "linodes"),
    ({"label": "okay-tag", "volumes": [1]}, "volumes"),
])
def test_create_validation(instant, body, field):
    before = tag_labels(instant)
    assert_error(instant.post("/tags", json=body), 400, field=field)
    assert tag_labels(instant) == before


def test_unknown_tag_is_404(instant):
    assert_error(instant.get("/tags/no-such-tag-anywhere"), 404)


def test_tags_scopes(instant):
    tok = instant.make_token("account:read_only")
    assert instant.get("/tags", token=tok).status_code == 200
    r = instant.post("/tags", token=tok, json={"label": unique_label("scoped")})
    assert_error(r, 401)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "account:read_write"


# --- /account/availability -------------------------------------------------------------------------

def test_availability_lists_every_region(instant):
    rows = instant.get_all("/account/availability")
    assert sorted(r["region"] for r in rows) == sorted(x["id"] for x in REGIONS)
    for row in rows:
        assert set(row) == {"region", "available", "unavailable"}, row
        assert isinstance(row["available"], list) and isinstance(row["unavailable"], list)
        assert not set(row["available"]) & set(row["unavailable"]), row
    us_east = next(r for r in rows if r["region"] == "us-east")
    assert "Linodes" in us_east["available"]


def test_availability_filter_and_one_region(instant):
    got = instant.get_all("/account/availability", filter={"region": "eu-west"})
    assert [r["region"] for r in got] == ["eu-west"]
    r = instant.get("/account/availability/eu-west")
    assert r.status_code == 200 and r.json() == got[0], r.text
    assert_error(instant.get("/account/availability/xx-nowhere"), 404)


def test_restricted_users_get_403_on_every_tags_route(instant):
    """Tags are for unrestricted users only: a restricted user, even one granted a tagged
    Linode, can neither list, read, add nor remove tags."""
    from support import put_grants, restricted_user
    tag = unique_label("guarded")
    linode = create_linode(instant, tags=[tag])
    name, token = restricted_user(instant)
    put_grants(instant, name, linode=[{"id": linode["id"], "permissions": "read_write"}])
    assert_error(instant.get("/tags", token=token), 403)
    assert_error(instant.get(f"/tags/{tag}", token=token), 403)
    assert_error(instant.post("/tags", token=token, json={"label": unique_label("new")}), 403)
    assert_error(instant.delete(f"/tags/{tag}", token=token), 403)
    assert tag in get_linode(instant, linode["id"])["tags"]
    assert tag in tag_labels(instant)


@pytest.mark.parametrize("bad", ["a\u001fb", "nul\u0000x", "tab\there", "del\u007f"])
def test_tags_and_labels_refuse_control_characters(instant, bad):
    body = {"region": "us-east", "type": "g6-nanode-1", "label": unique_label("ctl"),
            "tags": [bad]}
    assert_error(instant.post("/linode/instances", json=body), 400, field="tags")
    body = {"region": "us-east", "type": "g6-nanode-1", "label": unique_label("ctl"),
            "group": bad}
    assert_error(instant.post("/linode/instances", json=body), 400, field="group")
    assert_error(instant.post("/tags", json={"label": "x" + bad + "x"}), 400, field="label")
    assert_error(instant.post("/profile/tokens", json={"label": "tok" + bad, "scopes": "*"}), 400,
                 field="label")
