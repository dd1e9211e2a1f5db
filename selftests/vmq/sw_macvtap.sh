#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Software steering into a real macvtap, as a KVM host has it: a macvtap
# on an active-backup bond of the two QEMU igbs (which cannot steer by
# MAC), read through its tap character device as QEMU reads it.  Where
# the frames were processed is proved by the kernel's function tracer on
# tap_handle_frame() (drivers/net/tap.c), the macvtap's rx_handler: not
# by anything vmq reports of itself.  The igbs' queue interrupts are
# pinned to a CPU no VM is given, so that the CPU the tracer sees says
# which path the frames took.

. "$VMQ_TOP/selftests/lib/vmq.sh"

COUNT=200		# fits the tap's ring (macvtap's tx_queue_len, 500)
IRQ_CPU=1		# odd: outside the default processor set (2, 4, 6)
MVT=vmqtmvt

active() {
	cat /sys/class/net/bond0/bonding/active_slave
}

# irq_cpus DEV: per CPU, the interrupts DEV's queues have taken so far,
# one count per line, CPU 0 first.
irq_cpus() {
	awk -v dev="$1" '
		NR == 1 { ncpu = NF; next }
		$NF ~ "^" dev "-TxRx-" {
			for (i = 1; i <= ncpu; i++) n[i - 1] += $(i + 1)
		}
		END { for (i = 0; i < ncpu; i++) print n[i] + 0 }' /proc/interrupts
}

# traced_cpus: {"CPU": calls, ...} of tap_handle_frame, from each CPU's
# own buffer.
traced_cpus() {
	local d n out=

	for d in "$TRACE"/per_cpu/cpu*; do
		n=$(grep -c ' tap_handle_frame' "$d/trace" || true)
		[ "$n" -eq 0 ] || out+="${out:+,}\"${d##*cpu}\":$n"
	done
	echo "{$out}"
}

# The bond (its queue IRQs on IRQ_CPU), attached, with steering $1; a
# macvtap on it, up, with no IPv6 of its own; its tap device node made
# from sysfs (no udev) as TAPDEV.
setup() {
	local idx

	vmq_load
	defer vmq_unload
	igb_ab_bond
	gen_ns vmqt_gen
	pin_igb_irqs $IRQ_CPU
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl team set bond0 steering "$1"
	ip link add link bond0 name $MVT type macvtap mode bridge
	defer ip link del $MVT
	no_ipv6 "$MVT"
	ip link set $MVT up
	wait_until 20 carrier_up bond0
	idx=$(cat /sys/class/net/$MVT/ifindex)
	TAPDEV=$PWD/tap$idx
	IFS=: read -r major minor < "/sys/class/net/$MVT/macvtap/tap$idx/dev"
	mknod "$TAPDEV" c "$major" "$minor"
	defer rm -f "$TAPDEV"
	trace_setup tap_handle_frame
}

vm_rx_is() {
	[ "$(vm "$1" rx_packets)" -ge "$2" ]
}

traced_total_is() {
	[ "$(traced_cpus | jq '[.[]] | add // 0')" = "$1" ]
}

# receive MAC: COUNT frames to MAC from the generator, read by a reader
# of the tap device, with tap_handle_frame() traced meanwhile.  Sets
# GOT (the frames that reached vmq's hook), READ (the reader's JSON),
# TRACED (traced_cpus) and IRQS (the active member's queue interrupts
# per CPU meanwhile, one line each).
#
# On 6.12 a few of 200 frames sometimes never reach vmq's hook at all
# (seen: 1 and 3).  Most likely QEMU's igb dropped them: it drops a
# frame when the queue it picks has no free descriptor
# (igb_receive_internal(): RXO, counted nowhere the driver reads), not
# proven here.  They are counted (COUNT minus vmq's rx_packets),
# reported, and bounded; every frame that did reach vmq must reach the
# tap, on the CPU under test.
receive() {
	local mac=$1 out pid before dev rx0 lost

	dev=$(active)
	out=$(mktemp)
	defer rm -f "$out"
	# The deadline only bounds a failure; SIGUSR1 ends it once every
	# frame vmq took is at the tap.
	python3 "$VMQ_TOP/selftests/lib/tapread.py" "$TAPDEV" "$mac" \
		$COUNT "$(ktap_secs 300)" >"$out" &
	pid=$!
	# Python starts slowly under TCG.
	wait_until 60 grep -q ready "$out"
	rx0=$(vm "$mac" rx_packets)
	before=$(irq_cpus "$dev")
	echo 1 > "$TRACE/tracing_on"
	send_frames vmqt_gen gen0 "$mac" $COUNT --len 128
	# Every frame in, or the ones lost before vmq given up on.
	poll_until 30 vm_rx_is "$mac" $((rx0 + COUNT)) || :
	GOT=$(($(vm "$mac" rx_packets) - rx0))
	lost=$((COUNT - GOT))
	[ $lost -eq 0 ] ||
		diag "$lost of $COUNT frames never reached vmq: $dev's counters: $(ethtool -S "$dev" | grep -E 'rx_(missed|no_buffer|fifo|dropped|errors)' | tr -s ' \n' ' ')"
	[ $((lost * 20)) -le $COUNT ] ||
		fail "$lost of $COUNT frames lost before vmq: more than 5%"
	wait_until 60 traced_total_is "$GOT"
	# The reader ends by itself on its COUNT-th frame, and may have
	# already; the count it printed is checked below either way.
	kill -USR1 "$pid" 2>/dev/null || :
	wait "$pid"
	echo 0 > "$TRACE/tracing_on"
	IRQS=$(paste <(echo "$before") <(irq_cpus "$dev") |
	       awk '{ print $2 - $1 }')
	READ=$(tail -n 1 "$out")
	TRACED=$(traced_cpus)
	diag "reader: $READ; tap_handle_frame per CPU: $TRACED"
	diag "$dev's queue interrupts per CPU: $(echo $IRQS)"
	diag "vmq: $(vmqctl -j vm show bond0 -s | jq -c ".[] |
		select(.mac == \"$mac\") | {state, cpu, rx_packets, rx_on_cpu,
		rx_sw_steered, rx_sw_dropped}")"
	check_eq "$(jq .received <<<"$READ")" "$GOT" "frames the reader read"
}

# irq_cpu_took CPU: the active member's queue interrupts came on CPU.
irq_cpu_took() {
	[ "$(sed -n "$(($1 + 1))p" <<<"$IRQS")" -gt 0 ] ||
		fail "no queue interrupt on CPU $1: $(echo $IRQS)"
}

# Steered: every frame reaches the macvtap on the VM's CPU, not on the
# CPU its igb interrupt came on.  The bond's rx_handler (macvlan's
# macvlan_handle_frame(), drivers/net/macvlan.c) returns
# RX_HANDLER_ANOTHER with the macvtap as skb->dev, and the same
# __netif_receive_skb_core() loop runs the macvtap's rx_handler,
# tap_handle_frame(), on the CPU where vmq handed the frame to the bond.
test_sw_frames_reach_macvtap_on_vm_cpu() {
	local mac cpu

	setup sw
	mac=$(cat /sys/class/net/$MVT/address)
	vmqctl vm add bond0 "$mac"
	wait_until 10 vm_is_sw "$mac"
	cpu=$(vm "$mac" cpu)
	[ "$cpu" != null ] || fail "the VM has no CPU"
	[ "$cpu" != $IRQ_CPU ] || fail "the VM's CPU is the igbs' IRQ CPU"
	receive "$mac"
	irq_cpu_took $IRQ_CPU
	check_eq "$TRACED" "{\"$cpu\":$GOT}" \
		"tap_handle_frame() calls, all on the VM's CPU"
	check_eq "$(vm "$mac" rx_sw_steered)" "$GOT" "frames steered"
}

# The control: with steering off the VM has no CPU, and the same check
# finds every frame processed on the CPU the igb interrupt came on
# (the igb NAPI poll runs there, and the bond's and macvtap's
# rx_handlers with it).
test_off_frames_reach_macvtap_on_irq_cpu() {
	local mac

	setup off
	mac=$(cat /sys/class/net/$MVT/address)
	vmqctl vm add bond0 "$mac"
	check_eq "$(vm "$mac" state)" default "state"
	check_eq "$(vm "$mac" cpu)" null "the VM's CPU"
	receive "$mac"
	irq_cpu_took $IRQ_CPU
	check_eq "$TRACED" "{\"$IRQ_CPU\":$GOT}" \
		"tap_handle_frame() calls, all on the IRQ's CPU"
	check_eq "$(vm "$mac" rx_sw_steered)" 0 "frames steered"
}

ktap_run test_sw_frames_reach_macvtap_on_vm_cpu \
	test_off_frames_reach_macvtap_on_irq_cpu
