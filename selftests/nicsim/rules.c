// SPDX-License-Identifier: GPL-2.0
/*
 * The ntuple rule table: ETHER_FLOW rules steering a destination MAC,
 * optionally on one VLAN or ethertype, to a queue (ethtool -N/-n).
 *
 * What a NIC takes, and how it says no, is its profile's (profile.c,
 * which names the driver function behind each value): whether it takes
 * destination-MAC rules at all, the VLAN masks, the locations, the table
 * size, one input set per flow type (ice), and its errnos.  Common to
 * every profile, as in every driver that takes these rules:
 *  - destination MAC with the full mask; source MAC unmasked;
 *  - the action is one of its queues; drop, wake and VF targets refused;
 *  - an explicit location replaces the rule there;
 *  - a frame matching several rules takes the lowest location's (igb's
 *    filter order); mlx5 ranks by how many fields a rule matches, which
 *    is not modelled.
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

static bool nicsim_rule_same_match(const struct nicsim_nic *nic,
				   const struct nicsim_rule *a,
				   const struct nicsim_rule *b)
{
	if (!ether_addr_equal(a->dst, b->dst) || a->proto != b->proto)
		return false;
	/* ice_fdir_comp_rules(): MAC and ethertype values only. */
	if (nic->profile->dup_ignores_vlan)
		return true;
	return a->vlan_mask == b->vlan_mask && a->vlan_tci == b->vlan_tci;
}

/* The fields a rule matches: ice takes one such set per flow type. */
static bool nicsim_rule_same_shape(const struct nicsim_rule *a,
				   const struct nicsim_rule *b)
{
	return !a->vlan_mask == !b->vlan_mask && !a->proto == !b->proto;
}

static bool nicsim_vlan_mask_taken(const struct nicsim_profile *p, u16 mask)
{
	unsigned int i;

	for (i = 0; i < NICSIM_MAX_VLAN_MASKS && p->vlan_masks[i]; i++)
		if (p->vlan_masks[i] == mask)
			return true;
	return false;
}

/*
 * The VLAN ethertype: ice takes it, with a whole mask and an 802.1Q/AD
 * value, and wants it beside a TCI that comes with an ethertype match
 * (ice_fdir_vlan_valid(), ice_set_fdir_vlan_seg()); the others refuse it
 * (mlx5's validate_vlan(), sfc).
 */
static int nicsim_rule_parse_etype(const struct nicsim_profile *p,
				   const struct ethtool_rx_flow_spec *fs)
{
	if (!fs->m_ext.vlan_etype) {
		if (p->vlan_etype_taken && fs->m_ext.vlan_tci &&
		    fs->m_u.ether_spec.h_proto)
			return -EINVAL;
		return 0;
	}
	if (!p->vlan_etype_taken)
		return -EINVAL;
	if (!eth_type_vlan(fs->h_ext.vlan_etype))
		return -EINVAL;
	return fs->m_ext.vlan_etype == htons(0xffff) ? 0 : -EOPNOTSUPP;
}

static int nicsim_rule_parse_vlan(const struct nicsim_profile *p,
				  const struct ethtool_rx_flow_spec *fs,
				  struct nicsim_rule *rule)
{
	u16 tci = ntohs(fs->h_ext.vlan_tci);
	u16 mask = ntohs(fs->m_ext.vlan_tci);
	int err;

	if (!(fs->flow_type & FLOW_EXT))
		return 0;
	if (fs->m_ext.data[0] || fs->m_ext.data[1])
		return -EINVAL;
	err = nicsim_rule_parse_etype(p, fs);
	if (err)
		return err;
	if (!mask)
		return 0;
	/* mlx4_en_validate_flow(): only the VID bits count, all or none,
	 * and a masked TCI takes no priority or CFI bits.
	 */
	if (p->vlan_vid_bits) {
		if (tci >= VLAN_N_VID)
			return -EINVAL;
		mask &= VLAN_VID_MASK;
		if (!mask)
			return 0;
	}
	if (!nicsim_vlan_mask_taken(p, mask))
		return p->vlan_errno;
	if ((tci & ~mask) || (p->vid_nonzero && !(tci & VLAN_VID_MASK)))
		return -EINVAL;
	/* ice: the TCI mask is whole, but priority bits are refused. */
	if (p->vlan_etype_taken && tci >= VLAN_N_VID)
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
		return nic->profile->action_errno;
	rule->queue = ethtool_get_flow_spec_ring(cookie);
	return 0;
}

/* The request as a rule, or why this NIC cannot have it. */
static int nicsim_rule_parse(struct nicsim_nic *nic,
			     const struct ethtool_rx_flow_spec *fs,
			     struct nicsim_rule *rule)
{
	const struct nicsim_profile *p = nic->profile;
	const struct ethhdr *spec = &fs->h_u.ether_spec;
	const struct ethhdr *mask = &fs->m_u.ether_spec;
	int err;

	if ((fs->flow_type & ~FLOW_EXT) != ETHER_FLOW)
		return -EINVAL;
	if (p->ether_refused)
		return p->ether_refused;
	if (nic->no_mac_steering)
		return -EINVAL;
	if (!is_broadcast_ether_addr(mask->h_dest) ||
	    !is_zero_ether_addr(mask->h_source))
		return -EINVAL;
	if (mask->h_proto && mask->h_proto != htons(0xffff))
		return -EINVAL;
	ether_addr_copy(rule->dst, spec->h_dest);
	rule->proto = mask->h_proto ? spec->h_proto : 0;
	err = nicsim_rule_parse_vlan(p, fs, rule);
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
	const struct nicsim_profile *p = nic->profile;
	bool special = requested == RX_CLS_LOC_ANY ||
		       requested == RX_CLS_LOC_FIRST ||
		       requested == RX_CLS_LOC_LAST;

	if (special && p->loc == NICSIM_LOC_EXPLICIT)
		return p->range_errno;	/* 0xffffffff is past any table */
	if (!special && p->loc == NICSIM_LOC_ANY_ONLY)
		return p->loc_errno;
	switch (requested) {
	case RX_CLS_LOC_ANY:
	case RX_CLS_LOC_FIRST:
		return nicsim_rule_first_free(nic);
	case RX_CLS_LOC_LAST:
		return nicsim_rule_last_free(nic);
	}
	if (requested >= nic->rule_capacity)
		return p->range_errno;
	return requested;
}

/* The same match elsewhere, or (ice) a rule of another shape anywhere. */
static int nicsim_rule_check_table(struct nicsim_nic *nic,
				   const struct nicsim_rule *new)
{
	const struct nicsim_profile *p = nic->profile;
	struct nicsim_rule *rule;

	list_for_each_entry(rule, &nic->rules, node) {
		if (p->one_input_set && !nicsim_rule_same_shape(rule, new))
			return -EINVAL;
		if (p->dup_errno && rule->fs.location != new->fs.location &&
		    nicsim_rule_same_match(nic, rule, new))
			return p->dup_errno;
	}
	return 0;
}

/* Return: the profile's errno if NTUPLE keeps rules out now, or 0. */
static int nicsim_rules_gated(struct nicsim_nic *nic)
{
	struct net_device *dev = nic->port.netdev;

	switch (nic->profile->ntuple) {
	case NICSIM_NTUPLE_RULES:
		if (!(dev->features & NETIF_F_NTUPLE))
			return nic->profile->gate_errno;
		return 0;
	case NICSIM_NTUPLE_HW_ONLY:
		if (!(dev->hw_features & NETIF_F_NTUPLE))
			return nic->profile->gate_errno;
		return 0;
	default:
		return 0;
	}
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
	err = nicsim_rules_gated(nic);
	if (err)
		return err;
	if (nic->profile->rules_need_running && !netif_running(nic->port.netdev))
		return -EAGAIN;
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
	err = nicsim_rule_check_table(nic, rule);
	if (!err && nic->profile->max_mac_rules && !nicsim_rule_at(nic, loc) &&
	    nic->rule_count >= nic->profile->max_mac_rules)
		err = -ENOSPC;
	if (!err)
		err = nicsim_fault_take(&nic->fail_insert);
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
	int err;

	ASSERT_RTNL();
	err = nicsim_rules_gated(nic);
	if (err)
		return err;
	err = nicsim_fault_take(&nic->fail_delete);
	if (err)
		return err;
	rule = nicsim_rule_at(nic, loc);
	if (!rule)
		return nic->profile->del_empty_errno;
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
		return nic->profile->get_empty_errno;
	*fs = rule->fs;
	/* ice_get_ethtool_fdir_entry(): FLOW_EXT and VLAN not reported. */
	if (nic->profile->get_drops_ext) {
		fs->flow_type &= ~FLOW_EXT;
		memset(&fs->m_ext, 0, sizeof(fs->m_ext));
	}
	return 0;
}

/* ETHTOOL_GRXCLSRLALL: every location in use, lowest first. */
int nicsim_rule_locations(struct nicsim_nic *nic, struct ethtool_rxnfc *info,
			  u32 *locs)
{
	struct nicsim_rule *rule;
	u32 n = 0;

	ASSERT_RTNL();
	info->data = nic->profile->all_data_is_count ? nic->rule_count :
						       nic->rule_capacity;
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
		       u16 tci, __be16 proto)
{
	struct nicsim_rule *rule;

	list_for_each_entry_rcu(rule, &nic->rules, node) {
		if (!ether_addr_equal(rule->dst, dst))
			continue;
		if (rule->proto && rule->proto != proto)
			continue;
		if (rule->vlan_mask &&
		    (!tagged || (tci & rule->vlan_mask) != rule->vlan_tci))
			continue;
		atomic64_inc(&rule->hits);
		return rule->queue;
	}
	return -1;
}
