"""/profile/phone-number: a code goes to the number through the operator's --sms-command (or the
server log), the same code again within its ten minutes, void after five wrong tries; the
verified number shows in the profile and the user, until it is deleted."""
import re
import stat

from support import assert_error, make_user, unique_username


def sms_server(spawn, tmp_path):
    sent = tmp_path / "sms.txt"
    script = tmp_path / "send-sms"
    script.write_text(f'#!/bin/sh\nprintf "%s|%s\\n" "$1" "$2" >> {sent}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    srv = spawn(data_dir=tmp_path / "data", token_scopes="*",
                env={"LINNET_SMS_COMMAND": str(script)})
    return srv, sent


def codes_sent(sent):
    return [tuple(line.split("|", 1)) for line in sent.read_text().splitlines()] \
        if sent.exists() else []


def code_of(text):
    return re.search(r"code is (\d{6})", text).group(1)


def test_a_number_is_verified_by_the_code_sent_to_it(spawn, tmp_path):
    (tmp_path / "data").mkdir()
    srv, sent = sms_server(spawn, tmp_path)
    assert srv.get("/profile").json()["verified_phone_number"] is None
    for body, field in [({"iso_code": "XX", "phone_number": "555-555-5555"}, "iso_code"),
                        ({"iso_code": "US", "phone_number": "555-5555"}, "phone_number"),
                        ({"phone_number": "555-555-5555"}, "iso_code"),
                        ({"iso_code": "US"}, "phone_number")]:
        assert_error(srv.post("/profile/phone-number", json=body), 400, field)
    assert codes_sent(sent) == []
    assert_error(srv.post("/profile/phone-number/verify", json={"otp_code": "123456"}), 400,
                 "otp_code")

    assert srv.post("/profile/phone-number",
                    json={"iso_code": "US", "phone_number": "(555) 555-5555"}).json() == {}
    # Asked again within its ten minutes: the same code.
    assert srv.post("/profile/phone-number",
                    json={"iso_code": "US", "phone_number": "555-555-5555"}).json() == {}
    (number, first), (again, second) = codes_sent(sent)
    assert number == again == "+15555555555"
    code = code_of(first)
    assert code_of(second) == code
    wrong = "000000" if code != "000000" else "111111"
    assert_error(srv.post("/profile/phone-number/verify", json={"otp_code": wrong}), 400,
                 "otp_code")
    assert srv.get("/profile").json()["verified_phone_number"] is None
    assert srv.post("/profile/phone-number/verify", json={"otp_code": code}).json() == {}
    profile = srv.get("/profile").json()
    assert profile["verified_phone_number"] == "+15555555555"
    assert srv.get(f"/account/users/{profile['username']}").json()[
        "verified_phone_number"] == "+15555555555"
    # The code is spent.
    assert_error(srv.post("/profile/phone-number/verify", json={"otp_code": code}), 400)

    assert srv.delete("/profile/phone-number").json() == {}
    assert srv.get("/profile").json()["verified_phone_number"] is None
    assert_error(srv.delete("/profile/phone-number"), 400)


def test_five_wrong_codes_void_it(spawn, tmp_path):
    (tmp_path / "data").mkdir()
    srv, sent = sms_server(spawn, tmp_path)
    srv.post("/profile/phone-number", json={"iso_code": "GB", "phone_number": "07700 900123"})
    [(number, text)] = codes_sent(sent)
    assert number == "+447700900123"
    code = code_of(text)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert_error(srv.post("/profile/phone-number/verify", json={"otp_code": wrong}), 400)
    assert_error(srv.post("/profile/phone-number/verify", json={"otp_code": code}), 400)
    # A new request makes a new code.
    srv.post("/profile/phone-number", json={"iso_code": "GB", "phone_number": "07700 900123"})
    assert srv.post("/profile/phone-number/verify",
                    json={"otp_code": code_of(codes_sent(sent)[-1][1])}).json() == {}


def test_a_failing_command_is_a_503_and_the_log_is_the_default(spawn, server, tmp_path):
    (tmp_path / "data").mkdir()
    srv = spawn(data_dir=tmp_path / "data", token_scopes="*",
                env={"LINNET_SMS_COMMAND": "false"})
    assert_error(srv.post("/profile/phone-number",
                          json={"iso_code": "US", "phone_number": "555-555-5555"}), 503)
    # Without a command the message goes to the server log.
    username = unique_username("ph")
    token = make_user(server, username, "Phone-pass-1!x")
    assert server.post("/profile/phone-number", token=token,
                       json={"iso_code": "DE", "phone_number": "030 1234567"}).status_code == 200
    log = (server.data_dir / "server.log").read_text()
    code = code_of([l for l in log.splitlines() if "SMS to +49301234567" in l][-1])
    assert server.post("/profile/phone-number/verify", token=token,
                       json={"otp_code": code}).json() == {}
