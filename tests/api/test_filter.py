"""X-Filter on the catalog lists and /profile/tokens: equality, +and, +or, comparisons, +contains,
+neq, ordering and nesting, checked against the data files computed in Python."""
import pytest

from support import load_catalog

REGIONS = load_catalog("regions")
AVAIL = load_catalog("availability")
TYPES = load_catalog("types")
KERNELS = load_catalog("kernels")
IMAGES = load_catalog("images")


def ids(items):
    return [x["id"] for x in items]


def filtered(server, path, flt):
    r = server.get(path, filter=flt)
    assert r.status_code == 200, f"{flt}: {r.status_code} {r.text}"
    return server.get_all(path, filter=flt)


CASES = [
    ("/regions", {"country": "us"}, REGIONS, lambda x: x["country"] == "us"),
    ("/regions", {"site_type": "distributed"}, REGIONS, lambda x: x["site_type"] == "distributed"),
    ("/regions", {"+or": [{"country": "de"}, {"country": "fr"}]}, REGIONS,
     lambda x: x["country"] in ("de", "fr")),
    ("/regions", {"country": {"+or": ["de", "fr"]}}, REGIONS, lambda x: x["country"] in ("de", "fr")),
    ("/regions", {"country": {"+neq": "us"}}, REGIONS, lambda x: x["country"] != "us"),
    ("/regions", {"country": {"+contains": "U"}}, REGIONS, lambda x: "u" in x["country"]),
    ("/regions", {"country": "us", "site_type": "core"}, REGIONS,
     lambda x: x["country"] == "us" and x["site_type"] == "core"),
    ("/linode/types", {"class": {"+or": ["nanode", "dedicated"]}}, TYPES,
     lambda x: x["class"] in ("nanode", "dedicated")),
    ("/linode/types", {"gpus": {"+gt": 0}}, TYPES, lambda x: x["gpus"] > 0),
    ("/linode/types", {"vcpus": 4}, TYPES, lambda x: x["vcpus"] == 4),
    ("/linode/types", {"disk": {"+lte": 81920}}, TYPES, lambda x: x["disk"] <= 81920),
    ("/linode/types", {"transfer": {"+gte": 8000}}, TYPES, lambda x: x["transfer"] >= 8000),
    ("/linode/types", {"network_out": {"+lt": 5000}}, TYPES, lambda x: x["network_out"] < 5000),
    ("/linode/types", {"label": "Nanode 1GB"}, TYPES, lambda x: x["label"] == "Nanode 1GB"),
    ("/linode/types", {"label": {"+contains": "nANODE"}}, TYPES, lambda x: "nanode" in x["label"].lower()),
    ("/linode/types", {"+and": [{"class": "standard"}, {"memory": {"+lt": 8192}}]}, TYPES,
     lambda x: x["class"] == "standard" and x["memory"] < 8192),
    ("/linode/types", {"+or": [{"class": "gpu"}, {"vcpus": {"+lt": 2}}]}, TYPES,
     lambda x: x["class"] == "gpu" or x["vcpus"] < 2),
    ("/linode/types", {"+or": [{"+and": [{"class": "standard"}, {"vcpus": {"+gte": 8}}]},
                               {"class": "nanode"}]}, TYPES,
     lambda x: (x["class"] == "standard" and x["vcpus"] >= 8) or x["class"] == "nanode"),
    ("/linode/types", {"class": {"+neq": "standard"}, "memory": {"+gte": 65536}}, TYPES,
     lambda x: x["class"] != "standard" and x["memory"] >= 65536),
    ("/linode/kernels", {"architecture": "x86_64", "deprecated": False, "kvm": True}, KERNELS,
     lambda x: x["architecture"] == "x86_64" and not x["deprecated"] and x["kvm"]),
    ("/linode/kernels", {"pvops": False}, KERNELS, lambda x: not x["pvops"]),
    ("/linode/kernels", {"version": "6.8.9"}, KERNELS, lambda x: x["version"] == "6.8.9"),
    ("/linode/kernels", {"label": {"+contains": "latest"}}, KERNELS, lambda x: "latest" in x["label"].lower()),
    ("/images", {"vendor": "Debian"}, IMAGES, lambda x: x["vendor"] == "Debian"),
    ("/images", {"deprecated": True}, IMAGES, lambda x: x["deprecated"]),
    ("/images", {"is_public": True}, IMAGES, lambda x: x["is_public"]),
    ("/images", {"size": {"+gt": 3000}}, IMAGES, lambda x: x["size"] > 3000),
    ("/images", {"status": "available", "type": "manual", "vendor": "Ubuntu"}, IMAGES,
     lambda x: x["status"] == "available" and x["type"] == "manual" and x["vendor"] == "Ubuntu"),
    ("/images", {"tags": "nosuchtag"}, IMAGES, lambda x: "nosuchtag" in x["tags"]),
    ("/images", {"label": {"+contains": "ubuntu"}}, IMAGES, lambda x: "ubuntu" in x["label"].lower()),
]


@pytest.mark.parametrize("path,flt,items,pred", CASES, ids=[str(c[1]) for c in CASES])
def test_filter_matches_python(server, path, flt, items, pred):
    assert ids(filtered(server, path, flt)) == ids([x for x in items if pred(x)])


def test_filter_cases_are_not_trivial():
    for path, flt, items, pred in CASES:
        n = sum(1 for x in items if pred(x))
        assert n < len(items) or flt == {"is_public": True}, flt


@pytest.mark.parametrize("flt,want", [
    ({"region": "us-east", "available": True}, lambda x: x["region"] == "us-east" and x["available"]),
    ({"plan": {"+contains": "GPU"}}, lambda x: "gpu" in x["plan"]),
    ({"available": False, "region": {"+or": ["us-east", "eu-west"]}},
     lambda x: not x["available"] and x["region"] in ("us-east", "eu-west")),
])
def test_region_availability_filter(server, flt, want):
    assert filtered(server, "/regions/availability", flt) == [x for x in AVAIL if want(x)]


def test_standard_types_with_8g_or_more_by_memory_desc(server):
    flt = {"memory": {"+gte": 8192}, "class": "standard", "+order_by": "memory", "+order": "desc"}
    want = sorted((t for t in TYPES if t["memory"] >= 8192 and t["class"] == "standard"),
                  key=lambda t: -t["memory"])
    assert ids(filtered(server, "/linode/types", flt)) == ids(want)


@pytest.mark.parametrize("path,items,key,order", [
    ("/regions", REGIONS, "country", "desc"),
    ("/linode/types", TYPES, "vcpus", "asc"),
    ("/linode/kernels", KERNELS, "version", "desc"),
    ("/images", IMAGES, "size", "asc"),
    ("/images", IMAGES, "label", "desc"),
])
def test_order_by(server, path, items, key, order):
    got = filtered(server, path, {"+order_by": key, "+order": order})
    assert [x[key] for x in got] == sorted((x[key] for x in items), reverse=order == "desc")
    assert sorted(ids(got)) == sorted(ids(items))


def test_order_defaults_to_asc(server):
    got = filtered(server, "/linode/types", {"+order_by": "memory"})
    assert [x["memory"] for x in got] == sorted(t["memory"] for t in TYPES)


def test_and_with_order_by(server):
    flt = {"+and": [{"class": "dedicated"}, {"vcpus": {"+gte": 4}}], "+order_by": "vcpus", "+order": "desc"}
    want = sorted((t for t in TYPES if t["class"] == "dedicated" and t["vcpus"] >= 4),
                  key=lambda t: -t["vcpus"])
    assert [t["vcpus"] for t in filtered(server, "/linode/types", flt)] == [t["vcpus"] for t in want]


def test_filtered_paging_is_consistent(server):
    flt = {"deprecated": True}
    want = [k for k in KERNELS if k["deprecated"]]
    r = server.get("/linode/kernels", filter=flt, params={"page_size": 25})
    assert r.json()["results"] == len(want) and r.json()["pages"] == -(-len(want) // 25)
    got = server.get_all("/linode/kernels", page_size=25, filter=flt)
    assert ids(got) == ids(want)


def test_nesting_within_the_limit(server):
    flt = {"class": "nanode"}
    for _ in range(3):
        flt = {"+and": [flt]}
    assert ids(filtered(server, "/linode/types", flt)) == ["g6-nanode-1"]


@pytest.mark.parametrize("flt", [
    {"label": "x' OR 1=1 --"},
    {"label": "\"; DROP TABLE tokens; --"},
    {"label": {"+contains": "%"}},
    {"label": {"+contains": "_"}},
    {"label": {"+contains": "' OR '1'='1"}},
])
def test_injection_looking_values_match_nothing(server, flt):
    assert filtered(server, "/linode/types", flt) == []
    assert server.get("/linode/types").json()["results"] == len(TYPES)


def test_profile_tokens_filter_by_label_and_created(server):
    server.make_token("*", label="filter-me-1")
    server.make_token("*", label="filter-me-2")
    got = filtered(server, "/profile/tokens", {"label": {"+contains": "FILTER-ME"}})
    assert sorted(t["label"] for t in got) == ["filter-me-1", "filter-me-2"]
    assert [t["label"] for t in filtered(server, "/profile/tokens", {"label": "filter-me-2"})] == ["filter-me-2"]
    everything = server.get_all("/profile/tokens")
    assert len(filtered(server, "/profile/tokens", {"created": {"+gte": "2000-01-01T00:00:00"}})) == len(everything)
    assert filtered(server, "/profile/tokens", {"created": {"+lt": "2000-01-01T00:00:00"}}) == []
    desc = filtered(server, "/profile/tokens", {"+order_by": "created", "+order": "desc"})
    assert [t["created"] for t in desc] == sorted((t["created"] for t in everything), reverse=True)
