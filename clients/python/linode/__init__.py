"""linode: the Python wrapper of the Linode API v4 (distribution `linode-api`), for the modern API
and the 2016 alpha form that Linnet serves beside it."""
from .client import LinodeClient, generate_password
from .errors import ApiError, FilterError
from .filtering import Filter, limit, order_by
from .login_client import LinodeLoginClient, LoginError, OAuthScopes
from .objects import (Base, Datacenter, Distribution, Domain, Event, Firewall, Image, Kernel,
                      Linode, NodeBalancer, PlacementGroup, Region, Service, StackScript, Type,
                      Volume)
from .paging import PaginatedList

__all__ = ["LinodeClient", "generate_password", "ApiError", "FilterError", "Filter", "limit",
           "order_by", "LinodeLoginClient", "LoginError", "OAuthScopes", "Base", "Datacenter", "Distribution", "Domain", "Event", "Firewall", "Image", "Kernel", "Linode", "NodeBalancer", "PlacementGroup",
           "Region", "Service", "StackScript", "Type", "Volume", "PaginatedList"]
__version__ = "4.0.0"
