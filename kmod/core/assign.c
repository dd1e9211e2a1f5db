// SPDX-License-Identifier: GPL-2.0
/*
 * Queue assignment.
 *
 * Min-Queue: a VM's frames may arrive on any member, so it takes the same
 * queue index on every member, each pinned to the same CPU of the shared
 * processor set: whichever member a frame comes in on, it is processed on
 * the VM's CPU.
 *
 * Sum-Queue: a VM's frames arrive on the member the bond transmits its MAC
 * through, so it takes a queue there only, pinned to a CPU of that
 * member's own set.
 *
 * Either way a set's CPUs carry VM queues evenly, none more than one
 * queue above another: a new queue goes to the least loaded CPU, and a
 * release that unbalances the set moves one queue back into line.
 */
#include "assign.h"

void vmq_qa_init(struct vmq_qa *qa, enum vmq_team_mode mode, unsigned int n)
{
	memset(qa, 0, sizeof(*qa));
	qa->mode = mode;
	qa->n = n < VMQ_MAX_ADAPTERS ? n : VMQ_MAX_ADAPTERS;
	vmq_qa_release_all(qa);
}

/* Forget every placement; adapters' sizes and sets are kept. */
void vmq_qa_release_all(struct vmq_qa *qa)
{
	unsigned int i, q;

	for (i = 0; i < VMQ_MAX_ADAPTERS; i++)
		for (q = 0; q < VMQ_MAX_QUEUES; q++)
			qa->ad[i].owner[q] = VMQ_QA_FREE;
	memset(qa->sw_load, 0, sizeof(qa->sw_load));
}

static unsigned int nqueues(const struct vmq_qa_adapter *ad)
{
	return ad->nqueues < VMQ_MAX_QUEUES ? ad->nqueues : VMQ_MAX_QUEUES;
}

static unsigned int vm_queues(const struct vmq_qa_adapter *ad)
{
	unsigned int n = nqueues(ad);

	return n > ad->default_queues ? n - ad->default_queues : 0;
}

static unsigned int team_count(const struct vmq_qa *qa,
			       unsigned int (*count)(const struct vmq_qa_adapter *))
{
	unsigned int counts[VMQ_MAX_ADAPTERS], i;

	for (i = 0; i < qa->n; i++)
		counts[i] = count(&qa->ad[i]);
	return vmq_team_count(qa->mode, counts, qa->n);
}

/* The queue count the team reports: see vmq_team_count(). */
unsigned int vmq_qa_queue_count(const struct vmq_qa *qa)
{
	return team_count(qa, nqueues);
}

/* The queues VMs can have: the count less the default queues. */
unsigned int vmq_qa_vm_queue_count(const struct vmq_qa *qa)
{
	return team_count(qa, vm_queues);
}

/* VM queues pinned to @cpu on @member (Min: on every member alike). */
unsigned int vmq_qa_cpu_load(const struct vmq_qa *qa, unsigned int member,
			     unsigned int cpu)
{
	const struct vmq_qa_adapter *ad = &qa->ad[member];
	unsigned int q, n = 0;

	for (q = 0; q < nqueues(ad); q++)
		n += ad->owner[q] != VMQ_QA_FREE && ad->cpu[q] == cpu;
	return n;
}

/* The least loaded CPU of @member's set, lowest first on a tie. */
static bool least_loaded_cpu(const struct vmq_qa *qa, unsigned int member,
			     unsigned int *cpu)
{
	unsigned int c, load, best_load = ~0U;

	vmq_cpuset_for_each(c, &qa->ad[member].cpus) {
		load = vmq_qa_cpu_load(qa, member, c);
		if (load < best_load) {
			best_load = load;
			*cpu = c;
		}
	}
	return best_load != ~0U;
}

static int free_queue_sum(const struct vmq_qa_adapter *ad)
{
	unsigned int q;

	for (q = ad->default_queues; q < nqueues(ad); q++)
		if (ad->owner[q] == VMQ_QA_FREE)
			return q;
	return VMQ_QA_FREE;
}

/* A queue index free on every member, above every member's defaults. */
static int free_queue_min(const struct vmq_qa *qa)
{
	unsigned int i, q, lo = 0, hi = VMQ_MAX_QUEUES;

	for (i = 0; i < qa->n; i++) {
		if (qa->ad[i].default_queues > lo)
			lo = qa->ad[i].default_queues;
		if (nqueues(&qa->ad[i]) < hi)
			hi = nqueues(&qa->ad[i]);
	}
	for (q = lo; q < hi; q++) {
		for (i = 0; i < qa->n; i++)
			if (qa->ad[i].owner[q] != VMQ_QA_FREE)
				break;
		if (i == qa->n)
			return q;
	}
	return VMQ_QA_FREE;
}

static void take_queue(struct vmq_qa *qa, unsigned int member, int q, int id,
		       unsigned int cpu)
{
	qa->ad[member].owner[q] = id;
	qa->ad[member].cpu[q] = cpu;
}

static int place_min(struct vmq_qa *qa, int id, struct vmq_qa_slot *slot)
{
	unsigned int i, cpu;
	int q;

	q = free_queue_min(qa);
	if (q == VMQ_QA_FREE || !least_loaded_cpu(qa, 0, &cpu))
		return -ENOSPC;
	for (i = 0; i < qa->n; i++)
		take_queue(qa, i, q, id, cpu);
	slot->member = -1;
	slot->queue = q;
	slot->cpu = cpu;
	return 0;
}

static int place_sum(struct vmq_qa *qa, int id, int member,
		     struct vmq_qa_slot *slot)
{
	unsigned int cpu;
	int q;

	slot->member = member;
	if (member < 0 || (unsigned int)member >= qa->n ||
	    !qa->ad[member].usable)
		return -ENODEV;
	q = free_queue_sum(&qa->ad[member]);
	if (q == VMQ_QA_FREE || !least_loaded_cpu(qa, member, &cpu))
		return -ENOSPC;
	take_queue(qa, member, q, id, cpu);
	slot->queue = q;
	slot->cpu = cpu;
	return 0;
}

/**
 * vmq_qa_place - give a VM a queue, if one is free
 * @qa: the team's queues
 * @id: the VM's id, >= 0, recorded as the queue's owner
 * @member: Sum-Queue: the member the bond transmits the VM's MAC through;
 *	ignored for Min-Queue
 * @slot: where the VM ends up; queue VMQ_QA_FREE if on the default queue
 *
 * Return: 0 if placed; -ENOSPC if no queue or CPU is free for it, -ENODEV
 * if its member is not usable; the VM then waits on the default queue.
 */
int vmq_qa_place(struct vmq_qa *qa, int id, int member,
		 struct vmq_qa_slot *slot)
{
	int err;

	slot->queue = VMQ_QA_FREE;
	slot->cpu = 0;
	if (qa->mode == VMQ_TEAM_MODE_SUM)
		err = place_sum(qa, id, member, slot);
	else
		err = place_min(qa, id, slot);
	if (err)
		slot->queue = VMQ_QA_FREE;
	return err;
}

/* Give back a VM's queue(s); the VM is on the default queue after. */
void vmq_qa_release(struct vmq_qa *qa, struct vmq_qa_slot *slot)
{
	unsigned int i;

	if (slot->queue == VMQ_QA_FREE)
		return;
	for (i = 0; i < qa->n; i++) {
		if (slot->member >= 0 && (unsigned int)slot->member != i)
			continue;
		if (slot->queue < (int)nqueues(&qa->ad[i]))
			qa->ad[i].owner[slot->queue] = VMQ_QA_FREE;
	}
	slot->queue = VMQ_QA_FREE;
}

/* Move one queue of @member from its busiest CPU to its idlest, if the
 * two differ by more than one.
 */
static bool rebalance_member(struct vmq_qa *qa, unsigned int member,
			     struct vmq_qa_move *mv)
{
	struct vmq_qa_adapter *ad = &qa->ad[member];
	unsigned int c, load, lo = ~0U, hi = 0, lo_cpu = 0, hi_cpu = 0, i;
	unsigned int q;

	vmq_cpuset_for_each(c, &ad->cpus) {
		load = vmq_qa_cpu_load(qa, member, c);
		if (load < lo) {
			lo = load;
			lo_cpu = c;
		}
		if (load > hi) {
			hi = load;
			hi_cpu = c;
		}
	}
	if (lo == ~0U || hi < lo + 2)
		return false;

	/* The highest queue on the busiest CPU: the most recently placed. */
	for (q = nqueues(ad); q-- > 0;)
		if (ad->owner[q] != VMQ_QA_FREE && ad->cpu[q] == hi_cpu)
			break;
	mv->member = qa->mode == VMQ_TEAM_MODE_SUM ? (int)member : -1;
	mv->queue = q;
	mv->owner = ad->owner[q];
	mv->from = hi_cpu;
	mv->to = lo_cpu;
	for (i = 0; i < qa->n; i++) {
		if (mv->member >= 0 && i != member)
			continue;
		if (q < nqueues(&qa->ad[i]))
			qa->ad[i].cpu[q] = lo_cpu;
	}
	return true;
}

/**
 * vmq_qa_rebalance_step - even out one set's load by one queue
 * @qa: the team's queues
 * @mv: the queue moved, for the caller to re-pin its IRQ(s) and update
 *	its VM's slot
 *
 * Call until it returns false.  Min-Queue members move together.
 *
 * Return: true if a queue was moved.
 */
bool vmq_qa_rebalance_step(struct vmq_qa *qa, struct vmq_qa_move *mv)
{
	unsigned int i;

	if (qa->mode != VMQ_TEAM_MODE_SUM)
		return qa->n && rebalance_member(qa, 0, mv);
	for (i = 0; i < qa->n; i++)
		if (rebalance_member(qa, i, mv))
			return true;
	return false;
}

/**
 * vmq_qa_sw_place - a CPU for a VM steered in software
 * @qa: the assignment
 * @member: Sum: the VM's member; Min: -1 (the first adapter's set)
 * @cpu: the CPU
 *
 * A VM with no queue of its own still gets a CPU by the same rules: the
 * least loaded of its set, counting the queues pinned there and the VMs
 * already steered there, lowest first on a tie.
 *
 * Return: 0, or -ENODEV if there is no such adapter or its set is empty.
 */
int vmq_qa_sw_place(struct vmq_qa *qa, int member, unsigned int *cpu)
{
	unsigned int m = member < 0 ? 0 : (unsigned int)member;
	unsigned int c, load, best_load = ~0U;

	if (m >= qa->n)
		return -ENODEV;
	vmq_cpuset_for_each(c, &qa->ad[m].cpus) {
		load = vmq_qa_cpu_load(qa, m, c) + qa->sw_load[c];
		if (load < best_load) {
			best_load = load;
			*cpu = c;
		}
	}
	if (best_load == ~0U)
		return -ENODEV;
	qa->sw_load[*cpu]++;
	return 0;
}

void vmq_qa_sw_release(struct vmq_qa *qa, unsigned int cpu)
{
	if (cpu < VMQ_MAX_CPUS && qa->sw_load[cpu])
		qa->sw_load[cpu]--;
}
