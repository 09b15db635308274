"""The wrapper's errors: ApiError for an API answer that is not a success, FilterError for a
filter the API would refuse (raised before any request is made)."""


class ApiError(Exception):
    """The API answered with an error status; `errors` is its list of {reason, field?}."""

    def __init__(self, status, errors, method=None, url=None):
        self.status = status
        self.errors = list(errors or [])
        self.method = method
        self.url = url
        reasons = "; ".join(
            (f"{e.get('field')}: " if e.get("field") else "") + str(e.get("reason", ""))
            for e in self.errors) or "no reason given"
        super().__init__(f"{status} from {method} {url}: {reasons}")


class FilterError(ValueError):
    """A filter that cannot be sent: an attribute that is not filterable, or a bad operand."""
