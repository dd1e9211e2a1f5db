#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# steering auto on a NIC that steers by MAC, but not for every VM: a
# bond of two nicsim NICs, attached and then made a bridge port, with
# veth VMs behind the bridge.  Each member takes one rule only, so the
# first VM gets a queue of its own (hw) and the others are refused and
# steered in software (sw).  UDP datagrams from the link partner reach
# every VM, and each VM's socket says they were processed on the CPU vm
# show gives it: the hw VM's through its queue's pinned interrupt, the sw
# VMs' through vmq's steering.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/nicsim_team.sh"
. "$VMQ_TOP/selftests/lib/swvms.sh"

# nicsim's team, one rule per member, bridged after attach; the VMs.
setup_bridged() {
	setup
	roomy_sockets
	min_bond
	echo 1 > "$NICSIM_DBG/a0/rule_capacity"
	echo 1 > "$NICSIM_DBG/a1/rule_capacity"
	ip link add br0 type bridge
	defer ip link del br0
	no_ipv6 br0
	ip link set bond0 master br0
	ip link set br0 up
	make_vms br0
	# a0, the active member, receives what its partner b0 sends.
	gen_addresses $GEN b0
	wait_until 20 port_forwarding bond0
}

test_hw_and_sw_vms_each_on_its_cpu() {
	local i mac

	setup_bridged
	add_vms
	check_eq "$(vm "$(vm_mac 1)" state)" hw "VM 1, first come"
	for i in $(seq 2 "$NVMS"); do
		mac=$(vm_mac $i)
		check_eq "$(vm "$mac" state)" sw "VM $i"
		check_contains "$(vm "$mac" state_reason)" \
			"refused the rule: -ENOSPC" "VM $i's reason"
	done
	receive_on_own_cpu $GEN
	diag "$(vmqctl team show bond0)"
	diag "$(vmqctl vm show -s)"
	check_eq "$(vm "$(vm_mac 1)" rx_on_queue)" "$COUNT" \
		"VM 1's frames on its queue"
	check_eq "$(vm "$(vm_mac 1)" rx_sw_steered)" 0 \
		"VM 1's frames, none steered in software"
	for i in $(seq 2 "$NVMS"); do
		check_eq "$(vm "$(vm_mac $i)" rx_sw_steered)" "$COUNT" \
			"VM $i's frames steered in software"
	done
}

# A rule arriving later moves a VM from sw to hw while its datagrams
# flow: none is lost, and how many came out of order is measured.
test_sw_to_hw_under_traffic() {
	local out r mac

	setup_bridged
	add_vms
	mac=$(vm_mac 2)
	check_eq "$(vm "$mac" state)" sw "VM 2 before"
	out=$(mktemp)
	defer rm -f "$out"
	stream_start "$out" $GEN
	wait_until 60 vm_rx_at_least "$mac" 100
	# VM 1 leaves: its rule's room goes to VM 2, the longest waiter.
	vmqctl vm del bond0 "$(vm_mac 1)"
	wait_until 20 vm_on_queue_at_least "$mac" 100
	check_eq "$(vm "$mac" state)" hw "VM 2 after"
	stream_check "$out" "sw -> hw" 2 3
}

# The traffic flows (not "steered": an RSS queue's IRQ may run on the
# VM's CPU already, and a frame there needs no steering).
vm_rx_at_least() {
	[ "$(vm "$1" rx_packets)" -ge "$2" ]
}

vm_on_queue_at_least() {
	[ "$(vm "$1" rx_on_queue)" -ge "$2" ]
}

ktap_run test_hw_and_sw_vms_each_on_its_cpu test_sw_to_hw_under_traffic
