#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offline tests of vmqctl.bash-completion, as kselftest TAP: each sets
# the line being typed, calls the completion function as bash would, and
# compares what it offers.  vmqctl itself is a function here that prints
# what `vmqctl OBJECT show` prints for one team (the text format of
# vmqctl(8)); no module, no device is needed or touched.

here=$(cd "$(dirname "$0")" && pwd)

. "$here/../../selftests/lib/ktap.sh"
# shellcheck source=tools/vmqctl/vmqctl.bash-completion
. "$here/vmqctl.bash-completion"

# vmqctl's output, as the VM selftests see it, for a team bond0 of igb0
# and igb1 with two VMs.
vmqctl() {
	case "$*" in
	"team show")
		printf '%s\n' "bond0: mode auto queue-mode min queues 4 vm-queues 3 state ok steering auto" \
			"    members: igb0 igb1"
		;;
	"adapter show")
		printf '%s\n' "igb0: team bond0 queues 4 default-queues 1 enabled on" \
			"    processors: 0-3 (planner)" \
			"igb1: team bond0 queues 4 default-queues 1 enabled on" \
			"    processors: 4-7 (planner)"
		;;
	"vm show bond0")
		printf '%s\n' "bond0 52:54:00:aa:00:01 vlan 10 \"web1\": hw on igb0 queue 3 cpu 2" \
			"bond0 52:54:00:aa:00:02: default (no queue free)"
		;;
	*) return 1 ;;
	esac
}

# offers LINE WORD...: typing LINE (the last word the one being
# completed, empty after a trailing space) offers exactly WORD...
offers() {
	local line=$1 got want

	shift
	read -ra COMP_WORDS <<< "$line"
	[ "${line: -1}" = " " ] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_vmqctl
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	want=$(printf '%s\n' "$@" | sort | xargs)
	check_eq "$got" "$want" "offered for '$line'"
}

test_objects() {
	offers "vmqctl " team adapter vm queue monitor daemon save restore \
		irqbalance-policy help
	offers "vmqctl t" team
	offers "vmqctl -j " team adapter vm queue monitor daemon save restore \
		irqbalance-policy help
}

test_commands() {
	offers "vmqctl team " show attach set detach plan help
	offers "vmqctl vm d" del
	offers "vmqctl adapter " show set help
}

test_team_names() {
	offers "vmqctl team detach " bond0
	offers "vmqctl team set bond0 " steering
	offers "vmqctl team set bond0 steering " auto hw sw off
	offers "vmqctl team plan bond0 " apply
}

test_attach_mode() {
	offers "vmqctl team attach bond0 " mode
	offers "vmqctl team attach bond0 mode " auto min sum
	offers "vmqctl team attach bond0 mode sum "
}

test_adapter_settings() {
	offers "vmqctl adapter set " igb0 igb1
	offers "vmqctl adapter set igb0 en" enabled
	offers "vmqctl adapter set igb0 enabled " on off
	offers "vmqctl adapter set igb0 base-processor "
}

test_vm_words() {
	offers "vmqctl vm add " bond0
	offers "vmqctl vm add bond0 02:00:00:00:00:01 " vlan name
	offers "vmqctl vm add bond0 02:00:00:00:00:01 vlan 10 " name
	offers "vmqctl vm del bond0 " 52:54:00:aa:00:01 52:54:00:aa:00:02
	offers "vmqctl vm del bond0 52:54:00:aa:00:01 " vlan
}

# A batch file is a file name: no words of vmqctl's.
test_batch_file() {
	offers "vmqctl -b "
	offers "vmqctl restore "
}

ktap_run \
	test_objects \
	test_commands \
	test_team_names \
	test_attach_mode \
	test_adapter_settings \
	test_vm_words \
	test_batch_file
