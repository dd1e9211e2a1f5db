/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive path: what a member's ingress hook does with a frame.
 */
#ifndef _VMQ_RX_H
#define _VMQ_RX_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

struct vmq_team;

unsigned int vmq_rx_ingress(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);
void vmq_rx_quiesce(struct vmq_team *team);
int vmq_rx_init(void);
void vmq_rx_exit(void);

#endif /* _VMQ_RX_H */
