#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the tests are called by name, by ktap_run
#
# vmq and Open vSwitch on one bond: OVS's kernel datapath holds the
# bond's rx_handler, vmq's ingress hooks on the members count a VM's
# frames once each, and OVS still forwards them to the VM's port.  The
# bond becomes an OVS port after attach and before it, and leaves OVS.
#
# OVS is Debian's openvswitch-switch of the host (tools/install-deps),
# its ovsdb-server and ovs-vswitchd started by hand in a scratch
# directory (OVS_RUNDIR & co.), with the openvswitch module of the guest's
# kernel.  The VM is a veth in its own namespace with the VM's MAC, an
# OVS port of the bridge; the bond is an active-backup one of nicsim's a0
# and a1, their link partners b0 and b1 in the generator's namespace.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/nicsim_team.sh"
. "$VMQ_TOP/selftests/lib/ovs.sh"

BR=vmqtovs
VMNS=vmqt_vm
VMPORT=vmqtvm

# ovs_bridge: bridge BR, with the VM's port: VMPORT, a veth whose other
# end, with the VM's MAC X, is in namespace VMNS.  Nothing on them speaks
# (no IPv6, BR's own port down), so the VM's end receives only what OVS
# forwards it of the test's frames.
ovs_bridge() {
	"${VSCTL[@]}" add-br $BR
	defer "${VSCTL[@]}" --if-exists del-br $BR
	ip netns add $VMNS
	defer ip netns del $VMNS
	netns_no_ipv6 "$VMNS"
	ip link add $VMPORT type veth peer name vm0 netns $VMNS
	defer ip link del $VMPORT
	no_ipv6 "$VMPORT"
	ip -n $VMNS link set vm0 address $X up
	ip link set $VMPORT up
	ovs_add_port $BR $VMPORT
}

ovs_add_bond() {
	ovs_add_port $BR bond0
}

# plain_bond: nicsim_team.sh's min_bond, not attached.
plain_bond() {
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	no_ipv6 bond0
	enslave bond0 a0 a1
	ip link set bond0 up
}

attach() {
	vmqctl team attach bond0
	defer vmqctl team detach bond0
}

active() {
	cat /sys/class/net/bond0/bonding/active_slave
}

has_active() {
	carrier_up bond0 && [ -n "$(active)" ]
}

dev_rx() {
	cat "/sys/class/net/$1/statistics/rx_packets"
}

dev_rx_at_least() {
	[ "$(dev_rx "$1")" -ge "$2" ]
}

vm_rx() {
	ip netns exec $VMNS cat /sys/class/net/vm0/statistics/rx_packets
}

vm_rx_at_least() {
	[ "$(vm_rx)" -ge "$1" ]
}

team_rx_at_least() {
	[ "$(team rx_packets)" -ge "$1" ]
}

vm_packets() {
	vmqctl -j vm show bond0 -s | jq -r ".[] | select(.mac == \"$1\") | .rx_packets"
}

vm_packets_at_least() {
	[ "$(vm_packets "$1")" -ge "$2" ]
}

# counted_once MAC COUNT: COUNT frames to MAC, sent from the link partner
# of the bond's active member, are counted once each by the team and by
# MAC's VM.
counted_once() {
	local mac=$1 count=$2 m p0 v0 r0

	wait_until 20 has_active
	m=$(active)
	p0=$(team rx_packets)
	v0=$(vm_packets "$mac")
	r0=$(dev_rx "$m")
	send "$(peer "$m")" "$mac/$count"
	wait_until 20 dev_rx_at_least "$m" $((r0 + count))
	wait_until 20 team_rx_at_least $((p0 + count))
	wait_until 20 vm_packets_at_least "$mac" $((v0 + count))
	check_eq "$(($(team rx_packets) - p0))" "$count" "frames the team counted"
	check_eq "$(($(vm_packets "$mac") - v0))" "$count" "$mac's frames"
}

# through_ovs COUNT: COUNT frames for the VM X counted once by vmq, and
# delivered by OVS to the VM's end of its port, each once.
through_ovs() {
	local r0

	r0=$(vm_rx)
	counted_once $X "$1"
	wait_until 20 vm_rx_at_least $((r0 + $1))
	check_eq "$(($(vm_rx) - r0))" "$1" "frames OVS delivered to the VM"
}

# Attached first, then the bond an OVS port: OVS takes the rx_handler
# vmq left free; vmq and OVS both see the VM's frames.
test_attached_then_ovs_port() {
	setup
	plain_bond
	attach
	vmqctl vm add bond0 $X
	ovs_start
	ovs_bridge
	ovs_add_bond
	through_ovs 100
	check_eq "$(team state)" ok "team state"
}

# The bond an OVS port first, then attached: attaching needs no
# rx_handler, and OVS keeps forwarding.
test_ovs_port_then_attached() {
	setup
	plain_bond
	ovs_start
	ovs_bridge
	ovs_add_bond
	attach
	vmqctl vm add bond0 $X
	through_ovs 100
	check_eq "$(team state)" ok "team state"
}

# The bond leaves OVS: its rx_handler is free again, vmq goes on
# counting, and OVS forwards nothing more.
test_bond_leaves_ovs() {
	local r0

	setup
	plain_bond
	attach
	vmqctl vm add bond0 $X
	ovs_start
	ovs_bridge
	ovs_add_bond
	through_ovs 50
	"${VSCTL[@]}" del-port $BR bond0
	check_eq "$(master bond0)" "" "bond0's master after del-port"
	rx_handler_free bond0 || fail "bond0's rx_handler still taken after del-port"
	r0=$(vm_rx)
	counted_once $X 100
	check_eq "$(vm_packets $X)" 150 "the VM's frames, in OVS and after"
	check_eq "$(vm_rx)" "$r0" "frames OVS delivered after del-port"
	check_eq "$(team state)" ok "team state"
}

ktap_run test_attached_then_ovs_port test_ovs_port_then_attached \
	test_bond_leaves_ovs
