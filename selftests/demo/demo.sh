#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: a newcomer's first look, in the test VM.  Two NICs that can
# steer by MAC (nicsim, 8 and 4 queues) bonded the way a Hyper-V Port team
# would be (balance-xor hashing on vlan+srcmac: Sum-Queue); the seed's
# mistake refused in words; the planner's sets; three VMs with their own
# queues and pinned IRQs; everything undone on detach.
set -euo pipefail

say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
run() { printf '\033[1m$ %s\033[0m\n' "$*"; "$@"; }

nicsim_ko=$(dirname "$VMQ_KO")/../selftests/nicsim/nicsim.ko

say "vmq, and two simulated NICs with MAC steering, 8 and 4 queues"
run insmod "$VMQ_KO"
insmod "$nicsim_ko"
run sh -c 'echo "eth0 peer0 8" > /sys/bus/nicsim/new_pair'
run sh -c 'echo "eth1 peer1 4" > /sys/bus/nicsim/new_pair'

say "a bond like a Hyper-V Port team: each guest MAC on one NIC"
run ip link add bond0 type bond mode balance-xor xmit_hash_policy vlan+srcmac
run ip link set eth0 master bond0
run ip link set eth1 master bond0
run ip link set peer0 up
run ip link set peer1 up
run ip link set bond0 up
run vmqctl team attach bond0
run vmqctl team show

say "the seed's mistake: both NICs on the same cores, in sum-queue mode"
run vmqctl adapter set eth0 base-processor 2 max-processors 2
run vmqctl adapter set eth1 base-processor 2 || true
run vmqctl adapter set eth1 base-processor 6

say "what the planner recommends, applied"
run vmqctl team plan bond0 apply
run vmqctl adapter show

say "three VMs: each its own queue, on the NIC the bond sends its MAC through"
run vmqctl vm add bond0 52:54:00:00:00:01 name web1
run vmqctl vm add bond0 52:54:00:00:00:02 name web2
run vmqctl vm add bond0 52:54:00:00:00:03 vlan 10 name db1
# The bond takes a moment to count a member whose link just came up;
# vmq's periodic pass places VMs as soon as it does.
for _ in $(seq 100); do
	vmqctl -j vm show | jq -e 'all(.[]; .state == "hw")' >/dev/null && break
	sleep 0.1
done
run vmqctl vm show
run vmqctl queue show bond0
run ethtool -n eth0
irq=$(vmqctl -j queue show bond0 |
      jq -r '[.[] | select(.vm_mac != null)][0].irq')
run cat "/proc/irq/$irq/smp_affinity_list"

say "detach: rules gone, RSS and IRQ affinities as they were"
run vmqctl team detach bond0
run ethtool -n eth0
run rmmod vmq
ip link del bond0
rmmod nicsim
