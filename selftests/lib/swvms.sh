# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# "VMs" behind a bridge on bond0, for the software steering tests: NVMS
# veths, each with its end in a namespace of its own (vmqt_vmI, MAC
# vm_mac I, address vm_ip I), and UDP datagrams to them from GEN_IP in
# the generator's namespace, whose receiving sockets say which CPU
# processed them (selftests/lib/udpcpu.py).  Needs lib/vmq.sh.

NVMS=${NVMS:-3}
COUNT=${COUNT:-300}
PORT=7777
GEN_IP=10.77.0.2
UDPCPU=$VMQ_TOP/selftests/lib/udpcpu.py

vm_mac() {
	printf '02:00:00:00:5e:%02x' "$1"
}

vm_ip() {
	echo "10.77.0.$((10 + $1))"
}

# report_fields LINE: a receiver's report as received, in_order,
# duplicates, lost, reordered and the CPUs, tab separated.
report_fields() {
	jq -r '[.received, .in_order, .duplicates, .lost, .reordered,
		(.cpus | tojson)] | map(tostring) | @tsv' <<<"$1"
}

vm_has_a_cpu() {
	[ "$(vm "$1" cpu)" != null ]
}

# A bridge port forwards once its carrier is up and its state says so.
port_forwarding() {
	[ "$(bridge -j link show dev "$1" | jq -r '.[0].state')" = forwarding ]
}

# Room for every datagram in the receivers' sockets (SO_RCVBUF is capped
# by rmem_max): a slow reader under TCG loses none there.
roomy_sockets() {
	defer sysctl -qw "net.core.rmem_max=$(sysctl -n net.core.rmem_max)"
	sysctl -qw net.core.rmem_max=8388608
}

# make_vm_ends: NVMS veths, each with its VM's end (eth0, MAC vm_mac I,
# address vm_ip I, up) in namespace vmqt_vmI; the host's end, vmqt_vI,
# is left for the caller to make a port of its switch.
# Made by batches of ip commands: under TCG each ip process costs as
# much as the command it runs.
make_vm_ends() {
	local i ns made=

	for i in $(seq 1 "$NVMS"); do
		ns=vmqt_vm$i
		defer ip netns del $ns
		# Deleting the namespace frees its end only later, in a work item.
		defer ip link del vmqt_v$i
		made+="netns add $ns"$'\n'
		made+="link add vmqt_v$i type veth peer name eth0 netns $ns"$'\n'
	done
	ip -b - <<< "$made"
	for i in $(seq 1 "$NVMS"); do
		ns=vmqt_vm$i
		netns_no_ipv6 "$ns"
		ip -n $ns -b - <<-EOF
			link set eth0 address $(vm_mac $i)
			addr add $(vm_ip $i)/24 dev eth0
			link set eth0 up
		EOF
	done
}

# bridged_bond MEMBER...: bond0, active-backup, of the MEMBERs, the one
# port of bridge br0, both up and without IPv6 of their own; deleted
# when the test (or fixture) ends.
bridged_bond() {
	defer ip link del bond0
	defer ip link del br0
	ip -b - <<-EOF
		link add bond0 type bond mode active-backup
		link add br0 type bridge
	EOF
	quiet_bond bond0
	no_ipv6 br0
	{
		enslave_cmds bond0 "$@"
		echo "link set bond0 master br0"
		echo "link set bond0 up"
		echo "link set br0 up"
	} | ip -b -
}

# make_vms BRIDGE: NVMS veth VMs on Linux bridge BRIDGE, forwarding.
make_vms() {
	local i

	make_vm_ends
	for i in $(seq 1 "$NVMS"); do
		echo "link set vmqt_v$i master $1 up"
	done | ip -b -
	for i in $(seq 1 "$NVMS"); do
		wait_until 20 port_forwarding vmqt_v$i
	done
}

# gen_addresses NS DEV: GEN_IP on the generator's DEV, the VMs its
# neighbours (no ARP: the VMs' datagrams are the only traffic).
gen_addresses() {
	local i

	ip -n "$1" addr add $GEN_IP/24 dev "$2"
	ip -n "$1" link set "$2" up
	for i in $(seq 1 "$NVMS"); do
		ip -n "$1" neigh replace "$(vm_ip $i)" \
			lladdr "$(vm_mac $i)" dev "$2"
	done
}

# add_vms [OPTION...]: each VM added to bond0, with vm add's OPTIONs
# (vlan ID).
add_vms() {
	local i

	for i in $(seq 1 "$NVMS"); do
		vmqctl vm add bond0 "$(vm_mac $i)" "$@"
	done
}

vm_namespaces() {
	seq -f 'vmqt_vm%g' 1 "$NVMS"
}

vm_ips() {
	local i

	for i in $(seq 1 "$NVMS"); do
		vm_ip $i
	done
}

# start_receiver OUT TIMEOUT: one receiver for every VM's namespace,
# COUNT datagrams each, its report in OUT; RX_PID is its pid.
start_receiver() {
	# shellcheck disable=SC2046
	python3 "$UDPCPU" recv $PORT $GEN_IP "$COUNT" "$2" \
		$(vm_namespaces) >"$1" &
	RX_PID=$!
	# Python starts slowly under TCG.
	wait_until 60 grep -q ready "$1"
}

# send_to_vms NS PPS: COUNT datagrams to each VM from namespace NS, PPS
# rounds a second (0: as fast as it goes).
send_to_vms() {
	# shellcheck disable=SC2046
	ip netns exec "$1" python3 "$UDPCPU" send $PORT "$COUNT" "$2" \
		$(vm_ips) >/dev/null
}

# report I OUT: VM I's line of the receiver's report (after "ready").
report() {
	jq -cR "fromjson? | select(.netns == \"vmqt_vm$1\")" "$2"
}

# receive_on_own_cpu NS: COUNT datagrams from NS to every VM, all of them
# received, once, in order, each processed on the CPU vm show gives the
# VM, as its socket says and as vmq counts.
receive_on_own_cpu() {
	local i mac out r cpu on_cpu dropped received in_order dups lost reord cpus

	for i in $(seq 1 "$NVMS"); do
		wait_until 20 vm_has_a_cpu "$(vm_mac $i)"
	done
	out=$(mktemp)
	defer rm -f "$out"
	start_receiver "$out" 180
	# Paced: a burst may overrun a ring under TCG before any steering.
	send_to_vms "$1" 500
	wait "$RX_PID"
	for i in $(seq 1 "$NVMS"); do
		mac=$(vm_mac $i)
		IFS=$'\t' read -r cpu on_cpu dropped < <(vm_fields "$mac" \
			cpu rx_on_cpu rx_sw_dropped)
		r=$(report $i "$out")
		IFS=$'\t' read -r received in_order dups lost reord cpus < \
			<(report_fields "$r")
		diag "VM $i (cpu $cpu; vmq: $on_cpu on it, $dropped dropped): $r"
		check_eq "$received" "$COUNT" "VM $i's datagrams received"
		check_eq "$dups" 0 "VM $i's datagrams, none twice"
		check_eq "$in_order" true "VM $i's datagrams in order"
		check_eq "$cpus" "{\"$cpu\":$COUNT}" \
			"VM $i's datagrams processed on its CPU"
		check_eq "$dropped" 0 "VM $i: none dropped"
		check_eq "$on_cpu" "$COUNT" \
			"VM $i's frames on its CPU, as vmq counts them"
	done
}

# receive_unsteered NS CPU: the negative control of receive_on_own_cpu.
# COUNT datagrams from NS to every VM (steering off), each VM's received
# and every one of them processed on CPU, where the NIC's interrupts run;
# none steered.
receive_unsteered() {
	local i out r received cpus

	out=$(mktemp)
	defer rm -f "$out"
	start_receiver "$out" 60
	send_to_vms "$1" 500
	wait "$RX_PID"
	for i in $(seq 1 "$NVMS"); do
		r=$(report $i "$out")
		IFS=$'\t' read -r received _ _ _ _ cpus < <(report_fields "$r")
		diag "VM $i: $r"
		check_eq "$(vm "$(vm_mac $i)" state)" default "VM $i's state"
		# All of them on one CPU: what a loss there may be (CPU $2
		# alone takes every frame) is not what this control is about.
		[ "$received" -gt 0 ] || fail "VM $i received nothing"
		check_eq "$cpus" "{\"$2\":$received}" \
			"VM $i's datagrams processed where the NIC's IRQs run"
		check_eq "$(vm "$(vm_mac $i)" rx_sw_steered)" 0 \
			"VM $i: none steered"
	done
}

# stream_start OUT NS: the receiver, then a stream from NS at 200 rounds
# a second in the background (SEND_PID), until stream_check stops it:
# however long the change the test makes while it flows takes.
stream_start() {
	STREAM_DIR=$(mktemp -d)
	defer rm -rf "$STREAM_DIR"
	COUNT=@$STREAM_DIR/count
	start_receiver "$1" 600
	# shellcheck disable=SC2046
	ip netns exec "$2" python3 "$UDPCPU" send $PORT 0 200 \
		$(vm_ips) >"$STREAM_DIR/sent" 2>&1 &
	SEND_PID=$!
	# A test that fails before stream_check leaves no stream behind to
	# flow into the next one's receiver.
	defer kill "$SEND_PID" "$RX_PID"
	wait_until 60 grep -q sending "$STREAM_DIR/sent"
}

# stream_stop: the stream's sender stopped, and the receiver told how
# many datagrams each VM was sent (COUNT, from then on).
stream_stop() {
	kill -0 "$SEND_PID" 2>/dev/null ||
		fail "the sender had died: $(cat "$STREAM_DIR/sent")"
	kill -TERM "$SEND_PID"
	wait "$SEND_PID" || fail "the sender failed: $(cat "$STREAM_DIR/sent")"
	COUNT=$(jq -Rer 'fromjson? | .sent' "$STREAM_DIR/sent") ||
		fail "the sender said: $(cat "$STREAM_DIR/sent")"
	echo "$COUNT" > "$STREAM_DIR/count.new"
	mv "$STREAM_DIR/count.new" "$STREAM_DIR/count"
}

# stream_check OUT WHAT [I...]: the stream stopped, then VMs I...
# (default: every VM) got every datagram, once.  Reordering is measured
# and reported.
stream_check() {
	local out=$1 what=$2 i r received dups lost reord

	shift 2
	stream_stop
	wait "$RX_PID"
	diag "the stream: $(cat "$STREAM_DIR/sent")"
	# shellcheck disable=SC2048 # VM numbers, split on purpose
	for i in ${*:-$(seq 1 "$NVMS")}; do
		r=$(report "$i" "$out")
		IFS=$'\t' read -r received _ dups lost reord _ < <(report_fields "$r")
		diag "VM $i across $what: $r"
		check_eq "$received" "$COUNT" "VM $i: all of them across $what"
		diag "VM $i: $reord datagram(s) reordered across $what"
		check_eq "$lost" 0 "VM $i: none lost across $what"
		check_eq "$dups" 0 "VM $i: none twice across $what"
	done
}
