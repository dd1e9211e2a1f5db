// SPDX-License-Identifier: GPL-2.0
/* Queue assignment: first come first served, Min and Sum, even spread. */
#include <stdlib.h>

#include "unit.h"
#include "topo.h"
#include "../../kmod/core/assign.h"

static void two_members(struct vmq_qa *qa, enum vmq_team_mode mode,
			unsigned int q0, unsigned int q1,
			struct vmq_cpuset c0, struct vmq_cpuset c1)
{
	vmq_qa_init(qa, mode, 2);
	qa->ad[0] = (struct vmq_qa_adapter){ .nqueues = q0,
		.default_queues = 1, .cpus = c0, .usable = true };
	qa->ad[1] = (struct vmq_qa_adapter){ .nqueues = q1,
		.default_queues = 1, .cpus = c1, .usable = true };
	vmq_qa_release_all(qa);
}

UNIT_TEST(assign_reports_the_seeds_queue_counts)
{
	struct vmq_qa qa;

	two_members(&qa, VMQ_TEAM_MODE_MIN, 4, 8, CPUS(2), CPUS(2));
	EXPECT_EQ(vmq_qa_queue_count(&qa), 4);
	EXPECT_EQ(vmq_qa_vm_queue_count(&qa), 3);
	two_members(&qa, VMQ_TEAM_MODE_SUM, 4, 8, CPUS(2), CPUS(4));
	EXPECT_EQ(vmq_qa_queue_count(&qa), 12);
	EXPECT_EQ(vmq_qa_vm_queue_count(&qa), 10);
}

UNIT_TEST(assign_min_same_queue_every_member)
{
	struct vmq_qa qa;
	struct vmq_qa_slot s[4];
	int i;

	two_members(&qa, VMQ_TEAM_MODE_MIN, 4, 8, CPUS(2, 4, 6),
		    CPUS(2, 4, 6));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(vmq_qa_place(&qa, i, 0, &s[i]), 0);
		EXPECT_EQ(s[i].member, -1);
		EXPECT_EQ(s[i].queue, i + 1);	/* queue 0 is the default */
		EXPECT_EQ(qa.ad[0].owner[i + 1], i);
		EXPECT_EQ(qa.ad[1].owner[i + 1], i);
		EXPECT_EQ(qa.ad[0].cpu[i + 1], qa.ad[1].cpu[i + 1]);
	}
	EXPECT_EQ(s[0].cpu, 2);
	EXPECT_EQ(s[1].cpu, 4);
	EXPECT_EQ(s[2].cpu, 6);
	/* The smaller member has no fourth VM queue: the VM waits. */
	EXPECT_EQ(vmq_qa_place(&qa, 3, 0, &s[3]), -ENOSPC);
	EXPECT_EQ(s[3].queue, VMQ_QA_FREE);
	vmq_qa_release(&qa, &s[1]);
	EXPECT_EQ(qa.ad[0].owner[2], VMQ_QA_FREE);
	EXPECT_EQ(qa.ad[1].owner[2], VMQ_QA_FREE);
	EXPECT_EQ(vmq_qa_place(&qa, 3, 0, &s[3]), 0);
	EXPECT_EQ(s[3].queue, 2);
	EXPECT_EQ(s[3].cpu, 4);
}

UNIT_TEST(assign_sum_queue_on_the_vms_member_only)
{
	struct vmq_qa qa;
	struct vmq_qa_slot s;
	int i;

	two_members(&qa, VMQ_TEAM_MODE_SUM, 4, 8, CPUS(2, 4), CPUS(6));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(vmq_qa_place(&qa, i, 0, &s), 0);
		EXPECT_EQ(s.member, 0);
		EXPECT(s.cpu == 2 || s.cpu == 4);
	}
	EXPECT_EQ(qa.ad[1].owner[1], VMQ_QA_FREE);
	/* Member 0 is full: a fourth VM there waits, though 1 has room. */
	EXPECT_EQ(vmq_qa_place(&qa, 3, 0, &s), -ENOSPC);
	for (i = 4; i < 11; i++) {
		EXPECT_EQ(vmq_qa_place(&qa, i, 1, &s), 0);
		EXPECT_EQ(s.cpu, 6);
	}
	EXPECT_EQ(vmq_qa_place(&qa, 11, 1, &s), -ENOSPC);
	qa.ad[1].usable = false;
	EXPECT_EQ(vmq_qa_place(&qa, 12, 1, &s), -ENODEV);
	EXPECT_EQ(vmq_qa_place(&qa, 13, 5, &s), -ENODEV);
}

UNIT_TEST(assign_spreads_within_one)
{
	struct vmq_qa qa;
	struct vmq_qa_slot s;
	int i;

	two_members(&qa, VMQ_TEAM_MODE_SUM, 16, 4, CPUS(1, 3, 5), CPUS(7));
	for (i = 0; i < 15; i++)
		EXPECT_EQ(vmq_qa_place(&qa, i, 0, &s), 0);
	EXPECT_EQ(vmq_qa_cpu_load(&qa, 0, 1), 5);
	EXPECT_EQ(vmq_qa_cpu_load(&qa, 0, 3), 5);
	EXPECT_EQ(vmq_qa_cpu_load(&qa, 0, 5), 5);
}

UNIT_TEST(assign_no_cpu_no_queue)
{
	struct vmq_qa qa;
	struct vmq_qa_slot s;
	struct vmq_cpuset none;

	vmq_cpuset_zero(&none);
	two_members(&qa, VMQ_TEAM_MODE_SUM, 4, 4, none, CPUS(2));
	EXPECT_EQ(vmq_qa_place(&qa, 0, 0, &s), -ENOSPC);
	EXPECT_EQ(qa.ad[0].owner[1], VMQ_QA_FREE);
}

/* ---- a model of the module's use: waiting list, promotion, spread ---- */

#define NVM 48

struct model {
	struct vmq_qa qa;
	bool present[NVM];
	int member[NVM];
	unsigned long seq[NVM];		/* arrival order */
	struct vmq_qa_slot slot[NVM];
	unsigned long clock;
};

/* After a release, the longest-waiting VMs that fit get queues. */
static void promote(struct model *m)
{
	int i, best;

	for (;;) {
		best = -1;
		for (i = 0; i < NVM; i++) {
			struct vmq_qa_slot probe;

			if (!m->present[i] || m->slot[i].queue != VMQ_QA_FREE)
				continue;
			if (best >= 0 && m->seq[i] > m->seq[best])
				continue;
			/* Can it be placed?  Try, and undo. */
			if (vmq_qa_place(&m->qa, i, m->member[i], &probe))
				continue;
			vmq_qa_release(&m->qa, &probe);
			best = i;
		}
		if (best < 0)
			return;
		vmq_qa_place(&m->qa, best, m->member[best], &m->slot[best]);
	}
}

static void rebalance(struct model *m)
{
	struct vmq_qa_move mv;

	while (vmq_qa_rebalance_step(&m->qa, &mv)) {
		EXPECT_EQ(m->slot[mv.owner].queue, mv.queue);
		EXPECT_EQ(m->slot[mv.owner].cpu, mv.from);
		m->slot[mv.owner].cpu = mv.to;
	}
}

/* Invariants after every step. */
static void check_model(struct model *m)
{
	unsigned int i, c, lo, hi, load, waiting_fits = 0;
	int v;

	for (i = 0; i < m->qa.n; i++) {
		lo = ~0U;
		hi = 0;
		vmq_cpuset_for_each(c, &m->qa.ad[i].cpus) {
			load = vmq_qa_cpu_load(&m->qa, i, c);
			lo = load < lo ? load : lo;
			hi = load > hi ? load : hi;
		}
		if (hi > lo + 1) {
			printf("# member %u: CPU loads %u..%u\n", i, lo, hi);
			unit_failed = 1;
		}
	}
	for (v = 0; v < NVM; v++) {
		const struct vmq_qa_slot *s = &m->slot[v];
		struct vmq_qa_slot probe;

		if (!m->present[v])
			continue;
		if (s->queue == VMQ_QA_FREE) {
			/* Nobody waits while a queue fits them. */
			if (!vmq_qa_place(&m->qa, v, m->member[v], &probe)) {
				vmq_qa_release(&m->qa, &probe);
				waiting_fits++;
			}
			continue;
		}
		for (i = 0; i < m->qa.n; i++) {
			bool mine = s->member < 0 || (int)i == s->member;

			if (!mine)
				continue;
			EXPECT_EQ(m->qa.ad[i].owner[s->queue], v);
			EXPECT_EQ(m->qa.ad[i].cpu[s->queue], s->cpu);
			EXPECT(vmq_cpuset_test(&m->qa.ad[i].cpus, s->cpu));
		}
	}
	EXPECT_EQ(waiting_fits, 0);
}

static void run_model(enum vmq_team_mode mode, unsigned int seed)
{
	struct model *m = calloc(1, sizeof(*m));
	int step, v;

	srand(seed);
	vmq_qa_init(&m->qa, mode, 3);
	m->qa.ad[0] = (struct vmq_qa_adapter){ .nqueues = 4,
		.default_queues = 1, .cpus = CPUS(2, 4), .usable = true };
	m->qa.ad[1] = (struct vmq_qa_adapter){ .nqueues = 8,
		.default_queues = 2, .cpus = CPUS(6, 8, 10), .usable = true };
	m->qa.ad[2] = (struct vmq_qa_adapter){ .nqueues = 16,
		.default_queues = 1, .cpus = CPUS(12, 14, 16, 18, 20),
		.usable = true };
	if (mode == VMQ_TEAM_MODE_MIN)
		m->qa.ad[1].cpus = m->qa.ad[2].cpus = m->qa.ad[0].cpus;
	vmq_qa_release_all(&m->qa);

	for (step = 0; step < 2000; step++) {
		v = rand() % NVM;
		if (!m->present[v]) {
			m->present[v] = true;
			m->member[v] = rand() % 3;
			m->seq[v] = ++m->clock;
			vmq_qa_place(&m->qa, v, m->member[v], &m->slot[v]);
		} else {
			vmq_qa_release(&m->qa, &m->slot[v]);
			m->present[v] = false;
			promote(m);
		}
		rebalance(m);
		check_model(m);
		if (unit_failed) {
			printf("# mode %d seed %u failed at step %d\n", mode,
			       seed, step);
			break;
		}
	}
	free(m);
}

UNIT_TEST(assign_model_min_random_churn)
{
	unsigned int seed;

	for (seed = 1; seed <= 20 && !unit_failed; seed++)
		run_model(VMQ_TEAM_MODE_MIN, seed);
}

UNIT_TEST(assign_model_sum_random_churn)
{
	unsigned int seed;

	for (seed = 1; seed <= 20 && !unit_failed; seed++)
		run_model(VMQ_TEAM_MODE_SUM, seed);
}

UNIT_TEST(assign_sw_cpus_least_loaded_of_the_set)
{
	struct vmq_qa qa;
	struct vmq_qa_slot s;
	unsigned int cpu;

	two_members(&qa, VMQ_TEAM_MODE_SUM, 2, 4, CPUS(2, 4), CPUS(6));
	/* Member 0's one VM queue, on CPU 2: software VMs go round it. */
	EXPECT_EQ(vmq_qa_place(&qa, 0, 0, &s), 0);
	EXPECT_EQ(s.cpu, 2);
	EXPECT_EQ(vmq_qa_sw_place(&qa, 0, &cpu), 0);
	EXPECT_EQ(cpu, 4);
	EXPECT_EQ(vmq_qa_sw_place(&qa, 0, &cpu), 0);
	EXPECT_EQ(cpu, 2);		/* a tie: the lowest */
	EXPECT_EQ(vmq_qa_sw_place(&qa, 1, &cpu), 0);
	EXPECT_EQ(cpu, 6);		/* Sum: its member's set only */
	vmq_qa_sw_release(&qa, 4);
	EXPECT_EQ(vmq_qa_sw_place(&qa, 0, &cpu), 0);
	EXPECT_EQ(cpu, 4);
	EXPECT_EQ(vmq_qa_sw_place(&qa, 2, &cpu), -ENODEV);
}
