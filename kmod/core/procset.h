/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processor sets: which CPUs each adapter (bond member) may pin its queue
 * interrupts to, after Set-NetAdapterVmq; the rule a team's sets must
 * follow in its queue mode; and the planner that proposes sets.
 */
#ifndef _VMQ_CORE_PROCSET_H
#define _VMQ_CORE_PROCSET_H

#include "cpuset.h"
#include "teammode.h"
#include "types.h"
#include <linux/vmq.h>

/* Members of one team vmq handles at most. */
#define VMQ_MAX_ADAPTERS	8

/* Length of a message from vmq_procsets_describe_conflict(). */
#define VMQ_CONFLICT_MSG_LEN	160

/* The host's CPUs as the planner needs them.  No kernel types. */
struct vmq_topology {
	struct vmq_cpuset online;
	/* first (lowest-numbered) logical CPU of each CPU's core */
	u16 core_first[VMQ_MAX_CPUS];
	/* NUMA node of each CPU */
	s16 node[VMQ_MAX_CPUS];
};

/* An adapter's explicit settings, as Set-NetAdapterVmq takes them. */
struct vmq_proc_cfg {
	int base;		/* BaseProcessorNumber: first CPU, >= 0 */
	int max;		/* MaxProcessorNumber: last CPU, -1 for none */
	int max_procs;		/* MaxProcessors: at most this many, 0: any */
	int node;		/* NumaNode: only this node, -1 for any */
};

void vmq_proc_cfg_init(struct vmq_proc_cfg *cfg);
unsigned int vmq_topology_cores(const struct vmq_topology *t);
void vmq_procset_from_cfg(const struct vmq_topology *t,
			  const struct vmq_proc_cfg *cfg,
			  struct vmq_cpuset *set);

/* The first pair of adapters whose sets break the team's rule. */
struct vmq_conflict {
	unsigned int a, b;
	struct vmq_cpuset shared;	/* sum: CPUs both use */
};

bool vmq_procsets_conflict(enum vmq_team_mode mode,
			   const struct vmq_cpuset *sets, unsigned int n,
			   struct vmq_conflict *c);
int vmq_procsets_describe_conflict(enum vmq_team_mode mode,
				   const struct vmq_cpuset *sets,
				   const struct vmq_conflict *c,
				   const char *const *names,
				   char *buf, size_t len);

/* What the planner needs to know of an adapter. */
struct vmq_plan_adapter {
	unsigned int queues;	/* queues it can give to VMs */
	int node;		/* the NIC's NUMA node, -1 if unknown */
};

void vmq_plan_candidates(const struct vmq_topology *t,
			 struct vmq_cpuset *cand);
int vmq_plan(const struct vmq_topology *t, enum vmq_team_mode mode,
	     const struct vmq_plan_adapter *ad, unsigned int n,
	     struct vmq_cpuset *sets);
int vmq_plan_around(const struct vmq_topology *t, enum vmq_team_mode mode,
		    const struct vmq_plan_adapter *ad, unsigned int n,
		    const bool *fixed, struct vmq_cpuset *sets);

#endif /* _VMQ_CORE_PROCSET_H */
