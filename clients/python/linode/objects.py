"""API objects: each class names its endpoint and its properties (which may change, which the API
filters on). An object loads itself on the first read of a property it does not have yet, and
save() sends only the properties that changed."""
from .filtering import FilterableAttribute
from .user_data import encode_user_data

_UNSET = object()


class Property:
    """A property of an API object: `mutable` ones are sent by save(); `filterable` ones work in
    filters; `relationship` turns a nested object into an instance of that class."""

    def __init__(self, mutable=False, filterable=False, relationship=None):
        self.mutable = mutable
        self.filterable = filterable
        self.relationship = relationship

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner):
        if obj is None:
            return FilterableAttribute(owner, self.name, self.filterable)
        value = obj._value(self.name)
        if self.relationship is not None and isinstance(value, dict) and value.get("id"):
            return self.relationship(obj._client, value["id"], value)
        return value

    def __set__(self, obj, value):
        if not self.mutable:
            raise AttributeError(f"{type(obj).__name__}.{self.name} cannot be changed")
        if hasattr(value, "id") and not isinstance(value, (str, int, float, bool, dict, list)):
            value = value.id
        obj._set(self.name, value)


class Base:
    """An object of the API known by its id; its properties load on first use."""

    api_endpoint = None  # "/regions/{id}"

    def __init__(self, client, id, json=None):
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "_raw", {})
        object.__setattr__(self, "_changed", {})
        object.__setattr__(self, "_loaded", False)
        if json is not None:
            self._populate(json)

    @classmethod
    def properties(cls):
        out = {}
        for klass in reversed(cls.__mro__):
            out.update({k: v for k, v in vars(klass).items() if isinstance(v, Property)})
        return out

    @classmethod
    def filterable_names(cls):
        return {name for name, p in cls.properties().items() if p.filterable}

    @classmethod
    def object_id(cls, json):
        return json["id"]

    def _populate(self, json):
        self._raw.update(json)
        object.__setattr__(self, "_loaded", True)

    def _path(self):
        return self.api_endpoint.format(id=self.id)

    def invalidate(self):
        """Forgets what was loaded: the next read fetches the object again."""
        self._raw.clear()
        object.__setattr__(self, "_loaded", False)

    def _value(self, name):
        if name in self._changed:
            return self._changed[name]
        if name not in self._raw and not self._loaded:
            self._populate(self._client.get(self._path()))
        return self._raw.get(name)

    def _set(self, name, value):
        self._changed[name] = value

    def __getattr__(self, name):
        # Properties the class does not declare, read from the object as the API sent it.
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._raw and not self._loaded:
            self._populate(self._client.get(self._path()))
        if name in self._raw:
            return self._raw[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __setattr__(self, name, value):
        prop = self.properties().get(name)
        if prop is None:
            raise AttributeError(f"{type(self).__name__}.{name} is not a property of the API")
        prop.__set__(self, value)

    def save(self):
        """Sends the changed properties (only those); answers whether anything was sent."""
        if not self._changed:
            return False
        answer = self._client.put(self._path(), json=dict(self._changed))
        self._changed.clear()
        self._populate(answer)
        return True

    def __eq__(self, other):
        return type(self) is type(other) and self.id == other.id

    def __hash__(self):
        return hash((type(self), self.id))

    def __repr__(self):
        return f"{type(self).__name__}: {self.id}"


# --- The 2016 catalog ------------------------------------------------------------------------------

class Datacenter(Base):
    api_endpoint = "/datacenters/{id}"
    label = Property(filterable=True)
    datacenter = Property(filterable=True)
    region = Property()


class Service(Base):
    api_endpoint = "/services/{id}"
    label = Property(filterable=True)
    service_type = Property(filterable=True)
    ram = Property(filterable=True)
    disk = Property(filterable=True)
    vcpus = Property(filterable=True)
    transfer = Property(filterable=True)
    monthly_price = Property(filterable=True)
    hourly_price = Property()
    mbits_out = Property()
    type = Property()


class Distribution(Base):
    api_endpoint = "/distributions/{id}"
    label = Property(filterable=True)
    vendor = Property(filterable=True)
    recommended = Property(filterable=True)
    x64 = Property()
    experimental = Property()
    minimum_image_size = Property()
    created = Property()
    image = Property()


# --- The modern catalog --------------------------------------------------------------------------

class Region(Base):
    api_endpoint = "/regions/{id}"
    label = Property()
    country = Property(filterable=True)
    site_type = Property(filterable=True)
    capabilities = Property()
    status = Property()


class Type(Base):
    api_endpoint = "/linode/types/{id}"
    label = Property(filterable=True)
    # "class" is a Python keyword; the API's field is readable as type_class or getattr(t, "class").
    disk = Property(filterable=True)
    memory = Property(filterable=True)
    vcpus = Property(filterable=True)
    gpus = Property(filterable=True)
    network_out = Property(filterable=True)
    transfer = Property(filterable=True)
    price = Property()

    @property
    def type_class(self):
        return self._value("class")


class Image(Base):
    """A public image (linode/...) or one of the account's (private/N): captured with
    LinodeClient.create_image, uploaded with LinodeClient.upload_image."""

    api_endpoint = "/images/{id}"
    label = Property(mutable=True, filterable=True)
    description = Property(mutable=True, filterable=True)
    tags = Property(mutable=True, filterable=True)
    vendor = Property(filterable=True)
    deprecated = Property(filterable=True)
    is_public = Property(filterable=True)
    size = Property(filterable=True)
    created = Property(filterable=True)
    status = Property(filterable=True)
    total_size = Property()
    regions = Property()
    capabilities = Property()

    def replicate(self, regions):
        """Keeps the image in exactly these regions (ids or Region objects)."""
        answer = self._client.post(f"{self._path()}/regions",
                                   json={"regions": [_plain_id(r) for r in regions]})
        self.invalidate()
        self._populate(answer)
        return True

    def delete(self):
        self._client.delete(self._path())
        return True


class Kernel(Base):
    api_endpoint = "/linode/kernels/{id}"
    label = Property(filterable=True)
    version = Property(filterable=True)
    kvm = Property(filterable=True)
    deprecated = Property(filterable=True)
    architecture = Property(filterable=True)


class Event(Base):
    api_endpoint = "/account/events/{id}"
    action = Property(filterable=True)
    created = Property(filterable=True)
    entity = Property()
    status = Property()
    percent_complete = Property()
    seen = Property()
    read = Property()
    username = Property()

    def mark_seen(self):
        self._client.post(f"/account/events/{self.id}/seen")

    def mark_read(self):
        self._client.post(f"/account/events/{self.id}/read")


# --- Linodes ---------------------------------------------------------------------------------------

class Linode(Base):
    """A Linode, by its number. One made or listed through the 2016 API (`linode_N`) reads and
    saves through /linodes/linode_N, one from the modern API through /linode/instances/N; both are
    the same Linode on the server."""

    label = Property(mutable=True, filterable=True)
    group = Property(mutable=True, filterable=True)
    # Modern
    status = Property()
    region = Property(filterable=True)
    type = Property()
    image = Property(filterable=True)
    tags = Property(mutable=True, filterable=True)
    ipv4 = Property(filterable=True)
    ipv6 = Property()
    specs = Property()
    alerts = Property(mutable=True)
    watchdog_enabled = Property(mutable=True)
    placement_group = Property()
    created = Property()
    updated = Property()
    # 2016
    state = Property()
    datacenter = Property(relationship=Datacenter)
    distribution = Property(relationship=Distribution)
    services = Property()
    ip_addresses = Property()

    def __init__(self, client, id, json=None, alpha=False):
        object.__setattr__(self, "alpha", alpha or (isinstance(id, str) and id.startswith("linode_")))
        super().__init__(client, _number(id), json)

    @classmethod
    def object_id(cls, json):
        return _number(json["id"])

    def _populate(self, json):
        json = dict(json)
        json.pop("id", None)
        super()._populate(json)

    @property
    def alpha_id(self):
        return f"linode_{self.id}"

    def _path(self):
        return f"/linodes/{self.alpha_id}" if self.alpha else f"/linode/instances/{self.id}"

    @property
    def service(self):
        services = self._value("services") or {}
        value = services.get("linode") if isinstance(services, dict) else None
        return Service(self._client, value["id"], value) if value and value.get("id") else None

    @property
    def public_ipv4(self):
        if self.alpha:
            return list(self.ip_addresses["public"]["ipv4"])
        return [a for a in self.ipv4 if not a.startswith("192.168.")]

    def current_status(self):
        """The status now (fetched), under either API's name for it."""
        self.invalidate()
        return self.state if self.alpha else self.status

    def _action(self, name):
        self._client.post(f"{self._path()}/{name}")
        self.invalidate()
        return True

    def boot(self):
        return self._action("boot")

    def reboot(self):
        return self._action("reboot")

    def shutdown(self):
        return self._action("shutdown")

    def delete(self):
        self._client.delete(self._path())
        return True

    def rebuild(self, image, root_pass=None, user_data=None, **kw):
        """Rebuilds the Linode from IMAGE (a strong root password is generated when none is
        given); USER_DATA (text or bytes) is handed to cloud-init. Answers the root password."""
        from .client import generate_password
        root_pass = root_pass or generate_password()
        body = {"image": _plain_id(image), "root_pass": root_pass}
        if user_data is not None:
            body["metadata"] = {"user_data": encode_user_data(user_data)}
        body.update(kw)
        self._client.post(f"{self._path()}/rebuild", json=body)
        self.invalidate()
        return root_pass

    # Statistics and network transfer (the modern API)
    @property
    def stats(self):
        """The past 24 hours: {"cpu": [[ms, %], ...], "io": {...}, "netv4": {...}, ...}."""
        return self._client.get(f"{self._path()}/stats")

    def stats_for(self, year, month):
        """One month's statistics (the current month: the past 30 days)."""
        return self._client.get(f"{self._path()}/stats/{int(year)}/{int(month)}")

    @property
    def transfer(self):
        """This month's network transfer: {"used": bytes, "quota": GB, "billable": GB}."""
        return self._client.get(f"{self._path()}/transfer")

    def transfer_for(self, year, month):
        """{"bytes_in", "bytes_out", "bytes_total"} of one month."""
        return self._client.get(f"{self._path()}/transfer/{int(year)}/{int(month)}")

    # Backups (the modern API)
    def enable_backups(self):
        return self._action("backups/enable")

    def cancel_backups(self):
        return self._action("backups/cancel")

    def snapshot(self, label):
        """Takes a manual snapshot; answers its JSON (status "pending" until it is taken)."""
        answer = self._client.post(f"{self._path()}/backups", json={"label": label})
        self.invalidate()
        return answer

    def available_backups(self):
        """{"automatic": [...], "snapshot": {"current": ..., "in_progress": ...}}."""
        return self._client.get(f"{self._path()}/backups")

    def restore_backup(self, backup, target=None, overwrite=False):
        """Restores one of this Linode's backups (its id or JSON) to TARGET (this Linode when
        none), over TARGET's disks when OVERWRITE."""
        backup_id = backup["id"] if isinstance(backup, dict) else backup
        body = {"linode_id": _plain_id(target) if target is not None else self.id,
                "overwrite": overwrite}
        self._client.post(f"{self._path()}/backups/{backup_id}/restore", json=body)
        self.invalidate()
        return True


# --- Block Storage and StackScripts -----------------------------------------------------------------

class Volume(Base):
    """A Block Storage Volume: attached to at most one Linode, at `filesystem_path` inside it."""

    api_endpoint = "/volumes/{id}"
    label = Property(mutable=True, filterable=True)
    tags = Property(mutable=True, filterable=True)
    status = Property()
    size = Property()
    region = Property()
    linode_id = Property()
    linode_label = Property()
    filesystem_path = Property()
    encryption = Property()
    created = Property()
    updated = Property()

    @property
    def linode(self):
        linode_id = self._value("linode_id")
        return Linode(self._client, linode_id) if linode_id else None

    def _act(self, name, **body):
        answer = self._client.post(f"{self._path()}/{name}", json=body)
        self.invalidate()
        return answer

    def attach(self, linode, config=None, persist_across_boots=True):
        body = {"linode_id": _plain_id(linode), "persist_across_boots": persist_across_boots}
        if config is not None:
            body["config_id"] = _plain_id(config)
        self._act("attach", **body)
        return True

    def detach(self):
        self._act("detach")
        return True

    def resize(self, size):
        self._act("resize", size=size)
        return True

    def clone(self, label):
        answer = self._client.post(f"{self._path()}/clone", json={"label": label})
        return Volume(self._client, answer["id"], answer)

    def delete(self):
        self._client.delete(self._path())
        return True


class Firewall(Base):
    """A Cloud Firewall: versioned inbound and outbound rules over its devices (Linodes)."""

    api_endpoint = "/networking/firewalls/{id}"
    label = Property(mutable=True, filterable=True)
    tags = Property(mutable=True, filterable=True)
    status = Property(mutable=True)
    rules = Property()
    entities = Property()
    created = Property(filterable=True)
    updated = Property(filterable=True)

    def get_rules(self):
        return self._client.get(f"{self._path()}/rules")

    def update_rules(self, rules):
        """Replaces the rules (a new version); answers them with their version."""
        answer = self._client.put(f"{self._path()}/rules", json=rules)
        self.invalidate()
        return answer

    @property
    def devices(self):
        return self._client.get(f"{self._path()}/devices")["data"]

    def device_create(self, linode):
        answer = self._client.post(f"{self._path()}/devices",
                                   json={"id": _plain_id(linode), "type": "linode"})
        self.invalidate()
        return answer

    def device_delete(self, device):
        device_id = device["id"] if isinstance(device, dict) else device
        self._client.delete(f"{self._path()}/devices/{device_id}")
        self.invalidate()
        return True

    def delete(self):
        self._client.delete(self._path())
        return True


class Domain(Base):
    """A Domain: a DNS zone (master or slave), its records, and the zone file served."""

    api_endpoint = "/domains/{id}"
    domain = Property(mutable=True, filterable=True)
    type = Property(mutable=True, filterable=True)
    status = Property(mutable=True, filterable=True)
    soa_email = Property(mutable=True)
    description = Property(mutable=True)
    group = Property(mutable=True, filterable=True)
    ttl_sec = Property(mutable=True)
    refresh_sec = Property(mutable=True)
    retry_sec = Property(mutable=True)
    expire_sec = Property(mutable=True)
    master_ips = Property(mutable=True)
    axfr_ips = Property(mutable=True)
    tags = Property(mutable=True, filterable=True)
    created = Property()
    updated = Property()

    @property
    def records(self):
        return self._client.get(f"{self._path()}/records")["data"]

    def record_create(self, record_type, **fields):
        """Adds a record: record_create("A", name="www", target="192.0.2.1")."""
        return self._client.post(f"{self._path()}/records", json={"type": record_type, **fields})

    def record_update(self, record, **fields):
        record_id = record["id"] if isinstance(record, dict) else record
        return self._client.put(f"{self._path()}/records/{record_id}", json=fields)

    def record_delete(self, record):
        record_id = record["id"] if isinstance(record, dict) else record
        self._client.delete(f"{self._path()}/records/{record_id}")
        return True

    @property
    def zone_file(self):
        """The zone file's lines, as the DNS server answers them."""
        return self._client.get(f"{self._path()}/zone-file")["zone_file"]

    def clone(self, domain):
        data = self._client.post(f"{self._path()}/clone", json={"domain": domain})
        return Domain(self._client, data["id"], data)

    def delete(self):
        self._client.delete(self._path())
        return True


class NodeBalancer(Base):
    """A NodeBalancer: an address whose ports (configs) balance over nodes (backends)."""

    api_endpoint = "/nodebalancers/{id}"
    label = Property(mutable=True, filterable=True)
    region = Property(filterable=True)
    ipv4 = Property(filterable=True)
    ipv6 = Property()
    hostname = Property()
    client_conn_throttle = Property(mutable=True)
    tags = Property(mutable=True, filterable=True)
    transfer = Property()
    created = Property()
    updated = Property()

    @property
    def configs(self):
        return self._client.get(f"{self._path()}/configs")["data"]

    def config_create(self, port=80, nodes=(), **fields):
        """Adds a port with its nodes (each {"label", "address": "IP:PORT", ...})."""
        config = self._client.post(f"{self._path()}/configs", json={"port": port, **fields})
        for node in nodes:
            self.node_create(config, **node)
        return config

    def config_rebuild(self, config, nodes, **fields):
        """Sets the config's fields and makes its nodes exactly NODES (named ones kept)."""
        return self._client.post(f"{self._path()}/configs/{_config_id(config)}/rebuild",
                                 json={"nodes": list(nodes), **fields})

    def config_delete(self, config):
        self._client.delete(f"{self._path()}/configs/{_config_id(config)}")
        return True

    def nodes(self, config):
        return self._client.get(f"{self._path()}/configs/{_config_id(config)}/nodes")["data"]

    def node_create(self, config, label, address, **fields):
        return self._client.post(f"{self._path()}/configs/{_config_id(config)}/nodes",
                                 json={"label": label, "address": address, **fields})

    def node_delete(self, config, node):
        node_id = node["id"] if isinstance(node, dict) else node
        self._client.delete(f"{self._path()}/configs/{_config_id(config)}/nodes/{node_id}")
        return True

    @property
    def firewalls(self):
        return self._client.get(f"{self._path()}/firewalls")["data"]

    def stats(self):
        return self._client.get(f"{self._path()}/stats")

    def delete(self):
        self._client.delete(self._path())
        return True


class PlacementGroup(Base):
    """Linodes of one region kept on different hosts (anti-affinity) or on one (affinity)."""

    api_endpoint = "/placement/groups/{id}"
    label = Property(mutable=True, filterable=True)
    region = Property(filterable=True)
    placement_group_type = Property(filterable=True)
    placement_group_policy = Property()
    is_compliant = Property()
    members = Property()
    migrations = Property()

    def assign(self, *linodes):
        return self._members("assign", linodes)

    def unassign(self, *linodes):
        return self._members("unassign", linodes)

    def _members(self, action, linodes):
        answer = self._client.post(f"{self._path()}/{action}",
                                   json={"linodes": [_plain_id(linode) for linode in linodes]})
        self.invalidate()
        return answer

    def delete(self):
        self._client.delete(self._path())
        return True


class StackScript(Base):
    """A StackScript: deployed with a Linode (create_linode(..., stackscript=...,
    stackscript_data={...})), its user_defined_fields read from the script."""

    api_endpoint = "/linode/stackscripts/{id}"
    label = Property(mutable=True, filterable=True)
    description = Property(mutable=True, filterable=True)
    rev_note = Property(mutable=True, filterable=True)
    is_public = Property(mutable=True, filterable=True)
    mine = Property(filterable=True)
    deployments_total = Property(filterable=True)
    deployments_active = Property()
    script = Property(mutable=True)
    images = Property(mutable=True)
    user_defined_fields = Property()
    username = Property()
    created = Property()
    updated = Property()

    def delete(self):
        self._client.delete(self._path())
        return True


def _config_id(config):
    return config["id"] if isinstance(config, dict) else config


def _plain_id(value):
    return value.id if hasattr(value, "id") and not isinstance(value, (str, int)) else value


def _number(id):
    if isinstance(id, str) and id.startswith("linode_"):
        return int(id[len("linode_"):])
    return int(id)
