# SPDX-License-Identifier: GPL-2.0
#
# Helpers for vmq's selftests in the rig's guest (selftests/vm/run):
# VMQ_KO is the module built for the running kernel, igb0/igb1 are the two
# QEMU igb NICs meant for bonding, gen0 the NIC for a traffic generator.

: "${VMQ_TOP:?run inside the test VM (selftests/vm/run)}"
: "${VMQ_KO:?run inside the test VM (selftests/vm/run)}"

. "$VMQ_TOP/selftests/lib/ktap.sh"

# jq is gojq here: the same language, but it starts in a tenth of jq
# 1.6's time, and jq 1.6 takes half a second a call under TCG, where
# the tests make thousands.  gojq prints an object's keys sorted; no
# test reads their order.
jq() {
	gojq "$@"
}

# kernel_6_1: the guest runs Debian 12's 6.1, not 6.12.
kernel_6_1() {
	[[ $(uname -r) == 6.1.* ]]
}

vmq_loaded() {
	[ -d /sys/module/vmq ]
}

vmq_load() {
	vmq_loaded || insmod "$VMQ_KO"
}

vmq_unload() {
	! vmq_loaded || rmmod vmq
}

# vmq_attached BOND: vmq loaded and attached to BOND until the test ends.
vmq_attached() {
	vmq_load
	defer vmq_unload
	vmqctl team attach "$1"
	defer vmqctl team detach "$1"
}

# installed_copy VAR SRC TEMPLATE: VAR names a temporary copy (mktemp
# TEMPLATE) of SRC, a file make install puts under lib/vmq, made as make
# install makes it but running this vmqctl.  Removed when the test ends.
installed_copy() {
	local copy

	copy=$(mktemp "$3")
	defer rm -f "$copy"
	sed "s|/usr/local/sbin/vmqctl|$(command -v vmqctl)|" "$VMQ_TOP/$2" > "$copy"
	chmod +x "$copy"
	printf -v "$1" '%s' "$copy"
}

# Every IRQ's affinity, put back when the test ends: irqbalance moves
# every IRQ it may, and later scripts expect them as booted.
save_affinities() {
	local f

	for f in /proc/irq/[0-9]*/smp_affinity_list; do
		defer irq_affinity_restore "$f" "$(< "$f")"
	done
}

irq_affinity_restore() {
	echo "$2" > "$1" 2>/dev/null || true
}

# vmq_daemon_start [ARGS...]: `vmqctl daemon [ARGS...]` as its service
# runs it, until the test ends; it hands down the IRQs the module asks
# for.  Its log is VMQ_DAEMON_LOG, its PID VMQ_DAEMON_PID.
vmq_daemon_start() {
	VMQ_DAEMON_LOG=$(mktemp /tmp/vmq-daemon.XXXXXX)
	vmqctl daemon "$@" 2>"$VMQ_DAEMON_LOG" &
	VMQ_DAEMON_PID=$!
	defer vmq_daemon_stop $VMQ_DAEMON_PID "$VMQ_DAEMON_LOG"
	wait_until 10 file_has "$VMQ_DAEMON_LOG" listening
}

# file_has FILE TEXT: a line of FILE holds TEXT.  Builtins only, for the
# polls of every test's setup: under TCG a grep costs a tenth of a second.
file_has() {
	local line

	while IFS= read -r line || [ -n "$line" ]; do
		[[ $line != *"$2"* ]] || return 0
	done < "$1"
	return 1
}

vmq_daemon_stop() {
	kill "$1" && wait "$1"
	rm -f "$2"
}

# make_bond NAME [bond options...]: a bond of igb0 and igb1, up.
# Deleted when the test ends.
make_bond() {
	local name=$1

	shift
	ip link add "$name" type bond "$@"
	defer ip link del "$name"
	enslave "$name" igb0 igb1
	ip link set "$name" up
}

# enslave BOND NIC...: the NICs, down, made BOND's members, in order; in
# one ip process, which under TCG costs as much as each command does.
enslave() {
	enslave_cmds "$@" | ip -b -
}

# enslave_cmds BOND NIC...: enslave's commands, for an `ip -b -` batch.
enslave_cmds() {
	local bond=$1 nic

	shift
	for nic in "$@"; do
		echo "link set $nic down"
		echo "link set $nic master $bond"
	done
}

# team_json [DEV]: `vmqctl -j team show`, one object or the array.
team_json() {
	if [ $# -gt 0 ]; then
		vmqctl -j team show "$1" | jq -e '.[0]'
	else
		vmqctl -j team show
	fi
}

# vm_fields MAC FIELD...: bond0's VM MAC's FIELDs (counters included),
# tab separated, in one query.
vm_fields() {
	local mac=$1

	shift
	vmqctl -j vm show bond0 -s |
		jq -r --arg m "$mac" '.[] | select(.mac == $m) |
			[.[$ARGS.positional[]] | tostring] | @tsv' --args "$@"
}

# vm MAC FIELD: one of them.
vm() {
	vm_fields "$1" "$2"
}

TRACE=/sys/kernel/tracing

trace_restore() {
	echo 0 > "$TRACE/tracing_on"
	echo nop > "$TRACE/current_tracer"
	echo > "$TRACE/set_ftrace_filter"
	echo > "$TRACE/trace"
	echo "$1" > "$TRACE/tracing_on"
}

# trace_setup FUNC...: the function tracer on FUNCs alone, stopped and
# empty; tracefs mounted if it is not.  Put back when the test ends.
# Skips, saying why, where a FUNC cannot be traced or another tracer is
# in use.
trace_setup() {
	local f

	if [ ! -e "$TRACE/trace" ]; then
		mount -t tracefs tracefs "$TRACE" || skip "no tracefs"
		defer umount "$TRACE"
	fi
	for f in "$@"; do
		grep -qw "$f" "$TRACE/available_filter_functions" ||
			skip "$f() cannot be traced"
	done
	[ "$(cat "$TRACE/current_tracer")" = nop ] ||
		skip "the tracer is in use: $(cat "$TRACE/current_tracer")"
	defer trace_restore "$(cat "$TRACE/tracing_on")"
	echo 0 > "$TRACE/tracing_on"
	echo "$*" > "$TRACE/set_ftrace_filter"
	echo function > "$TRACE/current_tracer"
	echo > "$TRACE/trace"
}

# traced FUNC: how many calls of FUNC the trace holds.
traced() {
	grep -c " $1\b.*<-" "$TRACE/trace" || true
}

# reconcile_ran_at_least N: vmq's repair pass ran N times, as traced.
reconcile_ran_at_least() {
	[ "$(traced vmq_reconcile_work)" -ge "$1" ]
}

# queue DEV QUEUE FIELD: bond0's queue QUEUE on DEV, its FIELD.
queue() {
	vmqctl -j queue show bond0 |
		jq -r ".[] | select(.adapter == \"$1\" and .queue == $2) | .$3"
}

vm_is_sw() {
	[ "$(vm "$1" state)" = sw ]
}

# as_nobody CMD...: CMD as user nobody, with no capabilities at all.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all -- "$@"
}

_monitor_told_attach() {
	local out=$1 bond=$2

	shift 2
	"$@" vmqctl team detach "$bond" 2>/dev/null
	"$@" vmqctl team attach "$bond"
	grep -q "\"event\":\"team-attached\",\"team\":\"$bond\"" "$out"
}

# monitor_hears_attach OUT BOND [PREFIX...]: the `vmqctl -j monitor`
# writing to OUT is listening: BOND is attached (by PREFIX vmqctl, as
# `ip netns exec NS`) again and again until OUT tells of it.  Leaves BOND
# attached.
monitor_hears_attach() {
	wait_until 20 _monitor_told_attach "$@"
}

team_count() {
	team_json | jq length
}

# rx_handler_free DEV: true if DEV's rx_handler slot is free, proved by
# enslaving it to a scratch bridge (which needs the slot) and releasing it.
rx_handler_free() {
	local dev=$1 br=vmqtbr$$ ok=1

	ip link add "$br" type bridge || return 1
	ip link set "$dev" master "$br" 2>/dev/null && ok=0
	ip link set "$dev" nomaster 2>/dev/null || true
	ip link del "$br"
	return $ok
}

# no_ipv6 DEV: DEV without IPv6 (no router solicitations, no MLD, no
# DAD), so that it receives and sends only what a test does.  A write,
# not sysctl(8): the tests do this hundreds of times, and under TCG each
# process costs a good fraction of a second.
no_ipv6() {
	echo 1 > "/proc/sys/net/ipv6/conf/$1/disable_ipv6"
}

# netns_no_ipv6 NS: the devices in namespace NS without IPv6, those there
# and those to come.  Nothing to do on a kernel booted with
# ipv6.disable_ipv6=1, as the rig boots its guests: every namespace's
# devices are born without it there.
netns_no_ipv6() {
	local off

	read -r off < /sys/module/ipv6/parameters/disable_ipv6
	[ "$off" = 1 ] ||
		ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
}

# gen_ns NS: move gen0 (the traffic generator's NIC) into namespace NS,
# quiet (no IPv6 chatter) and up.  Returned to the host when NS goes.
gen_ns() {
	local ns=$1

	ip netns add "$ns"
	defer ip netns del "$ns"
	ip link set gen0 netns "$ns"
	netns_no_ipv6 "$ns"
	ip -n "$ns" link set gen0 up
}

# quiet_bond NAME: no IPv6 on the bond, so the only frames it receives in
# a test are the ones the test sends.
quiet_bond() {
	no_ipv6 "$1"
}

# igb_ab_bond: bond0, active-backup, of igb0 and igb1, up, with no IPv6
# of its own; deleted when the test ends.
igb_ab_bond() {
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	quiet_bond bond0
	enslave bond0 igb0 igb1
	ip link set bond0 up
}

# pin_igb_irqs CPU: every queue IRQ of igb0 and igb1 on CPU, as an
# administrator may pin them; restored when the test ends.  Done before
# attach, so that vmq's own pins, given back at detach, are undone first.
pin_igb_irqs() {
	local irq

	for irq in $(awk '$NF ~ /^igb[01]-TxRx-/ {sub(":", "", $1); print $1}' \
		     /proc/interrupts); do
		defer irq_affinity_set "$irq" \
			"$(cat "/proc/irq/$irq/smp_affinity_list")"
		irq_affinity_set "$irq" "$1"
	done
}

irq_affinity_set() {
	echo "$2" > "/proc/irq/$1/smp_affinity_list"
}

send_frames() {
	local ns=$1

	shift
	ip netns exec "$ns" python3 "$VMQ_TOP/selftests/lib/sendframes.py" "$@"
}

# sender_start NS DEV: one sendframes.py --serve in namespace NS, for the
# test's send_batch calls (a Python start each is slow under TCG).
# Ended when the test ends.
sender_start() {
	coproc VMQ_SENDER { ip netns exec "$1" python3 \
		"$VMQ_TOP/selftests/lib/sendframes.py" "$2" --serve 2>&1; }
	defer sender_stop "$VMQ_SENDER_PID"
}

sender_stop() {
	kill "$1" && wait "$1"
}

# send_batch DST_MAC COUNT [sendframes.py options]: through sender_start's
# sender, back once they are out.
send_batch() {
	local reply

	echo "$*" >&"${VMQ_SENDER[1]}"
	read -r -t "$(ktap_secs 120)" -u "${VMQ_SENDER[0]}" reply ||
		fail "the sender did not answer: '$*'"
	[ "$reply" = sent ] || fail "the sender: $reply"
}

# vm_not_on_cpu MAC CPU: bond0's VM MAC has a CPU, and not CPU.
vm_not_on_cpu() {
	local now

	now=$(vm "$1" cpu)
	[ "$now" != null ] && [ "$now" != "$2" ]
}

ntuple_of() {
	local key on rest

	while read -r key on rest; do
		[ "$key" != ntuple-filters: ] || echo "$on"
	done < <(ethtool -k "$1")
}

team_count_is() {
	[ "$(team_count)" = "$1" ]
}

carrier_up() {
	{ [ "$(< "/sys/class/net/$1/carrier")" = 1 ]; } 2>/dev/null
}
