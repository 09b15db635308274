"""LinodeClient against a running linnetd: getters and filters, lazy objects and save(), lazy
paging, create_linode in both forms, the Linode actions and ApiError."""
import json
import time

import pytest

from linode import (ApiError, Datacenter, Distribution, Domain, FilterError, Firewall, Image,
                    Linode, LinodeClient, NodeBalancer, PlacementGroup, Region, Service,
                    StackScript, Type, Volume, limit, order_by)

PASSWORD = "Lnt-7xQ!rv93Kp"


def wait_for(linode, status, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if linode.current_status() == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"{linode} never reached {status}")


def test_modern_getters_and_filters(client, recorder):
    regions = client.get_regions(Region.country == "us")
    assert len(regions) > 0 and all(r.country == "us" for r in regions)
    types = client.get_types(Type.memory >= 8192, order_by(Type.memory, desc=True))
    memories = [t.memory for t in types]
    assert memories == sorted(memories, reverse=True) and min(memories) >= 8192
    sent = [json.loads(c[3]) for c in recorder.calls if c[1] == "/linode/types"]
    assert sent == [{"memory": {"+gte": 8192}, "+order_by": "memory", "+order": "desc"}]
    images = client.get_images(Image.label.contains("debian"))
    assert any(i.id == "linode/debian12" for i in images)
    kernels = client.get_kernels()
    assert len(kernels) > 0


def test_alpha_getters(client):
    assert [d.id for d in client.get_datacenters()][:2] == ["datacenter_2", "datacenter_3"]
    service = client.get_services(Service.label == "Linode 1024")[0]
    assert (service.id, service.ram, service.type) == ("service_112", 1024, "g6-nanode-1")
    d = client.get_distributions(Distribution.vendor == "Debian", Distribution.recommended == True)  # noqa: E712
    assert [x.id for x in d] == ["distro_140"]
    assert client.get_datacenters(Datacenter.label.contains("Newark"))[0].region == "us-east"


def test_limit_is_applied(client):
    assert len(client.get_types(limit(3))) == 3
    assert len(client.get_regions(Region.country == "us", limit(2))) == 2


def test_unfilterable_property_raises_before_any_request(client, recorder):
    with pytest.raises(FilterError, match="not filterable"):
        client.get_services(Service.mbits_out > 100)
    assert recorder.calls == []


def test_lazy_objects_load_on_first_read(client, recorder):
    region = Region(client, "us-east")
    assert recorder.calls == []
    assert region.label == "Newark, NJ"
    assert region.country == "us"
    assert [c[1] for c in recorder.calls] == ["/regions/us-east"]


def test_lazy_lists_page_on_demand(client, recorder):
    types = client.get_types()
    assert recorder.calls == []
    assert len(types) > 0
    assert len(recorder.calls) == 1
    list(types)
    assert len(recorder.calls) == -(-len(types) // 100)


def test_save_sends_only_changed_fields(client, recorder):
    linode, password = client.create_linode("g6-nanode-1", "us-east", source="linode/debian12",
                                            root_pass=PASSWORD, label=f"py-{time.monotonic_ns()}")
    assert password == PASSWORD
    assert linode.save() is False  # nothing changed: no request
    linode.group = "py-group"
    linode.save()
    puts = [c for c in recorder.calls if c[0] == "PUT"]
    assert puts == [("PUT", f"/linode/instances/{linode.id}", {"group": "py-group"}, None)]
    assert Linode(client, linode.id).group == "py-group"
    with pytest.raises(AttributeError):
        linode.status = "running"


def test_create_alpha_generates_a_strong_password_and_boots(client):
    service = client.get_services(Service.label == "Linode 1024")[0]
    datacenter = client.get_datacenters(Datacenter.label == "Newark, NJ")[0]
    distro = client.get_distributions(Distribution.label == "Debian 8.1")[0]
    linode, password = client.create_linode(service, datacenter, source=distro)
    assert len(password) >= 32
    assert {any(f(c) for c in password) for f in (str.islower, str.isupper, str.isdigit)} == {True}
    assert linode.alpha and linode.state == "provisioning"
    assert linode.service.id == "service_112" and linode.datacenter.id == "datacenter_6"
    linode.boot()
    wait_for(linode, "running")
    assert linode.public_ipv4
    linode.shutdown()
    wait_for(linode, "offline")
    linode.delete()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            linode.current_status()
        except ApiError as e:
            assert e.status == 404
            return
        time.sleep(0.05)
    raise AssertionError("the Linode was not deleted")


def test_get_linodes_finds_by_label(client):
    label = f"find-me-{time.monotonic_ns()}"
    made, _ = client.create_linode("g6-nanode-1", "us-east", label=label)
    found = client.get_linodes(Linode.label == label)
    assert len(found) == 1 and found[0].id == made.id and not found[0].alpha


def test_api_errors_carry_status_and_errors(client, server):
    with pytest.raises(ApiError) as e:
        client.create_linode("g6-nope", "us-east")
    assert e.value.status == 400
    assert any(err.get("field") == "type" for err in e.value.errors)
    with pytest.raises(ApiError) as e:
        Region(client, "no-such-region").label
    assert e.value.status == 404
    bad = LinodeClient("0" * 64, base_url=server.base_url)
    with pytest.raises(ApiError) as e:
        bad.get_linodes()[0]
    assert e.value.status == 401


def test_volumes(client):
    linode, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12")
    wait_for(linode, "running")
    volume = client.create_volume("us-east", size=10, label="py-data")
    deadline = time.monotonic() + 20
    while volume.status != "active" and time.monotonic() < deadline:
        time.sleep(0.05)
        volume.invalidate()
    assert volume.filesystem_path == "/dev/disk/by-id/scsi-0Linode_Volume_py-data"
    volume.attach(linode)
    deadline = time.monotonic() + 20
    while volume.linode is None and time.monotonic() < deadline:
        time.sleep(0.05)
        volume.invalidate()
    assert volume.linode == linode
    assert [v.id for v in client.get_volumes(Volume.label == "py-data")] == [volume.id]
    volume.tags = ["py"]
    assert volume.save() and client.get_volumes(Volume.tags == "py")[0].id == volume.id
    with pytest.raises(ApiError) as refused:
        volume.resize(5)
    assert refused.value.status == 400


def test_firewalls(client):
    linode, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12")
    ssh = {"action": "ACCEPT", "protocol": "TCP", "ports": "22",
           "addresses": {"ipv4": ["0.0.0.0/0"]}}
    firewall = client.create_firewall("py-guard", {"inbound_policy": "DROP",
                                                   "outbound_policy": "ACCEPT",
                                                   "inbound": [ssh]}, linodes=[linode])
    assert firewall.status == "enabled" and firewall.rules["version"] == 1
    assert [d["entity"]["id"] for d in firewall.devices] == [linode.id]
    assert [f.id for f in client.get_firewalls(Firewall.label == "py-guard")] == [firewall.id]
    rules = firewall.update_rules({"inbound_policy": "ACCEPT", "outbound_policy": "ACCEPT"})
    assert rules["version"] == 2 and firewall.rules["version"] == 2
    firewall.status = "disabled"
    assert firewall.save() and client.get_firewalls(Firewall.label == "py-guard")[0].status == \
        "disabled"
    [device] = firewall.devices
    assert firewall.device_delete(device) and firewall.devices == []
    with pytest.raises(ApiError) as refused:
        firewall.update_rules({"inbound": [dict(ssh, ports="080")]})
    assert refused.value.status == 400
    assert firewall.delete()


def test_domains(client):
    zone = client.create_domain("py-zone.example", soa_email="admin@example.org", tags=["py"])
    assert zone.type == "master" and zone.status == "active"
    www = zone.record_create("A", name="www", target="192.0.2.8")
    assert [r["name"] for r in zone.records] == ["www"]
    assert "www IN A 192.0.2.8" in zone.zone_file
    assert zone.record_update(www, target="192.0.2.9")["target"] == "192.0.2.9"
    assert [d.id for d in client.get_domains(Domain.domain == "py-zone.example")] == [zone.id]
    copy = zone.clone("py-copy.example")
    assert [r["target"] for r in copy.records] == ["192.0.2.9"]
    with pytest.raises(ApiError) as refused:
        zone.record_create("CNAME", name="www", target="elsewhere.example")
    assert refused.value.status == 400
    zone.description = "the python zone"
    assert zone.save()
    assert client.get_domains(Domain.domain == "py-zone.example")[0].description == \
        "the python zone"
    assert zone.record_delete(www) and zone.records == []
    assert copy.delete() and zone.delete()


def test_nodebalancers(client):
    firewall = client.create_firewall("py-nb-guard")
    nb = client.create_nodebalancer("us-east", label="py-balancer", firewall=firewall, configs=[
        {"port": 80, "nodes": [{"label": "web-1", "address": "127.0.0.2:80"}]}])
    assert nb.ipv4 and nb.label == "py-balancer"
    assert [n.id for n in client.get_nodebalancers(NodeBalancer.label == "py-balancer")] == [
        nb.id]
    [config] = nb.configs
    assert [n["label"] for n in nb.nodes(config)] == ["web-1"]
    added = nb.config_create(443, protocol="tcp",
                             nodes=[{"label": "tls-1", "address": "127.0.0.3:443"}])
    assert [c["port"] for c in nb.configs] == [80, 443]
    rebuilt = nb.config_rebuild(added, [{"label": "tls-2", "address": "127.0.0.4:443"}],
                                port=8443, protocol="tcp")
    assert rebuilt["port"] == 8443
    assert [n["label"] for n in nb.nodes(added)] == ["tls-2"]
    [firewall_doc] = nb.firewalls
    assert firewall_doc["id"] == firewall.id
    nb.client_conn_throttle = 5
    assert nb.save()
    assert client.get_nodebalancers(NodeBalancer.label == "py-balancer")[0].client_conn_throttle \
        == 5
    with pytest.raises(ApiError) as refused:
        nb.node_create(config, "public", "203.0.113.9:80")
    assert refused.value.status == 400
    assert nb.config_delete(added) and [c["port"] for c in nb.configs] == [80]
    assert nb.delete() and firewall.delete()


def test_placement_groups(client):
    group = client.create_placement_group("py-spread", "us-east")
    first, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12")
    second, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12")
    group.assign(first)
    assert [m["linode_id"] for m in group.members] == [first.id] and group.is_compliant
    first.invalidate()
    assert first.placement_group["id"] == group.id
    assert [g.id for g in client.get_placement_groups(PlacementGroup.label == "py-spread")] == [
        group.id]
    group.unassign(first)
    assert group.members == []
    with pytest.raises(ApiError) as refused:
        group.assign(first, 99999999)
    assert refused.value.status == 400
    assert group.members == [] and second.id
    assert group.delete()


def test_stackscripts(client):
    script = client.create_stackscript(
        "py-setup", "#!/bin/bash\n# <UDF name=\"role\" label=\"Role\" oneOf=\"web,db\" />\n",
        Image(client, "linode/debian12"), description="sets a role")
    assert script.mine is True and script.is_public is False
    assert [f["name"] for f in script.user_defined_fields] == ["role"]
    mine = client.get_stackscripts(StackScript.mine == True,  # noqa: E712
                                   StackScript.label == "py-setup")
    assert [s.id for s in mine] == [script.id]
    with pytest.raises(ApiError) as refused:
        client.create_linode("g6-nanode-1", "us-east", "linode/debian12", stackscript=script,
                             stackscript_data={"role": "mail"})
    assert refused.value.status == 400
    linode, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12",
                                     stackscript=script, stackscript_data={"role": "db"})
    script.invalidate()
    assert script.deployments_total == 1 and script.deployments_active == 1
    script.description = "sets a role, again"
    assert script.save()
    assert StackScript(client, script.id).description == "sets a role, again"
    assert script.delete()
    wait_for(linode, "running")


def test_images(client, tmp_path):
    import subprocess
    linode, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12")
    wait_for(linode, "running")
    disk = next(d for d in client.get(f"/linode/instances/{linode.id}/disks")["data"]
                if d["filesystem"] == "ext4")
    image = client.create_image(disk, label="py-golden", tags=["py-img"])
    assert image.id.startswith("private/") and image.status == "creating"
    deadline = time.monotonic() + 20
    while image.status != "available" and time.monotonic() < deadline:
        time.sleep(0.05)
        image.invalidate()
    assert image.regions == [{"region": "us-east", "status": "available"}]
    assert [i.id for i in client.get_images(Image.tags == "py-img")] == [image.id]
    image.replicate(["us-east", Region(client, "eu-west")])
    assert [r["region"] for r in image.regions] == ["us-east", "eu-west"]

    raw = tmp_path / "disk.img"
    with open(raw, "wb") as f:
        f.truncate(4 << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(raw)], check=True)
    uploaded = client.upload_image("py-uploaded", "us-east", str(raw), description="from a file")
    assert uploaded.status == "available" and uploaded.size == 4
    # A file that is not a disk image is refused with the reason.
    with pytest.raises(ApiError) as refused:
        client.upload_image("py-bad", "us-east", __file__)
    assert refused.value.status == 400 and refused.value.errors
    assert uploaded.delete() and image.delete()


def test_backups(client):
    linode, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12")
    wait_for(linode, "running")
    assert linode.enable_backups() and linode.backups["enabled"] is True
    taken = linode.snapshot("py-snap")
    assert taken["status"] == "pending"
    deadline = time.monotonic() + 20
    while linode.available_backups()["snapshot"]["current"] is None:
        assert time.monotonic() < deadline, "the snapshot was never taken"
        time.sleep(0.05)
    current = linode.available_backups()["snapshot"]["current"]
    assert current["id"] == taken["id"] and current["disks"]
    assert linode.restore_backup(current, overwrite=True)
    wait_for(linode, "offline")
    assert linode.cancel_backups() and linode.backups["enabled"] is False


def test_user_data_rebuild_stats_and_transfer(client):
    config = "#cloud-config\nruncmd:\n  - touch /root/ran\n"
    linode, _ = client.create_linode("g6-nanode-1", "us-east", "linode/debian12", user_data=config)
    assert linode.has_user_data is True
    wait_for(linode, "running")
    with pytest.raises(ValueError):
        linode.rebuild("linode/debian12", user_data=b"x" * 65536)
    password = linode.rebuild("linode/debian12")
    assert len(password) >= 16
    linode.invalidate()
    assert linode.has_user_data is False
    stats = linode.stats
    assert stats["cpu"] and stats["title"].endswith("day (5 min avg)")
    now = time.gmtime()
    assert linode.stats_for(now.tm_year, now.tm_mon)["cpu"]
    assert linode.transfer["quota"] == linode.specs["transfer"]
    month = linode.transfer_for(now.tm_year, now.tm_mon)
    assert month["bytes_total"] == month["bytes_in"] + month["bytes_out"] > 0
