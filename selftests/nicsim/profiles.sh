#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the tests are called by name, by ktap_run
#
# nicsim's driver profiles (selftests/nicsim/profile.c), each asked with
# Debian's own ethtool(8) and SIOCETHTOOL as an administrator or vmq
# would ask the real driver, answering as its source says it does.
# One test a concern; the cases are data, one line each.

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/nicsim.sh"

M=02:00:00:00:0c:01
N=02:00:00:00:0c:02
RXNFC=$VMQ_TOP/selftests/nicsim/rxnfc.py

# pair PROFILE: a0 of PROFILE, 8 queues, up.
pair() {
	nicsim_load
	defer nicsim_unload
	new_pair a0 b0 8 - "profile=$1"
	defer del_pair a0
	ip link set a0 up
}

# in_pair PROFILE CMD...: CMD on a fresh a0 of PROFILE, in a subshell
# that cleans up after itself (a subshell does not inherit the test's
# EXIT trap).
in_pair() {
	(
		_ktap_deferred=()
		trap _ktap_run_deferred EXIT
		pair "$1"
		shift
		"$@"
	)
}

# outcome CMD...: "ok" or the errno's words, as ethtool(8) prints them.
# Its exit status does not tell: where it picks the location itself
# (rmgr), Debian's ethtool 6.1 exits 0 after "Cannot insert RX class
# rule".
outcome() {
	local err rc=0

	err=$("$@" 2>&1 >/dev/null) || rc=$?
	if [ $rc -eq 0 ] && [[ $err != *Cannot* ]]; then
		echo ok
	else
		sed -n 's/.*: \([A-Z][a-z][^:]*\)$/\1/p' <<< "$err" | head -1
	fi
}

# check_ethtool WANT ARGS: `ethtool ARGS` (one string) answers WANT.
check_ethtool() {
	check_eq "$(eval outcome ethtool "$2")" "$1" "$(cat $NICSIM_DBG/a0/profile): ethtool $2"
}

# run_cases: read "PROFILE EXPECTED... | ethtool ARGS" lines from stdin,
# each on a fresh a0; EXPECTED is "ok" or ethtool's error words.
run_cases() {
	local line p want args

	while IFS= read -r line; do
		[ -n "$line" ] || continue
		p=${line%% *}
		want=${line#* }
		want=${want%% |*}
		args=${line#*| }
		in_pair "$p" check_ethtool "$want" "$args"
	done
}

check_rxnfc() {
	check_eq "$(python3 "$RXNFC" a0)" "$1" \
		"$(cat $NICSIM_DBG/a0/profile)'s answers"
}

# The table's size only GRXCLSRLALL tells on mlx5, igb and ixgbe; bnxt
# puts its count there; bnxt and sfc pick locations (RX_CLS_LOC_SPECIAL).
test_table_size_queries() {
	local p want bnxt="cnt 1024 special 1 count 0 all 0"

	kernel_6_1 && bnxt="cnt 4096 special 0 count 0 all 0"
	while read -r p want; do
		in_pair "$p" check_rxnfc "$want"
	done <<EOT
mlx5 cnt 0 special 0 count 0 all 1024
igb cnt 0 special 0 count 0 all 16
ice cnt 512 special 0 count 0 all 512
bnxt $bnxt
sfc cnt 512 special 1 count 0 all 512
ixgbe cnt 0 special 0 count 0 all 2046
i40e cnt 512 special 0 count 0 all 512
mlx4 cnt 0 special 0 count 0 all 256
EOT
}

# The VLAN masks each driver takes: ethtool's "vlan V m 0xf000" sends
# 0x0fff, a bare "vlan V" 0xffff, "m 0x1fff" igb's priority mask 0xe000.
# mlx4 looks at the mask's VID bits only (all or none), and refuses a
# masked TCI with priority bits.
test_vlan_masks() {
	local vid_ok=ok tci_ok=ok

	kernel_6_1 && tci_ok="Invalid argument"	# 6.1's ice: no ETHER_FLOW
	kernel_6_1 && vid_ok="Operation not supported"	# 6.1's bnxt: IP only
	run_cases <<EOT
mlx5 ok | -N a0 flow-type ether dst $M vlan 10 m 0xf000 action 1
mlx5 Invalid argument | -N a0 flow-type ether dst $M vlan 10 action 1
ice $tci_ok | -N a0 flow-type ether dst $M vlan-etype 0x8100 vlan 10 action 1
ice $( kernel_6_1 && echo "Invalid argument" || echo "Operation not supported") | -N a0 flow-type ether dst $M vlan 10 m 0xf000 action 1
igb ok | -N a0 flow-type ether dst $M vlan 0x2000 m 0x1fff action 1
igb Invalid argument | -N a0 flow-type ether dst $M vlan 10 m 0xf000 action 1
bnxt $vid_ok | -N a0 flow-type ether dst $M vlan 10 m 0xf000 action 1
bnxt $( kernel_6_1 && echo "Operation not supported" || echo "Invalid argument") | -N a0 flow-type ether dst $M vlan 0 m 0xf000 action 1
sfc ok | -N a0 flow-type ether dst $M vlan 10 m 0xf000 action 1
sfc Invalid argument | -N a0 flow-type ether dst $M vlan 10 action 1
mlx4 ok | -N a0 flow-type ether dst $M vlan 10 m 0xf000 action 1
mlx4 ok | -N a0 flow-type ether dst $M vlan 10 action 1
mlx4 Invalid argument | -N a0 flow-type ether dst $M vlan 10 m 0xf00f action 1
mlx4 Invalid argument | -N a0 flow-type ether dst $M vlan 0x2000 m 0x1fff action 1
mlx4 Invalid argument | -N a0 flow-type ether dst $M vlan-etype 0x8100 vlan 10 action 1
EOT
}

# Locations: bnxt and sfc take only the driver's choice; mlx5's table
# ends at 1024, igb's at 16 (and its MAC filters at 15).
test_locations() {
	local bnxt_loc="Invalid argument"

	kernel_6_1 && bnxt_loc="Operation not supported"
	run_cases <<EOT
bnxt $bnxt_loc | -N a0 flow-type ether dst $M action 1 loc 3
sfc Invalid argument | -N a0 flow-type ether dst $M action 1 loc 3
sfc ok | -N a0 flow-type ether dst $M action 1
mlx5 No space left on device | -N a0 flow-type ether dst $M action 1 loc 1024
mlx5 ok | -N a0 flow-type ether dst $M action 1 loc 1023
igb Invalid argument | -N a0 flow-type ether dst $M action 1 loc 16
igb ok | -N a0 flow-type ether dst $M action 1 loc 15
mlx4 Invalid argument | -N a0 flow-type ether dst $M action 1 loc 256
mlx4 ok | -N a0 flow-type ether dst $M action 1 loc 255
mlx4 ok | -N a0 flow-type ether dst $M action 1
mlx4 Invalid argument | -N a0 flow-type ether dst $M action 8
EOT
	in_pair igb igb_15_macs
}

# i210: 16 RAR entries, the first the port's own.
igb_15_macs() {
	local i

	for ((i = 0; i < 15; i++)); do
		ethtool -N a0 flow-type ether dst 02:00:00:00:0d:$((10 + i)) action 1 loc $i
	done
	check_eq "$(outcome ethtool -N a0 flow-type ether dst $N action 1 loc 15)" \
		"No space left on device" "a 16th MAC on igb"
}

ixgbe_with_ntuple() {
	ethtool -K a0 ntuple on
	check_ethtool "Invalid argument" "-N a0 flow-type ether dst $M action 1"
}

# ixgbe's and i40e's Flow Director match IP flows only; ixgbe ships with
# ntuple off, and refuses every rule until it is on.
test_no_mac_steering() {
	run_cases <<EOT
ixgbe Operation not supported | -N a0 flow-type ether dst $M action 1
i40e Operation not supported | -N a0 flow-type ether dst $M action 1
EOT
	in_pair ixgbe ixgbe_with_ntuple
}

# ice: one input set per flow type, until its last rule goes.
test_ice_input_set() {
	kernel_6_1 && skip "6.1's ice takes no ETHER_FLOW rule"
	pair ice
	ethtool -N a0 flow-type ether dst $M action 1 >/dev/null
	check_eq "$(outcome ethtool -N a0 flow-type ether dst $N proto 0x0800 action 2)" \
		"Invalid argument" "a second shape"
	check_eq "$(outcome ethtool -N a0 flow-type ether dst $M action 2)" \
		"Invalid argument" "the same MAC again"
	ethtool -N a0 delete 511
	check_eq "$(outcome ethtool -N a0 flow-type ether dst $N proto 0x0800 action 2)" \
		ok "another shape once the last rule is gone"
}

# NTUPLE: aRFS on mlx5 and mlx4 (rules need none, and keep when it goes off);
# rules on ice (refused while off, erased when turned off); igb takes
# rules while it is off, and erases them when it is turned off.
ntuple_arfs() {
	local p

	p=$(cat $NICSIM_DBG/a0/profile)
	check_eq "$(ethtool -k a0 | awk '/^ntuple/ {print $2}')" off "$p at probe"
	ethtool -N a0 flow-type ether dst $M action 1 loc 1 >/dev/null
	ethtool -K a0 ntuple on
	check_eq "$(cat $NICSIM_DBG/a0/arfs)" 1 "aRFS on"
	ethtool -K a0 ntuple off
	check_eq "$(rule_count a0)" 1 "$p's rule after ntuple off"
}

ntuple_igb() {
	ethtool -N a0 flow-type ether dst $M action 1 >/dev/null
	ethtool -K a0 ntuple on
	ethtool -K a0 ntuple off
	check_eq "$(rule_count a0)" 0 "igb's rule after ntuple off"
}

ntuple_ice() {
	ethtool -K a0 ntuple off
	check_eq "$(outcome ethtool -N a0 flow-type ether dst $M action 1)" \
		"Operation not supported" "ice with ntuple off"
}

test_ntuple_meaning() {
	in_pair mlx5 ntuple_arfs
	in_pair mlx4 ntuple_arfs
	in_pair igb ntuple_igb
	if ! kernel_6_1; then
		in_pair ice ntuple_ice
	fi
}

has_vector() {
	grep -q " $1\$" /proc/interrupts ||
		fail "$(cat $NICSIM_DBG/a0/profile): no vector named $1"
}

# Vector names, as each driver requests its IRQs.
test_irq_names() {
	local p want

	while read -r p want; do
		in_pair "$p" has_vector "$want"
	done <<EOT
mlx5 mlx5_comp0@pci:nicsim[0-9]*
ice ice-a0-TxRx-0
igb a0-TxRx-0
sfc a0-0
i40e i40e-a0-TxRx-0
mlx4 mlx4-1@nicsim[0-9]*
EOT
}

# mlx4_en_stop_port() detaches every rule: ifdown, and what restarts
# the port (set_channels, set_rxfh), leave none.  While the port is
# down, mlx4 answers no rule command at all.
mlx4_restarts() {
	ethtool -N a0 flow-type ether dst $M action 1 loc 1 >/dev/null
	ip link set a0 down
	check_eq "$(outcome ethtool -n a0)" "Invalid argument" "mlx4 down: ethtool -n"
	check_eq "$(outcome ethtool -N a0 flow-type ether dst $N action 1 loc 2)" \
		"Invalid argument" "mlx4 down: ethtool -N"
	check_eq "$(outcome ethtool -N a0 delete 1)" "Invalid argument" \
		"mlx4 down: ethtool -N delete"
	ip link set a0 up
	check_eq "$(rule_count a0)" 0 "mlx4's rule after ifdown/ifup"
	ethtool -N a0 flow-type ether dst $M action 1 loc 1 >/dev/null
	ethtool -L a0 combined 4
	check_eq "$(rule_count a0)" 0 "mlx4's rule after ethtool -L"
	ethtool -N a0 flow-type ether dst $M action 1 loc 1 >/dev/null
	ethtool -X a0 equal 2
	check_eq "$(rule_count a0)" 0 "mlx4's rule after ethtool -X"
	ethtool -N a0 flow-type ether dst $M action 1 loc 1 >/dev/null
	check_eq "$(outcome ethtool -X a0 equal 3)" "Invalid argument" \
		"mlx4: ethtool -X equal 3"
	check_eq "$(rule_count a0)" 1 "mlx4's rule after a refused ethtool -X"
}

test_mlx4_port_restart() {
	in_pair mlx4 mlx4_restarts
}

# indir_table DEV: the indirection table's entries, on one line.
indir_table() {
	ethtool -x "$1" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) printf "%s ", $i}'
}

# mlx4_en_get_rxfh_indir_size(): a power of 2 of the rings;
# mlx4_en_set_rxfh(): only i % k, k a power of 2, which it keeps.
mlx4_rss() {
	check_eq "$(indir_table a0)" "0 1 2 3 4 5 6 7 " "mlx4's table, 8 rings"
	check_eq "$(outcome ethtool -X a0 weight 1 1)" "Invalid argument" \
		"mlx4: a table by weight"
	check_eq "$(outcome ethtool -X a0 equal 4)" ok "mlx4: ethtool -X equal 4"
	check_eq "$(indir_table a0)" "0 1 2 3 0 1 2 3 " "mlx4's table, equal 4"
	ethtool -L a0 combined 6
	check_eq "$(indir_table a0)" "0 1 2 3 " "mlx4's table, 6 rings"
	ethtool -X a0 default
	ethtool -L a0 combined 3
	check_eq "$(indir_table a0)" "0 1 " "mlx4's table, 3 rings"
}

test_mlx4_rss() {
	in_pair mlx4 mlx4_rss
}

# igb's runtime PM: once userspace allows it (power/control "auto"; the
# PCI core forbids it until then) and the link has been down 5 s, the
# NIC sleeps, detached (igb_runtime_idle(), __igb_shutdown()); the core
# wakes it for a request (__dev_ethtool()).  A PCI error detaches it
# until the driver resumes (igb_io_error_detected(), igb_io_resume()),
# and the core refuses every request meanwhile.  The core asks nothing
# outside its bracket, and nicsim counts nothing.
test_igb_runtime_pm_and_io_error() {
	pair igb
	echo 0 > $NICSIM_DBG/a0/carrier
	check_eq "$(cat /sys/class/net/a0/device/power/control)" on \
		"runtime PM forbidden until allowed"
	echo auto > /sys/class/net/a0/device/power/control
	defer eval "echo on > /sys/class/net/a0/device/power/control"
	wait_until 10 runtime_status_is a0 suspended
	check_eq "$(outcome ethtool -n a0)" ok "ethtool -n, asleep before"
	runtime_status_is a0 active || fail "a0 not woken by the request"
	wait_until 10 runtime_status_is a0 suspended
	echo on > /sys/class/net/a0/device/power/control
	echo 1 > $NICSIM_DBG/a0/io_error
	check_eq "$(outcome ethtool -n a0)" "No such device" "ethtool -n, in error recovery"
	echo 0 > $NICSIM_DBG/a0/io_error
	check_eq "$(outcome ethtool -n a0)" ok "ethtool -n, resumed"
	check_eq "$(cat $NICSIM_DBG/a0/unbracketed)" 0 "requests outside the bracket"
}

ktap_run \
	test_table_size_queries \
	test_vlan_masks \
	test_locations \
	test_no_mac_steering \
	test_ice_input_set \
	test_ntuple_meaning \
	test_irq_names \
	test_mlx4_port_restart \
	test_mlx4_rss \
	test_igb_runtime_pm_and_io_error
