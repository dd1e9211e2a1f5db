/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmq reads of a bond.
 */
#ifndef _VMQ_BOND_H
#define _VMQ_BOND_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "core/teammode.h"

bool vmq_is_bond(const struct net_device *dev);
struct net_device *vmq_bond_xmit_member(struct net_device *bond,
					const u8 *mac, int vlan);
void vmq_bond_read_params(const struct net_device *bond,
			  struct vmq_bond_params *params);
bool vmq_bond_member_delivers(const struct sk_buff *skb);
enum vmq_bond_take {
	VMQ_BOND_TAKEN,
	VMQ_BOND_CONSUMED,
	VMQ_BOND_NOT_OURS,
};

enum vmq_bond_take vmq_bond_take_frame(struct sk_buff **pskb);

#endif /* _VMQ_BOND_H */
