// SPDX-License-Identifier: GPL-2.0
/*
 * Narrowing RSS to the default queues.
 *
 * A VM's queue should carry that VM alone, but RSS spreads every frame no
 * rule matched over the whole indirection table, VM queues included.
 * While an adapter has VM queues with rules, vmq points the table at its
 * default queues only; when they go, the table vmq found goes back.
 *
 * vmq sets the table as `ethtool -X` does, through ethtool.c, which marks
 * it configured as the core does: mlx5, ice and igb spread an
 * unconfigured table anew on every channel change or reset, which would
 * put VM queues back in it.  Giving back means giving back that mark too:
 * a table that was the driver's own goes back to the driver's spread
 * over the queues it has then (`ethtool -X DEV default`), a user's goes
 * back as it was.  A table someone sets while vmq holds the NIC (an
 * administrator's `ethtool -X ... weight`) is the one given back later;
 * a plain round-robin spread (`equal N`) cannot be told from a driver's
 * own spread anew (igb's on every channel change), and is not.
 */
#include <linux/err.h>
#include <linux/ethtool.h>
#include <linux/log2.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "ethtool.h"
#include "rss.h"
#include "rules.h"

static bool vmq_rss_adopt(struct net_device *dev, struct vmq_rss *rss);

/* Let go of what vmq remembers of a table, giving nothing back. */
void vmq_rss_forget(struct vmq_rss *rss)
{
	kfree(rss->saved);
	rss->saved = NULL;
	rss->size = 0;
	rss->restore_err = 0;
	rss->spread = 0;
	rss->spread_for = 0;
}

/* The table vmq wants: the default queues, round robin. */
static u32 *vmq_rss_mine(u32 size, unsigned int queues)
{
	u32 *indir, i;

	indir = kcalloc(size, sizeof(*indir), GFP_KERNEL);
	for (i = 0; indir && i < size; i++)
		indir[i] = ethtool_rxfh_indir_default(i, queues);
	return indir;
}

static bool vmq_rss_is_mine(const u32 *indir, u32 size, unsigned int queues)
{
	u32 i;

	for (i = 0; i < size; i++)
		if (indir[i] != ethtool_rxfh_indir_default(i, queues))
			return false;
	return true;
}

/*
 * Every table vmq writes goes through here: a NIC that wipes its rules
 * to take a table (mlx4) gets them back, anyone's, as they were.
 */
static int vmq_rss_write(struct net_device *dev, const u32 *indir, u32 size)
{
	struct vmq_rules_snapshot snap;
	int err;

	vmq_rules_snapshot(dev, &snap);
	err = indir ? vmq_ethtool_set_rxfh_indir(dev, indir, size) :
		      vmq_ethtool_reset_rxfh_indir(dev);
	vmq_rules_replay(dev, &snap);
	return err;
}

static int vmq_rss_set_spread(struct net_device *dev, u32 size,
			      unsigned int queues)
{
	u32 *mine = vmq_rss_mine(size, queues);
	int err;

	if (!mine)
		return -ENOMEM;
	err = vmq_rss_write(dev, mine, size);
	kfree(mine);
	return err;
}

/*
 * Point a table of @size entries at the first @queues queues.  mlx4
 * takes only a spread over a power of 2 of its queues
 * (mlx4_en_set_rxfh()): there RSS gets the largest power of 2 of them.
 */
static int vmq_rss_narrow(struct net_device *dev, struct vmq_rss *rss,
			  u32 size, unsigned int queues)
{
	unsigned int spread = queues;
	int err;

	err = vmq_rss_set_spread(dev, size, spread);
	if (err == -EINVAL && !is_power_of_2(queues)) {
		spread = rounddown_pow_of_two(queues);
		err = vmq_rss_set_spread(dev, size, spread);
		if (!err && rss->spread_for != queues)
			netdev_info(dev, "vmq: the NIC takes RSS over a power of 2 of queues only: %u of the %u default queues\n",
				    spread, queues);
	}
	if (err)
		return err;
	rss->spread = spread;
	rss->spread_for = queues;
	return 0;
}

/* Whether @indir is vmq's narrowing for @queues default queues. */
static bool vmq_rss_is_narrowed(const struct vmq_rss *rss, const u32 *indir,
				u32 size, unsigned int queues)
{
	return vmq_rss_is_mine(indir, size,
			       rss->spread_for == queues ? rss->spread : queues);
}

/*
 * A round-robin spread over some queues: the driver's own anew (igb
 * spreads even a configured table on every queue count change, as
 * `ethtool -X DEV equal N` would), or vmq's narrowing for an earlier
 * default queue count.  Neither is a table anyone set by hand.
 */
static bool vmq_rss_is_spread(const u32 *indir, u32 size)
{
	u32 k = 1, i;

	while (k < size && indir[k] != 0)
		k++;
	for (i = 0; i < size; i++)
		if (indir[i] != i % k)
			return false;
	return true;
}

/* The first narrowing: keep the table found, and whose it was. */
static int vmq_rss_take(struct net_device *dev, struct vmq_rss *rss, u32 *cur,
			u32 size, unsigned int queues)
{
	int err;

	rss->saved = cur;
	rss->size = size;
	rss->saved_configured = netif_is_rxfh_configured(dev);
	err = vmq_rss_narrow(dev, rss, size, queues);
	if (err)
		vmq_rss_forget(rss);	/* nothing of vmq's to give back */
	return err;
}

/**
 * vmq_rss_sync - narrow an adapter's RSS table, or give it back
 * @dev: the adapter
 * @rss: what vmq did to its table
 * @default_queues: the queues RSS may use while VM queues have rules
 * @want: VM queues have rules
 * @verify: check a narrowed table is still narrowed; repair it if not
 *
 * A narrowed table found changed is narrowed again.  If it is a table
 * someone set (an administrator's `ethtool -X`), that one is kept as the
 * one to give back, and as a user's; a spread anew by the driver (a
 * reset, `ethtool -L`) leaves what was kept as it was.
 *
 * Return: what happened.
 */
enum vmq_rss_outcome vmq_rss_sync(struct net_device *dev, struct vmq_rss *rss,
				  unsigned int default_queues, bool want,
				  bool verify)
{
	bool adopted = false;
	u32 *cur, size;

	if (!want) {
		if (!rss->saved)
			return VMQ_RSS_AS_WANTED;
		return vmq_rss_restore(dev, rss) ? VMQ_RSS_FAILED :
						   VMQ_RSS_CHANGED;
	}
	if (rss->saved && !verify)
		return VMQ_RSS_AS_WANTED;
	cur = vmq_ethtool_get_rxfh_indir(dev, &size);
	if (IS_ERR(cur))
		return PTR_ERR(cur) == -EOPNOTSUPP ? VMQ_RSS_AS_WANTED :
						     VMQ_RSS_FAILED;
	if (!rss->saved) {
		adopted = vmq_rss_adopt(dev, rss);
		if (!adopted)
			return vmq_rss_take(dev, rss, cur, size,
					    default_queues) ?
			       VMQ_RSS_FAILED : VMQ_RSS_CHANGED;
	}
	if (vmq_rss_is_narrowed(rss, cur, size, default_queues)) {
		kfree(cur);
		return VMQ_RSS_AS_WANTED;
	}
	if (vmq_rss_is_spread(cur, size)) {
		kfree(cur);
	} else {
		kfree(rss->saved);
		rss->saved = cur;
		rss->size = size;
		rss->saved_configured = true;
	}
	if (vmq_rss_narrow(dev, rss, size, default_queues))
		return VMQ_RSS_FAILED;
	/* A table owed since vmq last held the NIC is no repair. */
	return adopted ? VMQ_RSS_CHANGED : VMQ_RSS_REPAIRED;
}

static u32 vmq_rss_max_entry(const u32 *indir, u32 size)
{
	u32 max = 0, i;

	for (i = 0; i < size; i++)
		max = max(max, indir[i]);
	return max;
}

/*
 * A user's table that no longer fits: `ethtool -L` shrank the queues
 * (the core allows it, vmq's narrowed table naming only the default
 * queues) or the table's size followed the channel count (mlx5).  The
 * nearest table: the user's pattern repeated over the new size, each
 * entry folded onto the queues there are.
 */
static u32 *vmq_rss_refit(struct net_device *dev, const struct vmq_rss *rss,
			  u32 size, u32 rings)
{
	u32 *indir, i;

	indir = kcalloc(size, sizeof(*indir), GFP_KERNEL);
	for (i = 0; indir && i < size; i++)
		indir[i] = rss->saved[i % rss->size] % rings;
	if (indir)
		netdev_info(dev, "vmq: the RSS table set before vmq no longer fits the NIC; given back refitted to %u queues\n",
			    rings);
	return indir;
}

static int vmq_rss_put_back(struct net_device *dev, struct vmq_rss *rss)
{
	u32 *cur, size, rings, *indir;
	int err;

	err = vmq_ethtool_rx_rings(dev, &rings);
	if (err)
		return err;
	cur = vmq_ethtool_get_rxfh_indir(dev, &size);
	if (IS_ERR(cur))
		return PTR_ERR(cur);
	kfree(cur);
	if (size == rss->size &&
	    vmq_rss_max_entry(rss->saved, rss->size) < rings)
		return vmq_rss_write(dev, rss->saved, size);
	indir = vmq_rss_refit(dev, rss, size, rings);
	if (!indir)
		return -ENOMEM;
	err = vmq_rss_write(dev, indir, size);
	kfree(indir);
	return err;
}

/**
 * vmq_rss_restore - give back the table vmq found
 * @dev: the adapter
 * @rss: what vmq did to its table
 *
 * Return: 0, or the driver's errno: then the table is still vmq's to
 * give back, and the caller asks again.
 */
int vmq_rss_restore(struct net_device *dev, struct vmq_rss *rss)
{
	int err;

	if (!rss->saved)
		return 0;
	if (rss->saved_configured)
		err = vmq_rss_put_back(dev, rss);
	else
		err = vmq_rss_write(dev, NULL, 0);
	if (err) {
		if (err != rss->restore_err)
			netdev_warn(dev, "vmq: RSS table not given back (%pe), asked again later\n",
				    ERR_PTR(err));
		rss->restore_err = err;
		return err;
	}
	vmq_rss_forget(rss);
	return 0;
}

/**
 * vmq_rss_abandon - let go of a table vmq could not give back
 * @dev: the adapter, being let go of for good
 * @rss: what vmq did to its table
 *
 * Said loudly, with the command that gives the driver its table back.
 */
static void vmq_rss_abandon(struct net_device *dev, struct vmq_rss *rss)
{
	if (!rss->saved)
		return;
	netdev_err(dev, "vmq: RSS table left narrowed (%pe): `ethtool -X %s default` or the table wanted gives it back\n",
		   ERR_PTR(rss->restore_err), dev->name);
	vmq_rss_forget(rss);
}

/* ---- tables owed a restore ------------------------------------------- */

/*
 * A table the driver would not take back when vmq let go of its NIC
 * (detach, a member leaving): kept, with the NIC, and asked again from
 * the periodic pass, as rules owed a delete are (rules.c).
 */
struct vmq_rss_undo {
	struct list_head node;
	struct net_device *dev;
	netdevice_tracker tracker;
	struct vmq_rss rss;
};

/* RTNL */
static LIST_HEAD(vmq_rss_undos);

static struct vmq_rss_undo *vmq_rss_undo_find(const struct net_device *dev)
{
	struct vmq_rss_undo *u;

	list_for_each_entry(u, &vmq_rss_undos, node)
		if (u->dev == dev)
			return u;
	return NULL;
}

static void vmq_rss_undo_free(struct vmq_rss_undo *u)
{
	list_del(&u->node);
	vmq_rss_forget(&u->rss);
	netdev_put(u->dev, &u->tracker);
	kfree(u);
}

/*
 * Whether the table in the NIC is still vmq's to give back: its own
 * narrowing, or the driver's spread over all its queues (a reset, or
 * `ethtool -X DEV default`).  Any other (an administrator's `ethtool -X`,
 * another program's) is theirs now.  A NIC that can no longer tell is
 * asked again, unless it never will.
 */
static bool vmq_rss_still_owed(struct net_device *dev,
			       const struct vmq_rss *rss)
{
	u32 *cur, size, rings;
	bool owed;

	cur = vmq_ethtool_get_rxfh_indir(dev, &size);
	if (IS_ERR(cur))
		return PTR_ERR(cur) != -EOPNOTSUPP;
	owed = vmq_rss_is_mine(cur, size, rss->spread) ||
	       (!vmq_ethtool_rx_rings(dev, &rings) &&
		vmq_rss_is_mine(cur, size, rings));
	kfree(cur);
	return owed;
}

/*
 * vmq holds the NIC again while its table is still owed: the table to
 * give back is the one owed, not the narrowed one still in the NIC.
 */
static bool vmq_rss_adopt(struct net_device *dev, struct vmq_rss *rss)
{
	struct vmq_rss_undo *u;

	ASSERT_RTNL();
	u = vmq_rss_undo_find(dev);
	if (!u)
		return false;
	if (!vmq_rss_still_owed(dev, &u->rss)) {
		netdev_info(dev, "vmq: RSS table no longer vmq's to give back: left as it is\n");
		vmq_rss_undo_free(u);
		return false;
	}
	*rss = u->rss;
	memset(&u->rss, 0, sizeof(u->rss));
	vmq_rss_undo_free(u);
	return true;
}

/**
 * vmq_rss_release - give back the table vmq found, letting go of a NIC
 * @dev: the adapter, registered
 * @rss: what vmq did to its table; empty afterwards
 *
 * A table the driver will not take now is kept and asked for again
 * (vmq_rss_undo_retry()), never forgotten.
 */
void vmq_rss_release(struct net_device *dev, struct vmq_rss *rss)
{
	struct vmq_rss_undo *u;

	ASSERT_RTNL();
	if (!vmq_rss_restore(dev, rss))
		return;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u) {
		vmq_rss_abandon(dev, rss);
		return;
	}
	u->dev = dev;
	u->rss = *rss;
	memset(rss, 0, sizeof(*rss));
	netdev_hold(dev, &u->tracker, GFP_KERNEL);
	list_add_tail(&u->node, &vmq_rss_undos);
}

/**
 * vmq_rss_undo_retry - ask again for every table owed a restore
 *
 * Return: how many are still owed.  RTNL.
 */
unsigned int vmq_rss_undo_retry(void)
{
	struct vmq_rss_undo *u, *tmp;
	unsigned int left = 0;

	ASSERT_RTNL();
	list_for_each_entry_safe(u, tmp, &vmq_rss_undos, node) {
		if (!vmq_rss_still_owed(u->dev, &u->rss)) {
			netdev_info(u->dev, "vmq: RSS table no longer vmq's to give back: left as it is\n");
		} else if (vmq_rss_restore(u->dev, &u->rss)) {
			left++;
			continue;
		} else {
			netdev_info(u->dev, "vmq: RSS table given back at last\n");
		}
		vmq_rss_undo_free(u);
	}
	return left;
}

/* Any table owed a restore?  A hint, read without RTNL. */
bool vmq_rss_undo_owed(void)
{
	return !list_empty_careful(&vmq_rss_undos);
}

/*
 * NETDEV_UNREGISTER: the device is going away, and its table with it; or
 * it only moves to another namespace, still narrowed, which is said.
 */
void vmq_rss_undo_forget(struct net_device *dev)
{
	struct vmq_rss_undo *u, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(u, tmp, &vmq_rss_undos, node) {
		if (u->dev != dev)
			continue;
		if (dev->reg_state == NETREG_REGISTERED)
			vmq_rss_abandon(dev, &u->rss);
		vmq_rss_undo_free(u);
	}
}

/* Unload: one last try, then say what is left and how to give it back. */
void vmq_rss_undo_exit(void)
{
	struct vmq_rss_undo *u, *tmp;

	rtnl_lock();
	vmq_rss_undo_retry();
	list_for_each_entry_safe(u, tmp, &vmq_rss_undos, node) {
		vmq_rss_abandon(u->dev, &u->rss);
		vmq_rss_undo_free(u);
	}
	rtnl_unlock();
}
