#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the tests are called by name, by ktap_run
#
# vmq on each real driver's contract, as nicsim's profiles copy it
# (selftests/nicsim/profile.c): table sizes that only GRXCLSRLALL tells,
# locations only the caller picks (mlx5, mlx4, ice, igb) or only the driver
# (bnxt, sfc), each driver's own VLAN mask, ice's one input set, and
# NTUPLE as aRFS (mlx5).  On every profile that steers by MAC, untagged
# and VLAN VMs get rules the driver takes, their frames land on their
# queue and are processed on its CPU, again after a driver reset; drift
# (a rule deleted, an IRQ moved by hand) is repaired; and detach and
# unload leave the NIC as vmq found it: an administrator's rule and RSS
# table, IRQ affinities and features.  On ixgbe and i40e the VMs are
# steered in software (sw).

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/nicsim_team.sh"

ADMIN=02:00:00:00:0a:dd

# steers PROFILE: the profile's driver takes ETHER_FLOW rules on this
# kernel (6.1's ice and bnxt take IP flows only).
steers() {
	case $1 in
	ixgbe|i40e) return 1 ;;
	ice|bnxt) ! kernel_6_1 ;;
	*) return 0 ;;
	esac
}

# arfs_of: aRFS on a0 and a1, as nicsim models each driver's.
arfs_of() {
	echo "$(cat $NICSIM_DBG/a0/arfs) $(cat $NICSIM_DBG/a1/arfs)"
}

# The state of a0 and a1 vmq must give back: the number of MAC rules,
# ntuple, the RSS table and key, and the IRQ affinities.
nic_state() {
	local m line rules

	for m in a0 a1; do
		rules=0
		while IFS= read -r line; do
			[[ ${line,,} != *"dest mac"* ]] || rules=$((rules + 1))
		done < <(ethtool -n $m)
		echo "$m rules: $rules ntuple: $(ntuple_of $m)"
		ethtool -x $m
		affinities $m
	done
}

# vm_rule_matches DEV MAC: what DEV's rule for MAC matches, as nicsim
# keeps it ("vlan 10" or "mac").
vm_rule_matches() {
	awk -v m="$2" '$2 == m {print ($3 == "-" ? "mac" : "vlan " $3)}' \
		"$NICSIM_DBG/$1/rules"
}

# vlan_rule_of PROFILE: what a VLAN 10 VM's rule matches beside MAC-only
# rules: the VID (mlx5, bnxt, sfc), or the MAC alone where the NIC
# matches no VID (igb) or takes one rule shape only (ice).
vlan_rule_of() {
	case $1 in
	igb|ice) echo mac ;;
	*) echo "vlan 10" ;;
	esac
}

# driver_reset PROFILE: a0 and a1 reset as the driver resets (a TX
# timeout, a firmware event): new vectors, the affinities gone, the
# rules kept as the driver replays them -- igb_nfc_filter_restore(),
# ice_fdir_replay_fltrs(), bnxt_restore_usr_fltrs(), mlx5's and sfc's
# software copies -- or lost as mlx4_en_stop_port() loses them.
driver_reset() {
	local how=keep-rules m

	[ "$1" != mlx4 ] || how=lose-rules
	for m in a0 a1; do
		echo $how > "$NICSIM_DBG/$m/reset"
	done
	# vmq puts back its own rules only; the administrator, theirs.
	[ "$1" != mlx4 ] ||
		ethtool -N a0 flow-type ether dst $ADMIN action 1 >/dev/null
}

# drift_repaired: X's rule deleted by hand and its queue's IRQ moved by
# hand, on the member its frames come in on: the periodic pass puts both
# back, through this driver's own rule and location contract.
drift_repaired() {
	local m q cpu loc r0

	m=$(cat /sys/class/net/bond0/bonding/active_slave)
	IFS=$'\t' read -r q cpu < <(vm_fields $X queue cpu)
	r0=$(team repairs)
	echo $(((cpu + 1) % 8)) > "/proc/irq/$(irq_of "$m" "$q")/smp_affinity_list"
	loc=$(awk -v m=$X '$2 == m {print $1}' "$NICSIM_DBG/$m/rules")
	ethtool -N "$m" delete "$loc"
	# The pass may put them back before a look could see them gone:
	# the repair count proves they went.
	wait_until 20 repairs_at_least $((r0 + 1))
	wait_until 20 vm_repaired $X
}

# profile_vms PROFILE: the whole story on one profile, on a Min team.
profile_vms() {
	local p=$1 before arfs

	setup "$p"
	check_eq "$(cat $NICSIM_DBG/a0/profile)" "$p" "a0's profile"
	arfs=$(arfs_of)
	# The administrator's rule goes in once a0 is bonded, before vmq
	# attaches: enslaving takes a NIC down, and mlx4's rules do not
	# survive that (mlx4_en_stop_port()).
	min_bond
	vmqctl team detach bond0
	# The administrator's RSS table (before their rule: mlx4 restarts
	# the port to take a table, and the restart wipes its rules).
	ethtool -X a0 equal 2
	if ! ethtool -N a0 flow-type ether dst $ADMIN action 1 >/dev/null; then
		! steers "$p" || fail "the administrator's rule refused"
	fi
	before=$(nic_state)
	vmqctl team attach bond0
	vmqctl vm add bond0 $X name untagged
	vmqctl vm add bond0 $Y vlan 10 name tagged
	if ! steers "$p"; then
		# steering auto: software steering to the VM's CPU.
		check_eq "$(vm $X state)" sw "X on $p"
		check_eq "$(vm $Y state)" sw "Y on $p"
		check_contains "$(vm $X state_reason)" "cannot steer" \
			"X's reason on $p"
	else
		# mlx4 wipes every rule to take the narrowed table: vmq
		# put them back at once, the administrator's too.
		check_eq "$(vm_rule_matches a1 $X)" mac "X's rule"
		check_eq "$(vm_rule_matches a1 $Y)" "$(vlan_rule_of "$p")" \
			"Y's rule"
		frames_on_own_queue_and_cpu $X 60
		frames_on_own_queue_and_cpu $Y 60 vlan=10
		ethtool -n a0 | grep -qi "$ADMIN" ||
			fail "the administrator's rule is gone"
		# NTUPLE turns aRFS on where it is off (mlx5, mlx4): not
		# vmq's to touch there.
		check_eq "$(arfs_of)" "$arfs" "aRFS on a0 and a1, VMs in"
		# A driver reset renews every vector: vmq finds and pins
		# the new ones with nothing typed (on 6.1 the daemon
		# answers the module's request again).
		driver_reset "$p"
		wait_until 30 vm_repaired $X
		wait_until 30 vm_repaired $Y
		frames_on_own_queue_and_cpu $X 60
		frames_on_own_queue_and_cpu $Y 60 vlan=10
		drift_repaired
	fi
	vmqctl team detach bond0
	check_eq "$(nic_state)" "$before" "a0 and a1 after detach"
	# Unload undoes as much, a VM's rules, pins and narrowed table in.
	vmqctl team attach bond0
	vmqctl vm add bond0 $X
	if steers "$p"; then
		wait_until 20 vm_has_cpu $X
		has_rule a0 $X || fail "X's rule on a0 before unload"
	fi
	rmmod vmq
	check_eq "$(nic_state)" "$before" "a0 and a1 after unload"
	check_eq "$(unbracketed)" "0 0" "requests outside the core's bracket"
}

# unbracketed: a0's and a1's ethtool requests made outside the bracket
# the core puts them in (nicsim counts them; selftests/nicsim/pm.c).
unbracketed() {
	echo "$(cat $NICSIM_DBG/a0/unbracketed) $(cat $NICSIM_DBG/a1/unbracketed)"
}

test_mlx5() {
	profile_vms mlx5
	# mlx5's NTUPLE is aRFS, which vmq has no business turning on.
	check_eq "$(cat $NICSIM_DBG/a0/arfs)" 0 "aRFS on a0"
}

# mlx4 restarts the port on every set_rxfh, and a restart wipes every
# rule (mlx4_en_set_rxfh(), mlx4_en_stop_port()): vmq puts back what
# its narrowing wiped, the administrator's rule too.  Its vectors are
# named after event queues ("mlx4-<EQ>@<PCI name>"): on 6.12 the module
# finds a queue's through the queue->NAPI link, on 6.1 vmqctl daemon
# works out which EQ mlx4 put the ring on.
test_mlx4() {
	profile_vms mlx4
	check_eq "$(cat $NICSIM_DBG/a0/arfs)" 0 "aRFS on a0"
}

# vmq_irqs_are DEV: vmq has each of DEV's queues on the IRQ nicsim gave
# it.
vmq_irqs_are() {
	[ "$(vmqctl -j queue show bond0 |
	     jq -r --arg a "$1" '.[] | select(.adapter == $a) | "\(.queue) \(.irq)"')" = \
	  "$(awk '{print $1, $2}' "$NICSIM_DBG/$1/irqs")" ]
}

# On a NIC on NUMA node 1, mlx4 puts ring i on the EQ of CPU
# cpumask_local_spread(i, 1) -- CPUs 4-7, then 0-3 -- that CPU plus 1,
# hinted to that CPU (mlx4_en_init_affinity_hint(), mlx4_assign_eq(),
# mlx4_init_affinity_hint()): not on EQ i + 1.  vmq finds every queue's
# own vector all the same, and pins a VM's: the module through the
# queue->NAPI link (6.12), vmqctl daemon by mlx4's choice of EQ (6.1).
test_mlx4_numa_node() {
	local q irq bus hint name cpu
	local -A names

	nicsim_load
	defer nicsim_unload
	insmod "$VMQ_KO" reconcile_ms=200
	defer vmq_unload
	vmq_daemon_start
	new_pair a0 b0 8 - 1 profile=mlx4
	defer del_pair a0
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	enslave bond0 a0
	ip link set bond0 up
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	bus=$(readlink /sys/class/net/a0/device)
	bus=${bus##*/}
	while read -r irq name; do
		names[$irq]=$name
	done < <(awk '$NF ~ /^mlx4-/ {print $1 + 0, $NF}' /proc/interrupts)
	while read -r q irq _; do
		cpu=$(((q + 4) % 8))
		check_eq "${names[$irq]}" "mlx4-$((cpu + 1))@$bus" \
			"a0 queue $q's vector"
		read -r hint < "/proc/irq/$irq/affinity_hint"
		check_eq "$((16#${hint//,/}))" "$((1 << cpu))" \
			"a0 queue $q's vector's hint (CPU $cpu)"
	done < "$NICSIM_DBG/a0/irqs"
	# A VM taking a queue makes the module look for IRQs (on 6.1 it
	# asks, and the daemon hands down every queue's).
	vmqctl vm add bond0 $X
	wait_until 20 vm_has_cpu $X
	wait_until 20 vmq_irqs_are a0
	check_eq "$(affinity "$(irq_of a0 "$(vm $X queue)")")" "$(vm $X cpu)" \
		"a0 queue $(vm $X queue)'s IRQ on X's CPU"
}

test_ice() {
	profile_vms ice
}

test_igb() {
	profile_vms igb
}

test_bnxt() {
	profile_vms bnxt
}

test_sfc() {
	profile_vms sfc
}

test_ixgbe() {
	profile_vms ixgbe
}

test_i40e() {
	profile_vms i40e
}

# vmq asks a member as the ethtool core asks it, on igb's contract: one
# asleep (runtime PM allowed, its link down 5 s: igb_runtime_idle()) is
# woken and gets its rule, as __dev_ethtool() wakes it; the repair pass,
# which asks no member without a link, lets it fall asleep again; one in
# PCI error recovery (igb_io_error_detected() detached it) is asked
# nothing, and gets its rule once the driver resumed; every request
# comes between begin() and complete().
test_igb_asked_as_the_core_asks() {
	local ctl=/sys/class/net/a1/device/power/control active

	RECONCILE_MS=0 setup igb
	min_bond
	echo 0 > $NICSIM_DBG/a1/carrier
	defer eval "echo on > $ctl"
	echo auto > $ctl
	wait_until 10 runtime_status_is a1 suspended
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" hw "X's state, a1 asleep before"
	has_rule a1 $X || fail "no rule for X on a1, which was asleep"
	# Asked every 200 ms, a1 still sleeps 5 s after it was woken, and
	# ten passes later is still asleep, woken by none of them.
	echo 200 > /sys/module/vmq/parameters/reconcile_ms
	wait_until 10 runtime_status_is a1 suspended
	active=$(cat /sys/class/net/a1/device/power/runtime_active_time)
	trace_setup vmq_reconcile_work
	echo 1 > "$TRACE/tracing_on"
	wait_until 20 reconcile_ran_at_least 10
	check_eq "$(cat /sys/class/net/a1/device/power/runtime_active_time)" \
		"$active" "a1's time awake, over ten passes"
	echo 0 > /sys/module/vmq/parameters/reconcile_ms
	vmqctl vm del bond0 $X
	check_eq "$(rule_count a1)" 0 "a1's rules once X went, asleep before"
	echo on > $ctl
	echo 1 > $NICSIM_DBG/a1/carrier
	echo 1 > $NICSIM_DBG/a0/io_error
	defer eval "echo 0 > $NICSIM_DBG/a0/io_error"
	vmqctl vm add bond0 $X
	has_rule a1 $X || fail "no rule for X on a1"
	check_eq "$(rule_count a0)" 0 "rules on a0, in error recovery"
	echo 0 > $NICSIM_DBG/a0/io_error
	echo 200 > /sys/module/vmq/parameters/reconcile_ms
	wait_until 20 has_rule a0 $X
	check_eq "$(unbracketed)" "0 0" "requests outside the core's bracket"
}

# Whether a NIC steers by MAC only its answer to a rule tells: ethtool
# has no question for it, and ixgbe ships with ntuple off, not fixed off.
# So steering hw is taken before any rule was tried; the refused rule
# then shows in the VM's state, and from then on hw is refused, naming
# the member.
test_steering_hw_refused_once_known() {
	setup ixgbe
	min_bond
	vmqctl team set bond0 steering hw
	check_eq "$(team steering)" hw "hw, before any rule was tried"
	vmqctl vm add bond0 $X
	wait_until 20 vm_is $X state no-hw-steering
	check_contains "$(vm $X state_reason)" "cannot steer" "X's reason"
	vmqctl team set bond0 steering auto
	wait_until 20 vm_is $X state sw
	expect_error "cannot steer by destination MAC: use steering auto or sw" \
		vmqctl team set bond0 steering hw
	check_eq "$(team steering)" auto "the setting unchanged"
}

# ice takes one input set per flow type.  A VLAN rule first, then an
# untagged VM: vmq makes every rule match the MAC alone.  An
# administrator's rule of another shape refuses vmq's, for this VM only,
# until it goes.
test_ice_one_input_set() {
	steers ice || skip "6.1's ice takes no ETHER_FLOW rule"
	setup ice
	min_bond
	# The administrator's rule of another shape before vmq's first:
	# ice's EINVAL then says "not beside that one", not "cannot steer".
	ethtool -N a0 flow-type ether dst $ADMIN proto 0x0800 action 1 >/dev/null
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" sw \
		"X beside the administrator's rule, in software meanwhile"
	check_contains "$(vm $X state_reason)" "beside its others" "why"
	ethtool -N a0 delete "$(ethtool -n a0 | awk '/^Filter:/ {print $2; exit}')"
	wait_until 20 vm_is $X state hw
	vmqctl vm del bond0 $X
	# The shapes vmq's own rules take, side by side.
	vmqctl vm add bond0 $Y vlan 10
	check_eq "$(vm_rule_matches a0 $Y)" "vlan 0x000a" "Y's rule, alone"
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" hw "X beside Y"
	check_eq "$(vm_rule_matches a0 $X)$(vm_rule_matches a0 $Y)" macmac \
		"X's and Y's rules, both by MAC"
	# ... and beside the administrator's rule once vmq's are in.
	vmqctl vm del bond0 $X
	vmqctl vm del bond0 $Y vlan 10
	ethtool -N a0 flow-type ether dst $ADMIN proto 0x0800 action 1 >/dev/null
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" sw "X beside the administrator's rule again"
	ethtool -N a0 delete "$(ethtool -n a0 | awk '/^Filter:/ {print $2; exit}')"
	wait_until 20 vm_is $X state hw
}

# Where NTUPLE gates the rules and turning it off erases them (ice,
# bnxt), vmq turns it on for its first rule (aRFS with it) and off again
# at detach only if it did and no rule is left: an administrator's rule
# added meanwhile keeps it on, and stays.
ntuple_given_back() {
	steers "$1" || skip "6.1's $1 takes no ETHER_FLOW rule"
	setup "$1"
	min_bond
	ethtool -K a0 ntuple off
	ethtool -K a1 ntuple off
	vmqctl vm add bond0 $X
	check_eq "$(vm $X state)" hw "X's state, ntuple off before"
	check_eq "$(ntuple_of a0) $(ntuple_of a1)" "on on" "ntuple, for X's rules"
	# ... which turns the drivers' aRFS on too, until detach.
	check_eq "$(arfs_of)" "1 1" "aRFS, with ntuple"
	vmqctl team detach bond0
	check_eq "$(ntuple_of a0) $(ntuple_of a1)" "off off" "ntuple after detach"
	check_eq "$(arfs_of)" "0 0" "aRFS after detach"
	vmqctl team attach bond0
	vmqctl vm add bond0 $X
	wait_until 20 eval '[ "$(ntuple_of a0)" = on ]'
	ethtool -N a0 flow-type ether dst $ADMIN action 1 >/dev/null
	vmqctl team detach bond0
	check_eq "$(ntuple_of a0) $(ntuple_of a1)" "on off" \
		"ntuple after detach, the administrator's rule on a0"
	ethtool -n a0 | grep -qi "$ADMIN" || fail "the administrator's rule is gone"
	check_contains "$(test_dmesg | grep 'ntuple left on' | tail -1)" a0 "the log"
}

test_ntuple_given_back_ice() {
	ntuple_given_back ice
}

test_ntuple_given_back_bnxt() {
	ntuple_given_back bnxt
}

# A delete the driver refuses (-EBUSY during a reset) is asked again, not
# forgotten: the rule goes once the NIC takes deletes again.
test_failed_delete_retried() {
	setup mlx5
	min_bond
	vmqctl vm add bond0 $X
	echo "1 16" > $NICSIM_DBG/a0/fail_delete	# EBUSY
	vmqctl vm del bond0 $X
	check_eq "$(rule_count a1)" 0 "a1's rule"
	wait_until 20 eval '[ "$(rule_count a0)" = 0 ]'
	check_contains "$(test_dmesg | grep 'vmq: rule at location' | tail -2)" \
		"deleted at last" "the retry, in the kernel log"
}

# One still refused at unload is left in the NIC, not forgotten: the log
# says where, and how to remove it.
test_failed_delete_at_unload_said() {
	local loc

	setup mlx5
	min_bond
	vmqctl vm add bond0 $X
	loc=$(awk -v m=$X '$2 == m {print $1}' "$NICSIM_DBG/a0/rules")
	echo "1000000 16" > $NICSIM_DBG/a0/fail_delete	# EBUSY
	vmqctl team detach bond0
	rmmod vmq
	check_eq "$(rule_count a0)" 1 "a0's rule, still there"
	check_contains "$(test_dmesg | grep 'unloaded with its rule' | tail -1)" \
		"\`ethtool -N a0 delete $loc\` removes it" "the log"
	echo "0 16" > $NICSIM_DBG/a0/fail_delete
	ethtool -N a0 delete "$loc"
}

ktap_run \
	test_mlx5 \
	test_mlx4 \
	test_mlx4_numa_node \
	test_ice \
	test_igb \
	test_bnxt \
	test_sfc \
	test_ixgbe \
	test_i40e \
	test_igb_asked_as_the_core_asks \
	test_steering_hw_refused_once_known \
	test_ice_one_input_set \
	test_ntuple_given_back_ice \
	test_ntuple_given_back_bnxt \
	test_failed_delete_retried \
	test_failed_delete_at_unload_said
