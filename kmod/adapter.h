/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Adapters: a team's bond members and their processor sets, in the model.
 */
#ifndef _VMQ_ADAPTER_H
#define _VMQ_ADAPTER_H

#include "model.h"

void vmq_adapters_sync_members(struct vmq_team *team);
void vmq_adapters_free(struct list_head *list);
unsigned int vmq_adapter_queues(const struct vmq_adapter *ad);
int vmq_adapter_nic_node(const struct vmq_adapter *ad);

int vmq_team_compute_sets(struct vmq_team *team,
			  const struct vmq_adapter *changed,
			  const struct vmq_adapter *proposal,
			  struct vmq_cpuset *sets, char *msg, size_t len);
int vmq_team_plan(struct vmq_team *team, struct vmq_cpuset *sets);
void vmq_adapters_use_plan(struct vmq_team *team);
void vmq_team_queue_counts(const struct vmq_team *team, unsigned int *queues,
			   unsigned int *vm_queues);

#endif /* _VMQ_ADAPTER_H */
