#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmq's configuration kept outside the kernel: `vmqctl save` prints what
# an administrator set (teams, adapter settings, VMs) as a batch file,
# and `vmqctl -b` applies it again, exactly, on the QEMU igb pair.

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

ktap_run \
	test_save_says_each_setting \
	test_save_apply_round_trip \
	test_save_refuses_a_line_break
