# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A vmq team on two nicsim NICs, for the tests that run one: a0 (8
# queues) and a1 (4) bonded as bond0, their link partners b0 and b1 in
# the generator's namespace; what vmqctl, nicsim and /proc say of them.
# Needs lib/vmq.sh and lib/nicsim.sh, and for traffic_*, lib/pktgen.sh.

GEN=vmqt_gen

X=02:00:00:00:00:0a
Y=02:00:00:00:00:0b

# setup [PROFILE]: nicsim and vmq loaded, a0 (8 queues) and a1 (4) of
# nicsim's PROFILE (its own by default), b0 and b1 in the generator's
# namespace.  RECONCILE_MS (default 200) is vmq's repair period; 0 leaves
# vmq to events alone.  NO_DAEMON set: no vmqctl daemon hands IRQs down.
setup() {
	local profile=${1:+profile=$1}

	nicsim_load
	defer nicsim_unload
	insmod "$VMQ_KO" reconcile_ms="${RECONCILE_MS:-200}"
	defer vmq_unload
	[ -n "${NO_DAEMON:-}" ] || vmq_daemon_start
	new_pair a0 b0 8 - $profile
	defer del_pair a0
	new_pair a1 b1 4 - $profile
	defer del_pair a1
	ip netns add $GEN
	defer ip netns del $GEN
	netns_no_ipv6 "$GEN"
	printf 'link set %s netns %s\n' b0 $GEN b1 $GEN | ip -b -
	printf 'link set %s up\n' b0 b1 | ip -n $GEN -b -
}

bond() {
	ip link add bond0 type bond "$@"
	defer ip link del bond0
	no_ipv6 bond0
	enslave bond0 a0 a1
	ip link set bond0 up
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	# nicsim's IRQs: found by vmq through the queue->NAPI link on 6.12;
	# on 6.1 the module asks, and vmqctl daemon answers from
	# /proc/interrupts.  Nothing is typed.
}

min_bond() {
	bond mode active-backup
}

sum_bond() {
	bond mode balance-xor xmit_hash_policy vlan+srcmac
}

# rule_for DEV MAC: the queue DEV's rule for MAC sends to, from nicsim.
# The helpers that polling loops call read files with builtins: under
# TCG every exec of cat or awk costs about 0.1 s.
rule_for() {
	local loc mac vlan q rest

	while read -r loc mac vlan q rest; do
		[ "$mac" != "$2" ] || echo "$q"
	done < "$NICSIM_DBG/$1/rules"
}

has_rule() {
	[ -n "$(rule_for "$1" "$2")" ]
}

no_rule() {
	[ -z "$(rule_for "$1" "$2")" ]
}

# team FIELD: bond0's team, as vmqctl -j team show says; nothing for a
# field it leaves out (state_reason while the team is fine).
team() {
	vmqctl -j team show bond0 | jq -r ".[0].$1 // empty"
}

team_queue_count_is() {
	[ "$(team queue_count)" = "$1" ]
}

# vm_is MAC FIELD VALUE: for wait_until, which needs a command to re-run.
vm_is() {
	[ "$(vm "$1" "$2")" = "$3" ]
}

vm_has_cpu() {
	[ "$(vm "$1" cpu)" != null ]
}

# pinned_to_queue DEV QUEUE CPU: the queue's IRQ, as it is now, is on CPU.
pinned_to_queue() {
	[ "$(affinity "$(irq_of "$1" "$2")")" = "$3" ]
}

repairs_at_least() {
	[ "$(team repairs)" -ge "$1" ]
}

napi_at_least() {
	[ "$(cpu_packets "$1" "$2" "$3")" -ge "$4" ]
}

irq_of() {
	local q irq rest

	while read -r q irq rest; do
		[ "$q" != "$2" ] || echo "$irq"
	done < "$NICSIM_DBG/$1/irqs"
}

affinity() {
	local cpus

	read -r cpus < "/proc/irq/$1/smp_affinity_list" && echo "$cpus"
}

send() {
	ip netns exec $GEN python3 "$TRAFFIC" "$@"
}

peer_rx() {
	ip netns exec $GEN cat "/sys/class/net/$1/statistics/rx_packets"
}

# bond_sends_via MAC [DEV]: the member bond0 really transmits MAC's
# frames through, as its link partners count 20 frames sent from bond0
# (or DEV, a VLAN device on it, which tags them as the kernel does) with
# source MAC.
bond_sends_via() {
	local n0 n1 dev=${2:-bond0}

	n0=$(peer_rx b0)
	n1=$(peer_rx b1)
	python3 "$VMQ_TOP/selftests/lib/sendframes.py" "$dev" \
		ff:ff:ff:ff:ff:ff 20 --src "$1"
	wait_until 10 sent_20 "$n0" "$n1"
	if [ $(($(peer_rx b0) - n0)) -ge 20 ]; then echo a0; else echo a1; fi
}

sent_20() {
	[ $(($(peer_rx b0) - $1 + $(peer_rx b1) - $2)) -ge 20 ]
}

# peer DEV: the generator's end of DEV's nicsim pair (a0 -> b0).
peer() {
	echo "b${1#a}"
}

# other DEV: the bond's other member.
other() {
	[ "$1" = a0 ] && echo a1 || echo a0
}

# in_procset DEV CPU: CPU is one of DEV's processors.
in_procset() {
	vmqctl -j adapter show "$1" |
		jq -e --argjson c "$2" '.[0].processors | index($c) != null' >/dev/null
}

# affinities DEV: the affinity of each of DEV's queue IRQs, in order.
affinities() {
	local q irq rest

	while read -r q irq rest; do
		affinity "$irq"
	done < "$NICSIM_DBG/$1/irqs"
}

# frames_on_own_queue_and_cpu MAC COUNT [OPTS]: COUNT frames (traffic.py
# batch options OPTS, e.g. vlan=10) for the VM with MAC,
# sent from the link partner of the member it is placed on, are received
# on its queue and NAPI-polled on its CPU, which its queue's IRQ is
# pinned to; vmq's ingress hook saw them all there.  Counted from what
# each count was before, so that a test may ask again (after a reset).
frames_on_own_queue_and_cpu() {
	local m q cpu state n0 on_q0 on_cpu0 on_q on_cpu

	# A hw VM shows a CPU once its queue's IRQ is pinned (on 6.1 after
	# vmqctl daemon answered the module).
	wait_until 20 vm_has_cpu "$1"
	IFS=$'\t' read -r m q cpu state on_q0 on_cpu0 < <(vm_fields "$1" \
		adapter queue cpu state rx_on_queue rx_on_cpu)
	# Min: the VM's queue is on every member; frames come in on the
	# bond's active one.
	[ "$m" != null ] || m=$(< /sys/class/net/bond0/bonding/active_slave)
	check_eq "$state" hw "$1's state"
	check_eq "$(rule_for "$m" "$1")" "$q" "$m's rule for $1"
	in_procset "$m" "$cpu" || fail "$1's CPU $cpu is not one of $m's processors"
	check_eq "$(affinity "$(irq_of "$m" "$q")")" "$cpu" "$m queue $q's IRQ on $1's CPU"
	check_eq "$(queue "$m" "$q" cpu)" "$cpu" "queue show's CPU for $m queue $q"
	n0=$(cpu_packets "$m" "$q" "$cpu")
	send "$(peer "$m")" "$1/$2${3:+/$3}"
	wait_until 20 napi_at_least "$m" "$q" "$cpu" $((n0 + $2))
	IFS=$'\t' read -r on_q on_cpu < <(vm_fields "$1" rx_on_queue rx_on_cpu)
	check_eq $((on_q - on_q0)) "$2" "$1's frames on its queue"
	check_eq $((on_cpu - on_cpu0)) "$2" "$1's frames on its CPU"
}

# vm_repaired MAC: the VM's rule is in on the member its frames come in
# on, for its queue, and that queue's IRQ, whichever it is now, is on
# the VM's CPU.
vm_repaired() {
	local m q cpu

	IFS=$'\t' read -r m q cpu < <(vm_fields "$1" adapter queue cpu)
	[ "$m" != null ] || m=$(< /sys/class/net/bond0/bonding/active_slave)
	[ "$cpu" != null ] && [ "$(rule_for "$m" "$1")" = "$q" ] &&
		pinned_to_queue "$m" "$q" "$cpu"
}

# team_truthful: every VM is as vm show says and nicsim holds no rule but
# theirs.  A VM with its own queue has its rule for that queue on its
# member (Sum) or on every member (Min), and the queue's IRQ, as
# /proc/irq says, on its CPU; any other VM has no rule anywhere.  Each
# source is read once: this runs in a polling loop.  The first thing that
# does not hold goes to TRUTH_WHY.
TRUTH_WHY=/tmp/vmq-truth-why
team_truthful() {
	local -A rule=() irq=()
	local dev loc mac vlan q hits irqn cpu state ad on members want=0 nrules=0

	for dev in a0 a1; do
		[ -d "$NICSIM_DBG/$dev" ] || continue
		while read -r loc mac vlan q hits; do
			rule[$dev/$mac]=$q
			nrules=$((nrules + 1))
		done < "$NICSIM_DBG/$dev/rules"
		while read -r q irqn cpu; do
			irq[$dev/$q]=$irqn
		done < "$NICSIM_DBG/$dev/irqs"
	done
	members=$(vmqctl -j team show bond0 | jq -r '.[0].members[]')
	while IFS=$'\t' read -r mac state ad q cpu; do
		if [ "$state" != hw ]; then
			[ -z "${rule[a0/$mac]:-}${rule[a1/$mac]:-}" ] ||
				{ echo "VM $mac ($state) has a rule" > "$TRUTH_WHY"; return 1; }
			continue
		fi
		on=$ad
		[ "$ad" != null ] || on=$members
		for dev in $on; do
			want=$((want + 1))
			[ "${rule[$dev/$mac]:-}" = "$q" ] ||
				{ echo "VM $mac (queue $q): $dev's rule is '${rule[$dev/$mac]:-}'" > "$TRUTH_WHY"; return 1; }
		done
		# The queue's IRQ where its frames come in: Sum's member, or
		# Min's active one.
		[ "$ad" != null ] || ad=$(< /sys/class/net/bond0/bonding/active_slave)
		irqn=${irq[$ad/$q]:-}
		[ -n "$irqn" ] && [ "$(< "/proc/irq/$irqn/smp_affinity_list")" = "$cpu" ] ||
			{ echo "VM $mac: $ad queue $q's IRQ '$irqn' is not on CPU $cpu" > "$TRUTH_WHY"; return 1; }
	done < <(vmqctl -j vm show bond0 | jq -r '.[] | [.mac, .state, (.adapter // null), (.queue // null), (.cpu // null)] | map(tostring) | @tsv')
	[ "$nrules" = "$want" ] ||
		{ echo "$nrules rules for $want VM queues" > "$TRUTH_WHY"; return 1; }
}

# wait_truthful SECONDS: team_truthful, once the reconciler caught up;
# fails saying what did not hold.
wait_truthful() {
	local deadline=$((SECONDS + $(ktap_secs "$1")))

	until team_truthful; do
		[ $SECONDS -lt $deadline ] ||
			fail "vmq's view is not the NIC's: $(cat "$TRUTH_WHY")"
		sleep 0.1
	done
}

not() {
	! "$@"
}

team_has_members() {
	[ "$(vmqctl -j team show bond0 | jq '.[0].members | length')" = "$1" ]
}

# member_rx: the frames a0 and a1 received, on any queue, or dropped
# there for a full ring.
member_rx() {
	local dev total=0 key n

	for dev in a0 a1; do
		while read -r key n; do
			[[ $key =~ ^rx_queue_[0-9]+_(packets|drops):$ ]] ||
				continue
			total=$((total + n))
		done < <(ethtool -S $dev)
	done
	echo $total
}

# member_lost: the frames that reached a0 or a1 with its receiver
# stopped, or that its unicast filter dropped (while it was no bond's
# member, and so not promiscuous): nicsim's rx_lost and rx_filtered.
member_lost() {
	local d=$NICSIM_DBG

	echo $(($(< $d/a0/rx_lost) + $(< $d/a1/rx_lost) +
		$(< $d/a0/rx_filtered) + $(< $d/a1/rx_filtered)))
}


# traffic_start RATE MAC N: pktgen streams RATE frames a second from b0
# and from b1 at the N MACs from MAC up, through a0's and a1's receive
# paths; flowing when this returns.  Counted from here by traffic_stop.
traffic_start() {
	SENT="" RX=""
	RX0=$(member_rx)
	DROPS0=$(($(cable_drops) + $(member_lost)))
	pg_stream_start $GEN "$1" "b0:$2:$3" "b1:$2:$3"
	wait_until 30 rx_moving "$RX0"
}

rx_moving() {
	[ "$(member_rx)" -gt $(($1 + 100)) ]
}

# traffic_stop: stop the streams, and count what they sent, what the
# members received and what was lost where it is counted, while all are
# there to ask, once the frames in flight are in.
traffic_stop() {
	local deadline

	[ -z "${SENT:-}" ] || return 0
	pg_stream_stop $GEN
	SENT=$(($(pg_stream_sent b0) + $(pg_stream_sent b1)))
	deadline=$((SECONDS + $(ktap_secs 10)))
	until rx_accounted || [ $SECONDS -ge $deadline ]; do
		sleep 0.1
	done
}

cable_drops() {
	local n total=0

	while read -r n; do
		total=$((total + n))
	done < <(ip netns exec $GEN cat /sys/class/net/b0/statistics/tx_dropped \
		 /sys/class/net/b1/statistics/tx_dropped)
	echo $total
}

# rx_accounted: every frame sent was received or lost where it is
# counted; RX and DROPS as they are now.
rx_accounted() {
	RX=$(($(member_rx) - RX0))
	DROPS=$(($(cable_drops) + $(member_lost) - DROPS0))
	[ $((RX + DROPS)) -ge "$SENT" ]
}

# traffic_flows_again: frames reach the members after the fault
# (pg_stream_start's keeper restarts streams a dropped link stopped).
# Only a test that took the members' links away for good (an unload)
# sets TRAFFIC_LINKS_GONE=1, and then only if no link is up.
traffic_flows_again() {
	if [ "${TRAFFIC_LINKS_GONE:-0}" = 1 ] && ! carrier_up a0 && ! carrier_up a1; then
		diag "no member has a link left: no frame can flow"
		return 0
	fi
	wait_until 30 rx_moving "$(member_rx)"
}

# traffic_report WHAT: once the frames flow again, say what the streams
# sent, what the members received, and what was lost on the wire while
# a link was down, a receiver stopped or a filter held; every frame must
# be one of these.
traffic_report() {
	[ -n "${SENT:-}" ] || traffic_flows_again
	traffic_stop
	[ "$RX" -gt 0 ] || fail "no frame reached the members"
	check_eq $((SENT - RX - DROPS)) 0 \
		"frames unaccounted for ($SENT sent, $RX received, $DROPS lost where counted)"
	diag "fault: $1: $SENT frames sent, $RX received by the members," \
		"$DROPS lost while a link was down, a receiver stopped or a filter held"
}
