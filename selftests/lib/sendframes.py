#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send Ethernet frames from an interface, for vmq's selftests.

usage: sendframes.py DEV DST_MAC COUNT [--vlan ID [--tpid TPID]] [--src MAC] [--len N]
                     [--ip ADDR]
       sendframes.py DEV --serve

Frames carry the IEEE local experimental ethertype 0x88b5, so nothing on
the receiving host answers them; with --ip, they are IPv4/UDP datagrams
to ADDR, port 9, from 192.0.2.1 (for receivers that look at L3, such as
ipvlan).  Prints nothing; exits non-zero on error.

--serve: one process for many batches (Python starts slowly under TCG).
Each line on stdin is "DST_MAC COUNT [options]" as above; "sent" is
printed once that batch is out.  Ends at end of input.
"""
import argparse
import socket
import struct
import sys

ETH_P_EXPERIMENTAL = 0x88B5
ETH_P_IP = 0x0800
ETH_P_8021Q = 0x8100
IPPROTO_UDP = 17


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def checksum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_packet(dst, length):
    payload = bytes(max(0, length - 20 - 8))
    udp = struct.pack("!HHHH", 9, 9, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                      IPPROTO_UDP, 0, socket.inet_aton("192.0.2.1"),
                      socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:] + udp


def batch_parser():
    ap = argparse.ArgumentParser()
    ap.add_argument("dst")
    ap.add_argument("count", type=int)
    ap.add_argument("--vlan", type=int)
    ap.add_argument("--tpid", type=lambda s: int(s, 0), default=ETH_P_8021Q,
                    help="the tag's TPID (0x88a8: an 802.1ad service tag)")
    ap.add_argument("--src")
    ap.add_argument("--len", type=int, default=64)
    ap.add_argument("--ip", help="an IPv4/UDP datagram to this address")
    return ap


def send(s, args):
    src = mac_bytes(args.src) if args.src else s.getsockname()[4]
    hdr = mac_bytes(args.dst) + src
    if args.vlan is not None:
        hdr += struct.pack("!HH", args.tpid, args.vlan)
    if args.ip:
        hdr += struct.pack("!H", ETH_P_IP)
        frame = hdr + udp_packet(args.ip, args.len - len(hdr))
    else:
        hdr += struct.pack("!H", ETH_P_EXPERIMENTAL)
        frame = hdr + bytes(max(0, args.len - len(hdr)))
    for _ in range(args.count):
        s.send(frame)


def main():
    ap = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    ap.add_argument("dev")
    ap.add_argument("--serve", action="store_true")
    args, rest = ap.parse_known_args()

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args.dev, 0))
    if not args.serve:
        send(s, batch_parser().parse_args(rest))
        return
    batch = batch_parser()
    for line in sys.stdin:
        send(s, batch.parse_args(line.split()))
        print("sent", flush=True)


if __name__ == "__main__":
    main()
