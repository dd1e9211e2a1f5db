# SPDX-License-Identifier: GPL-2.0
#
# kselftest TAP for shell tests.  A test file defines one function per
# concern and ends with
#
#	ktap_run test_one test_two ...
#
# Each test runs in its own subshell under `set -e`, so the first failing
# command fails it; `defer CMD...` registers cleanup that runs in reverse
# order when the test ends, pass or fail.  A test that cannot run calls
# `skip "why"`.  Nothing here sleeps for a fixed time: wait_until polls.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_ktap_dir=$(mktemp -d /tmp/ktap.XXXXXX)

# Cleanup for the running test, run LIFO from its EXIT trap.
_ktap_deferred=()

defer() {
	local cmd

	printf -v cmd '%q ' "$@"
	_ktap_deferred+=("$cmd")
}

_ktap_run_deferred() {
	local i

	for ((i = ${#_ktap_deferred[@]} - 1; i >= 0; i--))
		do eval "${_ktap_deferred[i]}" >/dev/null 2>&1 || true
	done
	_ktap_deferred=()
}

# diag MSG...: a TAP comment, every line of it.
diag() {
	local line

	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<< "$*"
}

fail() {
	diag "FAIL: $*"
	exit $KSFT_FAIL
}

skip() {
	printf '%s' "$*" > "$_ktap_dir/skip"
	exit $KSFT_SKIP
}

# check_eq ACTUAL EXPECTED WHAT
check_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# check_contains HAYSTACK NEEDLE WHAT
check_contains() {
	case "$1" in
	*"$2"*) ;;
	*) fail "$3: '$1' does not contain '$2'" ;;
	esac
}

# expect_error NEEDLE CMD...: CMD must fail, saying NEEDLE on stderr.
expect_error() {
	local needle=$1 err rc=0

	shift
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	[ $rc -ne 0 ] || fail "'$*' succeeded, expected an error with '$needle'"
	check_contains "$err" "$needle" "error of '$*'"
	diag "refused as expected: $err"
}

# ktap_secs N: N seconds of a Debian kernel's time, in this kernel's.
# The rig's debug kernel (KASAN, lockdep, kmemleak) runs everything
# several times slower, and says how much in VMQ_TIME_SCALE.
ktap_secs() {
	echo $(($1 * ${VMQ_TIME_SCALE:-1}))
}

# wait_until SECONDS CMD...: poll CMD until it succeeds.  CMD is run
# again each time, so it must be a command or function that looks again:
# `wait_until 5 test "$(x)" = y` would test the same value every time.
# SECONDS is scaled by ktap_secs.
wait_until() {
	local secs=$1

	shift
	poll_until "$secs" "$@" || fail "timed out waiting for: $*"
}

# poll_until SECONDS CMD...: as wait_until, but a timeout returns 1, for
# a caller that counts what did not come rather than failing.
poll_until() {
	local deadline=$((SECONDS + $(ktap_secs "$1")))

	shift
	until "$@"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}

_ktap_err() {
	[ "$BASHPID" = "$_ktap_pid" ] || return 0
	diag "FAIL: line $2: \"$3\" exited $1"
}

_ktap_one() {
	local n=$1 name=$2 rc t0=$SECONDS

	rm -f "$_ktap_dir/skip"
	# Where the test's kernel log begins (test_dmesg), unique in a boot;
	# only in the rig's guest: a host's kernel log is not the tests'.
	KTAP_MARK="ktap: test $name $$.$n"
	[ -z "${VMQ_RIG:-}" ] || echo "$KTAP_MARK" > /dev/kmsg 2>/dev/null || true
	(
		set -eE
		trap _ktap_run_deferred EXIT
		# set -e ends the test at a failing command: say which.  Only
		# in the test's own shell: a sender in the background, or a
		# command substitution, may fail without ending the test.
		_ktap_pid=$BASHPID
		trap '_ktap_err $? $LINENO "$BASH_COMMAND"' ERR
		"$name"
	)
	rc=$?
	# Where a script's time goes, for keeping make check in its budget.
	diag "$name took $((SECONDS - t0)) s"
	case $rc in
	"$KSFT_PASS")
		echo "ok $n $name"
		return 0 ;;
	"$KSFT_SKIP")
		# Only skip() skips: a command that failed with status 4
		# (jq's, say) ending the test under set -e is a failure.
		if [ -e "$_ktap_dir/skip" ]; then
			echo "ok $n $name # SKIP $(cat "$_ktap_dir/skip")"
			return 0
		fi
		echo "not ok $n $name"
		return 1 ;;
	*)
		echo "not ok $n $name"
		return 1 ;;
	esac
}

# test_dmesg: the kernel log since the running test began.
test_dmesg() {
	dmesg | awk -v m="${KTAP_MARK:?not in a test}" 'f || index($0, m) { f = 1; print }'
}

# A fixture: what every test of a script needs and is slow to build (a
# bond, a bridge, namespaces), built once, in the script's own shell, as
# the kernel's net/forwarding tests do.  What it defers runs after the
# last test.  Each test must leave it as it found it.
_ktap_fixture_deferred=()

# _ktap_fixture_failed TEST...: the fixture could not be built: no test
# ran, each is reported failed (or skipped, if the fixture called skip),
# and what was built is undone.
_ktap_fixture_failed() {
	local n=0 t rc

	trap - EXIT ERR
	set +eE
	if [ -e "$_ktap_dir/skip" ]; then
		for t in "$@"; do
			n=$((n + 1))
			echo "ok $n $t # SKIP $(cat "$_ktap_dir/skip")"
		done
		rc=$KSFT_PASS
	else
		diag "the fixture failed: no test ran"
		for t in "$@"; do
			n=$((n + 1))
			echo "not ok $n $t # the fixture failed"
		done
		rc=$KSFT_FAIL
	fi
	_ktap_run_deferred
	rm -rf "$_ktap_dir"
	exit $rc
}

# _ktap_fixture_up FIXTURE TEST...: FIXTURE under set -e, as a test runs;
# the first failing command ends the script through the EXIT trap.
_ktap_fixture_up() {
	local fixture=$1

	shift
	# shellcheck disable=SC2064
	trap "_ktap_fixture_failed $*" EXIT
	_ktap_pid=$BASHPID
	trap '_ktap_err $? $LINENO "$BASH_COMMAND"' ERR
	set -eE
	"$fixture"
	set +eE
	trap - EXIT ERR
	_ktap_fixture_deferred=("${_ktap_deferred[@]}")
	_ktap_deferred=()
}

_ktap_fixture_down() {
	_ktap_deferred=("${_ktap_fixture_deferred[@]}")
	_ktap_run_deferred
}

# ktap_run [-f FIXTURE] TEST...: run the tests, print TAP, exit 0 iff
# none failed.  FIXTURE, if given, is built before the first test and
# undone after the last.
#
# _ktap_one must not be called in an && or || list: bash ignores set -e
# in every command of such a list, the test's own "set -eE" subshell
# included, and a failing command would not fail the test.
ktap_run() {
	local n=0 failed=0 t rc fixture=

	if [ "$1" = -f ]; then
		fixture=$2
		shift 2
	fi
	echo "TAP version 13"
	echo "1..$#"
	if [ -n "$fixture" ]; then
		local t0=$SECONDS

		_ktap_fixture_up "$fixture" "$@"
		diag "fixture $fixture took $((SECONDS - t0)) s"
	fi
	for t in "$@"; do
		n=$((n + 1))
		_ktap_one $n "$t"
		rc=$?
		[ $rc -eq 0 ] || failed=$((failed + 1))
	done
	_ktap_fixture_down
	rm -rf "$_ktap_dir"
	[ $failed -eq 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}
