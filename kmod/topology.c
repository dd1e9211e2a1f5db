// SPDX-License-Identifier: GPL-2.0
/*
 * The host's CPUs, in the pure logic's terms.
 */
#include <linux/cpumask.h>
#include <linux/topology.h>

#include "topology.h"

/**
 * vmq_topology_read - take a snapshot of online CPUs, cores and nodes
 * @t: filled in; CPUs numbered VMQ_MAX_CPUS and up are left out
 *
 * A core is represented by its first online thread, so a core whose first
 * thread is offline still has a CPU vmq may use.  Caller holds
 * cpus_read_lock() or accepts a snapshot that may be stale by the time
 * it is used: the reconciler corrects that on its next pass.
 */
void vmq_topology_read(struct vmq_topology *t)
{
	unsigned int cpu, first;

	memset(t, 0, sizeof(*t));
	for_each_online_cpu(cpu) {
		if (cpu >= VMQ_MAX_CPUS)
			break;
		first = cpumask_first_and(topology_sibling_cpumask(cpu),
					  cpu_online_mask);
		vmq_cpuset_set(&t->online, cpu);
		t->core_first[cpu] = first < VMQ_MAX_CPUS ? first : cpu;
		t->node[cpu] = cpu_to_node(cpu);
	}
}
