// SPDX-License-Identifier: GPL-2.0
/*
 * Narrowing RSS to the default queues.
 *
 * A VM's queue should carry that VM alone, but RSS spreads every frame no
 * rule matched over the whole indirection table, VM queues included.
 * While an adapter has VM queues with rules, vmq points the table at its
 * default queues only; when they go, the table vmq found goes back.
 */
#include <linux/ethtool.h>
#include <linux/slab.h>

#include "vmq.h"

static u32 vmq_rss_size(struct net_device *dev)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;

	if (!ops || !ops->get_rxfh_indir_size || !ops->get_rxfh ||
	    !ops->set_rxfh)
		return 0;
	return ops->get_rxfh_indir_size(dev);
}

/* The table vmq wants: the default queues, round robin. */
static void vmq_rss_fill(u32 *indir, u32 size, unsigned int queues)
{
	u32 i;

	for (i = 0; i < size; i++)
		indir[i] = i % queues;
}

/* Forget the table vmq found: it no longer fits the NIC. */
static void vmq_rss_forget(struct vmq_adapter *ad)
{
	kfree(ad->rss_saved);
	ad->rss_saved = NULL;
	ad->rss_size = 0;
}

static bool vmq_rss_holds(struct vmq_adapter *ad)
{
	u32 *cur, i;
	bool same;

	cur = kcalloc(ad->rss_size, sizeof(*cur), GFP_KERNEL);
	if (!cur)
		return true;
	same = !vmq_compat_get_rxfh_indir(ad->dev, cur, ad->rss_size);
	for (i = 0; same && i < ad->rss_size; i++)
		same = cur[i] == i % ad->default_queues;
	kfree(cur);
	return same;
}

static int vmq_rss_narrow(struct vmq_adapter *ad)
{
	u32 size = vmq_rss_size(ad->dev), *mine;
	int err;

	if (!size)
		return -EOPNOTSUPP;
	ad->rss_saved = kcalloc(size, sizeof(u32), GFP_KERNEL);
	mine = kcalloc(size, sizeof(u32), GFP_KERNEL);
	err = -ENOMEM;
	if (!ad->rss_saved || !mine)
		goto fail;
	err = vmq_compat_get_rxfh_indir(ad->dev, ad->rss_saved, size);
	if (err)
		goto fail;
	vmq_rss_fill(mine, size, ad->default_queues);
	err = vmq_compat_set_rxfh_indir(ad->dev, mine, size);
	if (err)
		goto fail;
	ad->rss_size = size;
	kfree(mine);
	return 0;
fail:
	kfree(mine);
	kfree(ad->rss_saved);
	ad->rss_saved = NULL;
	return err;
}

/*
 * Put back the table vmq found -- unless the queue count changed under
 * it (`ethtool -L` resets the driver's table, and the old one may name
 * queues that are gone), or the table size did.
 */
void vmq_rss_restore(struct vmq_adapter *ad)
{
	unsigned int queues = vmq_adapter_queues(ad);
	bool valid = ad->rss_size == vmq_rss_size(ad->dev);
	u32 i;

	if (!ad->rss_saved)
		return;
	for (i = 0; valid && i < ad->rss_size; i++)
		valid = ad->rss_saved[i] < queues;
	if (valid)
		vmq_compat_set_rxfh_indir(ad->dev, ad->rss_saved,
					  ad->rss_size);
	vmq_rss_forget(ad);
}

/**
 * vmq_rss_sync - narrow or restore an adapter's RSS table
 * @ad: the adapter
 * @want: it has VM queues with rules
 * @verify: check a narrowed table is still narrowed; repair it if not
 *
 * Return: true if a drifted table was repaired.
 */
bool vmq_rss_sync(struct vmq_adapter *ad, bool want, bool verify)
{
	u32 *mine;

	if (!want) {
		vmq_rss_restore(ad);
		return false;
	}
	if (!ad->rss_saved) {
		vmq_rss_narrow(ad);
		return false;
	}
	if (!verify)
		return false;
	/*
	 * Drivers copy a table of their current size whatever size they
	 * are given (mlx5's follows the channel count): a table of another
	 * size than the one saved means a new table, the driver's own.
	 * Save that one and narrow it; reading or writing it with the old
	 * size would run off the end of one buffer or the other.
	 */
	if (vmq_rss_size(ad->dev) != ad->rss_size) {
		vmq_rss_forget(ad);
		return !vmq_rss_narrow(ad);
	}
	if (vmq_rss_holds(ad))
		return false;
	mine = kcalloc(ad->rss_size, sizeof(*mine), GFP_KERNEL);
	if (!mine)
		return false;
	vmq_rss_fill(mine, ad->rss_size, ad->default_queues);
	vmq_compat_set_rxfh_indir(ad->dev, mine, ad->rss_size);
	kfree(mine);
	return true;
}
