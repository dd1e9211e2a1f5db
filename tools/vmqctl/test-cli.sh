#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offline tests of vmqctl's command line: help, usage errors and exit
# statuses, option and word abbreviation, batch mode, and the "family not
# found" path.  Needs no vmq module; the tests that rely on its absence are
# skipped when the vmq generic netlink family is registered.  Never
# changes anything: the only device named is one that does not exist.
#
# Usage: [VMQCTL=path/to/vmqctl] test-cli.sh      (TAP on stdout)

set -u

here=$(cd "$(dirname "$0")" && pwd)
VMQCTL=${VMQCTL:-$here/vmqctl}
NODEV=vmqtest-nodev0		# 14 characters: valid, and never there

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- helpers ----

# Run vmqctl; leaves its status in $rc, its output in $tmp/out, $tmp/err.
run() {
	"$VMQCTL" "$@" >"$tmp/out" 2>"$tmp/err" <"${STDIN:-/dev/null}"
	rc=$?
}

diag() {
	sed 's/^/# /' "$@"
}

expect_rc() {
	[ "$rc" -eq "$1" ] && return 0
	echo "# expected exit status $1, got $rc; stderr:"
	diag "$tmp/err"
	return 1
}

stdout_has() {
	grep -q -- "$1" "$tmp/out" && return 0
	echo "# stdout lacks \"$1\":"
	diag "$tmp/out"
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
	diag "$tmp/err"
	return 1
}

stdout_empty() {
	[ ! -s "$tmp/out" ] && return 0
	echo "# stdout is not empty:"
	diag "$tmp/out"
	return 1
}

stderr_empty() {
	[ ! -s "$tmp/err" ] && return 0
	echo "# stderr is not empty:"
	diag "$tmp/err"
	return 1
}

# A usage error: status 2, a message and the usage on stderr, no stdout.
usage_error() {
	run "$@"
	expect_rc 2 && stdout_empty && stderr_has '^vmqctl: ' &&
		stderr_has '^Usage: '
}

SKIP=77

family_registered() {
	if command -v genl >/dev/null; then
		genl ctrl get name vmq >/dev/null 2>&1
	else
		[ -d /sys/module/vmq ]
	fi
}

need_no_family() {
	family_registered && return 1
	return 0
}

batch_file() {
	printf '%s\n' "$@" >"$tmp/batch"
}

# ---- tests: each prints nothing but diagnostics, returns 0, 1 or 77 ----

t_version() {
	run -V
	expect_rc 0 && stdout_has '^vmqctl [0-9][0-9.]*$' && stderr_empty
}

t_version_long() {
	run --Version
	expect_rc 0 && stdout_has '^vmqctl [0-9]'
}

t_help() {
	run help
	expect_rc 0 && stdout_has '^Usage: vmqctl ' && stdout_has 'team' &&
		stderr_empty
}

t_help_option() {
	run -h
	expect_rc 0 && stdout_has '^Usage: vmqctl ' && stderr_empty
}

t_team_help() {
	run team help
	expect_rc 0 && stdout_has '^Usage: vmqctl team attach DEV' &&
		stdout_has 'detach DEV' && stdout_has 'show' && stderr_empty
}

t_prefix_help() {
	run t h
	expect_rc 0 && stdout_has '^Usage: vmqctl team attach'
}

t_no_args() {
	usage_error
}

t_unknown_object() {
	usage_error frobnicate && stderr_has 'unknown object "frobnicate"'
}

t_unknown_command() {
	usage_error team frobnicate &&
		stderr_has 'unknown command "frobnicate"' &&
		stderr_has '^Usage: vmqctl team'
}

t_unknown_option() {
	usage_error -x team show && stderr_has 'unknown option "-x"'
}

t_attach_no_dev() {
	usage_error team attach && stderr_has 'missing DEV'
}

t_detach_no_dev() {
	usage_error team detach && stderr_has 'missing DEV'
}

t_attach_bad_mode() {
	usage_error team attach "$NODEV" mode bogus &&
		stderr_has 'unknown mode "bogus"'
}

t_attach_mode_no_value() {
	usage_error team attach "$NODEV" mode && stderr_has 'needs a value'
}

t_attach_mode_twice() {
	usage_error team attach "$NODEV" mode min mode sum
}

t_attach_bad_keyword() {
	usage_error team attach "$NODEV" frob min &&
		stderr_has 'unknown keyword "frob"'
}

t_name_too_long() {
	usage_error team attach abcdefghijklmnop && stderr_has 'too long'
}

t_show_name_too_long() {
	usage_error team show abcdefghijklmnop && stderr_has 'too long'
}

t_show_extra_arg() {
	usage_error team show "$NODEV" extra &&
		stderr_has 'unexpected argument "extra"'
}

t_detach_extra_arg() {
	usage_error team detach "$NODEV" extra
}

t_family_not_found() {
	need_no_family || return $SKIP
	run team show
	expect_rc 1 && stdout_empty &&
		stderr_has 'vmq: generic netlink family not found; is the vmq module loaded?'
}

t_family_not_found_json() {
	need_no_family || return $SKIP
	run -j team show
	expect_rc 1 && stdout_empty && stderr_has 'family not found'
}

# Words abbreviated to prefixes get past the parser to the kernel.
t_prefixes_parsed() {
	need_no_family || return $SKIP
	run -js -p t a "$NODEV" m s
	expect_rc 1 && stderr_has 'family not found'
}

t_aliases_parsed() {
	need_no_family || return $SKIP
	run team ls && expect_rc 1 || return 1
	run team l && expect_rc 1 || return 1
	run team && expect_rc 1
}

t_batch_stops() {
	batch_file '# a comment' '' '   ' 'help   # trailing comment' \
		'team frobnicate' 'team help'
	run -b "$tmp/batch"
	expect_rc 2 && stdout_has '^Usage: vmqctl \[' &&
		stdout_lacks '^Usage: vmqctl team' &&
		stderr_has 'unknown command "frobnicate"' &&
		stderr_has "batch:5: command failed"
}

t_batch_force() {
	batch_file 'team frobnicate' 'team help' 'frob' 'help'
	run -force -b "$tmp/batch"
	expect_rc 2 && stdout_has '^Usage: vmqctl team' &&
		stdout_has '^Usage: vmqctl \[' &&
		stderr_has "batch:1: command failed" &&
		stderr_has "batch:3: command failed"
}

t_batch_ok() {
	batch_file '# nothing but help' 'help' "'team' \"help\"" 't h'
	run -b "$tmp/batch"
	expect_rc 0 && stderr_empty && stdout_has '^Usage: vmqctl team'
}

t_batch_stdin() {
	printf 'team help\nteam bogus\n' >"$tmp/stdin"
	STDIN=$tmp/stdin run -b -
	expect_rc 2 && stdout_has '^Usage: vmqctl team' &&
		stderr_has '<stdin>:2: command failed'
}

t_batch_quote() {
	batch_file 'team show "unterminated'
	run -b "$tmp/batch"
	expect_rc 2 && stderr_has 'unterminated " quote' &&
		stderr_has 'batch:1: command failed'
}

t_batch_op_error() {
	need_no_family || return $SKIP
	batch_file 'help' 'team show' 'team help'
	run -b "$tmp/batch"
	expect_rc 1 && stderr_has 'family not found' &&
		stderr_has 'batch:2: command failed' &&
		stdout_lacks '^Usage: vmqctl team'
}

t_batch_missing_file() {
	run -b "$tmp/no-such-file"
	expect_rc 1 && stderr_has 'cannot open batch file'
}

t_batch_extra_arg() {
	batch_file 'help'
	usage_error -b "$tmp/batch" team show
}

t_batch_no_file() {
	usage_error -b
}

# ---- main ----

tests=(
	"t_version		-V prints the version"
	"t_version_long		--Version"
	"t_help			help prints the usage to stdout"
	"t_help_option		-h prints the usage to stdout"
	"t_team_help		team help"
	"t_prefix_help		abbreviated: t h"
	"t_no_args		no arguments: usage error"
	"t_unknown_object	unknown object: usage error"
	"t_unknown_command	unknown command: usage error"
	"t_unknown_option	unknown option: usage error"
	"t_attach_no_dev		attach without DEV: usage error"
	"t_detach_no_dev		detach without DEV: usage error"
	"t_attach_bad_mode	attach with an unknown mode: usage error"
	"t_attach_mode_no_value	mode without a value: usage error"
	"t_attach_mode_twice	mode given twice: usage error"
	"t_attach_bad_keyword	unknown keyword: usage error"
	"t_name_too_long		16-character DEV: usage error"
	"t_show_name_too_long	16-character DEV for show: usage error"
	"t_show_extra_arg	show with two devices: usage error"
	"t_detach_extra_arg	detach with an extra argument: usage error"
	"t_family_not_found	no vmq family: message and status 1"
	"t_family_not_found_json	no vmq family with -j: no JSON, status 1"
	"t_prefixes_parsed	abbreviated options, command, keyword, value"
	"t_aliases_parsed	show aliases: ls, l, and no command"
	"t_batch_stops		batch stops at a bad line and names it"
	"t_batch_force		batch -force goes on past bad lines"
	"t_batch_ok		batch of good lines, comments, quotes"
	"t_batch_stdin		batch from stdin"
	"t_batch_quote		batch line with an unterminated quote"
	"t_batch_op_error	batch stops at a failed operation, status 1"
	"t_batch_missing_file	batch file missing: status 1"
	"t_batch_extra_arg	arguments after -b FILE: usage error"
	"t_batch_no_file		-b without FILE: usage error"
)

echo "TAP version 13"
echo "1..${#tests[@]}"

if [ ! -x "$VMQCTL" ]; then
	echo "Bail out! $VMQCTL not found; run make first"
	exit 1
fi

n=0
failed=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	fn=${t%%[[:space:]]*}
	name=$(sed 's/^[^[:space:]]*[[:space:]]*//' <<<"$t")
	"$fn"
	case $? in
	0)	echo "ok $n - $name" ;;
	"$SKIP") echo "ok $n - $name # SKIP vmq family is registered" ;;
	*)	echo "not ok $n - $name"; failed=$((failed + 1)) ;;
	esac
done

[ "$failed" -eq 0 ] || echo "# $failed of $n failed"
exit $((failed > 0))
