#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: a newcomer's first look.  Runs in the test VM: builds a bond
# of the two igb NICs the way a Hyper-V Port team would be set up
# (balance-xor hashing on vlan+srcmac), attaches vmq and shows the team.
set -euo pipefail

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

run insmod "$VMQ_KO"
run ip link add bond0 type bond mode balance-xor xmit_hash_policy vlan+srcmac
for nic in igb0 igb1; do
	ip link set "$nic" down
	run ip link set "$nic" master bond0
done
run ip link set bond0 up
run ethtool -l igb0
run vmqctl team attach bond0
run vmqctl team show
run vmqctl -j -p team show
say "# hashing on layer3+4 can spread a VM's frames over both NICs: min-queue"
run ip link set bond0 type bond xmit_hash_policy layer3+4
run vmqctl team show bond0
run vmqctl team detach bond0
run rmmod vmq
