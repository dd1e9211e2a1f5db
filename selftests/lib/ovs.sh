# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Debian's Open vSwitch (the host's openvswitch-switch, tools/install-deps)
# in the rig's guest, which has no systemd to start it: ovsdb-server and
# ovs-vswitchd started by hand, with their database, sockets, pid and log
# files in a scratch directory (OVS_RUNDIR & co.), against the guest
# kernel's openvswitch module.  Needs lib/vmq.sh.

VSCTL=(ovs-vsctl --timeout=60)

# ovs_start: ovsdb-server and ovs-vswitchd until the test ends.  Skips if
# OVS cannot run here, saying why.
ovs_start() {
	local d err

	command -v ovs-vswitchd >/dev/null ||
		skip "no ovs-vswitchd: openvswitch-switch is not installed on the host (tools/install-deps)"
	if [ ! -d /sys/module/openvswitch ]; then
		err=$(modprobe openvswitch 2>&1) ||
			skip "kernel $(uname -r) cannot load openvswitch: $err"
		defer modprobe -r openvswitch
	fi
	d=$(mktemp -d /tmp/vmqt-ovs.XXXXXX)
	export OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVS_SYSCONFDIR=$d
	ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
	# Their INFO lines to the log files only, warnings to the test's output.
	ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" \
		-vconsole:warn --pidfile --detach --log-file
	defer ovs_stop ovsdb-server
	"${VSCTL[@]}" --no-wait init
	# --detach returns once it has read the database and set up what it holds.
	ovs-vswitchd -vconsole:warn --pidfile --detach --log-file
	# --cleanup: the kernel datapath and its ports go with it.
	defer ovs_stop ovs-vswitchd --cleanup
}

# ovs_stop DAEMON [EXIT-OPTION]: ask DAEMON to exit, and wait (10 s at
# most: this is cleanup, it must not fail) until it has.
ovs_stop() {
	local pid i

	pid=$(cat "$OVS_RUNDIR/$1.pid" 2>/dev/null) || return 0
	ovs-appctl --timeout=30 -t "$1" exit "${@:2}" || kill "$pid"
	for ((i = 0; i < 100; i++)); do
		[ -d "/proc/$pid" ] || return 0
		sleep 0.1
	done
	kill -KILL "$pid"
}

# master DEV: the device DEV is enslaved to (ovs-system for an OVS port
# in the kernel datapath), or nothing.
master() {
	local l

	l=$(readlink "/sys/class/net/$1/master") || return 0
	echo "${l##*/}"
}

# ovs_add_port BRIDGE DEV: DEV a port of BRIDGE, in the kernel datapath
# (ovs-vsctl succeeds even when the datapath refused the port).
ovs_add_port() {
	"${VSCTL[@]}" add-port "$1" "$2"
	check_eq "$(master "$2")" ovs-system "$2's master"
}
