#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmq's rx_handler on the bond sees the frames the bond receives.

. "$VMQ_TOP/selftests/lib/vmq.sh"

rx_packets() {
	team_json bond0 | jq .rx_packets
}

rx_packets_at_least() {
	[ "$(rx_packets)" -ge "$1" ]
}

rx_bytes() {
	team_json bond0 | jq .rx_bytes
}

test_rx_handler_counts_frames() {
	local mac p0 b0

	vmq_load
	defer vmq_unload
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	quiet_bond bond0
	enslave bond0 igb0 igb1
	ip link set bond0 up
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	gen_ns vmqt_gen
	wait_until 20 carrier_up bond0

	mac=$(cat /sys/class/net/bond0/address)
	p0=$(rx_packets)
	b0=$(rx_bytes)
	send_frames vmqt_gen gen0 "$mac" 100 --len 128
	wait_until 20 rx_packets_at_least $((p0 + 100))
	# skb->len as the bond sees it: the frame less its Ethernet header.
	[ "$(rx_bytes)" -ge $((b0 + 100 * (128 - 14))) ] ||
		fail "rx_bytes $(rx_bytes), expected at least $((b0 + 11400))"
}

ktap_run test_rx_handler_counts_frames
