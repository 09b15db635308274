"""The filter DSL without a server: what each operator turns into, and the errors raised before
any request is made."""
import pytest

from linode import Datacenter, FilterError, Linode, Region, Service, Type, limit, order_by
from linode.filtering import and_all


def test_comparisons():
    assert (Service.label == "Linode 1024").to_dict() == {"label": "Linode 1024"}
    assert (Service.ram != 1024).to_dict() == {"ram": {"+neq": 1024}}
    assert (Type.memory < 2048).to_dict() == {"memory": {"+lt": 2048}}
    assert (Type.memory <= 2048).to_dict() == {"memory": {"+lte": 2048}}
    assert (Type.memory > 2048).to_dict() == {"memory": {"+gt": 2048}}
    assert (Type.memory >= 2048).to_dict() == {"memory": {"+gte": 2048}}
    assert Datacenter.label.contains("newark").to_dict() == {"label": {"+contains": "newark"}}


def test_and_or_order_and_limit():
    f = (Type.memory >= 2048) & (Type.vcpus == 2)
    assert f.to_dict() == {"+and": [{"memory": {"+gte": 2048}}, {"vcpus": 2}]}
    f = (Region.country == "us") | (Region.country == "de")
    assert f.to_dict() == {"+or": [{"country": "us"}, {"country": "de"}]}
    f = (Type.vcpus == 2) & order_by(Type.memory, desc=True) & limit(3)
    assert f.to_dict() == {"vcpus": 2, "+order_by": "memory", "+order": "desc"}
    assert f.limit == 3
    several = and_all([Service.ram >= 1024, Service.vcpus <= 2])
    assert several.to_dict() == {"+and": [{"ram": {"+gte": 1024}}, {"vcpus": {"+lte": 2}}]}


def test_unfilterable_attribute_raises_at_once():
    with pytest.raises(FilterError, match=r"Service.hourly_price is not filterable"):
        Service.hourly_price == 1
    with pytest.raises(FilterError, match="not filterable"):
        Linode.created > "2016-01-01T00:00:00"
    with pytest.raises(FilterError):
        order_by(Linode.specs)
    with pytest.raises(FilterError):
        limit(-1)


def test_or_refuses_order():
    with pytest.raises(FilterError):
        (Type.vcpus == 2) | order_by(Type.memory)
