"""Beta programs and agreements: /betas lists the programs running now (the catalog's), with
filters; an account enrols in an open one (not an ended one, nor a Green Light one) and
/account/betas shows it with when; /account/agreements records what the account accepted."""
from support import assert_error, assert_list, create_account, unique_username

PROGRAM_FIELDS = {"id", "label", "description", "started", "ended", "greenlight_only",
                  "more_info"}


def test_the_running_programs(server):
    programs = server.get_all("/betas")
    assert [p["id"] for p in programs] == ["linode_interfaces", "rtx_4000_ada_beta"]
    assert all(set(p) == PROGRAM_FIELDS for p in programs)
    one = server.get("/betas/rtx_4000_ada_beta").json()
    assert one == [p for p in programs if p["id"] == "rtx_4000_ada_beta"][0]
    assert one["ended"] is None and one["greenlight_only"] is False
    # An ended program is still found by its id, but not listed.
    assert server.get("/betas/metadata_beta").json()["ended"] == "2024-01-31T00:00:00"
    assert_error(server.get("/betas/nope"), 404)
    assert [p["id"] for p in assert_list(server.get("/betas", filter={"greenlight_only": True}),
                                         1)] == ["linode_interfaces"]
    assert assert_list(server.get("/betas", filter={"label": "Linode Interfaces"}), 1)


def test_an_account_enrols(server):
    me = dict(token=create_account(server.data_dir, unique_username("beta")))
    assert server.get("/account/betas", **me).json()["data"] == []
    assert_error(server.get("/account/betas/rtx_4000_ada_beta", **me), 404)
    for beta in ("metadata_beta", "nope", "linode_interfaces"):
        assert_error(server.post("/account/betas", json={"id": beta}, **me), 400, "id")
    assert_error(server.post("/account/betas", json={}, **me), 400, "id")
    assert server.post("/account/betas", json={"id": "rtx_4000_ada_beta"}, **me).json() == {}
    assert_error(server.post("/account/betas", json={"id": "rtx_4000_ada_beta"}, **me), 400, "id")
    [enrolled] = server.get("/account/betas", **me).json()["data"]
    assert set(enrolled) == {"id", "label", "description", "started", "ended", "enrolled"}
    assert enrolled["id"] == "rtx_4000_ada_beta"
    assert server.get("/account/betas/rtx_4000_ada_beta", **me).json() == enrolled
    # Another account is not enrolled by it.
    assert server.get("/account/betas").json()["data"] == []


def test_agreements_are_accepted_once(server):
    me = dict(token=create_account(server.data_dir, unique_username("agree")))
    none = {"eu_model": False, "master_service_agreement": False, "privacy_policy": False}
    assert server.get("/account/agreements", **me).json() == none
    assert server.post("/account/agreements", json={"privacy_policy": True}, **me).json() == {}
    assert server.get("/account/agreements", **me).json() == {**none, "privacy_policy": True}
    assert_error(server.post("/account/agreements", json={"privacy_policy": False}, **me), 400,
                 "privacy_policy")
    assert_error(server.post("/account/agreements", json={"eu_model": "yes"}, **me), 400,
                 "eu_model")
    assert server.post("/account/agreements", json={"eu_model": True,
                                                    "master_service_agreement": True},
                       **me).json() == {}
    assert all(server.get("/account/agreements", **me).json().values())
    assert server.get("/account/agreements").json() == none
