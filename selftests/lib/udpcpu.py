#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where datagrams were processed, as the receiving socket says, for
vmq's selftests: a check that does not trust vmq's own counters.

usage: udpcpu.py recv PORT PEER COUNT|@FILE TIMEOUT [NETNS...]
       udpcpu.py send PORT COUNT PPS ADDR...

The sender numbers its datagrams per address and sends them from
PORT + 1, one to each ADDR in turn, PPS rounds a second (0: as fast as
it can, pausing 1 ms every 32 rounds).  COUNT 0: until SIGTERM, so a
stream outlasts a change that takes as long as it takes; it prints
"sending" once SIGTERM would stop it cleanly.  It prints
{"sent": N, "seconds": S}: N datagrams to each address, over S seconds.

The receiver opens one socket in each NETNS (named as `ip netns` names
them; none: its own namespace), connected to PEER:PORT+1: the kernel
records the CPU only for a connected UDP socket (__udp_queue_rcv_skb()).
After each datagram it reads SO_INCOMING_CPU: the CPU the kernel last
queued one to the socket on, in softirq (sk_incoming_cpu_update()).
It stops once each socket has COUNT (@FILE: the number in FILE, once
a stream's sender has ended and the caller has written it there; from
then on it waits 15 s at most), or TIMEOUT seconds after it started, and prints per socket, one JSON object per line in NETNS order,
{"netns": NS, "received": N, "cpus": {"CPU": n, ...}, "in_order": bool,
 "reordered": n, "duplicates": n, "lost": n}; "reordered" counts
datagrams that came after one numbered higher, "duplicates" those that
came twice.  One process for every namespace: Python
starts slowly under TCG.
"""
import ctypes
import json
import os
import select
import signal
import socket
import struct
import sys
import time

SO_INCOMING_CPU = getattr(socket, "SO_INCOMING_CPU", 49)
CLONE_NEWNET = 0x40000000
# Seconds a receiver waits once a stream's count is known.
SETTLE = 15

libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def socket_in(netns, port, peer):
    """A connected UDP socket in @netns (None: this namespace)."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY) if netns else None
    try:
        if netns:
            fd = os.open("/run/netns/" + netns, os.O_RDONLY)
            try:
                setns(fd)
            finally:
                os.close(fd)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    finally:
        if home is not None:
            setns(home)
            os.close(home)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("0.0.0.0", port))
    s.connect((peer, port + 1))
    s.setblocking(False)
    return s


class Receiver:
    def __init__(self, netns, sock):
        self.netns, self.sock = netns, sock
        self.cpus, self.seen = {}, set()
        self.last, self.reordered, self.duplicates = -1, 0, 0

    def take(self):
        """Read what the socket holds; False once it would block."""
        try:
            data = self.sock.recv(64)
        except BlockingIOError:
            return False
        cpu = self.sock.getsockopt(socket.SOL_SOCKET, SO_INCOMING_CPU)
        (seq,) = struct.unpack("!I", data[:4])
        if seq < self.last:
            self.reordered += 1
        self.last = max(self.last, seq)
        if seq in self.seen:
            self.duplicates += 1
        self.seen.add(seq)
        self.cpus[str(cpu)] = self.cpus.get(str(cpu), 0) + 1
        return True

    def report(self, count):
        return {"netns": self.netns, "received": len(self.seen),
                "cpus": self.cpus, "in_order": self.reordered == 0,
                "reordered": self.reordered, "duplicates": self.duplicates,
                "lost": count - len(self.seen)}


class Count:
    """How many datagrams each socket is to get: a number, or @FILE,
    unknown until the caller writes it into FILE."""

    def __init__(self, arg):
        self.path = arg[1:] if arg.startswith("@") else None
        self.value = None if self.path else int(arg)

    def known(self):
        if self.value is None:
            try:
                with open(self.path) as f:
                    self.value = int(f.read())
            except (FileNotFoundError, ValueError):
                pass
        return self.value is not None


def recv(port, peer, count, timeout, namespaces):
    rx = [Receiver(ns, socket_in(ns, port, peer))
          for ns in (namespaces or [None])]
    by_fd = {r.sock.fileno(): r for r in rx}
    poll = select.poll()
    for fd in by_fd:
        poll.register(fd, select.POLLIN)
    # Ready: the caller waits for this line before sending.
    print("ready", flush=True)
    deadline = time.monotonic() + timeout
    settled = False
    while not count.known() or any(len(r.seen) < count.value for r in rx):
        if count.known() and not settled:
            # The sender has ended: what is still to come is in flight,
            # or lost; a loss is reported, not waited out.
            settled = True
            deadline = min(deadline, time.monotonic() + SETTLE)
        left = deadline - time.monotonic()
        if left <= 0:
            break
        # A while at most: a count to come is looked for in its file.
        for fd, _ in poll.poll(min(left, 0.2) * 1000):
            while by_fd[fd].take():
                pass
    total = count.value if count.known() else 0
    for r in rx:
        print(json.dumps(r.report(total)), flush=True)


def send(port, count, pps, addrs):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    if not count:
        # Ready to be stopped: the caller waits for this line.
        print("sending", flush=True)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port + 1))
    start = time.monotonic()
    seq = 0
    while (seq < count if count else not stop):
        payload = struct.pack("!I", seq) + bytes(60)
        for addr in addrs:
            s.sendto(payload, (addr, port))
        if pps:
            # Paced by the clock, so a slow round is caught up.
            ahead = start + (seq + 1) / pps - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        elif seq % 32 == 31:
            # Paced, so the test measures steering, not a full buffer.
            time.sleep(0.001)
        seq += 1
    print(json.dumps({"sent": seq,
                      "seconds": round(time.monotonic() - start, 3)}),
          flush=True)


def main():
    if sys.argv[1] == "recv":
        recv(int(sys.argv[2]), sys.argv[3], Count(sys.argv[4]),
             float(sys.argv[5]), sys.argv[6:])
    else:
        send(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]),
             sys.argv[5:])


if __name__ == "__main__":
    main()
