#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send batches of Ethernet frames from an interface, for nicsim's tests.

usage: traffic.py DEV BATCH...

BATCH is DST/COUNT followed by any of these, slash-separated:
  vlan=TCI    802.1Q tag (the whole TCI: priority << 13 | VID)
  src=MAC     source MAC (default: DEV's)
  flows=N     IPv4/UDP frames of N flows, COUNT frames each, from
              10.200.0.0/16 port 1024+i to 10.201.0.1 port 9, so RSS
              (which hashes IP addresses) spreads them.  Toeplitz is
              linear: flows differing in a few bits only can all land on
              one queue with some keys, so the 16 bits of flow i's source
              are i * 40503 mod 65536, not i.
  tcp         the flows are TCP (SYN) rather than UDP
Without flows=, frames carry the local experimental ethertype 0x88b5, as
selftests/lib/sendframes.py's do.  One process for many batches: Python
starts slowly under TCG.  Prints nothing; exits non-zero on error.
"""
import socket
import struct
import sys

ETH_P_EXPERIMENTAL = 0x88B5
ETH_P_IP = 0x0800
ETH_P_8021Q = 0x8100
IPPROTO_TCP = 6
IPPROTO_UDP = 17


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def checksum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4_packet(flow, proto):
    host = flow * 40503 % 65536
    src = bytes([10, 200, host >> 8, host & 0xFF])
    dst = bytes([10, 201, 0, 1])
    sport, dport = 1024 + flow, 9
    if proto == IPPROTO_TCP:
        # A SYN; nobody checks its checksum.
        l4 = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02,
                         65535, 0, 0)
    else:
        l4 = struct.pack("!HHHH", sport, dport, 8 + 18, 0) + bytes(18)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0x4000, 64,
                      proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + l4


def parse_batch(spec):
    fields = spec.split("/")
    if len(fields) < 2:
        sys.exit("bad batch '%s': want DST/COUNT[/opt...]" % spec)
    batch = {"dst": fields[0], "count": int(fields[1]), "vlan": None,
             "src": None, "flows": 0, "proto": IPPROTO_UDP}
    for opt in fields[2:]:
        key, _, value = opt.partition("=")
        if key == "vlan":
            batch["vlan"] = int(value, 0)
        elif key == "src":
            batch["src"] = value
        elif key == "flows":
            batch["flows"] = int(value)
        elif key == "tcp":
            batch["proto"] = IPPROTO_TCP
        else:
            sys.exit("bad option '%s' in '%s'" % (opt, spec))
    return batch


def frames(batch, own_mac):
    src = mac_bytes(batch["src"]) if batch["src"] else own_mac
    eth = mac_bytes(batch["dst"]) + src
    if batch["vlan"] is not None:
        eth += struct.pack("!HH", ETH_P_8021Q, batch["vlan"])
    if not batch["flows"]:
        frame = eth + struct.pack("!H", ETH_P_EXPERIMENTAL)
        frame += bytes(max(0, 64 - len(frame)))
        return [frame] * batch["count"]
    eth += struct.pack("!H", ETH_P_IP)
    return [eth + ipv4_packet(flow, batch["proto"])
            for flow in range(batch["flows"])
            for _ in range(batch["count"])]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((sys.argv[1], 0))
    own_mac = s.getsockname()[4]
    for spec in sys.argv[2:]:
        for frame in frames(parse_batch(spec), own_mac):
            s.send(frame)


if __name__ == "__main__":
    main()
