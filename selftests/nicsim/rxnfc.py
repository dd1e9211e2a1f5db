#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print what a NIC's rule table queries answer, for nicsim's tests.

usage: rxnfc.py DEV

Prints "cnt DATA special S count N all DATA": ETHTOOL_GRXCLSRLCNT's data
(less RX_CLS_LOC_SPECIAL), whether that bit was set, its rule_cnt, and
ETHTOOL_GRXCLSRLALL's data.  ethtool(8) shows neither data field.
"""
import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
ETHTOOL_GRXCLSRLCNT = 0x2E
ETHTOOL_GRXCLSRLALL = 0x30
RX_CLS_LOC_SPECIAL = 0x80000000
# struct ethtool_rxnfc: cmd, flow_type, data, fs (168 bytes), rule_cnt,
# padding to its size of 192; rule_locs[] start at 188.
RXNFC = struct.Struct("=IIQ168sI4x")


def rxnfc(sock, dev, cmd, rule_cnt=0):
    """One SIOCETHTOOL rxnfc request; the reply's fields."""
    size = RXNFC.size + 4 * rule_cnt
    buf = ctypes.create_string_buffer(RXNFC.pack(cmd, 0, 0, bytes(168),
                                                 rule_cnt), size)
    ifreq = struct.pack("16sP", dev.encode(), ctypes.addressof(buf))
    fcntl.ioctl(sock, SIOCETHTOOL, ifreq)
    return RXNFC.unpack_from(buf.raw)


def main():
    dev = sys.argv[1]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    _, _, cnt_data, _, count = rxnfc(sock, dev, ETHTOOL_GRXCLSRLCNT)
    _, _, all_data, _, _ = rxnfc(sock, dev, ETHTOOL_GRXCLSRLALL, count)
    special = 1 if cnt_data & RX_CLS_LOC_SPECIAL else 0
    print("cnt %d special %d count %d all %d" %
          (cnt_data & ~RX_CLS_LOC_SPECIAL, special, count, all_data))


if __name__ == "__main__":
    main()
