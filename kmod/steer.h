/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software steering: frames handed to another CPU's receive path, as RPS
 * hands them, but to a CPU of vmq's choosing.
 */
#ifndef _VMQ_STEER_H
#define _VMQ_STEER_H

#include <linux/skbuff.h>

/* Runs on the frame's CPU, in NAPI context, and must consume @skb. */
typedef void (*vmq_steer_deliver_t)(struct sk_buff *skb, void *owner);

bool vmq_steer_to(struct sk_buff *skb, unsigned int cpu, void *owner,
		  unsigned long *qtail);
bool vmq_steer_idle(unsigned int cpu);
bool vmq_steer_passed(unsigned int cpu, unsigned long qtail);
void vmq_steer_flush(const void *owner, bool deliver);
int vmq_steer_init(vmq_steer_deliver_t deliver);
void vmq_steer_exit(void);

#endif /* _VMQ_STEER_H */
