#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Eight clients against one team at once, for CONCURRENCY_SECONDS
# (default 60): four add and delete VMs one command at a time, one does
# it in batches over one socket, two dump, one listens to the monitor.
# Meanwhile a member leaves and rejoins the bond, the other's cable is
# pulled and plugged, and pktgen streams frames at every VM from both
# link partners.  Then nothing may have failed, the VMs vmq lists must be
# exactly those whose last successful command was an add, and what vmq
# says of each must be what nicsim's rule table and /proc/irq say.  After
# detach nothing of vmq's is left.  The rig fails the run on any kernel
# warning.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/nicsim_team.sh"
. "$VMQ_TOP/selftests/lib/pktgen.sh"

DURATION=${CONCURRENCY_SECONDS:-60}
# Each writer's own MACs: 02:00:00:01:<writer>:<1..MACS>.
MACS=6
WRITERS=4
BATCHER=5
# Frames a second from each link partner: enough to keep every VM's
# counters moving, little enough that TCG's one host thread still runs
# the clients.
RATE=500
# The debug kernel, under TCG, checks every frame (KASAN, lockdep): at
# 500 a second from each stream it did little else, and one fault test
# took eight minutes.  The accounting holds at any rate.
[ "${VMQ_TIME_SCALE:-1}" -eq 1 ] || RATE=50

writer_mac() {
	printf '02:00:00:01:%02x:%02x' "$1" "$2"
}

# writer ID DIR: toggles its MACs one command at a time until the
# deadline; leaves the MACs it holds in DIR/ID.macs and "commands
# failures" in DIR/ID.count, the failures' messages in DIR/ID.err.
writer() {
	local id=$1 dir=$2 i mac n=0 bad=0
	local -A have=()

	while [ $SECONDS -lt "$deadline" ]; do
		i=$((RANDOM % MACS + 1))
		mac=$(writer_mac "$id" $i)
		if [ -n "${have[$mac]:-}" ]; then
			if vmqctl vm del bond0 "$mac" 2>>"$dir/$id.err"; then
				unset "have[$mac]"
			else
				bad=$((bad + 1))
			fi
		elif vmqctl vm add bond0 "$mac" name "w$id-$i" 2>>"$dir/$id.err"; then
			have[$mac]=1
		else
			bad=$((bad + 1))
		fi
		n=$((n + 1))
	done
	printf '%s\n' "${!have[@]}" > "$dir/$id.macs"
	echo "$n $bad" > "$dir/$id.count"
}

# batcher DIR: the same with three toggles a batch, through vmqctl -b on
# one socket.  A batch stops at its first failing line, so after a
# failure what it holds is no longer known: it counts the failure and
# stops.
batcher() {
	local dir=$1 id=$BATCHER i k mac n=0 bad=0 batch
	local -A have=() next=()

	batch=$(mktemp)
	while [ $SECONDS -lt "$deadline" ]; do
		: > "$batch"
		next=()
		for k in 1 2 3; do
			i=$((RANDOM % MACS + 1))
			mac=$(writer_mac $id $i)
			[ -z "${next[$mac]:-}" ] || continue
			next[$mac]=1
			if [ -n "${have[$mac]:-}" ]; then
				echo "vm del bond0 $mac" >> "$batch"
			else
				echo "vm add bond0 $mac" >> "$batch"
			fi
		done
		n=$((n + 1))
		if ! vmqctl -b "$batch" 2>>"$dir/$id.err"; then
			bad=$((bad + 1))
			break
		fi
		for mac in "${!next[@]}"; do
			if [ -n "${have[$mac]:-}" ]; then
				unset "have[$mac]"
			else
				have[$mac]=1
			fi
		done
	done
	rm -f "$batch"
	printf '%s\n' "${!have[@]}" > "$dir/$id.macs"
	echo "$n $bad" > "$dir/$id.count"
}

# shower ID DIR: dumps teams, adapters, VMs and queues; each must succeed
# and be a JSON array (a torn or interrupted dump would not be).
shower() {
	local id=$1 dir=$2 what n=0 bad=0

	while [ $SECONDS -lt "$deadline" ]; do
		for what in "team show bond0" "adapter show" "vm show bond0 -s" \
			    "queue show bond0"; do
			# shellcheck disable=SC2086 # the words of a command
			if ! vmqctl -j $what 2>>"$dir/$id.err" |
			     jq -e 'type == "array"' >/dev/null; then
				echo "vmqctl -j $what failed" >> "$dir/$id.err"
				bad=$((bad + 1))
			fi
			n=$((n + 1))
		done
	done
	echo "$n $bad" > "$dir/$id.count"
}

# flapper DIR: a1 leaves the bond and comes back, then a0's cable is
# pulled and plugged, each step once vmq has seen the last, until the
# deadline.  "flaps 0" in DIR/flaps.count.
flapper() {
	local dir=$1 n=0

	while [ $SECONDS -lt "$deadline" ]; do
		ip link set a1 nomaster
		wait_until 20 team_has_members 1
		enslave bond0 a1
		ip link set a1 up
		wait_until 20 team_has_members 2
		echo 0 > "$NICSIM_DBG/a0/carrier"
		wait_until 20 not carrier_up a0
		echo 1 > "$NICSIM_DBG/a0/carrier"
		wait_until 20 carrier_up a0
		n=$((n + 2))
	done
	echo "$n 0" > "$dir/flaps.count"
}

# The MACs the writers hold at the end, sorted.
expected_vms() {
	cat "$1"/*.macs | grep . | sort || true
}

listed_vms() {
	vmqctl -j vm show bond0 | jq -r '.[].mac' | sort
}

# total DIR KIND...: the commands and failures the clients counted.
totals() {
	local dir=$1 n bad sum_n=0 sum_bad=0 k

	shift
	for k in "$@"; do
		read -r n bad < "$dir/$k.count"
		sum_n=$((sum_n + n))
		sum_bad=$((sum_bad + bad))
	done
	echo "$sum_n $sum_bad"
}

test_eight_clients_while_members_flap() {
	local dir rss0 rss1 aff0 aff1 pids=() k cmds fails
	local events lost monitor

	setup
	sum_bond
	# As a bridge port is: the members take every frame, not only those
	# their rules and unicast filters take.
	ip link set bond0 promisc on
	dir=$(mktemp -d)
	defer rm -rf "$dir"
	rss0=$(ethtool -x a0)
	rss1=$(ethtool -x a1)
	vmqctl team detach bond0
	aff0=$(affinities a0)
	aff1=$(affinities a1)
	vmqctl team attach bond0

	traffic_start $RATE "$(writer_mac 1 1)" $((BATCHER * 256))
	vmqctl -j monitor > "$dir/monitor" 2>"$dir/monitor.err" &
	monitor=$!
	defer kill $monitor
	deadline=$((SECONDS + DURATION))
	for k in $(seq 1 $WRITERS); do
		writer "$k" "$dir" &
		pids+=($!)
	done
	batcher "$dir" &
	pids+=($!)
	shower 6 "$dir" &
	pids+=($!)
	shower 7 "$dir" &
	pids+=($!)
	flapper "$dir" &
	pids+=($!)
	# A client that fails ends the test: the others must not go on into
	# the next one.
	defer kill "${pids[@]}"
	for k in "${pids[@]}"; do
		wait "$k" || fail "a client failed (exit $?): $(cat "$dir"/*.err)"
	done
	read -r cmds fails < <(totals "$dir" 1 2 3 4 $BATCHER 6 7)
	diag "$DURATION s: $cmds commands from 8 clients, $fails failed;" \
		"$(cut -d' ' -f1 "$dir/flaps.count") member flaps"
	[ "$fails" = 0 ] || fail "failures: $(cat "$dir"/*.err)"
	traffic_report "$DURATION s of eight clients and member flaps"

	check_eq "$(listed_vms | tr '\n' ' ')" \
		"$(expected_vms "$dir" | tr '\n' ' ')" \
		"the VMs, as the last successful commands left them"
	wait_truthful 30

	kill "$monitor"
	wait "$monitor" || true
	events=$(grep -c . "$dir/monitor" || true)
	lost=$(grep -c '"event":"lost"' "$dir/monitor" || true)
	diag "the monitor heard $events events ($lost lost notices)"
	[ "$events" -gt 0 ] || fail "the monitor heard nothing"
	jq -e . < "$dir/monitor" >/dev/null || fail "the monitor printed broken JSON"

	vmqctl team detach bond0
	check_eq "$(rule_count a0)$(rule_count a1)" 00 "rules after detach"
	check_eq "$(ethtool -x a0)" "$rss0" "a0's RSS after detach"
	check_eq "$(ethtool -x a1)" "$rss1" "a1's RSS after detach"
	check_eq "$(affinities a0)" "$aff0" "a0's IRQ affinities after detach"
	check_eq "$(affinities a1)" "$aff1" "a1's IRQ affinities after detach"
	vmqctl team attach bond0
}

ktap_run test_eight_clients_while_members_flap
