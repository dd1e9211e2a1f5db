// SPDX-License-Identifier: GPL-2.0
/*
 * Calling another driver's ethtool ops as the ethtool core does.
 *
 * __dev_ethtool() (net/ethtool/ioctl.c) brackets every request: it wakes
 * the parent device (pm_runtime_get_sync(): a runtime-suspended i210
 * standby port would otherwise be asked with its registers powered
 * down), checks netif_device_present() again once it is awake (a NIC
 * detached for a reset or AER recovery has no state to ask), and calls
 * ops->begin() before and ops->complete() after.  Drivers rely on that
 * bracket, so vmq makes every call inside the same one, under RTNL.
 *
 * Where the core keeps state of its own around a driver call, vmq keeps
 * it too: setting an indirection table marks it configured
 * (IFF_RXFH_CONFIGURED), which mlx5, ice and igb read to decide whether
 * a channel change or reset may spread the table anew.
 */
#include <linux/pm_runtime.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "compat.h"
#include "ethtool.h"

/*
 * As ethnl_ops_begin() checks, once the parent is awake: not detached
 * for a reset or AER recovery, and not being unregistered (its rules
 * and table go with it; a driver tearing down may not take a request).
 */
static bool vmq_ethtool_askable(const struct net_device *dev)
{
	return netif_device_present(dev) &&
	       dev->reg_state < NETREG_UNREGISTERING;
}

/* Return: 0 with the bracket open, or why the driver cannot be asked. */
static int vmq_ethtool_begin(struct net_device *dev)
{
	int err;

	ASSERT_RTNL();
	if (!dev->ethtool_ops)
		return -EOPNOTSUPP;
	/* Wake first: a runtime-suspended igb has detached itself. */
	if (dev->dev.parent)
		pm_runtime_get_sync(dev->dev.parent);
	err = -ENODEV;
	if (!vmq_ethtool_askable(dev))
		goto out;
	err = 0;
	if (dev->ethtool_ops->begin)
		err = dev->ethtool_ops->begin(dev);
	if (err >= 0)
		return 0;
out:
	if (dev->dev.parent)
		pm_runtime_put(dev->dev.parent);
	return err;
}

static void vmq_ethtool_end(struct net_device *dev)
{
	if (dev->ethtool_ops->complete)
		dev->ethtool_ops->complete(dev);
	if (dev->dev.parent)
		pm_runtime_put(dev->dev.parent);
}

int vmq_ethtool_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info,
			  u32 *rule_locs)
{
	int err;

	if (!dev->ethtool_ops || !dev->ethtool_ops->get_rxnfc)
		return -EOPNOTSUPP;
	err = vmq_ethtool_begin(dev);
	if (err)
		return err;
	err = dev->ethtool_ops->get_rxnfc(dev, info, rule_locs);
	vmq_ethtool_end(dev);
	return err;
}

int vmq_ethtool_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info)
{
	int err;

	if (!dev->ethtool_ops || !dev->ethtool_ops->set_rxnfc)
		return -EOPNOTSUPP;
	err = vmq_ethtool_begin(dev);
	if (err)
		return err;
	err = dev->ethtool_ops->set_rxnfc(dev, info);
	vmq_ethtool_end(dev);
	return err;
}

/**
 * vmq_ethtool_present - may the driver be asked now?
 * @dev: the NIC
 *
 * As the core asks it: woken first (an idle i210 detaches itself when
 * it runtime-suspends), then present, not detached for a reset or AER
 * recovery, nor being unregistered.
 */
bool vmq_ethtool_present(struct net_device *dev)
{
	bool present;

	if (dev->dev.parent)
		pm_runtime_get_sync(dev->dev.parent);
	present = vmq_ethtool_askable(dev);
	if (dev->dev.parent)
		pm_runtime_put(dev->dev.parent);
	return present;
}

/* The ops the core needs before it touches a table (ethtool_set_rxfh). */
bool vmq_ethtool_has_rxfh(struct net_device *dev)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;

	return ops && ops->get_rxfh_indir_size && ops->get_rxfh &&
	       ops->set_rxfh && ops->get_rxnfc;
}

/**
 * vmq_ethtool_get_rxfh_indir - read a NIC's RSS indirection table
 * @dev: the NIC
 * @size: set to the table's size
 *
 * Size and table are read in one bracket: mlx5's size follows its
 * channel count, and its get_rxfh() copies a table of the current size
 * whatever the caller allocated.
 *
 * Return: the table (kfree() it), or an ERR_PTR().
 */
u32 *vmq_ethtool_get_rxfh_indir(struct net_device *dev, u32 *size)
{
	u32 *indir = NULL;
	int err;

	if (!vmq_ethtool_has_rxfh(dev))
		return ERR_PTR(-EOPNOTSUPP);
	err = vmq_ethtool_begin(dev);
	if (err)
		return ERR_PTR(err);
	*size = dev->ethtool_ops->get_rxfh_indir_size(dev);
	err = -EOPNOTSUPP;
	if (!*size)
		goto out;
	err = -ENOMEM;
	indir = kcalloc(*size, sizeof(*indir), GFP_KERNEL);
	if (!indir)
		goto out;
	err = vmq_compat_get_rxfh_indir(dev, indir, *size);
out:
	vmq_ethtool_end(dev);
	if (err) {
		kfree(indir);
		return ERR_PTR(err);
	}
	return indir;
}

static int vmq_ethtool_grxrings(struct net_device *dev, u32 *rings)
{
	struct ethtool_rxnfc info = { .cmd = ETHTOOL_GRXRINGS };
	int err;

	err = dev->ethtool_ops->get_rxnfc(dev, &info, NULL);
	*rings = info.data;
	return err ?: (info.data ? 0 : -EINVAL);
}

/* The RX rings an indirection table may name (ETHTOOL_GRXRINGS). */
int vmq_ethtool_rx_rings(struct net_device *dev, u32 *rings)
{
	int err;

	if (!vmq_ethtool_has_rxfh(dev))
		return -EOPNOTSUPP;
	err = vmq_ethtool_begin(dev);
	if (err)
		return err;
	err = vmq_ethtool_grxrings(dev, rings);
	vmq_ethtool_end(dev);
	return err;
}

/*
 * ethtool_set_rxfh_indir(): with @indir, a table of the NIC's current
 * size, each entry a ring it has, after which the table is the user's;
 * without, the default spread over the rings, after which it is the
 * driver's again.
 */
static int vmq_ethtool_put_rxfh_indir(struct net_device *dev,
				      const u32 *indir, u32 size)
{
	u32 n, rings, i, *table;
	int err;

	err = vmq_ethtool_begin(dev);
	if (err)
		return err;
	n = dev->ethtool_ops->get_rxfh_indir_size(dev);
	err = vmq_ethtool_grxrings(dev, &rings);
	if (!err && indir && n != size)
		err = -EINVAL;	/* the table changed size under the caller */
	table = err ? NULL : kcalloc(n, sizeof(*table), GFP_KERNEL);
	if (!err && !table)
		err = -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		table[i] = indir ? indir[i] : ethtool_rxfh_indir_default(i, rings);
		if (table[i] >= rings)
			err = -EINVAL;
	}
	if (!err)
		err = vmq_compat_set_rxfh_indir(dev, table, n);
	if (!err && indir)
		dev->priv_flags |= IFF_RXFH_CONFIGURED;
	else if (!err)
		dev->priv_flags &= ~IFF_RXFH_CONFIGURED;
	vmq_ethtool_end(dev);
	kfree(table);
	return err;
}

/**
 * vmq_ethtool_set_rxfh_indir - set a NIC's RSS table, as `ethtool -X` does
 * @dev: the NIC
 * @indir: the table
 * @size: its size, which must still be the NIC's
 *
 * Return: 0, -EINVAL if the table no longer fits the NIC, or the
 * driver's errno.
 */
int vmq_ethtool_set_rxfh_indir(struct net_device *dev, const u32 *indir,
			       u32 size)
{
	if (!vmq_ethtool_has_rxfh(dev))
		return -EOPNOTSUPP;
	return vmq_ethtool_put_rxfh_indir(dev, indir, size);
}

/* The driver's own spread, as `ethtool -X DEV default` asks for. */
int vmq_ethtool_reset_rxfh_indir(struct net_device *dev)
{
	if (!vmq_ethtool_has_rxfh(dev))
		return -EOPNOTSUPP;
	return vmq_ethtool_put_rxfh_indir(dev, NULL, 0);
}

/**
 * vmq_ethtool_set_feature - turn a feature on or off, as `ethtool -K` does
 * @dev: the NIC
 * @feature: one NETIF_F_ flag the NIC can change
 * @on: the wanted state
 *
 * Return: 0 if the feature is now as wanted, -EOPNOTSUPP if it cannot
 * change, or -EIO if the driver would not.
 */
int vmq_ethtool_set_feature(struct net_device *dev, netdev_features_t feature,
			    bool on)
{
	int err;

	if (!(dev->hw_features & feature))
		return -EOPNOTSUPP;
	err = vmq_ethtool_begin(dev);
	if (err)
		return err;
	if (on)
		dev->wanted_features |= feature;
	else
		dev->wanted_features &= ~feature;
	/* __netdev_update_features() is not exported: this also notifies. */
	netdev_update_features(dev);
	vmq_ethtool_end(dev);
	return !!(dev->features & feature) == on ? 0 : -EIO;
}
