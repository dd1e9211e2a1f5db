#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send Ethernet frames from an interface, for vmq's selftests.

usage: sendframes.py DEV DST_MAC COUNT [--vlan ID [--tpid TPID]] [--src MAC] [--len N]

Frames carry the IEEE local experimental ethertype 0x88b5, so nothing on
the receiving host answers them.  Prints nothing; exits non-zero on error.
"""
import argparse
import socket
import struct

ETH_P_EXPERIMENTAL = 0x88B5
ETH_P_8021Q = 0x8100


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dev")
    ap.add_argument("dst")
    ap.add_argument("count", type=int)
    ap.add_argument("--vlan", type=int)
    ap.add_argument("--tpid", type=lambda s: int(s, 0), default=ETH_P_8021Q,
                    help="the tag's TPID (0x88a8: an 802.1ad service tag)")
    ap.add_argument("--src")
    ap.add_argument("--len", type=int, default=64)
    args = ap.parse_args()

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args.dev, 0))
    src = mac_bytes(args.src) if args.src else s.getsockname()[4]
    hdr = mac_bytes(args.dst) + src
    if args.vlan is not None:
        hdr += struct.pack("!HH", args.tpid, args.vlan)
    hdr += struct.pack("!H", ETH_P_EXPERIMENTAL)
    frame = hdr + bytes(max(0, args.len - len(hdr)))
    for _ in range(args.count):
        s.send(frame)


if __name__ == "__main__":
    main()
