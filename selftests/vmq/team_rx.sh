#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmq's ingress hook on the bond's members, there while the team has
# VMs, sees the frames the bond receives, once each, whatever holds the
# bond's rx_handler: nothing, a bridge, macvtap, or a bridge on the
# bond's VLAN upper.

. "$VMQ_TOP/selftests/lib/vmq.sh"

VM=02:00:00:00:0e:01

rx_packets() {
	team_json bond0 | jq .rx_packets
}

rx_packets_at_least() {
	[ "$(rx_packets)" -ge "$1" ]
}

rx_bytes() {
	team_json bond0 | jq .rx_bytes
}

vm_packets() {
	vmqctl -j vm show bond0 -s | jq -r ".[] | select(.mac == \"$1\") | .rx_packets"
}

vm_packets_at_least() {
	[ "$(vm_packets "$1")" -ge "$2" ]
}

active() {
	cat /sys/class/net/bond0/bonding/active_slave
}

dev_rx() {
	cat "/sys/class/net/$1/statistics/rx_packets"
}

dev_rx_at_least() {
	[ "$(dev_rx "$1")" -ge "$2" ]
}

# An active-backup bond of igb0 and igb1, attached; QEMU's hub gives gen0's
# frames to both members, and the bond takes the active member's only.
setup() {
	vmq_load
	defer vmq_unload
	igb_ab_bond
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	gen_ns vmqt_gen
	wait_until 20 carrier_up bond0
}

# counted_once MAC COUNT MEMBER...: COUNT frames to MAC, which each
# MEMBER receives in full (the backup too, where its filter takes MAC):
# the team counts them once, not once per member.
counted_once() {
	local mac=$1 count=$2 p0 m
	local -A r

	shift 2
	p0=$(rx_packets)
	for m in "$@"; do
		r[$m]=$(dev_rx "$m")
	done
	send_frames vmqt_gen gen0 "$mac" "$count" --len 128
	for m in "$@"; do
		wait_until 20 dev_rx_at_least "$m" $((r[$m] + count))
	done
	wait_until 20 rx_packets_at_least $((p0 + count))
	check_eq "$(($(rx_packets) - p0))" "$count" "frames the team counted"
}

# hook_calls_for FRAMES: how often vmq's ingress hook ran while FRAMES
# frames to the bond's MAC reached the bond, as ftrace counts the calls.
hook_calls_for() {
	local r0

	echo > "$TRACE/trace"
	echo 1 > "$TRACE/tracing_on"
	r0=$(dev_rx bond0)
	send_frames vmqt_gen gen0 "$(cat /sys/class/net/bond0/address)" "$1"
	wait_until 20 dev_rx_at_least bond0 $((r0 + $1))
	echo 0 > "$TRACE/tracing_on"
	traced vmq_rx_ingress
}

# With no VM, vmq is on no member's receive path: its hooks come with
# the first VM and go with the last, and no frame is counted without.
test_hooked_only_while_vms() {
	local n

	setup
	trace_setup vmq_rx_ingress
	check_eq "$(hook_calls_for 20)" 0 "hook calls with no VM"
	check_eq "$(rx_packets)" 0 "frames counted with no VM"
	vmqctl vm add bond0 $VM
	n=$(hook_calls_for 20)
	[ "$n" -ge 20 ] || fail "hook calls with a VM: $n, expected 20 or more"
	vmqctl vm del bond0 $VM
	check_eq "$(hook_calls_for 20)" 0 "hook calls, the last VM gone"
}

# A team with a VM counts every frame the bond takes, the VM's or not.
test_counts_frames_once() {
	local b0

	setup
	vmqctl vm add bond0 $VM
	b0=$(rx_bytes)
	# Both members carry the bond's MAC: each receives every frame.
	counted_once "$(cat /sys/class/net/bond0/address)" 100 igb0 igb1
	# skb->len at the member's ingress: the frame less its Ethernet header.
	[ "$(rx_bytes)" -ge $((b0 + 100 * (128 - 14))) ] ||
		fail "rx_bytes $(rx_bytes), expected at least $((b0 + 11400))"
}

# The bond a bridge port, made one after attach: the bridge forwards the
# frames, and vmq still counts them, a VM's too.
test_counts_frames_as_bridge_port() {
	setup
	ip link add vmqtbr type bridge
	defer ip link del vmqtbr
	ip link set vmqtbr up
	ip link set bond0 master vmqtbr
	vmqctl vm add bond0 $VM
	counted_once $VM 100 "$(active)"
	wait_until 10 vm_packets_at_least $VM 100
	check_eq "$(vm_packets $VM)" 100 "the VM's frames through the bridge"
}

# A real macvtap on the bond: it receives its frames, vmq counts them.
test_counts_frames_under_macvtap() {
	local mac r0

	setup
	ip link add link bond0 name vmqtmvt type macvtap mode bridge
	defer ip link del vmqtmvt
	ip link set vmqtmvt up
	mac=$(cat /sys/class/net/vmqtmvt/address)
	vmqctl vm add bond0 "$mac"
	r0=$(dev_rx vmqtmvt)
	# The bond gives macvtap's MAC to its active member's filter only.
	counted_once "$mac" 100 "$(active)"
	wait_until 10 vm_packets_at_least "$mac" 100
	wait_until 10 dev_rx_at_least vmqtmvt $((r0 + 100))
	check_eq "$(vm_packets "$mac")" 100 "the macvtap VM's frames"
}

# The bond's VLAN upper a bridge port: a VLAN VM's tagged frames are
# seen at the member, tag and all, before the VLAN device and the bridge.
test_counts_vlan_frames_under_vlan_upper_bridge() {
	local r0

	setup
	ip link add link bond0 name bond0.10 type vlan id 10
	defer ip link del bond0.10
	ip link add vmqtbr type bridge
	defer ip link del vmqtbr
	ip link set vmqtbr up
	ip link set bond0.10 master vmqtbr
	ip link set bond0.10 up
	vmqctl vm add bond0 $VM vlan 10
	r0=$(dev_rx bond0.10)
	send_frames vmqt_gen gen0 $VM 100 --len 128 --vlan 10
	wait_until 20 dev_rx_at_least bond0.10 $((r0 + 100))
	wait_until 10 vm_packets_at_least $VM 100
	check_eq "$(vm_packets $VM)" 100 "the VLAN VM's frames"
}

# An 802.1ad service tag with a VM's VID is not the VM's VLAN, which is
# an 802.1Q one: the team counts the frames, the VM none of them.
test_service_tag_names_no_vm() {
	local p0

	setup
	ip link set bond0 promisc on	# take frames for a MAC not the bond's
	vmqctl vm add bond0 $VM vlan 10
	p0=$(rx_packets)
	send_frames vmqt_gen gen0 $VM 50 --vlan 10 --tpid 0x88a8
	wait_until 20 rx_packets_at_least $((p0 + 50))
	send_frames vmqt_gen gen0 $VM 10 --vlan 10
	wait_until 20 vm_packets_at_least $VM 10
	check_eq "$(vm_packets $VM)" 10 "the VM's frames: the 802.1Q ones only"
}

ktap_run test_hooked_only_while_vms test_counts_frames_once test_counts_frames_as_bridge_port \
	test_counts_frames_under_macvtap \
	test_counts_vlan_frames_under_vlan_upper_bridge \
	test_service_tag_names_no_vm
