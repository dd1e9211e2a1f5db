/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which RX queue an interrupt serves, from the name its driver requested
 * it with, as /proc/interrupts shows it; and for mlx4, whose names tell
 * event queues, the driver's own choice of event queue for each ring,
 * from the CPUs and NUMA nodes sysfs shows.  Plain C, unit-tested in
 * selftests/unit.
 */
#ifndef VMQCTL_IRQNAME_H
#define VMQCTL_IRQNAME_H

#include <stdbool.h>

int vmq_irq_name_queue(const char *name, const char *owner,
		       unsigned int nr_queues);

/* The CPUs and NUMA nodes, for cpumask_local_spread(). */
#define VMQ_CPU_OFFLINE		(-2)

struct vmq_cpu_topology {
	unsigned int nr_cpus;		/* CPU ids below this are described */
	const int *cpu_node;		/* each CPU's node; -1 none, or OFFLINE */
	unsigned int nr_nodes;		/* node ids below this */
	const unsigned int *distance;	/* [a * nr_nodes + b]; NULL: unknown */
	bool by_distance;		/* 6.3+: ordered by NUMA distance */
};

int vmq_local_spread(const struct vmq_cpu_topology *t, unsigned int i,
		     int node);

/* mlx4: MAX_MSIX vectors, so EQ indices below 128 (0 is the async EQ). */
#define VMQ_MLX4_MAX_EQS	128

struct vmq_mlx4_eqs {
	unsigned int nr_comp;		/* dev->caps.num_comp_vectors; 0: unknown */
	unsigned int nr_ports;		/* dev->caps.num_ports */
	unsigned int port;		/* the netdev's, from 1 (priv->port) */
};

int vmq_irq_name_mlx4_eq(const char *name, const char *owner);
void vmq_mlx4_ring_eqs(const struct vmq_mlx4_eqs *m, const int *ring_cpu,
		       unsigned int nr_rings, int *eq);
int vmq_mlx4_eq_hint(const struct vmq_mlx4_eqs *m, unsigned int eq);

#endif /* VMQCTL_IRQNAME_H */
