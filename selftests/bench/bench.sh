#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmq against the kernel's own mechanisms, in the guest: each figure a
# ratio of two things measured side by side, in this run, alternating,
# BENCH_REPS times (median, min, max).  Absolute times under TCG mean
# nothing; ratios do.  Each figure is printed as one line
#
#	# BENCH {"name": ..., "ratio": ..., "min": ..., "max": ..., ...}
#
# which selftests/bench/run gathers into build/bench/bench.json.  Run by
# `make bench` (selftests/bench/run: 6.12, multi-threaded TCG, 8 vCPUs)
# and, one repetition of everything at a smaller scale with no target
# checked, by selftests/vmq/bench_smoke.sh in make check.
#
# Frames come from the kernel's pktgen in netif_receive mode: it hands
# each frame to netif_receive_skb() on a bond member, on one CPU, as a
# NIC's NAPI poll would, so what is measured is the receive path from
# the member up, and nothing of a NIC model's own.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"
. "$VMQ_TOP/selftests/lib/swvms.sh"
. "$VMQ_TOP/selftests/lib/pktgen.sh"

REPS=${BENCH_REPS:-5}
# VMs for the hook and control figures; frames per steering run; how
# long each side-by-side run of the hook figures lasts, in seconds.
HOOK_VMS=${BENCH_VMS:-4096}
FRAMES=${BENCH_FRAMES:-300000}
# What pg_device sends when a figure does not say.
PG_FRAMES=$FRAMES
RUN_S=${BENCH_SECONDS:-4}
# The Sum team of the failover figure: its VMs, about half on each member.
SUM_VMS=${BENCH_SUM_VMS:-512}
# ethtool -N rules typed one by one: ethtool(8) has no batch mode, so
# each is an exec, as an administrator's script would run it.  Fewer
# than the VMs (the ratio is per rule): 4096 execs take minutes under TCG.
ETHTOOL_RULES=${BENCH_ETHTOOL_RULES:-512}
# pktgen's thread for the hook figures (CPU 1: not CPU 0, where the
# guest's timers and the rig's shell run), and the one for steering.
PG_CPU=1
PG_CPU2=3

# figure NAME TARGET BETTER WHAT VALUE...: one figure from its
# repetitions.  TARGET empty: reported, no target (meets is then true).
figure() {
	local name=$1 target=$2 better=$3 what=$4 json

	shift 4
	json=$(printf '%s\n' "$@" | jq -s -c --arg name "$name" \
		--arg target "$target" --arg better "$better" --arg what "$what" '
		sort as $s |
		($s[(length - 1) / 2 | floor]) as $med |
		(if $target == "" then null else ($target | tonumber) end) as $t |
		{name: $name, ratio: $med, min: $s[0], max: $s[-1], target: $t,
		 better: $better,
		 meets: (if $t == null then true
			 elif $better == "higher" then $med >= $t
			 else $med <= $t end),
		 what: $what, reps: length}')
	echo "# BENCH $json"
	diag "$name: $(jq -r '"\(.ratio) (min \(.min), max \(.max))" +
		(if .target == null then "" else
		 ", target \(if .better == "higher" then ">=" else "<=" end) \(.target): \(if .meets then "met" else "MISSED" end)" end)' <<<"$json")"
	# A figure that is no number measured nothing.
	jq -e '[.ratio, .min, .max] | all(type == "number" and . >= 0)' \
		<<<"$json" >/dev/null || fail "$name: no figure: $json"
}

# ratio A B: A / B, to 4 places.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) exit 1; printf "%.4f\n", a / b }'
}

now_us() {
	echo "${EPOCHREALTIME/./}"
}

# pktgen threads on two CPUs, both stopped at the same moment, so that
# whatever slows the host slows both and neither runs a tail alone;
# "PPS_A PPS_B SENT_A SENT_B".
pps_pair() {
	local start

	pg_reset
	PG_FRAMES=0 pg_device $PG_CPU "$1" "$3" "$4"
	PG_FRAMES=0 pg_device $PG_CPU2 "$2" "$3" "$4"
	# start returns when the threads stop: a measured time, not a wait.
	echo start > $PG/pgctrl &
	start=$!
	sleep "$RUN_S"
	echo stop > $PG/pgctrl
	wait $start
	echo "$(pg_pps "$1") $(pg_pps "$2") $(pg_sent "$1") $(pg_sent "$2")"
}

# ---- the hook: vmq attached, over no vmq --------------------------------

vm_mac_n() {
	printf '02:00:00:00:%02x:%02x' $(($1 >> 8)) $(($1 & 255))
}

# A MAC base that no VM has: 02:00:01:... .
MISS_BASE=02:00:01:00:00:00

# vm_batch CMD BOND N: a vmqctl batch of N "vm CMD BOND MAC" lines.
vm_batch() {
	local i

	for ((i = 0; i < $3; i++)); do
		echo "vm $1 $2 $(vm_mac_n $i)"
	done
}

# Two identical one-member bonds of nicsim NICs: bond0 (a0) with vmq
# attached, bond1 (a1) without.  Frames for them are dropped as the
# bond's others (PACKET_OTHERHOST) once bonding and the layers above
# have seen them: the cheapest path the stack has, where a cost of
# vmq's would show most.
two_bonds() {
	local i

	nicsim_load
	defer nicsim_unload
	insmod "$VMQ_KO"
	defer vmq_unload
	for i in 0 1; do
		new_pair a$i b$i 4
		defer del_pair a$i
		# Nothing but pktgen's frames into a$i: vmq's counts are checked.
		quiet_bond b$i
		ip link set b$i up
		ip link add bond$i type bond mode active-backup
		defer ip link del bond$i
		quiet_bond bond$i
		enslave bond$i a$i
		ip link set bond$i up
	done
	wait_until 20 carrier_up bond0
	wait_until 20 carrier_up bond1
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	# The VMs' frames counted, none steered: "as hw VMs".
	vmqctl team set bond0 steering hw
	pktgen_load
}

# Frames vmq counted for bond0: "TEAM VMS", the team's and its VMs'.
counted() {
	echo "$(team_json bond0 | jq '.rx_packets // 0')" \
	     "$(vmqctl -j vm show bond0 | jq '[.[].rx_packets] | add // 0')"
}

# hook_figure NAME TARGET WHAT MAC_BASE MACS TEAM VMS [inverse]: frames/s
# into a0 (vmq) over frames/s into a1 (or a1's over a0's), fed side by
# side; each repetition twice,
# the two CPUs swapped, which cancels what differs between them.  Of the
# frames into a0, TEAM and VMS (0 or 1) say which vmq must have counted:
# a figure whose frames vmq did not see, or did not find, measured
# nothing.
hook_figure() {
	local name=$1 target=$2 what=$3 base=$4 macs=$5 team=$6 vms=$7
	local r w1 o1 w2 o2 s1 s2 sent=0 c0 c1
	local -a ratios=()

	read -r -a c0 < <(counted)
	for ((r = 0; r < REPS; r++)); do
		read -r w1 o1 s1 _ < <(pps_pair a0 a1 "$base" "$macs")
		read -r o2 w2 _ s2 < <(pps_pair a1 a0 "$base" "$macs")
		sent=$((sent + s1 + s2))
		diag "$name: $w1, $w2 frames/s into a0 (vmq); $o1, $o2 into a1"
		if [ "${8:-}" = inverse ]; then
			ratios+=("$(ratio $((o1 + o2)) $((w1 + w2)))")
		else
			ratios+=("$(ratio $((w1 + w2)) $((o1 + o2)))")
		fi
	done
	read -r -a c1 < <(counted)
	check_eq $((c1[0] - c0[0])) $((team * sent)) "$name: frames the team counted"
	check_eq $((c1[1] - c0[1])) $((vms * sent)) "$name: frames its VMs counted"
	figure "$name" "$target" higher "$what" "${ratios[@]}"
}

meminfo_kb() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# What the kernel holds for good: unreclaimable slab and per-CPU
# memory, in kB (not Slab: dentries and inodes come and go with files).
held_kb() {
	echo $(($(meminfo_kb SUnreclaim) + $(meminfo_kb Percpu)))
}

percpu_kb() {
	meminfo_kb Percpu
}

# vm_memory ADD: "BYTES PERCPU_BYTES" per VM for the VMs batch ADD adds.
# Measured once, on the first add: memory the kernel keeps after a
# deletion (slab pages, populated per-CPU chunks) would hide what a
# second add takes.
vm_memory() {
	local h0 p0

	h0=$(held_kb)
	p0=$(percpu_kb)
	vmqctl -b "$1"
	echo "$((($(held_kb) - h0) * 1024 / HOOK_VMS))" \
	     "$((($(percpu_kb) - p0) * 1024 / HOOK_VMS))"
}

# nft_empty_on DEV: an nftables ingress chain on DEV with no rule.
nft_empty_on() {
	nft "add table netdev vmqe"
	defer eval "nft delete table netdev vmqe 2>/dev/null; true"
	nft "add chain netdev vmqe in { type filter hook ingress device $1 priority 0; }"
}

# nft_set_on DEV N: what an administrator would write without vmq: an
# nftables ingress chain on DEV counting the frames for N MACs, the
# VMs', as one lookup in a hash set.
nft_set_on() {
	local i

	{
		echo "add table netdev vmqn"
		echo "add set netdev vmqn vms { type ether_addr; size $(($2 * 2)); }"
		printf 'add element netdev vmqn vms {'
		for ((i = 0; i < $2; i++)); do
			printf ' %s,' "$(vm_mac_n $i)"
		done
		echo ' }'
		echo "add chain netdev vmqn in { type filter hook ingress device $1 priority 0; }"
		echo "add rule netdev vmqn in ether daddr @vms counter"
	} | nft -f -
	defer nft delete table netdev vmqn
}

nft_counted() {
	nft -j list chain netdev vmqn in |
		jq '[.nftables[] | .rule? // empty | .expr[1].counter.packets] | add'
}

bench_hook() {
	local add del per pcpu cpus

	two_bonds
	# With no VM there is no hook: vmq must cost nothing, and count none.
	hook_figure hook_0_vms 0.99 \
		"frames/s into a nicsim bond with vmq attached and no VMs, over one without vmq, side by side" \
		$MISS_BASE "$HOOK_VMS" 0 0
	# What any netfilter ingress hook costs before it does anything: the
	# floor under vmq's hook figures.
	nft_empty_on a1
	hook_figure nft_empty_chain "" \
		"frames/s through an empty nftables ingress chain on a member (the netfilter ingress hook alone), over none" \
		$MISS_BASE "$HOOK_VMS" 0 0 inverse
	nft delete table netdev vmqe
	add=$(mktemp)
	defer rm -f "$add"
	vm_batch add bond0 "$HOOK_VMS" > "$add"
	read -r per pcpu < <(vm_memory "$add")
	check_eq "$(vmqctl -j vm show bond0 | jq length)" "$HOOK_VMS" "VMs added"
	hook_figure "hook_${HOOK_VMS}_vms_miss" 0.97 \
		"the same with $HOOK_VMS VMs registered and frames for none of them ($HOOK_VMS MACs)" \
		$MISS_BASE "$HOOK_VMS" 1 0
	hook_figure "hook_${HOOK_VMS}_vms_hit" 0.97 \
		"the same with frames for all $HOOK_VMS VMs in turn (steering hw: counted, not steered)" \
		"$(vm_mac_n 0)" "$HOOK_VMS" 1 1
	# The same work done the kernel's own way, on bond1's member.
	nft_set_on a1 "$HOOK_VMS"
	hook_figure "hook_vs_nft_set_miss" "" \
		"frames/s with vmq and $HOOK_VMS VMs, frames for none, over an nftables ingress chain on the other bond's member looking the same frames up in a set of the $HOOK_VMS MACs" \
		$MISS_BASE "$HOOK_VMS" 1 0
	check_eq "$(nft_counted)" 0 "frames nftables counted for no VM"
	hook_figure "hook_vs_nft_set_hit" "" \
		"the same with frames for all $HOOK_VMS VMs, each counted by vmq; nftables' rule counting them" \
		"$(vm_mac_n 0)" "$HOOK_VMS" 1 1
	[ "$(nft_counted)" -gt 0 ] || fail "nftables found none of the VMs' MACs"
	cpus=$(nproc --all)
	if [ "${VMQ_KVER:-}" = 6.12-debug ]; then
		diag "bytes_per_vm: not on the debug kernel, whose KASAN quarantine holds freed slab and whose kmemleak adds its own"
		return 0
	fi
	figure bytes_per_vm "" lower \
		"bytes of unreclaimable slab and per-CPU memory a VM takes, $HOOK_VMS VMs on $cpus CPUs (/proc/meminfo; $pcpu of them per-CPU)" \
		"$per"
	figure bytes_per_vm_256_cpus "" lower \
		"the same computed for 256 CPUs: $per + (256 - $cpus) x $pcpu / $cpus" \
		$((per + (256 - cpus) * pcpu / cpus))
}

# ---- configuration: vmqctl -b over the kernel's own tools ---------------

# timed CMD...: how long CMD took, in microseconds.
timed() {
	local t0

	t0=$(now_us)
	"$@" >/dev/null
	echo $(($(now_us) - t0))
}

neigh_batch() {
	local i

	for ((i = 0; i < $1; i++)); do
		echo "neigh add 10.$((i >> 8)).$((i & 255)).1 lladdr $(vm_mac_n $i) dev bond1 nud permanent"
	done
}

# ethtool_by_hand N: N destination-MAC rules, one ethtool -N each, over
# a2 and a3 (nicsim's tables hold 2048 rules each, as ixgbe's do).
ethtool_by_hand() {
	local i dev

	for ((i = 0; i < $1; i++)); do
		dev=a$((2 + (i & 1)))
		ethtool -N $dev flow-type ether dst "$(vm_mac_n $i)" action 1 >/dev/null
	done
}

ethtool_clear() {
	local dev loc

	for dev in a2 a3; do
		for loc in $(ethtool -n $dev | sed -n 's/^Filter: \([0-9]*\)/\1/p'); do
			ethtool -N $dev delete "$loc"
		done
	done
}

bench_control() {
	local add del neigh r t_vmq t_ip t_eth i
	local -a vs_ip=() vs_eth=()

	two_bonds
	for i in 2 3; do
		new_pair a$i b$i 4
		defer del_pair a$i
		ip link set b$i up
		ethtool -K a$i ntuple on
		echo 2048 > $NICSIM_DBG/a$i/rule_capacity
	done
	add=$(mktemp) del=$(mktemp) neigh=$(mktemp)
	defer rm -f "$add" "$del" "$neigh"
	vm_batch add bond0 "$HOOK_VMS" > "$add"
	vm_batch del bond0 "$HOOK_VMS" > "$del"
	neigh_batch "$HOOK_VMS" > "$neigh"
	for ((r = 0; r < REPS; r++)); do
		t_vmq=$(timed vmqctl -b "$add")
		vmqctl -b "$del"
		t_ip=$(timed ip -b "$neigh")
		ip neigh flush dev bond1 nud permanent
		t_eth=$(timed ethtool_by_hand "$ETHTOOL_RULES")
		ethtool_clear
		diag "control: $HOOK_VMS vm add ${t_vmq} us, $HOOK_VMS ip neigh add ${t_ip} us, $ETHTOOL_RULES ethtool -N ${t_eth} us"
		vs_ip+=("$(ratio "$t_vmq" "$t_ip")")
		vs_eth+=("$(ratio "$((t_vmq * ETHTOOL_RULES))" "$((t_eth * HOOK_VMS))")")
	done
	figure control_vs_ip 1.0 lower \
		"time of $HOOK_VMS vm add by vmqctl -b over $HOOK_VMS permanent neighbours by ip -b" \
		"${vs_ip[@]}"
	figure control_vs_ethtool 1.0 lower \
		"time of $HOOK_VMS vm add by vmqctl -b (of which as many put a rule in as the 4-queue NIC has VM queues) over $HOOK_VMS destination-MAC rules by ethtool -N, one exec each, as a script would type them (per rule: $ETHTOOL_RULES typed)" \
		"${vs_eth[@]}"
}

# ---- failover: a Sum member's carrier lost ------------------------------

# vms_on DEV: how many of bond0's VMs are on member DEV.
vms_on() {
	macs_on "$1" | wc -l
}

vms_on_is() {
	[ "$(vms_on "$1")" -eq "$2" ]
}

# monitor_start OUT: vmq's events, each line stamped with the time it
# was read (microseconds), in OUT.
monitor_start() {
	vmqctl -j monitor | python3 -u -c '
import sys, time
for line in sys.stdin:
    print(int(time.time() * 1e6), line, end="", flush=True)
' > "$1" &
	MON_PID=$!
	defer kill $MON_PID
}

# macs_on DEV: the MACs of bond0's VMs on member DEV, one a line.
macs_on() {
	vmqctl -j vm show bond0 | jq -r --arg d "$1" '.[] | select(.adapter == $d) | .mac'
}

# replaced_at OUT T0 MACS DEV: when the last of the VMs in file MACS was
# first told, since T0, to be on member DEV (on a queue of its own or on
# DEV's default queue); nothing while one has not been.
replaced_at() {
	awk -v t0="$2" -v on="\"adapter\":\"$4\"" '
		FNR == NR { want[$1] = 1; n++; next }
		$1 < t0 || !index($0, on) { next }
		match($0, /"vm_mac":"[^"]*"/) {
			mac = substr($0, RSTART + 10, RLENGTH - 11)
			if ((mac in want) && !(mac in seen)) {
				seen[mac] = 1
				k++
				t = $1
			}
		}
		END { if (n > 0 && k == n) print t }' "$3" "$1"
}

all_replaced() {
	[ -n "$(replaced_at "$@")" ]
}

PROBE=02:00:02:00:00:01

# monitor_hears OUT: the monitor writing to OUT is listening: it reports
# a VM added or deleted now (each call does the one the last did not).
monitor_hears() {
	vmqctl vm add bond0 $PROBE 2>/dev/null || vmqctl vm del bond0 $PROBE
	grep -q $PROBE "$1"
}

bench_failover() {
	local batch macs period r n t0 t1 out
	local -a ratios=()

	nicsim_load
	defer nicsim_unload
	insmod "$VMQ_KO"
	defer vmq_unload
	new_pair a0 b0 8
	defer del_pair a0
	new_pair a1 b1 8
	defer del_pair a1
	ip link set b0 up
	ip link set b1 up
	ip link add bond0 type bond mode balance-xor xmit_hash_policy vlan+srcmac
	defer ip link del bond0
	quiet_bond bond0
	enslave bond0 a0 a1
	ip link set bond0 up
	wait_until 20 carrier_up bond0
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	batch=$(mktemp)
	out=$(mktemp)
	defer rm -f "$batch" "$out"
	vm_batch add bond0 "$SUM_VMS" > "$batch"
	vmqctl -b "$batch"
	macs=$(mktemp)
	defer rm -f "$macs"
	macs_on a0 > "$macs"
	n=$(wc -l < "$macs")
	# About half of them, most on a0's default queue: every one counts.
	[ "$n" -gt $((SUM_VMS / 4)) ] ||
		fail "only $n of $SUM_VMS VMs on a0: is a Sum VM's member shown only while it holds a queue?"
	period=$(cat /sys/module/vmq/parameters/reconcile_ms)
	monitor_start "$out"
	wait_until 30 monitor_hears "$out"
	vmqctl vm del bond0 $PROBE 2>/dev/null || true
	for ((r = 0; r < REPS; r++)); do
		t0=$(now_us)
		echo 0 > $NICSIM_DBG/a0/carrier
		# On the monitor alone: a dump would hold RTNL in the window.
		wait_until 60 all_replaced "$out" "$t0" "$macs" a1
		t1=$(replaced_at "$out" "$t0" "$macs" a1)
		check_eq "$(vms_on a0)" 0 "VMs left on a0"
		diag "failover: $n VMs off a0 in $((t1 - t0)) us (period $period ms)"
		ratios+=("$(ratio "$((t1 - t0))" "$((period * 1000))")")
		echo 1 > $NICSIM_DBG/a0/carrier
		wait_until 60 vms_on_is a0 "$n"
	done
	figure failover_over_period 0.1 lower \
		"time from a Sum member's carrier loss until its $n VMs (of $SUM_VMS) are placed on the other, over one reconcile period ($period ms)" \
		"${ratios[@]}"
}

# ---- software steering: vmq over RPS and RFS ---------------------------

STEER_VMS=${BENCH_STEER_VMS:-8}
SINK='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind((sys.argv[1], int(sys.argv[2])))
s.connect((sys.argv[3], int(sys.argv[2]) + 1))
print("ready", flush=True)
while True:
    s.recv(2048)
'

# cpu_counters NS: a netdev ingress chain on NS's eth0 counting frames
# by the CPU that processes them (nft's meta cpu), for every CPU.
cpu_counters() {
	local cpu

	ip netns exec "$1" nft "add table netdev vmqb"
	ip netns exec "$1" nft "add chain netdev vmqb in { type filter hook ingress device eth0 priority 0; }"
	for cpu in $(seq 0 $(($(nproc --all) - 1))); do
		ip netns exec "$1" nft "add rule netdev vmqb in meta cpu $cpu counter"
	done
}

# cpu_counts NS: "CPU PACKETS" per line, as NS's counters have them.
cpu_counts() {
	ip netns exec "$1" nft -j list chain netdev vmqb in |
		jq -r '.nftables[] | .rule? // empty |
		       "\(.expr[0].match.right) \(.expr[1].counter.packets)"'
}

# counts_all: every VM's counts, "VM CPU PACKETS" per line.
counts_all() {
	local i

	for i in $(seq 1 $STEER_VMS); do
		cpu_counts vmqt_vm$i | sed "s/^/$i /"
	done
}

# sinks_start: one receiver per VM, pinned to the VM's CPU (VM_CPU[i]),
# its socket connected to the sender, so that RFS records its flow.
sinks_start() {
	local i
	local -a out

	for i in $(seq 1 $STEER_VMS); do
		out[i]=$(mktemp)
		defer rm -f "${out[i]}"
		taskset -c "${VM_CPU[i]}" ip netns exec vmqt_vm$i \
			python3 -c "$SINK" "$(vm_ip $i)" $PORT $GEN_IP > "${out[i]}" &
		defer kill $!
	done
	# Started together: Python takes seconds to start under TCG.
	for i in $(seq 1 $STEER_VMS); do
		wait_until 120 grep -q ready "${out[i]}"
	done
}

# steer_pktgen: a pktgen device per VM on CPU 0's thread, its frames
# one flow to the VM's receiver.
steer_pktgen() {
	local i

	pg_reset
	for i in $(seq 1 $STEER_VMS); do
		PG_FRAMES=$((FRAMES / STEER_VMS)) pg_device 0 "a0@$i" \
			"$(vm_mac $i)" 1 "dst $(vm_ip $i)" "src_min $GEN_IP" \
			"src_max $GEN_IP" "udp_src_min $((PORT + 1))" \
			"udp_src_max $((PORT + 1))" "udp_dst_min $PORT" \
			"udp_dst_max $PORT"
	done
}

# steer_run MODE: one run; "RATE SHARE": frames/s the VMs received, and
# the share of them processed on each VM's own CPU.
steer_run() {
	local before after usec=0 i u

	before=$(counts_all)
	pg_run
	for i in $(seq 1 $STEER_VMS); do
		u=$(pg_usec "a0@$i")
		[ "$u" -le "$usec" ] || usec=$u
	done
	after=$(counts_all)
	# shellcheck disable=SC2016
	awk -v usec="$usec" -v own="${VM_CPU[*]}" '
		BEGIN { n = split(own, c, " ") }
		NR == FNR { b[$1 " " $2] = $3; next }
		{ d = $3 - b[$1 " " $2]; all += d; if ($2 == c[$1]) mine += d }
		END { if (!all) exit 1
		      printf "%.1f %.4f\n", all * 1e6 / usec, mine / all }
	' <(echo "$before") <(echo "$after")
}

# rps_mode on|rfs|off: a0's one queue spread by RPS over the VMs' CPUs,
# with RFS's flow tables too, or neither.
rps_mode() {
	local q=/sys/class/net/a0/queues/rx-0 mask=0 c flows=0

	[ "$1" = off ] || for c in "${VM_CPU[@]}"; do
		mask=$((mask | 1 << c))
	done
	[ "$1" != rfs ] || flows=32768
	printf '%x\n' $mask > $q/rps_cpus
	echo $flows > $q/rps_flow_cnt
	sysctl -qw net.core.rps_sock_flow_entries=$flows
}

steer_vmq_on() {
	vmqctl team attach bond0
	vmqctl team set bond0 steering sw
	add_vms
}

bench_steer() {
	local NVMS=$STEER_VMS i r mode rate share
	local -a VM_CPU=() vmq_rate=() rps_rate=() rfs_rate=() vmq_share=() rps_share=()
	local -A res

	nicsim_load
	defer nicsim_unload
	insmod "$VMQ_KO"
	defer vmq_unload
	roomy_sockets
	new_pair a0 b0 1
	defer del_pair a0
	ip link set b0 up
	bridged_bond a0
	make_vms br0
	for i in $(seq 1 $NVMS); do
		bridge fdb add "$(vm_mac $i)" dev vmqt_v$i master static
		cpu_counters vmqt_vm$i
	done
	wait_until 20 carrier_up bond0
	defer eval "vmqctl team detach bond0 2>/dev/null; true"
	defer rps_mode off
	steer_vmq_on
	for i in $(seq 1 $NVMS); do
		wait_until 20 vm_is_sw "$(vm_mac $i)"
		VM_CPU[i]=$(vm "$(vm_mac $i)" cpu)
	done
	diag "the VMs' CPUs under vmq: ${VM_CPU[*]}"
	# Frames arrive on CPU 0, pktgen's: a VM there would be on its CPU
	# with no steering at all.
	for i in $(seq 1 $NVMS); do
		[ "${VM_CPU[i]}" != 0 ] || fail "VM $i's CPU is pktgen's, 0"
	done
	vmqctl team detach bond0
	sinks_start
	pktgen_load
	steer_pktgen
	for ((r = 0; r < REPS; r++)); do
		for mode in vmq rps rfs; do
			if [ $mode = vmq ]; then
				rps_mode off
				steer_vmq_on
			else
				vmqctl team detach bond0 2>/dev/null || true
				rps_mode $mode
			fi
			read -r rate share < <(steer_run)
			res[$mode]="$rate $share"
			[ $mode != vmq ] || [ "$(vmqctl -j vm show bond0 |
				jq '[.[].rx_sw_steered] | add')" -gt 0 ] ||
				fail "vmq steered none of the VMs' frames"
			diag "$mode: $rate frames/s to the VMs, $share of them on their own CPUs"
		done
		vmqctl team detach bond0 2>/dev/null || true
		read -r rate share <<<"${res[vmq]}"
		vmq_share+=("$share")
		vmq_rate+=("$rate")
		read -r rate share <<<"${res[rps]}"
		rps_share+=("$share")
		rps_rate+=("$(ratio "${vmq_rate[-1]}" "$rate")")
		read -r rate _ <<<"${res[rfs]}"
		rfs_rate+=("$(ratio "${vmq_rate[-1]}" "$rate")")
	done
	figure sw_steer_vs_rps 1.0 higher \
		"frames/s reaching $NVMS VMs behind a bridge, arriving on one queue: vmq's software steering over RPS on the same CPUs" \
		"${rps_rate[@]}"
	figure sw_steer_on_cpu 1.0 higher \
		"share of each VM's frames processed on its own CPU with vmq (nft meta cpu in the VM)" \
		"${vmq_share[@]}"
	figure rps_on_cpu "" higher \
		"the same share with RPS (one flow per VM, hashed over the same CPUs)" \
		"${rps_share[@]}"
	figure sw_steer_vs_rfs "" higher \
		"vmq over RFS, the VMs' receivers pinned to their CPUs (frames/s reaching the VMs)" \
		"${rfs_rate[@]}"
}

ktap_run bench_hook bench_steer bench_control bench_failover
