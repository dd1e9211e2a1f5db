/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which RX queue an interrupt serves, from the name its driver requested
 * it with.  Shared by the module (to check an IRQ userspace hands down)
 * and vmqctl (to find the IRQs from /proc/interrupts).
 */
#ifndef _VMQ_CORE_IRQNAME_H
#define _VMQ_CORE_IRQNAME_H

#include "types.h"

int vmq_irq_name_queue(const char *name, const char *owner,
		       unsigned int nr_queues);

#endif /* _VMQ_CORE_IRQNAME_H */
