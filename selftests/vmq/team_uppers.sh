#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bond as the lower device of macvlan (vepa, private, passthru) and
# ipvlan (l2): whichever holds the bond's rx_handler, vmq's ingress hook
# on the members counts each frame for an upper once, for the team and
# for the VM, steers it (in software, steering sw), and the upper
# still receives it, whether vmq attached before the upper was made or
# after (detached and attached again); once the uppers are deleted, vmq
# is still attached and counting.  One test per upper shape, one bond
# and one sender process for all of its steps: each is slow under TCG.

. "$VMQ_TOP/selftests/lib/vmq.sh"

COUNT=50

# One test each: the uppers' kind and their modes, one upper per mode.
# vepa and private differ in what they do with their own frames, not in
# how macvlan_handle_frame() finds one for them; they share a bond.
CASES=(
	"macvlan vepa private"
	"macvlan passthru"
	"ipvlan l2 l2"
)

bond_mac() {
	cat /sys/class/net/bond0/address
}

# A quiet active-backup bond of igb0 and igb1, up; the generator and its
# sender.
setup_bond() {
	vmq_load
	defer vmq_unload
	igb_ab_bond
	# Off the VMs' CPUs (2, 4, 6): a frame whose queue IRQ ran on its
	# VM's CPU already would not need steering, and not be counted so.
	pin_igb_irqs 1
	gen_ns vmqt_gen
	sender_start vmqt_gen gen0
	wait_until 20 carrier_up bond0
}

attach() {
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	# sw: no queue held, no IRQ pinned by vmq, so every frame, arriving
	# on CPU 1, must be steered (under auto a VM's own pinned queue may
	# take an IP flow on its CPU already, with no steering to count).
	vmqctl team set bond0 steering sw
}

# make_uppers KIND MODE...: one upper of KIND per MODE on bond0, up, with
# no IPv6 of their own.  Sets UPPERS (their names), MAC[upper] (the MAC
# its frames go to, its VM's), SEND[upper] (a batch of COUNT frames for
# it, for send_batch) and VMS (the VMs' MACs, each once).
make_uppers() {
	local kind=$1 i=0 mode dev ip

	shift
	UPPERS=() VMS=
	declare -gA MAC SEND
	for mode in "$@"; do
		i=$((i + 1))
		dev=vmqtup$i
		ip link add link bond0 name $dev type "$kind" mode "$mode"
		defer ip link del $dev
		no_ipv6 "$dev"
		UPPERS+=("$dev")
		if [ "$kind" = macvlan ]; then
			# passthru: macvlan_set_mac_address() sets the lower's
			# MAC, the bond's (so both members'), to the upper's,
			# and macvlan_open() makes the bond promiscuous.
			# Others: macvlan_open() adds the upper's MAC to the
			# bond's unicast list, which active-backup gives its
			# active member only.
			MAC[$dev]=02:00:00:00:0f:0$i
			ip link set $dev address "${MAC[$dev]}"
			SEND[$dev]="${MAC[$dev]} $COUNT --len 128"
		else
			# ipvlan: every slave has the bond's MAC
			# (ipvlan_link_new()); ipvlan_handle_mode_l2() finds
			# the slave by the frame's L3 address.  The slaves stay
			# in this namespace, where their counters are readable:
			# a namespace changes nothing in that lookup.
			ip=10.78.0.$((10 + i))
			ip addr add $ip/24 dev $dev
			MAC[$dev]=$(bond_mac)
			SEND[$dev]="${MAC[$dev]} $COUNT --len 128 --ip $ip"
		fi
		ip link set $dev up
		[[ " $VMS " == *" ${MAC[$dev]} "* ]] || VMS+=" ${MAC[$dev]}"
	done
	VMS=${VMS# }
}

add_vms() {
	local mac

	for mac in $VMS; do
		vmqctl vm add bond0 "$mac"
		wait_until 10 vm_is_sw "$mac"
	done
}

# counts: one line, "team rx_packets, then each VM's rx_packets and
# rx_sw_steered, then each upper's rx_packets", from one look at vmq.
counts() {
	local dev line

	line=$({ vmqctl -j team show bond0; vmqctl -j vm show bond0 -s; } |
	       jq -rs --arg macs "$VMS" '.[1] as $vms |
		[.[0][0].rx_packets] +
		[$macs | split(" ")[] as $m | $vms[] | select(.mac == $m) |
		 .rx_packets, .rx_sw_steered] | map(tostring) | join(" ")')
	for dev in "${UPPERS[@]}"; do
		line+=" $(< "/sys/class/net/$dev/statistics/rx_packets")"
	done
	echo "$line"
}

# counts_reach A...: each count at least its A.
counts_reach() {
	local -a now want=("$@")
	local i

	read -r -a now < <(counts)
	for i in "${!want[@]}"; do
		[ "${now[i]:-0}" -ge "${want[i]}" ] || return 1
	done
}

# frames_for_uppers: COUNT frames for each upper, received by it, and
# counted once by the team and once by its VM, all of them steered.
frames_for_uppers() {
	local -a start want
	local dev mac i n

	read -r -a start < <(counts)
	want=("${start[@]}")
	want[0]=$((start[0] + COUNT * ${#UPPERS[@]}))
	i=1
	for mac in $VMS; do
		n=0
		for dev in "${UPPERS[@]}"; do
			[ "${MAC[$dev]}" != "$mac" ] || n=$((n + COUNT))
		done
		want[i]=$((start[i] + n))
		want[i + 1]=$((start[i + 1] + n))
		i=$((i + 2))
	done
	for dev in "${UPPERS[@]}"; do
		want[i]=$((start[i] + COUNT))
		i=$((i + 1))
		send_batch ${SEND[$dev]}
	done
	wait_until 20 counts_reach "${want[@]}"
	diag "vmq: $(vmqctl -j vm show bond0 -s | jq -c '.[] | {mac, state,
		cpu, rx_packets, rx_on_cpu, rx_sw_steered, rx_sw_dropped}')"
	check_eq "$(counts)" "${want[*]}" \
		"team; each VM's frames, steered; each upper's (${UPPERS[*]})"
}

# The uppers gone: their rx_handler is off the bond, vmq is still
# attached, and counts frames to the bond's MAC once.
after_delete() {
	local dev p

	for dev in "${UPPERS[@]}"; do
		ip link del "$dev"
	done
	UPPERS=() VMS=
	rx_handler_free bond0 || fail "bond0's rx_handler still taken"
	p=$(counts)
	send_batch "$(bond_mac)" $COUNT --len 128
	wait_until 20 counts_reach $((p + COUNT))
	check_eq "$(counts)" $((p + COUNT)) \
		"frames to the bond's MAC, the uppers gone"
}

# upper_case KIND MODE...
upper_case() {
	local perm

	setup_bond
	perm=$(bond_mac)
	diag "attached before the uppers"
	attach
	make_uppers "$@"
	[ "$2" != passthru ] ||
		check_eq "$(bond_mac)" "${MAC[vmqtup1]}" \
			"the bond's MAC, the passthru upper's"
	add_vms
	frames_for_uppers
	diag "attached after the uppers"
	vmqctl team detach bond0
	attach
	add_vms
	frames_for_uppers
	diag "the uppers deleted"
	after_delete
	# macvlan_port_destroy() gives the bond back the MAC it had.
	check_eq "$(bond_mac)" "$perm" "the bond's MAC, the uppers gone"
}

tests=()
for c in "${CASES[@]}"; do
	read -r -a args <<<"$c"
	name=test_$(IFS=_; echo "${args[*]}")
	eval "$name() { upper_case ${args[*]}; }"
	tests+=("$name")
done

ktap_run "${tests[@]}"
