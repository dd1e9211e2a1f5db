// SPDX-License-Identifier: GPL-2.0
/*
 * Queue interrupts: finding the IRQ of an RX queue, pinning it to a CPU,
 * and putting back the affinity it had before.
 *
 * vmq changes another driver's IRQs, so it uses only irq_set_affinity():
 * no affinity hints or notifiers, which belong to the IRQ's owner (and
 * free_irq() warns about a notifier it did not set).  What vmq changed it
 * remembers, and restores when the queue is released, the team detached
 * or the module unloaded -- unless the IRQ number no longer belongs to
 * the queue (a driver reset frees and requests its vectors again), in
 * which case the number may be someone else's now and is left alone.
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/jhash.h>
#include <linux/msi.h>
#include <linux/pci.h>

#include "compat.h"
#include "irq.h"

/* A driver whose MSI-X layout vmq knows: RX queue -> vector index. */
struct vmq_irq_layout {
	const char *driver;
	int (*vector)(unsigned int queue);
};

/* igb: vector 0 is "other" (link, mailbox); RX queue i is vector i + 1. */
static int vmq_igb_vector(unsigned int queue)
{
	return queue + 1;
}

/*
 * virtio-net over virtio-pci with a vector per virtqueue: vector 0 is the
 * config change interrupt, then the virtqueues in order rx0, tx0, rx1,
 * tx1, ... (the control queue has no callback, so no vector).
 */
static int vmq_virtio_net_vector(unsigned int queue)
{
	return 1 + 2 * queue;
}

static const struct vmq_irq_layout vmq_irq_layouts[] = {
	{ "igb", vmq_igb_vector },
	{ "virtio_net", vmq_virtio_net_vector },
};

/* The PCI function whose vectors serve a netdev's queues, if any. */
static struct pci_dev *vmq_pci_function(struct device *parent)
{
	/* virtio-net's parent is the virtio device, on the PCI function. */
	if (parent && !dev_is_pci(parent))
		parent = parent->parent;
	if (!parent || !dev_is_pci(parent))
		return NULL;
	return to_pci_dev(parent);
}

static struct pci_dev *vmq_msix_function(struct device *parent)
{
	struct pci_dev *pdev = vmq_pci_function(parent);

	return pdev && pdev->msix_enabled ? pdev : NULL;
}

/* Whether @dev is @parent, or a device above it (a PCI function). */
static bool vmq_dev_is_or_above(const struct device *dev,
				const struct device *parent)
{
	for (; parent; parent = parent->parent)
		if (parent == dev)
			return true;
	return false;
}

/**
 * vmq_irq_owner - whose interrupt @irq is, as far as the system can tell
 * @dev: an adapter
 * @irq: an IRQ userspace handed down for one of its queues
 *
 * An MSI or MSI-X vector (PCI, or platform MSI) belongs to the device
 * that allocated it: it is @dev's if that is the adapter's device or one
 * above it (virtio-net's vectors are its PCI function's), and otherwise
 * someone else's -- another NIC's whose stale name misled vmqctl, or a
 * number typed wrong -- which pinning would move under its owner.
 * Anything else (a wired line, INTx, a software device's own IRQ domain)
 * carries no owner the kernel records.
 *
 * Return: VMQ_IRQ_OWN, VMQ_IRQ_FOREIGN (or no such IRQ), VMQ_IRQ_UNOWNED.
 */
enum vmq_irq_owner vmq_irq_owner(struct net_device *dev, unsigned int irq)
{
	enum vmq_irq_owner owner;
	struct msi_desc *desc;

	rcu_read_lock();	/* irq descs are freed after a grace period */
	if (!irq_get_irq_data(irq)) {
		owner = VMQ_IRQ_FOREIGN;
	} else {
		desc = irq_get_msi_desc(irq);
		if (!desc)
			owner = VMQ_IRQ_UNOWNED;
		else if (vmq_dev_is_or_above(desc->dev, dev->dev.parent))
			owner = VMQ_IRQ_OWN;
		else
			owner = VMQ_IRQ_FOREIGN;
	}
	rcu_read_unlock();
	return owner;
}

/**
 * vmq_irq_holder - a fingerprint of who holds @irq now
 * @irq: an IRQ
 *
 * The name its first handler was requested with ("mlx5_comp3@pci:...",
 * "eth0-TxRx-3"), hashed; never 0 for a named one.  A number handed down
 * for a queue stays that queue's only while this stays the same: a
 * driver reset frees its vectors and requests new ones, and the old
 * numbers go to whoever asks next, another NIC's reset for one.
 *
 * Return: the fingerprint, or 0 if no handler holds @irq.
 */
u32 vmq_irq_holder(unsigned int irq)
{
	struct irq_desc *desc;
	struct irq_data *d;
	unsigned long flags;
	const char *name;
	u32 tag = 0;

	rcu_read_lock();	/* irq descs are freed after a grace period */
	d = irq_get_irq_data(irq);
	if (d) {
		desc = irq_data_to_desc(d);
		/* free_irq() unlinks the action, and its name, under it. */
		raw_spin_lock_irqsave(&desc->lock, flags);
		name = desc->action ? desc->action->name : NULL;
		if (name)
			tag = jhash(name, strlen(name), 0) | 1;
		raw_spin_unlock_irqrestore(&desc->lock, flags);
	}
	rcu_read_unlock();
	return tag;
}

/* Whether @irq is an interrupt the system has. */
bool vmq_irq_exists(unsigned int irq)
{
	return irq_get_irq_data(irq);
}

static int vmq_irq_from_layout(struct net_device *dev, unsigned int queue)
{
	struct device *parent = dev->dev.parent;
	const char *driver;
	struct pci_dev *pdev;
	unsigned int i;

	if (!parent || !parent->driver)
		return -ENOENT;
	driver = parent->driver->name;
	for (i = 0; i < ARRAY_SIZE(vmq_irq_layouts); i++) {
		if (strcmp(driver, vmq_irq_layouts[i].driver))
			continue;
		pdev = vmq_msix_function(parent);
		if (!pdev)
			return -ENOENT;
		return pci_irq_vector(pdev, vmq_irq_layouts[i].vector(queue));
	}
	return -ENOENT;
}

/**
 * vmq_irq_find - the IRQ of an RX queue, and how it was found
 * @dev: the adapter's device
 * @queue: the RX queue
 * @user_irq: an IRQ handed down by vmqctl or the administrator, or -1
 * @how: the method that found it, VMQ_IRQ_NONE if none did
 *
 * In order: the kernel's queue -> NAPI -> IRQ link, where the driver sets
 * it (6.8+); a driver's known MSI-X vector layout; the IRQ userspace
 * resolved from /proc/interrupts.  RTNL.
 *
 * Return: the IRQ, or a negative errno.
 */
int vmq_irq_find(struct net_device *dev, unsigned int queue, int user_irq,
		 enum vmq_irq_method *how)
{
	int irq;

	irq = vmq_compat_queue_napi_irq(dev, queue);
	if (irq > 0) {
		*how = VMQ_IRQ_NAPI;
		return irq;
	}
	irq = vmq_irq_from_layout(dev, queue);
	if (irq > 0) {
		*how = VMQ_IRQ_DRIVER;
		return irq;
	}
	/*
	 * Checked again each time: after a driver reset renumbers the
	 * vectors, the number handed down may be another device's MSI
	 * vector now (an unowned one was allowed by CAP_SYS_ADMIN when
	 * handed down; the caller compares its holder, vmq_irq_holder()).
	 */
	if (user_irq > 0 && vmq_irq_owner(dev, user_irq) != VMQ_IRQ_FOREIGN) {
		*how = VMQ_IRQ_USER;
		return user_irq;
	}
	*how = VMQ_IRQ_NONE;
	return -ENOENT;
}

/*
 * The affinity an IRQ was last asked for.  Without interrupt remapping
 * x86 moves an MSI at its next interrupt; until then the request waits
 * in the pending mask and the old one still reads as the affinity, as
 * /proc/irq/N/smp_affinity also knows.
 */
static const struct cpumask *vmq_irq_requested(struct irq_data *d)
{
#ifdef CONFIG_GENERIC_PENDING_IRQ
	if (irqd_is_setaffinity_pending(d))
		return irq_data_to_desc(d)->pending_mask;
#endif
	return irq_data_get_affinity_mask(d);
}

int vmq_irq_pin_init(struct vmq_irq_pin *pin)
{
	pin->irq = -1;
	pin->pinned = false;
	if (!zalloc_cpumask_var(&pin->saved, GFP_KERNEL))
		return -ENOMEM;
	return 0;
}

void vmq_irq_pin_destroy(struct vmq_irq_pin *pin)
{
	free_cpumask_var(pin->saved);
}

/**
 * vmq_irq_pin - pin an IRQ to one CPU, remembering its affinity first
 * @pin: the queue's pin state
 * @irq: the queue's IRQ as found now
 * @cpu: where it goes
 *
 * If the queue's IRQ changed since it was pinned, the old number is
 * forgotten, not restored: it may belong to another device by now.
 * A managed IRQ (its affinity the kernel's, spread over the CPUs at
 * allocation) is left alone: irq_set_affinity() would move it, where
 * /proc/irq refuses to.
 *
 * Return: 0, -ENOENT if there is no such IRQ, -EPERM if it is managed,
 * or the errno of irq_set_affinity().
 */
int vmq_irq_pin(struct vmq_irq_pin *pin, int irq, unsigned int cpu)
{
	struct irq_data *d;
	int err = 0;

	if (pin->pinned && pin->irq != irq)
		pin->pinned = false;
	rcu_read_lock();	/* irq descs are freed after a grace period */
	d = irq_get_irq_data(irq);
	if (!d)
		err = -ENOENT;
	else if (irqd_affinity_is_managed(d))
		err = -EPERM;
	else if (!pin->pinned)
		cpumask_copy(pin->saved, vmq_irq_requested(d));
	rcu_read_unlock();
	if (err)
		return err;
	err = irq_set_affinity(irq, cpumask_of(cpu));
	if (err)
		return err;
	pin->irq = irq;
	pin->cpu = cpu;
	pin->pinned = true;
	return 0;
}

/* Does the IRQ still have the affinity vmq gave it? */
bool vmq_irq_pin_holds(const struct vmq_irq_pin *pin)
{
	struct irq_data *d;
	bool holds;

	rcu_read_lock();
	d = irq_get_irq_data(pin->irq);
	holds = d && cpumask_equal(vmq_irq_requested(d),
				   cpumask_of(pin->cpu));
	rcu_read_unlock();
	return holds;
}

/**
 * vmq_irq_unpin - give an IRQ back the affinity it had before vmq
 * @pin: the queue's pin state
 * @irq: the queue's IRQ as found now, or -1 if none is
 *
 * Return: 0, or why the IRQ kept vmq's affinity (the CPUs it had are all
 * offline, say); vmq lets go of it either way.
 */
int vmq_irq_unpin(struct vmq_irq_pin *pin, int irq)
{
	int err = 0;

	if (!pin->pinned)
		return 0;
	if (irq == pin->irq)
		err = irq_set_affinity(pin->irq, pin->saved);
	pin->pinned = false;
	return err;
}
