# SPDX-License-Identifier: GPL-2.0
#
# Stages of `make check` and `make check-debug`: each runs a command,
# keeps its log in $logdir and adds its results to the totals.  The
# caller sets $top and $logdir.
: "${top:?}" "${logdir:?}"

total_pass=0 total_fail=0 total_skip=0

# count LOG RC: add a stage's results to the totals.  A stage's own
# summary line wins; otherwise its TAP lines are counted; a stage that
# failed without reporting a failure counts as one.
count() {
	local log=$1 rc=$2 p f s line

	line=$(grep -E '[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<< "$line")
		f=$(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<< "$line")
		s=$(sed -nE 's/.*\b([0-9]+) skipped.*/\1/p' <<< "$line")
	else
		s=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
		p=$(( $(grep -cE '^ok [0-9]+' "$log") - s ))
		f=$(grep -cE '^not ok [0-9]+' "$log")
	fi
	s=${s:-0}
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
}

# stage NAME CMD...: run CMD, show and keep its output, count it.
stage() {
	local name=$1 log=$logdir/$1.log rc

	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count "$log" "$rc"
	echo "=== $name: exit $rc"
}

# stage_bg NAME CMD...: stage NAME, run beside what comes next (a
# single-threaded stage leaves the other core idle); its output and
# count come with stage_wait NAME, in the order the stages were named.
declare -A _stage_pid _stage_cmd
stage_bg() {
	local name=$1

	shift
	"$@" > "$logdir/$name.log" 2>&1 &
	_stage_pid[$name]=$!
	_stage_cmd[$name]="$*"
}

stage_wait() {
	local name=$1 rc=0

	wait "${_stage_pid[$name]}" || rc=$?
	echo "=== $name: ${_stage_cmd[$name]}"
	cat "$logdir/$name.log"
	count "$logdir/$name.log" "$rc"
	echo "=== $name: exit $rc"
}

# build_clean KVER: the module builds for KVER with no compiler or sparse
# warning; a one-test TAP stage.
build_clean() {
	local k=$1 out

	echo "TAP version 13"
	echo "1..1"
	if out=$(make -C "$top" --no-print-directory KVER="$k" C=1 2>&1) &&
	   ! grep -E 'warning:|error:' <<< "$out"; then
		echo "ok 1 build-$k warning-free and sparse-clean"
	else
		sed 's/^/# /' <<< "$out"
		echo "not ok 1 build-$k warning-free and sparse-clean"
		return 1
	fi
}

# robustness_line KVER LOG: what the robustness tests of one VM run
# tried and what its kernel log held, from their own lines.
robustness_line() {
	local k=$1 log=$2

	echo "# $k: bad netlink requests tried: $(sed -n 's/.*bad inputs: \([0-9]*\).*/\1/p' "$log" | tail -1)," \
	     "random requests: $(sed -n 's/.*random: seed [0-9]*, \([0-9]*\) requests.*/\1/p' "$log" | tail -1)," \
	     "faults under traffic: $(grep -c '# fault: ' "$log")," \
	     "concurrency: $(sed -n 's/.*# \([0-9]* s: [0-9]* commands from 8 clients\).*/\1/p' "$log" | tail -1)," \
	     "$(sed -n 's/.*rig: kernel log: //p' "$log" | tail -1)"
}
