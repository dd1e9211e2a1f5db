#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/libvirt/vmq-qemu-hook, as libvirtd runs it: "HOOK DOMAIN start -
# begin" with the domain's live XML on stdin registers the domain's
# interfaces that are behind a vmq team, named after the domain, and
# "stopped" deletes them.  The XML has the shapes libvirt emits for a
# bridge, a network (whose live XML names its bridge), a macvtap
# (direct) on the bond and on a VLAN of it, an Open vSwitch port with a
# VLAN tag, and interfaces vmq has nothing to do with.  On the QEMU igb
# pair.
#
# vmq-rig: only-on 6.1: the hook is userspace
# (what it asks of vmq, vm add and vm del, every other script asks on
# both kernels).

. "$VMQ_TOP/selftests/lib/vmq.sh"
. "$VMQ_TOP/selftests/lib/ovs.sh"

M1=52:54:00:6b:3c:01
M2=52:54:00:6b:3c:02
M3=52:54:00:6b:3c:03

setup() {
	vmq_load
	defer vmq_unload
	make_bond bond0 mode active-backup
	vmqctl team attach bond0
	defer vmqctl team detach bond0
	XML=$(mktemp)
	defer rm -f "$XML"
	# As make install writes it, running this vmqctl.
	installed_copy HOOK tools/libvirt/vmq-qemu-hook /tmp/vmq-qemu-hook.XXXXXX
}

# hook DOMAIN OPERATION: the hook as libvirtd calls it, the XML in $XML;
# it must exit 0 whatever happens, or libvirt fails the domain.
hook() {
	local sub=begin

	[ "$2" != stopped ] || sub=end
	"$HOOK" "$1" "$2" "$sub" - < "$XML" ||
		fail "the hook exited $? on $2"
}

# domain NAME INTERFACE...: a live domain XML, as virsh dumpxml shows a
# running domain, with these <interface> elements.
domain() {
	local name=$1

	shift
	cat > "$XML" <<EOT
<domain type='kvm' id='7'>
  <name>$name</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
  <memory unit='KiB'>1048576</memory>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
$(printf '%s\n' "$@")
    <console type='pty' tty='/dev/pts/1'>
      <target type='serial' port='0'/>
      <alias name='serial0'/>
    </console>
  </devices>
</domain>
EOT
}

# iface TYPE MAC SOURCE [EXTRA]: one <interface>, as libvirt formats it.
iface() {
	cat <<EOT
    <interface type='$1'>
      <mac address='$2'/>
      $3
      <target dev='vnet$((RANDOM % 100))'/>
      <model type='virtio'/>
      $4
      <alias name='net0'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
EOT
}

vms() {
	vmqctl -j vm show bond0 |
		jq -r '.[] | [.mac, (.vlan // "-"), .name] | map(tostring) | join(" ")' |
		sort
}

test_bridge_and_network() {
	setup
	ip link add vmqt_br type bridge
	defer ip link del vmqt_br
	ip link set bond0 master vmqt_br
	domain web1 \
		"$(iface bridge $M1 "<source bridge='vmqt_br'/>")" \
		"$(iface network $M2 "<source network='default' portid='8f1a5e9c-3f0e-4d61-9a55-1c2c0d8a7b11' bridge='vmqt_br'/>")"
	hook web1 start
	check_eq "$(vms)" "$M1 - web1
$M2 - web1" "the VMs"
}

test_macvtap_on_the_bond_and_a_vlan() {
	setup
	ip link add link bond0 name bond0.10 type vlan id 10
	defer ip link del bond0.10
	domain db1 \
		"$(iface direct $M1 "<source dev='bond0' mode='bridge'/>")" \
		"$(iface direct $M2 "<source dev='bond0.10' mode='bridge'/>")"
	hook db1 start
	check_eq "$(vms)" "$M1 - db1
$M2 10 db1" "the VMs"
}

# An OVS port's tag is the VM's VLAN; a trunk cannot be one VM.
test_ovs_port_tag() {
	setup
	ovs_start
	ovs-vsctl add-br vmqt_ovs
	defer ovs-vsctl --if-exists del-br vmqt_ovs
	ovs-vsctl add-port vmqt_ovs bond0
	domain app1 \
		"$(iface bridge $M1 "<source bridge='vmqt_ovs'/>" "<virtualport type='openvswitch'><parameters interfaceid='0b6e3c55-6f7e-4b1a-9a43-0f5b6f1f9a01'/></virtualport><vlan><tag id='42'/></vlan>")" \
		"$(iface bridge $M2 "<source bridge='vmqt_ovs'/>" "<virtualport type='openvswitch'/><vlan trunk='yes'><tag id='42'/><tag id='43'/></vlan>")"
	hook app1 start
	check_eq "$(vms)" "$M1 42 app1" "the VMs"
}

# Several interfaces, some of which vmq has nothing to do with: a bridge
# without the bond, user networking, a host device.
test_only_interfaces_behind_a_team() {
	setup
	ip link add vmqt_other type bridge
	defer ip link del vmqt_other
	domain mixed \
		"$(iface direct $M1 "<source dev='bond0' mode='vepa'/>")" \
		"$(iface bridge $M2 "<source bridge='vmqt_other'/>")" \
		"$(iface user $M3 "")" \
		"    <interface type='hostdev' managed='yes'><mac address='52:54:00:6b:3c:04'/><source><address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x1'/></source></interface>"
	hook mixed start
	check_eq "$(vms)" "$M1 - mixed" "the VMs"
}

# libvirtd restarted: reconnect finds the VMs there, and changes nothing.
test_reconnect_changes_nothing() {
	setup
	domain web1 "$(iface direct $M1 "<source dev='bond0' mode='bridge'/>")"
	hook web1 start
	hook web1 reconnect
	check_eq "$(vms)" "$M1 - web1" "the VMs"
}

# stopped deletes the domain's VMs and no other: an administrator's VM
# on the same team, and another domain's, stay.
test_stopped_deletes_the_domains_vms_only() {
	setup
	vmqctl vm add bond0 $M3 name admins
	domain web2 "$(iface direct $M2 "<source dev='bond0' mode='bridge'/>")"
	hook web2 start
	domain web1 "$(iface direct $M1 "<source dev='bond0' mode='bridge'/>")"
	hook web1 start
	hook web1 stopped
	check_eq "$(vms)" "$M2 - web2
$M3 - admins" "the VMs left"
}

# A VM's name holds 31 bytes; libvirt's domain names may be longer.
test_long_domain_name_cut() {
	local long=web-frontend-production-eu-west-7

	setup
	domain $long "$(iface direct $M1 "<source dev='bond0' mode='bridge'/>")"
	hook $long start
	check_eq "$(vms)" "$M1 - ${long:0:31}" "the VMs"
	hook $long stopped
	check_eq "$(vms)" "" "the VMs after stopped"
}

# No team (or no module): the domain starts, nothing is added.
test_no_team_no_harm() {
	setup
	vmqctl team detach bond0
	domain web1 "$(iface direct $M1 "<source dev='bond0' mode='bridge'/>")"
	hook web1 start
	vmq_unload
	hook web1 start
	hook web1 stopped
}

ktap_run \
	test_bridge_and_network \
	test_macvtap_on_the_bond_and_a_vlan \
	test_ovs_port_tag \
	test_only_interfaces_behind_a_team \
	test_reconnect_changes_nothing \
	test_stopped_deletes_the_domains_vms_only \
	test_long_domain_name_cut \
	test_no_team_no_harm
