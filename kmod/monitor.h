/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor multicast group: events, as they happen.
 */
#ifndef _VMQ_MONITOR_H
#define _VMQ_MONITOR_H

#include <net/genetlink.h>

#include "model.h"

void vmq_monitor_start(const struct genl_family *family);
void vmq_monitor_stop(void);

__printf(4, 5)
void vmq_event(const struct vmq_team *team, enum vmq_event type,
	       const struct vmq_vm *vm, const char *fmt, ...);
__printf(3, 4)
bool vmq_event_adapter(const struct vmq_adapter *ad, enum vmq_event type,
		       const char *fmt, ...);

#endif /* _VMQ_MONITOR_H */
