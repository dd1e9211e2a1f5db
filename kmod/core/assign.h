/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Queue assignment: which hardware queue, on which member, pinned to
 * which CPU, each VM gets.  First come, first served, as Hyper-V hands
 * out VMQs; a VM that finds no queue free waits on the default queue.
 */
#ifndef _VMQ_CORE_ASSIGN_H
#define _VMQ_CORE_ASSIGN_H

#include "procset.h"

/* RX queues per adapter vmq manages at most. */
#define VMQ_MAX_QUEUES		64

#define VMQ_QA_FREE		(-1)

struct vmq_qa_adapter {
	unsigned int nqueues;		/* RX queues the adapter has */
	unsigned int default_queues;	/* the first ones, never a VM's */
	struct vmq_cpuset cpus;		/* its processor set */
	bool usable;			/* Sum: a member VMs can be put on */
	int owner[VMQ_MAX_QUEUES];	/* VM id, or VMQ_QA_FREE */
	u16 cpu[VMQ_MAX_QUEUES];	/* CPU of an owned queue */
};

/* A team's queues.  Min-Queue keeps every member's queues in step. */
struct vmq_qa {
	enum vmq_team_mode mode;
	unsigned int n;
	struct vmq_qa_adapter ad[VMQ_MAX_ADAPTERS];
	u16 sw_load[VMQ_MAX_CPUS];	/* VMs steered to each CPU in software */
};

/* Where a VM is: member (Sum) or -1 (Min: all), queue, CPU. */
struct vmq_qa_slot {
	int member;
	int queue;			/* VMQ_QA_FREE: on the default queue */
	unsigned int cpu;
};

/* A queue re-pinned to spread the load. */
struct vmq_qa_move {
	int member;			/* -1: every member (Min) */
	int queue;
	int owner;
	unsigned int from, to;
};

void vmq_qa_init(struct vmq_qa *qa, enum vmq_team_mode mode, unsigned int n);
void vmq_qa_release_all(struct vmq_qa *qa);
unsigned int vmq_qa_queue_count(const struct vmq_qa *qa);
unsigned int vmq_qa_vm_queue_count(const struct vmq_qa *qa);
int vmq_qa_place(struct vmq_qa *qa, int id, int member,
		 struct vmq_qa_slot *slot);
void vmq_qa_release(struct vmq_qa *qa, struct vmq_qa_slot *slot);
unsigned int vmq_qa_cpu_load(const struct vmq_qa *qa, unsigned int member,
			     unsigned int cpu);
bool vmq_qa_rebalance_step(struct vmq_qa *qa, struct vmq_qa_move *mv);
int vmq_qa_sw_place(struct vmq_qa *qa, int member, unsigned int *cpu);
void vmq_qa_sw_release(struct vmq_qa *qa, unsigned int cpu);

#endif /* _VMQ_CORE_ASSIGN_H */
