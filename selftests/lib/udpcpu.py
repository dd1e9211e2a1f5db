#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where datagrams were processed, as the receiving socket says, for
vmq's selftests: a check that does not trust vmq's own counters.

usage: udpcpu.py recv PORT PEER COUNT TIMEOUT   (prints one JSON object)
       udpcpu.py send ADDR PORT COUNT

The sender numbers its datagrams and sends them from PORT + 1.  The
receiver is connected to PEER:PORT+1 (the kernel records the CPU only
for a connected UDP socket: __udp_queue_rcv_skb()) and reads
SO_INCOMING_CPU after each datagram: the CPU the kernel last queued one
to the socket on, in softirq (sk_incoming_cpu_update()).  It prints
{"received": N, "cpus": {"CPU": n, ...}, "in_order": bool, "lost": n}.
"""
import json
import socket
import struct
import sys
import time

SO_INCOMING_CPU = getattr(socket, "SO_INCOMING_CPU", 49)


def recv(port, peer, count, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("0.0.0.0", port))
    s.connect((peer, port + 1))
    # Ready: the caller waits for this line before sending.
    print("ready", flush=True)
    cpus, seen, last, in_order = {}, set(), -1, True
    deadline = time.monotonic() + timeout
    while len(seen) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data = s.recv(64)
        except socket.timeout:
            break
        cpu = s.getsockopt(socket.SOL_SOCKET, SO_INCOMING_CPU)
        (seq,) = struct.unpack("!I", data[:4])
        if seq <= last:
            in_order = False
        last = seq
        seen.add(seq)
        cpus[str(cpu)] = cpus.get(str(cpu), 0) + 1
    print(json.dumps({"received": len(seen), "cpus": cpus,
                      "in_order": in_order, "lost": count - len(seen)}),
          flush=True)


def send(addr, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port + 1))
    for seq in range(count):
        s.sendto(struct.pack("!I", seq) + bytes(60), (addr, port))
        # Paced, so the test measures steering, not a full socket buffer.
        if seq % 32 == 31:
            time.sleep(0.001)


def main():
    if sys.argv[1] == "recv":
        recv(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]),
             float(sys.argv[5]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))


if __name__ == "__main__":
    main()
