"""Bad X-Filter headers: every malformed, unknown, unfilterable, mistyped or oversized filter
gives 400 with field "X-Filter", and the server keeps answering afterwards."""
import json

import pytest

from support import assert_error


def deep(n):
    """{"+and":[{"+and":[ ... {"class":"nanode"} ... ]}]} nested n times, as text."""
    return '{"+and":[' * n + '{"class":"nanode"}' + "]}" * n


BAD = [
    ("/linode/types", "not json"),
    ("/linode/types", "{\"class\": "),
    ("/linode/types", "[1]"),
    ("/linode/types", "\"class\""),
    ("/linode/types", "1"),
    ("/linode/types", "null"),
    ("/linode/types", {"foo": 1}),
    ("/linode/types", {"price": 5}),
    ("/linode/types", {"id": "g6-nanode-1"}),
    ("/regions", {"label": "Newark, NJ"}),
    ("/regions", {"id": "us-east"}),
    ("/regions", {"capabilities": "Linodes"}),
    ("/linode/kernels", {"built": "2018-01-02T03:04:05"}),
    ("/images", {"id": "linode/debian12"}),
    ("/images", {"created": "2018-01-02T03:04:05"}),
    ("/regions/availability", {"price": 1}),
    ("/profile/tokens", {"scopes": "*"}),
    ("/profile/tokens", {"token": "abc"}),
    ("/linode/types", {"memory": "big"}),
    ("/linode/types", {"memory": True}),
    ("/linode/types", {"class": 5}),
    ("/linode/kernels", {"kvm": "yes"}),
    ("/linode/kernels", {"kvm": 1}),
    ("/regions/availability", {"available": "true"}),
    ("/linode/types", {"label": {"+gt": "a"}}),
    ("/linode/types", {"memory": {"+gt": "1024"}}),
    ("/linode/types", {"memory": {"+contains": "1"}}),
    ("/linode/types", {"label": {"+contains": 5}}),
    ("/linode/types", {"label": {"+like": "Nan%"}}),
    ("/linode/types", {"+like": [{"class": "nanode"}]}),
    ("/linode/types", {"+or": "class"}),
    ("/linode/types", {"+or": [1, 2]}),
    ("/linode/types", {"+and": {"class": "nanode"}}),
    ("/linode/types", {"+order": "asc"}),
    ("/linode/types", {"+order_by": "memory", "+order": "up"}),
    ("/linode/types", {"+order_by": "foo"}),
    ("/linode/types", {"+order_by": "price"}),
    ("/linode/types", {"+order_by": 5}),
    ("/linode/types", {"+order_by": "label; DROP TABLE tokens"}),
    ("/linode/types", deep(9)),
    ("/linode/types", deep(20)),
    ("/linode/types", deep(500)),
]


@pytest.mark.parametrize("path,flt", BAD, ids=[(f if isinstance(f, str) else json.dumps(f))[:60] for _, f in BAD])
def test_bad_filter_is_400(server, path, flt):
    assert_error(server.get(path, filter=flt), 400, field="X-Filter")
    assert server.get("/regions/us-east", token=None).status_code == 200


def test_unknown_field_reason(server):
    assert_error(server.get("/linode/types", filter={"foo": 1}), 400, field="X-Filter",
                 reason="Cannot filter on foo")
    assert_error(server.get("/regions", filter={"label": "x"}), 400, field="X-Filter",
                 reason="Cannot filter on label")


def test_header_over_8k_is_400(server):
    flt = json.dumps({"label": "a" * 9000})
    assert_error(server.get("/linode/types", filter=flt), 400, field="X-Filter")
    assert server.get("/regions/us-east", token=None).status_code == 200
