#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read a macvtap's frames from its character device, as a VM's QEMU
would, for vmq's selftests.

usage: tapread.py TAPDEV MAC COUNT TIMEOUT   (prints "ready", then JSON)

Opens TAPDEV (/dev/tapN) read-write, which gives the macvtap a queue:
from then on tap_handle_frame() (drivers/net/tap.c) queues the frames
for its MAC to this reader instead of passing them to the macvtap's own
stack.  Each read() is one frame behind a virtio_net_hdr of the size
TUNGETVNETHDRSZ gives (tap_open() turns IFF_VNET_HDR on).  Counts the
frames to MAC with sendframes.py's ethertype until it has COUNT of them,
TIMEOUT seconds have passed, or SIGUSR1 came (the caller knows no more
will: it reads what is queued, then stops), and prints
{"received": N, "other": n}.
"""
import fcntl
import json
import os
import select
import signal
import struct
import sys
import time

finish = False


def on_usr1(signum, frame):
    global finish
    finish = True

TUNGETVNETHDRSZ = 0x800454D7		# _IOR('T', 215, int)
ETH_P_EXPERIMENTAL = 0x88B5


def main():
    path, mac, count, timeout = (sys.argv[1], sys.argv[2], int(sys.argv[3]),
                                 float(sys.argv[4]))
    dst = bytes(int(x, 16) for x in mac.split(":"))
    signal.signal(signal.SIGUSR1, on_usr1)
    fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
    buf = fcntl.ioctl(fd, TUNGETVNETHDRSZ, struct.pack("i", 0))
    (hdr,) = struct.unpack("i", buf)
    # Ready: the caller waits for this line before sending.
    print("ready", flush=True)
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    received = other = 0
    deadline = time.monotonic() + timeout
    while received < count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        # A signal interrupts poll(); finish then drains what is queued.
        if not poller.poll(min(left, 0.5) * 1000) and not finish:
            continue
        while received < count:
            try:
                frame = os.read(fd, 65536)[hdr:]
            except BlockingIOError:
                break
            if (frame[:6] == dst and
                    frame[12:14] == struct.pack("!H", ETH_P_EXPERIMENTAL)):
                received += 1
            else:
                other += 1
        if finish:
            break
    print(json.dumps({"received": received, "other": other}), flush=True)


if __name__ == "__main__":
    main()
