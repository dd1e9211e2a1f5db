#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Which NAPI serves an RX queue, and which IRQ drives it (netdev-genl).

usage: queue_napi.py DEV QUEUE

Prints "NAPI_ID IRQ" from netdev-genl's queue-get and napi-get (6.8+),
IRQ -1 if the NAPI has none.  Exits 4 (kselftest's skip) when the kernel
has no such query, 1 on other errors.
"""
import errno
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLMSG_ERROR = 2
NLM_F_REQUEST = 1
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
# include/uapi/linux/netdev.h
NETDEV_CMD_QUEUE_GET = 10
NETDEV_CMD_NAPI_GET = 11
NETDEV_A_QUEUE_ID = 1
NETDEV_A_QUEUE_IFINDEX = 2
NETDEV_A_QUEUE_TYPE = 3
NETDEV_A_QUEUE_NAPI_ID = 4
NETDEV_A_NAPI_ID = 2
NETDEV_A_NAPI_IRQ = 3
NETDEV_QUEUE_TYPE_RX = 0
KSFT_SKIP = 4


def nla(kind, payload):
    length = 4 + len(payload)
    return struct.pack("HH", length, kind) + payload + bytes(-length % 4)


def nla_u32(kind, value):
    return nla(kind, struct.pack("I", value))


def parse_attrs(data):
    attrs = {}
    while len(data) >= 4:
        length, kind = struct.unpack("HH", data[:4])
        attrs[kind & 0x3FFF] = data[4:length]
        data = data[(length + 3) & ~3:]
    return attrs


def request(sock, family, cmd, attrs):
    """One genetlink request; its reply's attributes, or OSError."""
    payload = struct.pack("BBH", cmd, 1, 0) + b"".join(attrs)
    sock.send(struct.pack("IHHII", 16 + len(payload), family, NLM_F_REQUEST,
                          1, 0) + payload)
    reply = sock.recv(65536)
    _, kind = struct.unpack("IH", reply[:6])
    if kind == NLMSG_ERROR:
        err = struct.unpack("i", reply[16:20])[0]
        raise OSError(-err, "genetlink command %d: %s" % (cmd, errno.errorcode.get(-err, err)))
    return parse_attrs(reply[20:])


def u32(attrs, kind, default=None):
    if kind not in attrs:
        return default
    return struct.unpack("i", attrs[kind][:4])[0]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ifindex = socket.if_nametoindex(sys.argv[1])
    queue = int(sys.argv[2])
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    try:
        family = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                         [nla(CTRL_ATTR_FAMILY_NAME, b"netdev\0")])
        family_id = struct.unpack("H", family[CTRL_ATTR_FAMILY_ID][:2])[0]
        q = request(sock, family_id, NETDEV_CMD_QUEUE_GET,
                    [nla_u32(NETDEV_A_QUEUE_IFINDEX, ifindex),
                     nla_u32(NETDEV_A_QUEUE_TYPE, NETDEV_QUEUE_TYPE_RX),
                     nla_u32(NETDEV_A_QUEUE_ID, queue)])
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.EOPNOTSUPP, errno.EINVAL):
            print("no netdev-genl queue-get here: %s" % e, file=sys.stderr)
            sys.exit(KSFT_SKIP)
        raise
    napi_id = u32(q, NETDEV_A_QUEUE_NAPI_ID)
    if napi_id is None:
        sys.exit("queue %d of %s has no NAPI" % (queue, sys.argv[1]))
    napi = request(sock, family_id, NETDEV_CMD_NAPI_GET,
                   [nla_u32(NETDEV_A_NAPI_ID, napi_id)])
    print(napi_id, u32(napi, NETDEV_A_NAPI_IRQ, -1))


if __name__ == "__main__":
    main()
