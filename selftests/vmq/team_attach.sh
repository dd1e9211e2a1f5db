#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# team attach / detach / show, and every way attaching can be refused.

. "$VMQ_TOP/selftests/lib/vmq.sh"

setup() {
	vmq_load
	defer vmq_unload
}

test_attach_then_detach() {
	setup
	make_bond bond0 mode balance-xor xmit_hash_policy vlan+srcmac
	vmqctl team attach bond0
	defer vmqctl team detach bond0

	check_eq "$(team_count)" 1 "teams after attach"
	check_eq "$(team_json bond0 | jq -r .ifname)" bond0 "team name"
	check_eq "$(team_json bond0 | jq -r '[.members[].ifname] | join(" ")')" \
		"igb0 igb1" "members"
	# vmq hooks the members' ingress: the bond's rx_handler slot stays
	# free for a bridge, macvlan or OVS.
	rx_handler_free bond0 || fail "bond0's rx_handler is held while attached"

	vmqctl team detach bond0
	check_eq "$(team_count)" 0 "teams after detach"
	rx_handler_free bond0 || fail "bond0's rx_handler still held after detach"
}

test_mode_auto_sum_for_xor_vlan_srcmac() {
	setup
	make_bond bond0 mode balance-xor xmit_hash_policy vlan+srcmac
	vmqctl team attach bond0 mode auto
	defer vmqctl team detach bond0
	check_eq "$(team_json bond0 | jq -r .mode)" auto "requested mode"
	check_eq "$(team_json bond0 | jq -r .queue_mode)" sum "queue mode"
	check_eq "$(team_json bond0 | jq -r .mode_reason)" \
		"balance-xor + vlan+srcmac: sum-queue (switch: no trunk)" "reason"
}

test_mode_auto_min_for_active_backup() {
	setup
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	check_eq "$(team_json bond0 | jq -r .queue_mode)" min "queue mode"
	check_eq "$(team_json bond0 | jq -r .mode_reason)" \
		"active-backup: min-queue" "reason"
}

test_mode_follows_bond_options() {
	setup
	make_bond bond0 mode balance-xor xmit_hash_policy layer3+4
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	check_eq "$(team_json bond0 | jq -r .queue_mode)" min "layer3+4"
	ip link set bond0 type bond xmit_hash_policy vlan+srcmac
	check_eq "$(team_json bond0 | jq -r .queue_mode)" sum "vlan+srcmac"
}

test_mode_forced() {
	setup
	make_bond bond0 mode active-backup
	vmqctl team attach bond0 mode sum
	defer vmqctl team detach bond0
	check_eq "$(team_json bond0 | jq -r .mode)" sum "requested mode"
	check_eq "$(team_json bond0 | jq -r .queue_mode)" sum "queue mode"
	check_eq "$(team_json bond0 | jq -r .mode_reason)" \
		"sum-queue forced (bond is active-backup)" "reason"
}

team_state_is() {
	[ "$(team_json bond0 | jq -r .state)" = "$1" ]
}

# Sum-Queue needs the one member a MAC comes in on: balance-rr rotates,
# alb and tlb choose by destination, 802.3ad leaves it to the switch.
test_mode_sum_refused_where_no_member_is_known() {
	local mode

	setup
	for mode in balance-rr balance-alb 802.3ad; do
		ip link add bond0 type bond mode $mode
		expect_error "mode sum needs a known member per MAC, not $mode" \
			vmqctl team attach bond0 mode sum
		check_eq "$(team_count)" 0 "teams after refusing $mode"
		ip link del bond0
	done
	# A bond's mode changes only while it has no member.
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	vmqctl team attach bond0 mode sum
	defer vmqctl team detach bond0
	# A bond that is down tells nobody of its new mode (rtnetlink
	# notifies only up devices): the repair pass sees it.
	ip link set bond0 type bond mode balance-tlb
	wait_until 10 team_state_is misconfigured
	check_contains "$(team_json bond0 | jq -r .state_reason)" \
		"not balance-tlb: use min" "why"
}

test_attach_twice_refused() {
	setup
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	expect_error "vmq is already attached to bond0" \
		vmqctl team attach bond0
	check_eq "$(team_count)" 1 "teams after a refused second attach"
}

test_attach_not_a_bond_refused() {
	setup
	ip link add vmqtdummy type dummy
	defer ip link del vmqtdummy
	expect_error "vmqtdummy is not a bond master" \
		vmqctl team attach vmqtdummy
	expect_error "igb0 is not a bond master" vmqctl team attach igb0
	check_eq "$(team_count)" 0 "teams"
}

test_attach_missing_device_refused() {
	setup
	expect_error "No device nosuchbond in this network namespace" \
		vmqctl team attach nosuchbond
	check_eq "$(team_count)" 0 "teams"
}

test_detach_not_attached_refused() {
	setup
	make_bond bond0 mode active-backup
	expect_error "vmq is not attached to bond0" vmqctl team detach bond0
	expect_error "No device nosuchbond" vmqctl team detach nosuchbond
}

# A bond that is a bridge port takes vmq, and keeps it when it stops
# being one and becomes one again.
test_bridge_port_bond_attached() {
	setup
	make_bond bond0 mode active-backup
	ip link add vmqtbr type bridge
	defer ip link del vmqtbr
	ip link set bond0 master vmqtbr
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	check_eq "$(team_count)" 1 "teams"
	ip link set bond0 nomaster
	check_eq "$(team_count)" 1 "teams once bond0 left the bridge"
	ip link set bond0 master vmqtbr
	check_eq "$(team_json bond0 | jq -r .ifname)" bond0 "team in the bridge again"
	vmqctl team detach bond0
	check_eq "$(ip -j link show bond0 | jq -r '.[0].master')" vmqtbr \
		"bond0 still the bridge's port after detach"
}

# Bonding takes a bond as a port, and so does team: then the outer master
# chooses which port transmits a MAC and manages the inner bond's MAC
# address and filters, and vmq refuses the inner bond, changing nothing.
test_attach_nested_bond_refused() {
	local outer

	setup
	make_bond bond0 mode balance-xor xmit_hash_policy vlan+srcmac
	ip link add vmqtbond type bond mode active-backup
	defer ip link del vmqtbond
	ip link add vmqtteam type team
	defer ip link del vmqtteam
	ip link set bond0 down
	for outer in vmqtbond vmqtteam; do
		ip link set bond0 master $outer
		expect_error "bond0 is a port of $outer: vmq cannot work on a nested bond" \
			vmqctl team attach bond0
		check_eq "$(team_count)" 0 "teams after refusing bond0 in $outer"
		check_eq "$(ip -j link show bond0 | jq -r '.[0].master')" $outer \
			"bond0 still $outer's port"
		ip link set bond0 nomaster
	done
}

nested_vm_is() {
	[ "$(vm "$1" state)" = "$2" ]
}

# A bond made a port of a bond or team after attach keeps vmq, shown
# misconfigured with the reason and steering no VM (not even in
# software) until it is released; then it is as before.
test_bond_nested_after_attach_misconfigured() {
	local outer vm=52:54:00:00:09:01

	setup
	make_bond bond0 mode balance-xor xmit_hash_policy vlan+srcmac
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl team set bond0 steering sw
	vmqctl vm add bond0 $vm
	wait_until 10 nested_vm_is $vm sw
	ip link add vmqtbond type bond mode active-backup
	defer ip link del vmqtbond
	ip link add vmqtteam type team
	defer ip link del vmqtteam
	for outer in vmqtbond vmqtteam; do
		ip link set bond0 down
		ip link set bond0 master $outer
		check_eq "$(team_count)" 1 "teams with bond0 in $outer"
		check_eq "$(team_json bond0 | jq -r .state)" misconfigured \
			"state in $outer"
		check_eq "$(team_json bond0 | jq -r .state_reason)" \
			"bond0 is a port of $outer: vmq cannot work on a nested bond; release it" \
			"reason in $outer"
		check_contains "$(team_json bond0 | jq -r .hook)" \
			"rx_handler is $outer's" "hook in $outer"
		check_eq "$(vm $vm state)" misconfigured "VM in $outer"
		check_eq "$(vm $vm state_reason)" \
			"the team's bond is a port of another" "VM's reason in $outer"
		ip link set bond0 nomaster
		check_eq "$(team_json bond0 | jq -r .state)" ok \
			"state out of $outer"
		wait_until 10 nested_vm_is $vm sw
	done
	test_dmesg | grep -q "bond0: vmq: misconfigured: bond0 is a port of vmqtteam" ||
		fail "no misconfigured line in the kernel log"
	test_dmesg | grep -q "bond0: vmq: no longer a port of another bond or team" ||
		fail "no fixed line in the kernel log"
}

# What takes the bond's rx_handler, or stacks on it without being its
# master, is no aggregation: macvlan on the bond, a VLAN of the bond
# bridged, take vmq.  (A bond bridged: test_bridge_port_bond_attached.)
test_macvlan_and_bridged_vlan_bond_attached() {
	setup
	make_bond bond0 mode active-backup
	ip link add link bond0 name vmqtmv type macvlan mode bridge
	defer ip link del vmqtmv
	ip link add link bond0 name bond0.10 type vlan id 10
	defer ip link del bond0.10
	ip link add vmqtbr type bridge
	defer ip link del vmqtbr
	ip link set bond0.10 master vmqtbr
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	check_eq "$(team_json bond0 | jq -r .state)" ok "state"
	check_contains "$(team_json bond0 | jq -r .hook)" \
		"rx_handler is taken" "hook with a macvlan"
	ip link del vmqtmv
	ip link add link bond0 name vmqtmv type macvlan mode bridge
	check_eq "$(team_json bond0 | jq -r .state)" ok "state with a new macvlan"
	check_eq "$(team_count)" 1 "teams"
}

test_show_missing_team_refused() {
	setup
	make_bond bond0 mode active-backup
	expect_error "vmq is not attached to bond0" vmqctl team show bond0
}

ktap_run \
	test_attach_then_detach \
	test_mode_auto_sum_for_xor_vlan_srcmac \
	test_mode_auto_min_for_active_backup \
	test_mode_follows_bond_options \
	test_mode_forced \
	test_mode_sum_refused_where_no_member_is_known \
	test_attach_twice_refused \
	test_attach_not_a_bond_refused \
	test_attach_missing_device_refused \
	test_detach_not_attached_refused \
	test_bridge_port_bond_attached \
	test_attach_nested_bond_refused \
	test_bond_nested_after_attach_misconfigured \
	test_macvlan_and_bridged_vlan_bond_attached \
	test_show_missing_team_refused
