"""Which addresses a webhook may be sent to (SSRF rules).

Refused unless an admin allows the host (WEBHOOK_ALLOWED_HOSTS): loopback,
link-local (cloud metadata 169.254.169.254 among them), "this network" and
unspecified, multicast, reserved, the cloud metadata addresses outside
link-local, any address of this machine, and the app's own host names.
Private LAN ranges (10/8, 172.16/12, 192.168/16) are allowed on purpose:
ministries run their receiving gateways on internal networks.

The rules are checked when an endpoint is saved and again before every
delivery (DNS answers change); `refusal_for_peer` is also checked on the socket
actually connected, which closes the DNS-rebinding gap (see delivery.py).
"""
import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

getaddrinfo = socket.getaddrinfo  # module-level so a test can give a name another answer

# Metadata services not inside 169.254.0.0/16 / fe80::/10 (AWS IPv6, Alibaba, Azure).
METADATA = frozenset(ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200", "168.63.129.16"))
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")  # Linux routes 0.x.x.x to this host

REASONS = {
    "scheme": _l("Use an http:// or https:// address."),
    "credentials": _l("Leave user names and passwords out of the address; the signature proves who sends."),
    "host": _l("The address has no host name."),
    "unresolvable": _l("The host name cannot be resolved."),
    "own_host": _l("This address points at this application itself."),
    "refused_address": _l("This address points at this machine, a link-local or cloud metadata address, "
                          "or another address webhooks may not reach. An administrator can allow it."),
}


class RefusedTarget(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Policy:
    allowed_names: frozenset[str] = frozenset()
    allowed_networks: tuple = ()
    own_names: frozenset[str] = field(default_factory=frozenset)

    def allows_host(self, host: str) -> bool:
        """Allowed by name, or an IP literal inside an allowed network."""
        if host.lower().rstrip(".") in self.allowed_names:
            return True
        try:
            return self.allows_address(ipaddress.ip_address(host))
        except ValueError:
            return False

    def allows_address(self, address) -> bool:
        return any(address.version == net.version and address in net for net in self.allowed_networks)


def policy_from_config(extra_own_hosts=()) -> Policy:
    """The admin's allowlist, and the names this app answers to (PUBLIC_URL, the request's host)."""
    entries = current_app.config.get("WEBHOOK_ALLOWED_HOSTS") or []
    if isinstance(entries, str):  # SCHEDULER_WEBHOOK_ALLOWED_HOSTS=a,b without JSON
        entries = entries.replace(",", " ").split()
    names, networks = set(), []
    for entry in entries:
        entry = str(entry).strip()
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            if entry:
                names.add(entry.lower().rstrip("."))
    own = {urlsplit(current_app.config.get("PUBLIC_URL") or "").hostname or ""}
    own.update(_hostname(h) for h in extra_own_hosts if h)
    return Policy(frozenset(names), tuple(networks), frozenset(o.lower().rstrip(".") for o in own if o))


def _hostname(host: str) -> str:
    return urlsplit("//" + host).hostname or ""


def refused_address_reason(address, policy: Policy) -> str | None:
    """Why this IP may not be reached, or None."""
    if policy.allows_address(address):
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.version == 4 and address in THIS_NETWORK:
        return "this network"
    for test, label in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                        ("is_unspecified", "unspecified"), ("is_multicast", "multicast"),
                        ("is_reserved", "reserved")):
        if getattr(address, test):
            return label
    if address in METADATA:
        return "cloud metadata"
    if is_own_address(address):
        return "this machine"
    return None


def is_own_address(address) -> bool:
    """Bound to one of this machine's interfaces? Binding succeeds only on a local
    address: reliable without listing the interfaces (no extra dependency)."""
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.bind((str(address), 0))
        return True
    except OSError:
        return False


def check_url(url: str, policy: Policy) -> list[str]:
    """Refuse a URL that may not be used; returns the addresses it resolves to now."""
    if any(c.isspace() or not c.isprintable() for c in url):
        raise RefusedTarget("host")  # urlsplit drops tabs and newlines that requests would not
    try:  # "http://[::1/" and other malformed addresses raise ValueError
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise RefusedTarget("host") from None
    if parts.scheme not in ("http", "https"):
        raise RefusedTarget("scheme")
    if parts.username is not None or parts.password is not None:
        raise RefusedTarget("credentials")
    if not host:
        raise RefusedTarget("host")
    port = port or (443 if parts.scheme == "https" else 80)
    if policy.allows_host(host):
        return []
    if host.lower().rstrip(".") in policy.own_names:
        raise RefusedTarget("own_host", host)
    try:
        infos = getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RefusedTarget("unresolvable", str(error)) from None
    addresses = sorted({info[4][0].split("%")[0] for info in infos})
    for text in addresses:
        reason = refused_address_reason(ipaddress.ip_address(text), policy)
        if reason:
            raise RefusedTarget("refused_address", f"{host} resolves to {text} ({reason})")
    return addresses


def refusal_for_peer(host: str, peer: str, policy: Policy) -> str | None:
    """Checked on the connected socket: the address we are actually talking to."""
    if policy.allows_host(host):
        return None
    reason = refused_address_reason(ipaddress.ip_address(peer.split("%")[0]), policy)
    return f"{host} connected to {peer} ({reason})" if reason else None
