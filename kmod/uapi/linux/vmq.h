/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * vmq generic netlink family: the userspace API.
 *
 * Written by hand to match Documentation/netlink/specs/vmq.yaml, laid out
 * the way the kernel's ynl-gen lays out its uapi headers.  Shared by the
 * module (kmod/) and vmqctl (tools/vmqctl/): this is the one copy.
 */
#ifndef _UAPI_LINUX_VMQ_H
#define _UAPI_LINUX_VMQ_H

#define VMQ_FAMILY_NAME		"vmq"
#define VMQ_FAMILY_VERSION	1

/*
 * How a team's queues are counted and placed, after Windows NIC teaming.
 * AUTO is only ever requested: a team's effective queue mode is MIN or SUM.
 */
enum vmq_team_mode {
	VMQ_TEAM_MODE_AUTO,
	VMQ_TEAM_MODE_MIN,
	VMQ_TEAM_MODE_SUM,

	/* private: */
	__VMQ_TEAM_MODE_MAX,
	VMQ_TEAM_MODE_MAX = (__VMQ_TEAM_MODE_MAX - 1)
};

/* Whether a team's processor sets keep its queue mode's rule. */
enum vmq_team_state {
	VMQ_TEAM_STATE_OK,
	VMQ_TEAM_STATE_MISCONFIGURED,
};

/* Where an adapter's processor set comes from. */
enum vmq_procset_source {
	VMQ_PROCSET_PLANNER,
	VMQ_PROCSET_EXPLICIT,
};

/* How vmq found a queue's IRQ. */
enum vmq_irq_method {
	VMQ_IRQ_NONE,
	VMQ_IRQ_NAPI,
	VMQ_IRQ_DRIVER,
	VMQ_IRQ_USER,
};

/* Where a VM's frames are received. */
enum vmq_vm_state {
	VMQ_VM_STATE_HW,
	VMQ_VM_STATE_DEFAULT,
	VMQ_VM_STATE_NO_HW_STEERING,
	VMQ_VM_STATE_REFUSED,
	VMQ_VM_STATE_MISCONFIGURED,
	VMQ_VM_STATE_NO_MEMBER,
};

enum {
	VMQ_A_MEMBER_IFINDEX = 1,
	VMQ_A_MEMBER_IFNAME,

	__VMQ_A_MEMBER_MAX,
	VMQ_A_MEMBER_MAX = (__VMQ_A_MEMBER_MAX - 1)
};

enum {
	VMQ_A_TEAM_IFINDEX = 1,
	VMQ_A_TEAM_IFNAME,
	VMQ_A_TEAM_MODE,
	VMQ_A_TEAM_QUEUE_MODE,
	VMQ_A_TEAM_MODE_REASON,
	VMQ_A_TEAM_MEMBER,
	VMQ_A_TEAM_RX_PACKETS,
	VMQ_A_TEAM_RX_BYTES,
	VMQ_A_TEAM_PAD,
	VMQ_A_TEAM_QUEUE_COUNT,
	VMQ_A_TEAM_VM_QUEUE_COUNT,
	VMQ_A_TEAM_STATE,
	VMQ_A_TEAM_STATE_REASON,
	VMQ_A_TEAM_PLAN_ADAPTER,
	VMQ_A_TEAM_APPLY,

	__VMQ_A_TEAM_MAX,
	VMQ_A_TEAM_MAX = (__VMQ_A_TEAM_MAX - 1)
};

enum {
	VMQ_A_ADAPTER_IFINDEX = 1,
	VMQ_A_ADAPTER_IFNAME,
	VMQ_A_ADAPTER_TEAM_IFINDEX,
	VMQ_A_ADAPTER_TEAM_IFNAME,
	VMQ_A_ADAPTER_BASE_PROCESSOR,
	VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER,
	VMQ_A_ADAPTER_MAX_PROCESSORS,
	VMQ_A_ADAPTER_NUMA_NODE,
	VMQ_A_ADAPTER_DEFAULT_QUEUES,
	VMQ_A_ADAPTER_ENABLED,
	VMQ_A_ADAPTER_PROCESSORS_AUTO,
	VMQ_A_ADAPTER_PROCSET_SOURCE,
	VMQ_A_ADAPTER_PROCESSOR,
	VMQ_A_ADAPTER_NIC_NUMA_NODE,
	VMQ_A_ADAPTER_QUEUES,
	VMQ_A_ADAPTER_REASON,

	__VMQ_A_ADAPTER_MAX,
	VMQ_A_ADAPTER_MAX = (__VMQ_A_ADAPTER_MAX - 1)
};

enum {
	VMQ_CMD_TEAM_GET = 1,
	VMQ_CMD_TEAM_ATTACH,
	VMQ_CMD_TEAM_DETACH,
	VMQ_CMD_TEAM_PLAN,
	VMQ_CMD_ADAPTER_GET,
	VMQ_CMD_ADAPTER_SET,

	__VMQ_CMD_MAX,
	VMQ_CMD_MAX = (__VMQ_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_VMQ_H */
