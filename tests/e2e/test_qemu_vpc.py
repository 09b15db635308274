"""VPCs on the qemu driver, on loopback networking: three Linodes booted together; two in one
VPC (one per subnet) ping each other across its subnets, at their VPC addresses, over a segment
of their own; the third, in another VPC whose subnet has the same range as the second's, reaches
neither, and they do not reach it. A VLAN joins the first and the third: they reach each other
there. Only addresses on the guests' private links are pinged: nothing leaves the machine."""
from support import wait_until
from test_qemu_linode import ssh, wait_status

PASSWORD = "p3r8v1x6c9z2m5q7"


def guest(ipv4, command, ok=True):
    out = ssh(ipv4, command, password=PASSWORD, timeout=120)
    if ok:
        assert out.returncode == 0, f"{command}: {out.returncode} {out.stdout} {out.stderr}"
    return out


def pings(ipv4, address):
    """Whether the guest at IPV4 gets an answer from ADDRESS, which is on one of its private
    NICs' links (anything else would leave through its public NIC, off this machine)."""
    route = guest(ipv4, f"ip -4 route get {address}").stdout
    assert "via" not in route, f"{address} is not on a private link of {ipv4}: {route}"
    return guest(ipv4, f"timeout 10 ping -c 2 -W 2 {address}", ok=False).returncode == 0


def vpc(srv, label, *ranges):
    r = srv.post("/vpcs", json={"label": label, "region": "us-iad", "subnets": [
        {"label": f"net{i}", "ipv4": cidr} for i, cidr in enumerate(ranges)]})
    assert r.status_code == 200, r.text
    return [s["id"] for s in r.json()["subnets"]]


def linode(srv, label, *interfaces):
    r = srv.post("/linode/instances", json={
        "region": "us-iad", "type": "g6-nanode-1", "image": "linode/debian12",
        "root_pass": PASSWORD, "label": label,
        "interfaces": [{"purpose": "public"}, *interfaces]})
    assert r.status_code == 200, r.text
    return r.json()


def test_linodes_of_one_vpc_reach_each_other_and_no_one_else(qemu_server):
    srv = qemu_server
    first_net, second_net = vpc(srv, "e2e-vpc", "10.0.0.0/24", "10.0.1.0/24")
    (other_net,) = vpc(srv, "e2e-other-vpc", "10.0.1.0/24")
    a = linode(srv, "e2e-vpc-a", {"purpose": "vpc", "subnet_id": first_net},
               {"purpose": "vlan", "label": "e2e-vlan", "ipam_address": "10.9.0.1/24"})
    b = linode(srv, "e2e-vpc-b", {"purpose": "vpc", "subnet_id": second_net})
    c = linode(srv, "e2e-vpc-c", {"purpose": "vpc", "subnet_id": other_net,
                                  "ipv4": {"vpc": "10.0.1.5"}},
               {"purpose": "vlan", "label": "e2e-vlan", "ipam_address": "10.9.0.3/24"})
    for made in (a, b, c):
        wait_status(srv, made["id"], "running")
    pub = {name: made["ipv4"][0] for name, made in (("a", a), ("b", b), ("c", c))}
    for address in pub.values():
        wait_until(lambda: guest(address, "true", ok=False).returncode == 0, timeout=120,
                   interval=2, what=f"ssh on {address}")

    # The addresses the API gave are the guests' own.
    assert "10.0.0.2/24" in guest(pub["a"], "ip -4 -o addr").stdout
    assert "10.0.1.2/24" in guest(pub["b"], "ip -4 -o addr").stdout
    assert "10.0.1.5/24" in guest(pub["c"], "ip -4 -o addr").stdout

    # One VPC: its subnets are routed to each other.
    assert pings(pub["a"], "10.0.1.2")
    assert pings(pub["b"], "10.0.0.2")
    # It was b that answered: its MAC is a's neighbour at 10.0.1.2.
    b_mac = guest(pub["b"], "cat /sys/class/net/*/address").stdout.split()
    neighbour = guest(pub["a"], "ip neigh show 10.0.1.2").stdout.split()
    assert neighbour[neighbour.index("lladdr") + 1] in b_mac

    # The other VPC, with the same range: c does not reach b at b's address in it, and
    # neither a nor b reaches c.
    assert not pings(pub["c"], "10.0.1.2")
    assert not pings(pub["b"], "10.0.1.5")
    assert not pings(pub["a"], "10.0.1.5")

    # The VLAN a and c share: they reach each other there.
    assert pings(pub["a"], "10.9.0.3")
    assert pings(pub["c"], "10.9.0.1")

    # The API shows the interfaces active, and the VPC's addresses.
    ips = srv.get_all("/vpcs/ips")
    assert sorted((i["linode_id"], i["address"], i["active"]) for i in ips) == sorted([
        (a["id"], "10.0.0.2", True), (b["id"], "10.0.1.2", True), (c["id"], "10.0.1.5", True)])
    for made in (a, b, c):
        assert srv.delete(f"/linode/instances/{made['id']}").status_code == 200
