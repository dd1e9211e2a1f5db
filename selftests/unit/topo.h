/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host topologies for the unit tests, numbered the two ways Linux numbers
 * CPUs: threads of a core adjacent (QEMU's -smp, many AMD hosts), or
 * first threads of all cores, then all second threads (many Intel hosts).
 */
#ifndef _VMQ_UNIT_TOPO_H
#define _VMQ_UNIT_TOPO_H

#include "../../kmod/core/procset.h"

enum topo_layout { TOPO_ADJACENT, TOPO_SPLIT };

/*
 * @cpus logical CPUs, @threads per core, @nodes NUMA nodes of equal size
 * (whole cores each), all online.
 */
static inline void topo_make(struct vmq_topology *t, unsigned int cpus,
			     unsigned int threads, unsigned int nodes,
			     enum topo_layout layout)
{
	unsigned int cores = cpus / threads, c, core;

	memset(t, 0, sizeof(*t));
	for (c = 0; c < cpus; c++) {
		if (layout == TOPO_ADJACENT) {
			core = c / threads;
			t->core_first[c] = core * threads;
		} else {
			core = c % cores;
			t->core_first[c] = core;
		}
		t->node[c] = core / (cores / nodes);
		vmq_cpuset_set(&t->online, c);
	}
}

static inline void topo_offline(struct vmq_topology *t, unsigned int cpu)
{
	vmq_cpuset_clear(&t->online, cpu);
}

/* A set from a list of CPUs ending in -1. */
static inline struct vmq_cpuset cpus_of(const int *list)
{
	struct vmq_cpuset s;

	vmq_cpuset_zero(&s);
	for (; *list >= 0; list++)
		vmq_cpuset_set(&s, *list);
	return s;
}

#define CPUS(...) cpus_of((const int[]){ __VA_ARGS__, -1 })

static inline const char *fmt_set(const struct vmq_cpuset *s, char *buf)
{
	vmq_cpuset_format(s, buf, 256);
	return buf;
}

#endif /* _VMQ_UNIT_TOPO_H */
