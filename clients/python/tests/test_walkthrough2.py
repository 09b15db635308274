"""Walkthrough 2 of the 2016 announcement (the Python one), as written, against linnetd."""
import re


def test_walkthrough_2(server):
    from linode import LinodeClient, Service, Datacenter, Distribution
    client = LinodeClient(server.token, base_url=server.base_url)
    service = client.get_services(Service.label == "Linode 1024")[0]
    datacenter = client.get_datacenters(Datacenter.label == "Newark, NJ")[0]
    distro = client.get_distributions(Distribution.label == "Ubuntu 14.04")[0]
    (linode, password) = client.create_linode(service, datacenter, source=distro)
    linode.label = "My Awesome Linode"
    linode.save()

    # What the walkthrough made, read back through a fresh client and both APIs.
    assert len(password) >= 16 and re.search(r"\d", password)
    again = server.get(f"/linodes/linode_{linode.id}").json()
    assert again["label"] == "My Awesome Linode"
    assert again["services"]["linode"]["id"] == service.id == "service_112"
    assert again["datacenter"]["id"] == datacenter.id == "datacenter_6"
    assert again["distribution"]["id"] == distro.id
    modern = server.get(f"/linode/instances/{linode.id}").json()
    assert modern["label"].startswith("My-Awesome-Linode")
    assert (modern["region"], modern["type"]) == ("us-east", "g6-nanode-1")
