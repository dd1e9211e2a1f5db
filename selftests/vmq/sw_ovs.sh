#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Software steering under Open vSwitch: sw_steer.sh's host with an OVS
# bridge for the Linux one.  An active-backup bond of the two QEMU igbs
# (which cannot steer by MAC) is a port of the OVS bridge, and each "VM"
# is a veth, another port of it, with its other end in a namespace of its
# own.  OVS's kernel datapath holds the bond's rx_handler; vmq's ingress
# hooks on the members hand each VM's frames to the VM's CPU, where the
# datapath and the VM's socket then run: the socket says which CPU
# processed them (SO_INCOMING_CPU).  vmq is attached before the bond
# becomes an OVS port, and after; with steering off the same check finds
# CPU 0, where every igb interrupt runs: the negative control.
#
# OVS is started as team_ovs.sh starts it (lib/ovs.sh).

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/swvms.sh"
. "$VMQ_TOP/selftests/lib/ovs.sh"

BR=vmqtovs

# The bond, not yet an OVS port; OVS's bridge BR with the NVMS veth VMs
# as its ports; the partner in its namespace.
setup() {
	local i

	vmq_load
	defer vmq_unload
	roomy_sockets
	igb_ab_bond
	ovs_start
	"${VSCTL[@]}" add-br $BR
	defer "${VSCTL[@]}" --if-exists del-br $BR
	# Kernel flows live 10 s unused by default: Python starts slower
	# than that under TCG, between warm_flows and the datagrams.
	"${VSCTL[@]}" set Open_vSwitch . other_config:max-idle=600000
	make_vm_ends
	for i in $(seq 1 $NVMS); do
		ip link set vmqt_v$i up
		ovs_add_port $BR vmqt_v$i
	done
	gen_ns vmqt_gen
	gen_addresses vmqt_gen gen0
	wait_until 20 carrier_up bond0
	# A datagram processed anywhere but CPU 0 was moved there by vmq,
	# not by RSS spreading flows over queues whose IRQs run elsewhere.
	pin_igb_irqs 0
}

attach() {
	vmqctl team attach bond0
	defer vmqctl team detach bond0
}

ovs_add_bond() {
	ovs_add_port $BR bond0
}

dp_has_flow_to() {
	ovs-appctl dpctl/dump-flows | grep -q "dst=$1"
}

# warm_flows: one IPv4 frame to each VM through OVS, while vmq does not
# know the VMs yet, and the kernel datapath holding a flow for each.  A
# frame the datapath has no flow for goes up to ovs-vswitchd, whose
# handler thread sends it on (OVS_PACKET_CMD_EXECUTE) on the CPU that
# thread runs on, after the frames that followed it by the flow it has
# just installed: neither is vmq's to steer (without this, 34 of one
# VM's 300 datagrams were processed on CPU 5, 5 of them out of order, on
# 6.12).  The flow NORMAL installs matches the Ethernet addresses and
# type, so the datagrams receive_on_own_cpu sends later take it.  The
# frames are for port 9 from 192.0.2.1: the VM has no socket there and
# no route back to answer.
warm_flows() {
	local i

	sender_start vmqt_gen gen0
	for i in $(seq 1 $NVMS); do
		send_batch "$(vm_mac $i)" 1 --ip "$(vm_ip $i)"
	done
	for i in $(seq 1 $NVMS); do
		wait_until 30 dp_has_flow_to "$(vm_mac $i)"
	done
	diag "datapath flows: $(ovs-appctl dpctl/dump-flows)"
}

# Attached before the bond becomes an OVS port, steering auto (the
# default) on a NIC that cannot steer: software, the reason says why, and
# each VM's datagrams are processed on its CPU.
test_attached_then_ovs_port_auto_is_sw() {
	local i mac

	setup
	attach
	ovs_add_bond
	check_eq "$(team_json bond0 | jq -r .steering)" auto "the default"
	warm_flows
	add_vms
	for i in $(seq 1 $NVMS); do
		mac=$(vm_mac $i)
		wait_until 10 vm_is_sw "$mac"
		check_contains "$(vm "$mac" state_reason)" "cannot steer" \
			"VM $i's reason"
	done
	receive_on_own_cpu vmqt_gen
}

# The bond an OVS port first, then attached: attaching needs no
# rx_handler, and steering sw moves each VM's datagrams to its CPU.
test_ovs_port_then_attached_sw() {
	local i

	setup
	ovs_add_bond
	attach
	vmqctl team set bond0 steering sw
	warm_flows
	add_vms
	for i in $(seq 1 $NVMS); do
		wait_until 10 vm_is_sw "$(vm_mac $i)"
	done
	receive_on_own_cpu vmqt_gen
}

# The negative control: steering off, the same datagrams through OVS are
# processed where igb's interrupts run (CPU 0), so the checks above do
# tell.
test_steering_off_steers_nothing() {
	setup
	attach
	vmqctl team set bond0 steering off
	ovs_add_bond
	warm_flows
	add_vms
	receive_unsteered vmqt_gen 0
}

ktap_run test_attached_then_ovs_port_auto_is_sw test_ovs_port_then_attached_sw \
	test_steering_off_steers_nothing
