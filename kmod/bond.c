// SPDX-License-Identifier: GPL-2.0
/*
 * What vmq reads of a bond.  The bonding driver exports no getters for
 * its parameters, so they are read from struct bonding, under RTNL like
 * bonding's own option code; this is the only file that knows its
 * layout.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/bonding.h>

#include "bond.h"

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
 * vmq_bond_member_delivers - whether the bond takes a frame from its member
 * @skb: a frame on a bond member, at the member's ingress
 *
 * As bond_handle_frame() decides: slow-protocol frames (LACPDUs, marker
 * PDUs) are bonding's own; and bond_should_deliver_exact_match() gives an
 * inactive member's frames (an active-backup bond's backup, unless
 * all_slaves_active) to exact-match protocol handlers only, never to the
 * bond -- except an alb bond's unicast.
 *
 * Per packet, RCU.  A member's rx_handler_data is its struct slave while
 * it is a member: bonding registers its rx_handler before it links the
 * member below the bond, unregisters it before it unlinks it, and frees
 * the slave only after a grace period; vmq hooks only members it found
 * linked, and unhooks them before they are gone.
 */
bool vmq_bond_member_delivers(const struct sk_buff *skb)
{
	struct slave *slave = bond_slave_get_rcu(skb->dev);

	if (!slave || slave->dev != skb->dev ||
	    skb->protocol == htons(ETH_P_SLOW))
		return false;
	if (!bond_is_slave_inactive(slave))
		return true;
	return BOND_MODE(slave->bond) == BOND_MODE_ALB &&
	       skb->pkt_type != PACKET_BROADCAST &&
	       skb->pkt_type != PACKET_MULTICAST;
}

/**
 * vmq_bond_take_frame - do to a member's frame what bonding's rx_handler
 *	would, before it is handed to another CPU as the bond's
 * @pskb: a frame vmq_bond_member_delivers() said the bond takes; set to
 *	the bond's copy, or NULL once consumed
 *
 * The steps of bond_handle_frame() (identical in 6.1 and 6.12) for a frame
 * it delivers to the bond: bonding's receive probe (802.3ad, the ARP
 * monitor's validation, ALB's ARP learning) sees it, and an ALB bond that
 * is a bridge port gets its own MAC as the destination.  Then the frame
 * is the bond's, as if bond_handle_frame() had returned
 * RX_HANDLER_ANOTHER, and the member's taps, tc and netfilter hooks have
 * seen it exactly once.  Softirq, RCU.
 *
 * Return: VMQ_BOND_TAKEN with *@pskb now on the bond; VMQ_BOND_CONSUMED
 * if bonding took it (or it could not be copied); VMQ_BOND_NOT_OURS,
 * *@pskb untouched, if the member is being released: bonding's
 * rx_handler is gone (netdev_rx_handler_unregister() clears it first),
 * and the frame is no longer the bond's.
 */
enum vmq_bond_take vmq_bond_take_frame(struct sk_buff **pskb)
{
	int (*recv_probe)(const struct sk_buff *skb, struct bonding *bond,
			  struct slave *slave);
	struct sk_buff *skb = *pskb;
	struct slave *slave;
	struct bonding *bond;

	if (!rcu_access_pointer(skb->dev->rx_handler))
		return VMQ_BOND_NOT_OURS;
	slave = bond_slave_get_rcu(skb->dev);
	if (!slave)
		return VMQ_BOND_NOT_OURS;
	bond = slave->bond;
	skb = skb_share_check(skb, GFP_ATOMIC);
	*pskb = skb;
	if (unlikely(!skb))
		return VMQ_BOND_CONSUMED;
	recv_probe = READ_ONCE(bond->recv_probe);
	if (recv_probe && recv_probe(skb, bond, slave) == RX_HANDLER_CONSUMED) {
		consume_skb(skb);
		return VMQ_BOND_CONSUMED;
	}
	skb->dev = bond->dev;
	if (BOND_MODE(bond) == BOND_MODE_ALB &&
	    netif_is_bridge_port(bond->dev) && skb->pkt_type == PACKET_HOST) {
		if (unlikely(skb_cow_head(skb,
					  skb->data - skb_mac_header(skb)))) {
			kfree_skb(skb);
			return VMQ_BOND_CONSUMED;
		}
		bond_hw_addr_copy(eth_hdr(skb)->h_dest, bond->dev->dev_addr,
				  bond->dev->addr_len);
	}
	return VMQ_BOND_TAKEN;
}

/**
 * vmq_bond_xmit_member - the member the bond transmits @mac's frames on
 * @bond: the bond master
 * @mac: a guest's MAC, as the source of its frames
 * @vlan: its VLAN id, or -1
 *
 * Sum-Queue puts a VM's queue on the member its frames arrive on, which
 * with balance-xor + vlan+srcmac is the member the bond sends its frames
 * through (the switch learns the MAC there).  Rather than copy the
 * bond's hash, ask the bond, with a frame such as the VM would send.
 *
 * Return: the member, or NULL if none can transmit.  The caller holds
 * RTNL, which keeps it a member.
 */
struct net_device *vmq_bond_xmit_member(struct net_device *bond,
					const u8 *mac, int vlan)
{
	struct net_device *member;
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = alloc_skb(ETH_HLEN, GFP_KERNEL);
	if (!skb)
		return NULL;
	eth = skb_put_zero(skb, ETH_HLEN);
	ether_addr_copy(eth->h_source, mac);
	eth_broadcast_addr(eth->h_dest);
	eth->h_proto = htons(ETH_P_IP);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb->protocol = eth->h_proto;
	skb->dev = bond;
	if (vlan >= 0)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), vlan);

	rcu_read_lock();
	member = netdev_get_xmit_slave(bond, skb, false);
	rcu_read_unlock();
	consume_skb(skb);
	return member;
}
