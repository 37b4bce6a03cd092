"""Address and route changes, from the kernel's rtnetlink (Linux): a Wi-Fi switch, a cable, a VPN.

One NETLINK_ROUTE socket subscribed to the address and route multicast groups; messages are decoded just
enough to tell a change that matters (an address added or removed, other than loopback's own; a default
route come or gone) from the rest. A burst of changes (DHCP sets an address, then routes) is reported
once, after `settle_s` of quiet, on the `network-watch` thread. Written against the kernel's ABI (the
structs below are stable since Linux 2.2) rather than with pyroute2: we need four message types and no
requests.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

log = logging.getLogger(__name__)

NETWORK_WATCH = "network-watch"  # the thread on_change runs on (for @runs_on)

# linux/rtnetlink.h
RTMGRP_IPV4_IFADDR = 0x10
RTMGRP_IPV4_ROUTE = 0x40
RTMGRP_IPV6_IFADDR = 0x100
RTMGRP_IPV6_ROUTE = 0x400
RTM_NEWADDR, RTM_DELADDR = 20, 21
RTM_NEWROUTE, RTM_DELROUTE = 24, 25
RT_TABLE_MAIN = 254
IFA_ADDRESS, IFA_LOCAL = 1, 2
NLMSG_HEADER = struct.Struct("=IHHII")  # length, type, flags, sequence, port id
IFADDRMSG = struct.Struct("=BBBBI")  # family, prefix length, flags, scope, interface index
RTMSG = struct.Struct("=BBBBBBBBI")  # family, dst_len, src_len, tos, table, protocol, scope, type, flags
RTATTR = struct.Struct("=HH")


@dataclass(frozen=True)
class NetworkChange:
    kind: str  # "address added", "address removed", "default route added", "default route removed"
    detail: str  # the address, or the route's family


def _attributes(data: bytes) -> Iterator[tuple[int, bytes]]:
    offset = 0
    while offset + RTATTR.size <= len(data):
        length, kind = RTATTR.unpack_from(data, offset)
        if length < RTATTR.size:
            return
        yield kind, data[offset + RTATTR.size: offset + length]
        offset += (length + 3) & ~3


def decode(datagram: bytes) -> list[NetworkChange]:
    """The changes that matter in one rtnetlink datagram (it may carry several messages)."""
    changes = []
    offset = 0
    while offset + NLMSG_HEADER.size <= len(datagram):
        length, kind, _flags, _seq, _port = NLMSG_HEADER.unpack_from(datagram, offset)
        if length < NLMSG_HEADER.size or offset + length > len(datagram):
            break
        body = datagram[offset + NLMSG_HEADER.size: offset + length]
        if kind in (RTM_NEWADDR, RTM_DELADDR) and len(body) >= IFADDRMSG.size:
            family = body[0]
            attributes = dict(_attributes(body[IFADDRMSG.size:]))
            raw = attributes.get(IFA_LOCAL) or attributes.get(IFA_ADDRESS)
            if raw is not None and family in (socket.AF_INET, socket.AF_INET6):
                address = ipaddress.ip_address(raw)
                if not address.is_loopback:  # lo's own 127.0.0.1/::1 come and go with the namespace
                    changes.append(NetworkChange("address added" if kind == RTM_NEWADDR else "address removed",
                                                 str(address)))
        elif kind in (RTM_NEWROUTE, RTM_DELROUTE) and len(body) >= RTMSG.size:
            family, dst_len, _src, _tos, table = RTMSG.unpack_from(body)[:5]
            if dst_len == 0 and table == RT_TABLE_MAIN:
                changes.append(NetworkChange(
                    "default route added" if kind == RTM_NEWROUTE else "default route removed",
                    "IPv6" if family == socket.AF_INET6 else "IPv4"))
        offset += (length + 3) & ~3
    return changes


class NetworkWatch:
    """Calls `on_change(changes)` on its own thread after each settled burst of address/route changes."""

    def __init__(self, on_change: Callable[[list[NetworkChange]], None], settle_s: float = 0.3) -> None:
        self._on_change = on_change
        self._settle_s = settle_s
        self._socket: socket.socket | None = None
        self._wake_r, self._wake_w = -1, -1
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        if not hasattr(socket, "AF_NETLINK"):
            return False  # not Linux: the registration's own retries recover after a change
        try:
            sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
            sock.bind((0, RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE))
        except OSError as error:
            log.warning("network changes are not followed (no rtnetlink socket: %s)", error)
            return False
        self._socket = sock
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name=NETWORK_WATCH, daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        if self._thread is None:
            return
        os.write(self._wake_w, b"x")
        self._thread.join(5)
        self._thread = None
        assert self._socket is not None
        self._socket.close()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _run(self) -> None:
        assert self._socket is not None
        pending: list[NetworkChange] = []
        settle_at: float | None = None
        while True:
            timeout = None if settle_at is None else max(0.0, settle_at - time.monotonic())
            readable, _, _ = select.select([self._socket, self._wake_r], [], [], timeout)
            if self._wake_r in readable:
                return
            if self._socket in readable:
                try:
                    datagram = self._socket.recv(65536)
                except OSError as error:  # ENOBUFS: the kernel dropped messages; treat it as a change
                    log.warning("rtnetlink: %s", error)
                    pending.append(NetworkChange("unknown change", str(error)))
                else:
                    pending += decode(datagram)
                if pending:
                    settle_at = time.monotonic() + self._settle_s  # wait for the burst to end
                continue
            if pending:
                changes, pending, settle_at = pending, [], None
                log.info("network changed: %s", "; ".join(f"{c.kind} {c.detail}" for c in changes))
                try:
                    self._on_change(changes)
                except Exception:  # one failed reaction must not end the watch
                    log.exception("following a network change failed")


__all__ = ["NETWORK_WATCH", "NetworkChange", "NetworkWatch", "decode"]
