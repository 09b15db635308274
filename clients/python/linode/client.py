"""LinodeClient: the one object a program holds. It sends requests with the token, turns error
answers into ApiError, and offers the getters and create_linode over both forms of the API."""
import secrets
import string

import requests

from .errors import ApiError
from .filtering import and_all
from .objects import (Datacenter, Distribution, Domain, Event, Firewall, Image, Kernel, Linode,
                      NodeBalancer, PlacementGroup, Region, Service, StackScript, Type, Volume)
from .paging import PaginatedList
from .user_data import encode_user_data

DEFAULT_BASE_URL = "https://api.linode.com/v4"


def generate_password(length=32):
    """A random root password with lower and upper case letters, digits and punctuation."""
    alphabet = string.ascii_letters + string.digits + "-_.,:;!@#%^*+="
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.islower() for c in password) and any(c.isupper() for c in password)
                and any(c.isdigit() for c in password)
                and any(not c.isalnum() for c in password)):
            return password


class LinodeClient:
    def __init__(self, token, base_url=DEFAULT_BASE_URL, user_agent="linode-api-python/4.0",
                 timeout=30):
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        if token:  # without one, only the public catalog answers
            self.session.headers["Authorization"] = f"Bearer {token}"

    # --- requests ------------------------------------------------------------------------------

    def request(self, method, path, json=None, params=None, headers=None):
        url = path if path.startswith("http") else self.base_url + path
        r = self.session.request(method, url, json=json, params=params, headers=headers or {},
                                 timeout=self.timeout)
        try:
            body = r.json()
        except ValueError:
            body = None
        if r.status_code >= 400:
            errors = body.get("errors") if isinstance(body, dict) else None
            raise ApiError(r.status_code, errors or [{"reason": r.text[:200] or r.reason}],
                           method, url)
        return body

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def _list(self, path, cls, filters, key="data", make=None):
        make = make or (lambda j: cls(self, cls.object_id(j), j))
        return PaginatedList(self, path, make, and_all(filters), key)

    # --- the 2016 catalog ----------------------------------------------------------------------

    def get_datacenters(self, *filters):
        return self._list("/datacenters", Datacenter, filters, "datacenters")

    def get_services(self, *filters):
        return self._list("/services", Service, filters, "services")

    def get_distributions(self, *filters):
        return self._list("/distributions", Distribution, filters, "distributions")

    # --- the modern API ------------------------------------------------------------------------

    def get_regions(self, *filters):
        return self._list("/regions", Region, filters)

    def get_types(self, *filters):
        return self._list("/linode/types", Type, filters)

    def get_images(self, *filters):
        return self._list("/images", Image, filters)

    def get_kernels(self, *filters):
        return self._list("/linode/kernels", Kernel, filters)

    def get_events(self, *filters):
        return self._list("/account/events", Event, filters)

    def get_linodes(self, *filters):
        return self._list("/linode/instances", Linode, filters)

    def get_volumes(self, *filters):
        return self._list("/volumes", Volume, filters)

    def get_firewalls(self, *filters):
        return self._list("/networking/firewalls", Firewall, filters)

    def get_domains(self, *filters):
        return self._list("/domains", Domain, filters)

    def get_nodebalancers(self, *filters):
        return self._list("/nodebalancers", NodeBalancer, filters)

    def get_placement_groups(self, *filters):
        return self._list("/placement/groups", PlacementGroup, filters)

    def get_stackscripts(self, *filters):
        """Public StackScripts and the account's own (filter on StackScript.mine for those)."""
        return self._list("/linode/stackscripts", StackScript, filters)

    def get_profile(self):
        return self.get("/profile")

    # --- Block Storage and StackScripts --------------------------------------------------------

    def create_volume(self, region_or_linode, size=20, label=None, **kw):
        """Creates a volume in a region (an id or a Region), or attached to a Linode."""
        body = {"size": size, "label": label or f"volume-{secrets.token_hex(4)}"}
        if isinstance(region_or_linode, Linode):
            body["linode_id"] = region_or_linode.id
        else:
            body["region"] = _id(region_or_linode)
        body.update(kw)
        data = self.post("/volumes", json=body)
        return Volume(self, data["id"], data)

    def create_firewall(self, label, rules=None, linodes=(), tags=None):
        """Creates a Cloud Firewall with RULES (default: accept everything), guarding LINODES
        (Linodes or ids)."""
        body = {"label": label,
                "rules": rules or {"inbound_policy": "ACCEPT", "outbound_policy": "ACCEPT"},
                "devices": {"linodes": [_id(linode) for linode in linodes]}}
        if tags is not None:
            body["tags"] = tags
        data = self.post("/networking/firewalls", json=body)
        return Firewall(self, data["id"], data)

    def create_domain(self, domain, soa_email=None, domain_type="master", **fields):
        """Creates a Domain (a master zone needs SOA_EMAIL; a slave one master_ips=[...])."""
        body = {"domain": domain, "type": domain_type, **fields}
        if soa_email is not None:
            body["soa_email"] = soa_email
        data = self.post("/domains", json=body)
        return Domain(self, data["id"], data)

    def import_domain(self, domain, remote_nameserver):
        """A Domain made from a zone transfer of DOMAIN from REMOTE_NAMESERVER."""
        data = self.post("/domains/import", json={"domain": domain,
                                                  "remote_nameserver": remote_nameserver})
        return Domain(self, data["id"], data)

    def create_nodebalancer(self, region, label=None, configs=(), firewall=None, tags=None,
                            **fields):
        """Creates a NodeBalancer in a region (an id or a Region) with CONFIGS (each with its
        "nodes"), guarded by FIREWALL (a Firewall or an id) when given."""
        body = {"region": _id(region), "configs": list(configs), **fields}
        if label is not None:
            body["label"] = label
        if firewall is not None:
            body["firewall_id"] = _id(firewall)
        if tags is not None:
            body["tags"] = tags
        data = self.post("/nodebalancers", json=body)
        return NodeBalancer(self, data["id"], data)

    def create_placement_group(self, label, region, placement_group_type="anti_affinity:local",
                               placement_group_policy="strict"):
        """Creates a placement group in a region (an id or a Region); Linodes join it with
        PlacementGroup.assign or placement_group= on create_linode."""
        data = self.post("/placement/groups", json={
            "label": label, "region": _id(region), "placement_group_type": placement_group_type,
            "placement_group_policy": placement_group_policy})
        return PlacementGroup(self, data["id"], data)

    def create_image(self, disk, label=None, description=None, cloud_init=False, tags=None):
        """Captures a Linode's disk (an id, or a disk's JSON with an "id") into a private image;
        it is "creating" until the Linode's disk_imagize job is done."""
        body = {"disk_id": disk["id"] if isinstance(disk, dict) else _id(disk),
                "cloud_init": cloud_init}
        if label is not None:
            body["label"] = label
        if description is not None:
            body["description"] = description
        if tags is not None:
            body["tags"] = tags
        data = self.post("/images", json=body)
        return Image(self, data["id"], data)

    def create_image_upload(self, label, region, description=None, cloud_init=False, tags=None):
        """A private image waiting for its disk: answers (image, upload URL)."""
        body = {"label": label, "region": _id(region), "cloud_init": cloud_init}
        if description is not None:
            body["description"] = description
        if tags is not None:
            body["tags"] = tags
        data = self.post("/images/upload", json=body)
        return Image(self, data["image"]["id"], data["image"]), data["upload_to"]

    def upload_image(self, label, region, file, description=None, cloud_init=False, tags=None):
        """Uploads a raw disk image (a path or a binary file object; gzipped unless it already
        is) as a new private image; answers the image once the upload is accepted."""
        import gzip

        image, url = self.create_image_upload(label, region, description, cloud_init, tags)
        if isinstance(file, (str, bytes)) or hasattr(file, "__fspath__"):
            with open(file, "rb") as f:
                data = f.read()
        else:
            data = file.read()
        if data[:2] != b"\x1f\x8b":
            data = gzip.compress(data)
        # The URL carries its own authority: no token goes with it.
        r = requests.put(url, data=data, headers={"Content-Type": "application/octet-stream"},
                         timeout=self.timeout)
        if r.status_code >= 400:
            body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") \
                else {}
            raise ApiError(r.status_code, body.get("errors", []), "PUT", url)
        image.invalidate()
        return image

    def create_stackscript(self, label, script, images, description=None, public=False, **kw):
        """Creates a StackScript that deploys to IMAGES (ids or Image objects, or "any/all")."""
        if isinstance(images, (str, Image)):
            images = [images]
        body = {"label": label, "script": script, "images": [_id(i) for i in images],
                "is_public": public}
        if description is not None:
            body["description"] = description
        body.update(kw)
        data = self.post("/linode/stackscripts", json=body)
        return StackScript(self, data["id"], data)

    # --- creating Linodes ----------------------------------------------------------------------

    def create_linode(self, service_or_type, datacenter_or_region, source=None, root_pass=None,
                      **kw):
        """Creates a Linode; answers (linode, root password). A 2016 service or datacenter (an
        object or an id like "service_112") creates through /linodes and the Linode waits for
        boot(); modern ids ("g6-nanode-1", "us-east") create through /linode/instances. With a
        source (a distribution or image) and no root_pass, a strong password is generated. A
        modern Linode may be deployed from a StackScript: stackscript=..., stackscript_data={},
        and given user data for cloud-init: user_data="#cloud-config ..." (text or bytes)."""
        if source is not None and root_pass is None:
            root_pass = generate_password()
        if _is_alpha(service_or_type) or _is_alpha(datacenter_or_region):
            body = {"service": _id(service_or_type), "datacenter": _id(datacenter_or_region)}
            if source is not None:
                body["source"] = _id(source)
            if root_pass is not None:
                body["root_pass"] = root_pass
            body.update(kw)
            answer = self.post("/linodes", json=body)
            data = answer["linode"]
            return Linode(self, data["id"], data, alpha=True), root_pass
        body = {"type": _id(service_or_type), "region": _id(datacenter_or_region)}
        if "stackscript" in kw:
            body["stackscript_id"] = _id(kw.pop("stackscript"))
        if "user_data" in kw:
            body["metadata"] = {"user_data": encode_user_data(kw.pop("user_data"))}
        if source is not None:
            body["image"] = _id(source)
        if root_pass is not None:
            body["root_pass"] = root_pass
        body.update(kw)
        data = self.post("/linode/instances", json=body)
        return Linode(self, data["id"], data), root_pass


def _id(value):
    return value.id if hasattr(value, "id") and not isinstance(value, str) else value


def _is_alpha(value):
    if isinstance(value, (Service, Datacenter, Distribution)):
        return True
    return isinstance(value, str) and value.startswith(("service_", "datacenter_"))
