#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults while frames flow: a Sum team on two nicsim NICs, eight VMs, and
# pktgen streaming at them from both link partners through each NIC's
# receive path.  Each test does one thing to the NIC, the bond or the
# host under that traffic: a member pulled out, the bond deleted, a cable
# pulled, a driver reset, a channel change, ntuple turned off, a rule
# deleted by hand, rule inserts failing, a CPU taken offline, the modules
# unloaded in each order.  After it, what vmq reports must be what the
# NIC's rule table and /proc/irq say (team_truthful), the reconciler must
# have repaired what it should, and what vmq let go of must be as it was
# before vmq came.  Each test reports the frames sent and received while
# it ran, and every one of them must have been received or lost where
# nicsim counts it (no link, a receiver stopped); the rig fails the run
# on any kernel warning.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/nicsim_team.sh"
. "$VMQ_TOP/selftests/lib/pktgen.sh"

NVMS=8
RATE=500
# The debug kernel, under TCG, checks every frame (KASAN, lockdep): at
# 500 a second from each stream it did little else, and one fault test
# took eight minutes.  The accounting holds at any rate.
[ "${VMQ_TIME_SCALE:-1}" -eq 1 ] || RATE=50

fvm_mac() {
	printf '02:00:00:02:00:%02x' "$1"
}

# What a member was before vmq touched it: its RSS table and its IRQs'
# affinities, in $STATE/<dev>.{rss,aff}.
record_member() {
	ethtool -x "$1" > "$STATE/$1.rss"
	affinities "$1" > "$STATE/$1.aff"
}

member_restored() {
	[ "$(rule_count "$1")" = 0 ] &&
		[ "$(ethtool -x "$1")" = "$(cat "$STATE/$1.rss")" ] &&
		[ "$(affinities "$1")" = "$(cat "$STATE/$1.aff")" ]
}

# member_as_before DEV: nothing of vmq's is left on DEV, once what vmq
# let go of was given back.
member_as_before() {
	local deadline=$((SECONDS + $(ktap_secs 20)))

	until member_restored "$1" || [ $SECONDS -ge $deadline ]; do
		sleep 0.1
	done
	check_eq "$(rule_count "$1")" 0 "$1's rules"
	check_eq "$(ethtool -x "$1")" "$(cat "$STATE/$1.rss")" "$1's RSS table"
	check_eq "$(affinities "$1")" "$(cat "$STATE/$1.aff")" "$1's IRQ affinities"
}

# fault_setup: the team with its VMs placed and truthful, the traffic
# flowing, and the frame counts it started from.
fault_setup() {
	local i

	setup
	STATE=$(mktemp -d)
	defer rm -rf "$STATE"
	ip link add bond0 type bond mode balance-xor xmit_hash_policy vlan+srcmac
	defer ip link del bond0
	no_ipv6 bond0
	enslave bond0 a0 a1
	# As a bridge port is: the members take every frame, not only those
	# their rules and unicast filters take.
	ip link set bond0 promisc on
	ip link set bond0 up
	# The IRQs are requested when the bond opens its members.
	record_member a0
	record_member a1
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	for ((i = 1; i <= NVMS; i++)); do
		vmqctl vm add bond0 "$(fvm_mac $i)"
	done
	wait_until 30 all_placed
	wait_truthful 30
	HW0=$(hw_count)
	traffic_start $RATE "$(fvm_mac 1)" $NVMS
}

hw_count() {
	vmqctl -j vm show bond0 | jq '[.[] | select(.state == "hw")] | length'
}

# recovered: as many VMs on their own queues as before the fault, each
# truthful.  (No VM on a queue at all would be truthful too.)
recovered() {
	wait_until 30 hw_at_least "$HW0"
	wait_truthful 30
}

hw_at_least() {
	[ "$(hw_count)" -ge "$1" ]
}

all_placed() {
	! vmqctl -j vm show bond0 | jq -e '.[] | select(.cpu == null)' >/dev/null
}

# a_vm_on DEV: a VM whose queue is on DEV.
a_vm_on() {
	vmqctl -j vm show bond0 |
		jq -r --arg d "$1" 'first(.[] | select(.adapter == $d and .state == "hw") | .mac) // empty'
}

refused_reasons() {
	vmqctl -j vm show bond0 |
		jq -r '.[] | select(.state == "refused") | .state_reason'
}

has_vm_on() {
	[ -n "$(a_vm_on "$1")" ]
}

test_member_removed() {
	fault_setup
	ip link set a1 nomaster
	wait_until 20 team_has_members 1
	wait_truthful 30
	member_as_before a1
	traffic_report "a member removed from the bond"
}

test_bond_deleted() {
	# Deleting the bond closes its members: no link is left.
	local TRAFFIC_LINKS_GONE=1

	fault_setup
	ip link del bond0
	wait_until 20 team_count_is 0
	member_as_before a0
	member_as_before a1
	traffic_report "the bond deleted"
}

test_carrier_down_and_up() {
	fault_setup
	echo 0 > "$NICSIM_DBG/a0/carrier"
	wait_until 20 not carrier_up a0
	wait_truthful 30
	echo 1 > "$NICSIM_DBG/a0/carrier"
	wait_until 20 carrier_up a0
	wait_until 30 has_vm_on a0
	recovered
	traffic_report "a member's carrier down and up"
}

test_reset_losing_rules() {
	local repairs

	fault_setup
	repairs=$(team repairs)
	echo lose-rules > "$NICSIM_DBG/a0/reset"
	wait_until 30 repairs_at_least $((repairs + 1))
	wait_truthful 30
	echo keep-rules > "$NICSIM_DBG/a0/reset"
	recovered
	traffic_report "driver resets, losing and keeping the rules"
}

test_channel_change() {
	fault_setup
	ethtool -L a1 combined 6
	wait_until 30 team_queue_count_is $((8 + 6))
	recovered
	traffic_report "a member's channels 4 -> 6"
}

# An administrator's ntuple off, under vmq's rules, stays off: vmq's
# VMs on a0 leave their queues (vmq found its rules gone and the NIC
# refusing new ones) rather than vmq turning it back on.  The periodic
# pass is off: the feature change itself must make vmq look, both ways.
test_ntuple_off_and_on() {
	RECONCILE_MS=0 fault_setup
	ethtool -K a0 ntuple off
	wait_until 30 not has_vm_on a0
	wait_truthful 30
	check_eq "$(ntuple_of a0)" off "a0's ntuple, after vmq tried again"
	check_contains "$(refused_reasons)" "ntuple is off on a0" \
		"a refused VM's reason"
	test_dmesg | grep -q "a0: vmq: ntuple was turned off; vmq leaves it off" ||
		fail "vmq did not say it leaves ntuple off"
	ethtool -K a0 ntuple on
	wait_until 30 has_vm_on a0
	recovered
	traffic_report "ntuple off and on by hand"
}

test_rule_deleted_by_hand() {
	local mac loc repairs

	fault_setup
	mac=$(a_vm_on a0)
	[ -n "$mac" ] || fail "no VM on a0"
	loc=$(awk -v m="$mac" '$2 == m {print $1}' "$NICSIM_DBG/a0/rules")
	repairs=$(team repairs)
	ethtool -N a0 delete "$loc"
	wait_until 30 repairs_at_least $((repairs + 1))
	recovered
	traffic_report "a rule deleted by hand"
}

fail_insert_left() {
	[ "$(cut -d' ' -f1 "$NICSIM_DBG/a0/fail_insert")" = "$1" ]
}

# Every insert fails while the rules are put back after a reset: the VMs
# are refused, then taken again once the NIC takes rules again.
test_rule_inserts_failing() {
	local n

	fault_setup
	n=$(rule_count a0)
	[ "$n" -gt 0 ] || fail "a0 has no rule"
	echo "$n 5" > "$NICSIM_DBG/a0/fail_insert"
	defer eval "echo '0 0' > $NICSIM_DBG/a0/fail_insert"
	echo lose-rules > "$NICSIM_DBG/a0/reset"
	wait_until 30 fail_insert_left 0
	wait_until 30 has_vm_on a0
	recovered
	check_eq "$(rule_count a0)" "$n" "a0's rules, once inserts work again"
	traffic_report "$n rule inserts failing with EIO (5)"
}

test_cpu_offline() {
	local mac cpu

	fault_setup
	mac=$(vmqctl -j vm show bond0 | jq -r 'first(.[] | select(.state == "hw" and .cpu > 0) | .mac) // empty')
	[ -n "$mac" ] || fail "no VM on a CPU but 0"
	cpu=$(vm "$mac" cpu)
	defer eval "echo 1 > /sys/devices/system/cpu/cpu$cpu/online"
	echo 0 > "/sys/devices/system/cpu/cpu$cpu/online"
	wait_until 30 vm_not_on_cpu "$mac" "$cpu"
	wait_truthful 30
	echo 1 > "/sys/devices/system/cpu/cpu$cpu/online"
	recovered
	traffic_report "CPU $cpu offline, holding $mac's queue, and back"
}

# unload_in_order MOD...: the modules removed one after the other while
# the frames flow.  Whatever goes first, nicsim's NICs hold none of vmq's
# rules or pins once vmq or the team is gone.
unload_in_order() {
	local mod order="$*" TRAFFIC_LINKS_GONE=1

	fault_setup
	for mod in "$@"; do
		case $mod in
		vmq)
			rmmod vmq
			[ ! -d "$NICSIM_DBG/a0" ] || { member_as_before a0; member_as_before a1; } ;;
		nicsim)
			traffic_stop
			rmmod nicsim
			! vmq_loaded ||
				wait_until 20 team_has_members_or_gone 0 ;;
		bonding)
			rmmod bonding
			! vmq_loaded || wait_until 20 team_count_is 0
			[ ! -d "$NICSIM_DBG/a0" ] || { member_as_before a0; member_as_before a1; } ;;
		esac
	done
	traffic_report "rmmod $order"
}

team_has_members_or_gone() {
	[ "$(team_count)" = 0 ] || team_has_members "$1"
}

test_rmmod_vmq_nicsim_bonding() { unload_in_order vmq nicsim bonding; }
test_rmmod_vmq_bonding_nicsim() { unload_in_order vmq bonding nicsim; }
test_rmmod_nicsim_vmq_bonding() { unload_in_order nicsim vmq bonding; }
test_rmmod_nicsim_bonding_vmq() { unload_in_order nicsim bonding vmq; }
test_rmmod_bonding_vmq_nicsim() { unload_in_order bonding vmq nicsim; }
test_rmmod_bonding_nicsim_vmq() { unload_in_order bonding nicsim vmq; }

# Every order of the three rmmods runs on the debug kernel.  Debian's
# two kernels share them out, three each, one for each module that goes
# first, so that make check takes every order once and each kernel sees
# each module go first; six on each kernel took a minute and a half of
# make check's time.  What the split leaves to one kernel: the order of
# the last two (after vmq, nothing of vmq's runs; after nicsim, a team
# without members is undone by vmq's unload on one kernel and by the
# bond's unregistering on the other; after bonding, vmq's unload with no
# team left against nicsim's NICs going while vmq is loaded).
case ${VMQ_KVER:-} in
6.1)	orders=(vmq_nicsim_bonding nicsim_bonding_vmq bonding_vmq_nicsim) ;;
6.12)	orders=(vmq_bonding_nicsim nicsim_vmq_bonding bonding_nicsim_vmq) ;;
*)	orders=(vmq_nicsim_bonding vmq_bonding_nicsim nicsim_vmq_bonding
		nicsim_bonding_vmq bonding_vmq_nicsim bonding_nicsim_vmq) ;;
esac
[ ${#orders[@]} -eq 6 ] ||
	diag "rmmod orders on $VMQ_KVER: ${orders[*]} (the other three on the other kernel, all six on 6.12-debug)"

ktap_run \
	test_member_removed \
	test_bond_deleted \
	test_carrier_down_and_up \
	test_reset_losing_rules \
	test_channel_change \
	test_ntuple_off_and_on \
	test_rule_deleted_by_hand \
	test_rule_inserts_failing \
	test_cpu_offline \
	"${orders[@]/#/test_rmmod_}"
