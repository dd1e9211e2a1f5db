/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmq's model: teams, their adapters and VMs, and what vmq did to each
 * adapter's queues.  The model is desired state; place.c decides where
 * VMs go, and only the sync step (sync.c) makes the hardware match.
 */
#ifndef _VMQ_MODEL_H
#define _VMQ_MODEL_H

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>

#include <linux/vmq.h>
#include "core/assign.h"
#include "core/procset.h"
#include "core/teammode.h"

/* Per network namespace: the teams whose bond lives in it.  RTNL. */
struct vmq_net {
	struct list_head teams;
	/* bumped on each change a dump shows (vmq_team_changed()); never 0 */
	unsigned int gen;
};

struct vmq_team_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	struct u64_stats_sync syncp;
};

struct vmq_adapter_hw;

/*
 * A bond member, as Get-NetAdapterVmq shows a team's NICs.  Its processor
 * set comes from explicit settings (adapter set) or from the planner.
 */
struct vmq_adapter {
	struct list_head node;		/* in vmq_team.adapters, bond order */
	struct vmq_team *team;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	bool explicit_procs;		/* cfg holds the administrator's set */
	struct vmq_proc_cfg cfg;
	unsigned int default_queues;
	bool enabled;
	struct vmq_cpuset procs;	/* the set in force */
	bool steering;			/* takes destination-MAC rules */
	bool steering_known;		/* ... as a rule insert proved */
	int steering_err;		/* why not, if it does not */
	/* what the sync step did to its hardware (sync.c), or NULL */
	struct vmq_adapter_hw *hw;
	struct nf_hook_ops hook;	/* its ingress hook: the receive path */
	bool hooked;
	int hook_err;			/* why not, as last warned */
};

/* A team holds at most this many VMs (queue owners are small ids). */
#define VMQ_MAX_VMS		4096
#define VMQ_VM_NAME_LEN		32
#define VMQ_VM_REASON_LEN	64

struct vmq_vm_pcpu_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t on_queue;		/* arrived on the VM's queue */
	u64_stats_t on_cpu;		/* processed on the VM's CPU */
	u64_stats_t sw_steered;		/* handed to its CPU in software */
	u64_stats_t sw_dropped;		/* ... and dropped: that queue was full */
	struct u64_stats_sync syncp;
};

/* How the receive path finds a VM: its MAC and 802.1Q VID. */
struct vmq_vm_key {
	u8 mac[ETH_ALEN];
	u16 vid;			/* VMQ_VM_UNTAGGED: none */
};

#define VMQ_VM_UNTAGGED		0xffff

/*
 * A guest MAC (+VLAN), as Get-NetAdapterVmqQueue lists them.  Placed
 * under RTNL; the receive path finds it by its key under RCU and reads
 * the fields of the first cache line with READ_ONCE (vmq_vm_init()
 * checks they fit).  That line is read by every lookup that passes the
 * VM, so it is written only when the VM's steering CPU changes; the
 * place of its last steered frame, written per frame, lives apart.
 */
struct vmq_vm {
	/* The receive path's, per frame. */
	struct rhash_head hnode;	/* in vmq_team.vm_table, RCU */
	struct vmq_vm_key key;
	int sw_cpu;			/* software steering's CPU, or -1 */
	int rx_cpu;			/* -1 also while its IRQ is not pinned */
	int rx_queue;			/* -1 when not on a queue of its own */
	int rx_ifindex;			/* Sum: its member's; Min: 0, any */
	int q_cpu;			/* the CPU it last queued a frame to */
	struct vmq_vm_pcpu_stats __percpu *stats;

	/* The receive path's, per steered frame, read while q_cpu changes. */
	unsigned long q_tail ____cacheline_aligned_in_smp; /* on q_cpu */

	/* The control path's. */
	struct list_head node;		/* in vmq_team.vms, arrival order */
	struct rcu_head rcu;
	struct vmq_team *team;
	int vlan;			/* -1: untagged */
	char name[VMQ_VM_NAME_LEN];
	int id;				/* owner id in the queue assignment */
	u64 seq;			/* arrival order */
	struct vmq_qa_slot slot;
	enum vmq_vm_state state;
	char reason[VMQ_VM_REASON_LEN];
	struct net_device *member;	/* Sum: the member it is placed on */
	int sw_load_cpu;		/* ... as counted in the assignment */
	bool irq_pinned;		/* on every member carrying it */
	/* what the monitor group was last told */
	enum vmq_vm_state told_state;
	enum vmq_vm_state told_why;	/* a sw VM's state underneath */
	int told_queue, told_cpu;
	struct net_device *told_member;
};

struct vmq_vm_stats {
	u64 packets, bytes, on_queue, on_cpu, sw_steered, sw_dropped;
};

/*
 * vmq attached to one bond.  Control state is changed under RTNL only;
 * the receive path reaches the team through a member's ingress hook
 * under RCU and writes nothing of it but its own CPU's counters.
 */
struct vmq_team {
	struct list_head node;		/* in vmq_net.teams */
	struct net_device *bond;
	netdevice_tracker bond_tracker;
	enum vmq_team_mode requested_mode;
	enum vmq_steering steering;
	enum vmq_team_mode queue_mode;
	char mode_reason[VMQ_MODE_REASON_LEN];
	enum vmq_team_state state;
	char state_reason[VMQ_CONFLICT_MSG_LEN];
	bool nested;			/* misconfigured: a port of a bond/team */
	struct list_head adapters;
	unsigned int nr_adapters;
	/* members that left, until the sync step has undone their queues */
	struct list_head departed;
	struct vmq_qa *qa;		/* queue assignment, as placed */
	struct list_head vms;
	unsigned int nr_vms;
	struct rhashtable vm_table;	/* by vmq_vm_key, RCU */
	struct ida vm_ids;
	u64 vm_seq;
	u64 repairs;
	bool refresh_pending;		/* refresh once bonding has committed */
	bool verify_pending;		/* ... and check the NICs against it */
	bool replace_pending;		/* place every VM afresh, once */
	struct list_head all_node;	/* in the global list of teams */
	struct vmq_team_pcpu_stats __percpu *stats;
};

struct vmq_team_stats {
	u64 rx_packets;
	u64 rx_bytes;
};

#endif /* _VMQ_MODEL_H */
