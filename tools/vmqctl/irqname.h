/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which RX queue an interrupt serves, from the name its driver requested
 * it with, as /proc/interrupts shows it.  Plain C, unit-tested in
 * selftests/unit.
 */
#ifndef VMQCTL_IRQNAME_H
#define VMQCTL_IRQNAME_H

int vmq_irq_name_queue(const char *name, const char *owner,
		       unsigned int nr_queues);

#endif /* VMQCTL_IRQNAME_H */
