#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VMs on the guest's QEMU igb NICs.  QEMU's igb is an 82576, whose driver
# cannot steer by destination MAC (ntuple fixed off): a VM there still
# gets a queue and a CPU, its queue's IRQ found through igb's MSI-X
# layout (RX queue i is vector i + 1) and pinned, and under steering auto
# (the default) is steered to that CPU in software (state sw).  Pins are
# undone on release, detach and unload.

. "$VMQ_TOP/selftests/lib/vmq.sh"

VM1=52:54:00:aa:00:01
VM2=52:54:00:aa:00:02
VM3=52:54:00:aa:00:03

setup() {
	vmq_load
	defer vmq_unload
	defer ethtool -L igb0 combined "$(max_channels igb0)"
	defer ethtool -L igb1 combined "$(max_channels igb1)"
}

max_channels() {
	ethtool -l "$1" | awk '/^Pre-set/ {p=1} p && /^Combined:/ {print $2; exit}'
}

min_team() {
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
}

# The IRQ igb requested for a queue, by its name in /proc/interrupts.
igb_irq() {
	awk -v n="$1-TxRx-$2" '$NF == n {sub(":", "", $1); print $1}' \
		/proc/interrupts
}

affinity() {
	cat "/proc/irq/$1/smp_affinity_list"
}

affinity_is() {
	[ "$(affinity "$1")" = "$2" ]
}

vm_rx_at_least() {
	[ "$(vm "$1" rx_packets)" -ge "$2" ]
}

# steering auto, the default, on a NIC that cannot steer by MAC: the VM
# holds a queue for its CPU, as Min/Sum assign them, and is steered there
# in software; no frame of its lands on that queue.
test_vm_on_igb_sw_on_its_queues_cpu() {
	setup
	min_team
	check_eq "$(team_json bond0 | jq -r .steering)" auto "the default steering"
	vmqctl vm add bond0 $VM1 name web1
	check_eq "$(vm $VM1 state)" sw "state"
	check_contains "$(vm $VM1 state_reason)" "cannot steer" "reason"
	check_eq "$(vm $VM1 queue)" null "no queue of its frames' own"
	check_eq "$(vm $VM1 cpu)" 2 "cpu: first of the min set 2,4,6"
	check_eq "$(vm $VM1 name)" web1 "name"
}

test_irq_found_through_igb_layout_and_pinned() {
	local irq0 irq1

	setup
	min_team
	vmqctl vm add bond0 $VM1
	irq0=$(igb_irq igb0 1)
	irq1=$(igb_irq igb1 1)
	[ -n "$irq0" ] && [ -n "$irq1" ] || fail "no igb0/igb1-TxRx-1 in /proc/interrupts"
	check_eq "$(queue igb0 1 irq)" "$irq0" "igb0 queue 1's IRQ"
	check_eq "$(queue igb0 1 irq_method)" driver "how it was found"
	check_eq "$(queue igb0 1 cpu)" 2 "igb0 queue 1's CPU"
	check_eq "$(affinity "$irq0")" 2 "igb0 queue 1's affinity"
	# Min-Queue: the same queue on every member, pinned to the same CPU.
	check_eq "$(queue igb1 1 vm_mac)" $VM1 "igb1 queue 1's VM"
	check_eq "$(affinity "$irq1")" 2 "igb1 queue 1's affinity"
	check_eq "$(queue igb0 0 default)" true "queue 0 is a default queue"
}

test_vms_spread_over_the_set() {
	setup
	min_team
	vmqctl vm add bond0 $VM1
	vmqctl vm add bond0 $VM2
	vmqctl vm add bond0 $VM3
	check_eq "$(vmqctl -j vm show | jq -r '[.[].cpu] | join(",")')" \
		"2,4,6" "one VM per CPU of the set"
}

test_pin_undone_on_release_detach_unload() {
	local irq before

	setup
	min_team
	irq=$(igb_irq igb0 1)
	before=$(affinity "$irq")
	vmqctl vm add bond0 $VM1
	check_eq "$(affinity "$irq")" 2 "pinned"
	vmqctl vm del bond0 $VM1
	check_eq "$(affinity "$irq")" "$before" "restored after vm del"
	vmqctl vm add bond0 $VM1
	vmqctl team detach bond0
	check_eq "$(affinity "$irq")" "$before" "restored after detach"
	vmqctl team attach bond0
	vmqctl vm add bond0 $VM1
	check_eq "$(affinity "$irq")" 2 "pinned again"
	rmmod vmq
	check_eq "$(affinity "$irq")" "$before" "restored after rmmod"
}

test_exhaustion_and_promotion() {
	setup
	# Two queues each: one default, one for a VM.
	ethtool -L igb0 combined 2
	ethtool -L igb1 combined 2
	min_team
	vmqctl vm add bond0 $VM1
	vmqctl vm add bond0 $VM2
	vmqctl vm add bond0 $VM3
	# Queues are first come, first served; the rest are steered to CPUs
	# of the set all the same.
	check_contains "$(vm $VM1 state_reason)" "cannot steer" "first come"
	check_contains "$(vm $VM2 state_reason)" "no queue free" "second waits"
	check_contains "$(vm $VM3 state_reason)" "no queue free" "third waits"
	check_eq "$(vm $VM2 state)" sw "second steered in software meanwhile"
	vmqctl vm del bond0 $VM1
	check_contains "$(vm $VM2 state_reason)" "cannot steer" \
		"the longest waiter is served"
	check_contains "$(vm $VM3 state_reason)" "no queue free" \
		"the next still waits"
}

test_duplicate_and_bad_vms_refused() {
	setup
	min_team
	vmqctl vm add bond0 $VM1 vlan 10
	expect_error "52:54:00:aa:00:01 vlan 10 is already a VM of bond0" \
		vmqctl vm add bond0 $VM1 vlan 10
	vmqctl vm add bond0 $VM1
	expect_error "is not a unicast MAC" vmqctl vm add bond0 01:00:5e:00:00:01
	expect_error "bond0 has no VM 52:54:00:aa:00:02" \
		vmqctl vm del bond0 $VM2
	expect_error "No device nosuch in this network namespace" \
		vmqctl vm add nosuch $VM2
}

# A VM's name may be any bytes; -j output stays valid UTF-8 JSON, the
# bytes that are not UTF-8 shown as U+FFFD, the rest as they are.
test_vm_name_any_bytes_valid_json() {
	setup
	min_team
	vmqctl vm add bond0 $VM1 name $'caf\xc3\xa9-\xff'
	check_eq "$(vmqctl -j vm show bond0 | jq -r '.[0].name')" \
		$'caf\xc3\xa9-\xef\xbf\xbd' "the name in JSON"
}

test_drifted_affinity_repaired() {
	local irq

	vmq_unload
	insmod "$VMQ_KO" reconcile_ms=200
	defer vmq_unload
	defer ethtool -L igb0 combined "$(max_channels igb0)"
	min_team
	vmqctl vm add bond0 $VM1
	irq=$(igb_irq igb0 1)
	# What irqbalance would do.
	echo 7 > "/proc/irq/$irq/smp_affinity_list"
	wait_until 20 affinity_is "$irq" 2
	[ "$(vmqctl -j team show bond0 | jq .[0].repairs)" -ge 1 ] ||
		fail "repair not counted"
}

test_rx_counted_per_vm() {
	setup
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	quiet_bond bond0
	enslave bond0 igb0 igb1
	# As a bridge port would be: a VM's MAC is not the bond's.
	ip link set bond0 promisc on up
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl vm add bond0 $VM1
	gen_ns vmqt_gen
	wait_until 20 carrier_up bond0
	send_frames vmqt_gen gen0 $VM1 50 --len 100
	# With RSS spreading, rx_on_queue is whatever RSS gave it.
	wait_until 20 vm_rx_at_least $VM1 50
}

# monitor_ready LOG: the monitor is listening, as an attach it saw proves.
# It may join after an attach: each try detaches and attaches afresh.
monitor_ready() {
	vmqctl team detach bond0 2>/dev/null || true
	vmqctl team attach bond0
	grep -q '"event":"team-attached"' "$1"
}

saw() {
	grep -q "$2" "$1"
}

test_monitor_tells_each_change() {
	local log=/tmp/vmqt_monitor.$$ pid

	setup
	make_bond bond0 mode balance-xor xmit_hash_policy layer2+3
	vmqctl -j monitor > $log &
	pid=$!
	defer kill $pid
	defer rm -f $log
	defer vmqctl team detach bond0
	wait_until 20 monitor_ready $log
	vmqctl vm add bond0 $VM1
	wait_until 10 saw $log '"event":"vm-placed","team":"bond0".*"vm_mac":"52:54:00:aa:00:01"'
	vmqctl adapter set igb0 base-processor 2
	vmqctl adapter set igb1 base-processor 2
	ip link set bond0 type bond xmit_hash_policy vlan+srcmac
	wait_until 10 saw $log '"event":"mode-changed".*vlan+srcmac: sum-queue'
	wait_until 10 saw $log '"event":"misconfigured".*igb0 and igb1 both use CPUs 2,4,6'
	wait_until 10 saw $log '"event":"vm-moved".*misconfigured'
	vmqctl team plan bond0 apply >/dev/null
	wait_until 10 saw $log '"event":"fixed"'
	vmqctl team detach bond0
	wait_until 10 saw $log '"event":"team-detached"'
	check_eq "$(grep -c '"event":"misconfigured"' $log)" 1 "said once"
}

# An IRQ handed down for a queue must be one of the adapter's own MSI-X
# vectors: pinning another NIC's would move someone else's interrupt.
# irq auto's names are checked against sysfs the same way in vmqctl, and
# what it hands down passes the module's check.
test_handed_down_irq_must_be_the_adapters() {
	local mine theirs

	setup
	min_team
	mine=$(igb_irq igb0 1)
	theirs=$(igb_irq igb1 1)
	[ -n "$mine" ] && [ -n "$theirs" ] || fail "no igb0/igb1-TxRx-1 in /proc/interrupts"
	[ -e "/sys/class/net/igb0/device/msi_irqs/$mine" ] ||
		fail "igb0's IRQ $mine is not in its PCI function's msi_irqs"
	expect_error "IRQ $theirs is another device's MSI vector, not igb0's" \
		vmqctl adapter set igb0 queue 1 irq "$theirs"
	expect_error "There is no IRQ 99999" \
		vmqctl adapter set igb0 queue 1 irq 99999
	vmqctl adapter set igb0 queue 1 irq "$mine"
	vmqctl adapter set igb0 irq auto
	vmqctl adapter set igb1 irq auto
}

ktap_run \
	test_vm_on_igb_sw_on_its_queues_cpu \
	test_irq_found_through_igb_layout_and_pinned \
	test_handed_down_irq_must_be_the_adapters \
	test_vms_spread_over_the_set \
	test_pin_undone_on_release_detach_unload \
	test_exhaustion_and_promotion \
	test_duplicate_and_bad_vms_refused \
	test_vm_name_any_bytes_valid_json \
	test_drifted_affinity_repaired \
	test_rx_counted_per_vm \
	test_monitor_tells_each_change
