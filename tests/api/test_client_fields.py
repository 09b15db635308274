"""Fields the recorded responses of Linode have and clients read: a Linode's locks and
maintenance_policy, the profile's user_type, an image's is_shared and image_sharing, an address's
tags; and the first account's email, which clients check as an address."""
import re

from support import assert_error, create_from_image, linnetd


def test_a_linode_has_locks_and_a_maintenance_policy(instant):
    linode = create_from_image(instant)
    assert linode["locks"] == [] and linode["maintenance_policy"] == "linode/migrate"
    path = f"/linode/instances/{linode['id']}"
    r = instant.put(path, json={"maintenance_policy": "linode/power_off_on"})
    assert r.status_code == 200 and r.json()["maintenance_policy"] == "linode/power_off_on"
    assert instant.get(path).json()["maintenance_policy"] == "linode/power_off_on"
    assert_error(instant.put(path, json={"maintenance_policy": "linode/reboot"}), 400,
                 field="maintenance_policy")


def test_the_profile_has_a_user_type(server):
    assert server.get("/profile").json()["user_type"] == "default"


def test_images_say_they_are_not_shared(server):
    for image in server.get_all("/images"):
        assert image["is_shared"] is False and image["image_sharing"] is None


def test_addresses_have_tags(instant):
    linode = create_from_image(instant)
    ips = instant.get(f"/linode/instances/{linode['id']}/ips").json()
    assert ips["ipv4"]["public"][0]["tags"] == []
    assert instant.get(f"/networking/ips/{linode['ipv4'][0]}").json()["tags"] == []


def test_the_first_account_has_an_address_that_checkers_accept(tmp_path):
    out = linnetd(["token", "create"], tmp_path / "a", capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    email_shape = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    from support import db_execute
    (email,), = db_execute(tmp_path / "a", "SELECT email FROM users ORDER BY id LIMIT 1")
    assert email_shape.match(email), email


def test_token_create_takes_the_email_of_what_it_creates(tmp_path, spawn):
    out = linnetd(["token", "create", "--email", "ops@example.org"], tmp_path,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    srv = spawn(data_dir=tmp_path)
    srv.token = out.stdout.strip()
    assert srv.get("/account").json()["email"] == "ops@example.org"
    assert srv.get("/profile").json()["email"] == "ops@example.org"
    bad = linnetd(["token", "create", "--email", "not an address"], tmp_path,
                  capture_output=True, text=True, timeout=30)
    assert bad.returncode != 0 and "--email" in bad.stderr
