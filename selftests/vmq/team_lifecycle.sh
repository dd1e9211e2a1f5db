#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A team's life beyond vmqctl: its bond deleted, its namespace deleted,
# the module unloaded under it, and namespaces kept apart.

. "$VMQ_TOP/selftests/lib/vmq.sh"

setup() {
	vmq_load
	defer vmq_unload
}

test_bond_deleted_while_attached() {
	setup
	ip link add bond0 type bond mode active-backup
	enslave bond0 igb0 igb1
	vmqctl team attach bond0
	ip link del bond0
	check_eq "$(team_count)" 0 "teams after the bond was deleted"
	# The same name can be attached again: nothing stale is left.
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	vmqctl team detach bond0
}

test_rmmod_while_attached() {
	setup
	make_bond bond0 mode active-backup
	make_bond_pair_extra
	vmqctl team attach bond0
	vmqctl team attach bond1
	rmmod vmq
	rx_handler_free bond0 || fail "bond0's rx_handler held after rmmod"
	rx_handler_free bond1 || fail "bond1's rx_handler held after rmmod"
	# And it comes back cleanly.
	vmq_load
	check_eq "$(team_count)" 0 "teams after reload"
}

# A second, memberless bond: vmq attaches to a bond, not to its members.
make_bond_pair_extra() {
	ip link add bond1 type bond mode balance-xor \
		xmit_hash_policy vlan+srcmac
	defer ip link del bond1
}

test_namespaces_do_not_see_each_other() {
	setup
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0

	ip netns add vmqt_other
	defer ip netns del vmqt_other
	ip -n vmqt_other link add bond0 type bond mode active-backup

	check_eq "$(ip netns exec vmqt_other vmqctl -j team show)" "[]" \
		"teams seen from the other namespace"
	expect_error "vmq is not attached to bond0" \
		ip netns exec vmqt_other vmqctl team detach bond0
	# The other namespace's bond0 is a different device.
	ip netns exec vmqt_other vmqctl team attach bond0 mode sum
	check_eq "$(ip netns exec vmqt_other vmqctl -j team show | jq -r '.[0].mode')" \
		sum "the other namespace's team"
	check_eq "$(team_json bond0 | jq -r .mode)" auto "this namespace's team"
	check_eq "$(team_count)" 1 "teams in this namespace"
}

# The monitor group tells each namespace of its own teams only
# (genlmsg_multicast_netns()): a listener in another namespace hears its
# own team's events and none of this one's.
test_monitor_stays_in_its_namespace() {
	local out mac=02:00:00:00:4e:01

	setup
	make_bond bond0 mode active-backup
	ip netns add vmqt_other
	defer ip netns del vmqt_other
	ip -n vmqt_other link add bond7 type bond mode active-backup
	out=$(mktemp)
	defer rm -f "$out"
	ip netns exec vmqt_other vmqctl -j monitor > "$out" &
	defer kill $!
	# Listening once it hears its own namespace's attach.
	monitor_hears_attach "$out" bond7 ip netns exec vmqt_other
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl vm add bond0 $mac
	# Told in order: once the next event of its own is in, any of this
	# namespace's would be too.
	ip netns exec vmqt_other vmqctl team detach bond7
	wait_until 20 grep -q team-detached "$out"
	! grep -q -e bond0 -e $mac "$out" ||
		fail "the other namespace heard this one's events: $(cat "$out")"
}

test_namespace_deleted_with_team() {
	setup
	ip netns add vmqt_gone
	defer ip netns del vmqt_gone
	ip -n vmqt_gone link add bond0 type bond mode active-backup
	ip netns exec vmqt_gone vmqctl team attach bond0
	ip netns del vmqt_gone
	# Namespace teardown is asynchronous; the module must still unload.
	wait_until 30 rmmod vmq
}

# Bonding marks its devices netns-local, so a bond cannot leave its
# namespace: the move is refused, and the team stays as it was.  (Were
# it possible, the move would unregister the bond from this namespace,
# which the notifier handles as a deletion.)
test_bond_cannot_leave_its_namespace() {
	setup
	ip link add vmqtbond type bond mode active-backup
	defer ip link del vmqtbond
	vmqctl team attach vmqtbond
	defer vmqctl team detach vmqtbond
	ip netns add vmqt_dest
	defer ip netns del vmqt_dest
	! ip link set vmqtbond netns vmqt_dest 2>/dev/null ||
		fail "the bond moved to another namespace"
	check_eq "$(team_count)" 1 "teams after the refused move"
	check_eq "$(ip netns exec vmqt_dest vmqctl -j team show)" "[]" \
		"teams in the destination"
}

# A team holds 4096 VMs; the next is refused for that reason, not for
# want of memory.  A memberless bond: nothing to program, only ids.
test_vm_ids_run_out() {
	local batch=/tmp/vmqt_batch.$$ i

	setup
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	vmqctl team attach bond0
	defer rm -f "$batch"
	for ((i = 0; i < 4096; i++)); do
		printf 'vm add bond0 02:00:00:01:%02x:%02x\n' $((i >> 8)) $((i & 255))
	done > "$batch"
	vmqctl -b "$batch"
	check_eq "$(vmqctl -j vm show bond0 | jq length)" 4096 "VMs"
	expect_error "bond0 has 4096 VMs, the most a team holds (No space left on device)" \
		vmqctl vm add bond0 02:00:00:02:00:00
}

pass_took_rtnl() {
	grep -q 'rtnl_lock <-vmq_reconcile_work' "$TRACE/trace"
}

# With no team and nothing owed, the repair pass takes no RTNL, which
# every other configuration change on the host would wait on.  With a
# team it does: the control that the trace shows it when it happens.
test_no_rtnl_without_a_team() {
	insmod "$VMQ_KO" reconcile_ms=50
	defer vmq_unload
	trace_setup vmq_reconcile_work rtnl_lock
	echo 1 > "$TRACE/tracing_on"
	wait_until 20 reconcile_ran_at_least 5
	! pass_took_rtnl || fail "the pass took RTNL with no team"
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	wait_until 20 pass_took_rtnl
}

ktap_run \
	test_bond_deleted_while_attached \
	test_vm_ids_run_out \
	test_rmmod_while_attached \
	test_namespaces_do_not_see_each_other \
	test_monitor_stays_in_its_namespace \
	test_namespace_deleted_with_team \
	test_bond_cannot_leave_its_namespace \
	test_no_rtnl_without_a_team
