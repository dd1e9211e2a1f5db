/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Placing VMs on queues: the desired state the sync step applies.
 */
#ifndef _VMQ_PLACE_H
#define _VMQ_PLACE_H

#include "model.h"

void vmq_team_place(struct vmq_team *team, bool replace_all);
bool vmq_team_layout_same(const struct vmq_team *team);
bool vmq_team_place_new(struct vmq_team *team, struct vmq_vm *vm);
void vmq_vm_unplace(struct vmq_team *team, struct vmq_vm *vm);
void vmq_vm_publish(struct vmq_vm *vm);

#endif /* _VMQ_PLACE_H */
