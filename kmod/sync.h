/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sync step: the one entry point that applies the model, and the
 * hardware layer's only caller.
 */
#ifndef _VMQ_SYNC_H
#define _VMQ_SYNC_H

#include "model.h"
#include "rules.h"

/* A queue as vmq keeps it: its IRQ as last found, and vmq's rule. */
struct vmq_queue_state {
	int irq;			/* or -1 */
	enum vmq_irq_method how;
	bool has_rule;
	u32 rule_loc;
};

void vmq_team_apply(struct vmq_team *team, bool verify);
void vmq_team_unapply(struct vmq_team *team);
void vmq_team_vm_added(struct vmq_team *team, struct vmq_vm *vm);
void vmq_team_vm_deleted(struct vmq_team *team, bool others_move);

int vmq_adapter_rule_table(const struct vmq_adapter *ad,
			   struct vmq_rule_table *t);
int vmq_adapter_irq_check(const struct vmq_adapter *ad, unsigned int irq);
int vmq_adapter_hw_prepare(struct vmq_adapter *ad);
void vmq_adapter_take_irq(struct vmq_adapter *ad, unsigned int q,
			  unsigned int irq);
bool vmq_adapter_rss_narrowed(const struct vmq_adapter *ad);
unsigned int vmq_adapter_hw_queues(const struct vmq_adapter *ad);
void vmq_adapter_queue_state(const struct vmq_adapter *ad, unsigned int q,
			     struct vmq_queue_state *st);

bool vmq_sync_undo_owed(void);
void vmq_sync_undo_retry(void);
void vmq_sync_forget_dev(struct net_device *dev);
void vmq_sync_exit(void);

#endif /* _VMQ_SYNC_H */
