#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the VM rig: a passing kselftest-TAP script that checks the
# guest hardware selftests/README promises (NIC names, igb queues, NUMA,
# SMT) and the environment guest-init exports.  Self-contained: it does
# not need vmq.ko or selftests/lib.
set -euo pipefail

n=0
fails=0

result() {
	local ok=$1; shift
	n=$((n + 1))
	if [ "$ok" -eq 0 ]; then
		echo "ok $n $*"
	else
		echo "not ok $n $*"
		fails=$((fails + 1))
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

check() {
	local desc=$1; shift
	local rc=0
	"$@" || rc=$?
	result "$rc" "$desc"
}

combined_queues() {
	# "Current hardware settings:" is the second block of ethtool -l.
	ethtool -l "$1" | awk '/^Current/ {cur = 1} cur && /^Combined:/ {print $2; exit}'
}

has_queues() { [ "$(combined_queues "$1")" = "$2" ]; }
numa_nodes() { ls -d /sys/devices/system/node/node[0-9]* | wc -l; }
threads_per_core() { lscpu | awk -F: '/^Thread\(s\) per core/ {gsub(/ /, "", $2); print $2}'; }
env_is_set() { [ -n "${VMQ_TOP:-}" ] && [ -n "${VMQ_KO:-}" ] && [[ ${VMQ_KVER:-} =~ ^6\.(1|12)$ ]]; }
path_has_vmqctl() { [[ $PATH == "$VMQ_TOP/tools/vmqctl:"* ]]; }

echo "TAP version 13"
echo "1..9"
for nic in igb0 igb1 gen0; do
	check "netdev $nic exists" test -e "/sys/class/net/$nic"
done
echo "# $(ethtool -i igb0 | head -1); $(ethtool -i gen0 | head -1)"
ethtool -l igb0 | sed 's/^/# /'
check "igb0 has 8 combined queues" has_queues igb0 8
check "igb1 has 8 combined queues" has_queues igb1 8
echo "# NUMA nodes: $(numa_nodes); $(lscpu | grep -E '^(NUMA node[0-9]|Thread|Core|Socket)' | tr -s ' ' | paste -sd';')"
check "2 NUMA nodes" test "$(numa_nodes)" -eq 2
check "2 threads per core" test "$(threads_per_core)" = 2
check "VMQ_TOP, VMQ_KO and VMQ_KVER are exported" env_is_set
echo "# VMQ_KVER=$VMQ_KVER VMQ_KO=$VMQ_KO uname=$(uname -r) cwd=$PWD"
if [ -x "$VMQ_TOP/tools/vmqctl/vmqctl" ]; then
	check "vmqctl's directory leads PATH" path_has_vmqctl
else
	skip "vmqctl's directory leads PATH" "vmqctl not built"
fi
[ "$fails" -eq 0 ]
