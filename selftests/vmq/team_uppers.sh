#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bond as the lower device of macvlan (vepa, private, passthru) and
# ipvlan (l2): whichever holds the bond's rx_handler, vmq's ingress hook
# on the members counts each frame for the upper once, for the team and
# for the VM, steers it (auto: software, on QEMU's igb), and the upper
# still receives it, whether vmq attached before the upper was made or
# after (detached and attached again); once the upper is deleted, vmq is
# still attached and counting.  One test per upper, one bond and one
# sender process for all of its steps: each is slow to make under TCG.

. "$VMQ_TOP/selftests/lib/vmq.sh"

COUNT=50
VM=02:00:00:00:0f:01
UPPER=vmqtup

# kind mode: one test each.
CASES=(
	"macvlan vepa"
	"macvlan private"
	"macvlan passthru"
	"ipvlan l2"
)

rx_packets() {
	team_json bond0 | jq .rx_packets
}

rx_packets_at_least() {
	[ "$(rx_packets)" -ge "$1" ]
}

vm() {
	vmqctl -j vm show bond0 -s |
		jq -r ".[] | select(.mac == \"$1\") | .$2"
}

vm_is_sw() {
	[ "$(vm "$1" state)" = sw ]
}

vm_packets_at_least() {
	[ "$(vm "$1" rx_packets)" -ge "$2" ]
}

bond_mac() {
	cat /sys/class/net/bond0/address
}

active() {
	cat /sys/class/net/bond0/bonding/active_slave
}

ipvlan_ip() {
	echo "10.78.0.$((10 + $1))"
}

# upper_rx N: rx_packets of the upper (an ipvlan's: slave N's, in its
# namespace).
upper_rx() {
	if [ "$KIND" = ipvlan ]; then
		ip -n "vmqt_ipv$1" -j -s link show dev "$UPPER$1" |
			jq '.[0].stats64.rx.packets'
	else
		cat "/sys/class/net/$UPPER/statistics/rx_packets"
	fi
}

upper_rx_at_least() {
	[ "$(upper_rx "$1")" -ge "$2" ]
}

# A quiet active-backup bond of igb0 and igb1, up; the generator and its
# sender.
setup_bond() {
	vmq_load
	defer vmq_unload
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	quiet_bond bond0
	enslave bond0 igb0 igb1
	ip link set bond0 up
	gen_ns vmqt_gen
	sender_start vmqt_gen gen0
	wait_until 20 carrier_up bond0
}

attach() {
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl team set bond0 steering auto
}

# make_upper: KIND in MODE on bond0.  Sets VM_MAC, the MAC vmq is told
# of, and UPPERS, the upper indices upper_rx takes.
make_upper() {
	local i ns

	if [ "$KIND" = macvlan ]; then
		ip link add link bond0 name $UPPER type macvlan mode "$MODE"
		defer ip link del $UPPER
		sysctl -qw "net.ipv6.conf.$UPPER.disable_ipv6=1"
		# passthru: macvlan_set_mac_address() sets the lower's MAC,
		# the bond's (and so both members'), to the upper's, and
		# macvlan_open() makes the bond promiscuous.  Others:
		# macvlan_open() adds the upper's MAC to the bond's unicast
		# list, which active-backup gives its active member only.
		ip link set $UPPER address $VM
		ip link set $UPPER up
		VM_MAC=$VM
		UPPERS=1
		return
	fi
	# ipvlan: every slave has the bond's MAC (ipvlan_link_new()), and
	# ipvlan_handle_mode_l2() finds the slave by the frame's L3 address.
	# vmq keys VMs by MAC: the bond's MAC is one VM for both slaves
	# (and for the host's own frames on the bond), counted and steered
	# as one.
	for i in 1 2; do
		ns=vmqt_ipv$i
		ip netns add $ns
		defer ip netns del $ns
		ip link add link bond0 name $UPPER$i type ipvlan mode "$MODE"
		ip link set $UPPER$i netns $ns
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n $ns addr add "$(ipvlan_ip $i)/24" dev $UPPER$i
		ip -n $ns link set $UPPER$i up
	done
	VM_MAC=$(bond_mac)
	UPPERS="1 2"
}

delete_upper() {
	local i

	if [ "$KIND" = macvlan ]; then
		ip link del $UPPER
		return
	fi
	for i in $UPPERS; do
		ip -n "vmqt_ipv$i" link del $UPPER$i
	done
}

# send_to_upper I: COUNT frames for upper I (ipvlan: UDP datagrams to
# slave I's address, from an address no one answers).
send_to_upper() {
	if [ "$KIND" = ipvlan ]; then
		send_batch "$VM_MAC" $COUNT --len 128 --ip "$(ipvlan_ip "$1")"
	else
		send_batch "$VM_MAC" $COUNT --len 128
	fi
}

# frames_for_upper: COUNT frames for each upper, received by it, and
# counted once by the team and once by the VM, all steered.
frames_for_upper() {
	local i n p0 v0 s0 total=0
	local -A r

	p0=$(rx_packets)
	v0=$(vm "$VM_MAC" rx_packets)
	s0=$(vm "$VM_MAC" rx_sw_steered)
	for i in $UPPERS; do
		r[$i]=$(upper_rx "$i")
		send_to_upper "$i"
		total=$((total + COUNT))
	done
	for i in $UPPERS; do
		wait_until 20 upper_rx_at_least "$i" $((r[$i] + COUNT))
	done
	wait_until 20 rx_packets_at_least $((p0 + total))
	wait_until 20 vm_packets_at_least "$VM_MAC" $((v0 + total))
	diag "vmq: $(vmqctl -j vm show bond0 -s | jq -c ".[] |
		select(.mac == \"$VM_MAC\") | {state, cpu, rx_packets,
		rx_on_cpu, rx_sw_steered, rx_sw_dropped}")"
	for i in $UPPERS; do
		n=$(($(upper_rx "$i") - r[$i]))
		check_eq "$n" $COUNT "frames upper $i received"
	done
	check_eq "$(($(rx_packets) - p0))" $total "frames the team counted"
	check_eq "$(($(vm "$VM_MAC" rx_packets) - v0))" $total \
		"frames the VM counted"
	check_eq "$(($(vm "$VM_MAC" rx_sw_steered) - s0))" $total \
		"frames steered to the VM's CPU"
}

# The upper gone: its rx_handler is off the bond, vmq is still attached,
# and counts frames to the bond's MAC once.
after_delete() {
	local mac p0

	delete_upper
	rx_handler_free bond0 || fail "bond0's rx_handler still taken"
	team_json bond0 >/dev/null || fail "bond0 no longer attached"
	mac=$(bond_mac)
	p0=$(rx_packets)
	send_batch "$mac" $COUNT --len 128
	wait_until 20 rx_packets_at_least $((p0 + COUNT))
	check_eq "$(($(rx_packets) - p0))" $COUNT \
		"frames to the bond's MAC, the upper gone"
}

add_vm() {
	vmqctl vm add bond0 "$VM_MAC"
	wait_until 10 vm_is_sw "$VM_MAC"
}

# upper_case KIND MODE
upper_case() {
	local perm

	KIND=$1
	MODE=$2
	setup_bond
	perm=$(bond_mac)
	diag "attached before the upper"
	attach
	make_upper
	[ "$MODE" != passthru ] ||
		check_eq "$(bond_mac)" $VM "the bond's MAC, the passthru upper's"
	add_vm
	frames_for_upper
	diag "attached after the upper"
	vmqctl team detach bond0
	attach
	add_vm
	frames_for_upper
	diag "the upper deleted"
	after_delete
	# macvlan_port_destroy() gives the bond back the MAC it had.
	check_eq "$(bond_mac)" "$perm" "the bond's MAC, the upper gone"
}

tests=()
for c in "${CASES[@]}"; do
	read -r kind mode <<<"$c"
	name=test_${kind}_${mode}
	eval "$name() { upper_case $kind $mode; }"
	tests+=("$name")
done

ktap_run "${tests[@]}"
