"""The OAuth side: LinodeLoginClient sends users to the login service (authorization code with
PKCE S256) and trades the code for a token; OAuthScopes names the scopes a program asks for."""
import base64
import datetime
import enum
import hashlib
import secrets
from urllib.parse import urlencode

import requests

from .errors import ApiError

DEFAULT_LOGIN_URL = "https://login.linode.com"


def _area(name, area):
    return enum.Enum(name, {"read_only": f"{area}:read_only", "read_write": f"{area}:read_write"},
                     type=str)


class OAuthScopes:
    """One enumeration per area, each with read_only and read_write; `OAuthScopes.all` is "*"."""

    Account = _area("Account", "account")
    Databases = _area("Databases", "databases")
    Domains = _area("Domains", "domains")
    Events = _area("Events", "events")
    Firewall = _area("Firewall", "firewall")
    Images = _area("Images", "images")
    IPs = _area("IPs", "ips")
    Linodes = _area("Linodes", "linodes")
    LKE = _area("LKE", "lke")
    Longview = _area("Longview", "longview")
    NodeBalancers = _area("NodeBalancers", "nodebalancers")
    ObjectStorage = _area("ObjectStorage", "object_storage")
    StackScripts = _area("StackScripts", "stackscripts")
    Volumes = _area("Volumes", "volumes")
    VPC = _area("VPC", "vpc")
    all = "*"

    _areas = None

    @classmethod
    def serialize(cls, scopes):
        """The scopes parameter: "*" or "area:level area:level"."""
        if isinstance(scopes, (str, enum.Enum)):
            scopes = [scopes]
        values = [s.value if isinstance(s, enum.Enum) else str(s) for s in scopes]
        return "*" if "*" in values else " ".join(values)

    @classmethod
    def parse(cls, text):
        """The scopes a token was granted, as enumeration members ("*" stays "*"). A read_write
        grant also covers read_only."""
        if cls._areas is None:
            cls._areas = {m.value: m for e in vars(cls).values()
                          if isinstance(e, enum.EnumMeta) for m in e}
        out = []
        for part in text.replace(",", " ").split():
            out.append("*" if part == "*" else cls._areas.get(part, part))
        return out

    @staticmethod
    def covers(granted, wanted):
        """Whether the granted scopes (from parse) include `wanted` (a member)."""
        if "*" in granted:
            return True
        area = wanted.value.split(":")[0]
        return any(isinstance(g, enum.Enum) and g.value.startswith(area + ":") and
                   (g.value.endswith(":read_write") or g == wanted) for g in granted)


class LoginError(ApiError):
    """The login service refused: `errors` holds {error, error_description} as OAuth has it."""

    def __init__(self, status, errors, method=None, url=None):
        super().__init__(status, [{"reason": f"{e.get('error')}: {e.get('error_description')}"}
                                  for e in errors], method, url)
        self.oauth_errors = list(errors)


class LinodeLoginClient:
    def __init__(self, client_id, client_secret, base_url=DEFAULT_LOGIN_URL, timeout=30):
        self.client_id = client_id
        self.client_secret = client_secret
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._verifiers = {}  # state -> PKCE code_verifier
        self._last_state = None

    def generate_login_url(self, scopes=None, redirect_uri=None, state=None):
        """Where to send the user: the consent page, with a fresh PKCE S256 challenge kept for
        finish_oauth."""
        state = state or secrets.token_urlsafe(16)
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        self._verifiers[state] = verifier
        self._last_state = state
        params = {"client_id": self.client_id, "response_type": "code",
                  "scopes": OAuthScopes.serialize(scopes or OAuthScopes.all), "state": state,
                  "code_challenge": challenge, "code_challenge_method": "S256"}
        if redirect_uri:
            params["redirect_uri"] = redirect_uri
        return f"{self.base_url}/oauth/authorize?{urlencode(params)}"

    def _token(self, form):
        form = dict(form, client_id=self.client_id)
        if self.client_secret:
            form["client_secret"] = self.client_secret
        r = requests.post(f"{self.base_url}/oauth/token", data=form, timeout=self.timeout)
        try:
            body = r.json()
        except ValueError:
            body = {"error": "invalid_response", "error_description": r.text[:200]}
        if r.status_code != 200:
            raise LoginError(r.status_code, [body], "POST", f"{self.base_url}/oauth/token")
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
            seconds=int(body.get("expires_in", 0)))
        return (body["access_token"], OAuthScopes.parse(body.get("scopes", "")), expiry,
                body.get("refresh_token"))

    def finish_oauth(self, code, state=None, redirect_uri=None):
        """Trades the callback's code for (token, scopes, expiry, refresh_token)."""
        verifier = self._verifiers.pop(state or self._last_state, None)
        form = {"grant_type": "authorization_code", "code": code}
        if verifier:
            form["code_verifier"] = verifier
        if redirect_uri:
            form["redirect_uri"] = redirect_uri
        return self._token(form)

    def refresh_oauth_token(self, refresh_token):
        """A new (token, scopes, expiry, refresh_token) for a refresh token."""
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def expire_token(self, token):
        """Revokes a token at once."""
        form = {"client_id": self.client_id, "token": token}
        if self.client_secret:
            form["client_secret"] = self.client_secret
        r = requests.post(f"{self.base_url}/oauth/token/expire", data=form, timeout=self.timeout)
        if r.status_code != 200:
            raise LoginError(r.status_code, [r.json()], "POST", r.url)
        return True
