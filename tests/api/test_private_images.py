"""An account's own images on the sim driver: captured from a Linode's disk (POST /images, the
disk_imagize event), uploaded as a gzipped raw disk to the URL POST /images/upload answers,
updated, replicated to regions, deleted; deployed to new Linodes, disks and rebuilds in the
regions they are kept in; hidden from other accounts, restricted users without a grant and
callers without a token."""
import gzip
import io
import os
import subprocess
from pathlib import Path

import pytest
import requests

from support import (IMAGE, ROOT_PASS, Server, assert_error, assert_list, create_account,
                     create_from_image, put_grants, restricted_user, unique_label,
                     unique_username, wait_status, wait_until)

FIELDS = {"id", "label", "description", "created", "updated", "size", "total_size", "created_by",
          "type", "tags", "is_public", "deprecated", "vendor", "expiry", "eol", "status",
          "capabilities", "regions"}


def image(srv, image_id, **kw):
    r = srv.get(f"/images/{image_id}", **kw)
    assert r.status_code == 200, r.text
    return r.json()


def wait_image(srv, image_id, what=lambda i: i["status"] == "available", timeout=15.0):
    return wait_until(lambda: (lambda i: i if what(i) else None)(image(srv, image_id)), timeout,
                      what=f"image {image_id}")


def number(img):
    """Events and grants name an account's image by its number: private/N."""
    return int(img["id"].split("/")[1])


def boot_disk(srv, linode_id):
    disks = srv.get_all(f"/linode/instances/{linode_id}/disks")
    return next(d for d in disks if d["filesystem"] == "ext4")


def capture(srv, linode_id, **fields):
    body = {"disk_id": boot_disk(srv, linode_id)["id"], **fields}
    r = srv.post("/images", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def ext4_image(tmp_path, mb=8):
    """A gzipped ext4 filesystem of MB megabytes (what a captured disk holds)."""
    raw = Path(tmp_path) / "fs.img"
    with open(raw, "wb") as f:
        f.truncate(mb << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(raw)], check=True)
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as gz:
        gz.write(raw.read_bytes())
    return out.getvalue()


def upload(srv, **fields):
    body = {"label": unique_label("up"), "region": "us-east", **fields}
    r = srv.post("/images/upload", json=body)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def linode(sim):
    return create_from_image(sim, label=unique_label("img-src"))


def test_capture_a_disk(sim, linode):
    disk = boot_disk(sim, linode["id"])
    made = capture(sim, linode["id"], label="golden", description="a web server",
                   tags=["web", "base"], cloud_init=True)
    assert set(made) == FIELDS
    assert made["id"].startswith("private/") and made["status"] == "creating"
    assert made["label"] == "golden" and made["description"] == "a web server"
    assert made["size"] == disk["size"] and made["regions"] == []
    assert made["is_public"] is False and made["type"] == "manual" and made["vendor"] is None
    assert made["tags"] == ["base", "web"] and made["capabilities"] == ["cloud-init"]
    assert made["created_by"] == sim.get("/profile").json()["username"]
    events = sim.get_all("/account/events", filter={"action": "disk_imagize",
                                                    "entity.id": linode["id"]})
    assert events and events[0]["secondary_entity"]["id"] == number(made)
    assert events[0]["secondary_entity"]["url"] == f"/v4/images/{made['id']}"
    done = wait_image(sim, made["id"])
    assert done["regions"] == [{"region": linode["region"], "status": "available"}]
    assert done["total_size"] == done["size"]
    wait_until(lambda: sim.get(f"/account/events/{events[0]['id']}").json()["status"]
               == "finished", what="disk_imagize finished")
    # Found by the list, its filters and its encoded id.
    assert image(sim, made["id"].replace("/", "%2F")) == done
    listed = sim.get_all("/images", filter={"is_public": False, "label": "golden"})
    assert made["id"] in [i["id"] for i in listed]
    assert made["id"] in [i["id"] for i in sim.get_all("/images", filter={"tags": "web"})]
    # The label defaults to the disk's.
    other = capture(sim, linode["id"])
    assert other["label"] == disk["label"]
    wait_image(sim, other["id"])


@pytest.mark.parametrize("body,field", [
    ({}, "disk_id"),
    ({"disk_id": "one"}, "disk_id"),
    ({"disk_id": 99999999}, "disk_id"),
    ({"label": ""}, "label"),
    ({"label": "x" * 51}, "label"),
    ({"tags": ["ab"]}, "tags"),
    ({"cloud_init": "yes"}, "cloud_init"),
])
def test_capture_refuses_bad_fields(sim, linode, body, field):
    full = {"disk_id": boot_disk(sim, linode["id"])["id"], **body}
    if body == {}:
        full = {}
    assert_error(sim.post("/images", json=full), 400, field)


def test_capture_refuses_swap_and_busy_linodes(sim):
    lin = create_from_image(sim)
    swap = next(d for d in sim.get_all(f"/linode/instances/{lin['id']}/disks")
                if d["filesystem"] == "swap")
    assert_error(sim.post("/images", json={"disk_id": swap["id"]}), 400, "disk_id")
    assert sim.post(f"/linode/instances/{lin['id']}/reboot").status_code == 200
    r = sim.post("/images", json={"disk_id": boot_disk(sim, lin["id"])["id"]})
    assert_error(r, 400)
    assert "busy" in r.json()["errors"][0]["reason"]


def test_deploy_and_rebuild_from_a_private_image(sim, linode):
    made = wait_image(sim, capture(sim, linode["id"], label="deployable")["id"])
    r = sim.post("/linode/instances", json={"region": linode["region"], "type": "g6-nanode-1",
                                            "image": made["id"], "root_pass": ROOT_PASS})
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["image"] == made["id"]
    wait_status(sim, new["id"], "running")
    disk = boot_disk(sim, new["id"])
    assert disk["label"].startswith("deployable")
    r = sim.post(f"/linode/instances/{new['id']}/rebuild",
                 json={"image": made["id"], "root_pass": ROOT_PASS})
    assert r.status_code == 200, r.text
    wait_status(sim, new["id"], "running")
    # Not kept in another region: refused there until it is replicated.
    other_region = "eu-west"
    body = {"region": other_region, "type": "g6-nanode-1", "image": made["id"],
            "root_pass": ROOT_PASS}
    assert_error(sim.post("/linode/instances", json=body), 400, "image")
    r = sim.post(f"/images/{made['id']}/regions", json={"regions": [linode["region"],
                                                                    other_region]})
    assert r.status_code == 200, r.text
    assert {"region": other_region, "status": "pending replication"} in r.json()["regions"]
    wait_image(sim, made["id"], lambda i: all(x["status"] == "available" for x in i["regions"]))
    assert image(sim, made["id"])["total_size"] == 2 * made["size"]
    r = sim.post("/linode/instances", json=body)
    assert r.status_code == 200, r.text
    # Dropping a region keeps the others.
    r = sim.post(f"/images/{made['id']}/regions", json={"regions": [other_region]})
    assert [x["region"] for x in r.json()["regions"]] == [other_region]
    assert_error(sim.post(f"/images/{made['id']}/regions", json={"regions": []}), 400, "regions")
    assert_error(sim.post(f"/images/{made['id']}/regions", json={"regions": ["xx-nowhere"]}),
                 400, "regions[0]")


def test_update_and_delete(sim, linode):
    made = wait_image(sim, capture(sim, linode["id"])["id"])
    r = sim.put(f"/images/{made['id']}", json={"label": "renamed", "description": "new words",
                                               "tags": ["prod"]})
    assert r.status_code == 200, r.text
    assert (r.json()["label"], r.json()["description"], r.json()["tags"]) == \
        ("renamed", "new words", ["prod"])
    assert_error(sim.put(f"/images/{made['id']}", json={"label": ""}), 400, "label")
    assert_error(sim.put(f"/images/{IMAGE}", json={"label": "mine"}), 403)
    assert sim.get_all("/account/events", filter={"action": "image_update",
                                                  "entity.id": number(made)})
    assert sim.delete(f"/images/{made['id']}").json() == {}
    assert_error(sim.get(f"/images/{made['id']}"), 404)
    assert_error(sim.delete(f"/images/{made['id']}"), 404)
    assert sim.get_all("/account/events", filter={"action": "image_delete",
                                                  "entity.id": number(made)})
    body = {"region": linode["region"], "type": "g6-nanode-1", "image": made["id"],
            "root_pass": ROOT_PASS}
    assert_error(sim.post("/linode/instances", json=body), 400, "image")


def test_upload_a_disk_image(sim, tmp_path):
    answer = upload(sim, description="uploaded", cloud_init=True, tags=["upl"])
    assert set(answer) == {"upload_to", "image"}
    pending = answer["image"]
    assert pending["status"] == "pending_upload" and pending["size"] == 0
    assert pending["regions"] == [] and pending["capabilities"] == ["cloud-init"]
    url = answer["upload_to"]
    assert url.startswith(sim.base_url.split("/v4")[0] + "/image-uploads/")
    # Not yet deployable.
    body = {"region": "us-east", "type": "g6-nanode-1", "image": pending["id"],
            "root_pass": ROOT_PASS}
    assert_error(sim.post("/linode/instances", json=body), 400, "image")
    payload = ext4_image(tmp_path, mb=8)
    r = requests.put(url, data=payload, headers={"Content-Type": "application/octet-stream"},
                     timeout=30)
    assert r.status_code == 200, r.text
    done = image(sim, pending["id"])
    assert done["status"] == "available" and done["size"] == 8
    assert done["regions"] == [{"region": "us-east", "status": "available"}]
    disk = Path(sim.data_dir) / "images" / pending["id"] / "rootfs.raw"
    assert disk.stat().st_size == 8 << 20
    events = sim.get_all("/account/events", filter={"action": "image_upload",
                                                    "entity.id": number(pending)})
    assert [e["status"] for e in events] == ["finished"]
    # The URL is spent.
    assert_error(requests.put(url, data=payload, timeout=30), 403)
    r = sim.post("/linode/instances", json=body)
    assert r.status_code == 200, r.text
    wait_status(sim, r.json()["id"], "running")
    # Deleting the image removes its disk.
    assert sim.delete(f"/images/{pending['id']}").status_code == 200
    assert not disk.parent.exists()


@pytest.mark.parametrize("what,data,reason", [
    ("not gzip", b"\x00" * 4096, "not gzip"),
    ("cut short", None, "cut short"),
    ("not whole sectors", gzip.compress(b"x" * 1000), "512-byte"),
    ("not a filesystem", gzip.compress(b"\x00" * 8192), "ext3 or ext4"),
    ("empty", b"", "not gzip"),
])
def test_a_bad_upload_leaves_the_image_pending(sim, tmp_path, what, data, reason):
    if data is None:
        whole = ext4_image(tmp_path, mb=4)
        data = whole[:len(whole) // 2]
    answer = upload(sim)
    r = requests.put(answer["upload_to"], data=data, timeout=30)
    assert r.status_code == 400, f"{what}: {r.status_code} {r.text}"
    assert reason in r.json()["errors"][0]["reason"], r.text
    after = image(sim, answer["image"]["id"])
    assert after["status"] == "pending_upload" and after["size"] == 0
    assert not (Path(sim.data_dir) / "images" / answer["image"]["id"] / "rootfs.raw").exists()
    failed = sim.get_all("/account/events", filter={"action": "image_upload",
                                                    "entity.id": number(answer["image"])})
    assert failed and failed[0]["status"] == "failed"
    assert reason in failed[0]["message"]
    # A good upload to the same URL still works.
    r = requests.put(answer["upload_to"], data=ext4_image(tmp_path, mb=4), timeout=30)
    assert r.status_code == 200, r.text
    assert image(sim, answer["image"]["id"])["status"] == "available"


def test_upload_urls_need_their_secret(sim):
    answer = upload(sim)
    url = answer["upload_to"]
    base, secret = url.split("?secret=")
    data = gzip.compress(b"\x00" * 4096)
    assert_error(requests.put(base, data=data, timeout=30), 403)
    assert_error(requests.put(base + "?secret=" + "0" * len(secret), data=data, timeout=30), 403)
    number = int(base.rsplit("/", 1)[1])
    other = base.rsplit("/", 1)[0] + f"/{number + 1000}?secret={secret}"
    assert_error(requests.put(other, data=data, timeout=30), 403)
    assert image(sim, answer["image"]["id"])["status"] == "pending_upload"


def test_upload_limits(tmp_path):
    """An upload that unpacks past --image-upload-max-mb is refused; one whose compressed body is
    past it is refused before it is read."""
    srv = Server(str(tmp_path / "data"), env={"LINNET_SIM_SCALE": "0",
                                              "LINNET_IMAGE_UPLOAD_MAX_MB": "4"})
    srv.token = srv.make_token("*")
    srv.start()
    try:
        answer = upload(srv)
        r = requests.put(answer["upload_to"], data=ext4_image(tmp_path, mb=8), timeout=30)
        assert r.status_code == 400 and "larger than 4 MB" in r.text, r.text
        assert image(srv, answer["image"]["id"])["status"] == "pending_upload"
        # 6 MB that gzip cannot shrink: over the limit before it is unpacked.
        r = requests.put(answer["upload_to"], data=gzip.compress(os.urandom(6 << 20)),
                         timeout=30)
        assert r.status_code == 413, r.text
        # Ordinary requests keep their own, smaller limit.
        r = srv.post("/linode/stackscripts", data=b"{" + b" " * (2 << 20) + b"}",
                     headers={"Content-Type": "application/json"})
        assert r.status_code == 413, r.text
    finally:
        srv.terminate()


def test_an_upload_lands_in_the_shared_folder(tmp_path):
    """With --shared-dir, an uploaded image's disk is kept there (every host reads it), not in
    the node's data folder; deleting the image removes it there."""
    shared = tmp_path / "shared"
    srv = Server(str(tmp_path / "data"), env={"LINNET_SIM_SCALE": "0",
                                              "LINNET_SHARED_DIR": str(shared)})
    srv.token = srv.make_token("*")
    srv.start()
    try:
        answer = upload(srv)
        r = requests.put(answer["upload_to"], data=ext4_image(tmp_path, mb=4), timeout=30)
        assert r.status_code == 200, r.text
        image_id = answer["image"]["id"]
        disk = shared / "images" / image_id / "rootfs.raw"
        assert disk.stat().st_size == 4 << 20
        assert not (tmp_path / "data" / "images" / image_id).exists()
        assert srv.delete(f"/images/{image_id}").status_code == 200
        assert not disk.parent.exists()
    finally:
        srv.terminate()


def test_uploads_a_dead_server_left_are_swept_at_start(tmp_path):
    uploads = tmp_path / "data" / "uploads"
    uploads.mkdir(parents=True)
    abandoned = uploads / "upload-999999999-0-1.part"  # no such process
    live = uploads / f"upload-{os.getpid()}-0-1.part"  # a process that still runs
    abandoned.write_bytes(b"x" * 4096)
    live.write_bytes(b"x")
    srv = Server(str(tmp_path / "data"), env={"LINNET_SIM_SCALE": "0"})
    srv.start()
    try:
        assert not abandoned.exists()
        assert live.exists()
    finally:
        srv.terminate()


def test_private_images_stay_in_their_account(sim, linode):
    made = wait_image(sim, capture(sim, linode["id"], label="ours")["id"])
    theirs = create_account(sim.data_dir, unique_username("imgb"))
    assert_error(sim.get(f"/images/{made['id']}", token=theirs), 404)
    assert made["id"] not in [i["id"] for i in sim.get_all("/images", token=theirs)]
    assert_error(sim.put(f"/images/{made['id']}", token=theirs, json={"label": "x"}), 404)
    assert_error(sim.delete(f"/images/{made['id']}", token=theirs), 404)
    body = {"region": linode["region"], "type": "g6-nanode-1", "image": made["id"],
            "root_pass": ROOT_PASS}
    assert_error(sim.post("/linode/instances", json=body, token=theirs), 400, "image")
    # Without a token: public images only.
    r = sim.get("/images", token=None, params={"page_size": 500})
    assert all(i["is_public"] for i in r.json()["data"])
    assert_error(sim.get(f"/images/{made['id']}", token=None), 404)


def test_restricted_users_need_grants(sim, linode):
    made = wait_image(sim, capture(sim, linode["id"])["id"])
    username, token = restricted_user(sim, "img")
    assert_error(sim.get(f"/images/{made['id']}", token=token), 404)
    assert_error(sim.post("/images/upload", token=token,
                          json={"label": "x", "region": "us-east"}), 403)
    number = int(made["id"].split("/")[1])
    put_grants(sim, username, **{"global": {"add_images": True, "add_linodes": True}},
               image=[{"id": number, "permissions": "read_only"}])
    assert image(sim, made["id"], token=token)["id"] == made["id"]
    assert_error(sim.put(f"/images/{made['id']}", token=token, json={"label": "x"}), 403)
    body = {"region": linode["region"], "type": "g6-nanode-1", "image": made["id"],
            "root_pass": ROOT_PASS}
    assert sim.post("/linode/instances", json=body, token=token).status_code == 200
    mine = sim.post("/images/upload", token=token,
                    json={"label": "mine", "region": "us-east"}).json()
    grants = sim.get(f"/account/users/{username}/grants").json()
    mine_number = int(mine["image"]["id"].split("/")[1])
    assert {"id": mine_number, "label": "mine", "permissions": "read_write"} in grants["image"]
    # Capturing needs the Linode too.
    assert_error(sim.post("/images", token=token,
                          json={"disk_id": boot_disk(sim, linode["id"])["id"]}), 400, "disk_id")


def test_scopes(sim, linode):
    images_only = sim.make_token("images:read_write")
    r = sim.post("/images", token=images_only,
                 json={"disk_id": boot_disk(sim, linode["id"])["id"]})
    assert_error(r, 401)
    read_only = sim.make_token("images:read_only,linodes:read_only")
    assert_error(sim.post("/images/upload", token=read_only,
                          json={"label": "x", "region": "us-east"}), 401)
    assert_list(sim.get("/images", token=read_only))


def test_an_upload_url_is_checked_before_its_body_is_taken(sim):
    """A PUT to a wrong upload URL is refused once its headers are read: the server neither asks
    for nor waits for a body it would have to store."""
    import socket
    import time
    answer = upload(sim)
    base, secret = answer["upload_to"].split("?secret=")
    path = "/image-uploads/" + base.rsplit("/", 1)[1]
    host, port = sim.base_url.split("//")[1].split("/")[0].split(":")
    for target in (f"{path}?secret={'0' * len(secret)}", path, "/image-uploads/x?secret=1"):
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall((f"PUT {target} HTTP/1.1\r\nHost: {host}\r\n"
                       f"Content-Length: 5000000000\r\nExpect: 100-continue\r\n\r\n").encode())
            started = time.monotonic()
            head = s.recv(4096).decode()
            assert time.monotonic() - started < 5
        assert head.startswith("HTTP/1.1 403"), head
        assert "not valid" in head
    assert image(sim, answer["image"]["id"])["status"] == "pending_upload"
