#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An administrator's setup, from nothing, under Debian's real systemd:
# vmq installed as make install stages it (build/stage/KVER, unpacked
# into / as a package would be), /etc/vmq/vmq.conf written, the unit
# enabled and started, libvirt's hook run for a starting and a stopping
# domain, Debian's irqbalance started as its unit with vmq's drop-in,
# and the module reloaded and the unit restarted after an unload (a
# reboot, as far as vmq can tell): each time, what vmq holds is the
# configuration, exactly.  On the QEMU igb pair.
#
# systemd 252 runs as PID 1 of its own PID, mount and cgroup namespaces
# (as under systemd-nspawn, but sharing the guest's network, modules and
# devices): the rig's guest has no systemd of its own.  Nothing is
# started at its boot; the units the tests start pull in what they
# depend on, as on a host.

. "$VMQ_TOP/selftests/lib/vmq.sh"

STAGE=$VMQ_TOP/build/stage/$VMQ_KVER
CONF=/etc/vmq/vmq.conf
HOOK=/etc/libvirt/hooks/qemu.d/vmq
VM1=52:54:00:aa:00:01
DOMAIN_MAC=52:54:00:aa:00:02
SD_CGROUP=/sys/fs/cgroup/vmq-systemd

# ---- systemd ----

# What PID 1 of the namespace runs: a /run and a /tmp of its own, and
# in /run's unit directory the empty target it boots to and a mask for
# each unit sysinit, sockets, timers and paths want but journald: the
# guest runs more tests after this one, and these would change it for
# them (sysctl.d applied, /tmp emptied by tmpfiles, udev's rules run
# for every device, timers); and every generator masked (fstab's mounts
# and swaps).
SD_INIT='mount -t tmpfs -o mode=0755 tmpfs /run &&
mount -t tmpfs -o mode=1777 tmpfs /tmp &&
mkdir -p /run/systemd/system &&
printf "[Unit]\nDescription=vmq selftests: nothing at boot\n" > /run/systemd/system/vmq-rig.target &&
for w in /lib/systemd/system /etc/systemd/system; do
	for u in "$w"/sysinit.target.wants/* "$w"/sockets.target.wants/* \
		 "$w"/timers.target.wants/* "$w"/paths.target.wants/* \
		 "$w"/local-fs.target.wants/*; do
		case ${u##*/} in
		"*"|systemd-journald*) ;;
		*) ln -sf /dev/null "/run/systemd/system/${u##*/}" ;;
		esac
	done
done &&
mkdir -p /run/systemd/system-generators &&
for g in /lib/systemd/system-generators/*; do
	ln -sf /dev/null "/run/systemd/system-generators/${g##*/}"
done &&
exec /lib/systemd/systemd --unit=vmq-rig.target --log-target=console'

sd_boot() {
	SD_LOG=$(mktemp)
	defer rm -f "$SD_LOG"
	mkdir "$SD_CGROUP"
	defer sd_cgroup_remove
	sd_save_sysctls
	# --kill-child: systemd leaves the test's process group (setsid),
	# so a test killed on timeout takes it down through unshare; --uts:
	# the hostname it sets is its own.
	(
		echo "$BASHPID" > "$SD_CGROUP/cgroup.procs"
		exec unshare --pid --fork --kill-child --mount --cgroup --uts \
			--mount-proc sh -c "$SD_INIT"
	) < /dev/null > "$SD_LOG" 2>&1 &
	SD_UNSHARE=$!
	defer sd_halt
	wait_until 10 sd_pid1_known
	poll_until 60 sd_booted ||
		fail "systemd did not boot: $(sctl is-system-running 2>&1); failed: $(sctl --failed --no-legend 2>&1); $(cat "$SD_LOG")"
}

# What systemd as PID 1 sets on the kernel it shares with the guest's
# later tests, put back after it.
SD_SYSCTLS="kernel.core_pattern fs.file-max fs.nr_open net.unix.max_dgram_qlen"

sd_save_sysctls() {
	local k

	for k in $SD_SYSCTLS; do
		defer sysctl -qw "$k=$(sysctl -n "$k")"
	done
}

sd_pid1_known() {
	SD_PID=$(pgrep -P "$SD_UNSHARE")
}

# systemd takes only its own namespace's processes for clients: its
# bus refuses a peer whose PID it cannot see.
sctl() {
	nsenter -t "$SD_PID" -m -p systemctl --no-pager "$@"
}

sd_journal() {
	nsenter -t "$SD_PID" -m -p journalctl --no-pager "$@"
}

sd_booted() {
	[ "$(sctl is-system-running 2>/dev/null)" = running ]
}

# Killing PID 1 ends every process of its namespace.
sd_halt() {
	kill -KILL "$SD_PID"
	wait "$SD_UNSHARE" || true
}

sd_cgroup_remove() {
	poll_until 10 find "$SD_CGROUP" -depth -type d -exec rmdir {} + 2>/dev/null
}

# unit_status UNIT: what to show when UNIT did not do what it should.
unit_status() {
	sctl status "$1" 2>&1 | head -20
	sctl show -p Result -p ExecMainCode -p ExecMainStatus "$1" 2>&1
	sd_journal -u "$1" -n 20 2>&1
}

# ---- the installed vmq ----

# install_staged: make install's tree unpacked into /, as a package's
# files would be, with the module index its postinst's depmod would
# have made (selftests/vm/run makes it on the host: depmod reads every
# module of the kernel, over a minute under TCG).  Removed after the
# last test, and the index put back as it was.
install_staged() {
	local mods d

	mods=/lib/modules/$(uname -r)
	[ -e "$STAGE$mods/modules.dep" ] ||
		fail "no $STAGE$mods/modules.dep: 'make stage-install KVER=$VMQ_KVER', then selftests/vm/run indexes it"
	INDEX=$(mktemp -d)
	defer rm -rf "$INDEX"
	cp -a "$mods"/modules.* "$INDEX/"
	NEW_DIRS=()
	while IFS= read -r d; do
		[ -d "/$d" ] || NEW_DIRS+=("/$d")
	done < <(cd "$STAGE" && find . -mindepth 1 -type d -printf '%P\n')
	tar -C "$STAGE" -c . | tar -C / -x --keep-directory-symlink --no-same-owner
	defer uninstall_staged "$mods"
}

uninstall_staged() {
	local f i

	while IFS= read -r f; do
		rm -f "/$f"
	done < <(cd "$STAGE" && find . ! -type d -printf '%P\n')
	for ((i = ${#NEW_DIRS[@]} - 1; i >= 0; i--)); do
		rmdir "${NEW_DIRS[i]}"
	done
	cp -a "$INDEX"/modules.* "$1/"
}

# The configuration, in vmqctl save's words: what an administrator gets
# from `vmqctl save > /etc/vmq/vmq.conf`.
write_conf() {
	mkdir_own "${CONF%/*}"
	defer rm -f "$CONF"
	cat > "$CONF" <<EOT
# /etc/vmq/vmq.conf
team attach 'bond0' mode min
adapter set 'igb0' base-processor 2 max-processors 2
vm add 'bond0' $VM1 name 'web'
EOT
}

# mkdir_own DIR: DIR made, and each directory of it made here removed
# on cleanup, and only those: the guest's own /etc stays as it was.
mkdir_own() {
	local d=$1
	local -a made=()

	while [ ! -d "$d" ]; do
		made=("$d" "${made[@]}")
		d=${d%/*}
	done
	mkdir -p "$1"
	for d in "${made[@]}"; do
		defer rmdir "$d"
	done
}

# without_comments: stdin's lines but its comments.
without_comments() {
	local line

	while IFS= read -r line; do
		[[ $line == '#'* ]] || printf '%s\n' "$line"
	done
}

# configuration_applied: vmq holds what vmq.conf says, nothing more.
configuration_applied() {
	vmq_loaded &&
		[ "$(vmqctl save 2>/dev/null | without_comments)" = \
		  "$(without_comments < "$CONF")" ]
}

# unit_started: vmq.conf written, vmq.service enabled and started, and
# the configuration applied; all undone when the test ends.
unit_started() {
	write_conf
	defer vmq_unload
	sctl enable --now vmq.service
	defer sctl disable --now vmq.service
	poll_until 30 configuration_applied ||
		fail "vmq.conf not applied: $(vmqctl save 2>&1); $(unit_status vmq.service)"
}

# pinned_irq: IRQ and CPU of VM1's queue on igb0, the active member,
# which vmq pinned.  (igb steers by no MAC: VM1 is a software VM, its
# queue one of igb0's RSS queues and its CPU the one it is steered to.)
pinned_irq() {
	wait_until 20 vm_placed
	read -r IRQ CPU < <(vmqctl -j queue show bond0 |
		jq -r --arg m $VM1 'first(.[] | select(.adapter == "igb0" and .vm_mac == $m) | "\(.irq) \(.cpu)")')
	[ -n "$IRQ" ] && [ "$IRQ" != null ] && [ -n "$CPU" ] && [ "$CPU" != null ] ||
		fail "VM1 has no queue with an IRQ and a CPU on igb0: $(vmqctl queue show)"
	check_eq "$(< "/proc/irq/$IRQ/smp_affinity_list")" "$CPU" "vmq's pin"
}

vm_placed() {
	[ "$(vm $VM1 cpu)" != null ]
}

repairs() {
	team_json bond0 | jq -r .repairs
}

# unit_log UNIT: what UNIT's running invocation logged.
unit_log() {
	sd_journal _SYSTEMD_INVOCATION_ID="$(sctl show -P InvocationID "$1")"
}

daemon_said() {
	unit_log vmq.service | grep -q "$1"
}

# ---- irqbalance ----

# An IRQ irqbalance may move (of no vmq adapter), on every CPU as at
# boot: once its affinity has changed, irqbalance has made a pass.
other_irq_spread() {
	OTHER_IRQ=$(awk '$NF ~ /^virtio.*input/ {sub(":", "", $1); print $1; exit}' \
		/proc/interrupts)
	[ -n "$OTHER_IRQ" ] || fail "no virtio input IRQ in /proc/interrupts"
	OTHER_AFF=$(< /sys/devices/system/cpu/online)
	echo "$OTHER_AFF" > "/proc/irq/$OTHER_IRQ/smp_affinity_list"
}

irqbalance_passed() {
	[ "$(< "/proc/irq/$OTHER_IRQ/smp_affinity_list")" != "$OTHER_AFF" ]
}

# irqbalance_running: Debian's irqbalance.service, with vmq's drop-in,
# started; stopped when the test ends.
irqbalance_running() {
	command -v irqbalance > /dev/null ||
		skip "no irqbalance (tools/install-deps installs it)"
	sctl start irqbalance.service
	defer sctl stop irqbalance.service
}

# irqbalance_started: irqbalance_running, and past its first balancing
# pass.  That pass comes after the policy script has run for every IRQ,
# a vmqctl each: 40 s was not enough with four guests on two cores.
irqbalance_started() {
	other_irq_spread
	irqbalance_running
	poll_until 90 irqbalance_passed ||
		fail "irqbalance made no pass: $(unit_status irqbalance.service)"
}

# Two runs of vmq's reconciler since irqbalance's pass was seen: a pin
# it moved (in the rest of that pass) is back and counted, or still off.
reconciled_twice() {
	trace_setup vmq_reconcile_work
	echo 1 > "$TRACE/tracing_on"
	wait_until 20 reconcile_ran_at_least 2
}

# ---- the tests ----

fixture() {
	vmq_loaded && fail "vmq is loaded already"
	save_affinities
	install_staged
	# As the host's network configuration makes it, before vmq starts.
	make_bond bond0 mode active-backup
	sd_boot
}

# Where modprobe and systemd look: the module under updates/, the unit
# and irqbalance's drop-in under /usr/local/lib/systemd, found by them.
test_installed_where_modprobe_and_systemd_look() {
	local dir=/usr/local/lib/systemd/system

	check_eq "$(modinfo -n vmq)" \
		"$(ls /lib/modules/"$(uname -r)"/updates/kmod/vmq.ko*)" "the module modprobe finds"
	check_eq "$(sctl show -P FragmentPath vmq.service)" "$dir/vmq.service" "vmq.service"
	check_contains "$(sctl show -P DropInPaths irqbalance.service)" \
		"$dir/irqbalance.service.d/vmq.conf" "irqbalance.service's drop-ins"
	[ -x /usr/local/lib/vmq/vmq-qemu-hook ] || fail "no libvirt hook"
	[ -x /usr/local/lib/vmq/vmq-irqbalance-policy ] || fail "no irqbalance policy"
}

# The unit loads the module and applies vmq.conf; a reload applies it
# again and changes nothing.
test_unit_loads_and_applies_the_configuration() {
	local pid

	unit_started
	check_eq "$(sctl is-enabled vmq.service)" enabled "vmq.service"
	# journald may store the line after the conf is applied.
	poll_until 10 daemon_said "restoring $CONF" ||
		fail "no restore said: $(unit_status vmq.service)"
	check_eq "$(unit_log vmq.service | grep -c "restoring $CONF")" 1 \
		"restores at start"
	pid=$(sctl show -P MainPID vmq.service)
	sctl reload vmq.service
	# ExecReload only sends SIGHUP: the restore it asks for is awaited.
	poll_until 30 daemon_said "restoring $CONF (SIGHUP)" ||
		fail "the reload restored nothing: $(unit_status vmq.service)"
	configuration_applied || fail "after a reload: $(vmqctl save)"
	check_eq "$(sctl show -P MainPID vmq.service)" "$pid" "the daemon after a reload"
	check_eq "$(sctl is-active vmq.service)" active "vmq.service after a reload"
}

# libvirtd's call for a domain starting with a macvtap on the bond, then
# stopping: the domain's VM comes and goes; vmq.conf's stays.
test_hook_registers_a_starting_domain() {
	local xml

	unit_started
	mkdir_own "${HOOK%/*}"
	ln -s /usr/local/lib/vmq/vmq-qemu-hook "$HOOK"
	defer rm -f "$HOOK"
	xml=$(mktemp)
	defer rm -f "$xml"
	cat > "$xml" <<EOT
<domain type='kvm' id='1'>
  <name>guest1</name>
  <devices>
    <interface type='direct'>
      <mac address='$DOMAIN_MAC'/>
      <source dev='bond0' mode='bridge'/>
      <target dev='macvtap0'/>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>
EOT
	"$HOOK" guest1 start begin - < "$xml"
	check_eq "$(vm $DOMAIN_MAC name)" guest1 "the domain's VM"
	"$HOOK" guest1 stopped end - < "$xml"
	check_eq "$(vm $DOMAIN_MAC name)" "" "the domain's VM once it stopped"
	configuration_applied || fail "vmq.conf's VMs: $(vmqctl save)"
}

# irqbalance's unit, sandboxed as Debian ships it plus vmq's drop-in,
# asks vmq's policy and leaves vmq's pins alone: nothing to repair.
test_irqbalance_unit_leaves_vmqs_pins() {
	local before

	unit_started
	pinned_irq
	before=$(repairs)
	irqbalance_started
	reconciled_twice
	check_eq "$(< "/proc/irq/$IRQ/smp_affinity_list")" "$CPU" \
		"VM1's IRQ after irqbalance's pass"
	check_eq "$(repairs)" "$before" "repairs"
}

# The module unloaded and loaded again under the running unit: its
# daemon waits for it and applies vmq.conf again.
test_module_reload_restores_the_configuration() {
	local pid

	unit_started
	pid=$(sctl show -P MainPID vmq.service)
	modprobe -r vmq
	modprobe vmq
	poll_until 30 configuration_applied ||
		fail "not applied again: $(vmqctl save 2>&1); $(unit_status vmq.service)"
	check_eq "$(sctl show -P MainPID vmq.service)" "$pid" "the daemon"
}

# A reboot, as vmq sees one: the unit stopped, the module gone, and the
# unit started again beside a running irqbalance, which its daemon tells
# to look again at the IRQs it had banned.
test_unit_restart_after_unload_restores_the_configuration() {
	local irqbalance

	unit_started
	irqbalance_running
	irqbalance=$(sctl show -P MainPID irqbalance.service)
	sctl stop vmq.service
	modprobe -r vmq
	sctl start vmq.service
	poll_until 30 configuration_applied ||
		fail "not applied again: $(vmqctl save 2>&1); $(unit_status vmq.service)"
	poll_until 30 daemon_said "asked irqbalance" ||
		fail "irqbalance not told: $(unit_status vmq.service)"
	# Told, not killed: a SIGHUP before its handler would end it, and
	# systemd would call that a clean exit.
	check_eq "$(sctl is-active irqbalance.service)" active "irqbalance, told"
	check_eq "$(sctl show -P MainPID irqbalance.service)" "$irqbalance" \
		"irqbalance's pid, told"
	pinned_irq
}

ktap_run -f fixture \
	test_installed_where_modprobe_and_systemd_look \
	test_unit_loads_and_applies_the_configuration \
	test_hook_registers_a_starting_domain \
	test_irqbalance_unit_leaves_vmqs_pins \
	test_module_reload_restores_the_configuration \
	test_unit_restart_after_unload_restores_the_configuration
