// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool for both ports.  The NIC's: drvinfo, link, channels (-l/-L, as
 * igb: combined only, reinit on change), per-queue statistics (-S),
 * ntuple rules (-n/-N, rules.c) and RSS (-x/-X, rss.c).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/pm_runtime.h>
#include <linux/rtnetlink.h>

#include "nicsim.h"
#include "compat.h"

/* Per queue, in this order: rx_queue_<q>_{packets,bytes,drops}. */
#define NICSIM_QUEUE_STATS	3

static void nicsim_get_drvinfo(struct net_device *dev,
			       struct ethtool_drvinfo *info, const char *driver)
{
	struct nicsim_port *port = netdev_priv(dev);

	strscpy(info->driver, driver, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&port->pair->dev),
		sizeof(info->bus_info));
}

/* The profile as firmware-version: `ethtool -i` tells which it is. */
static void nicsim_nic_get_drvinfo(struct net_device *dev,
				   struct ethtool_drvinfo *info)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	nicsim_get_drvinfo(dev, info, NICSIM_DRV_NAME);
	strscpy(info->fw_version, nic->profile->name,
		sizeof(info->fw_version));
}

static void nicsim_peer_get_drvinfo(struct net_device *dev,
				    struct ethtool_drvinfo *info)
{
	nicsim_get_drvinfo(dev, info, NICSIM_DRV_NAME "-peer");
}

/* 10G full duplex while the link is up (802.3ad bonds need a speed). */
static int nicsim_get_link_ksettings(struct net_device *dev,
				     struct ethtool_link_ksettings *cmd)
{
	bool up = netif_carrier_ok(dev);

	cmd->base.speed = up ? SPEED_10000 : SPEED_UNKNOWN;
	cmd->base.duplex = up ? DUPLEX_FULL : DUPLEX_UNKNOWN;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

/*
 * The bracket __dev_ethtool() and ethnl_ops_begin() put every request
 * in: the parent woken (pm_runtime_get_sync()), the device present,
 * ops->begin() called.  6.1's igb_ethtool_begin() itself takes the PCI
 * device awake for the request and igb_ethtool_complete() lets it go;
 * on other profiles nicsim's begin() and complete() only count the
 * depth, so that a request outside the bracket shows.  Under RTNL, as
 * every request that reaches these ops.
 */
static int nicsim_ethtool_begin(struct net_device *dev)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	ASSERT_RTNL();
	if (nic->profile->ethtool_begin_wakes)
		pm_runtime_get_sync(dev->dev.parent);
	nic->in_begin++;
	return 0;
}

static void nicsim_ethtool_complete(struct net_device *dev)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	nic->in_begin--;
	if (nic->profile->ethtool_begin_wakes)
		pm_runtime_put(dev->dev.parent);
}

/*
 * A request the core would not have made: to a NIC detached (an error
 * recovery, or asleep) or runtime-suspended, or outside begin() and
 * complete().  A real NIC would take it with its registers
 * powered down or mid-reset; nicsim counts it (debugfs unbracketed).
 */
void nicsim_ethtool_enter(struct net_device *dev)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	if (!netif_device_present(dev) ||
	    pm_runtime_suspended(dev->dev.parent) || !nic->in_begin)
		nic->unbracketed++;
}

static void nicsim_get_channels(struct net_device *dev,
				struct ethtool_channels *ch)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	nicsim_ethtool_enter(dev);

	ch->max_combined = NICSIM_MAX_QUEUES;
	ch->combined_count = nic->num_queues;
}

/*
 * igb_set_channels(): combined channels only, no "other" vector here;
 * the same count is a no-op, another one a full reinit.  Queues still
 * named by a rule or a configured indirection table must stay (the
 * core checks the same on 6.12).
 */
static int nicsim_set_channels(struct net_device *dev,
			       struct ethtool_channels *ch)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	unsigned int count = ch->combined_count;

	nicsim_ethtool_enter(dev);
	/* sfc has no set_channels: the core says -EOPNOTSUPP */
	if (nic->profile->no_set_channels)
		return -EOPNOTSUPP;
	if (!count || ch->rx_count || ch->tx_count || ch->other_count ||
	    count > NICSIM_MAX_QUEUES)
		return -EINVAL;
	if (count == nic->num_queues)
		return 0;
	/* ice_set_channels(): "Cannot set channels when Flow Director
	 * filters are active", whatever queue they name.
	 */
	if (nic->profile->rules_block_channels && nic->rule_count)
		return -EOPNOTSUPP;
	if (nicsim_rules_max_queue(nic) >= (int)count)
		return -EINVAL;
	if (netif_is_rxfh_configured(dev) &&
	    nicsim_rss_max_queue(nic) >= (int)count)
		return -EINVAL;
	return nicsim_nic_reinit(nic, count);
}

static int nicsim_get_sset_count(struct net_device *dev, int sset)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return nic->num_queues * NICSIM_QUEUE_STATS;
}

static void nicsim_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < nic->num_queues; i++) {
		ethtool_sprintf(&data, "rx_queue_%u_packets", i);
		ethtool_sprintf(&data, "rx_queue_%u_bytes", i);
		ethtool_sprintf(&data, "rx_queue_%u_drops", i);
	}
}

static void nicsim_get_ethtool_stats(struct net_device *dev,
				     struct ethtool_stats *stats, u64 *data)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	unsigned int i, start;

	for (i = 0; i < nic->num_queues; i++) {
		struct nicsim_rxq *q = &nic->rxq[i];

		do {
			start = u64_stats_fetch_begin(&q->syncp);
			data[0] = u64_stats_read(&q->packets);
			data[1] = u64_stats_read(&q->bytes);
		} while (u64_stats_fetch_retry(&q->syncp, start));
		data[2] = atomic64_read(&q->ring_full);
		data += NICSIM_QUEUE_STATS;
	}
}

/* What GRXCLSRLCNT's data says besides the count, per profile. */
static void nicsim_rule_count_data(struct nicsim_nic *nic,
				   struct ethtool_rxnfc *info)
{
	switch (nic->profile->cnt_data) {
	case NICSIM_CNT_NOTHING:
		break;
	case NICSIM_CNT_SIZE:
		info->data = nic->rule_capacity;
		break;
	case NICSIM_CNT_SIZE_SPECIAL:
		info->data = nic->rule_capacity | RX_CLS_LOC_SPECIAL;
		break;
	}
}

/*
 * mlx4_en_get_rxnfc(), mlx4_en_set_rxnfc(): no rule command while the
 * port is down, not even a query.
 */
static int nicsim_rules_down(struct nicsim_nic *nic)
{
	if (nic->profile->down_errno && !netif_running(nic->port.netdev))
		return nic->profile->down_errno;
	return 0;
}

static int nicsim_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info,
			    u32 *rule_locs)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	int err;

	nicsim_ethtool_enter(dev);
	switch (info->cmd) {
	case ETHTOOL_GRXCLSRLCNT:
	case ETHTOOL_GRXCLSRULE:
	case ETHTOOL_GRXCLSRLALL:
		err = nicsim_rules_down(nic);
		if (err)
			return err;
		break;
	}
	switch (info->cmd) {
	case ETHTOOL_GRXRINGS:
		info->data = nic->num_queues;
		return 0;
	case ETHTOOL_GRXCLSRLCNT:
		info->rule_cnt = nic->rule_count;
		nicsim_rule_count_data(nic, info);
		return 0;
	case ETHTOOL_GRXCLSRULE:
		return nicsim_rule_get(nic, &info->fs);
	case ETHTOOL_GRXCLSRLALL:
		return nicsim_rule_locations(nic, info, rule_locs);
	case ETHTOOL_GRXFH:
		return nicsim_rss_hash_fields(info);
	default:
		return -EOPNOTSUPP;
	}
}

static int nicsim_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	int err;

	nicsim_ethtool_enter(dev);
	err = nicsim_rules_down(nic);
	if (err)
		return err;
	switch (info->cmd) {
	case ETHTOOL_SRXCLSRLINS:
		return nicsim_rule_insert(nic, &info->fs);
	case ETHTOOL_SRXCLSRLDEL:
		return nicsim_rule_delete(nic, info->fs.location);
	default:
		return -EOPNOTSUPP;
	}
}

static u32 nicsim_get_rxfh_indir_size(struct net_device *dev)
{
	nicsim_ethtool_enter(dev);
	return nicsim_rss_indir_size(netdev_priv(dev));
}

static u32 nicsim_get_rxfh_key_size(struct net_device *dev)
{
	return NICSIM_RSS_KEY_SIZE;
}

const struct ethtool_ops nicsim_nic_ethtool_ops = {
	.begin			= nicsim_ethtool_begin,
	.complete		= nicsim_ethtool_complete,
	.get_drvinfo		= nicsim_nic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= nicsim_get_link_ksettings,
	.get_channels		= nicsim_get_channels,
	.set_channels		= nicsim_set_channels,
	.get_sset_count		= nicsim_get_sset_count,
	.get_strings		= nicsim_get_strings,
	.get_ethtool_stats	= nicsim_get_ethtool_stats,
	.get_rxnfc		= nicsim_get_rxnfc,
	.set_rxnfc		= nicsim_set_rxnfc,
	.get_rxfh_indir_size	= nicsim_get_rxfh_indir_size,
	.get_rxfh_key_size	= nicsim_get_rxfh_key_size,
	.get_rxfh		= nicsim_compat_get_rxfh,
	.set_rxfh		= nicsim_compat_set_rxfh,
};

const struct ethtool_ops nicsim_peer_ethtool_ops = {
	.get_drvinfo		= nicsim_peer_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= nicsim_get_link_ksettings,
};
