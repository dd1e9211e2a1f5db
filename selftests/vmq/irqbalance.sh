#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmq beside Debian's irqbalance, on the QEMU igb pair.  vmq's policy
# script (tools/irqbalance/vmq-irqbalance-policy, as make install writes
# it) answers ban=true for the IRQs of vmq's adapters only; irqbalance
# run with it leaves vmq's pins alone and the repair count stays; run
# without it, it moves them and vmq puts them back (what the policy is
# for).

. "$VMQ_TOP/selftests/lib/vmq.sh"

VM1=52:54:00:aa:00:01

# policy_script: POLICY, the policy script as make install writes it,
# running this vmqctl (irqbalance's command line names it: vmqctl daemon
# looks for that); LOG for irqbalance's output.
policy_script() {
	installed_copy POLICY tools/irqbalance/vmq-irqbalance-policy \
		/tmp/vmq-irqbalance-policy.XXXXXX
	LOG=$(mktemp)
	defer rm -f "$LOG"
}

# setup: a Min team on igb0 and igb1 with one VM, whose queue (1) is
# igb0's IRQ IRQ, pinned to CPU CPU; and policy_script.
setup() {
	command -v irqbalance > /dev/null ||
		skip "no irqbalance (tools/install-deps installs it)"
	save_affinities
	vmq_load
	defer vmq_unload
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl vm add bond0 $VM1
	IRQ=$(queue igb0 1 irq)
	CPU=$(queue igb0 1 cpu)
	[ "$IRQ" != null ] && [ "$CPU" != null ] ||
		fail "igb0 queue 1 has no IRQ or CPU: $(vmqctl queue show)"
	check_eq "$(< "/proc/irq/$IRQ/smp_affinity_list")" "$CPU" "vmq's pin"
	policy_script
}

repairs() {
	team_json bond0 | jq -r .repairs
}

repairs_above() {
	[ "$(repairs)" -gt "$1" ]
}

# pci_dir DEV: DEV's PCI function as irqbalance names it to the policy
# script (a virtio NIC's is the virtio device's parent).
pci_dir() {
	local dev

	dev=$(readlink -f "/sys/class/net/$1/device")
	[ "$(basename "$(readlink -f "$dev/subsystem")")" != virtio ] ||
		dev=${dev%/*}
	echo "/sys/bus/pci/devices/${dev##*/}"
}

# irqbalance_once [ARGS...]: one balancing pass of Debian's irqbalance,
# in the foreground; its debug output in LOG.
irqbalance_once() {
	irqbalance --oneshot --debug --interval=1 "$@" > "$LOG" 2>&1 ||
		fail "irqbalance failed: $(tail -20 "$LOG")"
}

# The script's answers, as irqbalance asks: vmq's adapters' devices and
# queue IRQs are banned; another NIC's IRQs and a device-less IRQ not.
test_policy_bans_vmqs_irqs_only() {
	local gen_irq

	setup
	check_eq "$("$POLICY" "$(pci_dir igb0)" "$IRQ")" ban=true "igb0 queue 1"
	check_eq "$("$POLICY" "$(pci_dir igb1)" 1234)" ban=true \
		"any IRQ of igb1's device"
	check_eq "$("$POLICY" /sys "$IRQ")" ban=true "igb0 queue 1, no device"
	gen_irq=$(awk '$NF ~ /^virtio.*input/ {sub(":", "", $1); print $1; exit}' \
		/proc/interrupts)
	[ -n "$gen_irq" ] || fail "no virtio input IRQ in /proc/interrupts"
	[ -d "$(pci_dir gen0)" ] || fail "no $(pci_dir gen0)"
	check_eq "$("$POLICY" "$(pci_dir gen0)" "$gen_irq")" "" "gen0's IRQ"
	check_eq "$("$POLICY" /sys 1)" "" "IRQ 1"
	vmqctl team detach bond0
	check_eq "$("$POLICY" "$(pci_dir igb0)" "$IRQ")" "" \
		"igb0 queue 1, detached"
}

# Without the policy, irqbalance takes vmq's pin, and vmq repairs it:
# the fight the policy ends.
test_without_policy_irqbalance_moves_vmqs_irq() {
	local before

	setup
	before=$(repairs)
	irqbalance_once
	wait_until 20 repairs_above "$before"
	wait_until 20 grep -qx "$CPU" "/proc/irq/$IRQ/smp_affinity_list"
}

# With it, irqbalance bans vmq's IRQs: the pin holds and nothing was
# repaired.  Checked once irqbalance has exited, so nothing of it can
# come later: a move vmq had already repaired would show in the count,
# one it had not yet, in the affinity.
test_with_policy_irqbalance_leaves_vmqs_irqs() {
	local before

	setup
	before=$(repairs)
	irqbalance_once --policyscript="$POLICY"
	grep -qx "IRQ $IRQ was BANNED." "$LOG" ||
		fail "irqbalance did not say it banned IRQ $IRQ"
	check_eq "$(< "/proc/irq/$IRQ/smp_affinity_list")" "$CPU" \
		"igb0 queue 1's IRQ after irqbalance"
	check_eq "$(repairs)" "$before" "repairs"
}

# irqbalance already running when the team is attached (a boot): it
# first takes the team's IRQs for its own; vmqctl daemon then tells it
# to look again, and from then on it leaves them alone.
test_running_irqbalance_told_after_attach() {
	local pid

	command -v irqbalance > /dev/null ||
		skip "no irqbalance (tools/install-deps installs it)"
	save_affinities
	policy_script
	vmq_load
	defer vmq_unload
	vmq_daemon_start
	stdbuf -oL -eL irqbalance --foreground --debug --interval=1 \
		--policyscript="$POLICY" > "$LOG" 2>&1 &
	pid=$!
	defer kill $pid
	# Running, as at boot: irqbalance takes SIGHUP once its first scan,
	# which runs the policy script for every IRQ, is over.  Under TCG
	# that scan took from a few seconds to more than 30.
	wait_until 120 catches_sighup $pid
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	vmqctl vm add bond0 $VM1
	poll_until 30 file_has "$VMQ_DAEMON_LOG" \
		"asked irqbalance to look at its IRQs again (1 process)" ||
		fail "the daemon did not ask irqbalance: $(< "$VMQ_DAEMON_LOG")"
	wait_until 30 grep -qx "IRQ $(queue igb0 1 irq) was BANNED." "$LOG"
}

# catches_sighup PID: PID has a handler for SIGHUP (signal 1, bit 0 of
# SigCgt in /proc/PID/status), as vmqctl daemon checks before it sends.
catches_sighup() {
	local key val mask=0

	[ -d "/proc/$1" ] || fail "irqbalance ($1) is gone: $(< "$LOG")"
	while read -r key val; do
		[ "$key" != SigCgt: ] || mask=$val
	done < "/proc/$1/status"
	(( 0x$mask & 1 ))
}

ktap_run \
	test_policy_bans_vmqs_irqs_only \
	test_without_policy_irqbalance_moves_vmqs_irq \
	test_with_policy_irqbalance_leaves_vmqs_irqs \
	test_running_irqbalance_told_after_attach
