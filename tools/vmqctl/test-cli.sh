#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offline tests of vmqctl's command line: help, usage errors and exit
# statuses, option and word abbreviation, number, MAC, VLAN and VM name
# parsing, batch mode, and the "family not found" path, as kselftest TAP
# through selftests/lib/ktap.sh, as the VM selftests.  The plain usage
# errors are data, one a line, in cli-usage-errors.  Needs no vmq module;
# the tests that rely on its absence are skipped when the vmq generic
# netlink family is registered.  Never changes anything: the only device
# named is one that does not exist.
#
# Usage: [VMQCTL=path/to/vmqctl] test-cli.sh      (TAP on stdout)

here=$(cd "$(dirname "$0")" && pwd)
VMQCTL=${VMQCTL:-$here/vmqctl}
NODEV=vmqtest-nodev0		# 14 characters: valid, and never there
MAC=52:54:00:aa:00:01

. "$here/../../selftests/lib/ktap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- helpers ----

# Run vmqctl; leaves its status in $rc, its output in $tmp/out, $tmp/err.
run() {
	rc=0
	"$VMQCTL" "$@" >"$tmp/out" 2>"$tmp/err" <"${STDIN:-/dev/null}" || rc=$?
}

show_file() {
	sed 's/^/# /' "$@"
}

expect_rc() {
	[ "$rc" -eq "$1" ] && return 0
	echo "# expected exit status $1, got $rc; stderr:"
	show_file "$tmp/err"
	return 1
}

stdout_has() {
	grep -q -- "$1" "$tmp/out" && return 0
	echo "# stdout lacks \"$1\":"
	show_file "$tmp/out"
	return 1
}

stdout_lacks() {
	! grep -q -- "$1" "$tmp/out" && return 0
	echo "# stdout has \"$1\""
	return 1
}

stderr_has() {
	grep -q -- "$1" "$tmp/err" && return 0
	echo "# stderr lacks \"$1\":"
	show_file "$tmp/err"
	return 1
}

stdout_empty() {
	[ ! -s "$tmp/out" ] && return 0
	echo "# stdout is not empty:"
	show_file "$tmp/out"
	return 1
}

stderr_empty() {
	[ ! -s "$tmp/err" ] && return 0
	echo "# stderr is not empty:"
	show_file "$tmp/err"
	return 1
}

# A usage error: status 2, a message and the usage on stderr, no stdout.
usage_error() {
	run "$@"
	expect_rc 2 && stdout_empty && stderr_has '^vmqctl: ' &&
		stderr_has '^Usage: '
}

family_registered() {
	if command -v genl >/dev/null; then
		genl ctrl get name vmq >/dev/null 2>&1
	else
		[ -d /sys/module/vmq ]
	fi
}

need_no_family() {
	! family_registered || skip "vmq family is registered"
}

batch_file() {
	printf '%s\n' "$@" >"$tmp/batch"
}

# ---- tests: each prints nothing but diagnostics; fails by its status ----

# -V prints the version
test_version() {
	run -V
	expect_rc 0 && stdout_has '^vmqctl [0-9][0-9.]*$' && stderr_empty
}

# --Version
test_version_long() {
	run --Version
	expect_rc 0 && stdout_has '^vmqctl [0-9]'
}

# help prints the usage to stdout
test_help() {
	run help
	expect_rc 0 && stdout_has '^Usage: vmqctl ' &&
		stdout_has 'OBJECT := { team | adapter | vm | queue | monitor | daemon }' && stderr_empty
}

# help OBJECT prints the object's usage
test_help_object() {
	run help adapter
	expect_rc 0 && stdout_has '^Usage: vmqctl adapter ' && stderr_empty ||
		return 1
	run help t
	expect_rc 0 && stdout_has '^Usage: vmqctl team ' || return 1
	run help vm
	expect_rc 0 && stdout_has '^Usage: vmqctl vm ' || return 1
	run help q
	expect_rc 0 && stdout_has '^Usage: vmqctl queue ' || return 1
	run help help
	expect_rc 0 && stdout_has '^Usage: vmqctl \['
}



# -h prints the usage to stdout
test_help_option() {
	run -h
	expect_rc 0 && stdout_has '^Usage: vmqctl ' && stderr_empty
}

# team help
test_team_help() {
	run team help
	expect_rc 0 && stdout_has '^Usage: vmqctl team attach DEV' &&
		stdout_has 'detach DEV' && stdout_has 'show' &&
		stdout_has 'team plan DEV \[ apply \]' && stderr_empty
}

# adapter help
test_adapter_help() {
	run adapter help
	expect_rc 0 && stdout_has '^Usage: vmqctl adapter { show | list }' &&
		stdout_has 'adapter set DEV' && stdout_has 'base-processor CPU' &&
		stdout_has 'max-processor-number CPU' &&
		stdout_has 'max-processors COUNT' && stdout_has 'numa-node NODE' &&
		stdout_has 'default-queues COUNT' &&
		stdout_has 'enabled { on | off }' &&
		stdout_has 'processors auto' && stderr_empty
}

# vm help
test_vm_help() {
	run vm help
	expect_rc 0 &&
		stdout_has '^Usage: vmqctl vm add TEAM MAC \[ vlan ID \] \[ name NAME \]' &&
		stdout_has 'vm { del | delete } TEAM MAC \[ vlan ID \]' &&
		stdout_has 'vm { show | list } \[ TEAM \] \[ -s | stats \]' &&
		stdout_has 'vm help' && stdout_has 'MAC := xx:xx:xx:xx:xx:xx' &&
		stdout_has 'ID := 0-4094' && stdout_has 'at most 31 bytes' &&
		stderr_empty
}

# queue help
test_queue_help() {
	run queue help
	expect_rc 0 && stdout_has '^Usage: vmqctl queue { show | list } \[ TEAM \]' &&
		stdout_has 'queue help' && stderr_empty
}

# abbreviated: v h, q h
test_vm_queue_prefix_help() {
	run v h
	expect_rc 0 && stdout_has '^Usage: vmqctl vm add' && stderr_empty ||
		return 1
	run q h
	expect_rc 0 && stdout_has '^Usage: vmqctl queue' && stderr_empty
}

# abbreviated: a h
test_adapter_prefix_help() {
	run a h
	expect_rc 0 && stdout_has '^Usage: vmqctl adapter' && stderr_empty
}

# "help" in place of any argument prints the object's usage, status 0.
test_help_anywhere() {
	local args
	for args in "team plan help" "team plan $NODEV help" \
		    "team attach $NODEV mode help" "adapter set help" \
		    "adapter set $NODEV help" "adapter set $NODEV enabled help" \
		    "adapter show help" "a se $NODEV base-processor 1 help" \
		    "vm add help" "vm add $NODEV help" "vm add $NODEV $MAC help" \
		    "vm add $NODEV $MAC vlan help" "vm add $NODEV $MAC name help" \
		    "vm del $NODEV $MAC help" "vm show help" "vm show -s help" \
		    "vm show $NODEV stats help" "queue show help" \
		    "queue show $NODEV help" "q l help"; do
		# shellcheck disable=SC2086
		run $args
		expect_rc 0 && stderr_empty || { echo "# for: $args"; return 1; }
		case $args in
		team*)	stdout_has '^Usage: vmqctl team attach' ;;
		vm*)	stdout_has '^Usage: vmqctl vm add' ;;
		q*)	stdout_has '^Usage: vmqctl queue' ;;
		*)	stdout_has '^Usage: vmqctl adapter' ;;
		esac || { echo "# for: $args"; return 1; }
	done
}

# save and restore have usages of their own, by "help WORD" and "WORD help".
test_save_restore_help() {
	local w

	for w in save restore; do
		run help $w
		expect_rc 0 && stdout_has "^Usage: vmqctl $w" && stderr_empty &&
			run $w help &&
			expect_rc 0 && stdout_has "^Usage: vmqctl $w" &&
			stderr_empty || { echo "# for: $w"; return 1; }
	done
}

# abbreviated: t h
test_prefix_help() {
	run t h
	expect_rc 0 && stdout_has '^Usage: vmqctl team attach'
}



# unknown command: usage error
test_unknown_command() {
	usage_error team frobnicate &&
		stderr_has 'unknown command "frobnicate"' &&
		stderr_has '^Usage: vmqctl team'
}












# ---- team plan ----



# plan with an unknown keyword: usage error
test_plan_bad_keyword() {
	usage_error team plan "$NODEV" frob &&
		stderr_has 'unknown keyword "frob"' &&
		stderr_has '^Usage: vmqctl team'
}


# ---- adapter ----

# adapter frob: usage error
test_adapter_unknown_command() {
	usage_error adapter frob && stderr_has 'unknown command "frob"' &&
		stderr_has '^Usage: vmqctl adapter'
}









# each set keyword without a value: usage error
test_set_no_value() {
	local kw
	for kw in base-processor max-processor-number max-processors \
		  numa-node default-queues enabled processors; do
		usage_error adapter set "$NODEV" "$kw" &&
			stderr_has "\"$kw\" needs a value" ||
			{ echo "# for: $kw"; return 1; }
	done
}

# a set keyword given twice: usage error
test_set_twice() {
	usage_error adapter set "$NODEV" base-processor 2 b 4 &&
		stderr_has 'base-processor given twice' || return 1
	usage_error adapter set "$NODEV" enabled on enabled off &&
		stderr_has 'enabled given twice'
}

# enabled neither on nor off: usage error
test_set_bad_enabled() {
	usage_error adapter set "$NODEV" enabled yes &&
		stderr_has 'unknown value for enabled "yes"' || return 1
	usage_error adapter set "$NODEV" enabled o &&
		stderr_has 'ambiguous value for enabled "o", could be: on off'
}


# processors auto with a CPU setting: usage error
test_set_auto_excludes() {
	local kw
	for kw in base-processor max-processor-number max-processors \
		  numa-node; do
		usage_error adapter set "$NODEV" processors auto "$kw" 2 &&
			stderr_has "processors auto and $kw exclude each other" ||
			{ echo "# for: $kw"; return 1; }
	done
}

# Every numeric keyword refuses junk, negatives and overflow, naming
# itself; the number is not checked further (that is the kernel's job).
test_set_bad_numbers() {
	local kw val why
	for kw in base-processor max-processor-number max-processors \
		  numa-node default-queues; do
		for val in abc 12abc "" " 1" "1 " +1 0x10 1.5 1e3 \
			   -1 -0 \
			   4294967296 18446744073709551616 \
			   99999999999999999999999999; do
			case $val in
			-[0-9]*)	why=negative ;;
			[0-9]????????*)	why='out of range (max 4294967295)' ;;
			*)		why='not a number' ;;
			esac
			usage_error adapter set "$NODEV" "$kw" "$val" &&
				stderr_has "invalid $kw \"$val\": $why" ||
				{ echo "# for: $kw \"$val\""; return 1; }
		done
	done
}

# Numbers that parse: they get as far as the kernel (here: no family).
test_set_good_numbers() {
	need_no_family
	local kw val
	for kw in base-processor max-processor-number max-processors \
		  numa-node default-queues; do
		for val in 0 1 007 4294967295; do
			run adapter set "$NODEV" "$kw" "$val"
			expect_rc 1 && stderr_has 'family not found' ||
				{ echo "# for: $kw $val"; return 1; }
		done
	done
}

# no vmq family: message and status 1
test_family_not_found() {
	need_no_family
	run team show
	expect_rc 1 && stdout_empty &&
		stderr_has 'vmq: generic netlink family not found; is the vmq module loaded?'
}

# no vmq family with -j: no JSON, status 1
test_family_not_found_json() {
	need_no_family
	run -j team show
	expect_rc 1 && stdout_empty && stderr_has 'family not found'
}

# Words abbreviated to prefixes get past the parser to the kernel.
test_prefixes_parsed() {
	need_no_family
	run -js -p t a "$NODEV" m s
	expect_rc 1 && stderr_has 'family not found'
}

# abbreviated adapter and plan words
test_new_prefixes_parsed() {
	need_no_family
	run -j a se "$NODEV" b 2 max-processor-n 5 max-processors 1 n 0 d 1 e of
	expect_rc 1 && stderr_has 'family not found' || return 1
	run a se "$NODEV" p a e on
	expect_rc 1 && stderr_has 'family not found' || return 1
	run t p "$NODEV" a
	expect_rc 1 && stderr_has 'family not found' || return 1
	run -j adapter
	expect_rc 1 && stderr_has 'family not found' && stdout_empty || return 1
	run adapter ls "$NODEV"
	expect_rc 1 && stderr_has 'family not found'
}

# show aliases: ls, l, and no command
test_aliases_parsed() {
	need_no_family
	run team ls && expect_rc 1 || return 1
	run team l && expect_rc 1 || return 1
	run team && expect_rc 1
}

# batch stops at a bad line and names it
test_batch_stops() {
	batch_file '# a comment' '' '   ' 'help   # trailing comment' \
		'team frobnicate' 'team help'
	run -b "$tmp/batch"
	expect_rc 2 && stdout_has '^Usage: vmqctl \[' &&
		stdout_lacks '^Usage: vmqctl team' &&
		stderr_has 'unknown command "frobnicate"' &&
		stderr_has "batch:5: command failed"
}

# batch -force goes on past bad lines
test_batch_force() {
	batch_file 'team frobnicate' 'team help' 'frob' 'help'
	run -force -b "$tmp/batch"
	expect_rc 2 && stdout_has '^Usage: vmqctl team' &&
		stdout_has '^Usage: vmqctl \[' &&
		stderr_has "batch:1: command failed" &&
		stderr_has "batch:3: command failed"
}

# batch of good lines, comments, quotes
test_batch_ok() {
	batch_file '# nothing but help' 'help' "'team' \"help\"" 't h'
	run -b "$tmp/batch"
	expect_rc 0 && stderr_empty && stdout_has '^Usage: vmqctl team'
}

# batch from stdin
test_batch_stdin() {
	printf 'team help\nteam bogus\n' >"$tmp/stdin"
	STDIN=$tmp/stdin run -b -
	expect_rc 2 && stdout_has '^Usage: vmqctl team' &&
		stderr_has '<stdin>:2: command failed'
}

# batch line with an unterminated quote
test_batch_quote() {
	batch_file 'team show "unterminated'
	run -b "$tmp/batch"
	expect_rc 2 && stderr_has 'unterminated " quote' &&
		stderr_has 'batch:1: command failed'
}

# batch stops at a failed operation, status 1
test_batch_op_error() {
	need_no_family
	batch_file 'help' 'team show' 'team help'
	run -b "$tmp/batch"
	expect_rc 1 && stderr_has 'family not found' &&
		stderr_has 'batch:2: command failed' &&
		stdout_lacks '^Usage: vmqctl team'
}

# batch with adapter and plan lines
test_batch_new_commands() {
	batch_file 'adapter help' 'team plan help' 'help adapter' \
		"adapter set $NODEV max-processors 2x" 'team help'
	run -b "$tmp/batch"
	expect_rc 2 && stdout_has '^Usage: vmqctl adapter' &&
		stdout_has '^Usage: vmqctl team' &&
		stderr_has 'invalid max-processors "2x": not a number' &&
		stderr_has 'batch:4: command failed'
}

# batch -force over adapter and plan failures
test_batch_new_force() {
	need_no_family
	batch_file "adapter set $NODEV enabled maybe" "team plan $NODEV apply" \
		"adapter show $NODEV"
	run -force -b "$tmp/batch"
	expect_rc 2 && stderr_has 'batch:1: command failed' &&
		stderr_has 'batch:2: command failed' &&
		stderr_has 'batch:3: command failed'
}

# batch file missing: status 1
test_batch_missing_file() {
	run -b "$tmp/no-such-file"
	expect_rc 1 && stderr_has 'cannot open batch file'
}

# arguments after -b FILE: usage error
test_batch_extra_arg() {
	batch_file 'help'
	usage_error -b "$tmp/batch" team show
}


# ---- vm ----

# vm frob: usage error
test_vm_unknown_command() {
	usage_error vm frob && stderr_has 'unknown command "frob"' &&
		stderr_has '^Usage: vmqctl vm'
}

# vm add/del without TEAM or MAC: usage error
test_vm_add_missing() {
	usage_error vm add && stderr_has 'missing TEAM' || return 1
	usage_error vm add "$NODEV" && stderr_has 'missing MAC' || return 1
	usage_error vm del && stderr_has 'missing TEAM' || return 1
	usage_error vm del "$NODEV" && stderr_has 'missing MAC'
}

# 16-character or empty TEAM for vm: usage error
test_vm_team_too_long() {
	usage_error vm add abcdefghijklmnop $MAC && stderr_has 'too long' ||
		return 1
	usage_error vm del abcdefghijklmnop $MAC && stderr_has 'too long' ||
		return 1
	usage_error vm show abcdefghijklmnop && stderr_has 'too long' ||
		return 1
	usage_error vm add "" $MAC && stderr_has 'empty device name'
}

# Six pairs of hex digits separated by colons, nothing else.
test_vm_bad_macs() {
	local mac
	for mac in "" 52:54:00:aa:00 52:54:00:aa:00:01:02 52:54:00:aa:00:01: \
		   :52:54:00:aa:00:01 52-54-00-aa-00-01 5254.00aa.0001 \
		   525400aa0001 52:54:0:aa:0:1 52:54:00:aa:00:1 \
		   52:54:00:aa:00:001 052:54:00:aa:00:01 g2:54:00:aa:00:01 \
		   52:54:00:aa:00:0x " 52:54:00:aa:00:01" "52:54:00:aa:00:01 " \
		   52::54:00:aa:00:01 52:54:00:aa:00:+1 0x:54:00:aa:00:01 \
		   52:54:00:aa:00.01; do
		usage_error vm add "$NODEV" "$mac" &&
			stderr_has "invalid MAC \"$mac\": not xx:xx:xx:xx:xx:xx" ||
			{ echo "# for: \"$mac\""; return 1; }
		usage_error vm del "$NODEV" "$mac" &&
			stderr_has "invalid MAC \"$mac\"" ||
			{ echo "# for del: \"$mac\""; return 1; }
	done
}

# Good MACs, either case, get as far as the kernel (here: no family).
test_vm_good_macs() {
	need_no_family
	local mac
	for mac in 52:54:00:aa:00:01 52:54:00:AA:00:01 Fe:dC:bA:98:76:54 \
		   00:00:00:00:00:00 ff:ff:ff:ff:ff:ff; do
		run vm add "$NODEV" "$mac"
		expect_rc 1 && stderr_has 'family not found' ||
			{ echo "# for: $mac"; return 1; }
	done
}

# junk, negative, VLANs above 4094: usage error
test_vm_bad_vlans() {
	local val why
	for val in abc 12abc "" " 1" "1 " +1 0x10 1.5 -1 -0 4095 4096 65535 \
		   65536 4294967295 4294967296 99999999999999999999999999; do
		case $val in
		-[0-9]*)	why=negative ;;
		*[!0-9]*|"")	why='not a number' ;;
		*)		why='out of range (max 4094)' ;;
		esac
		usage_error vm add "$NODEV" $MAC vlan "$val" &&
			stderr_has "invalid vlan \"$val\": $why" ||
			{ echo "# for: vlan \"$val\""; return 1; }
		usage_error vm del "$NODEV" $MAC vlan "$val" &&
			stderr_has "invalid vlan \"$val\": $why" ||
			{ echo "# for del: vlan \"$val\""; return 1; }
	done
}

# VLANs 0, 007, 4094 parse
test_vm_good_vlans() {
	need_no_family
	local val
	for val in 0 1 007 4094; do
		run vm add "$NODEV" $MAC vlan "$val"
		expect_rc 1 && stderr_has 'family not found' ||
			{ echo "# for: vlan $val"; return 1; }
		run vm del "$NODEV" $MAC vlan "$val"
		expect_rc 1 && stderr_has 'family not found' ||
			{ echo "# for del: vlan $val"; return 1; }
	done
}

# names over 31 bytes, empty: usage error
test_vm_bad_names() {
	local n32=abcdefghijabcdefghijabcdefghij12
	usage_error vm add "$NODEV" $MAC name "$n32" &&
		stderr_has "name \"$n32\" too long (max 31 bytes)" || return 1
	# 16 two-byte characters: 16 characters, 32 bytes
	usage_error vm add "$NODEV" $MAC name "éééééééééééééééé" &&
		stderr_has 'too long (max 31 bytes)' || return 1
	usage_error vm add "$NODEV" $MAC name "" && stderr_has 'empty name'
}

# names of 1 to 31 bytes parse
test_vm_good_names() {
	need_no_family
	local name
	for name in w abcdefghijabcdefghijabcdefghij1 "web 1" 'we"b\1' \
		    "ééééééééééééééé" name vlan -s; do
		run vm add "$NODEV" $MAC name "$name"
		expect_rc 1 && stderr_has 'family not found' ||
			{ echo "# for: name \"$name\""; return 1; }
	done
}

# vm keywords twice, without values, unknown
test_vm_keywords() {
	usage_error vm add "$NODEV" $MAC vlan 1 vlan 2 &&
		stderr_has 'vlan given twice' || return 1
	usage_error vm add "$NODEV" $MAC name a n b &&
		stderr_has 'name given twice' || return 1
	usage_error vm add "$NODEV" $MAC vlan && stderr_has '"vlan" needs a value' ||
		return 1
	usage_error vm add "$NODEV" $MAC name && stderr_has '"name" needs a value' ||
		return 1
	usage_error vm add "$NODEV" $MAC frob 1 &&
		stderr_has 'unknown keyword "frob"' || return 1
	usage_error vm add "$NODEV" $MAC $MAC &&
		stderr_has "unknown keyword \"$MAC\"" || return 1
	# del takes no name
	usage_error vm del "$NODEV" $MAC name web1 &&
		stderr_has 'unknown keyword "name"' || return 1
	usage_error vm del "$NODEV" $MAC vlan 1 v 2 &&
		stderr_has 'vlan given twice'
}

# vm show: extra argument, stats twice
test_vm_show_args() {
	usage_error vm show "$NODEV" extra &&
		stderr_has 'unexpected argument "extra"' || return 1
	usage_error vm show -s stats && stderr_has 'stats given twice' ||
		return 1
	usage_error vm show st -s && stderr_has 'stats given twice' ||
		return 1
	usage_error vm show -s "$NODEV" -s && stderr_has 'stats given twice'
}

# vm and queue words and prefixes parsed
test_vm_parsed() {
	need_no_family
	local args
	for args in "vm" "vm show" "vm ls" "vm list" "vm l" "vm s -s" \
		    "vm show stats" "vm show $NODEV" "vm show -s $NODEV" \
		    "vm show $NODEV st" "v sh $NODEV s" \
		    "vm a $NODEV $MAC v 10 n web1" "vm d $NODEV $MAC" \
		    "vm delete $NODEV $MAC vlan 10" "vm dele $NODEV $MAC" \
		    "-j vm show" "queue" "queue show" "queue ls" "q l $NODEV" \
		    "-j -p queue show $NODEV"; do
		# shellcheck disable=SC2086
		run $args
		expect_rc 1 && stderr_has 'family not found' && stdout_empty ||
			{ echo "# for: $args"; return 1; }
	done
}

# ---- queue ----

# queue frob, queue add: usage error
test_queue_unknown_command() {
	usage_error queue frob && stderr_has 'unknown command "frob"' &&
		stderr_has '^Usage: vmqctl queue' || return 1
	usage_error queue add && stderr_has 'unknown command "add"'
}

# queue show: extra argument, long TEAM
test_queue_show_args() {
	usage_error queue show "$NODEV" extra &&
		stderr_has 'unexpected argument "extra"' || return 1
	usage_error queue show abcdefghijklmnop && stderr_has 'too long'
}

# ---- daemon ----

# daemon help: its usage, exit 0
test_daemon_help() {
	run daemon help
	expect_rc 0 && stdout_has '^Usage: vmqctl daemon' &&
		stdout_has 'irqs-wanted' && stderr_empty
}

# daemon run now, daemon frob: usage error
test_daemon_args() {
	usage_error daemon run now &&
		stderr_has 'unexpected argument "now"' || return 1
	usage_error daemon frob && stderr_has 'unknown command "frob"'
}

# batch with vm and queue lines
test_batch_vm_lines() {
	batch_file 'vm help' 'queue help' "vm add $NODEV $MAC vlan 4095" \
		'team help'
	run -b "$tmp/batch"
	expect_rc 2 && stdout_has '^Usage: vmqctl vm' &&
		stdout_has '^Usage: vmqctl queue' &&
		stdout_lacks '^Usage: vmqctl team' &&
		stderr_has 'invalid vlan "4095": out of range (max 4094)' &&
		stderr_has 'batch:3: command failed'
}

# batch: a quoted name, a name too long
test_batch_vm_quoted_name() {
	need_no_family
	batch_file "vm add $NODEV $MAC name 'web one'" \
		"vm add $NODEV $MAC name \"abcdefghijabcdefghijabcdefghij12\""
	run -force -b "$tmp/batch"
	expect_rc 1 && stderr_has 'batch:1: command failed' &&
		stderr_has 'family not found' &&
		stderr_has 'too long (max 31 bytes)' &&
		stderr_has 'batch:2: command failed'
}

# ---- main ----

# The usage errors that are data (cli-usage-errors), after the tests.
mapfile -t usage_cases < <(grep -v '^#' "$here/cli-usage-errors")

# usage_case LINE: one line of cli-usage-errors, run.
usage_case() {
	local args msg
	local -a argv

	IFS='|' read -r _ args msg <<<"$1"
	read -r -a argv <<<"${args//NODEV/$NODEV}"
	msg=$(sed 's/^ *//; s/ *$//' <<<"$msg")
	usage_error "${argv[@]}" && { [ -z "$msg" ] || stderr_has "$msg"; }
}

# Each case a test named after its WHAT: "no arguments: usage error" is
# usage_no_arguments.
case_tests=()
for i in "${!usage_cases[@]}"; do
	name=$(sed 's/: usage error.*//; s/ *|.*//; s/[^A-Za-z0-9]\{1,\}/_/g; s/^_//; s/_$//' <<<"${usage_cases[i]}")
	name=usage_${name,,}
	eval "$name() { usage_case \"\${usage_cases[$i]}\"; }"
	case_tests+=("$name")
done

if [ ! -x "$VMQCTL" ]; then
	echo "Bail out! $VMQCTL not found; run make first"
	exit 1
fi

ktap_run \
	test_version \
	test_version_long \
	test_help \
	test_help_object \
	test_help_option \
	test_team_help \
	test_adapter_help \
	test_vm_help \
	test_queue_help \
	test_vm_queue_prefix_help \
	test_adapter_prefix_help \
	test_help_anywhere \
	test_save_restore_help \
	test_prefix_help \
	test_unknown_command \
	test_plan_bad_keyword \
	test_adapter_unknown_command \
	test_set_no_value \
	test_set_twice \
	test_set_bad_enabled \
	test_set_auto_excludes \
	test_set_bad_numbers \
	test_set_good_numbers \
	test_family_not_found \
	test_family_not_found_json \
	test_prefixes_parsed \
	test_new_prefixes_parsed \
	test_aliases_parsed \
	test_vm_unknown_command \
	test_vm_add_missing \
	test_vm_team_too_long \
	test_vm_bad_macs \
	test_vm_good_macs \
	test_vm_bad_vlans \
	test_vm_good_vlans \
	test_vm_bad_names \
	test_vm_good_names \
	test_vm_keywords \
	test_vm_show_args \
	test_vm_parsed \
	test_queue_unknown_command \
	test_daemon_help \
	test_daemon_args \
	test_queue_show_args \
	test_batch_vm_lines \
	test_batch_vm_quoted_name \
	test_batch_stops \
	test_batch_force \
	test_batch_ok \
	test_batch_stdin \
	test_batch_quote \
	test_batch_op_error \
	test_batch_new_commands \
	test_batch_new_force \
	test_batch_missing_file \
	test_batch_extra_arg \
	"${case_tests[@]}"
