// SPDX-License-Identifier: GPL-2.0
/*
 * Steering a VM's MAC to its queue with an ethtool ntuple rule, as
 * `ethtool -N DEV flow-type ether dst MAC [vlan V m 0xf000] action Q`
 * would, by calling the driver's rxnfc ops directly under RTNL.
 *
 * Drivers differ in what they take: mlx5 and ice match a destination MAC
 * with or without a VLAN id; igb (i210) matches a MAC but only a VLAN
 * priority; ixgbe, i40e, virtio-net and QEMU's igb refuse destination
 * MAC rules outright.  vmq tries the MAC+VLAN rule first and falls back
 * to the MAC alone, which steers the same frames since a VM's MAC is its
 * own.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/slab.h>

#include "vmq.h"

static int vmq_rxnfc_get(struct net_device *dev, struct ethtool_rxnfc *info,
			 u32 *locs)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	int err;

	if (!ops || !ops->get_rxnfc)
		return -EOPNOTSUPP;
	if (ops->begin) {
		err = ops->begin(dev);
		if (err)
			return err;
	}
	err = ops->get_rxnfc(dev, info, locs);
	if (ops->complete)
		ops->complete(dev);
	return err;
}

static int vmq_rxnfc_set(struct net_device *dev, struct ethtool_rxnfc *info)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	int err;

	if (!ops || !ops->set_rxnfc)
		return -EOPNOTSUPP;
	if (ops->begin) {
		err = ops->begin(dev);
		if (err)
			return err;
	}
	err = ops->set_rxnfc(dev, info);
	if (ops->complete)
		ops->complete(dev);
	return err;
}

/**
 * vmq_rules_table - the NIC's ntuple rule table: size and use
 * @dev: the adapter
 * @t: filled in
 *
 * Return: 0, or -EOPNOTSUPP if the NIC has no rule table.
 */
int vmq_rules_table(struct net_device *dev, struct vmq_rule_table *t)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_GRXCLSRLCNT };
	int err;

	err = vmq_rxnfc_get(dev, &info, NULL);
	if (err)
		return err;
	t->loc_any = info.data & RX_CLS_LOC_SPECIAL;
	t->capacity = info.data & ~RX_CLS_LOC_SPECIAL;
	t->used = info.rule_cnt;
	return 0;
}

/* The lowest location no rule holds, for drivers without LOC_ANY. */
static int vmq_rules_free_loc(struct net_device *dev,
			      const struct vmq_rule_table *t, u32 *loc)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_GRXCLSRLALL };
	unsigned long *used;
	u32 *locs, i;
	int err;

	if (!t->capacity)
		return -ENOSPC;
	locs = kcalloc(t->used + 1, sizeof(*locs), GFP_KERNEL);
	used = bitmap_zalloc(t->capacity, GFP_KERNEL);
	err = -ENOMEM;
	if (!locs || !used)
		goto out;
	info.rule_cnt = t->used;
	err = vmq_rxnfc_get(dev, &info, locs);
	if (err)
		goto out;
	for (i = 0; i < info.rule_cnt; i++)
		if (locs[i] < t->capacity)
			__set_bit(locs[i], used);
	*loc = find_first_zero_bit(used, t->capacity);
	err = *loc < t->capacity ? 0 : -ENOSPC;
out:
	bitmap_free(used);
	kfree(locs);
	return err;
}

static void vmq_rule_spec(struct ethtool_rx_flow_spec *fs, const u8 *mac,
			  int vlan, u32 queue)
{
	memset(fs, 0, sizeof(*fs));
	fs->flow_type = ETHER_FLOW;
	ether_addr_copy(fs->h_u.ether_spec.h_dest, mac);
	eth_broadcast_addr(fs->m_u.ether_spec.h_dest);
	if (vlan >= 0) {
		fs->flow_type |= FLOW_EXT;
		fs->h_ext.vlan_tci = htons(vlan);
		fs->m_ext.vlan_tci = htons(VLAN_VID_MASK);
	}
	fs->ring_cookie = queue;
}

static int vmq_rule_try(struct net_device *dev, const struct vmq_rule_table *t,
			const u8 *mac, int vlan, u32 queue, u32 *loc)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_SRXCLSRLINS };
	int err;

	vmq_rule_spec(&info.fs, mac, vlan, queue);
	if (t->loc_any) {
		info.fs.location = RX_CLS_LOC_ANY;
	} else {
		err = vmq_rules_free_loc(dev, t, &info.fs.location);
		if (err)
			return err;
	}
	err = vmq_rxnfc_set(dev, &info);
	if (!err)
		*loc = info.fs.location;
	return err;
}

/**
 * vmq_rule_insert - steer frames for @mac (on @vlan) to @queue
 * @dev: the adapter
 * @mac: the VM's MAC
 * @vlan: its VLAN id, or -1
 * @queue: the RX queue
 * @rule: filled in with where the rule went and what it matches
 *
 * Return: 0, or the driver's errno (-ENOSPC when its table is full,
 * -EINVAL or -EOPNOTSUPP when it cannot match a destination MAC).
 */
int vmq_rule_insert(struct net_device *dev, const u8 *mac, int vlan,
		    u32 queue, struct vmq_rule *rule)
{
	struct vmq_rule_table t;
	int err;

	if (!(dev->features & NETIF_F_NTUPLE))
		return -EOPNOTSUPP;
	err = vmq_rules_table(dev, &t);
	if (err)
		return err;
	err = vmq_rule_try(dev, &t, mac, vlan, queue, &rule->loc);
	if ((err == -EINVAL || err == -EOPNOTSUPP) && vlan >= 0) {
		vlan = -1;
		err = vmq_rule_try(dev, &t, mac, vlan, queue, &rule->loc);
	}
	if (err)
		return err;
	ether_addr_copy(rule->mac, mac);
	rule->vlan = vlan;
	rule->queue = queue;
	rule->present = true;
	return 0;
}

void vmq_rule_delete(struct net_device *dev, struct vmq_rule *rule)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_SRXCLSRLDEL };

	if (!rule->present)
		return;
	info.fs.location = rule->loc;
	vmq_rxnfc_set(dev, &info);
	rule->present = false;
}

/**
 * vmq_rule_check - is the rule vmq inserted still in the NIC, unchanged?
 * @dev: the adapter
 * @rule: the rule, present
 *
 * Return: VMQ_RULE_HOLDS; VMQ_RULE_CHANGED if its location still matches
 * the VM's MAC but steers elsewhere (vmq's rule, edited); VMQ_RULE_GONE
 * if the location is empty or holds someone else's rule; or
 * VMQ_RULE_UNKNOWN if the driver could not say (busy, resetting): a
 * rule forgotten then would stay in the NIC for good.
 */
enum vmq_rule_state vmq_rule_check(struct net_device *dev,
				   const struct vmq_rule *rule)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_GRXCLSRULE };
	struct ethtool_rx_flow_spec *fs = &info.fs;
	int err;

	info.fs.location = rule->loc;
	err = vmq_rxnfc_get(dev, &info, NULL);
	/* An empty location: -ENOENT (mlx5, nicsim), -EINVAL (igb, ice). */
	if (err == -ENOENT || err == -EINVAL)
		return VMQ_RULE_GONE;
	if (err)
		return VMQ_RULE_UNKNOWN;
	if ((fs->flow_type & ~FLOW_EXT) != ETHER_FLOW ||
	    !ether_addr_equal(fs->h_u.ether_spec.h_dest, rule->mac))
		return VMQ_RULE_GONE;
	return fs->ring_cookie == rule->queue ? VMQ_RULE_HOLDS :
						VMQ_RULE_CHANGED;
}
