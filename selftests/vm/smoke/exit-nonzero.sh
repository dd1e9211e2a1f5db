#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the VM rig: every TAP line says ok but the script exits
# non-zero, so the rig must count it as a failure and the run must fail.
set -euo pipefail

echo "TAP version 13"
echo "1..1"
echo "ok 1 this line looks fine"
echo "# ... but the script then fails" >&2
exit 3
