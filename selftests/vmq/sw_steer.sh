#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Software steering on a real host shape: a bond of two QEMU igbs (a
# driver that cannot steer by MAC: ntuple off [fixed]) is a bridge port,
# and each "VM" is a veth in its own namespace behind the bridge.  UDP
# datagrams from the link partner reach every VM, and the VM's own
# socket says which CPU processed them (SO_INCOMING_CPU): the CPU vm show
# gives it, not the one the igb queue's interrupt ran on.

. "$VMQ_TOP/selftests/lib/vmq.sh"

NVMS=3
COUNT=300
PORT=7777

vm_mac() {
	printf '02:00:00:00:5e:%02x' "$1"
}

vm_ip() {
	echo "10.77.0.$((10 + $1))"
}

vm() {
	vmqctl -j vm show bond0 -s |
		jq -r ".[] | select(.mac == \"$1\") | .$2"
}

# A bridge port forwards once its carrier is up and its state says so.
port_forwarding() {
	[ "$(bridge -j link show dev "$1" | jq -r '.[0].state')" = forwarding ]
}

vm_is_sw() {
	[ "$(vm "$1" state)" = sw ]
}

# The bond, bridged; NVMS veth VMs; the partner in its namespace.
setup() {
	local i ns

	vmq_load
	defer vmq_unload
	# Room for every datagram in the receivers' sockets (SO_RCVBUF is
	# capped by rmem_max): a slow reader under TCG loses none there.
	defer sysctl -qw "net.core.rmem_max=$(sysctl -n net.core.rmem_max)"
	sysctl -qw net.core.rmem_max=8388608
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	quiet_bond bond0
	enslave bond0 igb0 igb1
	ip link add br0 type bridge
	defer ip link del br0
	sysctl -qw net.ipv6.conf.br0.disable_ipv6=1
	ip link set bond0 master br0
	ip link set bond0 up
	ip link set br0 up
	for i in $(seq 1 $NVMS); do
		ns=vmqt_vm$i
		ip netns add $ns
		defer ip netns del $ns
		ip link add vmqt_v$i type veth peer name eth0 netns $ns
		# Deleting the namespace frees its end only later, in a work item.
		defer ip link del vmqt_v$i
		ip -n $ns link set eth0 address "$(vm_mac $i)"
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n $ns addr add "$(vm_ip $i)/24" dev eth0
		ip -n $ns link set eth0 up
		ip link set vmqt_v$i master br0 up
	done
	gen_ns vmqt_gen
	ip -n vmqt_gen addr add 10.77.0.2/24 dev gen0
	for i in $(seq 1 $NVMS); do
		ip -n vmqt_gen neigh replace "$(vm_ip $i)" \
			lladdr "$(vm_mac $i)" dev gen0
	done
	wait_until 20 carrier_up bond0
	wait_until 20 port_forwarding bond0
	for i in $(seq 1 $NVMS); do
		wait_until 20 port_forwarding vmqt_v$i
	done
	vmqctl team attach bond0
	defer vmqctl team detach bond0
}

add_vms() {
	local i

	for i in $(seq 1 $NVMS); do
		vmqctl vm add bond0 "$(vm_mac $i)"
	done
}

# receive_on_own_cpu: every VM's datagrams, all of them, in order, each
# processed on the CPU vmq gives the VM.
receive_on_own_cpu() {
	local i ns cpu out pids=() outs=()

	for i in $(seq 1 $NVMS); do
		wait_until 10 vm_is_sw "$(vm_mac $i)"
		# Each receiver ends once it has COUNT; its long deadline covers
		# the others' start, slow under TCG.
		out=$(mktemp)
		defer rm -f "$out"
		outs[$i]=$out
		ip netns exec vmqt_vm$i python3 "$VMQ_TOP/selftests/lib/udpcpu.py" \
			recv $PORT 10.77.0.2 $COUNT 180 >"$out" &
		pids[$i]=$!
		# Python starts slowly under TCG.
		wait_until 60 grep -q ready "$out"
	done
	for i in $(seq 1 $NVMS); do
		ip netns exec vmqt_gen python3 "$VMQ_TOP/selftests/lib/udpcpu.py" \
			send "$(vm_ip $i)" $PORT $COUNT
	done
	for i in $(seq 1 $NVMS); do
		wait "${pids[$i]}"
		cpu=$(vm "$(vm_mac $i)" cpu)
		out=$(tail -n 1 "${outs[$i]}")
		diag "VM $i (cpu $cpu): $out"
		diag "VM $i as vmq counts: $(vmqctl -j vm show bond0 -s |
			jq -c ".[] | select(.mac == \"$(vm_mac $i)\") |
			       {rx_packets, rx_on_cpu, rx_sw_steered, rx_sw_dropped}")"
		check_eq "$(jq .received <<<"$out")" $COUNT "VM $i's datagrams received"
		check_eq "$(jq .in_order <<<"$out")" true "VM $i's datagrams in order"
		check_eq "$(jq -c .cpus <<<"$out")" "{\"$cpu\":$COUNT}" \
			"VM $i's datagrams processed on its CPU"
		check_eq "$(vm "$(vm_mac $i)" rx_sw_dropped)" 0 "VM $i: none dropped"
		check_eq "$(vm "$(vm_mac $i)" rx_on_cpu)" $COUNT \
			"VM $i's frames on its CPU, as vmq counts them"
	done
}

# auto, on a NIC that cannot steer: software, and the reason says why.
test_auto_on_igb_is_sw() {
	local i mac

	setup
	vmqctl team set bond0 steering auto
	add_vms
	for i in $(seq 1 $NVMS); do
		mac=$(vm_mac $i)
		wait_until 10 vm_is_sw "$mac"
		check_contains "$(vm "$mac" state_reason)" "cannot steer" \
			"VM $i's reason"
		[ "$(vm "$mac" cpu)" != null ] || fail "VM $i has no CPU"
	done
	receive_on_own_cpu
}

# The VMs' CPUs are spread over the set like queues: Min's 2,4,6.
test_sw_cpus_spread_over_the_set() {
	local i cpus

	setup
	vmqctl team set bond0 steering sw
	add_vms
	for i in $(seq 1 $NVMS); do
		wait_until 10 vm_is_sw "$(vm_mac $i)"
		cpus+="$(vm "$(vm_mac $i)" cpu) "
	done
	check_eq "$(tr ' ' '\n' <<<"$cpus" | sort -u | grep -c .)" $NVMS \
		"each VM its own CPU ($cpus)"
	receive_on_own_cpu
}

# hw alone is refused where a member cannot steer, saying which.
test_steering_hw_refused_on_igb() {
	setup
	expect_error "igb0 cannot steer by destination MAC" \
		vmqctl team set bond0 steering hw
	check_eq "$(team_json bond0 | jq -r .steering)" hw \
		"the setting unchanged"
}

# off: no VM is steered; the frames still arrive, counted.
test_steering_off_steers_nothing() {
	local mac

	setup
	vmqctl team set bond0 steering off
	mac=$(vm_mac 1)
	vmqctl vm add bond0 "$mac"
	check_eq "$(vm "$mac" state)" default "state"
	check_eq "$(vm "$mac" rx_sw_steered)" 0 "steered"
}

ktap_run test_auto_on_igb_is_sw test_sw_cpus_spread_over_the_set \
	test_steering_hw_refused_on_igb test_steering_off_steers_nothing
