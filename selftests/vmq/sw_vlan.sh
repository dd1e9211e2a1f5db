#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Software steering of a VLAN's VMs: the bond (of the two QEMU igbs,
# which cannot steer by MAC) carries VLAN 10 to its VLAN device bond0.10,
# the Linux bridge's port (bond0 itself is not bridged), and each "VM" is
# a veth on that bridge with its other end in a namespace of its own,
# added to vmq as MAC vlan 10.  The link partner sends tagged frames from
# its own VLAN device gen0.10.  vmq hands each VM's frames, tag and all,
# to the VM's CPU, where the bond's VLAN device, the bridge and the VM's
# socket then run: the socket says which CPU processed them
# (SO_INCOMING_CPU).  Untagged frames to the same MAC are no VLAN 10 VM's
# and are not steered.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/swvms.sh"

VID=10

# The bond, its VLAN device bridged; NVMS veth VMs; the partner in its
# namespace, on its own VLAN device: built once for every test.
topology() {
	roomy_sockets
	igb_ab_bond
	ip link add link bond0 name bond0.$VID type vlan id $VID
	defer ip link del bond0.$VID
	no_ipv6 "bond0.$VID"
	ip link add br0 type bridge
	defer ip link del br0
	no_ipv6 br0
	ip link set bond0.$VID master br0
	ip link set bond0.$VID up
	ip link set br0 up
	make_vms br0
	gen_ns vmqt_gen
	ip -n vmqt_gen link add link gen0 name gen0.$VID type vlan id $VID
	defer ip -n vmqt_gen link del gen0.$VID
	# GEN_IP and the VMs' neighbours there: the datagrams go tagged.
	gen_addresses vmqt_gen gen0.$VID
	wait_until 20 carrier_up bond0
	wait_until 20 port_forwarding bond0.$VID
	# A datagram processed anywhere but CPU 0 was moved there by vmq,
	# not by RSS spreading flows over queues whose IRQs run elsewhere.
	pin_igb_irqs 0
}

# Each test's own: vmq, attached to the bond.
setup() {
	vmq_attached bond0
}

# add_vlan_vms: the VMs, each as MAC vlan VID, steered in software.
add_vlan_vms() {
	local i

	add_vms vlan $VID
	for i in $(seq 1 $NVMS); do
		wait_until 10 vm_is_sw "$(vm_mac $i)"
		check_eq "$(vm "$(vm_mac $i)" vlan)" $VID "VM $i's VLAN"
	done
}

# Steering sw: each VM's tagged datagrams are processed on its CPU, none
# lost, in order.
test_sw_tagged_on_vm_cpu() {
	setup
	vmqctl team set bond0 steering sw
	add_vlan_vms
	receive_on_own_cpu vmqt_gen
}

# The negative control: steering off, the same datagrams are processed
# where igb's interrupts run (CPU 0), so the check above does tell.
test_steering_off_steers_nothing() {
	setup
	vmqctl team set bond0 steering off
	add_vms vlan $VID
	receive_unsteered vmqt_gen 0
}

team_rx_at_least() {
	[ "$(team_json bond0 | jq .rx_packets)" -ge "$1" ]
}

vm_steered_at_least() {
	[ "$(vm "$1" rx_sw_steered)" -ge "$2" ]
}

# Untagged frames to a VLAN 10 VM's MAC are no VM's (a VM is its MAC and
# its VLAN): the team counts them, the VM does not, none is steered.
# Then the same frames tagged 10, from the same sender, are the VM's and
# steered: the counters read above do count.
test_untagged_to_vlan_vm_not_steered() {
	local mac p0

	setup
	vmqctl team set bond0 steering sw
	add_vlan_vms
	mac=$(vm_mac 1)
	sender_start vmqt_gen gen0
	p0=$(team_json bond0 | jq .rx_packets)
	send_batch "$mac" 100
	wait_until 20 team_rx_at_least $((p0 + 100))
	check_eq "$(vm "$mac" rx_sw_steered)" 0 "untagged frames steered"
	check_eq "$(vm "$mac" rx_packets)" 0 "untagged frames the VM counted"
	send_batch "$mac" 100 --vlan $VID
	wait_until 20 vm_steered_at_least "$mac" 100
	check_eq "$(vm "$mac" rx_sw_steered)" 100 "tagged frames steered"
}

ktap_run -f topology test_sw_tagged_on_vm_cpu test_steering_off_steers_nothing \
	test_untagged_to_vlan_vm_not_steered
