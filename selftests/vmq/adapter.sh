#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Adapters and processor sets on the guest's two igb NICs: queue counts
# as Windows teams report them, the planner's sets, explicit settings,
# the Min/Sum rules, and the seed's misconfiguration and its fix.
#
# The guest has 8 CPUs: 2 nodes x 2 cores x 2 threads, so one logical CPU
# per core is 0,2,4,6 and the planner leaves CPU 0's core alone: 2,4,6.

. "$VMQ_TOP/selftests/lib/vmq.sh"

setup() {
	vmq_load
	defer vmq_unload
	defer ethtool -L igb1 combined "$(max_channels igb1)"
}

max_channels() {
	ethtool -l "$1" | awk '/^Pre-set/ {p=1} p && /^Combined:/ {print $2; exit}'
}

adapter() {
	vmqctl -j adapter show "$1" | jq -e ".[0].$2"
}

procs() {
	vmqctl -j adapter show "$1" | jq -r '.[0].processors | join(",")'
}

team() {
	vmqctl -j team show "$1" | jq -r ".[0].$2"
}

sum_team() {
	make_bond bond0 mode balance-xor xmit_hash_policy vlan+srcmac
	vmqctl team attach bond0
	defer vmqctl team detach bond0
}

min_team() {
	make_bond bond0 mode balance-xor xmit_hash_policy layer2+3
	vmqctl team attach bond0
	defer vmqctl team detach bond0
}

test_queue_counts_follow_the_seed() {
	setup
	# 8 and 4 queues, as `ethtool -L` leaves them.
	ethtool -L igb1 combined 4
	min_team
	check_eq "$(team bond0 queue_count)" 4 "min-queue count of 8 and 4"
	check_eq "$(team bond0 vm_queue_count)" 3 "min-queue VM queues"
	ip link set bond0 type bond xmit_hash_policy vlan+srcmac
	check_eq "$(team bond0 queue_mode)" sum "mode after the hash change"
	check_eq "$(team bond0 queue_count)" 12 "sum-queue count of 8 and 4"
	check_eq "$(team bond0 vm_queue_count)" 10 "sum-queue VM queues"
}

test_adapters_listed_with_queues() {
	setup
	sum_team
	check_eq "$(vmqctl -j adapter show | jq -r '[.[].ifname] | join(" ")')" \
		"igb0 igb1" "adapters"
	check_eq "$(adapter igb0 team)" '"bond0"' "igb0's team"
	check_eq "$(adapter igb0 queues)" 8 "igb0's queues"
	check_eq "$(adapter igb0 default_queues)" 1 "default queues"
	check_eq "$(adapter igb0 processor_source)" '"planner"' "source"
}

test_planner_sum_sets_disjoint() {
	setup
	sum_team
	check_eq "$(procs igb0)" "2,4" "igb0's planned set"
	check_eq "$(procs igb1)" "6" "igb1's planned set"
	check_eq "$(team bond0 state)" ok "state"
}

test_planner_min_one_set() {
	setup
	min_team
	check_eq "$(procs igb0)" "2,4,6" "igb0's planned set"
	check_eq "$(procs igb1)" "2,4,6" "igb1's planned set"
}

test_explicit_set_one_lp_per_core() {
	setup
	sum_team
	vmqctl adapter set igb0 base-processor 1 max-processors 2
	# 1 is a second thread: the set starts at the next core.
	check_eq "$(procs igb0)" "2,4" "igb0's explicit set"
	check_eq "$(adapter igb0 processor_source)" '"explicit"' "source"
	check_eq "$(adapter igb0 base_processor)" 1 "base-processor kept"
	# The planner works around it.
	check_eq "$(procs igb1)" "6" "igb1 planned around igb0"
	vmqctl adapter set igb0 numa-node 1
	check_eq "$(procs igb0)" "4,6" "igb0 on node 1"
	check_eq "$(procs igb1)" "2" "igb1 planned around igb0"
	vmqctl adapter set igb0 processors auto
	check_eq "$(adapter igb0 processor_source)" '"planner"' "back to auto"
	check_eq "$(procs igb0)" "2,4" "igb0 planned again"
}

test_sum_overlap_refused_naming_both() {
	setup
	sum_team
	vmqctl adapter set igb0 base-processor 2 max-processors 2
	expect_error "sum-queue mode needs separate CPUs: igb0 and igb1 both use CPUs 4" \
		vmqctl adapter set igb1 base-processor 4
	check_eq "$(procs igb1)" "6" "igb1 unchanged after the refusal"
	check_eq "$(adapter igb1 processor_source)" '"planner"' "still planned"
	check_eq "$(team bond0 state)" ok "state"
}

test_min_difference_refused() {
	setup
	min_team
	vmqctl adapter set igb0 base-processor 2
	expect_error "min-queue mode needs identical CPUs: igb0 uses 2,4,6 but igb1 uses 4,6" \
		vmqctl adapter set igb1 base-processor 4
	vmqctl adapter set igb1 base-processor 2
	check_eq "$(procs igb1)" "2,4,6" "identical explicit sets"
}

test_bad_settings_refused() {
	setup
	sum_team
	expect_error "base-processor 99: the host's CPUs are 0-7" \
		vmqctl adapter set igb0 base-processor 99
	expect_error "max-processor-number 2 is below base-processor 4" \
		vmqctl adapter set igb0 base-processor 4 max-processor-number 2
	expect_error "NUMA node 5 is not online" \
		vmqctl adapter set igb0 numa-node 5
	expect_error "default-queues 8 leaves igb0 no queue for VMs: it has 8" \
		vmqctl adapter set igb0 default-queues 8
	expect_error "igb0's processor settings leave it no online CPU" \
		vmqctl adapter set igb0 base-processor 7
	expect_error "sum-queue mode needs separate CPUs: the explicit sets leave none for igb1" \
		vmqctl adapter set igb0 base-processor 2
	expect_error "is not a member of a bond vmq is attached to" \
		vmqctl adapter set gen0 base-processor 2
	check_eq "$(adapter igb0 processor_source)" '"planner"' "nothing changed"
}

# The seed: a Sum-Queue team (balance-xor + vlan+srcmac, like Hyper-V
# Port) whose NICs use the same cores.
seed_misconfigured() {
	min_team
	vmqctl adapter set igb0 base-processor 2
	vmqctl adapter set igb1 base-processor 2
	ip link set bond0 type bond xmit_hash_policy vlan+srcmac
	check_eq "$(team bond0 state)" misconfigured "state"
	check_eq "$(team bond0 state_reason)" \
		"sum-queue mode needs separate CPUs: igb0 and igb1 both use CPUs 2,4,6" \
		"state reason"
	test_dmesg | grep -q "bond0: vmq: misconfigured: sum-queue mode needs separate CPUs" ||
		fail "no misconfiguration in the kernel log"
}

test_seed_fixed_by_plan_apply() {
	setup
	seed_misconfigured
	vmqctl team plan bond0 apply
	check_eq "$(team bond0 state)" ok "state after plan apply"
	check_eq "$(procs igb0)" "2,4" "igb0 after plan apply"
	check_eq "$(procs igb1)" "6" "igb1 after plan apply"
}

test_seed_fixed_by_two_adapter_sets() {
	setup
	seed_misconfigured
	vmqctl adapter set igb0 max-processor-number 3
	check_eq "$(team bond0 state)" misconfigured "after the first command"
	vmqctl adapter set igb1 base-processor 4
	check_eq "$(team bond0 state)" ok "after the second command"
	check_eq "$(procs igb0)" "2" "igb0"
	check_eq "$(procs igb1)" "4,6" "igb1"
}

test_plan_shows_without_applying() {
	setup
	seed_misconfigured
	check_eq "$(vmqctl -j team plan bond0 | jq -r '[.[0].adapters[].processors | join(",")] | join(" ")')" \
		"2,4 6" "planned sets"
	check_eq "$(team bond0 state)" misconfigured "plan alone changes nothing"
}

ktap_run \
	test_queue_counts_follow_the_seed \
	test_adapters_listed_with_queues \
	test_planner_sum_sets_disjoint \
	test_planner_min_one_set \
	test_explicit_set_one_lp_per_core \
	test_sum_overlap_refused_naming_both \
	test_min_difference_refused \
	test_bad_settings_refused \
	test_seed_fixed_by_plan_apply \
	test_seed_fixed_by_two_adapter_sets \
	test_plan_shows_without_applying
