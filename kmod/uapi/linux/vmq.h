/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vmq.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_VMQ_H
#define _UAPI_LINUX_VMQ_H

#define VMQ_FAMILY_NAME		"vmq"
#define VMQ_FAMILY_VERSION	1

/**
 * enum vmq_team_mode - How a team's queues are counted and placed. auto is
 *   only ever requested; a team's effective queue mode is min or sum.
 * @VMQ_TEAM_MODE_AUTO: Derive min or sum from the bond's mode and xmit hash
 *   policy.
 * @VMQ_TEAM_MODE_MIN: Min-Queue: a guest's frames may arrive on any member, so
 *   its queue exists on every member and all members use the same CPUs. The
 *   team offers as many queues as its smallest member.
 * @VMQ_TEAM_MODE_SUM: Sum-Queue: a guest's frames always arrive on one member,
 *   so its queue exists on that member only and members use disjoint CPUs. The
 *   team offers the total of its members' queues.
 */
enum vmq_team_mode {
	VMQ_TEAM_MODE_AUTO,
	VMQ_TEAM_MODE_MIN,
	VMQ_TEAM_MODE_SUM,

	/* private: */
	__VMQ_TEAM_MODE_MAX,
	VMQ_TEAM_MODE_MAX = (__VMQ_TEAM_MODE_MAX - 1)
};

/**
 * enum vmq_team_state - Whether a team's processor sets keep its queue mode's
 *   rule.
 * @VMQ_TEAM_STATE_MISCONFIGURED: The sets break the rule (sum: they overlap;
 *   min: they differ); state-reason names the adapters and CPUs. VM queues
 *   fall back to the default queue until it is fixed.
 */
enum vmq_team_state {
	VMQ_TEAM_STATE_OK,
	VMQ_TEAM_STATE_MISCONFIGURED,
};

/**
 * enum vmq_procset_source - Where an adapter's processor set comes from.
 * @VMQ_PROCSET_EXPLICIT: The administrator's settings (adapter-set).
 */
enum vmq_procset_source {
	VMQ_PROCSET_PLANNER,
	VMQ_PROCSET_EXPLICIT,
};

/**
 * enum vmq_irq_method - How vmq found a queue's IRQ.
 * @VMQ_IRQ_NONE: Not found; the queue cannot be pinned.
 * @VMQ_IRQ_NAPI: The kernel's queue -> NAPI -> IRQ link (6.8+, drivers that
 *   set it).
 * @VMQ_IRQ_DRIVER: A known driver's MSI-X vector layout (igb, virtio-net).
 * @VMQ_IRQ_USER: Handed down by userspace.
 */
enum vmq_irq_method {
	VMQ_IRQ_NONE,
	VMQ_IRQ_NAPI,
	VMQ_IRQ_DRIVER,
	VMQ_IRQ_USER,
};

/**
 * enum vmq_vm_state - Where a VM's frames are received.
 * @VMQ_VM_STATE_HW: Its own hardware queue; rule(s) in, queue IRQ(s) pinned.
 * @VMQ_VM_STATE_DEFAULT: No queue free; waiting on the default queue, first
 *   come first served.
 * @VMQ_VM_STATE_NO_HW_STEERING: Queue and CPU chosen and the IRQ pinned, but
 *   the NIC cannot steer by destination MAC, so its frames still arrive by
 *   RSS.
 * @VMQ_VM_STATE_REFUSED: The NIC refused the rule (state-reason has its errno,
 *   or says that ntuple is off on the member); on the default queue.
 * @VMQ_VM_STATE_MISCONFIGURED: On the default queue until the team's processor
 *   sets are fixed.
 * @VMQ_VM_STATE_NO_MEMBER: Sum-queue, and no member can carry its frames.
 * @VMQ_VM_STATE_SW: No hardware queue of its own (state-reason says why); vmq
 *   hands its unicast frames to its CPU in software.
 */
enum vmq_vm_state {
	VMQ_VM_STATE_HW,
	VMQ_VM_STATE_DEFAULT,
	VMQ_VM_STATE_NO_HW_STEERING,
	VMQ_VM_STATE_REFUSED,
	VMQ_VM_STATE_MISCONFIGURED,
	VMQ_VM_STATE_NO_MEMBER,
	VMQ_VM_STATE_SW,
};

/**
 * enum vmq_steering - Which steering a team gives its VMs.
 * @VMQ_STEERING_AUTO: Hardware where the NIC can, software elsewhere.
 * @VMQ_STEERING_HW: Hardware only; a VM without a queue of its own stays where
 *   RSS puts it.
 * @VMQ_STEERING_SW: Software only; no ntuple rule is put in.
 * @VMQ_STEERING_OFF: None; vmq only counts.
 */
enum vmq_steering {
	VMQ_STEERING_AUTO,
	VMQ_STEERING_HW,
	VMQ_STEERING_SW,
	VMQ_STEERING_OFF,

	/* private: */
	__VMQ_STEERING_MAX,
	VMQ_STEERING_MAX = (__VMQ_STEERING_MAX - 1)
};

/**
 * enum vmq_event - What the monitor group reports.
 * @VMQ_EVENT_IRQS_WANTED: The adapter has queues whose IRQ vmq cannot find
 *   itself (6.1 without the queue to NAPI to IRQ link, a driver whose vectors
 *   it does not know); userspace may resolve them and hand them down with
 *   adapter-set. Sent once each time the set of such queues changes.
 */
enum vmq_event {
	VMQ_EVENT_TEAM_ATTACHED = 1,
	VMQ_EVENT_TEAM_DETACHED,
	VMQ_EVENT_MODE_CHANGED,
	VMQ_EVENT_MISCONFIGURED,
	VMQ_EVENT_FIXED,
	VMQ_EVENT_VM_PLACED,
	VMQ_EVENT_VM_MOVED,
	VMQ_EVENT_VM_DEFAULTED,
	VMQ_EVENT_REPAIRED,
	VMQ_EVENT_IRQS_WANTED,
};

enum {
	VMQ_A_MEMBER_IFINDEX = 1,
	VMQ_A_MEMBER_IFNAME,

	__VMQ_A_MEMBER_MAX,
	VMQ_A_MEMBER_MAX = (__VMQ_A_MEMBER_MAX - 1)
};

enum {
	VMQ_A_QUEUE_IRQ_INDEX = 1,
	VMQ_A_QUEUE_IRQ_IRQ,

	__VMQ_A_QUEUE_IRQ_MAX,
	VMQ_A_QUEUE_IRQ_MAX = (__VMQ_A_QUEUE_IRQ_MAX - 1)
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
	VMQ_A_TEAM_REPAIRS,
	VMQ_A_TEAM_STEERING,
	VMQ_A_TEAM_HOOK,

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
	VMQ_A_ADAPTER_MAC_STEERING,
	VMQ_A_ADAPTER_RULE_CAPACITY,
	VMQ_A_ADAPTER_RULES_USED,
	VMQ_A_ADAPTER_RSS_NARROWED,
	VMQ_A_ADAPTER_QUEUE_IRQ,

	__VMQ_A_ADAPTER_MAX,
	VMQ_A_ADAPTER_MAX = (__VMQ_A_ADAPTER_MAX - 1)
};

enum {
	VMQ_A_VM_TEAM_IFINDEX = 1,
	VMQ_A_VM_TEAM_IFNAME,
	VMQ_A_VM_MAC,
	VMQ_A_VM_VLAN,
	VMQ_A_VM_NAME,
	VMQ_A_VM_STATE,
	VMQ_A_VM_STATE_REASON,
	VMQ_A_VM_ADAPTER_IFINDEX,
	VMQ_A_VM_ADAPTER_IFNAME,
	VMQ_A_VM_QUEUE,
	VMQ_A_VM_CPU,
	VMQ_A_VM_RX_PACKETS,
	VMQ_A_VM_RX_BYTES,
	VMQ_A_VM_RX_ON_QUEUE,
	VMQ_A_VM_RX_ON_CPU,
	VMQ_A_VM_PAD,
	VMQ_A_VM_RX_SW_STEERED,
	VMQ_A_VM_RX_SW_DROPPED,

	__VMQ_A_VM_MAX,
	VMQ_A_VM_MAX = (__VMQ_A_VM_MAX - 1)
};

enum {
	VMQ_A_QUEUE_TEAM_IFINDEX = 1,
	VMQ_A_QUEUE_TEAM_IFNAME,
	VMQ_A_QUEUE_ADAPTER_IFINDEX,
	VMQ_A_QUEUE_ADAPTER_IFNAME,
	VMQ_A_QUEUE_INDEX,
	VMQ_A_QUEUE_DEFAULT,
	VMQ_A_QUEUE_IRQ,
	VMQ_A_QUEUE_IRQ_METHOD,
	VMQ_A_QUEUE_CPU,
	VMQ_A_QUEUE_VM_MAC,
	VMQ_A_QUEUE_VM_VLAN,
	VMQ_A_QUEUE_VM_NAME,
	VMQ_A_QUEUE_VM_STATE,
	VMQ_A_QUEUE_RULE_LOCATION,

	__VMQ_A_QUEUE_MAX,
	VMQ_A_QUEUE_MAX = (__VMQ_A_QUEUE_MAX - 1)
};

enum {
	VMQ_A_EVENT_TYPE = 1,
	VMQ_A_EVENT_TEAM_IFINDEX,
	VMQ_A_EVENT_TEAM_IFNAME,
	VMQ_A_EVENT_MESSAGE,
	VMQ_A_EVENT_VM_MAC,
	VMQ_A_EVENT_VM_VLAN,
	VMQ_A_EVENT_ADAPTER_IFINDEX,
	VMQ_A_EVENT_ADAPTER_IFNAME,

	__VMQ_A_EVENT_MAX,
	VMQ_A_EVENT_MAX = (__VMQ_A_EVENT_MAX - 1)
};

enum {
	VMQ_CMD_TEAM_GET = 1,
	VMQ_CMD_TEAM_ATTACH,
	VMQ_CMD_TEAM_DETACH,
	VMQ_CMD_TEAM_PLAN,
	VMQ_CMD_ADAPTER_GET,
	VMQ_CMD_ADAPTER_SET,
	VMQ_CMD_VM_ADD,
	VMQ_CMD_VM_DEL,
	VMQ_CMD_VM_GET,
	VMQ_CMD_QUEUE_GET,
	VMQ_CMD_EVENT_NTF,
	VMQ_CMD_TEAM_SET,

	__VMQ_CMD_MAX,
	VMQ_CMD_MAX = (__VMQ_CMD_MAX - 1)
};

#define VMQ_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_VMQ_H */
