"""The filter DSL: class attributes compare into filters (`Service.label == "Linode 1024"`),
filters combine with & and |, and the result is the X-Filter JSON the API understands."""
import json

from .errors import FilterError


class Filter:
    """One X-Filter expression. `limit` is applied by the list, since the API pages instead."""

    def __init__(self, expression=None, order_by=None, descending=False, limit=None):
        self.expression = expression or {}
        self.order_by = order_by
        self.descending = descending
        self.limit = limit

    def __and__(self, other):
        return _combine("+and", self, _as_filter(other))

    def __or__(self, other):
        if self.order_by or other.order_by or self.limit or other.limit:
            raise FilterError("order_by and limit apply to the whole query, not to one side of |")
        return Filter({"+or": [self.expression, other.expression]})

    def to_dict(self):
        out = dict(self.expression)
        if self.order_by:
            out["+order_by"] = self.order_by
            out["+order"] = "desc" if self.descending else "asc"
        return out

    def header(self):
        return json.dumps(self.to_dict())

    def __repr__(self):
        return f"Filter({self.to_dict()!r}, limit={self.limit!r})"


def _as_filter(value):
    if not isinstance(value, Filter):
        raise FilterError(f"cannot combine a filter with {value!r}")
    return value


def _combine(op, a, b):
    parts = [e for e in (a.expression, b.expression) if e]
    expression = parts[0] if len(parts) == 1 else ({op: parts} if parts else {})
    limits = [x for x in (a.limit, b.limit) if x is not None]
    if a.order_by and b.order_by and (a.order_by, a.descending) != (b.order_by, b.descending):
        raise FilterError("two different order_by in one query")
    order = a.order_by or b.order_by
    descending = a.descending if a.order_by else b.descending
    return Filter(expression, order, descending, min(limits) if limits else None)


def and_all(filters):
    """Several filters, AND-ed; None when there are none."""
    result = None
    for f in filters:
        if f is None:
            continue
        result = _as_filter(f) if result is None else result & f
    return result


class FilterableAttribute:
    """An attribute of a class as the DSL sees it. Comparing one that the API does not filter on
    raises FilterError at once, naming the class and the attribute."""

    def __init__(self, owner, name, filterable):
        self.owner = owner
        self.name = name
        self.filterable = filterable

    def _check(self):
        if not self.filterable:
            allowed = ", ".join(sorted(self.owner.filterable_names())) or "nothing"
            raise FilterError(f"{self.owner.__name__}.{self.name} is not filterable "
                              f"(filterable: {allowed})")

    def _op(self, op, value):
        self._check()
        if hasattr(value, "id") and not isinstance(value, (str, int, float, bool)):
            value = value.id
        return Filter({self.name: value if op is None else {op: value}})

    def __eq__(self, value):
        return self._op(None, value)

    def __ne__(self, value):
        return self._op("+neq", value)

    def __lt__(self, value):
        return self._op("+lt", value)

    def __le__(self, value):
        return self._op("+lte", value)

    def __gt__(self, value):
        return self._op("+gt", value)

    def __ge__(self, value):
        return self._op("+gte", value)

    def contains(self, value):
        return self._op("+contains", value)

    __hash__ = object.__hash__

    def __repr__(self):
        return f"{self.owner.__name__}.{self.name}"


def order_by(attribute, desc=False):
    """A filter that only orders: order_by(Type.memory, desc=True)."""
    if not isinstance(attribute, FilterableAttribute):
        raise FilterError(f"order_by needs a class attribute such as Type.memory, not {attribute!r}")
    attribute._check()
    return Filter(order_by=attribute.name, descending=desc)


def limit(count):
    """A filter that keeps the first `count` results."""
    if not isinstance(count, int) or count < 0:
        raise FilterError("limit needs a count of 0 or more")
    return Filter(limit=count)
