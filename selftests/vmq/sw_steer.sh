#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Software steering on a real host shape: a bond of two QEMU igbs (a
# driver that cannot steer by MAC: ntuple off [fixed]) is a bridge port,
# and each "VM" is a veth in its own namespace behind the bridge.  UDP
# datagrams from the link partner reach every VM, and the VM's own
# socket says which CPU processed them (SO_INCOMING_CPU): the CPU vm show
# gives it, not CPU 0, where every igb interrupt runs.  With steering
# off the same check finds CPU 0: the negative control.  Detach and
# attach, a VM's deletion and a CPU going offline, while datagrams flow,
# lose none of them.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/swvms.sh"

# The bond, bridged; NVMS veth VMs; the partner in its namespace: built
# once for every test (ktap_run -f).
topology() {
	roomy_sockets
	bridged_bond igb0 igb1
	make_vms br0
	gen_ns vmqt_gen
	gen_addresses vmqt_gen gen0
	wait_until 20 carrier_up bond0
	wait_until 20 port_forwarding bond0
	# A datagram processed anywhere but CPU 0 was moved there by vmq,
	# not by RSS spreading flows over queues whose IRQs run elsewhere.
	pin_igb_irqs 0
}

# Each test's own: vmq, attached to the bridged bond.
setup() {
	vmq_attached bond0
}

# auto, the default, on a NIC that cannot steer: software, and the reason
# says why.
test_auto_on_igb_is_sw() {
	local i mac

	setup
	check_eq "$(team_json bond0 | jq -r .steering)" auto "the default"
	add_vms
	for i in $(seq 1 $NVMS); do
		mac=$(vm_mac $i)
		wait_until 10 vm_is_sw "$mac"
		check_contains "$(vm "$mac" state_reason)" "cannot steer" \
			"VM $i's reason"
		[ "$(vm "$mac" cpu)" != null ] || fail "VM $i has no CPU"
	done
	receive_on_own_cpu vmqt_gen
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
	receive_on_own_cpu vmqt_gen
}

# The negative control: steering off, the same datagrams are processed
# where igb's interrupts run (CPU 0), so the checks above do tell.
test_steering_off_steers_nothing() {
	setup
	vmqctl team set bond0 steering off
	add_vms
	receive_unsteered vmqt_gen 0
}

# vm_steered_at_least I N: N of VM I's frames were steered in software.
# Under steering sw (no queue held, no IRQ pinned, igb's on CPU 0) each
# of them is.
vm_steered_at_least() {
	[ "$(vm "$(vm_mac "$1")" rx_sw_steered)" -ge "$2" ]
}

# vm_rx_at_least I N: VM I has received N frames: the traffic flows.
# Not "steered": a VM whose queue's IRQ vmq pins to its CPU takes the
# flows RSS sends to that queue on its CPU already, with no steering.
vm_rx_at_least() {
	[ "$(vm "$(vm_mac "$1")" rx_packets)" -ge "$2" ]
}

dev_tx() {
	cat "/sys/class/net/$1/statistics/tx_packets"
}

dev_tx_at_least() {
	[ "$(dev_tx "$1")" -ge "$2" ]
}

# steered_stream OUT: steering sw, the VMs, and a stream to them (the
# receiver's report in OUT), flowing through vmq's queues.
steered_stream() {
	vmqctl team set bond0 steering sw
	add_vms
	stream_start "$1" vmqt_gen
	wait_until 60 vm_steered_at_least 1 100
}

# flows_without_vmq: frames reach the VMs with vmq gone.
flows_without_vmq() {
	local t0

	t0=$(dev_tx vmqt_v1)
	wait_until 20 dev_tx_at_least vmqt_v1 $((t0 + 100))
}

# Detach and attach again while datagrams flow: the frames vmq had queued
# are delivered when it lets go, none is lost.
test_detach_and_reattach_under_traffic() {
	local out

	setup
	out=$(mktemp)
	defer rm -f "$out"
	steered_stream "$out"
	vmqctl team detach bond0
	flows_without_vmq
	vmqctl team attach bond0
	vmqctl team set bond0 steering sw
	add_vms
	wait_until 20 vm_steered_at_least 1 100
	stream_check "$out" "detach and attach"
}

# The steering queues held (debugfs, kmod/steer.c): the polls hand
# nothing on, so frames are surely still queued when a test detaches,
# unloads, deletes a VM or takes a CPU offline.  Released on cleanup
# while the module is still there.
HOLD=/sys/kernel/debug/vmq/steer_hold
QUEUED=/sys/kernel/debug/vmq/steer_queued

hold_queues() {
	defer eval "[ ! -e $HOLD ] || echo 0 > $HOLD"
	echo 1 > $HOLD
}

queued_total() {
	awk '{ n += $2 } END { print n + 0 }' $QUEUED
}

queued_is() {
	[ "$(queued_total)" -eq "$1" ]
}

# held_burst OUT: steering sw, the VMs on CPUs other than CPU 0, where
# every frame comes in; the queues held and COUNT datagrams to each VM
# (the receiver's report in OUT), every one of them queued.
held_burst() {
	local i cpu

	vmqctl team set bond0 steering sw
	add_vms
	for i in $(seq 1 "$NVMS"); do
		wait_until 10 vm_is_sw "$(vm_mac $i)"
		cpu=$(vm "$(vm_mac $i)" cpu)
		[ "$cpu" -gt 0 ] || fail "VM $i on CPU $cpu: its frames skip the queue"
	done
	start_receiver "$1" 180
	hold_queues
	send_to_vms vmqt_gen 500
	wait_until 30 queued_is $((NVMS * COUNT))
}

# held_check OUT WHAT: once released, every VM got every datagram of the
# burst, once and in order.
held_check() {
	local i r received in_order dups

	wait "$RX_PID"
	for i in $(seq 1 "$NVMS"); do
		r=$(report $i "$1")
		IFS=$'\t' read -r received in_order dups _ < <(report_fields "$r")
		diag "VM $i across $2: $r"
		check_eq "$received" "$COUNT" "VM $i: every queued datagram across $2"
		check_eq "$dups" 0 "VM $i: none twice across $2"
		check_eq "$in_order" true "VM $i: in order across $2"
	done
}

# Detach while frames are queued: they are delivered as vmq lets go,
# though no poll runs.
test_detach_delivers_queued_frames() {
	local out COUNT=100

	setup
	out=$(mktemp)
	defer rm -f "$out"
	held_burst "$out"
	vmqctl team detach bond0
	check_eq "$(queued_total)" 0 "frames still queued after detach"
	held_check "$out" detach
}

# Unload while frames are queued: they are delivered as the module goes.
test_unload_delivers_queued_frames() {
	local out COUNT=100

	setup
	out=$(mktemp)
	defer rm -f "$out"
	held_burst "$out"
	rmmod vmq
	held_check "$out" unload
}

# A VM deleted, and another's CPU taken offline, while frames are queued
# for them: none is dropped, and all are delivered once the queues move.
test_vm_del_and_cpu_offline_keep_queued_frames() {
	local out cpu COUNT=100

	setup
	out=$(mktemp)
	defer rm -f "$out"
	held_burst "$out"
	cpu=$(vm "$(vm_mac 2)" cpu)
	vmqctl vm del bond0 "$(vm_mac 1)"
	check_eq "$(queued_total)" $((NVMS * COUNT)) "queued after a VM's deletion"
	defer eval "echo 1 > /sys/devices/system/cpu/cpu$cpu/online"
	echo 0 > /sys/devices/system/cpu/cpu$cpu/online
	check_eq "$(queued_total)" $((NVMS * COUNT)) "queued after CPU $cpu went offline"
	echo 0 > $HOLD
	wait_until 30 queued_is 0
	held_check "$out" "a VM's deletion and a CPU going offline"
}

# A VM deleted, and another's CPU taken offline, while datagrams flow:
# what was queued for them is delivered, and the second VM goes on
# being steered to a CPU that is online.
RECONCILE=/sys/module/vmq/parameters/reconcile_ms

test_vm_del_and_cpu_offline_under_traffic() {
	local out cpu mac2

	setup
	# No periodic pass (the one pending now runs long before the CPU
	# goes): the hotplug event alone must move VM 2.
	defer eval "echo $(cat "$RECONCILE") > $RECONCILE"
	echo 0 > "$RECONCILE"
	vmqctl team set bond0 steering sw
	add_vms
	mac2=$(vm_mac 2)
	wait_until 10 vm_is_sw "$mac2"
	cpu=$(vm "$mac2" cpu)
	[ "$cpu" -gt 0 ] || fail "VM 2 on CPU $cpu, which cannot go offline"
	out=$(mktemp)
	defer rm -f "$out"
	stream_start "$out" vmqt_gen
	wait_until 60 vm_steered_at_least 1 100
	vmqctl vm del bond0 "$(vm_mac 1)"
	wait_until 60 vm_steered_at_least 2 200
	defer eval "echo 1 > /sys/devices/system/cpu/cpu$cpu/online"
	echo 0 > /sys/devices/system/cpu/cpu$cpu/online
	wait_until 30 vm_not_on_cpu "$mac2" "$cpu"
	check_eq "$(vm "$mac2" state)" sw "VM 2 still steered"
	# ... to its new CPU: steering goes on.
	wait_until 30 vm_steered_at_least 2 $(($(vm "$mac2" rx_sw_steered) + 100))
	stream_check "$out" "a VM's deletion and a CPU going offline"
}

vm_dropped_at_least() {
	[ "$(vm "$1" rx_sw_dropped)" -ge "$2" ]
}

# A full steering queue drops the frame, counted for its VM and in the
# bond's rx_dropped, as the kernel's backlog counts it.  sw_backlog 0:
# every queue is full.  The VM's CPU is not CPU 0, where the frames come
# in, so none of them may skip the queue.
test_full_queue_drops_counted() {
	local mac param=/sys/module/vmq/parameters/sw_backlog d0

	setup
	add_vms
	mac=$(vm_mac 1)
	wait_until 10 vm_is_sw "$mac"
	defer eval "echo $(cat $param) > $param"
	echo 0 > $param
	d0=$(cat /sys/class/net/bond0/statistics/rx_dropped)
	send_frames vmqt_gen gen0 "$mac" 100
	wait_until 20 vm_dropped_at_least "$mac" 100
	check_eq "$(vm "$mac" rx_sw_dropped)" 100 "the VM's drops"
	check_eq "$(vm "$mac" rx_on_cpu)" 0 "none reached its CPU"
	check_contains "$(vmqctl vm show -s)" \
		"100 dropped: its cpu's queue was full" "vm show -s"
	[ "$(cat /sys/class/net/bond0/statistics/rx_dropped)" -ge $((d0 + 100)) ] ||
		fail "bond0's rx_dropped: $(cat /sys/class/net/bond0/statistics/rx_dropped), was $d0"
}

team_rx_at_least() {
	[ "$(team_json bond0 | jq .rx_packets)" -ge "$1" ]
}

# Broadcast, multicast and frames for no VM stay where they arrive: the
# team counts them, no VM does, none is steered, and the bridge floods
# every one of them to every VM's port.  (The bridge port is
# promiscuous: the unknown unicast MAC reaches the hook too.)
test_broadcast_and_unknown_not_steered() {
	local i p0 sum
	local -a t0

	setup
	add_vms
	wait_until 10 vm_is_sw "$(vm_mac 1)"
	p0=$(team_json bond0 | jq .rx_packets)
	for i in $(seq 1 $NVMS); do
		t0[i]=$(dev_tx vmqt_v$i)
	done
	send_frames vmqt_gen gen0 ff:ff:ff:ff:ff:ff 50
	send_frames vmqt_gen gen0 01:00:5e:00:00:fb 50
	send_frames vmqt_gen gen0 02:00:00:00:5f:01 50
	wait_until 20 team_rx_at_least $((p0 + 150))
	sum=$(vmqctl -j vm show bond0 -s |
	      jq '[.[] | .rx_packets + .rx_sw_steered] | add')
	check_eq "$sum" 0 "the VMs' frames and frames steered"
	for i in $(seq 1 $NVMS); do
		wait_until 20 dev_tx_at_least vmqt_v$i $((t0[i] + 150))
	done
}

# capture_start DEV MAC OUT: tcpdump on DEV, frames to MAC only, its
# report in OUT once stopped; CAPTURE_PID its pid.
capture_start() {
	tcpdump -i "$1" -p -n -w /dev/null "ether dst $2" 2>"$3" &
	CAPTURE_PID=$!
	defer kill "$CAPTURE_PID"
	wait_until 30 grep -q "listening on $1" "$3"
}

# capture_count PID OUT: stop the capture; how many frames it saw.
capture_count() {
	kill "$1"	# SIGTERM: background jobs ignore SIGINT
	wait "$1" || true	# its status after a signal is not the point
	# The kernel's count of frames the filter passed: tcpdump may not
	# have read the last of them yet.
	sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' "$2"
}

# tcpdump on the member and on the bond sees each steered frame once:
# the member's taps run before vmq's ingress hook, on the CPU the frame
# came in on, the bond's on the VM's CPU (admin-guide.rst, "What a
# capture sees").
test_capture_sees_each_frame_once() {
	local mac member m_out b_out m_pid

	setup
	add_vms
	mac=$(vm_mac 1)
	wait_until 10 vm_is_sw "$mac"
	member=$(cat /sys/class/net/bond0/bonding/active_slave)
	m_out=$(mktemp)
	b_out=$(mktemp)
	defer rm -f "$m_out" "$b_out"
	capture_start "$member" "$mac" "$m_out"
	m_pid=$CAPTURE_PID
	capture_start bond0 "$mac" "$b_out"
	send_frames vmqt_gen gen0 "$mac" 100
	wait_until 20 vm_rx_at_least 1 100
	check_eq "$(vm "$mac" rx_sw_steered)" 100 "frames steered"
	check_eq "$(capture_count "$m_pid" "$m_out")" 100 "tcpdump on $member"
	check_eq "$(capture_count "$CAPTURE_PID" "$b_out")" 100 "tcpdump on bond0"
}

# hw alone is refused where a member cannot steer, saying which.
test_steering_hw_refused_on_igb() {
	setup
	expect_error "igb0 cannot steer by destination MAC" \
		vmqctl team set bond0 steering hw
	check_eq "$(team_json bond0 | jq -r .steering)" auto \
		"the setting unchanged"
}

ktap_run -f topology test_auto_on_igb_is_sw test_sw_cpus_spread_over_the_set \
	test_steering_off_steers_nothing test_detach_and_reattach_under_traffic \
	test_detach_delivers_queued_frames \
	test_unload_delivers_queued_frames test_vm_del_and_cpu_offline_under_traffic \
	test_vm_del_and_cpu_offline_keep_queued_frames \
	test_full_queue_drops_counted \
	test_broadcast_and_unknown_not_steered test_capture_sees_each_frame_once \
	test_steering_hw_refused_on_igb
