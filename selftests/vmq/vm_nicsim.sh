#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the tests are called by name, by ktap_run
#
# VMs on nicsim, which steers by destination MAC as mlx5 or i210 do:
# dedicated hardware queues, their IRQs pinned, frames landing on the
# VM's queue and processed on its CPU; the seed scenario; refusals,
# exhaustion, Sum failover, drift repair, and a host left as vmq found it.
#
# Two NICs of 8 and 4 queues, a0 and a1, bonded; their link partners b0
# and b1 in the generator's namespace.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/nicsim_team.sh"

test_queue_counts_4_and_8() {
	setup
	min_bond
	check_eq "$(team queue_count)" 4 "min"
	vmqctl team detach bond0
	ip link del bond0
	sum_bond
	check_eq "$(team queue_count)" 12 "sum"
}

test_min_vm_frames_on_its_queue_and_cpu() {
	local q cpu irq

	setup
	min_bond
	vmqctl vm add bond0 $X name vmx
	check_eq "$(vm $X state)" hw "state"
	wait_until 20 vm_has_cpu $X
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
	check_eq "$(awk -v m=$X '$2 == m {print $3}' $NICSIM_DBG/a0/rules)" 10 \
		"a0's rule for X matches VLAN 10"
	vmqctl vm add bond0 $X vlan 20
	check_eq "$(awk -v m=$X '$3 == 20 {print $2}' $NICSIM_DBG/a0/rules)" $X \
		"the same MAC on VLAN 20 is another VM, with its own rule"
}

# indir_entries DEV: how many entries DEV's indirection table has.
indir_entries() {
	ethtool -x "$1" | awk '/^ *[0-9]+:/ {n += NF - 1} END {print n}'
}

# indir_only_queue_0 DEV: every entry of DEV's table names queue 0.
indir_only_queue_0() {
	ethtool -x "$1" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) if ($i != 0) bad = 1} END {exit bad}'
}

test_rss_narrowed_and_restored() {
	local before

	setup
	before=$(rss_table a0)
	min_bond
	vmqctl vm add bond0 $X
	check_eq "$(vmqctl -j adapter show a0 | jq .[0].rss_narrowed)" true "narrowed"
	indir_only_queue_0 a0 || fail "RSS still points at VM queues"
	vmqctl vm del bond0 $X
	check_eq "$(rss_table a0)" "$before" "RSS table restored"
}

rss_table() {
	ethtool -x "$1" | grep -A100 "^RX flow hash indirection"
}

rss_table_is() {
	[ "$(rss_table "$1")" = "$2" ]
}

# A table the driver will not take back (debugfs fail_rxfh) is kept and
# asked for again, never forgotten: when the last VM goes, at detach (by
# the module, past the team), and at unload it is said how to give it
# back.
test_rss_restore_refused_retried() {
	local before

	setup
	before=$(rss_table a0)
	min_bond
	vmqctl vm add bond0 $X
	echo "1000000 16" > $NICSIM_DBG/a0/fail_rxfh	# EBUSY
	vmqctl vm del bond0 $X
	indir_only_queue_0 a0 || fail "a0's table given back, though refused"
	check_contains "$(test_dmesg | grep 'RSS table not given back' | tail -1)" \
		"asked again later" "the log"
	echo "0 16" > $NICSIM_DBG/a0/fail_rxfh
	wait_until 20 rss_table_is a0 "$before"
	vmqctl vm add bond0 $X
	echo "1000000 16" > $NICSIM_DBG/a0/fail_rxfh
	vmqctl team detach bond0
	indir_only_queue_0 a0 || fail "a0's table given back at detach, though refused"
	echo "0 16" > $NICSIM_DBG/a0/fail_rxfh
	wait_until 20 rss_table_is a0 "$before"
	check_contains "$(test_dmesg | grep 'RSS table given back at last' | tail -1)" \
		a0 "the log"
	vmqctl team attach bond0
	vmqctl vm add bond0 $X
	echo "1000000 16" > $NICSIM_DBG/a0/fail_rxfh
	rmmod vmq
	check_contains "$(test_dmesg | grep 'RSS table left narrowed' | tail -1)" \
		"\`ethtool -X a0 default\`" "the log at unload"
	echo "0 16" > $NICSIM_DBG/a0/fail_rxfh
}

# Attached again while a table is owed (no pass ran to give it back): the
# table to give back is still the one found first, not vmq's narrowing
# left in; and one the driver spread anew meanwhile is still owed, and
# narrowing it again is no repair.
test_rss_owed_table_taken_over() {
	local before

	RECONCILE_MS=0 setup
	before=$(rss_table a0)
	min_bond
	vmqctl vm add bond0 $X
	echo "1000000 16" > $NICSIM_DBG/a0/fail_rxfh
	vmqctl team detach bond0
	echo "0 16" > $NICSIM_DBG/a0/fail_rxfh
	indir_only_queue_0 a0 || fail "a0's table given back at detach, though refused"
	vmqctl team attach bond0
	vmqctl vm add bond0 $X
	vmqctl vm del bond0 $X
	check_eq "$(rss_table a0)" "$before" "a0's table, owed across detach and attach"
	vmqctl vm add bond0 $X
	echo "1000000 16" > $NICSIM_DBG/a0/fail_rxfh
	vmqctl team detach bond0
	echo "0 16" > $NICSIM_DBG/a0/fail_rxfh
	ethtool -X a0 default
	vmqctl team attach bond0
	vmqctl vm add bond0 $X
	indir_only_queue_0 a0 || fail "a0's table not narrowed"
	check_eq "$(team repairs)" 0 "repairs: taking the owed table over"
}

# A table owed to a NIC vmq let go of is not written over one someone set
# since: the owed one is dropped, theirs stays.
test_rss_owed_table_yields_to_a_new_one() {
	RECONCILE_MS=0 setup
	min_bond
	vmqctl vm add bond0 $X
	echo "1 16" > $NICSIM_DBG/a0/fail_rxfh
	vmqctl team detach bond0
	indir_only_queue_0 a0 || fail "a0's table given back at detach, though refused"
	ethtool -X a0 weight 1 3
	echo 200 > /sys/module/vmq/parameters/reconcile_ms
	wait_until 20 eval 'test_dmesg | grep -q "no longer vmq.s to give back"'
	check_eq "$(indir_counts a0)" "0:32 1:96" "the table set since"
}

# first_row DEV: the first 8 entries of DEV's indirection table.
first_row() {
	ethtool -x "$1" | awk '/^ *[0-9]+:/ {print $2, $3, $4, $5, $6, $7, $8, $9; exit}'
}

# vmq sets its table as `ethtool -X` does, marked configured, so a
# channel change keeps it (mlx5, ice and nicsim spread only an
# unconfigured table anew).  The table it found was the driver's own: it
# gives back the driver's spread over the queues there are then, and the
# mark with it, so the next channel change spreads the table again.
test_rss_configured_across_channel_change() {
	local repairs

	setup
	ethtool -L a0 combined 4
	min_bond
	vmqctl vm add bond0 $X
	indir_only_queue_0 a0 || fail "a0's table not narrowed"
	repairs=$(team repairs)
	ethtool -L a0 combined 8
	indir_only_queue_0 a0 || fail "the channel change spread vmq's table"
	vmqctl vm del bond0 $X
	check_eq "$(first_row a0)" "0 1 2 3 4 5 6 7" "the driver's spread over 8"
	ethtool -L a0 combined 6
	check_eq "$(first_row a0)" "0 1 2 3 4 5 0 1" \
		"spread anew at 6: the table is the driver's again"
	check_eq "$(team repairs)" "$repairs" "nothing needed repair"
}

# indir_counts DEV: how many entries of DEV's table name each queue.
indir_counts() {
	ethtool -x "$1" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) n[$i]++}
		END {for (q in n) {printf "%s%s:%d", sep, q, n[q]; sep = " "}}' |
		tr ' ' '\n' | sort -n | paste -sd' '
}

# An administrator's table, set before vmq or while it holds the NIC, is
# the one given back (a plain `equal N` set meanwhile cannot be told
# from a driver's own spread: weights can).
test_rss_admins_table_given_back() {
	setup
	ip link set a0 up
	ethtool -X a0 equal 2
	min_bond
	vmqctl vm add bond0 $X
	indir_only_queue_0 a0 || fail "a0's table not narrowed"
	vmqctl vm del bond0 $X
	check_eq "$(first_row a0)" "0 1 0 1 0 1 0 1" "the table set before vmq"
	vmqctl vm add bond0 $X
	ethtool -X a0 weight 1 3
	wait_until 20 indir_only_queue_0 a0
	vmqctl vm del bond0 $X
	check_eq "$(indir_counts a0)" "0:32 1:96" "the table set meanwhile"
}

# An administrator's table that no longer fits once `ethtool -L` shrank
# the queues under vmq's narrowed one is given back refitted: its
# pattern kept, folded onto the queues there are, not dropped.
test_rss_admins_table_refitted_after_shrink() {
	local q

	setup
	ip link set a0 up
	ethtool -X a0 weight 0 0 0 0 0 0 1 1
	min_bond
	vmqctl vm add bond0 $X
	indir_only_queue_0 a0 || fail "a0's table not narrowed"
	q=$(vm $X queue)
	[ "$q" -lt 4 ] || fail "X on a0 queue $q: the shrink to 4 would be refused"
	ethtool -L a0 combined 4
	vmqctl vm del bond0 $X
	check_eq "$(indir_counts a0)" "2:64 3:64" \
		"the administrator's queues 6 and 7, folded onto 2 and 3"
	check_contains "$(test_dmesg | grep 'given back refitted' | tail -1)" \
		"refitted to 4 queues" "the log"
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

# The bond's vlan+srcmac hash, vlan ^ OUI ^ NIC-specific half of the
# source MAC, sends X (even) through one member and Y (odd) through the
# other; each VM's queue, and the CPU its frames are processed on, is
# on that member, from that member's own processors.
test_sum_vm_frames_on_its_queue_and_cpu() {
	setup
	sum_bond
	vmqctl vm add bond0 $X name vmx
	vmqctl vm add bond0 $Y name vmy
	check_eq "$(vm $Y adapter)" "$(other "$(vm $X adapter)")" \
		"X and Y transmit through different members"
	frames_on_own_queue_and_cpu $X 150
	frames_on_own_queue_and_cpu $Y 150
}

# A member taken out of a Sum team: its VMs move to the member the bond
# now transmits through, and it is left as vmq found it -- no rule, its
# RSS table and IRQ affinities back.  Put back, it takes VMs again.
test_sum_member_leaves_and_rejoins() {
	local m o
	local -a rss aff

	RECONCILE_MS=0 setup
	# a0's and a1's state before vmq knew them.  Their IRQs are
	# requested, and so in /proc/irq, only while they are up.
	for m in a0 a1; do
		ip link set $m up
		rss[${m#a}]=$(ethtool -x $m)
		aff[${m#a}]=$(affinities $m)
	done
	sum_bond
	vmqctl vm add bond0 $X
	m=$(vm $X adapter)
	o=$(other "$m")
	ip link set "$m" nomaster
	wait_until 30 vm_is $X adapter "$o"
	check_eq "$(team queue_count)" \
		"$(combined_channels "$o")" "the team's queues: $o's alone"
	check_eq "$(rule_for "$o" $X)" "$(vm $X queue)" "X's rule on $o"
	check_eq "$(rule_count "$m")" 0 "rules left on $m"
	check_eq "$(ethtool -x "$m")" "${rss[${m#a}]}" "$m's RSS table"
	ip link set "$m" up	# the bond closed it on release
	check_eq "$(affinities "$m")" "${aff[${m#a}]}" "$m's IRQ affinities"
	expect_error "$m" vmqctl adapter show "$m"
	check_eq "$(bond_sends_via $X)" "$o" "the bond's member for X"
	frames_on_own_queue_and_cpu $X 100

	# Y, added while $m is out, goes where everything goes: to $o.
	vmqctl vm add bond0 $Y
	check_eq "$(vm $Y adapter)" "$o" "Y on $o, the only member"
	enslave bond0 "$m"
	ip link set "$m" up
	check_eq "$(team queue_count)" 12 \
		"the team's queues with $m back"
	# $m is now second in the bond's transmit array: X's even hash
	# stays on $o, and Y's odd one goes to $m, on the bond's own events
	# (its notifier comes before it puts $m in the array).
	wait_until 30 vm_is $Y adapter "$m"
	check_eq "$(vm $X adapter)" "$o" "X stays"
	check_eq "$(bond_sends_via $Y)" "$m" "the bond's member for Y"
	frames_on_own_queue_and_cpu $Y 100
}

# A VLAN VM is placed on the member the bond sends that VLAN's frames
# through: vlan+srcmac hashes the tag with the MAC, so Y on VLAN 11 (odd)
# and Y untagged go through different members.  (Priority bits, which
# the hash covers too, never change the member of a team of 2, 4 or 8:
# bonding takes the hash modulo the member count.)
test_sum_vlan_vm_on_the_bonds_member() {
	local m

	setup
	sum_bond
	ip link add link bond0 name bond0.11 type vlan id 11
	defer ip link del bond0.11
	ip link set bond0.11 up
	vmqctl vm add bond0 $Y vlan 11
	m=$(vm $Y adapter)
	check_eq "$(bond_sends_via $Y bond0.11)" "$m" "the bond's member for Y on VLAN 11"
	check_eq "$(bond_sends_via $Y)" "$(other "$m")" \
		"the bond's member for Y untagged: the VLAN tells"
	frames_on_own_queue_and_cpu $Y 50 vlan=11
}

test_seed_misconfigured_then_fixed() {
	setup
	bond mode balance-xor xmit_hash_policy layer2+3
	vmqctl adapter set a0 base-processor 2
	vmqctl adapter set a1 base-processor 2
	vmqctl vm add bond0 $X
	vmqctl vm add bond0 $Y
	ip link set bond0 type bond xmit_hash_policy vlan+srcmac
	check_eq "$(team state)" \
		misconfigured "team state"
	# steering auto: a VM the team cannot give a queue is steered in
	# software meanwhile, and says why.
	check_eq "$(vm $X state)" sw "X falls back"
	check_contains "$(vm $X state_reason)" misconfigured "X's reason"
	check_eq "$(rule_count a0)$(rule_count a1)" 00 "no rules while misconfigured"
	vmqctl team plan bond0 apply >/dev/null
	check_eq "$(vm $X state)" hw "X after plan apply"
	check_eq "$(vm $Y state)" hw "Y after plan apply"
	wait_until 20 vm_has_cpu $X
	check_eq "$(affinity "$(irq_of "$(vm $X adapter)" "$(vm $X queue)")")" \
		"$(vm $X cpu)" "X's IRQ pinned"
}

test_rule_table_full_refused_then_retried() {
	setup
	min_bond
	echo 1 > $NICSIM_DBG/a1/rule_capacity
	vmqctl vm add bond0 $X
	vmqctl vm add bond0 $Y
	check_eq "$(vm $X state)" hw "X"
	check_eq "$(vm $Y state)" sw "Y, in software meanwhile"
	check_contains "$(vm $Y state_reason)" "a1 refused the rule: -ENOSPC" "why"
	# Never half programmed: no rule for Y on a0 either.
	check_eq "$(rule_for a0 $Y)" "" "Y's rule on a0"
	vmqctl vm del bond0 $X
	check_eq "$(vm $Y state)" hw "Y once X left"
}

# A refused rule is this VM's, not the NIC's: the reconcile pass asks
# again, and once the NIC takes rules the VM gets its queue.
test_injected_insert_failure() {
	setup
	min_bond
	echo "1000000 5" > $NICSIM_DBG/a0/fail_insert	# EIO
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" sw "X, in software meanwhile"
	check_contains "$(vm $X state_reason)" "-EIO" "why"
	check_eq "$(rule_count a0)$(rule_count a1)" 00 "nothing half programmed"
	echo "0 5" > $NICSIM_DBG/a0/fail_insert
	wait_until 20 vm_is $X state hw
	check_eq "$(rule_count a0)$(rule_count a1)" 11 "X's rules, once asked again"
}

test_queue_exhaustion_and_promotion() {
	setup
	min_bond
	# min(8, 4) queues, one default: 3 VM queues.
	vmqctl vm add bond0 02:00:00:00:01:01
	vmqctl vm add bond0 02:00:00:00:01:02
	vmqctl vm add bond0 02:00:00:00:01:03
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" sw "X waits, in software"
	check_contains "$(vm $X state_reason)" "no queue free" "X's reason"
	vmqctl vm del bond0 02:00:00:00:01:02
	check_eq "$(vm $X state)" hw "X promoted"
}

# When every VM is placed afresh (here because a1 got a queue more), a
# VM can move to a queue another VM's rule still points at, or to a lower
# queue while its own old rule still stands.  nicsim, like igb and ice,
# refuses a second rule with the same match: vmq must take the old rules
# out before it puts the new ones in, or both VMs end up refused.
test_replacement_moves_rules_without_clashing() {
	local v

	setup
	min_bond
	vmqctl vm add bond0 02:00:00:00:01:01
	vmqctl vm add bond0 $X
	vmqctl vm add bond0 $Y
	vmqctl vm del bond0 02:00:00:00:01:01
	check_eq "$(vm $X queue)$(vm $Y queue)" 23 "X and Y before the flap"
	ethtool -L a1 combined 5
	wait_until 30 team_queue_count_is 5
	for v in $X $Y; do
		wait_until 20 vm_has_cpu $v
		check_eq "$(vm $v state) $(vm $v state_reason)" "hw null" "$v's state"
	done
	check_eq "$(vm $X queue)$(vm $Y queue)" 12 "X and Y placed afresh"
	for v in $X $Y; do
		check_eq "$(rule_for a0 $v)" "$(vm $v queue)" "a0's rule for $v"
		check_eq "$(rule_for a1 $v)" "$(vm $v queue)" "a1's rule for $v"
	done
	check_eq "$(rule_count a0)$(rule_count a1)" 22 "rules: X's and Y's only"
}

# vmq handles teams of up to 8 members: a ninth makes the team
# misconfigured, saying so, and the planner refuses rather than plan
# for some of them.
test_ninth_member_refused_plainly() {
	local i

	setup
	min_bond
	for i in 2 3 4 5 6 7; do
		new_pair "a$i" "b$i" 2
		defer del_pair "a$i"
		enslave bond0 "a$i"
	done
	check_eq "$(team state) $(team state_reason)" "ok " "8 members"
	new_pair a8 b8 2
	defer del_pair a8
	enslave bond0 a8
	check_eq "$(team state)" \
		misconfigured "9 members"
	check_contains "$(team state_reason)" \
		"bond0 has 9 members; vmq handles at most 8" "why"
	expect_error "bond0 has 9 members; vmq handles at most 8" \
		vmqctl team plan bond0
}

# Bonding tells of a link change before it commits it: with no repair
# pass (reconcile_ms=0), the VM follows the member the bond then really
# sends its frames through, on the bond's own events.
test_sum_failover_and_back() {
	local m other

	RECONCILE_MS=0 setup
	sum_bond
	vmqctl vm add bond0 $X
	m=$(vm $X adapter)
	check_eq "$(bond_sends_via $X)" "$m" "the bond's member for X"
	[ "$m" = a0 ] && other=a1 || other=a0
	echo 0 > "$NICSIM_DBG/$m/carrier"
	wait_until 30 vm_is $X adapter "$other"
	wait_until 10 no_rule "$m" $X
	check_eq "$(rule_for $other $X)" "$(vm $X queue)" "rule moved"
	check_eq "$(bond_sends_via $X)" "$other" "the bond's member after the failover"
	echo 1 > "$NICSIM_DBG/$m/carrier"
	wait_until 30 vm_is $X adapter "$m"
	check_eq "$(bond_sends_via $X)" "$m" "the bond's member once back"
}

test_rule_deleted_by_hand_repaired() {
	local loc

	setup
	min_bond
	vmqctl vm add bond0 $X
	loc=$(awk -v m=$X '$2 == m {print $1}' $NICSIM_DBG/a0/rules)
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
	wait_until 20 vm_has_cpu $X
	q=$(vm $X queue)
	cpu=$(vm $X cpu)
	# As ethtool -L resets igb: new IRQs, affinity lost, rules dropped.
	# New IRQ numbers: on 6.1 the module asks for them, and vmqctl
	# daemon hands them down.
	echo lose-rules > $NICSIM_DBG/a0/reset
	wait_until 20 has_rule a0 $X
	wait_until 20 pinned_to_queue a0 "$q" "$cpu"
}

# reconcile_ms set again after 0 starts the repair pass again.
test_reconcile_restarts_after_zero() {
	local loc

	RECONCILE_MS=0 setup
	min_bond
	vmqctl vm add bond0 $X
	echo 200 > /sys/module/vmq/parameters/reconcile_ms
	loc=$(awk -v m=$X '$2 == m {print $1}' $NICSIM_DBG/a0/rules)
	ethtool -N a0 delete "$loc"
	wait_until 20 repairs_at_least 1
	wait_until 20 has_rule a0 $X
}

# queue_packets DEV QUEUE: frames DEV's QUEUE received, on every CPU.
queue_packets() {
	awk -v q="$2" '$1 == q {n += $3} END {print n + 0}' "$NICSIM_DBG/$1/rx_cpu"
}

vm_rx_at_least() {
	[ "$(vm "$1" rx_packets)" -ge "$2" ]
}

# Sum: a VM's queue is a queue of its member.  Its frames that come in on
# the other member count as its frames, not as on its queue, even those
# that land there on a queue of the same number.
test_sum_on_queue_only_on_its_member() {
	local m o q before

	setup
	sum_bond
	# As a bridge port would be: a NIC takes frames for MACs not its own.
	ip link set bond0 promisc on
	vmqctl vm add bond0 $X
	m=$(vm $X adapter)
	o=$(other "$m")
	q=$(vm $X queue)
	before=$(queue_packets "$o" "$q")
	# 128 flows spread by RSS over all of $o's queues (it has no rule).
	send "$(peer "$o")" "$X/2/flows=128"
	wait_until 20 vm_rx_at_least $X 256
	[ "$(queue_packets "$o" "$q")" -gt "$before" ] ||
		fail "none of the frames landed on $o queue $q: the test proves nothing"
	check_eq "$(vm $X rx_on_queue)" 0 "X's frames on its queue ($m queue $q)"
}

# The daemon outlives the module: loaded again (a new family id, a new
# group), which nlctrl announces, it listens afresh and answers again.
listening_twice() {
	[ "$(grep -c "listening" "$VMQ_DAEMON_LOG")" -ge 2 ]
}

test_daemon_survives_module_reload() {
	setup
	rmmod vmq
	insmod "$VMQ_KO" reconcile_ms=200
	wait_until 10 listening_twice
	min_bond
	vmqctl vm add bond0 $X
	wait_until 20 vm_has_cpu $X
	! kernel_6_1 || wait_until 10 daemon_answered a0
}

# daemon_answered DEV: vmqctl daemon handed down DEV's IRQs when asked.
daemon_answered() {
	grep -q "^vmqctl daemon: $1 (irqs-wanted): IRQs handed down" \
		"$VMQ_DAEMON_LOG"
}

# A queue's IRQ is found with nothing typed: by the module through the
# queue->NAPI link on 6.12; on 6.1, which has none, the module asks (an
# irqs-wanted event) and vmqctl daemon answers from /proc/interrupts.
# Again after a reset gave the queues new vectors.
test_irqs_found_with_nothing_typed() {
	local q method asked

	setup
	min_bond
	vmqctl vm add bond0 $X
	wait_until 20 vm_has_cpu $X
	q=$(vm $X queue)
	method=$(queue a0 "$q" irq_method)
	asked=$(grep -c "(irqs-wanted)" "$VMQ_DAEMON_LOG" || true)
	if kernel_6_1; then
		check_eq "$method" user "how 6.1 found a0 queue $q's IRQ"
		wait_until 10 daemon_answered a0
	else
		check_eq "$method" napi "how 6.12 found a0 queue $q's IRQ"
		check_eq "$asked" 0 "requests to the daemon on 6.12"
	fi
	check_eq "$(queue a0 "$q" irq)" "$(irq_of a0 "$q")" "a0 queue $q's IRQ"
	check_eq "$(affinity "$(irq_of a0 "$q")")" "$(vm $X cpu)" \
		"a0 queue $q's IRQ on X's CPU"
	echo keep-rules > $NICSIM_DBG/a0/reset
	wait_until 20 pinned_to_queue a0 "$q" "$(vm $X cpu)"
	check_eq "$(queue a0 "$q" irq)" "$(irq_of a0 "$q")" \
		"a0 queue $q's IRQ after the reset"
	frames_on_own_queue_and_cpu $X 100
}

# A VM whose queue's IRQ nobody found shows no CPU, says why, and has
# none of its frames counted as on its CPU: igb links its vectors to no
# NAPI (it calls no netif_queue_set_napi()), and no daemon answers the
# module.  Once they are found by hand (irq auto), it has one.
test_unpinned_vm_shows_no_cpu() {
	local state cpu reason m

	NO_DAEMON=1 setup igb
	min_bond
	vmqctl vm add bond0 $X
	IFS=$'\t' read -r state cpu reason < <(vm_fields $X state cpu state_reason)
	check_eq "$state" hw "X's state: its rules are in"
	check_eq "$cpu" null "X's CPU, its IRQ unknown"
	check_contains "$reason" "IRQ unknown or unpinned" "why"
	m=$(cat /sys/class/net/bond0/bonding/active_slave)
	send "$(peer "$m")" "$X/50"
	wait_until 20 vm_rx_at_least $X 50
	check_eq "$(vm $X rx_on_cpu)" 0 "X's frames on a CPU of its own"
	vmqctl adapter set a0 irq auto
	vmqctl adapter set a1 irq auto
	frames_on_own_queue_and_cpu $X 50
}

# nicsim's vectors are no MSI vectors: the kernel records no owner of
# them, so handing one down takes CAP_SYS_ADMIN, not only CAP_NET_ADMIN;
# another device's MSI vector (igb0's) is refused outright.  Refusals
# change nothing.
test_handed_down_irq_owner_checked() {
	local before igb

	setup
	min_bond
	# One of igb0's PCI function's MSI-X vectors, requested or not.
	igb=$(ls /sys/class/net/igb0/device/msi_irqs | head -1)
	[ -n "$igb" ] || fail "igb0's PCI function has no MSI vectors"
	before=$(vmqctl -j queue show bond0)
	expect_error "IRQ $igb is another device's MSI vector, not a0's" \
		vmqctl adapter set a0 queue 1 irq "$igb"
	expect_error "is no MSI vector of a0: needs CAP_SYS_ADMIN" \
		setpriv --bounding-set=-sys_admin \
		vmqctl adapter set a0 queue 1 irq "$(irq_of a0 1)"
	check_eq "$(vmqctl -j queue show bond0)" "$before" "queues after the refusals"
	vmqctl adapter set a0 queue 1 irq "$(irq_of a0 1)"
	check_eq "$(queue a0 1 irq)" "$(irq_of a0 1)" "a0 queue 1's IRQ"
}

test_detach_and_unload_leave_nothing() {
	local rss aff

	setup
	min_bond
	rss=$(ethtool -x a0)
	aff=$(affinities a0)
	vmqctl vm add bond0 $X
	vmqctl vm add bond0 $Y
	vmqctl team detach bond0
	check_eq "$(rule_count a0)$(rule_count a1)" 00 "rules after detach"
	check_eq "$(ethtool -x a0)" "$rss" "RSS after detach"
	check_eq "$(affinities a0)" \
		"$aff" "IRQ affinities after detach"
	vmqctl team attach bond0
	vmqctl vm add bond0 $X
	wait_until 20 vm_has_cpu $X
	rmmod vmq
	check_eq "$(rule_count a0)$(rule_count a1)" 00 "rules after rmmod"
	check_eq "$(ethtool -x a0)" "$rss" "RSS after rmmod"
	check_eq "$(affinities a0)" \
		"$aff" "IRQ affinities after rmmod"
}

ktap_run \
	test_queue_counts_4_and_8 \
	test_min_vm_frames_on_its_queue_and_cpu \
	test_vlan_qualified_rule \
	test_rss_narrowed_and_restored \
	test_rss_restore_refused_retried \
	test_rss_owed_table_taken_over \
	test_rss_owed_table_yields_to_a_new_one \
	test_rss_configured_across_channel_change \
	test_rss_admins_table_given_back \
	test_rss_admins_table_refitted_after_shrink \
	test_sum_vm_on_the_bonds_member_only \
	test_sum_vm_frames_on_its_queue_and_cpu \
	test_sum_member_leaves_and_rejoins \
	test_sum_vlan_vm_on_the_bonds_member \
	test_seed_misconfigured_then_fixed \
	test_rule_table_full_refused_then_retried \
	test_injected_insert_failure \
	test_queue_exhaustion_and_promotion \
	test_replacement_moves_rules_without_clashing \
	test_ninth_member_refused_plainly \
	test_sum_failover_and_back \
	test_rule_deleted_by_hand_repaired \
	test_nicsim_reset_repaired \
	test_irqs_found_with_nothing_typed \
	test_daemon_survives_module_reload \
	test_reconcile_restarts_after_zero \
	test_sum_on_queue_only_on_its_member \
	test_unpinned_vm_shows_no_cpu \
	test_handed_down_irq_owner_checked \
	test_detach_and_unload_leave_nothing
