/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntuple rules steering a VM's MAC to its queue.  Knows NICs, not teams.
 */
#ifndef _VMQ_RULES_H
#define _VMQ_RULES_H

#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/types.h>

/* An ntuple rule vmq put in a NIC. */
struct vmq_rule {
	bool present;
	u32 loc;
	u8 mac[ETH_ALEN];
	int vlan;			/* -1: the rule matches the MAC only */
	u32 queue;
};

/*
 * What vmq learned of one NIC's rule contract by trying, as a driver
 * says it only by accepting or refusing.
 */
struct vmq_rules_nic {
	u16 vlan_mask;			/* the VLAN mask it took, 0: not yet */
	bool vlan_refused;		/* it takes MAC-only rules for VLANs */
	bool ntuple_by_vmq;		/* vmq turned NETIF_F_NTUPLE on */
	bool ntuple_seen_on;		/* a rule went in with it on */
	bool ntuple_refused;		/* vmq must not turn it on (again) */
	bool ntuple_left_off;		/* ... for an administrator turned it off */
};

struct vmq_rule_table {
	u32 capacity;
	u32 used;
	bool loc_any;			/* the driver picks locations */
};

/* A refusal of the rule's shape, not of this one rule (full, busy). */
static inline bool vmq_rule_err_is_shape(int err)
{
	return err == -EINVAL || err == -EOPNOTSUPP;
}

int vmq_rules_table(struct net_device *dev, struct vmq_rule_table *t);
int vmq_rules_count_ether(struct net_device *dev);

/* Every rule in a NIC, anyone's, as read before a write that may wipe them. */
struct vmq_rules_snapshot {
	struct ethtool_rx_flow_spec *fs;
	u32 n;
};

void vmq_rules_snapshot(struct net_device *dev,
			struct vmq_rules_snapshot *snap);
void vmq_rules_replay(struct net_device *dev, struct vmq_rules_snapshot *snap);
int vmq_rule_insert(struct net_device *dev, struct vmq_rules_nic *nic,
		    const u8 *mac, int vlan, u32 queue, struct vmq_rule *rule);
void vmq_rule_delete(struct net_device *dev, struct vmq_rule *rule);
void vmq_rules_release(struct net_device *dev, struct vmq_rules_nic *nic);
bool vmq_rules_refused_for_ntuple(const struct net_device *dev,
				  const struct vmq_rules_nic *nic, int err);

enum vmq_rule_state {
	VMQ_RULE_HOLDS,
	VMQ_RULE_GONE,
	VMQ_RULE_CHANGED,
	VMQ_RULE_UNKNOWN,
};

enum vmq_rule_state vmq_rule_check(struct net_device *dev,
				   const struct vmq_rule *rule);

/* Rules a driver would not delete when asked: kept, and asked again. */
unsigned int vmq_rules_undo_retry(void);
bool vmq_rules_undo_owed(void);
unsigned int vmq_rules_undo_pending(const struct net_device *dev);
void vmq_rules_undo_forget(const struct net_device *dev);
void vmq_rules_undo_exit(void);

#endif /* _VMQ_RULES_H */
