"""Which web addresses are outside: the only ones `recueil links` may request, the only sources a card may give.

A card is written by a stranger, and the weekly link check runs on a CI machine: a source at
`http://169.254.169.254/latest/meta-data/iam` or at a name resolving to 127.0.0.1 would make it
request the machine's own secrets. So an address is outside only when every IP it stands for is
global (`ipaddress`: not loopback, private, link-local, unique-local, multicast, reserved, shared,
nor an IPv4 address hidden in IPv6: mapped, 6to4, NAT64, Teredo), its name is not a special-use one
(`localhost`, `.internal`, `.local`… and single labels, which a resolver completes with local
domains). IPs are read by the system's own parser (`getaddrinfo`), so odd spellings
(`2130706433`, `0177.0.0.1`, `0x7f.1`, `[::ffff:127.0.0.1]`) are read as a connection would read
them. `recueil check` applies `refusal` without the network; `recueil links` also resolves every
name it connects to (`public_addresses`) and connects to the IP it checked.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# Names of inside networks: RFC 6761 and 6762, ICANN's .internal (2024), the suffixes private networks
# commonly use. (.example and .test stand for outside hosts in examples and tests: they resolve nowhere.)
SPECIAL_NAMES = frozenset({"localhost", "local", "internal", "localdomain", "home.arpa", "lan", "intranet",
                           "corp", "private"})
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(OSError):
    """The address is not outside: no request is sent to it."""


def is_outside(ip: IP) -> bool:
    """A global unicast address, and so is any IPv4 address it carries."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None,
                    ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None]
        if any(inner is not None and not is_outside(inner) for inner in embedded):
            return False
        if ip.ipv4_mapped is not None or ip in NAT64:
            return True  # the address it carries was checked (NAT64 is in the reserved ::/8)
        if ip.is_site_local:
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
                                 or ip.is_private or ip.is_unspecified)


def numeric(host: str) -> list[IP] | None:
    """The IPs a host written as numbers stands for, read as the system reads them; None for a name."""
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    return [_ip(str(info[4][0])) for info in found]


def _ip(text: str) -> IP:
    return ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is link-local anyway


def special_name(host: str) -> bool:
    """A name no public web server has: special-use, or a single label (completed with the local domain)."""
    name = host.rstrip(".").lower()
    labels = name.split(".")
    return len(labels) < 2 or any(".".join(labels[i:]) in SPECIAL_NAMES for i in range(len(labels)))


def refusal(url: str) -> str | None:
    """Why this http(s) address is not outside, without the network; None when it may be."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return "adresse illisible"
    host = (host or "").replace("\\", "").rstrip(".")  # `127\.0.0.1.` is 127.0.0.1 to a browser
    if not host:
        return None
    ips = numeric(host)
    if ips is not None:
        inside = next((ip for ip in ips if not is_outside(ip)), None)
        if inside is None:
            return None
        plain = getattr(inside, "ipv4_mapped", None) or inside  # ::ffff:7f00:1 is read 127.0.0.1
        spelled = host if str(plain) == host else f"{host} (soit {plain})"
        return f"{spelled} n'est pas une adresse publique"
    if special_name(host):
        return f"{host} n'est pas un nom public"
    return None


def public_addresses(host: str, port: int) -> list[tuple[int, str]]:
    """Resolve a host once: its (family, IP) to connect to, or AddressRefused when any is not outside."""
    if numeric(host) is None and special_name(host):
        raise AddressRefused(f"{host} n'est pas un nom public")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"nom inconnu : {host} ({error})") from error
    addresses: list[tuple[int, str]] = [(family, str(info[0])) for family, _, _, _, info in found]
    for _, text in addresses:
        if not is_outside(_ip(text)):
            raise AddressRefused(f"{host} mène à l'adresse {text}, qui n'est pas publique")
    return addresses
