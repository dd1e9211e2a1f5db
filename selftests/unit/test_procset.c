// SPDX-License-Identifier: GPL-2.0
/* Processor sets from Set-NetAdapterVmq-style settings, and their rules. */
#include "unit.h"
#include "topo.h"

static char b1[256];

/* The test VM's host: 2 nodes x 2 cores x 2 threads, QEMU numbering. */
static void guest_topology(struct vmq_topology *t)
{
	topo_make(t, 8, 2, 2, TOPO_ADJACENT);
}

static struct vmq_cpuset from_cfg(const struct vmq_topology *t, int base,
				  int max, int max_procs, int node)
{
	struct vmq_proc_cfg cfg = {
		.base = base, .max = max, .max_procs = max_procs, .node = node,
	};
	struct vmq_cpuset s;

	vmq_procset_from_cfg(t, &cfg, &s);
	return s;
}

UNIT_TEST(procset_one_thread_per_core)
{
	struct vmq_topology t;
	struct vmq_cpuset s;

	guest_topology(&t);
	s = from_cfg(&t, 0, -1, 0, -1);
	EXPECT_STREQ(fmt_set(&s, b1), "0,2,4,6");
	s = from_cfg(&t, 2, -1, 0, -1);
	EXPECT_STREQ(fmt_set(&s, b1), "2,4,6");
	/* Intel-style numbering: 0-7 are the cores' first threads. */
	topo_make(&t, 16, 2, 1, TOPO_SPLIT);
	s = from_cfg(&t, 2, -1, 0, -1);
	EXPECT_STREQ(fmt_set(&s, b1), "2-7");
}

UNIT_TEST(procset_no_smt_takes_every_cpu)
{
	struct vmq_topology t;
	struct vmq_cpuset s;

	topo_make(&t, 8, 1, 1, TOPO_ADJACENT);
	s = from_cfg(&t, 1, -1, 0, -1);
	EXPECT_STREQ(fmt_set(&s, b1), "1-7");
}

UNIT_TEST(procset_max_number_max_procs_and_node)
{
	struct vmq_topology t;
	struct vmq_cpuset s;

	guest_topology(&t);
	s = from_cfg(&t, 2, 4, 0, -1);
	EXPECT_STREQ(fmt_set(&s, b1), "2,4");
	s = from_cfg(&t, 0, -1, 2, -1);
	EXPECT_STREQ(fmt_set(&s, b1), "0,2");
	s = from_cfg(&t, 0, -1, 0, 1);
	EXPECT_STREQ(fmt_set(&s, b1), "4,6");
	s = from_cfg(&t, 2, -1, 1, 1);
	EXPECT_STREQ(fmt_set(&s, b1), "4");
	/* Nothing in range: an empty set, for the caller to refuse. */
	s = from_cfg(&t, 8, -1, 0, -1);
	EXPECT(vmq_cpuset_empty(&s));
}

UNIT_TEST(procset_skips_offline_cpus)
{
	struct vmq_topology t;
	struct vmq_cpuset s;

	guest_topology(&t);
	topo_offline(&t, 4);
	/* Core 4-5 is now represented by its online thread... */
	t.core_first[5] = 5;
	s = from_cfg(&t, 2, -1, 0, -1);
	EXPECT_STREQ(fmt_set(&s, b1), "2,5-6");
}

UNIT_TEST(conflict_sum_overlap_named)
{
	struct vmq_cpuset sets[2] = { CPUS(2, 4, 6), CPUS(2, 4) };
	const char *names[] = { "eth0", "eth1" };
	struct vmq_conflict c;
	char msg[VMQ_CONFLICT_MSG_LEN];

	EXPECT(vmq_procsets_conflict(VMQ_TEAM_MODE_SUM, sets, 2, &c));
	vmq_procsets_describe_conflict(VMQ_TEAM_MODE_SUM, sets, &c, names,
				       msg, sizeof(msg));
	EXPECT_STREQ(msg,
		     "sum-queue mode needs separate CPUs: eth0 and eth1 both use CPUs 2,4");
	/* The seed's fix: each NIC its own cores. */
	sets[1] = CPUS(8, 10);
	EXPECT(!vmq_procsets_conflict(VMQ_TEAM_MODE_SUM, sets, 2, &c));
}

UNIT_TEST(conflict_sum_finds_later_pair)
{
	struct vmq_cpuset sets[3] = { CPUS(2), CPUS(4, 6), CPUS(6, 8) };
	struct vmq_conflict c;

	EXPECT(vmq_procsets_conflict(VMQ_TEAM_MODE_SUM, sets, 3, &c));
	EXPECT_EQ(c.a, 1);
	EXPECT_EQ(c.b, 2);
	EXPECT_STREQ(fmt_set(&c.shared, b1), "6");
}

UNIT_TEST(conflict_min_needs_identical_sets)
{
	struct vmq_cpuset sets[3] = { CPUS(2, 4), CPUS(2, 4), CPUS(2, 6) };
	const char *names[] = { "eth0", "eth1", "eth2" };
	struct vmq_conflict c;
	char msg[VMQ_CONFLICT_MSG_LEN];

	EXPECT(!vmq_procsets_conflict(VMQ_TEAM_MODE_MIN, sets, 2, &c));
	EXPECT(vmq_procsets_conflict(VMQ_TEAM_MODE_MIN, sets, 3, &c));
	vmq_procsets_describe_conflict(VMQ_TEAM_MODE_MIN, sets, &c, names,
				       msg, sizeof(msg));
	EXPECT_STREQ(msg,
		     "min-queue mode needs identical CPUs: eth0 uses 2,4 but eth2 uses 2,6");
	/* Disjoint sets are right for sum, wrong for min, and vice versa. */
	sets[1] = CPUS(8);
	EXPECT(vmq_procsets_conflict(VMQ_TEAM_MODE_MIN, sets, 2, &c));
	EXPECT(!vmq_procsets_conflict(VMQ_TEAM_MODE_SUM, sets, 2, &c));
	sets[1] = sets[0];
	EXPECT(vmq_procsets_conflict(VMQ_TEAM_MODE_SUM, sets, 2, &c));
}
