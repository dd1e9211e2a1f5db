#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmq's netlink spec, spoken by a client nobody here wrote: the kernel's
# ynl CLI (tools/net/ynl/cli.py of linux-source-6.12, unpacked by
# tools/kernel-tools) reads Documentation/netlink/specs/vmq.yaml and
# nothing else of vmq's, dumps the teams, adapters and VMs, adds a VM
# while subscribed to the monitor group, hears the event, deletes the
# VM, and gets vmq's refusal of a duplicate add with its errno and
# extack message; and the policies the module enforces, as the kernel's
# nlctrl reports them, are the spec's.  On the QEMU igb pair.
#
# vmq-rig: only-on 6.12: the client is 6.12's, and userspace
# (the family it talks to is the same code on both kernels, and
# nl_fuzz.sh sends such requests by hand on both).

. "$VMQ_TOP/selftests/lib/vmq.sh"

SPEC=$VMQ_TOP/Documentation/netlink/specs/vmq.yaml
VM1=52:54:00:bb:00:01
VM1_HEX=525400bb0001
VM2=52:54:00:bb:00:02

# ynl ARGS...: the CLI on vmq's spec, its replies as JSON.  Its schema
# check is the host's (selftests/spec-check): jsonschema under TCG would
# take most of a minute per call.
ynl() {
	python3 "$YNL" --spec "$SPEC" --no-schema --output-json "$@"
}

# ynl_add_heard JSON: a VM added by ynl's library (the CLI's) on one
# socket while another is subscribed to the monitor group; prints what
# the subscribed socket heard, as JSON.  Two sockets, because 6.12's
# cli.py, subscribed and doing on one, fails when the notification comes
# before the ack (AttributeError in YnlFamily._ops).
ynl_add_heard() {
	python3 - "${YNL%/*}" "$SPEC" "$1" <<'EOT'
import json
import sys

sys.path.insert(0, sys.argv[1])
from lib import YnlFamily  # noqa: E402

listener = YnlFamily(sys.argv[2], '')
listener.ntf_subscribe('monitor')
YnlFamily(sys.argv[2], '').do('vm-add', json.loads(sys.argv[3]))
listener.check_ntf()
print(json.dumps(listener.async_msg_queue,
                 default=lambda o: o.hex() if isinstance(o, bytes) else str(o)))
EOT
}

# ynl_batch: each line on stdin, "do|dump OP JSON", through ynl's
# library in one process (each CLI call is seconds of Python under TCG);
# prints per line {"reply": ...} or {"error": ERRNO, "msg": EXTACK}.
ynl_batch() {
	python3 - "${YNL%/*}" "$SPEC" "$(cat)" <<'EOT'
import json
import sys

sys.path.insert(0, sys.argv[1])
from lib import NlError, YnlFamily  # noqa: E402

ynl = YnlFamily(sys.argv[2], '')
for line in sys.argv[3].splitlines():
    mode, op, vals = line.split(None, 2)
    try:
        out = {"reply": getattr(ynl, mode)(op, json.loads(vals))}
    except NlError as e:
        out = {"error": e.error, "msg": (e.nl_msg.extack or {}).get("msg")}
    print(json.dumps(out, default=lambda o: o.hex()
                     if isinstance(o, bytes) else str(o)), flush=True)
EOT
}

fixture() {
	local ktools

	ktools=$("$VMQ_TOP/tools/kernel-tools")
	YNL=$ktools/tools/net/ynl/cli.py
	NLCTRL=$ktools/Documentation/netlink/specs/nlctrl.yaml
	vmq_load
	defer vmq_unload
	# Two teams, one member each: so that a dump's filter has something
	# to leave out.
	ip link add bond0 type bond mode active-backup
	defer ip link del bond0
	enslave bond0 igb0
	ip link add bond1 type bond mode active-backup
	defer ip link del bond1
	enslave bond1 igb1
	ip link set bond0 up
	ip link set bond1 up
	vmqctl team attach bond0 mode min
	defer vmqctl team detach bond0
	vmqctl team attach bond1 mode min
	defer vmqctl team detach bond1
	OUT=$(mktemp)
	defer rm -f "$OUT"
}

test_dump_teams() {
	ynl --dump team-get > "$OUT"
	check_eq "$(jq -r '[.[].ifname] | sort | join(" ")' "$OUT")" \
		"bond0 bond1" "teams"
	check_eq "$(jq -r '.[] | select(.ifname == "bond0") | ."queue-mode"' "$OUT")" \
		min "bond0's queue mode"
	check_eq "$(jq -r '.[] | select(.ifname == "bond1") | [.member[].ifname] | join(" ")' "$OUT")" \
		igb1 "bond1's members"
}

test_dump_adapters() {
	ynl --dump adapter-get > "$OUT"
	check_eq "$(jq -r '[.[].ifname] | sort | join(" ")' "$OUT")" \
		"igb0 igb1" "adapters"
}

# team-plan's reply nests plan-adapter, a subset of adapter's attributes
# (subset-of in the spec): ynl reads each member's plan through it.
test_plan_read_through_the_subset() {
	ynl --do team-plan --json '{"ifname": "bond0"}' > "$OUT"
	diag "plan: $(jq -c '."plan-adapter"' "$OUT")"
	check_eq "$(jq -r '[."plan-adapter"[].ifname] | sort | join(" ")' "$OUT")" \
		igb0 "the members planned"
	check_eq "$(jq '[."plan-adapter"[].processor |
			type == "array" and length > 0 and all(type == "number")] | all' "$OUT")" \
		true "each member's planned CPUs, a list of numbers"
}

# Each command's do policy, as the kernel's getpolicy dump gives it, has
# the attributes of the spec's request, of their types, within their
# checks (lib/spec_policy.py): netlink.c hands each command its own
# policy of kmod/nl_policy.h.
test_policies_are_the_specs() {
	local rc=0

	python3 "$VMQ_TOP/selftests/lib/spec_policy.py" "${YNL%/*}" "$SPEC" \
		"$NLCTRL" > "$OUT" 2>&1 || rc=$?
	diag "$(cat "$OUT")"
	check_eq "$rc" 0 "the module's policies against the spec"
	check_contains "$(tail -1 "$OUT")" "12 requests checked" "requests checked"
}

# Dumps filtered by the kernel (the spec's dump requests): a team's VMs
# and queues, an adapter's queues; none of another team's.
test_dumps_filtered() {
	defer vmqctl vm del bond0 $VM1
	defer vmqctl vm del bond1 $VM2
	vmqctl vm add bond0 $VM1
	vmqctl vm add bond1 $VM2
	ynl_batch > "$OUT" <<-EOT
	dump vm-get {"team-ifname": "bond0"}
	dump vm-get {"team-ifname": "bond1"}
	dump queue-get {"adapter-ifname": "igb1"}
	EOT
	check_eq "$(jq -rs '.[0].reply | map(.mac) | join(" ")' "$OUT")" $VM1 "bond0's VMs"
	check_eq "$(jq -rs '.[1].reply | map(.mac) | join(" ")' "$OUT")" $VM2 "bond1's VMs"
	check_eq "$(jq -rs '.[2].reply | map(."adapter-ifname") | unique | join(" ")' "$OUT")" \
		igb1 "igb1's queues, only"
	check_eq "$(jq -s '.[2].reply | length' "$OUT")" \
		"$(vmqctl -j adapter show igb1 | jq '.[0].queues')" "igb1's queues, all"
	# vmqctl asks the same way.
	check_eq "$(vmqctl -j vm show bond1 | jq -r '[.[].mac] | join(" ")')" \
		$VM2 "vmqctl vm show bond1"
	check_eq "$(vmqctl -j queue show bond0 | jq -r '[.[].adapter] | unique | join(" ")')" \
		igb0 "vmqctl queue show bond0"
}

# A filter holds for every round of a dump: bond1's 300 VMs (some 200
# bytes each) take more than one round of at most 32 KB (netlink_dump()),
# and none of bond0's is in any.
test_dump_filter_across_rounds() {
	local i

	defer vmqctl vm del bond0 $VM1
	vmqctl vm add bond0 $VM1
	for i in $(seq 0 299); do
		printf 'vm add bond1 52:54:00:cc:%02x:%02x\n' $((i / 256)) $((i % 256))
	done > "$OUT"
	defer eval "sed 's/ add / del /' '$OUT' > '$OUT.del'; vmqctl -b '$OUT.del'; rm -f '$OUT.del'"
	vmqctl -b "$OUT"
	ynl_batch > "$OUT.dump" <<-EOT
	dump vm-get {"team-ifname": "bond1"}
	EOT
	defer rm -f "$OUT.dump"
	check_eq "$(jq -s '.[0].reply | length' "$OUT.dump")" 300 "bond1's VMs, all"
	check_eq "$(jq -rs '.[0].reply | map(."team-ifname") | unique | join(" ")' "$OUT.dump")" \
		bond1 "bond1's VMs, only"
}

# A filter naming what is no team, or an adapter of another team, or one
# the dump does not take (a VM's MAC), is refused in the dump's first
# round, with a message.
test_dump_filter_refused() {
	ynl_batch > "$OUT" <<-EOT
	dump vm-get {"team-ifname": "lo"}
	dump queue-get {"team-ifname": "bond0", "adapter-ifname": "igb1"}
	dump vm-get {"team-ifname": "bond0", "mac": "$VM1_HEX"}
	dump team-get {"ifname": "bond0"}
	EOT
	diag "$(cat "$OUT")"
	check_eq "$(jq -rs 'map("\(.error) \(.msg)") | .[]' "$OUT")" \
		"$(printf '%s\n' "2 vmq is not attached to lo" \
			"22 igb1 is not a member of bond0" \
			"22 Unknown attribute type" \
			"22 Unknown attribute type")" "the errnos and messages"
	check_contains "$(vmqctl vm show lo 2>&1)" "vmq is not attached to lo" \
		"vmqctl's error"
}

# Added while subscribed: the event names the VM; the dump shows it, as
# vmqctl does; deleted, it is gone.
test_add_heard_and_del() {
	defer vmqctl vm del bond0 $VM1
	ynl_add_heard "{\"team-ifname\": \"bond0\", \"mac\": \"$VM1_HEX\", \"name\": \"ynl\"}" \
		> "$OUT"
	jq -e --arg m $VM1 'map(select(.name == "event-ntf" and .msg."vm-mac" == $m)) | length > 0' \
		"$OUT" > /dev/null || fail "no event for the VM: $(cat "$OUT")"
	diag "heard: $(jq -r '[.[].msg | "\(.type) \(."vm-mac" // "")"] | join(", ")' "$OUT")"
	ynl --dump vm-get > "$OUT"
	check_eq "$(jq -r --arg m $VM1 '.[] | select(.mac == $m) | .name' "$OUT")" \
		ynl "the VM's name in ynl's dump"
	check_eq "$(vm $VM1 name)" ynl "the VM's name in vmqctl's"
	ynl --do vm-del --json "{\"team-ifname\": \"bond0\", \"mac\": \"$VM1_HEX\"}" > "$OUT"
	ynl --dump vm-get > "$OUT"
	jq -e --arg m $VM1 'map(select(.mac == $m)) | length == 0' "$OUT" \
		> /dev/null || fail "the VM is still in ynl's dump: $(cat "$OUT")"
}

# A duplicate add: EEXIST, with the extack message vmqctl prints too.
test_duplicate_add_refused_with_extack() {
	local rc=0 msg

	vmqctl vm add bond0 $VM1
	defer vmqctl vm del bond0 $VM1
	ynl --do vm-add --json "{\"team-ifname\": \"bond0\", \"mac\": \"$VM1_HEX\"}" \
		> "$OUT" 2>&1 || rc=$?
	check_eq "$rc" 1 "ynl's exit status"
	check_contains "$(cat "$OUT")" "File exists" "ynl's error"
	[[ $(cat "$OUT") =~ \'msg\':\ \'([^\']+)\' ]] ||
		fail "no extack message: $(cat "$OUT")"
	msg=${BASH_REMATCH[1]}
	check_contains "$(vmqctl vm add bond0 $VM1 2>&1)" "$msg" "vmqctl's error"
}

ktap_run -f fixture \
	test_dump_teams \
	test_dump_adapters \
	test_plan_read_through_the_subset \
	test_policies_are_the_specs \
	test_dumps_filtered \
	test_dump_filter_across_rounds \
	test_dump_filter_refused \
	test_add_heard_and_del \
	test_duplicate_add_refused_with_extack
