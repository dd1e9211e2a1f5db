// SPDX-License-Identifier: GPL-2.0
/*
 * The ntuple rule table: ETHER_FLOW rules steering a destination MAC,
 * optionally on one VLAN, to a queue (ethtool -N/-n).
 *
 * Which real driver each behaviour copies:
 *  - ntuple feature off: insert refused with -EOPNOTSUPP (ixgbe, ice);
 *    turning it off erases every rule (igb_set_features()).
 *  - flow types other than ETHER_FLOW, or ETHER_FLOW on a NIC with the
 *    no_mac_steering knob set: -EINVAL (ixgbe's "Unrecognized flow type";
 *    i40e says -EOPNOTSUPP for the same).
 *  - destination MAC with the full mask only (igb, bnxt, mlx5); VLAN
 *    through FLOW_EXT with mask 0x0fff (VID only: mlx5, bnxt, sfc -- what
 *    `ethtool -N ... vlan V m 0xf000` sends) or 0xffff (the whole TCI: ice,
 *    what a bare `vlan V` sends); anything else -EINVAL.
 *  - action: a queue of this NIC; drop, wake and VF targets -EINVAL (igb).
 *  - locations: explicit, replacing the rule there (igb, mlx5), or
 *    RX_CLS_LOC_ANY/FIRST/LAST chosen by the driver (bnxt, sfc; advertised
 *    with RX_CLS_LOC_SPECIAL).  A location outside the table or a full
 *    table: -ENOSPC (mlx5's validate_flow(), ice).
 *  - the same match at another location: -EEXIST (igb's "this filter is
 *    already set", bnxt).
 *  - missing rule for get or delete: -ENOENT (mlx5).
 *  - a frame matching several rules takes the lowest location's.
 *
 * Rules change under RTNL and are read by the datapath under RCU.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "nicsim.h"

static struct nicsim_rule *nicsim_rule_at(struct nicsim_nic *nic, u32 loc)
{
	struct nicsim_rule *rule;

	list_for_each_entry(rule, &nic->rules, node)
		if (rule->fs.location == loc)
			return rule;
	return NULL;
}

static bool nicsim_rule_same_match(const struct nicsim_rule *a,
				   const struct nicsim_rule *b)
{
	return ether_addr_equal(a->dst, b->dst) &&
	       a->vlan_mask == b->vlan_mask && a->vlan_tci == b->vlan_tci;
}

static int nicsim_rule_parse_vlan(const struct ethtool_rx_flow_spec *fs,
				  struct nicsim_rule *rule)
{
	u16 tci = ntohs(fs->h_ext.vlan_tci);
	u16 mask = ntohs(fs->m_ext.vlan_tci);

	if (!(fs->flow_type & FLOW_EXT))
		return 0;
	if (fs->m_ext.vlan_etype || fs->m_ext.data[0] || fs->m_ext.data[1])
		return -EINVAL;
	if (mask && mask != VLAN_VID_MASK && mask != 0xffff)
		return -EINVAL;
	if (tci & ~mask)
		return -EINVAL;
	rule->vlan_tci = tci;
	rule->vlan_mask = mask;
	return 0;
}

static int nicsim_rule_parse_action(struct nicsim_nic *nic,
				    const struct ethtool_rx_flow_spec *fs,
				    struct nicsim_rule *rule)
{
	u64 cookie = fs->ring_cookie;

	if (cookie == RX_CLS_FLOW_DISC || cookie == RX_CLS_FLOW_WAKE ||
	    ethtool_get_flow_spec_ring_vf(cookie) ||
	    ethtool_get_flow_spec_ring(cookie) >= nic->num_queues)
		return -EINVAL;
	rule->queue = ethtool_get_flow_spec_ring(cookie);
	return 0;
}

/* The request as a rule, or why this NIC cannot have it. */
static int nicsim_rule_parse(struct nicsim_nic *nic,
			     const struct ethtool_rx_flow_spec *fs,
			     struct nicsim_rule *rule)
{
	const struct ethhdr *spec = &fs->h_u.ether_spec;
	const struct ethhdr *mask = &fs->m_u.ether_spec;
	int err;

	if ((fs->flow_type & ~FLOW_EXT) != ETHER_FLOW || nic->no_mac_steering)
		return -EINVAL;
	if (!is_broadcast_ether_addr(mask->h_dest) ||
	    !is_zero_ether_addr(mask->h_source) || mask->h_proto)
		return -EINVAL;
	ether_addr_copy(rule->dst, spec->h_dest);
	err = nicsim_rule_parse_vlan(fs, rule);
	if (!err)
		err = nicsim_rule_parse_action(nic, fs, rule);
	return err;
}

/* The rule list is sorted by location: find its first gap. */
static int nicsim_rule_first_free(struct nicsim_nic *nic)
{
	struct nicsim_rule *rule;
	u32 loc = 0;

	list_for_each_entry(rule, &nic->rules, node) {
		if (rule->fs.location != loc)
			break;
		loc++;
	}
	return loc < nic->rule_capacity ? loc : -ENOSPC;
}

/* ...or its last gap, walking down from the end of the table. */
static int nicsim_rule_last_free(struct nicsim_nic *nic)
{
	struct nicsim_rule *rule;
	u32 loc = nic->rule_capacity;

	list_for_each_entry_reverse(rule, &nic->rules, node) {
		if (rule->fs.location != loc - 1)
			break;
		loc--;
	}
	return loc ? loc - 1 : -ENOSPC;
}

static int nicsim_rule_location(struct nicsim_nic *nic, u32 requested)
{
	switch (requested) {
	case RX_CLS_LOC_ANY:
	case RX_CLS_LOC_FIRST:
		return nicsim_rule_first_free(nic);
	case RX_CLS_LOC_LAST:
		return nicsim_rule_last_free(nic);
	}
	if (requested >= nic->rule_capacity)
		return -ENOSPC;
	return requested;
}

static int nicsim_rule_check_duplicate(struct nicsim_nic *nic,
				       const struct nicsim_rule *new)
{
	struct nicsim_rule *rule;

	list_for_each_entry(rule, &nic->rules, node)
		if (rule->fs.location != new->fs.location &&
		    nicsim_rule_same_match(rule, new))
			return -EEXIST;
	return 0;
}

/* The debugfs fail_insert knob: a programming failure, after validation. */
static int nicsim_rule_injected_error(struct nicsim_nic *nic)
{
	if (!nic->fail_inserts)
		return 0;
	nic->fail_inserts--;
	return nic->fail_insert_errno;
}

/* Link @new in location order, replacing the rule at its location. */
static void nicsim_rule_link(struct nicsim_nic *nic, struct nicsim_rule *new)
{
	struct nicsim_rule *rule;

	list_for_each_entry(rule, &nic->rules, node) {
		if (rule->fs.location == new->fs.location) {
			list_replace_rcu(&rule->node, &new->node);
			kfree_rcu(rule, rcu);
			return;
		}
		if (rule->fs.location > new->fs.location)
			break;
	}
	/* Before @rule, or at the tail if the walk ended on the head. */
	list_add_tail_rcu(&new->node, &rule->node);
	nic->rule_count++;
}

int nicsim_rule_insert(struct nicsim_nic *nic, struct ethtool_rx_flow_spec *fs)
{
	struct nicsim_rule *rule;
	int loc, err;

	ASSERT_RTNL();
	if (!(nic->port.netdev->features & NETIF_F_NTUPLE))
		return -EOPNOTSUPP;
	rule = kzalloc(sizeof(*rule), GFP_KERNEL);
	if (!rule)
		return -ENOMEM;
	err = nicsim_rule_parse(nic, fs, rule);
	if (err)
		goto err_free;
	loc = nicsim_rule_location(nic, fs->location);
	if (loc < 0) {
		err = loc;
		goto err_free;
	}
	rule->fs = *fs;
	rule->fs.location = loc;
	err = nicsim_rule_check_duplicate(nic, rule);
	if (!err)
		err = nicsim_rule_injected_error(nic);
	if (err)
		goto err_free;
	nicsim_rule_link(nic, rule);
	fs->location = loc;
	return 0;

err_free:
	kfree(rule);
	return err;
}

int nicsim_rule_delete(struct nicsim_nic *nic, u32 loc)
{
	struct nicsim_rule *rule;

	ASSERT_RTNL();
	rule = nicsim_rule_at(nic, loc);
	if (!rule)
		return -ENOENT;
	list_del_rcu(&rule->node);
	kfree_rcu(rule, rcu);
	nic->rule_count--;
	return 0;
}

int nicsim_rule_get(struct nicsim_nic *nic, struct ethtool_rx_flow_spec *fs)
{
	struct nicsim_rule *rule;

	ASSERT_RTNL();
	rule = nicsim_rule_at(nic, fs->location);
	if (!rule)
		return -ENOENT;
	*fs = rule->fs;
	return 0;
}

/* ETHTOOL_GRXCLSRLALL: every location in use, lowest first. */
int nicsim_rule_locations(struct nicsim_nic *nic, struct ethtool_rxnfc *info,
			  u32 *locs)
{
	struct nicsim_rule *rule;
	u32 n = 0;

	ASSERT_RTNL();
	info->data = nic->rule_capacity;
	list_for_each_entry(rule, &nic->rules, node) {
		if (n == info->rule_cnt)
			return -EMSGSIZE;
		locs[n++] = rule->fs.location;
	}
	info->rule_cnt = n;
	return 0;
}

void nicsim_rules_flush(struct nicsim_nic *nic)
{
	struct nicsim_rule *rule, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(rule, tmp, &nic->rules, node) {
		list_del_rcu(&rule->node);
		kfree_rcu(rule, rcu);
	}
	nic->rule_count = 0;
}

/* The NIC is unregistered: no reader is left. */
void nicsim_rules_free(struct nicsim_nic *nic)
{
	struct nicsim_rule *rule, *tmp;

	list_for_each_entry_safe(rule, tmp, &nic->rules, node)
		kfree(rule);
	INIT_LIST_HEAD(&nic->rules);
	nic->rule_count = 0;
}

/* The highest queue a rule steers to, -1 if none. */
int nicsim_rules_max_queue(struct nicsim_nic *nic)
{
	struct nicsim_rule *rule;
	int max = -1;

	ASSERT_RTNL();
	list_for_each_entry(rule, &nic->rules, node)
		max = max_t(int, max, rule->queue);
	return max;
}

/* Shrinking below a location in use would orphan its rule. */
int nicsim_rules_set_capacity(struct nicsim_nic *nic, unsigned int capacity)
{
	struct nicsim_rule *rule;

	ASSERT_RTNL();
	if (capacity < 1 || capacity > NICSIM_MAX_RULES)
		return -EINVAL;
	list_for_each_entry(rule, &nic->rules, node)
		if (rule->fs.location >= capacity)
			return -EBUSY;
	nic->rule_capacity = capacity;
	return 0;
}

/*
 * The datapath's lookup, under RCU: the queue of the first (lowest
 * location) rule matching the frame, -1 if none.  A rule without VLAN
 * matches tagged and untagged frames alike.
 */
int nicsim_rules_match(struct nicsim_nic *nic, const u8 *dst, bool tagged,
		       u16 tci)
{
	struct nicsim_rule *rule;

	list_for_each_entry_rcu(rule, &nic->rules, node) {
		if (!ether_addr_equal(rule->dst, dst))
			continue;
		if (rule->vlan_mask &&
		    (!tagged || (tci & rule->vlan_mask) != rule->vlan_tci))
			continue;
		atomic64_inc(&rule->hits);
		return rule->queue;
	}
	return -1;
}
