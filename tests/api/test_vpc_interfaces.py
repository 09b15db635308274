"""Linodes in VPCs on the sim driver: vpc interfaces of config profiles (a Linode's create, a
config's PUT, an interface's POST and PUT), their addresses in the subnet (asked for or the first
free one, once per subnet, never the gateway), 1:1 NAT, routed ranges, `active` while the Linode
runs the config; the subnet's Linodes, /vpcs/ips and /vpcs/{id}/ips; a VPC or subnet in use is
not deleted; clone renumbers; a Linode in a VPC does not migrate out of its region."""
from support import (assert_error, assert_list, create_account, create_from_image, db_execute,
                     unique_label, unique_username, wait_status)

IP_FIELDS = {"address", "address_range", "vpc_id", "subnet_id", "region", "linode_id",
             "config_id", "interface_id", "active", "nat_1_1", "gateway", "prefix",
             "subnet_mask"}


def vpc(srv, *ranges, region="us-iad"):
    label = unique_label("vi").replace(".", "-").replace("_", "-")[:64]
    r = srv.post("/vpcs", json={"label": label, "region": region, "subnets": [
        {"label": f"net{i}", "ipv4": cidr} for i, cidr in enumerate(ranges)]})
    assert r.status_code == 200, r.text
    return r.json()


def config_of(srv, linode_id):
    return srv.get_all(f"/linode/instances/{linode_id}/configs")[0]


def vpc_interface(config):
    found = [i for i in config["interfaces"] if i["purpose"] == "vpc"]
    assert len(found) == 1, config["interfaces"]
    return found[0]


def in_subnet(srv, subnet_id, **fields):
    return create_from_image(srv, region="us-iad", interfaces=[
        {"purpose": "public"}, {"purpose": "vpc", "subnet_id": subnet_id, **fields}])


def add_interface(srv, linode_id, body):
    config = config_of(srv, linode_id)["id"]
    return srv.post(f"/linode/instances/{linode_id}/configs/{config}/interfaces", json=body)


def test_a_created_linode_gets_the_first_free_address_and_its_nat(sim):
    v = vpc(sim, "10.20.0.0/24")
    subnet = v["subnets"][0]["id"]
    first = in_subnet(sim, subnet, ipv4={"nat_1_1": "any"})
    second = in_subnet(sim, subnet)
    one, two = vpc_interface(config_of(sim, first["id"])), vpc_interface(
        config_of(sim, second["id"]))
    # .1 is the gateway: the first Linode gets .2, the next .3.
    assert one["ipv4"] == {"vpc": "10.20.0.2", "nat_1_1": first["ipv4"][0]}
    assert two["ipv4"] == {"vpc": "10.20.0.3", "nat_1_1": None}
    assert one["vpc_id"] == v["id"] and one["subnet_id"] == subnet
    # Both run their first config: their interfaces are active.
    assert one["active"] and two["active"]

    listed = sim.get(f"/vpcs/{v['id']}/subnets/{subnet}").json()["linodes"]
    assert [(n["id"], [i["id"] for i in n["interfaces"]]) for n in listed] == [
        (first["id"], [one["id"]]), (second["id"], [two["id"]])]
    assert listed[0]["interfaces"][0]["active"] is True
    assert sim.get(f"/vpcs/{v['id']}").json()["subnets"][0]["linodes"] == listed

    ips = assert_list(sim.get(f"/vpcs/{v['id']}/ips"), 2)
    assert all(set(i) == IP_FIELDS for i in ips)
    assert ips[0] == {"address": "10.20.0.2", "address_range": None, "vpc_id": v["id"],
                      "subnet_id": subnet, "region": "us-iad", "linode_id": first["id"],
                      "config_id": config_of(sim, first["id"])["id"],
                      "interface_id": one["id"], "active": True,
                      "nat_1_1": first["ipv4"][0], "gateway": "10.20.0.1", "prefix": 24,
                      "subnet_mask": "255.255.255.0"}
    mine = sim.get_all("/vpcs/ips", filter={"vpc_id": v["id"]})
    assert [i["address"] for i in mine] == ["10.20.0.2", "10.20.0.3"]
    assert [i["address"] for i in sim.get_all("/vpcs/ips", filter={
        "linode_id": second["id"]})] == ["10.20.0.3"]


def test_active_follows_the_booted_config(sim):
    v = vpc(sim, "10.21.0.0/24")
    linode = in_subnet(sim, v["subnets"][0]["id"])
    assert vpc_interface(config_of(sim, linode["id"]))["active"] is True
    assert sim.post(f"/linode/instances/{linode['id']}/shutdown").status_code == 200
    wait_status(sim, linode["id"], "offline")
    assert vpc_interface(config_of(sim, linode["id"]))["active"] is False
    ips = sim.get_all(f"/vpcs/{v['id']}/ips", filter={"active": False})
    assert [i["linode_id"] for i in ips] == [linode["id"]]
    assert sim.get_all(f"/vpcs/{v['id']}/ips", filter={"active": True}) == []
    # A second profile booted: its interfaces are active, the first's are not.
    made = sim.post(f"/linode/instances/{linode['id']}/configs", json={
        "label": "second", "devices": config_of(sim, linode["id"])["devices"],
        "interfaces": [{"purpose": "public"}]})
    assert made.status_code == 200, made.text
    second = made.json()["id"]
    assert sim.post(f"/linode/instances/{linode['id']}/boot",
                    json={"config_id": second}).status_code == 200
    wait_status(sim, linode["id"], "running")
    configs = {c["id"]: c for c in sim.get_all(f"/linode/instances/{linode['id']}/configs")}
    assert [i["active"] for i in configs[second]["interfaces"]] == [True]
    assert vpc_interface(configs[config_of(sim, linode["id"])["id"]])["active"] is False


def test_addresses_asked_for_are_checked(sim):
    v = vpc(sim, "10.22.0.0/24", "10.22.1.0/28")
    subnet, small = v["subnets"][0]["id"], v["subnets"][1]["id"]
    holder = in_subnet(sim, subnet, ipv4={"vpc": "10.22.0.50"})
    assert vpc_interface(config_of(sim, holder["id"]))["ipv4"]["vpc"] == "10.22.0.50"
    other = create_from_image(sim, region="us-iad")
    for body, field in [
        ({"purpose": "vpc", "subnet_id": subnet, "ipv4": {"vpc": "10.22.0.50"}}, "ipv4.vpc"),
        ({"purpose": "vpc", "subnet_id": subnet, "ipv4": {"vpc": "10.22.0.1"}}, "ipv4.vpc"),
        ({"purpose": "vpc", "subnet_id": subnet, "ipv4": {"vpc": "10.22.0.0"}}, "ipv4.vpc"),
        ({"purpose": "vpc", "subnet_id": subnet, "ipv4": {"vpc": "10.22.0.255"}}, "ipv4.vpc"),
        ({"purpose": "vpc", "subnet_id": subnet, "ipv4": {"vpc": "10.23.0.5"}}, "ipv4.vpc"),
        ({"purpose": "vpc", "subnet_id": subnet, "ipv4": {"nat_1_1": "192.0.2.9"}},
         "ipv4.nat_1_1"),
        ({"purpose": "vpc", "subnet_id": subnet, "ip_ranges": ["10.30.0.0/28"]}, "ip_ranges[0]"),
        ({"purpose": "vpc", "subnet_id": 987654321}, "subnet_id"),
        ({"purpose": "vpc"}, "subnet_id"),
    ]:
        before = config_of(sim, other["id"])
        assert_error(add_interface(sim, other["id"], body), 400, field)
        assert config_of(sim, other["id"]) == before, body
    # A /28 holds 13 interfaces (.2 to .14): the last one asked for is taken.
    r = add_interface(sim, other["id"], {"purpose": "vpc", "subnet_id": small,
                                         "ipv4": {"vpc": "10.22.1.14"}})
    assert r.status_code == 200, r.text
    # A second vpc interface in one profile is refused.
    assert_error(add_interface(sim, other["id"], {"purpose": "vpc", "subnet_id": subnet}), 400,
                 "purpose")


def test_a_subnet_of_another_region_or_account_is_not_found(sim):
    far = vpc(sim, "10.24.0.0/24", region="us-ord")
    linode = create_from_image(sim, region="us-iad")
    assert_error(add_interface(sim, linode["id"], {"purpose": "vpc",
                                                   "subnet_id": far["subnets"][0]["id"]}),
                 400, "subnet_id")
    r = sim.post("/linode/instances", json={
        "region": "us-iad", "type": "g6-nanode-1", "image": "linode/debian12",
        "root_pass": "R00t-pass-word!", "interfaces": [
            {"purpose": "public"}, {"purpose": "vpc", "subnet_id": far["subnets"][0]["id"]}]})
    assert_error(r, 400, "interfaces[1].subnet_id")


def test_a_full_subnet_and_another_accounts_subnet(sim):
    v = vpc(sim, "10.29.0.0/29")
    subnet = v["subnets"][0]["id"]
    # A /29 holds five interfaces: .2 to .6.
    made = [in_subnet(sim, subnet)["id"] for _ in range(5)]
    assert [vpc_interface(config_of(sim, m))["ipv4"]["vpc"] for m in made] == [
        f"10.29.0.{n}" for n in range(2, 7)]
    r = sim.post("/linode/instances", json={
        "region": "us-iad", "type": "g6-nanode-1", "image": "linode/debian12",
        "root_pass": "R00t-pass-word!", "interfaces": [
            {"purpose": "public"}, {"purpose": "vpc", "subnet_id": subnet}]})
    assert_error(r, 400, "interfaces[1].subnet_id")
    # Another account's Linode cannot join this account's subnet.
    other = dict(token=create_account(sim.data_dir, unique_username("vo")))
    r = sim.post("/linode/instances", json={
        "region": "us-iad", "type": "g6-nanode-1", "image": "linode/debian12",
        "root_pass": "R00t-pass-word!", "interfaces": [
            {"purpose": "public"}, {"purpose": "vpc", "subnet_id": subnet}]}, **other)
    assert_error(r, 400, "interfaces[1].subnet_id")
    assert len(sim.get(f"/vpcs/{v['id']}").json()["subnets"][0]["linodes"]) == 5


def test_changing_and_keeping_an_address(sim):
    v = vpc(sim, "10.25.0.0/24")
    subnet = v["subnets"][0]["id"]
    linode = in_subnet(sim, subnet, ip_ranges=["10.25.0.128/28"])
    config = config_of(sim, linode["id"])
    itf = vpc_interface(config)
    assert itf["ipv4"]["vpc"] == "10.25.0.2" and itf["ip_ranges"] == ["10.25.0.128/28"]
    ips = sim.get_all(f"/vpcs/{v['id']}/ips")
    assert sorted(((i["address"], i["address_range"]) for i in ips), key=str) == [
        ("10.25.0.2", None), (None, "10.25.0.128/28")]
    base = f"/linode/instances/{linode['id']}/configs/{config['id']}"
    # The profile sent back as it was keeps the interface's address.
    r = sim.put(base, json={"interfaces": config["interfaces"]})
    assert r.status_code == 200, r.text
    assert vpc_interface(r.json())["ipv4"]["vpc"] == "10.25.0.2"
    # Sent back without its address, it keeps it too.
    sent = [dict(i) for i in config["interfaces"]]
    for i in sent:
        if i["purpose"] == "vpc":
            i["ipv4"] = {"vpc": None, "nat_1_1": None}
    assert vpc_interface(sim.put(base, json={"interfaces": sent}).json())["ipv4"][
        "vpc"] == "10.25.0.2"
    # An interface's PUT moves it, and sets a NAT on the Linode's own address.
    r = sim.put(f"{base}/interfaces/{itf['id']}",
                json={"ipv4": {"vpc": "10.25.0.10", "nat_1_1": linode["ipv4"][0]}})
    assert r.status_code == 200, r.text
    assert r.json()["ipv4"] == {"vpc": "10.25.0.10", "nat_1_1": linode["ipv4"][0]}
    # The old address is free again: a new Linode gets it.
    assert vpc_interface(config_of(sim, in_subnet(sim, subnet)["id"]))["ipv4"][
        "vpc"] == "10.25.0.2"


def test_a_vpc_or_subnet_in_use_is_not_deleted(sim):
    v = vpc(sim, "10.26.0.0/24")
    subnet = v["subnets"][0]["id"]
    linode = in_subnet(sim, subnet)
    assert_error(sim.delete(f"/vpcs/{v['id']}/subnets/{subnet}"), 400)
    assert_error(sim.delete(f"/vpcs/{v['id']}"), 400)
    assert sim.get(f"/vpcs/{v['id']}").json()["subnets"][0]["id"] == subnet
    config = config_of(sim, linode["id"])
    itf = vpc_interface(config)
    assert sim.delete(f"/linode/instances/{linode['id']}/configs/{config['id']}/interfaces/"
                      f"{itf['id']}").status_code == 200
    assert sim.get(f"/vpcs/{v['id']}").json()["subnets"][0]["linodes"] == []
    assert sim.delete(f"/vpcs/{v['id']}/subnets/{subnet}").json() == {}
    assert sim.delete(f"/vpcs/{v['id']}").json() == {}


def test_clone_renumbers_and_migrate_stays_in_region(sim):
    v = vpc(sim, "10.27.0.0/24")
    subnet = v["subnets"][0]["id"]
    source = in_subnet(sim, subnet, ipv4={"nat_1_1": "any"})
    r = sim.post(f"/linode/instances/{source['id']}/clone",
                 json={"region": "us-iad", "type": "g6-standard-1"})
    assert r.status_code == 200, r.text
    clone = r.json()
    wait_status(sim, clone["id"], "offline")
    copied = vpc_interface(config_of(sim, clone["id"]))
    assert copied["ipv4"] == {"vpc": "10.27.0.3", "nat_1_1": clone["ipv4"][0]}
    assert_error(sim.post(f"/linode/instances/{source['id']}/clone",
                          json={"region": "us-east", "type": "g6-standard-1"}), 400, "region")
    assert_error(sim.post(f"/linode/instances/{source['id']}/migrate",
                          json={"region": "us-ord"}), 400, "region")


def test_the_list_of_ips_pages(sim):
    v = vpc(sim, "10.28.0.0/24")
    subnet = v["subnets"][0]["id"]
    made = [in_subnet(sim, subnet)["id"] for _ in range(3)]
    first = sim.get(f"/vpcs/{v['id']}/ips", params={"page_size": 25})
    assert first.json()["results"] == 3 and first.json()["pages"] == 1
    assert [i["linode_id"] for i in first.json()["data"]] == made


def test_on_qemu_hosts_a_private_network_stays_on_one_host(spawn):
    """The qemu driver's private networks are segments of one host: a Linode created into a VPC
    or VLAN is placed on its other Linodes' host, and one elsewhere cannot join. (The hosts are
    the sim driver's, marked qemu in the store: placement reads the mark.)"""
    srv = spawn(token_scopes="*", env={"LINNET_SIM_HOSTS": "3", "LINNET_SIM_SCALE": "0"})
    db_execute(srv.data_dir, "UPDATE hosts SET driver = 'qemu'")

    def host(linode_id):
        return db_execute(srv.data_dir, "SELECT host_id FROM linodes WHERE id = ?",
                          (linode_id,))[0][0]

    subnet = vpc(srv, "10.40.0.0/24")["subnets"][0]["id"]
    first = in_subnet(srv, subnet)
    # Each of these would go to the emptiest host: another one than the first's.
    joined = in_subnet(srv, subnet)
    vlan = [{"purpose": "public"}, {"purpose": "vlan", "label": "back"}]
    on_vlan = create_from_image(srv, region="us-iad", interfaces=vlan)
    vlan_mate = create_from_image(srv, region="us-iad", interfaces=vlan)
    apart = create_from_image(srv, region="us-iad")
    assert host(joined["id"]) == host(first["id"])
    assert host(vlan_mate["id"]) == host(on_vlan["id"])
    assert len({host(first["id"]), host(on_vlan["id"]), host(apart["id"])}) == 3
    # A Linode of another host cannot join them.
    assert_error(add_interface(srv, apart["id"], {"purpose": "vpc", "subnet_id": subnet}), 400,
                 "subnet_id")
    assert_error(add_interface(srv, apart["id"], {"purpose": "vlan", "label": "back"}), 400,
                 "label")
    # On the sim driver's own hosts any host will do.
    db_execute(srv.data_dir, "UPDATE hosts SET driver = 'sim'")
    assert add_interface(srv, apart["id"], {"purpose": "vpc", "subnet_id": subnet}
                         ).status_code == 200
