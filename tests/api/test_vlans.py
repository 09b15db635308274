"""/networking/vlans: the VLANs of the account, made by the labels of its Linodes' vlan
interfaces, by region, each with the Linodes attached; filters, and a restricted user's view."""
from support import (assert_list, create_from_image, put_grants, restricted_user, unique_label,
                     wait_gone)


def join(srv, linode_id, label):
    config = srv.get_all(f"/linode/instances/{linode_id}/configs")[0]["id"]
    r = srv.post(f"/linode/instances/{linode_id}/configs/{config}/interfaces",
                 json={"purpose": "vlan", "label": label})
    assert r.status_code == 200, r.text
    return config, r.json()["id"]


def vlan(srv, label, **kw):
    found = [v for v in srv.get_all("/networking/vlans", **kw) if v["label"] == label]
    return found[0] if found else None


def test_vlans_are_their_linodes_interfaces(sim):
    label = unique_label("vl").replace(".", "-").replace("_", "-")[:64]
    first, second = create_from_image(sim), create_from_image(sim)
    far = create_from_image(sim, region="eu-west")
    join(sim, first["id"], label)
    config, itf = join(sim, second["id"], label)
    join(sim, far["id"], label)
    here = [v for v in sim.get_all("/networking/vlans") if v["label"] == label]
    assert sorted((v["region"], v["linodes"]) for v in here) == [
        ("eu-west", [far["id"]]), ("us-east", sorted([first["id"], second["id"]]))]
    assert set(here[0]) == {"label", "linodes", "region", "created"}
    assert assert_list(sim.get("/networking/vlans", filter={"label": label,
                                                            "region": "eu-west"}), 1)
    # Leaving the VLAN (the interface deleted) takes the Linode out; the last one, the VLAN.
    assert sim.delete(f"/linode/instances/{second['id']}/configs/{config}/interfaces/{itf}"
                      ).status_code == 200
    assert vlan(sim, label, filter={"region": "us-east"})["linodes"] == [first["id"]]
    assert sim.delete(f"/linode/instances/{far['id']}").status_code == 200
    wait_gone(sim, far["id"])
    assert [v["region"] for v in sim.get_all("/networking/vlans", filter={"label": label})] == [
        "us-east"]


def test_a_restricted_user_sees_the_linodes_it_may(sim):
    label = unique_label("vr").replace(".", "-").replace("_", "-")[:64]
    mine, theirs = create_from_image(sim), create_from_image(sim)
    join(sim, mine["id"], label)
    join(sim, theirs["id"], label)
    username, token = restricted_user(sim, "vl")
    assert vlan(sim, label, token=token) is None
    put_grants(sim, username, linode=[{"id": mine["id"], "permissions": "read_only"}])
    assert vlan(sim, label, token=token)["linodes"] == [mine["id"]]
