// SPDX-License-Identifier: GPL-2.0
/*
 * What vmq reads of a bond, and of whoever else holds a device's
 * rx_handler.  The bonding driver exports no getters for its parameters,
 * so they are read from struct bonding, under RTNL like bonding's own
 * option code; this is the only file that knows its layout.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/bonding.h>

#include "vmq.h"

bool vmq_is_bond(const struct net_device *dev)
{
	return netif_is_bond_master(dev);
}

void vmq_bond_read_params(const struct net_device *dev,
			  struct vmq_bond_params *params)
{
	const struct bonding *bond = netdev_priv(dev);

	ASSERT_RTNL();
	params->mode = BOND_MODE(bond);
	params->xmit_policy = bond->params.xmit_policy;
}

/**
 * vmq_rx_handler_owner - who holds a device's rx_handler slot, in words
 * @dev: a device whose rx_handler is set
 *
 * Return: "a bridge", "macvlan/macvtap", ... for the error message that
 * tells an administrator why vmq cannot attach.
 */
const char *vmq_rx_handler_owner(const struct net_device *dev)
{
	if (netif_is_bridge_port(dev))
		return "a bridge (it is a bridge port)";
	if (netif_is_macvlan_port(dev))
		return "macvlan/macvtap (it is their lower device)";
	if (netif_is_ovs_port(dev))
		return "Open vSwitch (it is an OVS port)";
	if (netif_is_bond_slave(dev))
		return "another bond (it is enslaved)";
	if (netif_is_team_port(dev))
		return "a team device (it is a team port)";
	return "another module";
}
