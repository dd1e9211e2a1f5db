/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sync step: the one entry point that applies the model, and the
 * hardware layer's only caller.
 */
#ifndef _VMQ_SYNC_H
#define _VMQ_SYNC_H

#include "model.h"

void vmq_team_apply(struct vmq_team *team, bool verify);
void vmq_team_unapply(struct vmq_team *team);

int vmq_adapter_rule_table(const struct vmq_adapter *ad,
			   struct vmq_rule_table *t);
int vmq_adapter_irq_check(const struct vmq_adapter *ad, unsigned int irq);
void vmq_adapter_take_irq(struct vmq_adapter *ad, unsigned int q,
			  unsigned int irq);

bool vmq_sync_undo_owed(void);
void vmq_sync_undo_retry(void);
void vmq_sync_forget_dev(const struct net_device *dev);
void vmq_sync_exit(void);

#endif /* _VMQ_SYNC_H */
