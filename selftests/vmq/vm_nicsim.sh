#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VMs on nicsim, which steers by destination MAC as mlx5 or i210 do:
# dedicated hardware queues, their IRQs pinned, frames landing on the
# VM's queue and processed on its CPU; the seed scenario; refusals,
# exhaustion, Sum failover, drift repair, and a host left as vmq found it.
#
# Two NICs of 8 and 4 queues, a0 and a1, bonded; their link partners b0
# and b1 in the generator's namespace.

. "$VMQ_TOP/selftests/lib/vmq.sh"

NICSIM_KO=${VMQ_NICSIM_KO:-$(dirname "$VMQ_KO")/../selftests/nicsim/nicsim.ko}
DBG=/sys/kernel/debug/nicsim
TRAFFIC=$VMQ_TOP/selftests/nicsim/traffic.py
GEN=vmqt_gen

X=02:00:00:00:00:0a
Y=02:00:00:00:00:0b
Z=02:00:00:00:00:0c

setup() {
	[ -d /sys/module/nicsim ] || insmod "$NICSIM_KO"
	defer rmmod nicsim
	insmod "$VMQ_KO" reconcile_ms=200
	defer vmq_unload
	echo "a0 b0 8" > /sys/bus/nicsim/new_pair
	defer del_pair a0
	echo "a1 b1 4" > /sys/bus/nicsim/new_pair
	defer del_pair a1
	ip netns add $GEN
	defer ip netns del $GEN
	ip netns exec $GEN sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip link set b0 netns $GEN
	ip link set b1 netns $GEN
	ip -n $GEN link set b0 up
	ip -n $GEN link set b1 up
}

del_pair() {
	echo "$1" > /sys/bus/nicsim/del_pair
}

bond() {
	ip link add bond0 type bond "$@"
	defer ip link del bond0
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
	enslave bond0 a0 a1
	ip link set bond0 up
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	# nicsim's IRQs: found by vmq through the queue->NAPI link on 6.12;
	# on 6.1 vmqctl resolves them from /proc/interrupts.
	vmqctl adapter set a0 irq auto
	vmqctl adapter set a1 irq auto
}

min_bond() {
	bond mode active-backup
}

sum_bond() {
	bond mode balance-xor xmit_hash_policy vlan+srcmac
}

vm() {
	vmqctl -j vm show bond0 | jq -r ".[] | select(.mac == \"$1\") | .$2"
}

queue() {
	vmqctl -j queue show bond0 |
		jq -r ".[] | select(.adapter == \"$1\" and .queue == $2) | .$3"
}

# rule_for DEV MAC: the queue DEV's rule for MAC sends to, from nicsim.
rule_for() {
	awk -v m="$2" '$2 == m {print $4}' "$DBG/$1/rules"
}

has_rule() {
	[ -n "$(rule_for "$1" "$2")" ]
}

no_rule() {
	[ -z "$(rule_for "$1" "$2")" ]
}

# vm_is MAC FIELD VALUE: for wait_until, which needs a command to re-run.
vm_is() {
	[ "$(vm "$1" "$2")" = "$3" ]
}

# pinned_to_queue DEV QUEUE CPU: the queue's IRQ, as it is now, is on CPU.
pinned_to_queue() {
	[ "$(affinity "$(irq_of "$1" "$2")")" = "$3" ]
}

repairs_at_least() {
	[ "$(vmqctl -j team show bond0 | jq .[0].repairs)" -ge "$1" ]
}

rules_count() {
	wc -l < "$DBG/$1/rules"
}

# napi_on DEV QUEUE CPU: frames NAPI polled for QUEUE on CPU.
napi_on() {
	awk -v q="$2" -v c="$3" '$1 == q && $2 == c {print $3}' \
		"$DBG/$1/rx_cpu" | grep . || echo 0
}

napi_at_least() {
	[ "$(napi_on "$1" "$2" "$3")" -ge "$4" ]
}

irq_of() {
	awk -v q="$2" '$1 == q {print $2}' "$DBG/$1/irqs"
}

affinity() {
	cat "/proc/irq/$1/smp_affinity_list"
}

send() {
	ip netns exec $GEN python3 "$TRAFFIC" "$@"
}

test_queue_counts_4_and_8() {
	setup
	min_bond
	check_eq "$(vmqctl -j team show bond0 | jq .[0].queue_count)" 4 "min"
	vmqctl team detach bond0
	ip link del bond0
	sum_bond
	check_eq "$(vmqctl -j team show bond0 | jq .[0].queue_count)" 12 "sum"
}

test_min_vm_frames_on_its_queue_and_cpu() {
	local q cpu irq

	setup
	min_bond
	vmqctl vm add bond0 $X name vmx
	check_eq "$(vm $X state)" hw "state"
	q=$(vm $X queue)
	cpu=$(vm $X cpu)
	check_eq "$(rule_for a0 $X)" "$q" "a0's rule for X"
	check_eq "$(rule_for a1 $X)" "$q" "a1's rule for X (min: every member)"
	ethtool -n a0 | grep -qi "$X" || fail "rule not in ethtool -n a0"
	irq=$(irq_of a0 "$q")
	check_eq "$(queue a0 "$q" irq)" "$irq" "queue show's IRQ"
	check_eq "$(affinity "$irq")" "$cpu" "IRQ affinity = queue show's CPU"
	check_eq "$(affinity "$(irq_of a1 "$q")")" "$cpu" "a1's IRQ, same CPU"
	send b0 "$X/200"
	wait_until 20 napi_at_least a0 "$q" "$cpu" 200
	check_eq "$(vm $X rx_on_queue)" 200 "frames on X's queue"
	check_eq "$(vm $X rx_on_cpu)" 200 "frames on X's CPU"
}

# nicsim takes VID-qualified rules, as mlx5 does: the rule names the VLAN.
test_vlan_qualified_rule() {
	setup
	min_bond
	vmqctl vm add bond0 $X vlan 10
	check_eq "$(vm $X state)" hw "state"
	check_eq "$(awk -v m=$X '$2 == m {print $3}' $DBG/a0/rules)" 10 \
		"a0's rule for X matches VLAN 10"
	vmqctl vm add bond0 $X vlan 20
	check_eq "$(awk -v m=$X '$3 == 20 {print $2}' $DBG/a0/rules)" $X \
		"the same MAC on VLAN 20 is another VM, with its own rule"
}

test_rss_narrowed_and_restored() {
	local before

	setup
	before=$(ethtool -x a0 | grep -A100 "^RX flow hash indirection")
	min_bond
	vmqctl vm add bond0 $X
	check_eq "$(vmqctl -j adapter show a0 | jq .[0].rss_narrowed)" true "narrowed"
	ethtool -x a0 | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) if ($i != 0) bad = 1} END {exit bad}' ||
		fail "RSS still points at VM queues"
	vmqctl vm del bond0 $X
	check_eq "$(ethtool -x a0 | grep -A100 "^RX flow hash indirection")" \
		"$before" "RSS table restored"
}

test_sum_vm_on_the_bonds_member_only() {
	local m other

	setup
	sum_bond
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" hw "state"
	m=$(vm $X adapter)
	[ "$m" = a0 ] && other=a1 || other=a0
	check_eq "$(rule_for "$m" $X)" "$(vm $X queue)" "rule on the member"
	check_eq "$(rule_for $other $X)" "" "no rule on the other member"
}

test_seed_misconfigured_then_fixed() {
	setup
	bond mode balance-xor xmit_hash_policy layer2+3
	vmqctl adapter set a0 base-processor 2
	vmqctl adapter set a1 base-processor 2
	vmqctl vm add bond0 $X
	vmqctl vm add bond0 $Y
	ip link set bond0 type bond xmit_hash_policy vlan+srcmac
	check_eq "$(vmqctl -j team show bond0 | jq -r .[0].state)" \
		misconfigured "team state"
	check_eq "$(vm $X state)" misconfigured "X falls back"
	check_eq "$(rules_count a0)$(rules_count a1)" 00 "no rules while misconfigured"
	vmqctl team plan bond0 apply >/dev/null
	check_eq "$(vm $X state)" hw "X after plan apply"
	check_eq "$(vm $Y state)" hw "Y after plan apply"
	check_eq "$(affinity "$(irq_of "$(vm $X adapter)" "$(vm $X queue)")")" \
		"$(vm $X cpu)" "X's IRQ pinned"
}

test_rule_table_full_refused_then_retried() {
	setup
	min_bond
	echo 1 > $DBG/a1/rule_capacity
	vmqctl vm add bond0 $X
	vmqctl vm add bond0 $Y
	check_eq "$(vm $X state)" hw "X"
	check_eq "$(vm $Y state)" refused "Y"
	check_contains "$(vm $Y state_reason)" "a1 refused the rule: -ENOSPC" "why"
	# Never half programmed: no rule for Y on a0 either.
	check_eq "$(rule_for a0 $Y)" "" "Y's rule on a0"
	vmqctl vm del bond0 $X
	check_eq "$(vm $Y state)" hw "Y once X left"
}

test_injected_insert_failure() {
	setup
	min_bond
	echo "1 5" > $DBG/a0/fail_insert	# EIO
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" refused "X"
	check_contains "$(vm $X state_reason)" "-EIO" "why"
	check_eq "$(rules_count a0)$(rules_count a1)" 00 "nothing half programmed"
}

test_queue_exhaustion_and_promotion() {
	setup
	min_bond
	# min(8, 4) queues, one default: 3 VM queues.
	vmqctl vm add bond0 02:00:00:00:01:01
	vmqctl vm add bond0 02:00:00:00:01:02
	vmqctl vm add bond0 02:00:00:00:01:03
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" default "X waits"
	vmqctl vm del bond0 02:00:00:00:01:02
	check_eq "$(vm $X state)" hw "X promoted"
}

test_sum_failover_and_back() {
	local m other

	setup
	sum_bond
	vmqctl vm add bond0 $X
	m=$(vm $X adapter)
	[ "$m" = a0 ] && other=a1 || other=a0
	echo 0 > "$DBG/$m/carrier"
	wait_until 30 vm_is $X adapter "$other"
	wait_until 10 no_rule "$m" $X
	check_eq "$(rule_for $other $X)" "$(vm $X queue)" "rule moved"
	echo 1 > "$DBG/$m/carrier"
	wait_until 30 vm_is $X adapter "$m"
}

test_rule_deleted_by_hand_repaired() {
	local loc

	setup
	min_bond
	vmqctl vm add bond0 $X
	loc=$(awk -v m=$X '$2 == m {print $1}' $DBG/a0/rules)
	# The pass runs every 200 ms: the rule may be back before the next
	# command could look, so the repair count is what proves it went.
	ethtool -N a0 delete "$loc"
	wait_until 20 repairs_at_least 1
	wait_until 20 has_rule a0 $X
}

test_nicsim_reset_repaired() {
	local q cpu

	setup
	min_bond
	vmqctl vm add bond0 $X
	q=$(vm $X queue)
	cpu=$(vm $X cpu)
	# As ethtool -L resets igb: new IRQs, affinity lost, rules dropped.
	echo lose-rules > $DBG/a0/reset
	# New IRQ numbers: vmqctl hands them down again where vmq cannot
	# find them itself (6.1).
	vmqctl adapter set a0 irq auto
	wait_until 20 has_rule a0 $X
	wait_until 20 pinned_to_queue a0 "$q" "$cpu"
}

test_detach_and_unload_leave_nothing() {
	local rss aff

	setup
	min_bond
	rss=$(ethtool -x a0)
	aff=$(for q in 0 1 2 3 4 5 6 7; do affinity "$(irq_of a0 $q)"; done)
	vmqctl vm add bond0 $X
	vmqctl vm add bond0 $Y
	vmqctl team detach bond0
	check_eq "$(rules_count a0)$(rules_count a1)" 00 "rules after detach"
	check_eq "$(ethtool -x a0)" "$rss" "RSS after detach"
	check_eq "$(for q in 0 1 2 3 4 5 6 7; do affinity "$(irq_of a0 $q)"; done)" \
		"$aff" "IRQ affinities after detach"
	vmqctl team attach bond0
	vmqctl adapter set a0 irq auto
	vmqctl adapter set a1 irq auto
	vmqctl vm add bond0 $X
	rmmod vmq
	check_eq "$(rules_count a0)$(rules_count a1)" 00 "rules after rmmod"
	check_eq "$(ethtool -x a0)" "$rss" "RSS after rmmod"
	check_eq "$(for q in 0 1 2 3 4 5 6 7; do affinity "$(irq_of a0 $q)"; done)" \
		"$aff" "IRQ affinities after rmmod"
}

ktap_run \
	test_queue_counts_4_and_8 \
	test_min_vm_frames_on_its_queue_and_cpu \
	test_vlan_qualified_rule \
	test_rss_narrowed_and_restored \
	test_sum_vm_on_the_bonds_member_only \
	test_seed_misconfigured_then_fixed \
	test_rule_table_full_refused_then_retried \
	test_injected_insert_failure \
	test_queue_exhaustion_and_promotion \
	test_sum_failover_and_back \
	test_rule_deleted_by_hand_repaired \
	test_nicsim_reset_repaired \
	test_detach_and_unload_leave_nothing
