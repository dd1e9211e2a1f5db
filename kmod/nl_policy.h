/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly: tools/ynl-regen takes it out of what ynl-gen */
/* makes of Documentation/netlink/specs/vmq.yaml. */

#ifndef _VMQ_NL_POLICY_H
#define _VMQ_NL_POLICY_H

/* Common nested types */
static const struct nla_policy vmq_queue_irq_nl_policy[VMQ_A_QUEUE_IRQ_IRQ + 1] = {
	[VMQ_A_QUEUE_IRQ_INDEX] = NLA_POLICY_MAX(NLA_U32, 63),
	[VMQ_A_QUEUE_IRQ_IRQ] = { .type = NLA_U32, },
};

/* VMQ_CMD_TEAM_GET - do */
static const struct nla_policy vmq_team_get_nl_policy[VMQ_A_TEAM_IFNAME + 1] = {
	[VMQ_A_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* VMQ_CMD_TEAM_ATTACH - do */
static const struct nla_policy vmq_team_attach_nl_policy[VMQ_A_TEAM_MODE + 1] = {
	[VMQ_A_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_TEAM_MODE] = NLA_POLICY_MAX(NLA_U32, 2),
};

/* VMQ_CMD_TEAM_DETACH - do */
static const struct nla_policy vmq_team_detach_nl_policy[VMQ_A_TEAM_IFNAME + 1] = {
	[VMQ_A_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* VMQ_CMD_TEAM_PLAN - do */
static const struct nla_policy vmq_team_plan_nl_policy[VMQ_A_TEAM_APPLY + 1] = {
	[VMQ_A_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_TEAM_APPLY] = { .type = NLA_FLAG, },
};

/* VMQ_CMD_ADAPTER_GET - do */
static const struct nla_policy vmq_adapter_get_nl_policy[VMQ_A_ADAPTER_IFNAME + 1] = {
	[VMQ_A_ADAPTER_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_ADAPTER_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* VMQ_CMD_ADAPTER_SET - do */
static const struct nla_policy vmq_adapter_set_nl_policy[VMQ_A_ADAPTER_QUEUE_IRQ + 1] = {
	[VMQ_A_ADAPTER_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_ADAPTER_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_ADAPTER_BASE_PROCESSOR] = { .type = NLA_U32, },
	[VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER] = { .type = NLA_U32, },
	[VMQ_A_ADAPTER_MAX_PROCESSORS] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_ADAPTER_NUMA_NODE] = { .type = NLA_U32, },
	[VMQ_A_ADAPTER_DEFAULT_QUEUES] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_ADAPTER_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[VMQ_A_ADAPTER_PROCESSORS_AUTO] = { .type = NLA_FLAG, },
	[VMQ_A_ADAPTER_QUEUE_IRQ] = NLA_POLICY_NESTED(vmq_queue_irq_nl_policy),
};

/* VMQ_CMD_VM_ADD - do */
static const struct nla_policy vmq_vm_add_nl_policy[VMQ_A_VM_NAME + 1] = {
	[VMQ_A_VM_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_VM_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_VM_MAC] = NLA_POLICY_EXACT_LEN(6),
	[VMQ_A_VM_VLAN] = NLA_POLICY_MAX(NLA_U16, 4094),
	[VMQ_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* VMQ_CMD_VM_DEL - do */
static const struct nla_policy vmq_vm_del_nl_policy[VMQ_A_VM_VLAN + 1] = {
	[VMQ_A_VM_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_VM_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_VM_MAC] = NLA_POLICY_EXACT_LEN(6),
	[VMQ_A_VM_VLAN] = NLA_POLICY_MAX(NLA_U16, 4094),
};

/* VMQ_CMD_VM_GET - do */
static const struct nla_policy vmq_vm_get_do_nl_policy[VMQ_A_VM_VLAN + 1] = {
	[VMQ_A_VM_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_VM_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_VM_MAC] = NLA_POLICY_EXACT_LEN(6),
	[VMQ_A_VM_VLAN] = NLA_POLICY_MAX(NLA_U16, 4094),
};

/* VMQ_CMD_VM_GET - dump */
static const struct nla_policy vmq_vm_get_dump_nl_policy[VMQ_A_VM_TEAM_IFNAME + 1] = {
	[VMQ_A_VM_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_VM_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* VMQ_CMD_QUEUE_GET - dump */
static const struct nla_policy vmq_queue_get_nl_policy[VMQ_A_QUEUE_ADAPTER_IFNAME + 1] = {
	[VMQ_A_QUEUE_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_QUEUE_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_QUEUE_ADAPTER_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_QUEUE_ADAPTER_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* VMQ_CMD_TEAM_SET - do */
static const struct nla_policy vmq_team_set_nl_policy[VMQ_A_TEAM_STEERING + 1] = {
	[VMQ_A_TEAM_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_TEAM_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VMQ_A_TEAM_STEERING] = NLA_POLICY_MAX(NLA_U32, 3),
};

#endif /* _VMQ_NL_POLICY_H */
