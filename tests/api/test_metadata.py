"""User data (metadata.user_data on create, rebuild and clone; has_user_data) and the Metadata
service a guest reaches at 169.254.169.254, driven here as QEMU drives it: through
`linnetd metadata-relay`, whose standard input and output are the guest's connection."""
import base64
import json
import re
import subprocess
import time

import pytest

from support import BIN, assert_error, create_from_image, create_linode, wait_status

KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcKWXa5yCsgP8TeBNFd0PT3e2ewHVKrO/D5Wg0nDwyB "
       "someone@laptop")
CONFIG = "#cloud-config\nruncmd:\n  - echo hello > /root/hello\n"
USER_DATA = base64.b64encode(CONFIG.encode()).decode()


def relay(srv, linode_id, *requests):
    """Sends the raw requests on one connection; answers [(status, headers, body)]."""
    raw = b"".join(r.encode() if isinstance(r, str) else r for r in requests)
    out = subprocess.run([BIN, "metadata-relay", "--socket", str(srv.data_dir / "metadata.sock"),
                          "--linode", str(linode_id)], input=raw, capture_output=True, timeout=20)
    assert out.returncode == 0, out.stderr
    assert out.stderr == b"", "the relay writes nothing but the connection"
    answers, data = [], out.stdout
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        length = int(headers.get("content-length", "0"))
        answers.append((status, headers, rest[:length].decode()))
        data = rest[length:]
    return answers


def request(method, path, close=True, **headers):
    lines = [f"{method} {path} HTTP/1.1", "Host: 169.254.169.254"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    if close:
        lines.append("Connection: close")
    return "\r\n".join(lines) + "\r\n\r\n"


def token_for(srv, linode_id, seconds=3600):
    [(status, headers, body)] = relay(srv, linode_id, request(
        "PUT", "/v1/token", Metadata_Token_Expiry_Seconds=seconds))
    assert status == 200, body
    return body


def read(srv, linode_id, path, token, accept="application/json"):
    [(status, headers, body)] = relay(srv, linode_id, request(
        "GET", path, Metadata_Token=token, Accept=accept))
    return status, headers, body


# --- user data through the API ---

def test_user_data_is_kept_and_shown_as_has_user_data(instant):
    linode = create_from_image(instant, wait=None, metadata={"user_data": USER_DATA})
    assert linode["has_user_data"] is True
    plain = create_from_image(instant, wait=None)
    assert plain["has_user_data"] is False
    token = token_for(instant, linode["id"])
    assert read(instant, linode["id"], "/v1/user-data", token)[2] == USER_DATA
    # Without user data, the answer is empty (cloud-init finds nothing to run).
    status, _, body = read(instant, plain["id"], "/v1/user-data", token_for(instant, plain["id"]))
    assert (status, body) == (200, "")


@pytest.mark.parametrize("metadata,reason", [
    ({"user_data": "not base64!"}, "base64"),
    ({"user_data": 5}, "base64"),
    ({"user_data": ""}, "empty"),
    ({"user_data": base64.b64encode(b"x" * 65536).decode()}, "65535"),
    ("text", "object"),
])
def test_bad_user_data_is_refused(instant, metadata, reason):
    r = instant.post("/linode/instances", json={
        "region": "us-east", "type": "g6-nanode-1", "image": "linode/debian12",
        "root_pass": "Lnt-7xQ!rv93Kp", "metadata": metadata})
    errors = assert_error(r, 400)
    assert any(reason in e["reason"] and e["field"].startswith("metadata") for e in errors), errors


def test_largest_user_data_is_accepted(instant):
    biggest = base64.b64encode(b"#" * 65535).decode()
    linode = create_from_image(instant, wait=None, metadata={"user_data": biggest})
    assert linode["has_user_data"] is True


def test_user_data_needs_an_image_with_cloud_init(instant):
    r = instant.post("/linode/instances", json={
        "region": "us-east", "type": "g6-nanode-1", "image": "linode/slackware15.0",
        "root_pass": "Lnt-7xQ!rv93Kp", "metadata": {"user_data": USER_DATA}})
    assert_error(r, 400, field="metadata.user_data")
    linode = create_from_image(instant, wait="running")
    r = instant.post(f"/linode/instances/{linode['id']}/rebuild", json={
        "image": "linode/slackware15.0", "root_pass": "Lnt-7xQ!rv93Kp",
        "metadata": {"user_data": USER_DATA}})
    assert_error(r, 400, field="metadata.user_data")


def test_rebuild_replaces_user_data_and_keys(instant):
    linode = create_from_image(instant, wait="running", metadata={"user_data": USER_DATA},
                               authorized_keys=[KEY])
    other = base64.b64encode(b"#cloud-config\n{}\n").decode()
    r = instant.post(f"/linode/instances/{linode['id']}/rebuild", json={
        "image": "linode/debian12", "root_pass": "Lnt-7xQ!rv93Kp", "metadata": {"user_data": other}})
    assert r.status_code == 200, r.text
    assert r.json()["has_user_data"] is True
    token = token_for(instant, linode["id"])
    assert read(instant, linode["id"], "/v1/user-data", token)[2] == other
    assert read(instant, linode["id"], "/v1/ssh-keys", token)[2] == '{"users":{}}'
    wait_status(instant, linode["id"], "running")
    # A rebuild without user data is a deployment without it.
    r = instant.post(f"/linode/instances/{linode['id']}/rebuild", json={
        "image": "linode/debian12", "root_pass": "Lnt-7xQ!rv93Kp"})
    assert r.status_code == 200 and r.json()["has_user_data"] is False
    assert read(instant, linode["id"], "/v1/user-data", token)[2] == ""


def test_clone_takes_user_data_for_a_new_linode_only(instant):
    source = create_from_image(instant, wait="running")
    target = create_linode(instant)
    r = instant.post(f"/linode/instances/{source['id']}/clone", json={
        "linode_id": target["id"], "metadata": {"user_data": USER_DATA}})
    assert_error(r, 400, field="metadata.user_data")
    r = instant.post(f"/linode/instances/{source['id']}/clone", json={
        "region": "us-east", "type": "g6-nanode-1", "metadata": {"user_data": USER_DATA}})
    assert r.status_code == 200, r.text
    assert r.json()["has_user_data"] is True
    clone = r.json()["id"]
    assert read(instant, clone, "/v1/user-data", token_for(instant, clone))[2] == USER_DATA


# --- the Metadata service ---

def test_token_as_text_and_as_json(instant):
    linode = create_linode(instant)
    token = token_for(instant, linode["id"])
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    [(status, headers, body)] = relay(instant, linode["id"], request(
        "PUT", "/v1/token", Metadata_Token_Expiry_Seconds=300, Accept="application/json"))
    assert status == 200 and headers["content-type"] == "application/json"
    [json_token] = json.loads(body)
    assert re.fullmatch(r"[0-9a-f]{64}", json_token)
    # A token is asked for with PUT only.
    [(status, headers, body)] = relay(instant, linode["id"], request("GET", "/v1/token"))
    assert status == 405 and headers["allow"] == "PUT"


@pytest.mark.parametrize("seconds", ["0", "86401", "soon", "-5"])
def test_bad_expiry_is_refused(instant, seconds):
    linode = create_linode(instant)
    [(status, _, body)] = relay(instant, linode["id"], request(
        "PUT", "/v1/token", Metadata_Token_Expiry_Seconds=seconds))
    assert status == 400 and "Metadata-Token-Expiry-Seconds" in body


def test_reads_need_a_live_token_of_the_same_linode(instant):
    mine = create_linode(instant)
    other = create_linode(instant)
    for token in (None, "0" * 64, "not a token", token_for(instant, other["id"])):
        headers = {"Metadata_Token": token} if token else {}
        [(status, _, body)] = relay(instant, mine["id"], request("GET", "/v1/instance", **headers))
        assert status == 401, (token, body)
        assert json.loads(body) == {"errors": [{"reason": "Unauthorized"}]}
    # Expiry counts whole seconds: a token of 4 s lives more than 3 s, and is gone after 4.2.
    short = token_for(instant, mine["id"], seconds=4)
    assert read(instant, mine["id"], "/v1/instance", short)[0] == 200
    time.sleep(4.2)
    assert read(instant, mine["id"], "/v1/instance", short)[0] == 401


def test_instance_describes_the_linode(instant):
    linode = create_from_image(instant, wait="running", tags=["web"], backups_enabled=True)
    token = token_for(instant, linode["id"])
    status, headers, body = read(instant, linode["id"], "/v1/instance", token)
    assert status == 200 and headers["content-type"] == "application/json"
    doc = json.loads(body)
    euuid = instant.get("/account").json()["euuid"]
    assert doc == {
        "id": linode["id"], "host_uuid": linode["host_uuid"], "label": linode["label"],
        "region": "us-east", "type": "g6-nanode-1", "tags": ["web"],
        "specs": {k: linode["specs"][k] for k in ("vcpus", "memory", "gpus", "transfer", "disk")},
        "backups": {"enabled": True, "status": "pending"},
        "image": {"id": "linode/debian12", "label": "Debian 12"},
        "account_euuid": euuid}
    # The text form: one sorted line per value, nested keys joined by dots.
    status, headers, text = read(instant, linode["id"], "/v1/instance", token, accept="*/*")
    assert status == 200 and headers["content-type"] == "text/plain"
    lines = text.splitlines()
    assert f"id: {linode['id']}" in lines and "specs.vcpus: 1" in lines
    assert "backups.enabled: true" in lines and "tags: web" in lines
    assert [l.split(":")[0] for l in lines] == sorted(l.split(":")[0] for l in lines)


def test_network_and_ssh_keys(instant):
    username = instant.get("/profile").json()["username"]
    user_key = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3k0pW9yq3Qm1Tn8qQ0w7m6b2rJ0m3xj2Yw2c5m7aBc "
                "user@desk")
    r = instant.post("/profile/sshkeys", json={"label": "desk", "ssh_key": user_key})
    assert r.status_code == 200, r.text
    linode = create_from_image(instant, wait="running", private_ip=True, authorized_keys=[KEY],
                               authorized_users=[username])
    token = token_for(instant, linode["id"])
    ips = instant.get(f"/linode/instances/{linode['id']}/ips").json()
    status, _, body = read(instant, linode["id"], "/v1/network", token)
    assert status == 200
    net = json.loads(body)
    assert net["ipv4"] == {
        "public": [a["address"] + "/32" for a in ips["ipv4"]["public"]],
        "private": [a["address"] + "/32" for a in ips["ipv4"]["private"]],
        "shared": []}
    assert net["ipv6"]["slaac"] == ips["ipv6"]["slaac"]["address"] + "/128"
    assert net["interfaces"] == []
    status, _, body = read(instant, linode["id"], "/v1/ssh-keys", token)
    assert json.loads(body) == {"users": {"root": [KEY, user_key]}}
    status, _, text = read(instant, linode["id"], "/v1/ssh-keys", token, accept="text/plain")
    assert text.splitlines() == [f"users.root: {KEY}", f"users.root: {user_key}"]


def test_one_connection_carries_several_requests(instant):
    linode = create_linode(instant)
    token = token_for(instant, linode["id"])
    answers = relay(instant, linode["id"],
                    request("GET", "/v1/instance", close=False, Metadata_Token=token,
                            Accept="application/json"),
                    request("GET", "/v1/user-data", close=False, Metadata_Token=token),
                    request("GET", "/v1/nothing", Metadata_Token=token))
    assert [a[0] for a in answers] == [200, 200, 404]


def test_a_linode_that_is_gone_is_not_found(instant):
    linode = create_linode(instant)
    token = token_for(instant, linode["id"])
    assert instant.delete(f"/linode/instances/{linode['id']}").status_code == 200
    for _ in range(100):
        status = read(instant, linode["id"], "/v1/instance", token)[0]
        if status == 404:
            break
        time.sleep(0.05)
    assert status == 404


def test_bad_preamble_or_garbage_is_dropped_without_harm(instant):
    linode = create_linode(instant)
    # Not HTTP at all: the connection is closed, the service keeps serving.
    out = relay(instant, linode["id"], b"\x00\x01garbage\r\n\r\n")
    assert out == [] or out[0][0] == 400
    assert re.fullmatch(r"[0-9a-f]{64}", token_for(instant, linode["id"]))
