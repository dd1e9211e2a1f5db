/* SPDX-License-Identifier: GPL-2.0 */
/*
 * irqmap.c: a device's RX queue IRQs, found from userspace, for
 * `adapter set DEV irq auto`.
 */
#ifndef VMQCTL_IRQMAP_H
#define VMQCTL_IRQMAP_H

#include <stdbool.h>

#define VMQ_MAX_IRQ_QUEUES	64

/* What one look at /proc/interrupts and sysfs found for a device. */
struct vmq_irq_scan {
	unsigned int irq[VMQ_MAX_IRQ_QUEUES];	/* per queue; 0: none */
	int found;		/* queues given an IRQ */
	int foreign;		/* IRQs named like the device's, not its own */
	int ambiguous;		/* a queue two of the device's IRQs name */
	bool msi_known;		/* the device's MSI vectors were listed */
	char function[64];	/* its PCI function, if msi_known */
};

int vmq_irqs_resolve(const char *root, const char *dev,
		     struct vmq_irq_scan *scan);

#endif /* VMQCTL_IRQMAP_H */
