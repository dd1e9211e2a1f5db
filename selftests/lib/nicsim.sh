# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# nicsim for the tests that run on it (selftests/nicsim/README): loading
# it, pairs, and what its debugfs files and ethtool say.  Reads with shell
# builtins where it can: under TCG every process costs a good fraction of
# a second.

NICSIM_KO=${VMQ_NICSIM_KO:-$(dirname "$VMQ_KO")/../selftests/nicsim/nicsim.ko}
NICSIM_DBG=/sys/kernel/debug/nicsim
TRAFFIC=$VMQ_TOP/selftests/nicsim/traffic.py

nicsim_loaded() {
	[ -d /sys/module/nicsim ]
}

nicsim_load() {
	nicsim_loaded || insmod "$NICSIM_KO"
}

nicsim_unload() {
	! nicsim_loaded || rmmod nicsim
}

# new_pair A B QUEUES [MAC|- [NODE]]
new_pair() {
	echo "$*" > /sys/bus/nicsim/new_pair
}

del_pair() {
	echo "$1" > /sys/bus/nicsim/del_pair
}

# cpu_packets A Q CPU: frames NAPI on CPU took off A's queue Q.
cpu_packets() {
	local q cpu n

	while read -r q cpu n; do
		[ "$q" != "$2" ] || [ "$cpu" != "$3" ] || { echo "$n"; return; }
	done < "$NICSIM_DBG/$1/rx_cpu"
	echo 0
}

# rule_count A: the rules in A's table.
rule_count() {
	local rules

	mapfile -t rules < "$NICSIM_DBG/$1/rules"
	echo ${#rules[@]}
}

# combined_channels DEV: DEV's queue count now, as ethtool -l says.
combined_channels() {
	ethtool -l "$1" | awk '/^Combined:/ { n = $2 } END { print n }'
}

# runtime_status_is DEV STATE: DEV's parent's runtime PM status (active,
# suspended, ...), as sysfs shows it.
runtime_status_is() {
	[ "$(< "/sys/class/net/$1/device/power/runtime_status")" = "$2" ]
}
