/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Queue interrupts: finding an RX queue's IRQ, pinning it, and giving
 * back the affinity it had.  Part of the hardware layer: knows devices
 * and IRQs, not teams.
 */
#ifndef _VMQ_IRQ_H
#define _VMQ_IRQ_H

#include <linux/cpumask.h>
#include <linux/netdevice.h>
#include <linux/types.h>
#include <linux/vmq.h>

/* An RX queue's IRQ as vmq pinned it. */
struct vmq_irq_pin {
	int irq;
	bool pinned;
	unsigned int cpu;
	cpumask_var_t saved;		/* the affinity before vmq */
};

enum vmq_irq_owner {
	VMQ_IRQ_OWN,			/* one of the adapter's MSI vectors */
	VMQ_IRQ_FOREIGN,		/* another device's, or none */
	VMQ_IRQ_UNOWNED,		/* no owner the kernel records */
};

int vmq_irq_find(struct net_device *dev, unsigned int queue, int user_irq,
		 enum vmq_irq_method *how);
bool vmq_irq_exists(unsigned int irq);
u32 vmq_irq_holder(unsigned int irq);
enum vmq_irq_owner vmq_irq_owner(struct net_device *dev, unsigned int irq);

int vmq_irq_pin_init(struct vmq_irq_pin *pin);
void vmq_irq_pin_destroy(struct vmq_irq_pin *pin);
int vmq_irq_pin(struct vmq_irq_pin *pin, int irq, unsigned int cpu);
bool vmq_irq_pin_holds(const struct vmq_irq_pin *pin);
int vmq_irq_unpin(struct vmq_irq_pin *pin, int irq);

#endif /* _VMQ_IRQ_H */
