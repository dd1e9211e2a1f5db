// SPDX-License-Identifier: GPL-2.0
/*
 * Drivers name a queue's vector after the interface or its device:
 *
 *	eth0-TxRx-3		igb_request_msix(), ixgbe, bnxt_setup_msix()
 *	ice-eth0-TxRx-3		ice_vsi_req_irq_msix(), i40e: a driver prefix
 *	eth0-rx-3, eth0-3	drivers with separate RX vectors, or none named
 *	eth0:rx-3		stmmac_request_irq_multi_msi()
 *	virtio0-input.3		vp_find_vqs_msix(), after the virtio device
 *	mlx5_comp3@pci:0000:03:00.0
 *				mlx5 irq_set_name(): completion vector 3,
 *				which serves channel 3, after the PCI function
 *	mlx4-3@0000:03:00.0	mlx4_assign_eq(): event queue 3, which serves
 *				whichever rings mlx4 put on it: not ring 2,
 *				nor any ring the name can tell (see below)
 *
 * A name is only a name: a vector keeps the name it was requested with,
 * so after a rename another interface's old vectors can carry this one's.
 * Callers check ownership where the system can tell (a PCI function's MSI
 * vectors).
 */
#include <limits.h>
#include <string.h>

#include "irqname.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The decimal number @s starts with, if it ends at @end (or the string's
 * end, if @end is NULL) and is below @limit; else -1.
 */
static int vmq_parse_queue(const char *s, const char *end, unsigned int limit)
{
	unsigned int q = 0;
	const char *p;

	if (*s < '0' || *s > '9')
		return -1;
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		q = q * 10 + (unsigned int)(*p - '0');
		if (q >= limit)
			return -1;
	}
	if (end ? p != end : *p != '\0')
		return -1;
	return (int)q;
}

/* "<owner><infix><q>", the owner at the start or after a '-' prefix. */
static int vmq_irq_name_infix(const char *name, const char *owner,
			      unsigned int nr_queues)
{
	static const char *const infixes[] = { "-TxRx-", "-rx-", "-RX-",
					       "-txrx-", ":rx-", "-input.",
					       "-" };
	size_t olen = strlen(owner);
	const char *p = name, *rest;
	unsigned int i;
	int q;

	if (!olen)
		return -1;
	while ((p = strstr(p, owner))) {
		if (p != name && p[-1] != '-') {
			p++;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(infixes); i++) {
			rest = p + olen;
			if (strncmp(rest, infixes[i], strlen(infixes[i])))
				continue;
			q = vmq_parse_queue(rest + strlen(infixes[i]), NULL,
					    nr_queues);
			if (q >= 0)
				return q;
		}
		p++;
	}
	return -1;
}

/* "mlx5_comp<q>@pci:<owner>"; its async vector, mlx5_async0@..., serves none. */
static int vmq_irq_name_at(const char *name, const char *owner,
			   unsigned int nr_queues)
{
	static const char prefix[] = "mlx5_comp";
	const char *at = strrchr(name, '@');

	if (!at || strncmp(name, prefix, strlen(prefix)) ||
	    strncmp(at + 1, "pci:", 4) || strcmp(at + 5, owner))
		return -1;
	return vmq_parse_queue(name + strlen(prefix), at, nr_queues);
}

/**
 * vmq_irq_name_queue - the RX queue a vector called @name serves
 * @name: the vector's name, as request_irq() was given it
 * @owner: an interface name, or the name of the device under it
 * @nr_queues: queue numbers at or above this are not taken
 *
 * Return: the queue, or -1 if @name does not name one of @owner's.
 */
int vmq_irq_name_queue(const char *name, const char *owner,
		       unsigned int nr_queues)
{
	int q = vmq_irq_name_infix(name, owner, nr_queues);

	return q >= 0 ? q : vmq_irq_name_at(name, owner, nr_queues);
}

/*
 * mlx4
 * ====
 *
 * mlx4 names its vectors after event queues (EQs), not rings, and which
 * EQ serves RX ring i is its own choice; the same in Debian's 6.1 and
 * 6.12 sources (drivers/net/ethernet/mellanox/mlx4/):
 *
 * - mlx4_enable_msi_x() (main.c) allocates nreq = min(num_ports *
 *   num_online_cpus() + 1, num_eqs - reserved_eqs, MAX_MSIX, msi_x if
 *   above 1) MSI-X vectors (the function's msi_irqs): vector 0 is the
 *   async EQ (MLX4_EQ_ASYNC), vectors 1..nreq-1 the num_comp_vectors
 *   completion EQs, EQ i on vector i.  Unless
 *   MLX4_IS_LEGACY_EQ_MODE (fewer than MIN_MSIX_P_PORT = 5 completion
 *   EQs a port), the EQs are split between the ports in consecutive
 *   runs, and mlx4_init_affinity_hint() gives EQ i of a port whose EQs
 *   start after off others the hint CPU i - 1 - off; in legacy mode
 *   every EQ serves every port and has no hint.
 * - mlx4_en_start_port() (en_netdev.c) gives ring i the affinity
 *   mlx4_en_init_affinity_hint(): the single CPU
 *   cpumask_local_spread(i, dev->numa_node).
 * - mlx4_en_activate_cq() (en_cq.c) asks mlx4_assign_eq() (eq.c) for
 *   that CPU's number as a completion vector, the first time the ring's
 *   CQ is activated (a CQ keeps its EQ across port restarts, and new CQs,
 *   after ethtool -L or -G, are assigned in ring order once the old ones
 *   are released).  mlx4_assign_eq() takes EQ cpu + 1 if it is one of
 *   the port's, else (on port 2) that plus the EQs of the ports before;
 *   failing both, the port's EQ serving the fewest CQs, the lowest
 *   numbered of those.  The IRQ is requested the first time an EQ is
 *   assigned, named "mlx4-%d@%s" after the EQ index and dev_name() of
 *   the PCI function, and given its hint (mlx4_set_eq_affinity_hint()).
 *   The async EQ is "mlx4-async@pci:<function>".
 *
 * The EQ is not found by matching the ring's CPU to an EQ's affinity
 * hint: mlx4_assign_eq() never reads hints.  They agree on port 1 (EQ
 * cpu + 1 has hint cpu), but in legacy mode there are none, on port 2
 * EQ cpu + 1 may be port 2's own with another hint, and the EQ a ring
 * falls back to has any hint.  The effective affinity says nothing
 * either: an administrator, irqbalance or vmq itself moves it.
 */

/* mlx4.h, include/linux/mlx4/device.h */
#define MLX4_EQ_ASYNC		0
#define MIN_MSIX_P_PORT		5
#define MLX4_MAX_PORTS		2

/**
 * vmq_irq_name_mlx4_eq - the completion EQ a vector called @name is
 * @name: the vector's name
 * @owner: the name of the PCI function (dev_name(), "0000:03:00.0")
 *
 * Return: the EQ index, 1 to VMQ_MLX4_MAX_EQS - 1, of "mlx4-<EQ>@<owner>"
 * (mlx4_assign_eq()); -1 for any other name, mlx4's async vector
 * "mlx4-async@pci:<owner>" (mlx4_init_eq_table()) among them.
 */
int vmq_irq_name_mlx4_eq(const char *name, const char *owner)
{
	static const char prefix[] = "mlx4-";
	const char *at = strrchr(name, '@');
	int eq;

	if (!at || !*owner || strncmp(name, prefix, strlen(prefix)) ||
	    strcmp(at + 1, owner))
		return -1;
	eq = vmq_parse_queue(name + strlen(prefix), at, VMQ_MLX4_MAX_EQS);
	return eq == MLX4_EQ_ASYNC ? -1 : eq;
}

static bool cpu_online(const struct vmq_cpu_topology *t, unsigned int cpu)
{
	return cpu < t->nr_cpus && t->cpu_node[cpu] != VMQ_CPU_OFFLINE;
}

static bool node_has_cpu(const struct vmq_cpu_topology *t, int node)
{
	unsigned int cpu;

	for (cpu = 0; cpu < t->nr_cpus; cpu++)
		if (cpu_online(t, cpu) && t->cpu_node[cpu] == node)
			return true;
	return false;
}

/* node_distance(@a, @b); UINT_MAX if not known. */
static unsigned int node_distance(const struct vmq_cpu_topology *t, int a,
				  int b)
{
	if (!t->distance || a < 0 || b < 0 || (unsigned int)a >= t->nr_nodes ||
	    (unsigned int)b >= t->nr_nodes)
		return UINT_MAX;
	return t->distance[(unsigned int)a * t->nr_nodes + (unsigned int)b];
}

/* The online CPU @cpu's rank key in 6.3+'s order: its distance. */
static unsigned int cpu_key(const struct vmq_cpu_topology *t, int node,
			    unsigned int cpu)
{
	return node_distance(t, node, t->cpu_node[cpu]);
}

/*
 * The @i'th online CPU (from 0, in id order) whose key is @key, or whose
 * node is (@in) or is not (!@in) @node when @by_key is false; -1 if
 * there are not that many.
 */
static int nth_cpu(const struct vmq_cpu_topology *t, unsigned int i,
		   int node, bool by_key, unsigned int key, bool in)
{
	unsigned int cpu;
	bool take;

	for (cpu = 0; cpu < t->nr_cpus; cpu++) {
		if (!cpu_online(t, cpu))
			continue;
		if (by_key)
			take = cpu_key(t, node, cpu) == key;
		else
			take = node < 0 || (t->cpu_node[cpu] == node) == in;
		if (take && !i--)
			return (int)cpu;
	}
	return -1;
}

/* numa_nearest_node(@node, N_CPU): @node, or the nearest with CPUs. */
static int nearest_cpu_node(const struct vmq_cpu_topology *t, int node)
{
	unsigned int n, dist, min_dist = UINT_MAX;
	int min_node = node;

	if (node_has_cpu(t, node))
		return node;
	for (n = 0; n < t->nr_nodes; n++) {
		dist = node_distance(t, node, (int)n);
		if (node_has_cpu(t, (int)n) && dist < min_dist) {
			min_dist = dist;
			min_node = (int)n;
		}
	}
	return min_node;
}

/**
 * vmq_local_spread - cpumask_local_spread(@i, @node), from userspace
 * @t: the CPUs and NUMA nodes, as sysfs shows them
 * @i: the index (mlx4: the ring)
 * @node: the device's NUMA node, or -1
 *
 * lib/cpumask.c, @i taken modulo the online CPUs' count.  Without a node,
 * the @i'th online CPU.  6.1: the node's online CPUs first, then the
 * others, each in id order.  6.3 and later (@t->by_distance, 6.12):
 * sched_numa_find_nth_cpu(), which orders them by NUMA distance from
 * the node (the nearest one with CPUs, numa_nearest_node()), in id order
 * at each distance; the same as 6.1's on two nodes.
 *
 * Return: the CPU, or -1 if none is online.
 */
int vmq_local_spread(const struct vmq_cpu_topology *t, unsigned int i,
		     int node)
{
	unsigned int cpu, n = 0, in_node = 0, key, prev;
	bool first;

	for (cpu = 0; cpu < t->nr_cpus; cpu++) {
		if (!cpu_online(t, cpu))
			continue;
		n++;
		in_node += node >= 0 && t->cpu_node[cpu] == node;
	}
	if (!n)
		return -1;
	i %= n;
	if (node < 0)
		return nth_cpu(t, i, -1, false, 0, true);
	if (!t->by_distance || !t->distance) {
		if (i < in_node)
			return nth_cpu(t, i, node, false, 0, true);
		return nth_cpu(t, i - in_node, node, false, 0, false);
	}
	node = nearest_cpu_node(t, node);
	/* The hops: each distance in turn, nearest first. */
	for (prev = 0, first = true;; first = false, prev = key) {
		key = UINT_MAX;
		n = 0;
		for (cpu = 0; cpu < t->nr_cpus; cpu++) {
			unsigned int k;

			if (!cpu_online(t, cpu))
				continue;
			k = cpu_key(t, node, cpu);
			if ((first || k > prev) && k < key)
				key = k;
		}
		for (cpu = 0; cpu < t->nr_cpus; cpu++)
			n += cpu_online(t, cpu) && cpu_key(t, node, cpu) == key;
		if (i < n)
			return nth_cpu(t, i, node, true, key, true);
		if (!n || key == UINT_MAX)
			return -1;
		i -= n;
	}
}

static bool mlx4_legacy(const struct vmq_mlx4_eqs *m)
{
	/* MLX4_IS_LEGACY_EQ_MODE() */
	return m->nr_comp < m->nr_ports * MIN_MSIX_P_PORT;
}

/*
 * Which ports each EQ serves (bit port - 1), as mlx4_enable_msi_x()
 * sets actv_ports: consecutive runs of nr_comp / nr_ports EQs, one port
 * after the other (its test skips the async EQ 0), or every port.
 */
static void mlx4_eq_ports(const struct vmq_mlx4_eqs *m,
			  unsigned int ports[VMQ_MLX4_MAX_EQS])
{
	unsigned int i, port = 0;

	memset(ports, 0, VMQ_MLX4_MAX_EQS * sizeof(ports[0]));
	for (i = 1; i <= m->nr_comp; i++) {
		if (mlx4_legacy(m))
			ports[i] = (1U << m->nr_ports) - 1;
		else
			ports[i] = port < 8 * sizeof(ports[i]) ? 1U << port : 0;
		if (m->nr_comp > m->nr_ports &&
		    (i + 1) % (m->nr_comp / m->nr_ports) == 1)
			port++;
	}
}

/* mlx4_get_eqs_per_port(), @port from 1 */
static unsigned int mlx4_eqs_per_port(const struct vmq_mlx4_eqs *m,
				      const unsigned int *ports,
				      unsigned int port)
{
	unsigned int i, sum = 0;

	for (i = 0; i <= m->nr_comp; i++)
		sum += port >= 1 && port <= 8 * sizeof(ports[i]) &&
		       (ports[i] >> (port - 1) & 1);
	return sum;
}

/* EQs of the ports before @port (from 1) */
static unsigned int mlx4_eqs_before(const struct vmq_mlx4_eqs *m,
				    const unsigned int *ports,
				    unsigned int port)
{
	unsigned int i, off = 0;

	for (i = 1; i < port; i++)
		off += mlx4_eqs_per_port(m, ports, i);
	return off;
}

static bool mlx4_layout_valid(const struct vmq_mlx4_eqs *m)
{
	return m->nr_ports >= 1 && m->nr_ports <= MLX4_MAX_PORTS &&
	       m->port >= 1 && m->port <= m->nr_ports &&
	       m->nr_comp < VMQ_MLX4_MAX_EQS;
}

/*
 * mlx4_assign_eq(), asked for CPU @cpu's vector on @m->port: the EQ, -1
 * if none (-ENOSPC); *@least_used if it was the fallback.  Counts the
 * CQ in @refs (eq->ref_count).
 */
static int mlx4_assign_eq(const struct vmq_mlx4_eqs *m,
			  const unsigned int *ports, unsigned int *refs,
			  unsigned int cpu, bool *least_used)
{
	unsigned int bit = 1U << (m->port - 1), req, i, min = UINT_MAX;
	int chosen = -1;

	*least_used = false;
	/* MLX4_CQ_TO_EQ_VECTOR(cpu) */
	req = cpu + 1;
	if (req <= m->nr_comp && !(ports[req] & bit))
		req += mlx4_eqs_before(m, ports, m->port);
	if (req <= m->nr_comp && ports[req] & bit) {
		chosen = (int)req;
	} else {
		*least_used = true;
		for (i = 0; i <= m->nr_comp; i++) {
			if (ports[i] & bit && refs[i] < min) {
				min = refs[i];
				chosen = (int)i;
			}
		}
	}
	if (chosen >= 0)
		refs[chosen]++;
	return chosen;
}

/**
 * vmq_mlx4_ring_eqs - the EQ mlx4 puts each RX ring of a port on
 * @m: the device's EQ layout; @m->nr_comp 0 if not known
 * @ring_cpu: each ring's CPU, cpumask_local_spread(ring, node), or -1
 * @nr_rings: the port's rings (real_num_rx_queues)
 * @eq: filled in: each ring's EQ index, or -1 where it cannot be told
 *
 * mlx4_assign_eq() as mlx4_en_activate_cq() calls it, ring by ring: EQ
 * cpu + 1 if it is the port's, or (port 2) that plus the EQs of port 1;
 * else the port's least used EQ, which is told only where no other port
 * shares the port's EQs (no legacy EQ mode on a dual-port device) and
 * every earlier ring's EQ was told.  mlx4_ib's one CQ on each of the
 * port's EQs (mlx4_ib_alloc_eqs()) changes no choice.  With the EQ
 * count not known, only the first rule, on a single-port device, is
 * applied: the caller must find the EQ's vector to know it exists.
 */
void vmq_mlx4_ring_eqs(const struct vmq_mlx4_eqs *m, const int *ring_cpu,
		       unsigned int nr_rings, int *eq)
{
	unsigned int ports[VMQ_MLX4_MAX_EQS], refs[VMQ_MLX4_MAX_EQS] = { 0 };
	unsigned int r;
	bool told, least_used;
	int chosen;

	for (r = 0; r < nr_rings; r++)
		eq[r] = -1;
	if (!mlx4_layout_valid(m))
		return;
	if (!m->nr_comp) {
		if (m->nr_ports != 1)
			return;
		for (r = 0; r < nr_rings; r++)
			if (ring_cpu[r] >= 0 &&
			    ring_cpu[r] + 1 < VMQ_MLX4_MAX_EQS)
				eq[r] = ring_cpu[r] + 1;
		return;
	}
	mlx4_eq_ports(m, ports);
	told = !mlx4_legacy(m) || m->nr_ports == 1;
	for (r = 0; r < nr_rings; r++) {
		if (ring_cpu[r] < 0) {
			told = false;	/* and so the use counts */
			continue;
		}
		chosen = mlx4_assign_eq(m, ports, refs,
					(unsigned int)ring_cpu[r], &least_used);
		if (chosen >= 0 && (told || !least_used))
			eq[r] = chosen;
	}
}

/**
 * vmq_mlx4_eq_hint - the CPU mlx4 hints EQ @eq's IRQ to
 * @m: the device's EQ layout; @m->nr_comp 0 if not known (single port)
 * @eq: the EQ index
 *
 * mlx4_init_affinity_hint(): CPU eq - 1 less the EQs of the ports before
 * the EQ's; none in legacy EQ mode.
 *
 * Return: the CPU, or -1 if mlx4 gives @eq no hint.
 */
int vmq_mlx4_eq_hint(const struct vmq_mlx4_eqs *m, unsigned int eq)
{
	unsigned int ports[VMQ_MLX4_MAX_EQS], port;
	int cpu;

	if (!mlx4_layout_valid(m) || eq == MLX4_EQ_ASYNC ||
	    eq >= VMQ_MLX4_MAX_EQS)
		return -1;
	if (!m->nr_comp)
		return m->nr_ports == 1 ? (int)eq - 1 : -1;
	if (eq > m->nr_comp || mlx4_legacy(m))
		return -1;
	mlx4_eq_ports(m, ports);
	for (port = 1; port <= 8 * sizeof(ports[0]); port++) {
		if (!(ports[eq] >> (port - 1) & 1))
			continue;
		cpu = (int)eq - 1 - (int)mlx4_eqs_before(m, ports, port);
		return cpu >= 0 ? cpu : -1;
	}
	return -1;
}
