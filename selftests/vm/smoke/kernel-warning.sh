#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the VM rig: passes, but puts a WARN-style line in the kernel
# log (through /dev/kmsg: harmless, unlike provoking a real WARN, and it
# travels the same way: kernel log -> console/dmesg -> the host's scanner).
# The run must fail and print that line.
set -euo pipefail

echo "TAP version 13"
echo "1..1"
echo "<4>WARNING: CPU: 0 PID: $$ at selftests/vm/smoke/kernel-warning.sh: deliberate, to test the rig" > /dev/kmsg
echo "ok 1 wrote a warning to the kernel log"
