#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmq's configuration kept outside the kernel: `vmqctl save` prints what
# an administrator set (teams, adapter settings, VMs) as a batch file,
# and `vmqctl -b` or `vmqctl restore` applies it again, exactly, on the
# QEMU igb pair; restore may run again and changes nothing.

. "$VMQ_TOP/selftests/lib/vmq.sh"

NAME="it's \"db\" 1"

setup() {
	vmq_load
	defer vmq_unload
	STATE=$(mktemp -d)
	defer rm -rf "$STATE"
}

# configure: one of each setting away from its default.
configure() {
	make_bond bond0 mode active-backup
	vmqctl team attach bond0 mode min
	defer vmqctl team detach bond0
	vmqctl team set bond0 steering sw
	vmqctl adapter set igb0 base-processor 2 max-processors 2
	vmqctl adapter set igb1 default-queues 2 enabled off
	vmqctl vm add bond0 02:00:00:00:01:01 vlan 10 name "$NAME"
	vmqctl vm add bond0 02:00:00:00:01:02
}

test_save_says_each_setting() {
	setup
	configure
	vmqctl save > "$STATE/saved"
	check_eq "$(grep -v '^#' "$STATE/saved")" "team attach 'bond0' mode min
team set 'bond0' steering sw
adapter set 'igb0' base-processor 2 max-processors 2
adapter set 'igb1' default-queues 2 enabled off
vm add 'bond0' 02:00:00:00:01:01 vlan 10 name 'it'\\''s \"db\" 1'
vm add 'bond0' 02:00:00:00:01:02" "what vmqctl save printed"
}

# Saved, detached (the settings go with the team), applied: the same.
test_save_apply_round_trip() {
	setup
	configure
	vmqctl save > "$STATE/saved"
	vmqctl team detach bond0
	check_eq "$(vmqctl save | grep -vc '^#')" 0 "lines saved with no team"
	vmqctl -b "$STATE/saved"
	check_eq "$(vm 02:00:00:00:01:01 name)" "$NAME" "the quoted name"
	check_eq "$(vmqctl save)" "$(cat "$STATE/saved")" "saved again"
}

# A name a batch file cannot hold is refused, and nothing half printed.
test_save_refuses_a_line_break() {
	local rc=0

	setup
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl vm add bond0 02:00:00:00:01:01 name $'two\nlines'
	vmqctl save > "$STATE/out" 2> "$STATE/err" || rc=$?
	check_eq $rc 1 "vmqctl save's status"
	check_eq "$(wc -c < "$STATE/out")" 0 "bytes printed"
	check_contains "$(cat "$STATE/err")" "a name holds a line break" \
		"vmqctl save's error"
}

# monitor_quiet_while CMD...: CMD makes vmq tell of nothing.  A team on
# a memberless bond marks where CMD starts and ends in the monitor's
# output: what comes between must be the marker's own detach.
monitor_quiet_while() {
	local n0 pid

	ip link add vmqt_mark type bond
	defer ip link del vmqt_mark
	vmqctl -j monitor > "$STATE/events" &
	pid=$!
	defer kill $pid
	monitor_hears_attach "$STATE/events" vmqt_mark
	n0=$(wc -l < "$STATE/events")
	"$@" || fail "$*: exit $?"
	vmqctl team detach vmqt_mark
	wait_until 20 grep -q '"event":"team-detached","team":"vmqt_mark"' \
		"$STATE/events"
	check_eq "$(tail -n +$((n0 + 1)) "$STATE/events" |
		grep -v '"team":"vmqt_mark"')" "" "what vmq told of, $*"
}

# A configuration restored over itself: no event, the same VMs on the
# same queues and CPUs, the same adapters.
test_restore_twice_changes_nothing() {
	local before

	setup
	configure
	vmqctl save > "$STATE/saved"
	before=$(vmqctl -j vm show; vmqctl -j adapter show)
	monitor_quiet_while vmqctl restore "$STATE/saved"
	check_eq "$(vmqctl -j vm show; vmqctl -j adapter show)" "$before" \
		"VMs and adapters after restore"
	check_eq "$(vmqctl save)" "$(cat "$STATE/saved")" "saved again"
}

# vmqctl -b and plain commands still refuse an add of what exists.
test_batch_twice_refused() {
	setup
	configure
	vmqctl save > "$STATE/saved"
	expect_error "vmq is already attached to bond0" vmqctl -b "$STATE/saved"
	expect_error "is already a VM of bond0" \
		vmqctl vm add bond0 02:00:00:00:01:02
}

# A line that no longer fits is said with its file and line; the lines
# after it still apply.
test_restore_goes_on_past_a_bad_line() {
	local rc=0

	setup
	make_bond bond0 mode active-backup
	defer vmqctl team detach bond0
	printf '%s\n' "team attach bond0" "team attach vmqt_gone" \
		"vm add bond0 02:00:00:00:01:01 name after" > "$STATE/conf"
	vmqctl restore "$STATE/conf" 2> "$STATE/err" || rc=$?
	check_eq $rc 1 "vmqctl restore's status"
	check_contains "$(cat "$STATE/err")" "$STATE/conf:2: command failed" \
		"the line said"
	check_eq "$(vm 02:00:00:00:01:01 name)" after "the VM after it"
}

# restored: vmq is as the configuration file $STATE/conf says.
restored() {
	[ "$(vmqctl save 2>/dev/null)" = "$(< "$STATE/conf")" ]
}

# daemon_said_times N TEXT: the daemon's log has N lines with TEXT.
daemon_said_times() {
	[ "$(grep -c "$2" "$VMQ_DAEMON_LOG")" -ge "$1" ]
}

# The bond made after the daemon started, as networking makes it:
# created, then its members added one by one.  What could not apply at
# start (everything) applies once the bond is whole.
test_daemon_restores_a_bond_made_later() {
	local line

	setup
	configure
	vmqctl save > "$STATE/conf"
	vmqctl team detach bond0
	ip link del bond0
	vmq_daemon_start run config "$STATE/conf"
	wait_until 20 daemon_said_times 1 "restored but for the lines above"
	line=$(grep -n "^team attach" "$STATE/conf" | cut -d: -f1)
	grep -q "$STATE/conf:$line: command failed" "$VMQ_DAEMON_LOG" ||
		fail "no bond0, yet line $line did not fail: $(cat "$VMQ_DAEMON_LOG")"
	ip link add bond0 type bond mode active-backup
	enslave bond0 igb0 igb1
	ip link set bond0 up
	wait_until 30 restored
	grep -q "(a bond appeared or gained a member)" "$VMQ_DAEMON_LOG" ||
		fail "the daemon's log: $(cat "$VMQ_DAEMON_LOG")"
	diag "$(cat "$VMQ_DAEMON_LOG")"
}

sighup_restores() {
	local n

	n=$(grep -c "restored" "$VMQ_DAEMON_LOG" || true)
	kill -HUP "$VMQ_DAEMON_PID"
	wait_until 20 daemon_said_times $((n + 1)) "restored"
}

# systemctl reload: the file restored over itself changes nothing.
test_daemon_reload_changes_nothing() {
	local before

	setup
	configure
	vmqctl save > "$STATE/conf"
	vmq_daemon_start run config "$STATE/conf"
	wait_until 20 daemon_said_times 1 "restored"
	before=$(vmqctl -j vm show; vmqctl -j adapter show)
	monitor_quiet_while sighup_restores
	grep -q "restoring $STATE/conf (SIGHUP)" "$VMQ_DAEMON_LOG" ||
		fail "the daemon's log: $(cat "$VMQ_DAEMON_LOG")"
	check_eq "$(vmqctl -j vm show; vmqctl -j adapter show)" "$before" \
		"VMs and adapters after the reload"
}

# No file yet: said once, no error; written later, a reload applies it.
test_daemon_waits_for_the_file() {
	setup
	make_bond bond0 mode active-backup
	defer vmqctl team detach bond0
	vmq_daemon_start config "$STATE/conf"
	wait_until 20 grep -q "$STATE/conf: No such file or directory; nothing to restore" \
		"$VMQ_DAEMON_LOG"
	echo "team attach bond0 mode min" > "$STATE/conf"
	sighup_restores
	check_eq "$(team_json bond0 | jq -r .mode)" min "bond0's mode"
	kill -0 "$VMQ_DAEMON_PID" || fail "the daemon ended"
}

ktap_run \
	test_save_says_each_setting \
	test_save_apply_round_trip \
	test_save_refuses_a_line_break \
	test_restore_twice_changes_nothing \
	test_batch_twice_refused \
	test_restore_goes_on_past_a_bad_line \
	test_daemon_restores_a_bond_made_later \
	test_daemon_reload_changes_nothing \
	test_daemon_waits_for_the_file
