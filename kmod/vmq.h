/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmq internals shared by the module's kernel glue.
 */
#ifndef _VMQ_H
#define _VMQ_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>

#include <linux/vmq.h>
#include "compat.h"
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
};

/*
 * vmq attached to one bond.  Control state is changed under RTNL only;
 * the receive path reaches the team through the bond's rx_handler_data
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
	struct vmq_team_pcpu_stats __percpu *stats;
};

struct vmq_team_stats {
	u64 rx_packets;
	u64 rx_bytes;
};

/* team.c */
struct vmq_net *vmq_net(const struct net *net);
struct vmq_team *vmq_team_of(const struct net_device *dev);
int vmq_team_attach(struct net_device *bond, enum vmq_team_mode mode,
		    struct netlink_ext_ack *extack);
void vmq_team_detach(struct vmq_team *team);
void vmq_team_refresh(struct vmq_team *team);
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

/* topology.c */
void vmq_topology_read(struct vmq_topology *t);

/* bond.c */
bool vmq_is_bond(const struct net_device *dev);
void vmq_bond_read_params(const struct net_device *bond,
			  struct vmq_bond_params *params);
const char *vmq_rx_handler_owner(const struct net_device *dev);

/* netlink.c */
int vmq_netlink_init(void);
void vmq_netlink_exit(void);

#endif /* _VMQ_H */
