#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the tests are called by name, by ktap_run
#
# nicsim's own tests: the simulated NIC that vmq's tests run on must behave
# like the real NICs it stands for (selftests/nicsim/README says which).
# Every test makes its own pairs: A ("a0") is the multiqueue NIC, B ("b0")
# its link partner, moved into the generator's namespace.
#
# Under TCG every process costs a good fraction of a second: the waits
# poll sysfs and debugfs with shell builtins, and one Python process sends
# a test step's frames.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"

QUEUE_NAPI=$VMQ_TOP/selftests/nicsim/queue_napi.py
GEN=nsimgen

# Guests' MACs the tests steer.
MAC_X=02:00:00:00:00:0a
MAC_Y=02:00:00:00:00:0b
MAC_Z=02:00:00:00:00:0c

setup() {
	nicsim_load
	defer nicsim_unload
}

# knob A FILE VALUE: write one of A's debugfs knobs.
knob() {
	echo "$3" > "$NICSIM_DBG/$1/$2"
}

# dbg A FILE: read one of A's debugfs files.
dbg() {
	echo "$(< "$NICSIM_DBG/$1/$2")"
}

mac_of() {
	echo "$(< "/sys/class/net/$1/address")"
}

# make_pair A B QUEUES [MAC [NODE]]: a pair with B up in $GEN and A up,
# both without IPv6, so that A receives only what a test sends.
make_pair() {
	local a=$1 b=$2

	new_pair "$@"
	defer del_pair "$a"
	ip netns add "$GEN"
	defer ip netns del "$GEN"
	ip link set "$b" netns "$GEN"
	netns_no_ipv6 "$GEN"
	ip -n "$GEN" link set "$b" up
	no_ipv6 "$a"
	ip link set "$a" up
	wait_until 10 carrier_up "$a"
	wait_until 10 gen_ready "$b"
}

# gen_ready [B]: B's link is up and linkwatch has given it its qdisc back,
# so what it sends goes out (operstate turns up just before that).
gen_ready() {
	[[ $(ip -n "$GEN" -o link show "${1:-b0}") == *" state UP "* ]]
}

# gen_send BATCH...: frames from b0, BATCH being DST/COUNT[/vlan=TCI]
# [/src=MAC][/flows=N][/tcp] (selftests/nicsim/traffic.py).
gen_send() {
	ip netns exec "$GEN" python3 "$TRAFFIC" b0 "$@"
}

# rx_total_is DEV N: DEV has received N frames (sysfs, no process).
rx_total_is() {
	local n

	read -r n < "/sys/class/net/$1/statistics/rx_packets"
	[ "$n" = "$2" ]
}

# queue_done A Q N: NAPI took N frames off A's queue Q (debugfs rx_cpu).
queue_done() {
	local q cpu n total=0

	while read -r q cpu n; do
		[ "$q" != "$2" ] || total=$((total + n))
	done < "$NICSIM_DBG/$1/rx_cpu"
	[ "$total" = "$3" ]
}

# queue_started A Q: NAPI took frames off A's queue Q.
queue_started() {
	local q cpu n

	while read -r q cpu n; do
		[ "$q" != "$2" ] || return 0
	done < "$NICSIM_DBG/$1/rx_cpu"
	return 1
}

# queue_counts DEV: rx_queue_<q>_packets of ethtool -S, in queue order.
queue_counts() {
	ethtool -S "$1" |
		awk '$1 ~ /^rx_queue_[0-9]+_packets:$/ { printf "%s%s", s, $2; s = " " }'
}

# queue_cpus A Q: the CPUs whose NAPI took frames off A's queue Q.
queue_cpus() {
	local q cpu n cpus=()

	while read -r q cpu n; do
		[ "$q" != "$2" ] || cpus+=("$cpu")
	done < "$NICSIM_DBG/$1/rx_cpu"
	echo "${cpus[*]}"
}

# queue_irqs DEV: the IRQs named DEV-rx-<q> in /proc/interrupts, as vmq
# finds them, in queue order.
queue_irqs() {
	awk -v p="$1-rx-" 'index($NF, p) == 1 {
		q = substr($NF, length(p) + 1); sub(":", "", $1); irq[q] = $1
		if (q + 1 > n) n = q + 1
	} END { for (i = 0; i < n; i++) { printf "%s%s", s, irq[i]; s = " " } }' \
		/proc/interrupts
}

# queue_irq DEV Q: the IRQ of DEV's queue Q.
queue_irq() {
	local irqs

	read -r -a irqs <<< "$(queue_irqs "$1")"
	echo "${irqs[$2]}"
}

effective_cpu() {
	echo "$(< "/proc/irq/$1/effective_affinity_list")"
}

# irq_count IRQ CPU: interrupts IRQ took on CPU (/proc/interrupts).
irq_count() {
	local irq counts

	while read -r irq counts; do
		if [ "$irq" = "$1:" ]; then
			read -r -a counts <<< "$counts"
			echo "${counts[$2]}"
			return
		fi
	done < /proc/interrupts
}

# in_cpulist CPU LIST: whether CPU is in a list like "0-3,6".
in_cpulist() {
	local cpu=$1 range

	for range in ${2//,/ }; do
		[ "$cpu" -ge "${range%-*}" ] && [ "$cpu" -le "${range#*-}" ] &&
			return 0
	done
	return 1
}

# one_line CMD...: CMD, its error message on one line (ethtool's come in
# two, and a TAP diagnostic must not spill onto a line of its own).
one_line() {
	local err rc=0

	err=$("$@" 2>&1 >/dev/null) || rc=$?
	[ -z "$err" ] || printf '%s\n' "${err//$'\n'/ }" >&2
	return "$rc"
}

# Debian 12's ethtool (6.1) exits 0 when the kernel refuses a rule
# (rxclass_rule_ins() returns 0 after its perror()): what it says counts.

# add_rule DEV RULE...: ethtool -N DEV RULE..., printing the location the
# driver chose (ethtool says nothing for an explicit "loc").
add_rule() {
	local out

	out=$(ethtool -N "$@" 2>&1) || { echo "$out" >&2; return 1; }
	case $out in
	*"Cannot insert"*) echo "$out" >&2; return 1 ;;
	*"Added rule with ID "*) echo "${out##*ID }" ;;
	esac
}

# insert_refused NEEDLE A RULE...: ethtool -N must be refused, saying
# NEEDLE, and leave A's rule table as it was.
insert_refused() {
	local needle=$1 dev=$2 before err

	shift 2
	before=$(dbg "$dev" rules)
	err=$(ethtool -N "$dev" "$@" 2>&1 >/dev/null) || true
	check_contains "$err" "Cannot insert RX class rule: $needle" \
		"ethtool -N $dev $*"
	check_eq "$(dbg "$dev" rules)" "$before" "rules after a refusal"
	diag "refused as expected: $err"
}

# rule_field A LOC FIELD: field FIELD (1 loc, 2 mac, 3 vlan, 4 queue,
# 5 hits) of A's rule at LOC.
rule_field() {
	local f

	while read -r -a f; do
		[ "${f[0]}" != "$2" ] || { echo "${f[$3 - 1]}"; return; }
	done < "$NICSIM_DBG/$1/rules"
}

# rules_column A FIELD: that field of every rule, lowest location first.
rules_column() {
	local f col=()

	while read -r -a f; do
		col+=("${f[$2 - 1]}")
	done < "$NICSIM_DBG/$1/rules"
	echo "${col[*]}"
}

# indir_queues DEV: the queues DEV's indirection table uses, in order of
# first appearance.
indir_queues() {
	ethtool -x "$1" | awk '/^ +[0-9]+: / {
		for (i = 2; i <= NF; i++) if (!seen[$i]++) { printf "%s%s", s, $i; s = " " }
	}'
}

test_pair_create_delete() {
	local dev

	setup
	new_pair a0 b0 4 02:aa:00:00:00:01
	defer del_pair a0
	dev=$(basename "$(readlink /sys/class/net/a0/device)")
	check_contains "$dev" nicsim "A's parent device"
	check_eq "$(basename "$(readlink /sys/class/net/b0/device)")" "$dev" \
		"B's parent device"
	[ -e "/sys/bus/nicsim/devices/$dev" ] || fail "$dev is not on the bus"
	check_eq "$(< "/sys/bus/nicsim/devices/$dev/numa_node")" -1 "NUMA node"
	check_eq "$(mac_of a0)" 02:aa:00:00:00:01 "A's MAC"
	check_contains "$(ethtool -i a0)" "driver: nicsim" "driver"
	check_contains "$(ethtool -i a0)" "bus-info: $dev" "bus-info"
	check_eq "$(echo /sys/class/net/a0/queues/rx-*)" \
		"$(echo /sys/class/net/a0/queues/rx-{0..3})" "A's RX queues"
	check_eq "$(echo /sys/class/net/b0/queues/rx-*)" \
		/sys/class/net/b0/queues/rx-0 "B's RX queues"
	[ -d "$NICSIM_DBG/a0" ] || fail "no debugfs directory"

	del_pair a0
	[ ! -e /sys/class/net/a0 ] || fail "a0 survived del_pair"
	[ ! -e /sys/class/net/b0 ] || fail "b0 survived del_pair"
	[ ! -e "/sys/bus/nicsim/devices/$dev" ] || fail "$dev survived del_pair"
	[ ! -e "$NICSIM_DBG/a0" ] || fail "debugfs survived del_pair"

	# Random, distinct, locally administered unicast MACs by default.
	new_pair a1 b1 1
	defer del_pair a1
	[ "$(mac_of a1)" != "$(mac_of b1)" ] || fail "A and B share a MAC"
	check_contains 26ae "$(mac_of a1 | cut -c2)" "A's MAC is local unicast"
}

test_pair_numa_node() {
	local node1 q irq

	[ -d /sys/devices/system/node/node1 ] || skip "needs NUMA node 1"
	node1=$(< /sys/devices/system/node/node1/cpulist)
	setup
	new_pair a0 b0 4 - 1
	defer del_pair a0
	check_eq "$(< /sys/class/net/a0/device/numa_node)" 1 "NUMA node"
	# The vectors live on the NIC's node, so by default its CPUs get them.
	no_ipv6 a0
	ip link set a0 up
	q=0
	for irq in $(queue_irqs a0); do
		in_cpulist "$(effective_cpu "$irq")" "$node1" ||
			fail "queue $q's IRQ on CPU $(effective_cpu "$irq"), not node 1 ($node1)"
		q=$((q + 1))
	done
	check_eq "$q" 4 "IRQs"
}

test_pair_errors() {
	local devs

	setup
	new_pair a0 b0 2
	defer del_pair a0
	expect_error "File exists" new_pair a0 b9 2
	# B's name taken: A, already registered, is undone.
	expect_error "File exists" new_pair a9 lo 2
	[ ! -e /sys/class/net/a9 ] || fail "a refused pair left a9 behind"
	expect_error "Invalid argument" new_pair a9 b9 0
	expect_error "Invalid argument" new_pair a9 b9 17
	expect_error "Invalid argument" new_pair a9 b9 four
	expect_error "Invalid argument" new_pair a9 a9 2
	expect_error "Invalid argument" new_pair 'a%d' b9 2
	expect_error "Invalid argument" new_pair a9 b9 2 01:00:5e:00:00:01
	expect_error "Invalid argument" new_pair a9 b9 2 - 7
	expect_error "Invalid argument" new_pair a9 b9 2 - 0 extra
	expect_error "Invalid argument" new_pair a9
	expect_error "No such file or directory" del_pair a9
	devs=(/sys/bus/nicsim/devices/*)
	check_eq ${#devs[@]} 1 "devices left"
}

test_rule_steers_mac_to_queue() {
	local counts

	setup
	make_pair a0 b0 4
	# RSS keeps off queue 3: whatever lands there was steered.
	ethtool -X a0 weight 1 1 1 0
	check_eq "$(add_rule a0 flow-type ether dst "$MAC_X" action 3)" 0 \
		"rule location"
	gen_send "$MAC_X/40" "$(mac_of a0)/20/src=$MAC_Y" \
		"$(mac_of a0)/1/flows=32"
	wait_until 30 rx_total_is a0 92
	read -r -a counts <<< "$(queue_counts a0)"
	check_eq "${counts[3]}" 40 "frames on queue 3"
	check_eq "$(rule_field a0 0 5)" 40 "rule hits"
	check_eq "$(rule_field a0 0 2) $(rule_field a0 0 3) $(rule_field a0 0 4)" \
		"$MAC_X - 3" "debugfs rules"
}

test_vlan_rules() {
	setup
	make_pair a0 b0 4
	ip link set a0 promisc on
	# Everything no rule claims goes to queue 0.
	ethtool -X a0 equal 1
	# VID only (mask 0x0fff), a catch-all for the MAC, the whole TCI.
	add_rule a0 flow-type ether dst "$MAC_X" vlan 100 m 0xf000 action 2 loc 0
	add_rule a0 flow-type ether dst "$MAC_X" action 1 loc 1
	add_rule a0 flow-type ether dst "$MAC_Z" vlan 100 action 3 loc 2
	gen_send "$MAC_X/10/vlan=100" "$MAC_X/10/vlan=$((5 << 13 | 100))" \
		"$MAC_X/10/vlan=200" "$MAC_X/10" \
		"$MAC_Z/10/vlan=100" "$MAC_Z/10/vlan=$((5 << 13 | 100))" "$MAC_Z/10"
	wait_until 30 rx_total_is a0 70
	# VLAN 100 any priority; other VLANs and untagged; whole TCI; unclaimed.
	check_eq "$(queue_counts a0)" "20 20 20 10" "frames per queue"
	check_eq "$(rules_column a0 3)" "100 - 0x0064" "debugfs VLANs"
	insert_refused "Invalid argument" a0 \
		flow-type ether dst "$MAC_Y" vlan 100 m 0xff00 action 1
}

test_rule_table_exhaustion() {
	local i

	setup
	new_pair a0 b0 4
	defer del_pair a0
	check_eq "$(dbg a0 rule_capacity)" 16 "igb's table size"
	for i in {0..15}; do
		add_rule a0 flow-type ether dst "02:00:00:00:01:$(printf %02x "$i")" \
			action $((i % 4)) > /dev/null
	done
	check_eq "$(rule_count a0)" 16 "rules"
	insert_refused "No space left on device" a0 \
		flow-type ether dst "$MAC_X" action 0
	insert_refused "No space left on device" a0 \
		flow-type ether dst "$MAC_X" action 0 loc 16

	# The capacity knob cannot cut rules off, but can shrink the table...
	expect_error "Device or resource busy" knob a0 rule_capacity 4
	ethtool -K a0 ntuple off
	ethtool -K a0 ntuple on
	knob a0 rule_capacity 2
	check_eq "$(dbg a0 rule_capacity)" 2 "capacity"
	add_rule a0 flow-type ether dst "$MAC_Y" action 0 > /dev/null
	add_rule a0 flow-type ether dst "$MAC_Z" action 0 > /dev/null
	insert_refused "No space left on device" a0 \
		flow-type ether dst "$MAC_X" action 0
	# ...and grow it.
	knob a0 rule_capacity 1024
	check_eq "$(add_rule a0 flow-type ether dst "$MAC_X" action 0)" 2 \
		"location after growing"
	expect_error "Invalid argument" knob a0 rule_capacity 0
	expect_error "Invalid argument" knob a0 rule_capacity 2049
}

test_rule_locations() {
	setup
	new_pair a0 b0 4
	defer del_pair a0
	add_rule a0 flow-type ether dst "$MAC_X" action 1 loc 5
	# RX_CLS_LOC_ANY: the driver picks the lowest free location.
	check_eq "$(add_rule a0 flow-type ether dst "$MAC_Y" action 2)" 0 "any"
	check_eq "$(add_rule a0 flow-type ether dst "$MAC_Z" action 3)" 1 "any"
	ethtool -N a0 delete 0
	check_eq "$(add_rule a0 flow-type ether dst 02:00:00:00:00:0d action 3)" \
		0 "reused location"
	# An explicit location replaces its rule.
	add_rule a0 flow-type ether dst "$MAC_X" action 2 loc 5
	check_eq "$(rules_column a0 1)" "0 1 5" "locations"
	check_eq "$(rule_field a0 5 4)" 2 "replaced rule's queue"
	check_contains "$(ethtool -n a0 rule 5)" "Direct to queue 2" "ethtool -n"
	insert_refused "File exists" a0 \
		flow-type ether dst "$MAC_X" action 1 loc 9
	expect_error "No such file or directory" one_line ethtool -N a0 delete 9
	expect_error "No such file or directory" one_line ethtool -n a0 rule 9
	insert_refused "Invalid argument" a0 \
		flow-type ether dst 02:00:00:00:00:0e action 4
	insert_refused "Invalid argument" a0 \
		flow-type ether dst 02:00:00:00:00:0e action -1
	insert_refused "Invalid argument" a0 \
		flow-type ether dst 02:00:00:00:00:0e m 00:00:00:00:00:ff action 1
	insert_refused "Invalid argument" a0 \
		flow-type tcp4 dst-ip 10.0.0.1 action 1
}

test_ntuple_off_refuses_and_clears() {
	setup
	new_pair a0 b0 4
	defer del_pair a0
	check_contains "$(ethtool -k a0)" "ntuple-filters: on" "ntuple default"
	add_rule a0 flow-type ether dst "$MAC_X" action 1 > /dev/null
	add_rule a0 flow-type ether dst "$MAC_Y" action 2 > /dev/null
	ethtool -K a0 ntuple off
	check_eq "$(rule_count a0)" 0 "rules after ntuple off"
	check_contains "$(ethtool -n a0)" "Total 0 rules" "ethtool -n"
	insert_refused "Operation not supported" a0 \
		flow-type ether dst "$MAC_X" action 1
	ethtool -K a0 ntuple on
	check_eq "$(add_rule a0 flow-type ether dst "$MAC_X" action 1)" 0 \
		"rule after ntuple on"
}

test_no_mac_steering() {
	setup
	new_pair a0 b0 4
	defer del_pair a0
	add_rule a0 flow-type ether dst "$MAC_X" action 1 > /dev/null
	expect_error "Device or resource busy" knob a0 no_mac_steering 1
	ethtool -N a0 delete 0
	knob a0 no_mac_steering 1
	check_eq "$(dbg a0 no_mac_steering)" 1 "knob"
	# ixgbe's answer to a flow type it cannot steer.
	insert_refused "Invalid argument" a0 \
		flow-type ether dst "$MAC_X" action 1
	insert_refused "Invalid argument" a0 \
		flow-type ether dst "$MAC_X" vlan 5 m 0xf000 action 1
	knob a0 no_mac_steering 0
	add_rule a0 flow-type ether dst "$MAC_X" action 1 > /dev/null
}

test_rss_uses_only_indir_queues() {
	local mac q q2

	setup
	make_pair a0 b0 4
	mac=$(mac_of a0)
	check_eq "$(indir_queues a0)" "0 1 2 3" "default table"
	check_contains "$(ethtool -n a0)" "4 RX rings available" "RX rings"
	ethtool -X a0 weight 1 0 1 0
	check_eq "$(indir_queues a0)" "0 2" "table"
	gen_send "$mac/1/flows=64"
	wait_until 30 rx_total_is a0 64
	read -r -a q <<< "$(queue_counts a0)"
	check_eq "${q[1]} ${q[3]}" "0 0" "queues 1 and 3 (not in the table)"
	[ "${q[0]}" -gt 0 ] || fail "no flow hashed to queue 0"
	[ "${q[2]}" -gt 0 ] || fail "no flow hashed to queue 2"

	ethtool -X a0 equal 2
	q2=${q[2]}
	gen_send "$mac/1/flows=64/tcp"
	wait_until 30 rx_total_is a0 128
	read -r -a q <<< "$(queue_counts a0)"
	check_eq "${q[2]} ${q[3]}" "$q2 0" "queues 2 and 3 (not in the table)"
	[ "${q[1]}" -gt 0 ] || fail "no flow hashed to queue 1"

	# Frames that are not IP carry no hash: all on indir[0], whoever
	# sends them (the "default queue").
	ethtool -X a0 weight 0 0 1 1
	gen_send "$mac/4/src=02:00:00:00:10:01" "$mac/4/src=02:00:00:00:10:02" \
		"$mac/4/src=02:00:00:00:10:03" "$mac/4/src=02:00:00:00:10:04" \
		"$mac/4/src=02:00:00:00:10:05"
	wait_until 30 rx_total_is a0 148
	read -r -a q <<< "$(queue_counts a0)"
	check_eq "${q[2]} ${q[3]}" "$((q2 + 20)) 0" "non-IP frames on indir[0]"
}

test_unicast_filter() {
	setup
	make_pair a0 b0 2
	# One queue for all: frames are handled in the order they came.
	ethtool -X a0 equal 1
	gen_send "$MAC_Y/10" "ff:ff:ff:ff:ff:ff/3" "$(mac_of a0)/5"
	wait_until 30 queue_done a0 0 8
	check_eq "$(queue_counts a0)" "8 0" "own address and broadcast only"
	ip link set a0 promisc on
	gen_send "$MAC_Y/10"
	wait_until 30 queue_done a0 0 18
}

test_irq_affinity_moves_napi() {
	local irq cpu

	[ "$(nproc)" -ge 8 ] || skip "needs 8 CPUs"
	setup
	make_pair a0 b0 4
	add_rule a0 flow-type ether dst "$MAC_X" action 3 > /dev/null
	irq=$(queue_irq a0 3)
	[ -n "$irq" ] || fail "no IRQ named a0-rx-3"
	echo 5 > "/proc/irq/$irq/smp_affinity_list"
	check_eq "$(effective_cpu "$irq")" 5 "effective affinity"
	gen_send "$MAC_X/30"
	wait_until 30 queue_done a0 3 30
	check_eq "$(queue_cpus a0 3)" 5 "CPUs that ran queue 3's NAPI"
	[ "$(irq_count "$irq" 5)" -gt 0 ] || fail "no interrupt counted on CPU 5"

	echo 2 > "/proc/irq/$irq/smp_affinity_list"
	check_eq "$(effective_cpu "$irq")" 2 "effective affinity"
	gen_send "$MAC_X/30"
	wait_until 30 queue_done a0 3 60
	check_eq "$(queue_cpus a0 3)" "2 5" "CPUs that ran queue 3's NAPI"
	check_eq "$(cpu_packets a0 3 2) $(cpu_packets a0 3 5)" "30 30" \
		"frames on CPUs 2 and 5"

	# A mask of several CPUs: the interrupt goes to one of them.
	echo 4-7 > "/proc/irq/$irq/smp_affinity_list"
	cpu=$(effective_cpu "$irq")
	in_cpulist "$cpu" 4-7 || fail "effective CPU $cpu outside 4-7"
	gen_send "$MAC_X/30"
	wait_until 30 queue_done a0 3 90
	check_eq "$(cpu_packets a0 3 "$cpu")" 30 "frames on CPU $cpu"
	check_eq "$(queue_counts a0)" "0 0 0 90" "ethtool -S"
}

test_reset_keeps_rules_renews_irqs() {
	local old new irq

	setup
	make_pair a0 b0 4
	add_rule a0 flow-type ether dst "$MAC_X" action 3 > /dev/null
	old=$(queue_irqs a0)
	irq=$(queue_irq a0 3)
	echo 5 > "/proc/irq/$irq/smp_affinity_list"

	knob a0 reset keep-rules
	wait_until 10 carrier_up a0
	wait_until 10 gen_ready
	new=$(queue_irqs a0)
	read -r -a new <<< "$new"
	check_eq ${#new[@]} 4 "IRQs after the reset"
	for irq in "${new[@]}"; do
		[[ " $old " != *" $irq "* ]] || fail "IRQ $irq survived the reset"
	done
	[ ! -e "/proc/irq/${old##* }" ] || fail "old IRQ ${old##* } still exists"
	check_eq "$(< "/proc/irq/${new[3]}/smp_affinity")" \
		"$(< /proc/irq/default_smp_affinity)" "affinity after the reset"
	check_eq "$(rule_count a0)" 1 "rules kept"
	# The new IRQs work: NAPI runs where the new vector points.
	gen_send "$MAC_X/20"
	wait_until 30 queue_done a0 3 20
	check_eq "$(queue_cpus a0 3)" "$(effective_cpu "${new[3]}")" "NAPI CPU"

	knob a0 reset lose-rules
	wait_until 10 carrier_up a0
	check_eq "$(rule_count a0)" 0 "rules after lose-rules"
	expect_error "Invalid argument" knob a0 reset sideways
}

# 6.8+: each RX queue linked to its NAPI, each NAPI to its IRQ.
test_queue_napi_irq_link() {
	local out rc=0

	setup
	make_pair a0 b0 4
	out=$(python3 "$QUEUE_NAPI" a0 3 2>&1) || rc=$?
	[ "$rc" -ne "$KSFT_SKIP" ] ||
		skip "nicsim links queues to NAPIs and IRQs on 6.8+ only ($out)"
	[ "$rc" -eq 0 ] || fail "netdev-genl knows no NAPI for a0's queue 3"
	check_eq "${out#* }" "$(queue_irq a0 3)" "IRQ of queue 3's NAPI"
	knob a0 reset keep-rules
	wait_until 10 carrier_up a0
	out=$(python3 "$QUEUE_NAPI" a0 3)
	check_eq "${out#* }" "$(queue_irq a0 3)" "IRQ of queue 3's NAPI, reset"
}

test_fail_insert() {
	setup
	new_pair a0 b0 4
	defer del_pair a0
	knob a0 fail_insert "2 5"
	check_eq "$(dbg a0 fail_insert)" "2 5" "knob"
	insert_refused "Input/output error" a0 \
		flow-type ether dst "$MAC_X" action 1
	# A bad rule fails for its own reason and leaves the fault armed.
	insert_refused "Invalid argument" a0 \
		flow-type ether dst "$MAC_X" action 9
	insert_refused "Input/output error" a0 \
		flow-type ether dst "$MAC_X" action 1
	check_eq "$(dbg a0 fail_insert)" "0 5" "knob used up"
	add_rule a0 flow-type ether dst "$MAC_X" action 1 > /dev/null
	knob a0 fail_insert "1 -28"
	insert_refused "No space left on device" a0 \
		flow-type ether dst "$MAC_Y" action 1
	check_eq "$(rule_count a0)" 1 "rules"
	expect_error "Invalid argument" knob a0 fail_insert "1 0"
	expect_error "Invalid argument" knob a0 fail_insert junk
}

test_carrier_knob() {
	setup
	make_pair a0 b0 2
	knob a0 carrier 0
	check_eq "$(dbg a0 carrier)" 0 "knob"
	check_eq "$(< /sys/class/net/a0/carrier)" 0 "A's carrier"
	check_eq "$(ip netns exec "$GEN" cat /sys/class/net/b0/carrier)" 0 \
		"B's carrier"
	# Lost on the unplugged cable; only the 5 sent later arrive.
	gen_send "$(mac_of a0)/10"
	knob a0 carrier 1
	wait_until 10 carrier_up a0
	wait_until 10 gen_ready
	gen_send "$(mac_of a0)/5"
	wait_until 30 rx_total_is a0 5
	# Down on either side is down for both.
	ip -n "$GEN" link set b0 down
	check_eq "$(< /sys/class/net/a0/carrier)" 0 "A's carrier, B down"
}

test_channels_change() {
	local irqs

	setup
	make_pair a0 b0 4
	ethtool -L a0 combined 8
	wait_until 10 gen_ready
	check_eq "$(combined_channels a0)" 8 "combined channels"
	read -r -a irqs <<< "$(queue_irqs a0)"
	check_eq ${#irqs[@]} 8 "IRQs"
	check_eq "$(echo /sys/class/net/a0/queues/rx-*)" \
		"$(echo /sys/class/net/a0/queues/rx-{0..7})" "RX queues"
	check_eq "$(indir_queues a0)" "0 1 2 3 4 5 6 7" "table follows"
	add_rule a0 flow-type ether dst "$MAC_X" action 6 > /dev/null
	gen_send "$MAC_X/10"
	wait_until 30 queue_done a0 6 10

	# Queues named by a rule or a configured table cannot go.
	expect_error "Invalid argument" one_line ethtool -L a0 combined 4
	ethtool -N a0 delete 0
	ethtool -X a0 weight 0 0 0 0 0 1 1 1
	expect_error "Invalid argument" one_line ethtool -L a0 combined 4
	ethtool -X a0 default
	ethtool -L a0 combined 2
	wait_until 10 gen_ready
	read -r -a irqs <<< "$(queue_irqs a0)"
	check_eq ${#irqs[@]} 2 "IRQs"
	check_eq "$(indir_queues a0)" "0 1" "table follows"
	gen_send "$(mac_of a0)/1/flows=16"
	wait_until 30 rx_total_is a0 26
	# Counters live on per queue index; ethtool -S shows the queues left.
	check_eq "$(queue_counts a0 | wc -w)" 2 "queues in ethtool -S"
}

test_bond_and_namespaces() {
	local bond_mac

	setup
	make_pair a0 b0 4
	ip link set a0 down
	ip link add nsimbond type bond mode balance-xor xmit_hash_policy vlan+srcmac
	defer ip link del nsimbond
	quiet_bond nsimbond
	ip link set a0 master nsimbond
	ip link set nsimbond up
	wait_until 10 carrier_up nsimbond
	wait_until 10 gen_ready
	bond_mac=$(mac_of nsimbond)
	check_eq "$(mac_of a0)" "$bond_mac" "the bond's MAC on its slave"
	add_rule a0 flow-type ether dst "$MAC_X" action 2 > /dev/null
	gen_send "$MAC_X/10" "$bond_mac/10"
	wait_until 30 rx_total_is a0 20
	check_eq "$(queue_counts a0 | cut -d' ' -f3)" 10 "steered through the bond"
	[ "$(< /sys/class/net/nsimbond/statistics/rx_packets)" -ge 20 ] ||
		fail "the bond did not receive the frames"

	# B comes home when its namespace goes, like a physical NIC.
	ip netns del "$GEN"
	wait_until 10 test -e /sys/class/net/b0
	# A goes to a namespace and back.
	ip link set a0 nomaster
	ip netns add nsimother
	defer ip netns del nsimother
	ip link set a0 netns nsimother
	[ ! -e /sys/class/net/a0 ] || fail "a0 did not move"
	ip -n nsimother link set a0 netns 1
	wait_until 10 test -e /sys/class/net/a0
	check_eq "$(combined_channels a0)" 4 "channels after the trip"
}

test_rename_keeps_key() {
	setup
	new_pair a0 b0 2
	defer del_pair a0
	ip link set a0 name x0
	[ -d "$NICSIM_DBG/a0" ] || fail "debugfs moved with the name"
	expect_error "File exists" new_pair a0 b1 2
	no_ipv6 x0
	ip link set x0 up
	[ -n "$(queue_irq x0 1)" ] || fail "IRQs are not named after the new name"
	del_pair a0
	[ ! -e /sys/class/net/x0 ] || fail "del_pair a0 left x0"
}

# Traffic keeps coming while the NIC is reset, reconfigured, taken down
# and deleted: nothing may be left in flight (the rig fails the run on any
# kernel warning).
test_teardown_under_traffic() {
	local pid i

	setup
	make_pair a0 b0 4
	add_rule a0 flow-type ether dst "$MAC_X" action 3 > /dev/null
	gen_send "$MAC_X/50000" "$(mac_of a0)/20/flows=1000" "$MAC_X/50000" \
		2>/dev/null &
	pid=$!
	defer kill "$pid"
	wait_until 30 queue_started a0 3
	for i in 1 2; do
		echo "$i" > "/proc/irq/$(queue_irq a0 3)/smp_affinity_list"
		knob a0 reset keep-rules
		ethtool -L a0 combined $((4 + i))
		ip link set a0 down
		ip link set a0 up
		knob a0 carrier 0
		knob a0 carrier 1
	done
	del_pair a0
	wait "$pid" || true
	[ ! -e /sys/class/net/a0 ] || fail "a0 survived del_pair"
}

test_unload_with_pairs_present() {
	setup
	make_pair a0 b0 4
	new_pair a1 b1 2
	ip link add nsimbond type bond mode active-backup
	defer ip link del nsimbond
	ip link set a1 master nsimbond
	ip link set nsimbond up
	add_rule a0 flow-type ether dst "$MAC_X" action 3 > /dev/null
	echo 5 > "/proc/irq/$(queue_irq a0 3)/smp_affinity_list"
	gen_send "$MAC_X/10"
	wait_until 30 queue_done a0 3 10

	rmmod nicsim
	[ ! -e /sys/class/net/a0 ] || fail "a0 survived the unload"
	[ ! -e /sys/class/net/a1 ] || fail "a1 survived the unload"
	! ip -n "$GEN" link show b0 2>/dev/null || fail "b0 survived the unload"
	check_eq "$(< /sys/class/net/nsimbond/bonding/slaves)" "" "bond slaves"
	check_eq "$(queue_irqs a0)" "" "IRQs after the unload"
	[ ! -e /sys/bus/nicsim ] || fail "the bus survived the unload"

	nicsim_load
	new_pair a0 b0 1
}

ktap_run \
	test_pair_create_delete \
	test_pair_numa_node \
	test_pair_errors \
	test_rule_steers_mac_to_queue \
	test_vlan_rules \
	test_rule_table_exhaustion \
	test_rule_locations \
	test_ntuple_off_refuses_and_clears \
	test_no_mac_steering \
	test_rss_uses_only_indir_queues \
	test_unicast_filter \
	test_irq_affinity_moves_napi \
	test_reset_keeps_rules_renews_irqs \
	test_queue_napi_irq_link \
	test_fail_insert \
	test_carrier_knob \
	test_channels_change \
	test_bond_and_namespaces \
	test_rename_keeps_key \
	test_teardown_under_traffic \
	test_unload_with_pairs_present
