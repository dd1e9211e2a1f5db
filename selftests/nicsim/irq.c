// SPDX-License-Identifier: GPL-2.0
/*
 * The NIC's interrupts: one Linux IRQ per RX queue, like an MSI-X vector.
 *
 * Each NIC has an irq_domain of its own.  Its chip has no hardware behind
 * it, but it behaves like an x86 MSI vector where it matters to vmq:
 * irq_set_affinity() (from /proc/irq/N/smp_affinity or a driver) picks one
 * CPU of the mask and makes it the effective affinity, and the interrupt
 * is raised on that CPU: an IPI (smp_call_function_single_async) to a
 * remote CPU, a self-IPI (irq_work) to the local one, whose handler calls
 * generic_handle_irq() in hard interrupt context, as kernel/irq/irq_sim.c
 * does but on the target CPU.  The queue's handler schedules its NAPI, so
 * NAPI runs where the IRQ is pinned.
 *
 * irq_work_queue_on() would be the obvious tool but is not exported to
 * modules (6.1, 6.12); smp_call_function_single_async() is.
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/netdevice.h>

#include "nicsim.h"
#include "compat.h"

/* Two banks of hwirqs: new vectors are allocated before the old are freed. */
#define NICSIM_IRQ_BANKS	2

/* What the domain's alloc op is asked for. */
struct nicsim_irq_spec {
	irq_hw_number_t hwirq;
	struct nicsim_rxq *rxq;
};

/*
 * x86's vector allocator spreads interrupts with a multi-CPU mask over
 * that mask's CPUs; nicsim does it predictably: queue q takes the
 * (q mod n)th usable CPU of the n in the mask.
 */
static unsigned int nicsim_irq_pick_cpu(const struct cpumask *dest,
					bool force, unsigned int queue)
{
	const struct cpumask *usable = force ? cpu_possible_mask :
					       cpu_online_mask;
	unsigned int n = cpumask_weight_and(dest, usable);
	unsigned int cpu;

	if (!n)
		return nr_cpu_ids;
	n = queue % n;
	for_each_cpu_and(cpu, dest, usable)
		if (!n--)
			break;
	return cpu;
}

static int nicsim_irq_set_affinity(struct irq_data *d,
				   const struct cpumask *dest, bool force)
{
	unsigned int cpu;

	cpu = nicsim_irq_pick_cpu(dest, force, d->hwirq % NICSIM_MAX_QUEUES);
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

/*
 * Resend of an interrupt that came while it was disabled (enable_irq()).
 * Vectors of a previous generation have no queue to raise any more.
 */
static int nicsim_irq_retrigger(struct irq_data *d)
{
	struct nicsim_rxq *q = irq_data_get_irq_chip_data(d);

	if (READ_ONCE(q->irq) == d->irq)
		nicsim_rxq_raise_irq(q);
	return 1;
}

static const struct irq_chip nicsim_irq_chip = {
	.name			= NICSIM_DRV_NAME,
	.irq_set_affinity	= nicsim_irq_set_affinity,
	.irq_retrigger		= nicsim_irq_retrigger,
	.flags			= IRQCHIP_SKIP_SET_WAKE,
};

static int nicsim_irq_domain_alloc(struct irq_domain *domain,
				   unsigned int virq, unsigned int nr_irqs,
				   void *arg)
{
	const struct nicsim_irq_spec *spec = arg;

	if (nr_irqs != 1)
		return -EINVAL;
	irq_domain_set_info(domain, virq, spec->hwirq, &nicsim_irq_chip,
			    spec->rxq, handle_simple_irq, NULL, NULL);
	irq_modify_status(virq, IRQ_NOREQUEST | IRQ_NOAUTOEN,
			  IRQ_NOPROBE | NICSIM_IRQ_MOVE_FLAGS);
	return 0;
}

static const struct irq_domain_ops nicsim_irq_domain_ops = {
	.alloc	= nicsim_irq_domain_alloc,
	.free	= irq_domain_free_irqs_common,
};

int nicsim_irq_domain_create(struct nicsim_nic *nic, unsigned int id)
{
	char name[32];

	snprintf(name, sizeof(name), "%s%u", NICSIM_DRV_NAME, id);
	nic->irq_fwnode = irq_domain_alloc_named_fwnode(name);
	if (!nic->irq_fwnode)
		return -ENOMEM;
	nic->irq_domain = irq_domain_create_linear(nic->irq_fwnode,
						   NICSIM_IRQ_BANKS *
						   NICSIM_MAX_QUEUES,
						   &nicsim_irq_domain_ops, nic);
	if (!nic->irq_domain) {
		irq_domain_free_fwnode(nic->irq_fwnode);
		return -ENOMEM;
	}
	return 0;
}

/* Every vector must be freed first. */
void nicsim_irq_domain_destroy(struct nicsim_nic *nic)
{
	irq_domain_remove(nic->irq_domain);
	irq_domain_free_fwnode(nic->irq_fwnode);
}

void nicsim_vectors_free(const unsigned int *irqs, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		irq_dispose_mapping(irqs[i]);
}

/*
 * Fresh descriptors for queues 0..count-1, in the bank not in use, on the
 * NIC's NUMA node (so an IRQ's default affinity is that node's CPUs, as
 * for a PCI device's MSI-X vectors).  The old vectors are still allocated,
 * so the new IRQ numbers always differ from the old ones: a number cached
 * across a reset is never valid by luck.
 */
int nicsim_vectors_alloc(struct nicsim_nic *nic, unsigned int count,
			 unsigned int *irqs)
{
	unsigned int bank = (nic->irq_bank + 1) % NICSIM_IRQ_BANKS;
	int node = dev_to_node(&nic->port.pair->dev);
	unsigned int i;
	int irq;

	for (i = 0; i < count; i++) {
		struct nicsim_irq_spec spec = {
			.hwirq = bank * NICSIM_MAX_QUEUES + i,
			.rxq = &nic->rxq[i],
		};

		irq = irq_domain_alloc_irqs(nic->irq_domain, 1, node, &spec);
		if (irq <= 0) {
			nicsim_vectors_free(irqs, i);
			return irq ? irq : -ENOSPC;
		}
		irqs[i] = irq;
	}
	nic->irq_bank = bank;
	return 0;
}

void nicsim_rxq_set_vector(struct nicsim_rxq *q, unsigned int irq)
{
	WRITE_ONCE(q->irq, irq);
	q->irq_data = irq ? irq_get_irq_data(irq) : NULL;
}

/*
 * The interrupt leaves the queue disarmed (nicsim_rxq_kick()) until NAPI
 * has drained the ring: a NIC's interrupt auto-mask.
 */
static irqreturn_t nicsim_rxq_interrupt(int irq, void *data)
{
	struct nicsim_rxq *q = data;

	napi_schedule(&q->napi);
	return IRQ_HANDLED;
}

/*
 * mlx4's completion EQ for RX ring @queue, on a single-port device with
 * an EQ per online CPU (mlx4_enable_msi_x(): num_ports *
 * num_online_cpus() + 1 vectors, EQ 0 the async one):
 * mlx4_en_init_affinity_hint() gives the ring the CPU
 * cpumask_local_spread(ring, dev->numa_node), and mlx4_en_activate_cq()
 * asks mlx4_assign_eq() for that CPU's vector, which is EQ cpu + 1
 * (MLX4_CQ_TO_EQ_VECTOR()).  The same in 6.1 and 6.12, but for
 * cpumask_local_spread() itself (by NUMA distance since 6.3), which
 * nicsim calls as mlx4 does.  Rings past the online CPUs share an EQ,
 * and its one vector, on mlx4; nicsim has a vector per queue, so two
 * carry the EQ's name then.
 */
static unsigned int nicsim_mlx4_eq(struct nicsim_rxq *q)
{
	return cpumask_local_spread(q->index,
				    dev_to_node(&q->nic->port.pair->dev)) + 1;
}

/*
 * Named as the profile's driver names its vectors ("<ifname>-TxRx-<q>"
 * for igb), and linked to the queue (6.8+) only where that driver links
 * its own: igb, ixgbe, i40e and sfc do not, even on 6.12.  mlx4's carry
 * the affinity hint mlx4_set_eq_affinity_hint() gives them when
 * mlx4_assign_eq() requests them: mlx4_init_affinity_hint()'s CPU, EQ -
 * 1 on port 1.
 */
int nicsim_rxq_request_irq(struct nicsim_rxq *q)
{
	const struct nicsim_profile *p = q->nic->profile;
	struct net_device *dev = q->nic->port.netdev;
	unsigned int eq = 0;
	int err;

	if (p->irq_name == NICSIM_IRQ_QUEUE_BUS) {
		snprintf(q->irq_name, sizeof(q->irq_name), p->irq_fmt,
			 q->index, dev_name(&q->nic->port.pair->dev));
	} else if (p->irq_name == NICSIM_IRQ_EQ_BUS) {
		eq = nicsim_mlx4_eq(q);
		snprintf(q->irq_name, sizeof(q->irq_name), p->irq_fmt,
			 eq, dev_name(&q->nic->port.pair->dev));
	} else {
		snprintf(q->irq_name, sizeof(q->irq_name), p->irq_fmt,
			 dev->name, q->index);
	}
	err = request_irq(q->irq, nicsim_rxq_interrupt, 0, q->irq_name, q);
	if (err)
		return err;
	q->irq_requested = true;
	if (eq)
		irq_update_affinity_hint(q->irq, cpumask_of(eq - 1));
	if (p->queue_napi_link)
		nicsim_queue_link_vector(dev, q->index, &q->napi, q->irq);
	return 0;
}

void nicsim_rxq_free_irq(struct nicsim_rxq *q)
{
	if (!q->irq_requested)
		return;
	if (q->nic->profile->queue_napi_link)
		nicsim_queue_unlink_vector(q->nic->port.netdev, q->index,
					   &q->napi);
	/* free_irq() warns of a hint left set (mlx4_free_irqs()) */
	if (q->nic->profile->irq_name == NICSIM_IRQ_EQ_BUS)
		irq_update_affinity_hint(q->irq, NULL);
	free_irq(q->irq, q);
	q->irq_requested = false;
}

/* Runs on the target CPU, in hard interrupt context. */
static void nicsim_rxq_deliver_irq(struct nicsim_rxq *q)
{
	generic_handle_irq(q->irq);
	/* After the handler: teardown waits for this bit to go. */
	clear_bit_unlock(NICSIM_RXQ_IRQ_INFLIGHT, &q->flags);
}

static void nicsim_rxq_irq_ipi(void *info)
{
	nicsim_rxq_deliver_irq(info);
}

static void nicsim_rxq_irq_work(struct irq_work *work)
{
	nicsim_rxq_deliver_irq(container_of(work, struct nicsim_rxq,
					    irq_work));
}

void nicsim_rxq_irq_init(struct nicsim_rxq *q)
{
	INIT_CSD(&q->irq_ipi, nicsim_rxq_irq_ipi, q);
	q->irq_work = IRQ_WORK_INIT_HARD(nicsim_rxq_irq_work);
}

/*
 * The first online CPU of the effective affinity.  Read without the
 * descriptor's lock: a write racing with a frame sends that frame's
 * interrupt to the old CPU or the new one, as with a real MSI message.
 */
static unsigned int nicsim_rxq_target_cpu(struct nicsim_rxq *q,
					  unsigned int fallback)
{
	const struct cpumask *mask;
	unsigned int cpu;

	mask = irq_data_get_effective_affinity_mask(q->irq_data);
	cpu = cpumask_first_and(mask, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : fallback;
}

/*
 * Raise the queue's interrupt on its CPU.  At most one is in flight per
 * queue, which also keeps the csd and irq_work from being reused early;
 * a raise while one is in flight is covered by it (its handler schedules
 * NAPI, and NAPI drains the whole ring).
 */
void nicsim_rxq_raise_irq(struct nicsim_rxq *q)
{
	unsigned int this_cpu, cpu;

	if (test_and_set_bit(NICSIM_RXQ_IRQ_INFLIGHT, &q->flags))
		return;
	this_cpu = get_cpu();
	cpu = nicsim_rxq_target_cpu(q, this_cpu);
	/* An offline target (-ENXIO) falls back to this CPU. */
	if (cpu == this_cpu || smp_call_function_single_async(cpu, &q->irq_ipi))
		irq_work_queue(&q->irq_work);
	put_cpu();
}

/*
 * Wait until no interrupt of this queue is in flight.  Spins like
 * irq_work_sync(): an IPI takes microseconds.  The caller has made sure
 * nothing raises it any more.
 */
void nicsim_rxq_irq_quiesce(struct nicsim_rxq *q)
{
	while (test_bit(NICSIM_RXQ_IRQ_INFLIGHT, &q->flags))
		cpu_relax();
	irq_work_sync(&q->irq_work);
}

/* The CPU the queue's interrupt goes to, -1 if none (debugfs irqs). */
int nicsim_rxq_effective_cpu(struct nicsim_rxq *q)
{
	unsigned int cpu;

	if (!q->irq_data)
		return -1;
	cpu = nicsim_rxq_target_cpu(q, nr_cpu_ids);
	return cpu < nr_cpu_ids ? cpu : -1;
}
