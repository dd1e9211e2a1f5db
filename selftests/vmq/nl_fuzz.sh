#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the tests are called by name, by ktap_run
#
# Bad input through netlink itself, past vmqctl's own checks: nlfuzz
# (selftests/nlfuzz) sends the vmq family crafted bad requests, then a
# seeded random mix of valid and damaged ones.  Each bad request must be
# refused with its errno and an extack message naming the attribute at
# fault, and leave vmq's state exactly as it was.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/nicsim_team.sh"

NLFUZZ=$VMQ_TOP/selftests/nlfuzz/nlfuzz
# The VM nlfuzz expects there (its mac_vm).
FUZZ_VM=02:00:0f:00:00:02
# Another namespace, with a device of an ifindex nothing here has.
OTHER_NS=vmqt_fuzz
OTHER_IFINDEX=4000
SEED=${VMQ_FUZZ_SEED:-20261204}
RANDOM_COUNT=${VMQ_FUZZ_COUNT:-20000}
RANDOM_SECONDS=${VMQ_FUZZ_SECONDS:-60}

ifindex() {
	cat "/sys/class/net/$1/ifindex"
}

# state: what vmq reports of everything, less what counts frames.
state() {
	{
		vmqctl -j team show
		vmqctl -j adapter show
		vmqctl -j vm show
		vmqctl -j queue show
	} | jq -s 'walk(if type == "object" then
		with_entries(select(.key | test("^rx_|repairs") | not))
		else . end)'
}

# Offline for the whole script, before vmq comes, so that no test sees
# it go: the adapters are placed without it from the start.
OFFLINE_CPU=7

fixture() {
	echo 0 > /sys/devices/system/cpu/cpu$OFFLINE_CPU/online
	defer eval "echo 1 > /sys/devices/system/cpu/cpu$OFFLINE_CPU/online"
	RECONCILE_MS=0 setup
	min_bond
	vmqctl vm add bond0 $FUZZ_VM
	ip link add vmqt_d0 type dummy
	defer ip link del vmqt_d0
	ip netns add $OTHER_NS
	defer ip netns del $OTHER_NS
	ip -n $OTHER_NS link add vmqt_d1 index $OTHER_IFINDEX type dummy
	! grep -qx $OTHER_IFINDEX /sys/class/net/*/ifindex ||
		fail "ifindex $OTHER_IFINDEX is this namespace's too"
}

# other_msi: an MSI vector of a PCI device (the guest's igb or virtio).
other_msi() {
	awk '/MSI/ && !/nicsim/ { sub(":", "", $1); print $1; exit }' /proc/interrupts
}

test_bad_requests_refused_state_kept() {
	local before out msi rc=0

	msi=$(other_msi)
	[ -n "$msi" ] || fail "no PCI device's MSI vector in /proc/interrupts"
	before=$(state)
	out=$("$NLFUZZ" cases "$(ifindex bond0)" "$(ifindex a0)" \
		"$(ifindex vmqt_d0)" $OTHER_IFINDEX "$msi" $OFFLINE_CPU) || rc=$?
	sed 's/^/# /' <<<"$out"
	[ $rc -eq 0 ] || fail "nlfuzz: $(grep -c '^not ok' <<<"$out") bad requests not refused as they should be"
	[ "$(grep -c '^ok' <<<"$out")" -ge 100 ] ||
		fail "fewer than 100 distinct bad requests"
	check_eq "$(state)" "$before" "vmq's state after the bad requests"
}

test_random_requests_answered() {
	local out

	# It fails unless every request was answered, some refused, some not.
	out=$("$NLFUZZ" random "$SEED" "$RANDOM_COUNT" "$RANDOM_SECONDS" \
		"$(ifindex bond0)" "$(ifindex a0)") || fail "nlfuzz random: $out"
	diag "$out"
	# The team is still whole: its bond, its members, its VMs.
	check_eq "$(team_json bond0 | jq -r .ifname)" bond0 "the team"
	vmqctl -j vm show bond0 >/dev/null
	# What the valid ones added goes with the team.
}

# A dump read across a change says so (NLM_F_DUMP_INTR), and vmqctl,
# which asks again, still shows every VM once.
test_dump_interrupted_said() {
	local i n

	for ((i = 0; i < 300; i++)); do
		printf 'vm add bond0 02:00:0c:00:%02x:%02x\n' $((i >> 8)) $((i & 255))
	done | vmqctl -b -
	defer eval "vmqctl -j vm show bond0 | jq -r '.[].mac' | grep '^02:00:0[cd]:' |
		sed 's/^/vm del bond0 /' | vmqctl -b -"
	"$NLFUZZ" dump-intr "$(ifindex bond0)" | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "the interrupted dump was not marked, or the quiet one was"
	# 300, less the one nlfuzz deleted, plus its own and the fixture's.
	check_eq "$(vmqctl -j vm show bond0 | jq -r '[length, ([.[].mac] | unique | length)] | map(tostring) | join(" ")')" \
		"301 301" "VMs, and distinct VMs, in one dump"
}

# vmq_churn STOP: a VM added and deleted, again and again, through one
# vmqctl -b, until file STOP exists.
vmq_churn() {
	while [ ! -e "$1" ]; do
		echo "vm add bond0 02:00:0b:00:00:01"
		echo "vm del bond0 02:00:0b:00:00:01"
		sleep 0.01
	done | vmqctl -b -
}

# vmqctl shows each VM once while others come and go: a dump the kernel
# marks interrupted is asked for again, not shown half old, half new.
test_dump_shown_whole_under_churn() {
	local i out err stop clean=0

	for ((i = 0; i < 200; i++)); do
		printf 'vm add bond0 02:00:0a:00:%02x:%02x\n' $((i >> 8)) $((i & 255))
	done | vmqctl -b -
	defer eval "vmqctl -j vm show bond0 | jq -r '.[].mac' | grep '^02:00:0a:' |
		sed 's/^/vm del bond0 /' | vmqctl -b -"
	stop=$(mktemp -u)
	vmq_churn "$stop" &
	defer eval "touch $stop; wait $!; rm -f $stop"
	err=$(mktemp)
	defer rm -f "$err"
	for ((i = 0; i < 20; i++)); do
		out=$(vmqctl -j vm show bond0 2>"$err") ||
			fail "vm show while VMs come and go: $(cat "$err")"
		grep -q interrupted "$err" && continue
		clean=$((clean + 1))
		check_eq "$(jq '[.[].mac] | (length - (unique | length))' <<<"$out")" 0 \
			"VMs shown twice in a dump vmqctl called whole"
	done
	diag "$clean of 20 dumps came out whole under churn"
	[ $clean -gt 0 ] || fail "no dump came out whole"
}

# Privilege is checked by the genetlink core, before the request is
# parsed: a malformed request is EPERM, not EINVAL, for nobody.
test_unprivileged_refused_before_parsing() {
	as_nobody "$NLFUZZ" unprivileged "$(ifindex bond0)" ||
		fail "nobody's malformed vm-add was not EPERM"
}

ktap_run -f fixture \
	test_bad_requests_refused_state_kept \
	test_unprivileged_refused_before_parsing \
	test_dump_interrupted_said \
	test_dump_shown_whole_under_churn \
	test_random_requests_answered
