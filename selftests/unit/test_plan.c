// SPDX-License-Identifier: GPL-2.0
/*
 * The planner, on the test VM's topology by hand, then over a matrix of
 * hosts (2 to 256 CPUs, with and without SMT, both numberings, one and
 * two NUMA nodes) and teams (2 to 4 members, unequal queue counts),
 * checking the rules every plan must keep.
 */
#include "unit.h"
#include "topo.h"

static char b1[256], b2[256];

UNIT_TEST(plan_guest_sum_two_nics)
{
	struct vmq_plan_adapter ad[2] = { { 8, -1 }, { 8, -1 } };
	struct vmq_cpuset sets[2];
	struct vmq_topology t;

	topo_make(&t, 8, 2, 2, TOPO_ADJACENT);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_SUM, ad, 2, sets), 0);
	/* Cores 2, 4, 6 (core 0 left to the system), split 2 + 1. */
	EXPECT_STREQ(fmt_set(&sets[0], b1), "2,4");
	EXPECT_STREQ(fmt_set(&sets[1], b2), "6");
}

UNIT_TEST(plan_guest_sum_prefers_each_nics_node)
{
	struct vmq_plan_adapter ad[2] = { { 4, 1 }, { 4, 0 } };
	struct vmq_cpuset sets[2];
	struct vmq_topology t;

	topo_make(&t, 8, 2, 2, TOPO_ADJACENT);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_SUM, ad, 2, sets), 0);
	EXPECT_STREQ(fmt_set(&sets[0], b1), "4,6");
	EXPECT_STREQ(fmt_set(&sets[1], b2), "2");
}

UNIT_TEST(plan_guest_min_one_set)
{
	struct vmq_plan_adapter ad[2] = { { 4, -1 }, { 8, -1 } };
	struct vmq_cpuset sets[2];
	struct vmq_topology t;

	topo_make(&t, 8, 2, 2, TOPO_ADJACENT);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_MIN, ad, 2, sets), 0);
	EXPECT_STREQ(fmt_set(&sets[0], b1), "2,4,6");
	EXPECT(vmq_cpuset_equal(&sets[0], &sets[1]));
	/* Both NICs on node 1: node 1's cores. */
	ad[0].node = ad[1].node = 1;
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_MIN, ad, 2, sets), 0);
	EXPECT_STREQ(fmt_set(&sets[1], b1), "4,6");
}

UNIT_TEST(plan_two_core_host_keeps_cpu0)
{
	struct vmq_plan_adapter ad[2] = { { 4, -1 }, { 4, -1 } };
	struct vmq_cpuset sets[2];
	struct vmq_topology t;

	topo_make(&t, 2, 1, 1, TOPO_ADJACENT);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_SUM, ad, 2, sets), 0);
	EXPECT_STREQ(fmt_set(&sets[0], b1), "0");
	EXPECT_STREQ(fmt_set(&sets[1], b2), "1");
}

UNIT_TEST(plan_sum_needs_a_cpu_per_member)
{
	struct vmq_plan_adapter ad[3] = { { 4, -1 }, { 4, -1 }, { 4, -1 } };
	struct vmq_cpuset sets[3];
	struct vmq_topology t;

	topo_make(&t, 2, 1, 1, TOPO_ADJACENT);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_SUM, ad, 3, sets), -ENOSPC);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_MIN, ad, 3, sets), 0);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_MIN, ad, 0, sets), -EINVAL);
}

UNIT_TEST(plan_sum_proportional_to_queues)
{
	struct vmq_plan_adapter ad[2] = { { 4, -1 }, { 8, -1 } };
	struct vmq_cpuset sets[2];
	struct vmq_topology t;

	/* 32 cores, 31 candidates, 12 queues: 4 and 8 CPUs. */
	topo_make(&t, 64, 2, 1, TOPO_SPLIT);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_SUM, ad, 2, sets), 0);
	EXPECT_EQ(vmq_cpuset_weight(&sets[0]), 4);
	EXPECT_EQ(vmq_cpuset_weight(&sets[1]), 8);
	/* 7 candidates for 12 queues: 7 * 4/12 = 2.33, 7 * 8/12 = 4.67. */
	topo_make(&t, 16, 2, 1, TOPO_SPLIT);
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_SUM, ad, 2, sets), 0);
	EXPECT_EQ(vmq_cpuset_weight(&sets[0]), 2);
	EXPECT_EQ(vmq_cpuset_weight(&sets[1]), 5);
}

/* ---- the matrix ---- */

struct plan_case {
	unsigned int cpus, threads, nodes;
	enum topo_layout layout;
	unsigned int n;
	struct vmq_plan_adapter ad[4];
};

static const struct vmq_plan_adapter teams[][4] = {
	{ { 4, -1 }, { 8, -1 } },
	{ { 4, 0 }, { 8, 1 } },
	{ { 2, 1 }, { 4, 1 }, { 8, 0 } },
	{ { 1, -1 }, { 3, 0 }, { 8, 1 }, { 16, 1 } },
	{ { 16, 0 }, { 16, 0 }, { 2, 0 }, { 7, 0 } },
};

static const unsigned int team_sizes[] = { 2, 2, 3, 4, 4 };

static bool is_candidate_subset(const struct vmq_topology *t,
				const struct vmq_cpuset *s)
{
	struct vmq_cpuset cand, extra;

	vmq_plan_candidates(t, &cand);
	vmq_cpuset_andnot(&extra, s, &cand);
	return vmq_cpuset_empty(&extra);
}

static unsigned int cpus_on_node(const struct vmq_topology *t,
				 const struct vmq_cpuset *s, int node)
{
	unsigned int cpu, n = 0;

	vmq_cpuset_for_each(cpu, s)
		n += t->node[cpu] == node;
	return n;
}

/* Everything a Sum-Queue plan must be. */
static void check_sum_plan(const struct vmq_topology *t,
			   const struct vmq_plan_adapter *ad, unsigned int n,
			   const struct vmq_cpuset *sets, const char *what)
{
	unsigned int i, total = 0, queues = 0, avail;
	struct vmq_cpuset cand;
	struct vmq_conflict c;

	vmq_plan_candidates(t, &cand);
	avail = vmq_cpuset_weight(&cand);
	if (vmq_procsets_conflict(VMQ_TEAM_MODE_SUM, sets, n, &c)) {
		printf("# %s: sets %u and %u overlap\n", what, c.a, c.b);
		unit_failed = 1;
	}
	for (i = 0; i < n; i++) {
		unsigned int w = vmq_cpuset_weight(&sets[i]);
		unsigned int q = ad[i].queues ?: 1;

		queues += q;
		total += w;
		if (!w || w > q || !is_candidate_subset(t, &sets[i])) {
			printf("# %s: set %u is %s for %u queues\n", what, i,
			       fmt_set(&sets[i], b1), q);
			unit_failed = 1;
		}
	}
	if (total != (avail < queues ? avail : queues)) {
		printf("# %s: %u CPUs handed out of %u\n", what, total, avail);
		unit_failed = 1;
	}
	/* Proportional: within one CPU of the exact share. */
	for (i = 0; i < n; i++) {
		double share = (double)total * (ad[i].queues ?: 1) / queues;
		double w = vmq_cpuset_weight(&sets[i]);

		if (w > share + 1 || (w < share - 1 && share >= 1)) {
			printf("# %s: set %u has %.0f CPUs, share %.2f\n",
			       what, i, w, share);
			unit_failed = 1;
		}
	}
}

/*
 * A member whose node had CPUs to spare for it is placed on that node
 * only: members of a node fit there if their quotas add up to no more
 * than the node's candidates.
 */
static void check_sum_numa(const struct vmq_topology *t,
			   const struct vmq_plan_adapter *ad, unsigned int n,
			   const struct vmq_cpuset *sets, const char *what)
{
	struct vmq_cpuset cand;
	unsigned int i, j;

	vmq_plan_candidates(t, &cand);
	for (i = 0; i < n; i++) {
		unsigned int need = 0, have;

		if (ad[i].node < 0)
			continue;
		for (j = 0; j < n; j++)
			if (ad[j].node == ad[i].node)
				need += vmq_cpuset_weight(&sets[j]);
		have = cpus_on_node(t, &cand, ad[i].node);
		if (need <= have &&
		    cpus_on_node(t, &sets[i], ad[i].node) !=
		    vmq_cpuset_weight(&sets[i])) {
			printf("# %s: set %u (%s) leaves node %d\n", what, i,
			       fmt_set(&sets[i], b1), ad[i].node);
			unit_failed = 1;
		}
	}
}

static void check_min_plan(const struct vmq_topology *t,
			   const struct vmq_plan_adapter *ad, unsigned int n,
			   const struct vmq_cpuset *sets, const char *what)
{
	struct vmq_conflict c;
	unsigned int i;
	bool one_node = ad[0].node >= 0;

	if (vmq_procsets_conflict(VMQ_TEAM_MODE_MIN, sets, n, &c) ||
	    vmq_cpuset_empty(&sets[0]) || !is_candidate_subset(t, &sets[0])) {
		printf("# %s: bad min plan %s\n", what, fmt_set(&sets[0], b1));
		unit_failed = 1;
	}
	for (i = 1; i < n; i++)
		one_node &= ad[i].node == ad[0].node;
	if (one_node && cpus_on_node(t, &sets[0], ad[0].node) !=
	    vmq_cpuset_weight(&sets[0])) {
		printf("# %s: min set %s leaves node %d\n", what,
		       fmt_set(&sets[0], b1), ad[0].node);
		unit_failed = 1;
	}
}

static void plan_one(unsigned int cpus, unsigned int threads,
		     unsigned int nodes, enum topo_layout layout,
		     unsigned int team, int *cases)
{
	const struct vmq_plan_adapter *ad = teams[team];
	unsigned int n = team_sizes[team];
	struct vmq_cpuset sets[VMQ_MAX_ADAPTERS], cand;
	struct vmq_plan_adapter local[4];
	struct vmq_topology t;
	char what[96];
	unsigned int i;
	int err;

	topo_make(&t, cpus, threads, nodes, layout);
	/* A team's NUMA nodes must exist on the host. */
	for (i = 0; i < n; i++) {
		local[i] = ad[i];
		if (local[i].node >= (int)nodes)
			local[i].node = nodes - 1;
	}
	snprintf(what, sizeof(what), "%u cpus %ut %un %s team %u", cpus,
		 threads, nodes, layout == TOPO_SPLIT ? "split" : "adjacent",
		 team);
	vmq_plan_candidates(&t, &cand);

	err = vmq_plan(&t, VMQ_TEAM_MODE_SUM, local, n, sets);
	if (vmq_cpuset_weight(&cand) < n) {
		EXPECT_EQ(err, -ENOSPC);
	} else {
		EXPECT_EQ(err, 0);
		check_sum_plan(&t, local, n, sets, what);
		check_sum_numa(&t, local, n, sets, what);
	}
	EXPECT_EQ(vmq_plan(&t, VMQ_TEAM_MODE_MIN, local, n, sets), 0);
	check_min_plan(&t, local, n, sets, what);
	(*cases)++;
}

UNIT_TEST(plan_matrix_keeps_the_rules)
{
	static const unsigned int cpus[] = { 2, 4, 8, 16, 24, 64, 128, 256 };
	unsigned int c, threads, nodes, team;
	int cases = 0;

	for (c = 0; c < ARRAY_SIZE(cpus); c++)
		for (threads = 1; threads <= 2; threads++)
			for (nodes = 1; nodes <= 2; nodes++) {
				if (cpus[c] / threads < nodes)
					continue;
				for (team = 0; team < ARRAY_SIZE(teams);
				     team++) {
					plan_one(cpus[c], threads, nodes,
						 TOPO_ADJACENT, team, &cases);
					plan_one(cpus[c], threads, nodes,
						 TOPO_SPLIT, team, &cases);
				}
			}
	printf("# %d host/team combinations planned\n", cases);
	EXPECT(cases > 200);
}

UNIT_TEST(plan_around_sum_keeps_explicit_and_avoids_it)
{
	struct vmq_plan_adapter ad[3] = { { 8, -1 }, { 8, -1 }, { 8, -1 } };
	bool fixed[3] = { false, true, false };
	struct vmq_cpuset sets[3];
	struct vmq_topology t;

	topo_make(&t, 16, 1, 1, TOPO_ADJACENT);
	sets[1] = CPUS(1, 2, 3);
	EXPECT_EQ(vmq_plan_around(&t, VMQ_TEAM_MODE_SUM, ad, 3, fixed, sets),
		  0);
	EXPECT_STREQ(fmt_set(&sets[1], b1), "1-3");
	/* 15 candidates less 1-3: 12, split 6 + 6 */
	EXPECT_STREQ(fmt_set(&sets[0], b1), "4-9");
	EXPECT_STREQ(fmt_set(&sets[2], b2), "10-15");
}

UNIT_TEST(plan_around_min_follows_explicit)
{
	struct vmq_plan_adapter ad[2] = { { 8, -1 }, { 8, -1 } };
	bool fixed[2] = { false, true };
	struct vmq_cpuset sets[2];
	struct vmq_topology t;

	topo_make(&t, 16, 1, 1, TOPO_ADJACENT);
	sets[1] = CPUS(4, 5);
	EXPECT_EQ(vmq_plan_around(&t, VMQ_TEAM_MODE_MIN, ad, 2, fixed, sets),
		  0);
	EXPECT_STREQ(fmt_set(&sets[0], b1), "4-5");
	fixed[1] = false;
	EXPECT_EQ(vmq_plan_around(&t, VMQ_TEAM_MODE_MIN, ad, 2, fixed, sets),
		  0);
	EXPECT_STREQ(fmt_set(&sets[0], b1), "1-15");
}

UNIT_TEST(plan_around_sum_no_cpu_left)
{
	struct vmq_plan_adapter ad[2] = { { 8, -1 }, { 8, -1 } };
	bool fixed[2] = { true, false };
	struct vmq_cpuset sets[2];
	struct vmq_topology t;

	topo_make(&t, 4, 1, 1, TOPO_ADJACENT);
	sets[0] = CPUS(1, 2, 3);
	EXPECT_EQ(vmq_plan_around(&t, VMQ_TEAM_MODE_SUM, ad, 2, fixed, sets),
		  -ENOSPC);
}
