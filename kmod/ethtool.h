/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmq's calls into other drivers' ethtool ops, made the way the ethtool
 * core makes them.  The only code in vmq that calls ethtool_ops.
 */
#ifndef _VMQ_ETHTOOL_H
#define _VMQ_ETHTOOL_H

#include <linux/ethtool.h>
#include <linux/netdevice.h>

bool vmq_ethtool_present(struct net_device *dev);

int vmq_ethtool_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info,
			  u32 *rule_locs);
int vmq_ethtool_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info);

bool vmq_ethtool_has_rxfh(struct net_device *dev);
int vmq_ethtool_rx_rings(struct net_device *dev, u32 *rings);
u32 *vmq_ethtool_get_rxfh_indir(struct net_device *dev, u32 *size);
int vmq_ethtool_set_rxfh_indir(struct net_device *dev, const u32 *indir,
			       u32 size);
int vmq_ethtool_reset_rxfh_indir(struct net_device *dev);

int vmq_ethtool_set_feature(struct net_device *dev, netdev_features_t feature,
			    bool on);

#endif /* _VMQ_ETHTOOL_H */
