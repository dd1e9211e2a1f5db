# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The kernel's pktgen (Documentation/networking/pktgen.rst), for the
# bench and for the tests that need traffic flowing while something else
# happens.  /proc/net/pktgen is per network namespace: pg_stream_* run
# these functions in a generator's namespace, in a bash of their own.

PG=/proc/net/pktgen

# pg_fail MSG: fail the test, or, in pg_stream's own bash, exit.
pg_fail() {
	if declare -F fail >/dev/null; then
		fail "$*"
	fi
	echo "pktgen: $*" >&2
	exit 1
}

pktgen_load() {
	modprobe pktgen
	defer rmmod pktgen
}

# pg FILE CMD: a pktgen command, refused if pktgen says it failed.
pg() {
	echo "$2" > "$PG/$1"
	grep -q '^Result: OK' "$PG/$1" ||
		pg_fail "pktgen $1 '$2': $(grep '^Result' "$PG/$1")"
}

# pg_device CPU NAME DST_MAC MACS [CMD...]: pktgen device NAME (a
# device, or DEV@N) on CPU's thread, PG_FRAMES frames (0: until stopped)
# into its device's receive path, to MACS destination MACs from DST_MAC
# up, then each CMD (which may change the mode: "xmit_mode start_xmit").
pg_device() {
	local cpu=$1 name=$2 mac=$3 macs=$4 cmd

	shift 4
	pg "kpktgend_$cpu" "add_device $name"
	pg "$name" "xmit_mode netif_receive"
	pg "$name" "count ${PG_FRAMES:?}"
	pg "$name" "pkt_size 60"
	pg "$name" "dst_mac $mac"
	pg "$name" "dst_mac_count $macs"
	for cmd in "$@"; do
		pg "$name" "$cmd"
	done
}

pg_reset() {
	echo reset > $PG/pgctrl
}

# pg_run: every device configured, until each has sent its frames.
pg_run() {
	echo start > $PG/pgctrl
}

# pg_pps NAME: the rate NAME's last run went at, frames a second.
pg_pps() {
	sed -n 's/^ *\([0-9]*\)pps .*/\1/p' "$PG/$1"
}

# pg_usec NAME: how long its last run took.
pg_usec() {
	sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p' "$PG/$1"
}

# pg_sent NAME: how many frames NAME's last run sent, or has sent so far.
pg_sent() {
	sed -n 's/^ *pkts-sofar: \([0-9]*\) .*/\1/p' "$PG/$1"
}

# pg_stream_start NS RATE DEV:MAC:MACS...: in namespace NS, each DEV sends
# a steady RATE frames a second (its own pktgen thread, one CPU after the
# other from CPU 1) to MACS destination MACs from MAC up, through its
# transmit path, until pg_stream_stop.  pktgen stops a device for good
# when its carrier drops (pktgen_xmit()), as a fault under test does, so
# a keeper in NS starts the streams again whenever one has stopped,
# adding up what each sent (a start clears the counts).  pktgen and the
# keeper are the test's until it ends.
pg_stream_start() {
	local ns=$1 rate=$2

	shift 2
	modprobe pktgen
	defer rmmod pktgen
	PG_STREAM_DIR=$(mktemp -d)
	defer rm -rf "$PG_STREAM_DIR"
	PG_STREAM_DIR=$PG_STREAM_DIR ip netns exec "$ns" bash -c '
		set -e
		. "$1"
		rate=$2
		shift 2
		pg_reset
		cpu=1
		for s in "$@"; do
			IFS=: read -r dev m1 m2 m3 m4 m5 m6 macs <<< "$s"
			PG_FRAMES=0 pg_device $cpu "$dev" "$m1:$m2:$m3:$m4:$m5:$m6" \
				"$macs" "xmit_mode start_xmit" "ratep $rate"
			echo 0 > "$PG_STREAM_DIR/$dev.sent"
			cpu=$((cpu + 1))
		done
	' _ "$VMQ_TOP/selftests/lib/pktgen.sh" "$rate" "$@"
	PG_STREAM_DIR=$PG_STREAM_DIR ip netns exec "$ns" bash -c \
		'. "$1"; pg_keeper' _ "$VMQ_TOP/selftests/lib/pktgen.sh" \
		</dev/null &
	PG_KEEPER=$!
	defer pg_stream_stop "$ns"
	wait_until 10 pg_stream_running "$ns"
}

# pg_keeper: in the stream's namespace, until PG_STREAM_DIR/stop exists.
# When every stream has stopped, "start" returns: count, start again.
# When only some have, the others are stopped first -- but never within
# 2 s (scaled) of a start: a "stop" that reaches a thread before the
# start's T_RUN is undone by it (pktgen_thread_worker() handles T_STOP,
# then T_RUN), and the start would never return.
pg_keeper() {
	local start since min=$((2 * ${VMQ_TIME_SCALE:-1}))

	echo start > $PG/pgctrl &
	start=$! since=$SECONDS
	until [ -e "$PG_STREAM_DIR/stop" ]; do
		sleep 0.5
		if kill -0 $start 2>/dev/null; then
			[ $((SECONDS - since)) -ge $min ] || continue
			grep -q '^Stopped: .' $PG/kpktgend_* || continue
			echo stop > $PG/pgctrl
		fi
		wait $start
		pg_keeper_count
		echo start > $PG/pgctrl &
		start=$! since=$SECONDS
	done
	while [ $((SECONDS - since)) -lt $min ] && kill -0 $start 2>/dev/null; do
		sleep 0.1
	done
	echo stop > $PG/pgctrl
	wait $start
	pg_keeper_count
	: > "$PG_STREAM_DIR/done"
}

# pg_keeper_count: each device's count, stopped, added to its total.
pg_keeper_count() {
	local f dev n

	for f in "$PG_STREAM_DIR"/*.sent; do
		dev=$(basename "$f" .sent)
		n=$(pg_sent "$dev" 2>/dev/null || true)
		echo $(($(< "$f") + ${n:-0})) > "$f"
	done
}

pg_stream_running() {
	ip netns exec "$1" sh -c "grep -q '^Running: .' $PG/kpktgend_*"
}

# pg_stream_stop NS: the streams and their keeper stopped, the totals in.
pg_stream_stop() {
	[ -n "${PG_KEEPER:-}" ] || return 0
	: > "$PG_STREAM_DIR/stop"
	wait "$PG_KEEPER" || true
	PG_KEEPER=
	[ -e "$PG_STREAM_DIR/done" ] || pg_fail "the pktgen keeper did not finish"
}

# pg_stream_sent DEV: what DEV's stream sent in all, once stopped.
pg_stream_sent() {
	cat "$PG_STREAM_DIR/$1.sent"
}
