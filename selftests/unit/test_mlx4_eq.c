// SPDX-License-Identifier: GPL-2.0
/*
 * mlx4's RX ring -> event queue choice, as tools/vmqctl/irqname.c models
 * it: cpumask_local_spread() as 6.1 and 6.12 have it, the EQ split of
 * mlx4_enable_msi_x(), mlx4_assign_eq() and mlx4_init_affinity_hint().
 */
#include "unit.h"
#include "../../tools/vmqctl/irqname.h"

#define OFF	VMQ_CPU_OFFLINE

/* The rig's guest: node 0 has CPUs 0-3, node 1 CPUs 4-7. */
static const int two_nodes[8] = { 0, 0, 0, 0, 1, 1, 1, 1 };
static const unsigned int two_dist[4] = { 10, 20, 20, 10 };

/*
 * Four nodes of two CPUs, node 0 nearer node 2 than nodes 1 and 3: 6.1
 * takes the other nodes' CPUs in id order, 6.3+ node 2's first.
 */
static const int four_nodes[8] = { 0, 0, 1, 1, 2, 2, 3, 3 };
static const unsigned int four_dist[16] = {
	10, 30, 20, 30,
	30, 10, 30, 20,
	20, 30, 10, 30,
	30, 20, 30, 10,
};

static int spread(const int *cpu_node, unsigned int nr_cpus,
		  const unsigned int *dist, unsigned int nr_nodes,
		  bool by_distance, unsigned int i, int node)
{
	struct vmq_cpu_topology t = {
		.nr_cpus = nr_cpus, .cpu_node = cpu_node,
		.nr_nodes = nr_nodes, .distance = dist,
		.by_distance = by_distance,
	};

	return vmq_local_spread(&t, i, node);
}

UNIT_TEST(mlx4_eq_names)
{
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-1@0000:03:00.0", "0000:03:00.0"), 1);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-127@0000:03:00.0", "0000:03:00.0"),
		  127);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-5@nicsim3", "nicsim3"), 5);
	/* the async EQ, another function, EQ 0 and past MAX_MSIX */
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-async@pci:0000:03:00.0",
				       "0000:03:00.0"), -1);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-1@0000:03:00.1", "0000:03:00.0"),
		  -1);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-0@0000:03:00.0", "0000:03:00.0"),
		  -1);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-128@0000:03:00.0", "0000:03:00.0"),
		  -1);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-@0000:03:00.0", "0000:03:00.0"), -1);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx5_comp1@pci:0000:03:00.0",
				       "0000:03:00.0"), -1);
	EXPECT_EQ(vmq_irq_name_mlx4_eq("mlx4-1@", ""), -1);
	/* and the queue-name reader takes none of them for a queue */
	EXPECT_EQ(vmq_irq_name_queue("mlx4-3@0000:03:00.0", "0000:03:00.0", 64),
		  -1);
	EXPECT_EQ(vmq_irq_name_queue("mlx4-3@nicsim3", "nicsim3", 64), -1);
}

UNIT_TEST(mlx4_local_spread_two_nodes)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		/* no node: the online CPUs in order, both kernels */
		EXPECT_EQ(spread(two_nodes, 8, two_dist, 2, false, i, -1), i);
		EXPECT_EQ(spread(two_nodes, 8, two_dist, 2, true, i, -1), i);
		/* node 1: 4-7 then 0-3, both kernels */
		EXPECT_EQ(spread(two_nodes, 8, two_dist, 2, false, i, 1),
			  (i + 4) % 8);
		EXPECT_EQ(spread(two_nodes, 8, two_dist, 2, true, i, 1),
			  (i + 4) % 8);
		EXPECT_EQ(spread(two_nodes, 8, two_dist, 2, true, i, 0), i);
	}
	/* i wraps at the online CPUs' count */
	EXPECT_EQ(spread(two_nodes, 8, two_dist, 2, false, 9, 1), 5);
	EXPECT_EQ(spread(two_nodes, 8, NULL, 0, true, 9, 1), 5);
}

UNIT_TEST(mlx4_local_spread_distances)
{
	static const unsigned int v61[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const unsigned int v612[8] = { 0, 1, 4, 5, 2, 3, 6, 7 };
	unsigned int i;

	for (i = 0; i < 8; i++) {
		EXPECT_EQ(spread(four_nodes, 8, four_dist, 4, false, i, 0),
			  v61[i]);
		EXPECT_EQ(spread(four_nodes, 8, four_dist, 4, true, i, 0),
			  v612[i]);
	}
	/* node 3: 6.1 6,7,0,1,...; 6.12 6,7 then node 1's 2,3 */
	EXPECT_EQ(spread(four_nodes, 8, four_dist, 4, false, 2, 3), 0);
	EXPECT_EQ(spread(four_nodes, 8, four_dist, 4, true, 2, 3), 2);
	EXPECT_EQ(spread(four_nodes, 8, four_dist, 4, true, 4, 3), 0);
}

UNIT_TEST(mlx4_local_spread_offline_and_cpuless)
{
	/* CPUs 1 and 5 offline */
	static const int some[8] = { 0, OFF, 0, 0, 1, OFF, 1, 1 };
	/* node 2 has memory only: 6.12 starts at its nearest node, 1 */
	static const int cpuless[6] = { 0, 0, 1, 1, -1, -1 };
	static const unsigned int dist3[9] = {
		10, 20, 30,
		20, 10, 15,
		30, 15, 10,
	};

	EXPECT_EQ(spread(some, 8, two_dist, 2, false, 0, 1), 4);
	EXPECT_EQ(spread(some, 8, two_dist, 2, false, 1, 1), 6);
	EXPECT_EQ(spread(some, 8, two_dist, 2, false, 3, 1), 0);
	EXPECT_EQ(spread(some, 8, two_dist, 2, false, 4, 1), 2);
	EXPECT_EQ(spread(some, 8, two_dist, 2, true, 6, 1), 4);  /* wraps */
	EXPECT_EQ(spread(some, 8, two_dist, 2, false, 1, -1), 2);
	/* 6.1: a node without CPUs has none to give first */
	EXPECT_EQ(spread(cpuless, 4, dist3, 3, false, 0, 2), 0);
	EXPECT_EQ(spread(cpuless, 4, dist3, 3, true, 0, 2), 2);
	EXPECT_EQ(spread(cpuless, 4, dist3, 3, true, 2, 2), 0);
	/* nothing online */
	EXPECT_EQ(spread(cpuless, 0, dist3, 3, true, 0, 2), -1);
}

static void ring_eqs(unsigned int comp, unsigned int ports,
		     unsigned int port, const int *cpu, unsigned int n,
		     int *eq)
{
	struct vmq_mlx4_eqs m = {
		.nr_comp = comp, .nr_ports = ports, .port = port,
	};

	vmq_mlx4_ring_eqs(&m, cpu, n, eq);
}

static int hint(unsigned int comp, unsigned int ports, unsigned int eq)
{
	struct vmq_mlx4_eqs m = { .nr_comp = comp, .nr_ports = ports,
				  .port = 1 };

	return vmq_mlx4_eq_hint(&m, eq);
}

/* One port, an EQ per CPU (8 CPUs: 9 vectors): ring i on EQ cpu + 1. */
UNIT_TEST(mlx4_eq_single_port)
{
	static const int node1[8] = { 4, 5, 6, 7, 0, 1, 2, 3 };
	int eq[8], i;

	ring_eqs(8, 1, 1, node1, 8, eq);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(eq[i], node1[i] + 1);
		EXPECT_EQ(hint(8, 1, (unsigned int)eq[i]), node1[i]);
	}
	EXPECT_EQ(hint(8, 1, 0), -1);	/* the async EQ */
	EXPECT_EQ(hint(8, 1, 9), -1);	/* no such EQ */
	/* the EQ count unknown (no MSI-X list): the first rule alone */
	ring_eqs(0, 1, 1, node1, 8, eq);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(eq[i], node1[i] + 1);
	EXPECT_EQ(hint(0, 1, 5), 4);
	ring_eqs(0, 2, 1, node1, 2, eq);
	EXPECT_EQ(eq[0], -1);
	EXPECT_EQ(eq[1], -1);
}

/*
 * Two ports, 16 EQs: EQs 1-8 port 1's, 9-16 port 2's, each hinted to its
 * place in its port's run.  Port 2's ring on CPU c takes EQ c + 1 + 8.
 */
UNIT_TEST(mlx4_eq_dual_port)
{
	static const int cpus[4] = { 0, 1, 2, 3 };
	int eq[4], i;

	ring_eqs(16, 2, 1, cpus, 4, eq);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(eq[i], i + 1);
	ring_eqs(16, 2, 2, cpus, 4, eq);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(eq[i], i + 9);
		EXPECT_EQ(hint(16, 2, (unsigned int)eq[i]), i);
	}
	EXPECT_EQ(hint(16, 2, 8), 7);
	EXPECT_EQ(hint(16, 2, 16), 7);
}

/*
 * Where matching a ring's CPU to an EQ's hint goes wrong: 12 EQs, 6 a
 * port.  Port 2's ring on CPU 7 asks for EQ 8, which is port 2's own
 * (hinted to CPU 1), and mlx4_assign_eq() takes it.  Port 1's ring on
 * CPU 7 finds EQ 8 not its own and takes its least used EQ.
 */
UNIT_TEST(mlx4_eq_port2_own_eq_other_hint)
{
	static const int cpus[3] = { 7, 0, 6 };
	int eq[3];

	ring_eqs(12, 2, 2, cpus, 3, eq);
	EXPECT_EQ(eq[0], 8);
	EXPECT_EQ(hint(12, 2, 8), 1);
	EXPECT_EQ(eq[1], 7);		/* EQ 1, plus port 1's 6 */
	EXPECT_EQ(eq[2], 7);		/* EQ 7 is port 2's: its own */
	ring_eqs(12, 2, 1, cpus, 3, eq);
	EXPECT_EQ(eq[0], 1);		/* least used, lowest */
	EXPECT_EQ(eq[1], 1);		/* CPU 0's: EQ 1 */
	EXPECT_EQ(eq[2], 2);		/* least used again */
}

/*
 * Fewer EQs than CPUs on one port (4 EQs: legacy mode, no hints): rings
 * on CPUs past the EQs take the least used EQ, in ring order.
 */
UNIT_TEST(mlx4_eq_fallback_least_used)
{
	static const int cpus[6] = { 4, 5, 0, 6, 7, 1 };
	static const int want[6] = { 1, 2, 1, 3, 4, 2 };
	int eq[6], i;

	ring_eqs(4, 1, 1, cpus, 6, eq);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(eq[i], want[i]);
	EXPECT_EQ(hint(4, 1, 1), -1);
}

/*
 * Legacy mode on two ports (8 EQs < 2 * MIN_MSIX_P_PORT): every EQ is
 * both ports', none hinted.  The other port's rings count too, so the
 * least used EQ cannot be told; the CPU's own EQ can.
 */
UNIT_TEST(mlx4_eq_legacy_shared)
{
	static const int cpus[4] = { 3, 9, 0, -1 };
	int eq[4];

	ring_eqs(8, 2, 2, cpus, 4, eq);
	EXPECT_EQ(eq[0], 4);
	EXPECT_EQ(eq[1], -1);
	EXPECT_EQ(eq[2], 1);
	EXPECT_EQ(eq[3], -1);
	EXPECT_EQ(hint(8, 2, 4), -1);
}

/* A ring whose CPU is not known leaves later fallbacks unknown. */
UNIT_TEST(mlx4_eq_unknown_cpu)
{
	static const int cpus[3] = { -1, 9, 2 };
	int eq[3];

	ring_eqs(8, 1, 1, cpus, 3, eq);
	EXPECT_EQ(eq[0], -1);
	EXPECT_EQ(eq[1], -1);
	EXPECT_EQ(eq[2], 3);
}

/*
 * An odd split (15 EQs, 2 ports: runs of 7): EQ 15 is neither port's
 * (mlx4_enable_msi_x() moves on to a port 3), and no ring gets it.
 */
UNIT_TEST(mlx4_eq_odd_split)
{
	static const int cpus[3] = { 14, 7, 0 };
	int eq[3];

	ring_eqs(15, 2, 2, cpus, 3, eq);
	EXPECT_EQ(eq[0], 8);		/* least used of 8-14 */
	EXPECT_EQ(eq[1], 8);		/* EQ 8: port 2's own */
	EXPECT_EQ(eq[2], 8);		/* EQ 1 + 7 */
	ring_eqs(15, 2, 1, cpus, 3, eq);
	EXPECT_EQ(eq[0], 1);
	EXPECT_EQ(eq[1], 2);		/* EQ 8 is not port 1's */
	EXPECT_EQ(eq[2], 1);
	EXPECT_EQ(hint(15, 2, 15), 0);	/* 15 - 1 - 14 */
	EXPECT_EQ(hint(15, 2, 14), 6);
}

UNIT_TEST(mlx4_eq_bad_layout)
{
	static const int cpus[1] = { 0 };
	int eq[1];

	ring_eqs(8, 1, 2, cpus, 1, eq);	/* port 2 of a one-port device */
	EXPECT_EQ(eq[0], -1);
	ring_eqs(8, 3, 1, cpus, 1, eq);	/* mlx4 has two at most */
	EXPECT_EQ(eq[0], -1);
	ring_eqs(8, 1, 0, cpus, 1, eq);
	EXPECT_EQ(eq[0], -1);
}
