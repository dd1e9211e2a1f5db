// SPDX-License-Identifier: GPL-2.0
/*
 * Steering a VM's MAC to its queue with an ethtool ntuple rule, as
 * `ethtool -N DEV flow-type ether dst MAC [vlan V m 0xf000] action Q`
 * would, through the driver's rxnfc ops (ethtool.c) under RTNL.
 *
 * Drivers differ in nearly every part of that contract, and say so only
 * by accepting or refusing (selftests/nicsim/contracts/ and each nicsim
 * profile name the driver functions):
 *  - the table's size is in ETHTOOL_GRXCLSRLALL's data; GRXCLSRLCNT's
 *    data holds it only on some drivers (mlx5 and igb leave it 0), and
 *    RX_CLS_LOC_SPECIAL there says the driver picks locations (bnxt and
 *    sfc take nothing else).  Elsewhere the caller picks a free one, and
 *    vmq picks as ethtool(8) does for RX_CLS_LOC_ANY: the highest free
 *    location, the lowest priority, below an administrator's rules;
 *  - the VLAN mask: 0x0fff (VID: mlx5, bnxt, sfc), or 0xffff (whole TCI)
 *    with the 802.1Q ethertype beside it (ice_fdir_vlan_valid(),
 *    ice_set_fdir_vlan_seg()); igb matches only the priority bits.  vmq
 *    tries the VID mask, then the whole TCI, then the MAC alone, and
 *    remembers what the NIC took;
 *  - NETIF_F_NTUPLE gates rules on ice and bnxt (and igb only checks it
 *    can be changed) but means aRFS on mlx5 and sfc, whose rules need no
 *    feature.  vmq inserts first and turns the feature on only if the
 *    insert was refused with it off; it turns it off again only when it
 *    turned it on and no rule is left, since turning it off erases every
 *    rule (igb_set_features(), ice_vsi_manage_fdir(), bnxt).
 *
 * A rule the driver would not delete (-EBUSY during a reset, a device
 * detached for recovery) is not forgotten: it stays on a list, is asked
 * again on every reconcile pass, and on unload what is still left is
 * logged with the command that removes it.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "ethtool.h"
#include "rules.h"

/* The masks vmq offers for a VLAN, in order (see above). */
static const u16 vmq_vlan_masks[] = { VLAN_VID_MASK, 0xffff };

/* Every location in use: GRXCLSRLALL, sized by GRXCLSRLCNT. */
static u32 *vmq_rules_locations(struct net_device *dev,
				struct vmq_rule_table *t)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_GRXCLSRLCNT };
	u32 *locs;
	int err;

	err = vmq_ethtool_get_rxnfc(dev, &info, NULL);
	if (err)
		return ERR_PTR(err);
	t->loc_any = info.data & RX_CLS_LOC_SPECIAL;
	t->capacity = info.data & ~RX_CLS_LOC_SPECIAL;
	t->used = info.rule_cnt;
	/* The core's bound for GRXCLSRLALL (ethtool_get_rxnfc()). */
	if (t->used > KMALLOC_MAX_SIZE / sizeof(*locs) - 1)
		return ERR_PTR(-ENOMEM);
	locs = kcalloc(t->used + 1, sizeof(*locs), GFP_KERNEL);
	if (!locs)
		return ERR_PTR(-ENOMEM);
	info.cmd = ETHTOOL_GRXCLSRLALL;
	info.data = 0;
	info.rule_cnt = t->used;
	err = vmq_ethtool_get_rxnfc(dev, &info, locs);
	if (err) {
		kfree(locs);
		return ERR_PTR(err);
	}
	/*
	 * The size, where the driver picks no location (ethtool(8)'s
	 * rmgr_init() reads it here); bnxt, which picks, puts its rule
	 * count here instead.
	 */
	if (!t->loc_any && info.data)
		t->capacity = info.data;
	t->used = info.rule_cnt;
	return locs;
}

static int vmq_rule_get(struct net_device *dev, u32 loc,
			struct ethtool_rx_flow_spec *fs)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_GRXCLSRULE };
	int err;

	info.fs.location = loc;
	err = vmq_ethtool_get_rxnfc(dev, &info, NULL);
	if (!err)
		*fs = info.fs;
	return err;
}

static bool vmq_fs_is_ether(const struct ethtool_rx_flow_spec *fs)
{
	return (fs->flow_type & ~(FLOW_EXT | FLOW_MAC_EXT | FLOW_RSS)) ==
	       ETHER_FLOW;
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
	u32 *locs;

	memset(t, 0, sizeof(*t));
	locs = vmq_rules_locations(dev, t);
	if (IS_ERR(locs))
		return PTR_ERR(locs);
	kfree(locs);
	return 0;
}

/**
 * vmq_rules_snapshot - read every rule of a NIC, anyone's
 * @dev: the adapter
 * @snap: filled in; empty if the NIC has no rule table or a read failed
 *
 * Taken before vmq writes the NIC's RSS table: mlx4 restarts its port to
 * take one (mlx4_en_set_rxfh()), and the restart detaches every rule
 * (mlx4_en_stop_port()), an administrator's too.
 */
void vmq_rules_snapshot(struct net_device *dev,
			struct vmq_rules_snapshot *snap)
{
	struct vmq_rule_table t;
	u32 *locs, i;

	memset(snap, 0, sizeof(*snap));
	locs = vmq_rules_locations(dev, &t);
	if (IS_ERR(locs))
		return;
	snap->fs = kcalloc(t.used, sizeof(*snap->fs), GFP_KERNEL);
	for (i = 0; snap->fs && i < t.used; i++)
		if (!vmq_rule_get(dev, locs[i], &snap->fs[snap->n]))
			snap->n++;
	kfree(locs);
}

/**
 * vmq_rules_replay - put back the rules a write wiped, and free @snap
 * @dev: the adapter
 * @snap: its rules as they were before
 *
 * Each rule no longer at its location goes back there, as it was.  One
 * the NIC refuses now is said, with what would put it back.
 */
void vmq_rules_replay(struct net_device *dev, struct vmq_rules_snapshot *snap)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_SRXCLSRLINS };
	struct ethtool_rx_flow_spec cur;
	u32 i;
	int err;

	for (i = 0; i < snap->n; i++) {
		if (!vmq_rule_get(dev, snap->fs[i].location, &cur))
			continue;
		info.fs = snap->fs[i];
		err = vmq_ethtool_set_rxnfc(dev, &info);
		if (err)
			netdev_err(dev, "vmq: rule %u was wiped by the NIC taking an RSS table, and is refused back (%pe): `ethtool -n` showed it before\n",
				   snap->fs[i].location, ERR_PTR(err));
		else
			netdev_info(dev, "vmq: rule %u was wiped by the NIC taking an RSS table: put back\n",
				    snap->fs[i].location);
	}
	kfree(snap->fs);
	memset(snap, 0, sizeof(*snap));
}

/**
 * vmq_rules_count_ether - the ETHER_FLOW rules in the NIC, anyone's
 * @dev: the adapter
 *
 * Return: the count, or a negative errno.
 */
int vmq_rules_count_ether(struct net_device *dev)
{
	struct ethtool_rx_flow_spec fs;
	struct vmq_rule_table t;
	u32 *locs, i;
	int n = 0;

	locs = vmq_rules_locations(dev, &t);
	if (IS_ERR(locs))
		return PTR_ERR(locs);
	for (i = 0; i < t.used; i++)
		if (!vmq_rule_get(dev, locs[i], &fs) && vmq_fs_is_ether(&fs))
			n++;
	kfree(locs);
	return n;
}

/* The highest location no rule holds, as ethtool(8) picks for LOC_ANY. */
static int vmq_rules_free_loc(struct net_device *dev, u32 *loc, bool *any)
{
	struct vmq_rule_table t;
	unsigned long *used;
	u32 *locs, i;
	int err;

	locs = vmq_rules_locations(dev, &t);
	if (IS_ERR(locs))
		return PTR_ERR(locs);
	*any = t.loc_any;
	err = 0;
	if (t.loc_any) {
		*loc = RX_CLS_LOC_ANY;
		goto out;
	}
	err = -ENOSPC;
	if (!t.capacity)
		goto out;
	err = -ENOMEM;
	used = bitmap_zalloc(t.capacity, GFP_KERNEL);
	if (!used)
		goto out;
	for (i = 0; i < t.used; i++)
		if (locs[i] < t.capacity)
			__set_bit(locs[i], used);
	err = -ENOSPC;
	for (i = t.capacity; i-- > 0;) {
		if (!test_bit(i, used)) {
			*loc = i;
			err = 0;
			break;
		}
	}
	bitmap_free(used);
out:
	kfree(locs);
	return err;
}

static void vmq_rule_spec(struct ethtool_rx_flow_spec *fs, const u8 *mac,
			  int vlan, u16 vlan_mask, u32 queue)
{
	memset(fs, 0, sizeof(*fs));
	fs->flow_type = ETHER_FLOW;
	ether_addr_copy(fs->h_u.ether_spec.h_dest, mac);
	eth_broadcast_addr(fs->m_u.ether_spec.h_dest);
	if (vlan >= 0) {
		fs->flow_type |= FLOW_EXT;
		fs->h_ext.vlan_tci = htons(vlan);
		fs->m_ext.vlan_tci = htons(vlan_mask);
	}
	/* A whole TCI is matched with its TPID (ice). */
	if (vlan >= 0 && vlan_mask == 0xffff) {
		fs->h_ext.vlan_etype = htons(ETH_P_8021Q);
		fs->m_ext.vlan_etype = htons(0xffff);
	}
	fs->ring_cookie = queue;
}

static void vmq_rules_undo_drop_loc(const struct net_device *dev, u32 loc);

static int vmq_rule_try(struct net_device *dev, const u8 *mac, int vlan,
			u16 vlan_mask, u32 queue, u32 *loc)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_SRXCLSRLINS };
	bool any;
	int err;

	vmq_rule_spec(&info.fs, mac, vlan, vlan_mask, queue);
	err = vmq_rules_free_loc(dev, &info.fs.location, &any);
	if (err)
		return err;
	err = vmq_ethtool_set_rxnfc(dev, &info);
	if (err)
		return err;
	*loc = info.fs.location;
	/* A location the driver gave out again is free of an old rule. */
	vmq_rules_undo_drop_loc(dev, *loc);
	return 0;
}

/* A VLAN rule: the mask the NIC took before, or each in turn. */
static int vmq_rule_try_vlan(struct net_device *dev, struct vmq_rules_nic *nic,
			     const u8 *mac, int vlan, u32 queue, u32 *loc)
{
	int err = -EOPNOTSUPP;
	unsigned int i;

	if (nic->vlan_refused)
		return -EOPNOTSUPP;
	if (nic->vlan_mask)
		return vmq_rule_try(dev, mac, vlan, nic->vlan_mask, queue, loc);
	for (i = 0; i < ARRAY_SIZE(vmq_vlan_masks); i++) {
		err = vmq_rule_try(dev, mac, vlan, vmq_vlan_masks[i], queue,
				   loc);
		if (!err)
			nic->vlan_mask = vmq_vlan_masks[i];
		if (!vmq_rule_err_is_shape(err))
			break;
	}
	return err;
}

static int vmq_rule_try_shapes(struct net_device *dev,
			       struct vmq_rules_nic *nic, const u8 *mac,
			       int *vlan, u32 queue, u32 *loc)
{
	int err;

	if (*vlan < 0)
		return vmq_rule_try(dev, mac, -1, 0, queue, loc);
	err = vmq_rule_try_vlan(dev, nic, mac, *vlan, queue, loc);
	/*
	 * A NIC that took a VLAN mask before, and still does, refused this
	 * VM's rule alone (bnxt: VID 0); one that never did matches no VID
	 * (igb), or its rules now match the MAC alone (ice), and a MAC is
	 * one VM's on every VLAN.
	 */
	if (!vmq_rule_err_is_shape(err) || (nic->vlan_mask && !nic->vlan_refused))
		return err;
	err = vmq_rule_try(dev, mac, -1, 0, queue, loc);
	if (!err) {
		nic->vlan_refused = true;
		*vlan = -1;
	}
	return err;
}

/*
 * Rules need ntuple on (ice, bnxt) and it is off, but may go on -- unless
 * it was on for vmq's rules before, whoever turned it on, and is off now:
 * that was an administrator's `ethtool -K DEV ntuple off`, which vmq
 * leaves be.  The VMs are refused until ntuple is on again.
 */
static bool vmq_rules_may_enable_ntuple(struct net_device *dev,
					struct vmq_rules_nic *nic)
{
	if (dev->features & NETIF_F_NTUPLE)
		return false;
	if (nic->ntuple_by_vmq || nic->ntuple_seen_on) {
		nic->ntuple_by_vmq = false;
		nic->ntuple_seen_on = false;
		nic->ntuple_refused = true;
		nic->ntuple_left_off = true;
		netdev_info(dev, "vmq: ntuple was turned off; vmq leaves it off, and its VMs go without rules\n");
	}
	return !nic->ntuple_refused && (dev->hw_features & NETIF_F_NTUPLE);
}

/*
 * Whether @err, a refused rule, is the NIC refusing every rule because an
 * administrator turned ntuple off under vmq's (ice, bnxt).  Not any
 * refusal with ntuple off: igb, mlx5 and sfc take rules with it off.
 */
bool vmq_rules_refused_for_ntuple(const struct net_device *dev,
				  const struct vmq_rules_nic *nic, int err)
{
	return nic->ntuple_left_off && !(dev->features & NETIF_F_NTUPLE) &&
	       (err == -EOPNOTSUPP || err == -EPERM);
}

/*
 * Insert with ntuple turned on for it.  If the rule is refused all the
 * same (ixgbe: Flow Director takes no ETHER_FLOW rule), the feature goes
 * back off: on ixgbe each change resets the NIC, and on bnxt it is aRFS
 * too, which vmq has no business turning on for nothing.
 */
static int vmq_rule_try_with_ntuple(struct net_device *dev,
				    struct vmq_rules_nic *nic, const u8 *mac,
				    int *vlan, u32 queue, u32 *loc)
{
	int err;

	err = vmq_ethtool_set_feature(dev, NETIF_F_NTUPLE, true);
	if (err) {
		vmq_ethtool_set_feature(dev, NETIF_F_NTUPLE, false);
		nic->ntuple_refused = true;
		return -EOPNOTSUPP;
	}
	err = vmq_rule_try_shapes(dev, nic, mac, vlan, queue, loc);
	if (err) {
		vmq_ethtool_set_feature(dev, NETIF_F_NTUPLE, false);
		nic->ntuple_refused = true;
		return err;
	}
	netdev_info(dev, "vmq: ntuple turned on for vmq's rules\n");
	nic->ntuple_by_vmq = true;
	return 0;
}

/**
 * vmq_rule_insert - steer frames for @mac (on @vlan) to @queue
 * @dev: the adapter
 * @nic: what vmq learned of the adapter's rules so far; updated
 * @mac: the VM's MAC
 * @vlan: its VLAN id, or -1
 * @queue: the RX queue
 * @rule: filled in with where the rule went and what it matches (a
 *	VLAN VM's rule matches the MAC alone on a NIC that takes no VLAN)
 *
 * Return: 0, or the driver's errno (-ENOSPC when its table is full,
 * -EINVAL or -EOPNOTSUPP when it refuses a destination-MAC rule).
 */
int vmq_rule_insert(struct net_device *dev, struct vmq_rules_nic *nic,
		    const u8 *mac, int vlan, u32 queue, struct vmq_rule *rule)
{
	int err;

	err = vmq_rule_try_shapes(dev, nic, mac, &vlan, queue, &rule->loc);
	/* ice: -EOPNOTSUPP with ntuple off; bnxt: -EPERM (!BNXT_FLAG_RFS). */
	if ((err == -EOPNOTSUPP || err == -EPERM) &&
	    vmq_rules_may_enable_ntuple(dev, nic))
		err = vmq_rule_try_with_ntuple(dev, nic, mac, &vlan, queue,
					       &rule->loc);
	if (err)
		return err;
	if (dev->features & NETIF_F_NTUPLE) {
		nic->ntuple_seen_on = true;
		nic->ntuple_left_off = false;
	}
	ether_addr_copy(rule->mac, mac);
	rule->vlan = vlan;
	rule->queue = queue;
	rule->present = true;
	return 0;
}

/**
 * vmq_rules_release - give back what vmq changed for rules on a NIC
 * @dev: the adapter, whose rules vmq has deleted (or listed for undo)
 * @nic: what vmq learned and changed
 *
 * The ntuple feature goes off again only if vmq turned it on and the
 * table is empty: turning it off erases every rule, an administrator's
 * and ones vmq still owes a delete.
 */
void vmq_rules_release(struct net_device *dev, struct vmq_rules_nic *nic)
{
	struct vmq_rule_table t;

	if (nic->ntuple_by_vmq && (dev->features & NETIF_F_NTUPLE) &&
	    !vmq_rules_undo_pending(dev)) {
		if (vmq_rules_table(dev, &t) || t.used)
			netdev_info(dev, "vmq: ntuple left on: the NIC holds rules vmq did not make\n");
		else
			vmq_ethtool_set_feature(dev, NETIF_F_NTUPLE, false);
	}
	memset(nic, 0, sizeof(*nic));
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
	struct ethtool_rx_flow_spec fs;
	int err;

	err = vmq_rule_get(dev, rule->loc, &fs);
	/* An empty location: -ENOENT (mlx5, bnxt), -EINVAL (igb, ice). */
	if (err == -ENOENT || err == -EINVAL)
		return VMQ_RULE_GONE;
	if (err)
		return VMQ_RULE_UNKNOWN;
	if (!vmq_fs_is_ether(&fs) ||
	    !ether_addr_equal(fs.h_u.ether_spec.h_dest, rule->mac))
		return VMQ_RULE_GONE;
	return fs.ring_cookie == rule->queue ? VMQ_RULE_HOLDS :
					       VMQ_RULE_CHANGED;
}

/* ---- rules owed a delete ---------------------------------------------- */

struct vmq_rule_undo {
	struct list_head node;
	struct net_device *dev;
	netdevice_tracker tracker;
	struct vmq_rule rule;
	int err;			/* the driver's last answer */
};

/* RTNL */
static LIST_HEAD(vmq_rule_undos);

static int vmq_rule_del_loc(struct net_device *dev, u32 loc)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_SRXCLSRLDEL };

	info.fs.location = loc;
	return vmq_ethtool_set_rxnfc(dev, &info);
}

static void vmq_rule_undo_free(struct vmq_rule_undo *u)
{
	list_del(&u->node);
	netdev_put(u->dev, &u->tracker);
	kfree(u);
}

static void vmq_rule_undo_add(struct net_device *dev,
			      const struct vmq_rule *rule, int err)
{
	struct vmq_rule_undo *u;

	netdev_warn(dev, "vmq: rule at location %u not deleted (%pe), asked again later\n",
		    rule->loc, ERR_PTR(err));
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u) {
		netdev_err(dev, "vmq: out of memory: delete the rule with `ethtool -N %s delete %u`\n",
			   dev->name, rule->loc);
		return;
	}
	u->dev = dev;
	u->rule = *rule;
	u->err = err;
	netdev_hold(dev, &u->tracker, GFP_KERNEL);
	list_add_tail(&u->node, &vmq_rule_undos);
}

/**
 * vmq_rule_delete - take vmq's rule out of the NIC
 * @dev: the adapter
 * @rule: the rule; no longer present afterwards
 *
 * If the driver will not delete it now, the rule is listed and asked for
 * again later (vmq_rules_undo_retry()): it is still in the NIC.
 */
void vmq_rule_delete(struct net_device *dev, struct vmq_rule *rule)
{
	int err;

	ASSERT_RTNL();
	if (!rule->present)
		return;
	rule->present = false;
	err = vmq_rule_del_loc(dev, rule->loc);
	/*
	 * Gone already is no failure: igb, ixgbe and i40e say -EINVAL for
	 * an empty location, ice -EOPNOTSUPP once ntuple off erased all.
	 * A device going away takes its rules with it.
	 */
	if (!err || err == -ENOENT || dev->reg_state != NETREG_REGISTERED ||
	    vmq_rule_check(dev, rule) == VMQ_RULE_GONE)
		return;
	vmq_rule_undo_add(dev, rule, err);
}

static void vmq_rules_undo_drop_loc(const struct net_device *dev, u32 loc)
{
	struct vmq_rule_undo *u, *tmp;

	list_for_each_entry_safe(u, tmp, &vmq_rule_undos, node)
		if (u->dev == dev && u->rule.loc == loc)
			vmq_rule_undo_free(u);
}

/* Delete one listed rule, if it is still vmq's.  Return: done with it. */
static bool vmq_rule_undo_one(struct vmq_rule_undo *u)
{
	switch (vmq_rule_check(u->dev, &u->rule)) {
	case VMQ_RULE_GONE:
		return true;
	case VMQ_RULE_UNKNOWN:
		return false;
	default:
		u->err = vmq_rule_del_loc(u->dev, u->rule.loc);
		return !u->err || u->err == -ENOENT;
	}
}

/**
 * vmq_rules_undo_retry - ask again for every rule owed a delete
 *
 * Return: how many are still owed.  RTNL.
 */
unsigned int vmq_rules_undo_retry(void)
{
	struct vmq_rule_undo *u, *tmp;
	unsigned int left = 0;

	ASSERT_RTNL();
	list_for_each_entry_safe(u, tmp, &vmq_rule_undos, node) {
		if (vmq_rule_undo_one(u)) {
			netdev_info(u->dev, "vmq: rule at location %u deleted at last\n",
				    u->rule.loc);
			vmq_rule_undo_free(u);
		} else {
			left++;
		}
	}
	return left;
}

/* Any rule owed a delete?  A hint, read without RTNL. */
bool vmq_rules_undo_owed(void)
{
	return !list_empty_careful(&vmq_rule_undos);
}

unsigned int vmq_rules_undo_pending(const struct net_device *dev)
{
	struct vmq_rule_undo *u;
	unsigned int n = 0;

	list_for_each_entry(u, &vmq_rule_undos, node)
		n += u->dev == dev;
	return n;
}

/*
 * NETDEV_UNREGISTER: the device is going away, and its rules with it; or
 * it only moves to another namespace, where vmq cannot follow.
 */
void vmq_rules_undo_forget(const struct net_device *dev)
{
	struct vmq_rule_undo *u, *tmp;

	list_for_each_entry_safe(u, tmp, &vmq_rule_undos, node) {
		if (u->dev != dev)
			continue;
		/* Only moving to another namespace: the rule stays in. */
		if (dev->reg_state == NETREG_REGISTERED)
			netdev_err(dev, "vmq: moved to another namespace with its rule at location %u still in the NIC: `ethtool -N %s delete %u` there removes it\n",
				   u->rule.loc, dev->name, u->rule.loc);
		vmq_rule_undo_free(u);
	}
}

/* Unload: one last try, then say what is left and how to remove it. */
void vmq_rules_undo_exit(void)
{
	struct vmq_rule_undo *u, *tmp;

	rtnl_lock();
	vmq_rules_undo_retry();
	list_for_each_entry_safe(u, tmp, &vmq_rule_undos, node) {
		netdev_err(u->dev, "vmq: unloaded with its rule at location %u still in the NIC (%pe): `ethtool -N %s delete %u` removes it\n",
			   u->rule.loc, ERR_PTR(u->err), u->dev->name,
			   u->rule.loc);
		vmq_rule_undo_free(u);
	}
	rtnl_unlock();
}
