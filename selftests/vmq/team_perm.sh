#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may do what: changing state needs CAP_NET_ADMIN in the initial user
# namespace, since vmq changes host-wide IRQ affinity; reading, and
# listening to the monitor group, do not.

. "$VMQ_TOP/selftests/lib/vmq.sh"

NEED_ADMIN="CAP_NET_ADMIN in the initial user namespace is required"

setup() {
	vmq_load
	defer vmq_unload
	make_bond bond0 mode active-backup
}

test_unprivileged_attach_refused() {
	setup
	expect_error "$NEED_ADMIN" as_nobody vmqctl team attach bond0
	check_eq "$(team_count)" 0 "teams"
}

test_unprivileged_detach_refused() {
	setup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	expect_error "$NEED_ADMIN" as_nobody vmqctl team detach bond0
	check_eq "$(team_count)" 1 "teams"
}

test_unprivileged_show_allowed() {
	setup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	check_eq "$(as_nobody vmqctl -j team show | jq -r '.[0].ifname')" \
		bond0 "dump as nobody"
	check_eq "$(as_nobody vmqctl -j team show bond0 | jq -r '.[0].queue_mode')" \
		min "get as nobody"
}

# Anyone may listen to the monitor group: it tells what a dump would
# show, and dumps are open to anyone in the namespace.
test_unprivileged_monitor_allowed() {
	local out

	setup
	out=$(mktemp)
	defer rm -f "$out"
	as_nobody vmqctl -j monitor > "$out" &
	defer kill $!
	monitor_hears_attach "$out" bond0
	vmqctl team detach bond0
}

# Root of a user namespace has CAP_NET_ADMIN over its own network
# namespace, but not over the host's IRQs.
test_userns_root_refused() {
	setup
	expect_error "$NEED_ADMIN" \
		unshare --user --map-root-user --net vmqctl team attach bond9
}

ktap_run \
	test_unprivileged_attach_refused \
	test_unprivileged_detach_refused \
	test_unprivileged_show_allowed \
	test_unprivileged_monitor_allowed \
	test_userns_root_refused
