// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path: a member's netfilter ingress hook.
 *
 * vmq sees a team's frames through a netfilter ingress hook on each
 * member (adapter.c registers it), not through an rx_handler: a device
 * has one rx_handler slot, and on a KVM host the bond's belongs to the
 * bridge, macvlan/macvtap, ipvlan or Open vSwitch the guests hang off.
 * The member's ingress hook runs before bond_handle_frame() and whatever
 * holds the bond's slot, with the frame still on the member and queue it
 * came in on, its VLAN tag already in the skb's metadata.  Lock-free:
 * an RCU lookup and this CPU's counters, nothing that sleeps.
 */
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>

#include "bond.h"
#include "rx.h"
#include "vm.h"

static void vmq_rx_count_team(struct vmq_team *team,
			      const struct sk_buff *skb)
{
	struct vmq_team_pcpu_stats *stats = this_cpu_ptr(team->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_add(&stats->rx_bytes, skb->len);
	u64_stats_update_end(&stats->syncp);
}

/**
 * vmq_rx_ingress - the per-packet path, a member's netfilter ingress hook
 * @priv: the member's adapter
 * @skb: a frame, on the member (skb->dev) and queue it arrived on
 * @state: unused
 *
 * Softirq context, RCU read side held by the core.  The adapter, and its
 * team, are freed only a grace period after the hook is unregistered.
 * Frames the bond will not take (an inactive member's) are not counted.
 *
 * Return: NF_ACCEPT; vmq only counts.
 */
unsigned int vmq_rx_ingress(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	const struct vmq_adapter *ad = priv;
	struct vmq_team *team = ad->team;
	struct vmq_vm *vm;
	int vlan = -1;

	if (!vmq_bond_member_delivers(skb))
		return NF_ACCEPT;
	vmq_rx_count_team(team, skb);
	if (skb_vlan_tag_present(skb)) {
		/* A VM's VLAN is an 802.1Q one: a service tag names none. */
		if (skb->vlan_proto != htons(ETH_P_8021Q))
			return NF_ACCEPT;
		vlan = skb_vlan_tag_get_id(skb);
	}
	vm = vmq_vm_lookup_rcu(team, eth_hdr(skb)->h_dest, vlan);
	if (vm)
		vmq_vm_count_rx(vm, skb);
	return NF_ACCEPT;
}
