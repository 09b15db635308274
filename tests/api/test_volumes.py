"""/volumes: Block Storage Volumes on the sim driver: create (alone or attached), attach, detach,
resize (grow only), clone, update, delete; their statuses and events; at most eight per Linode,
each in a config slot; /volumes/types; /linode/instances/{id}/volumes; tags; grants."""
import pytest

from support import (assert_error, assert_list, create_from_image, create_linode, put_grants,
                     restricted_user, unique_label, wait_until)

FIELDS = {"id", "label", "status", "size", "region", "linode_id", "linode_label",
          "filesystem_path", "hardware_type", "encryption", "io_ready", "tags", "locks",
          "created", "updated"}


def vlabel(prefix="v"):
    return unique_label(prefix).replace(".", "-")[:32]


def create_volume(srv, **fields):
    body = {"label": vlabel(), "region": "us-east", "size": 20}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    r = srv.post("/volumes", json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def get_volume(srv, volume_id):
    r = srv.get(f"/volumes/{volume_id}")
    assert r.status_code == 200, r.text
    return r.json()


def wait_volume(srv, volume_id, what=lambda v: v["status"] == "active", timeout=15.0):
    def probe():
        volume = get_volume(srv, volume_id)
        return volume if what(volume) else None
    return wait_until(probe, timeout, what=f"volume {volume_id}")


def volume_events(srv, volume_id, action):
    return srv.get_all("/account/events", filter={"entity.id": volume_id,
                                                  "entity.type": "volume", "action": action})


def config_of(srv, linode_id):
    return srv.get_all(f"/linode/instances/{linode_id}/configs")[0]


def test_create_alone_then_active(sim):
    label = vlabel("alone")
    volume = create_volume(sim, label=label, size=15, tags=["db"])
    assert set(volume) == FIELDS
    assert volume["status"] == "creating" and volume["size"] == 15
    assert volume["region"] == "us-east" and volume["linode_id"] is None
    assert volume["linode_label"] is None and volume["io_ready"] is False
    assert volume["filesystem_path"] == f"/dev/disk/by-id/scsi-0Linode_Volume_{label}"
    assert volume["encryption"] == "disabled" and volume["hardware_type"] == "nvme"
    assert volume["tags"] == ["db"] and volume["locks"] == []
    active = wait_volume(sim, volume["id"])
    assert active["io_ready"] is False  # not attached
    wait_until(lambda: [e for e in volume_events(sim, volume["id"], "volume_create")
                        if e["status"] == "finished"], what="volume_create finished")
    listed = sim.get_all("/volumes", filter={"label": label})
    assert [v["id"] for v in listed] == [volume["id"]]
    assert volume["id"] in [v["id"] for v in sim.get_all("/volumes", filter={"tags": "db"})]
    assert "db" in [t["label"] for t in sim.get_all("/tags")]
    tagged = sim.get_all("/tags/db")
    assert {"type": "volume", "data": get_volume(sim, volume["id"])} in tagged


def test_create_attached_to_a_linode(sim):
    linode = create_from_image(sim, wait="running")
    volume = create_volume(sim, region=None, linode_id=linode["id"])
    assert volume["region"] == linode["region"]
    assert volume["linode_id"] == linode["id"] and volume["linode_label"] == linode["label"]
    active = wait_volume(sim, volume["id"])
    assert active["io_ready"] is True
    devices = config_of(sim, linode["id"])["devices"]
    assert devices["sdc"] == {"disk_id": None, "volume_id": volume["id"]}
    attached = sim.get_all(f"/linode/instances/{linode['id']}/volumes")
    assert [v["id"] for v in attached] == [volume["id"]]


@pytest.mark.parametrize("body,field", [
    ({"region": "us-east"}, "label"),
    ({"label": "1starts-with-digit", "region": "us-east"}, "label"),
    ({"label": "a--b", "region": "us-east"}, "label"),
    ({"label": "x" * 33, "region": "us-east"}, "label"),
    ({"label": "has space", "region": "us-east"}, "label"),
    ({"label": "okay", "region": "us-east", "size": 9}, "size"),
    ({"label": "okay", "region": "us-east", "size": 10241}, "size"),
    ({"label": "okay", "region": "us-east", "size": "20"}, "size"),
    ({"label": "okay"}, "region"),
    ({"label": "okay", "region": "nowhere"}, "region"),
    ({"label": "okay", "region": "us-east", "config_id": 1}, "config_id"),
    ({"label": "okay", "linode_id": 999999999}, "linode_id"),
    ({"label": "okay", "region": "us-east", "encryption": "maybe"}, "encryption"),
    ({"label": "okay", "region": "us-east", "tags": "db"}, "tags"),
])
def test_bad_creates_are_refused(sim, body, field):
    before = sim.get_all("/volumes")
    assert_error(sim.post("/volumes", json=body), 400, field=field)
    assert sim.get_all("/volumes") == before


def test_labels_are_unique_in_the_account(sim):
    volume = create_volume(sim)
    assert_error(sim.post("/volumes", json={"label": volume["label"], "region": "us-east"}),
                 400, field="label")
    other = create_volume(sim)
    assert_error(sim.put(f"/volumes/{other['id']}", json={"label": volume["label"]}), 400,
                 field="label")


def test_attach_detach(sim):
    linode = create_from_image(sim, wait="running")
    volume = wait_volume(sim, create_volume(sim)["id"])
    r = sim.post(f"/volumes/{volume['id']}/attach", json={"linode_id": linode["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["linode_id"] == linode["id"]
    assert config_of(sim, linode["id"])["devices"]["sdc"]["volume_id"] == volume["id"]
    # Attached once: a second attach, elsewhere or here, is refused.
    assert_error(sim.post(f"/volumes/{volume['id']}/attach",
                             json={"linode_id": linode["id"]}), 400)
    wait_until(lambda: [e for e in volume_events(sim, volume["id"], "volume_attach")
                        if e["status"] == "finished"], what="volume_attach finished")
    assert sim.post(f"/volumes/{volume['id']}/detach").json() == {}
    detached = wait_volume(sim, volume["id"], lambda v: v["linode_id"] is None)
    assert detached["io_ready"] is False
    assert config_of(sim, linode["id"])["devices"]["sdc"] is None
    assert sim.get_all(f"/linode/instances/{linode['id']}/volumes") == []
    assert_error(sim.post(f"/volumes/{volume['id']}/detach"), 400)


def test_attach_rules(sim):
    linode = create_from_image(sim, wait="running")
    far = wait_volume(sim, create_volume(sim, region="us-west")["id"])
    assert_error(sim.post(f"/volumes/{far['id']}/attach", json={"linode_id": linode["id"]}),
                 400, field="linode_id")
    near = wait_volume(sim, create_volume(sim)["id"])
    assert_error(sim.post(f"/volumes/{near['id']}/attach", json={}), 400, field="linode_id")
    assert_error(sim.post(f"/volumes/{near['id']}/attach",
                             json={"linode_id": linode["id"], "config_id": 999999}), 400,
                 field="config_id")
    assert_error(sim.post(f"/volumes/{near['id']}/attach",
                             json={"linode_id": linode["id"], "persist_across_boots": False,
                                   "config_id": config_of(sim, linode["id"])["id"]}), 400,
                 field="config_id")
    assert get_volume(sim, near["id"])["linode_id"] is None
    # Not kept across boots: attached, and in no config.
    r = sim.post(f"/volumes/{near['id']}/attach",
                    json={"linode_id": linode["id"], "persist_across_boots": False})
    assert r.status_code == 200, r.text
    devices = config_of(sim, linode["id"])["devices"]
    assert near["id"] not in [d and d.get("volume_id") for d in devices.values()]


def test_a_linode_holds_at_most_eight_and_one_per_free_slot(sim):
    linode = create_from_image(sim, wait="running", swap_size=0)  # sda only: sdb..sdh free
    ids = [create_volume(sim, region=None, linode_id=linode["id"])["id"] for _ in range(7)]
    assert [config_of(sim, linode["id"])["devices"][s]["volume_id"]
            for s in ("sdb", "sdc", "sdd", "sde", "sdf", "sdg", "sdh")] == ids
    # The config has no slot left; one that does not persist across boots still attaches.
    assert_error(sim.post("/volumes", json={"label": vlabel(), "linode_id": linode["id"]}),
                 400, field="config_id")
    loose = [wait_volume(sim, create_volume(sim)["id"]) for _ in range(2)]
    r = sim.post(f"/volumes/{loose[0]['id']}/attach",
                 json={"linode_id": linode["id"], "persist_across_boots": False})
    assert r.status_code == 200, r.text
    assert_error(sim.post(f"/volumes/{loose[1]['id']}/attach",
                          json={"linode_id": linode["id"], "persist_across_boots": False}),
                 400, field="linode_id")
    assert len(sim.get_all(f"/linode/instances/{linode['id']}/volumes")) == 8
    for volume_id in ids:
        wait_volume(sim, volume_id)


def test_a_linode_with_16_gb_holds_16_past_8_only_if_they_do_not_persist(sim):
    linode = create_from_image(sim, wait="running", type="g6-standard-6")  # 16 GB
    loose = [wait_volume(sim, create_volume(sim)["id"]) for _ in range(17)]

    def attach(volume, persist):
        return sim.post(f"/volumes/{volume['id']}/attach",
                        json={"linode_id": linode["id"], "persist_across_boots": persist})

    for volume in loose[:8]:
        assert attach(volume, False).status_code == 200
    assert_error(attach(loose[8], True), 400, field="linode_id")
    for volume in loose[8:16]:
        assert attach(volume, False).status_code == 200
    r = attach(loose[16], False)
    assert_error(r, 400, field="linode_id")
    assert "16" in r.json()["errors"][0]["reason"]
    assert len(sim.get_all(f"/linode/instances/{linode['id']}/volumes")) == 16


def test_resize_grows_only(sim):
    volume = wait_volume(sim, create_volume(sim, size=20)["id"])
    assert_error(sim.post(f"/volumes/{volume['id']}/resize", json={"size": 20}), 400,
                 field="size")
    assert_error(sim.post(f"/volumes/{volume['id']}/resize", json={"size": 10}), 400,
                 field="size")
    assert_error(sim.post(f"/volumes/{volume['id']}/resize", json={}), 400, field="size")
    r = sim.post(f"/volumes/{volume['id']}/resize", json={"size": 30})
    assert r.status_code == 200, r.text
    assert r.json()["size"] == 30
    grown = wait_volume(sim, volume["id"])
    assert grown["size"] == 30


def test_clone(sim):
    source = wait_volume(sim, create_volume(sim, size=25)["id"])
    label = vlabel("copy")
    r = sim.post(f"/volumes/{source['id']}/clone", json={"label": label})
    assert r.status_code == 200, r.text
    copy = r.json()
    assert copy["id"] != source["id"] and copy["label"] == label
    assert copy["size"] == 25 and copy["region"] == source["region"]
    assert copy["linode_id"] is None and copy["status"] == "creating"
    wait_volume(sim, copy["id"])
    assert_error(sim.post(f"/volumes/{source['id']}/clone", json={"label": label}), 400,
                 field="label")
    assert_error(sim.post(f"/volumes/{source['id']}/clone", json={}), 400, field="label")


def test_update_and_delete(sim):
    linode = create_from_image(sim, wait="running")
    volume = create_volume(sim, region=None, linode_id=linode["id"])
    wait_volume(sim, volume["id"])
    label = vlabel("renamed")
    r = sim.put(f"/volumes/{volume['id']}", json={"label": label, "tags": ["a", "b"]})
    assert r.status_code == 200, r.text
    assert r.json()["filesystem_path"].endswith("_" + label) and r.json()["tags"] == ["a", "b"]
    assert_error(sim.put(f"/volumes/{volume['id']}", json={"label": "no spaces"}), 400,
                 field="label")
    # Attached: not deleted.
    assert_error(sim.delete(f"/volumes/{volume['id']}"), 400)
    sim.post(f"/volumes/{volume['id']}/detach")
    wait_volume(sim, volume["id"], lambda v: v["linode_id"] is None)
    assert sim.delete(f"/volumes/{volume['id']}").json() == {}
    assert_error(sim.get(f"/volumes/{volume['id']}"), 404)
    assert_error(sim.delete(f"/volumes/{volume['id']}"), 404)
    assert volume_events(sim, volume["id"], "volume_delete")


def test_deleting_the_linode_detaches_its_volumes(sim):
    linode = create_from_image(sim, wait="running")
    volume = create_volume(sim, region=None, linode_id=linode["id"])
    wait_volume(sim, volume["id"])
    assert sim.delete(f"/linode/instances/{linode['id']}").status_code == 200
    loose = wait_volume(sim, volume["id"], lambda v: v["linode_id"] is None)
    assert loose["status"] == "active" and loose["linode_label"] is None


def test_types_are_public(sim):
    r = sim.get("/volumes/types", token=None)
    assert_list(r, 1)
    kind = r.json()["data"][0]
    assert kind["id"] == "volume" and kind["price"]["monthly"] == 0.1
    assert {p["id"] for p in kind["region_prices"]} == {"id-cgk", "br-gru"}


def test_unknown_volumes_are_404(sim):
    for method, path in [("GET", "/volumes/999999999"), ("PUT", "/volumes/999999999"),
                         ("DELETE", "/volumes/999999999"),
                         ("POST", "/volumes/999999999/resize"), ("POST", "/volumes/0/clone")]:
        assert_error(sim.request(method, path, json={}), 404)


def test_scopes(sim):
    read = sim.make_token("volumes:read_only")
    volume = create_volume(sim)
    assert sim.get(f"/volumes/{volume['id']}", token=read).status_code == 200
    assert_error(sim.post("/volumes", token=read, json={"label": vlabel(),
                                                           "region": "us-east"}), 401)
    only_volumes = sim.make_token("volumes:read_write")
    linode = create_linode(sim, wait="offline")
    active = wait_volume(sim, volume["id"])
    # Attaching acts on the Linode too.
    assert_error(sim.post(f"/volumes/{active['id']}/attach", token=only_volumes,
                             json={"linode_id": linode["id"]}), 401)


def test_restricted_users_need_grants(sim):
    username, token = restricted_user(sim, "vol")
    assert_error(sim.post("/volumes", token=token,
                             json={"label": vlabel(), "region": "us-east"}), 403)
    theirs = create_volume(sim)
    assert sim.get_all("/volumes", token=token) == []
    assert_error(sim.get(f"/volumes/{theirs['id']}", token=token), 403)
    put_grants(sim, username, **{"global": {"add_volumes": True}},
               volume=[{"id": theirs["id"], "permissions": "read_only"}])
    assert sim.get(f"/volumes/{theirs['id']}", token=token).status_code == 200
    assert_error(sim.put(f"/volumes/{theirs['id']}", token=token, json={"tags": []}), 403)
    made = sim.post("/volumes", token=token, json={"label": vlabel(), "region": "us-east"})
    assert made.status_code == 200, made.text
    seen = {v["id"] for v in sim.get_all("/volumes", token=token)}
    assert seen == {theirs["id"], made.json()["id"]}
    grants = sim.get(f"/account/users/{username}/grants").json()
    assert {"id": made.json()["id"], "label": made.json()["label"],
            "permissions": "read_write"} in grants["volume"]
