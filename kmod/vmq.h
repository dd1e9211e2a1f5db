/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmq internals shared by the module's kernel glue.
 */
#ifndef _VMQ_H
#define _VMQ_H

#include <linux/hashtable.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>

#include <linux/vmq.h>
#include "compat.h"
#include "rss.h"
#include "rules.h"
#include "core/assign.h"
#include "core/procset.h"
#include "core/teammode.h"

struct genl_info;

/* Per network namespace: the teams whose bond lives in it.  RTNL. */
struct vmq_net {
	struct list_head teams;
};

struct vmq_team_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	struct u64_stats_sync syncp;
};

/* irq.c: an RX queue's IRQ as vmq pinned it. */
struct vmq_irq_pin {
	int irq;
	bool pinned;
	unsigned int cpu;
	cpumask_var_t saved;		/* the affinity before vmq */
};

int vmq_irq_find(struct net_device *dev, unsigned int queue, int user_irq,
		 enum vmq_irq_method *how);
enum vmq_irq_owner {
	VMQ_IRQ_OWN,			/* one of the adapter's MSI vectors */
	VMQ_IRQ_FOREIGN,		/* another device's, or none */
	VMQ_IRQ_UNOWNED,		/* no owner the kernel records */
};

enum vmq_irq_owner vmq_irq_owner(struct net_device *dev, unsigned int irq);
int vmq_irq_pin_init(struct vmq_irq_pin *pin);
void vmq_irq_pin_destroy(struct vmq_irq_pin *pin);
int vmq_irq_pin(struct vmq_irq_pin *pin, int irq, unsigned int cpu);
bool vmq_irq_pin_holds(const struct vmq_irq_pin *pin);
void vmq_irq_unpin(struct vmq_irq_pin *pin, int irq);

/* What vmq has done to one RX queue of an adapter. */
struct vmq_queue_hw {
	int irq;			/* as last found, or -1 */
	enum vmq_irq_method how;
	int user_irq;			/* handed down by userspace, or -1 */
	struct vmq_irq_pin pin;
	struct vmq_rule rule;
};

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
	struct vmq_rules_nic rules;	/* its rule contract, as learned */
	struct vmq_rss rss;		/* what vmq did to its RSS table */
	struct vmq_queue_hw *hw;	/* per RX queue */
	unsigned int nr_hw;
	struct nf_hook_ops hook;	/* its ingress hook: the receive path */
	bool hooked;
	int hook_err;			/* why not, as last warned */
	/* in-use queues whose IRQ vmq could not find, as last told */
	DECLARE_BITMAP(irqs_asked, VMQ_MAX_QUEUES);
	unsigned long irqs_asked_at;	/* jiffies */
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
	struct u64_stats_sync syncp;
};

/*
 * A guest MAC (+VLAN), as Get-NetAdapterVmqQueue lists them.  Placed
 * under RTNL; the receive path finds it by MAC+VLAN under RCU and reads
 * rx_queue/rx_cpu with READ_ONCE.
 */
struct vmq_vm {
	struct list_head node;		/* in vmq_team.vms, arrival order */
	struct hlist_node hnode;	/* in vmq_team.vm_hash, RCU */
	struct rcu_head rcu;
	struct vmq_team *team;
	u8 mac[ETH_ALEN];
	int vlan;			/* -1: untagged */
	char name[VMQ_VM_NAME_LEN];
	int id;				/* owner id in the queue assignment */
	u64 seq;			/* arrival order */
	struct vmq_qa_slot slot;
	enum vmq_vm_state state;
	char reason[VMQ_VM_REASON_LEN];
	struct net_device *member;	/* Sum: the member it is placed on */
	int rx_queue;			/* -1 when not on a queue of its own */
	int rx_ifindex;			/* Sum: its member's; Min: 0, any */
	int rx_cpu;			/* -1 also while its IRQ is not pinned */
	bool irq_pinned;		/* on every member carrying it */
	/* what the monitor group was last told */
	enum vmq_vm_state told_state;
	int told_queue, told_cpu;
	struct net_device *told_member;
	struct vmq_vm_pcpu_stats __percpu *stats;
};

struct vmq_vm_stats {
	u64 packets, bytes, on_queue, on_cpu;
};

/*
 * vmq attached to one bond.  Control state is changed under RTNL only;
 * the receive path reaches the team through a member's ingress hook
 * under RCU and touches nothing but its own CPU's counters.
 */
struct vmq_team {
	struct list_head node;		/* in vmq_net.teams */
	struct net_device *bond;
	netdevice_tracker bond_tracker;
	enum vmq_team_mode requested_mode;
	enum vmq_team_mode queue_mode;
	char mode_reason[VMQ_MODE_REASON_LEN];
	enum vmq_team_state state;
	char state_reason[VMQ_CONFLICT_MSG_LEN];
	struct list_head adapters;
	unsigned int nr_adapters;
	struct vmq_qa *qa;		/* queue assignment, as placed */
	struct list_head vms;
	unsigned int nr_vms;
	DECLARE_HASHTABLE(vm_hash, 8);
	struct ida vm_ids;
	u64 vm_seq;
	u64 repairs;
	bool refresh_pending;		/* refresh once bonding has committed */
	struct list_head all_node;	/* in the global list of teams */
	struct vmq_team_pcpu_stats __percpu *stats;
};

struct vmq_team_stats {
	u64 rx_packets;
	u64 rx_bytes;
};

/* team.c */
struct vmq_net *vmq_net(const struct net *net);
struct vmq_team *vmq_team_of(const struct net_device *dev);
unsigned int vmq_team_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state);
int vmq_team_attach(struct net_device *bond, enum vmq_team_mode mode,
		    struct netlink_ext_ack *extack);
void vmq_team_detach(struct vmq_team *team);
void vmq_team_refresh(struct vmq_team *team);
void vmq_team_reconcile(struct vmq_team *team);
void vmq_team_read_stats(const struct vmq_team *team,
			 struct vmq_team_stats *stats);
int vmq_team_init(void);
void vmq_team_exit(void);

/* adapter.c */
struct vmq_adapter *vmq_adapter_of(const struct net_device *dev);
void vmq_adapters_sync_members(struct vmq_team *team);
void vmq_adapters_release(struct vmq_team *team);
unsigned int vmq_adapter_queues(const struct vmq_adapter *ad);
int vmq_adapter_nic_node(const struct vmq_adapter *ad);
int vmq_team_compute_sets(struct vmq_team *team,
			  const struct vmq_adapter *changed,
			  const struct vmq_adapter *proposal,
			  struct vmq_cpuset *sets, char *msg, size_t len);
int vmq_team_plan(struct vmq_team *team, struct vmq_cpuset *sets);
void vmq_team_apply_plan(struct vmq_team *team);
void vmq_team_queue_counts(const struct vmq_team *team, unsigned int *queues,
			   unsigned int *vm_queues);

/* vm.c */
struct vmq_vm *vmq_vm_find(struct vmq_team *team, const u8 *mac, int vlan);
struct vmq_vm *vmq_vm_lookup_rcu(struct vmq_team *team, const u8 *mac,
				 int vlan);
int vmq_vm_add(struct vmq_team *team, const u8 *mac, int vlan,
	       const char *name, struct netlink_ext_ack *extack);
void vmq_vm_del(struct vmq_vm *vm);
void vmq_vms_release(struct vmq_team *team);
void vmq_vm_count_rx(struct vmq_vm *vm, const struct sk_buff *skb);
void vmq_vm_read_stats(const struct vmq_vm *vm, struct vmq_vm_stats *st);
const char *vmq_vm_state_name(enum vmq_vm_state state);

/* place.c */
void vmq_vm_retry(struct vmq_vm *vm);
void vmq_team_place(struct vmq_team *team, bool replace_all);
void vmq_team_sync_hw(struct vmq_team *team, bool verify);
void vmq_team_apply(struct vmq_team *team, bool verify);
void vmq_team_release_hw(struct vmq_team *team);
int vmq_adapter_hw_resize(struct vmq_adapter *ad);
void vmq_adapter_hw_free(struct vmq_adapter *ad);

/* monitor.c */
__printf(4, 5)
void vmq_event(const struct vmq_team *team, enum vmq_event type,
	       const struct vmq_vm *vm, const char *fmt, ...);
__printf(3, 4)
bool vmq_event_adapter(const struct vmq_adapter *ad, enum vmq_event type,
		       const char *fmt, ...);

/* topology.c */
void vmq_topology_read(struct vmq_topology *t);

/* bond.c */
bool vmq_is_bond(const struct net_device *dev);
struct net_device *vmq_bond_xmit_member(struct net_device *bond,
					const u8 *mac, int vlan);
void vmq_bond_read_params(const struct net_device *bond,
			  struct vmq_bond_params *params);
bool vmq_bond_member_delivers(const struct sk_buff *skb);

/* netlink.c */
int vmq_netlink_init(void);
void vmq_netlink_exit(void);
bool vmq_netlink_live(void);

#endif /* _VMQ_H */
