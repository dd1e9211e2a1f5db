// SPDX-License-Identifier: GPL-2.0
/*
 * Processor sets, their rules, and the planner.
 *
 * Windows teams put a VM's queue on every member (Min-Queue) or on one
 * member (Sum-Queue).  In Min-Queue a VM's frames may come in on any
 * member, and should be processed on the same CPU whichever it is, so all
 * members must use the same CPUs.  In Sum-Queue each member carries
 * different VMs, and members sharing CPUs would pile their VMs onto the
 * same cores, so the sets must not overlap.  Getting this wrong is what
 * Windows reports as event 106; vmq refuses it, or reports it.
 */
#include "procset.h"

void vmq_proc_cfg_init(struct vmq_proc_cfg *cfg)
{
	cfg->base = 0;
	cfg->max = -1;
	cfg->max_procs = 0;
	cfg->node = -1;
}

/* A CPU stands for its core: it is the core's first online thread. */
static bool cpu_is_core_first(const struct vmq_topology *t, unsigned int cpu)
{
	return t->core_first[cpu] == cpu;
}

unsigned int vmq_topology_cores(const struct vmq_topology *t)
{
	unsigned int cpu, n = 0;

	vmq_cpuset_for_each(cpu, &t->online)
		n += cpu_is_core_first(t, cpu);
	return n;
}

/**
 * vmq_procset_from_cfg - an adapter's processor set from its settings
 * @t: the host's CPUs
 * @cfg: base-processor, max-processor-number, max-processors, numa-node
 * @set: the online CPUs from base to max, one logical CPU per core (the
 *	first thread, as Hyper-V uses even LPs), from the node if one is
 *	given, the first max-processors of them
 */
void vmq_procset_from_cfg(const struct vmq_topology *t,
			  const struct vmq_proc_cfg *cfg,
			  struct vmq_cpuset *set)
{
	unsigned int cpu, n = 0;

	vmq_cpuset_zero(set);
	vmq_cpuset_for_each(cpu, &t->online) {
		if (cpu < (unsigned int)cfg->base)
			continue;
		if (cfg->max >= 0 && cpu > (unsigned int)cfg->max)
			break;
		if (!cpu_is_core_first(t, cpu))
			continue;
		if (cfg->node >= 0 && t->node[cpu] != cfg->node)
			continue;
		vmq_cpuset_set(set, cpu);
		if (cfg->max_procs > 0 && ++n == (unsigned int)cfg->max_procs)
			break;
	}
}

static bool sum_conflict(const struct vmq_cpuset *sets, unsigned int n,
			 struct vmq_conflict *c)
{
	unsigned int a, b;

	for (a = 0; a < n; a++)
		for (b = a + 1; b < n; b++)
			if (vmq_cpuset_and(&c->shared, &sets[a], &sets[b])) {
				c->a = a;
				c->b = b;
				return true;
			}
	return false;
}

static bool min_conflict(const struct vmq_cpuset *sets, unsigned int n,
			 struct vmq_conflict *c)
{
	unsigned int b;

	for (b = 1; b < n; b++)
		if (!vmq_cpuset_equal(&sets[0], &sets[b])) {
			c->a = 0;
			c->b = b;
			vmq_cpuset_and(&c->shared, &sets[0], &sets[b]);
			return true;
		}
	return false;
}

/**
 * vmq_procsets_conflict - do a team's processor sets break its mode's rule?
 * @mode: VMQ_TEAM_MODE_MIN (identical sets) or _SUM (disjoint sets)
 * @sets: one per adapter
 * @n: number of adapters
 * @c: the first offending pair, when there is one
 *
 * Return: true if the sets break the rule.
 */
bool vmq_procsets_conflict(enum vmq_team_mode mode,
			   const struct vmq_cpuset *sets, unsigned int n,
			   struct vmq_conflict *c)
{
	if (mode == VMQ_TEAM_MODE_SUM)
		return sum_conflict(sets, n, c);
	return min_conflict(sets, n, c);
}

/**
 * vmq_procsets_describe_conflict - the conflict in words, naming both
 *	adapters and the CPUs in question
 * @mode: the team's queue mode
 * @sets: the sets vmq_procsets_conflict() looked at
 * @c: what it found
 * @names: adapter names, indexed like @sets
 * @buf: output
 * @len: its size; VMQ_CONFLICT_MSG_LEN is plenty for short CPU lists
 *
 * Return: as snprintf().
 */
int vmq_procsets_describe_conflict(enum vmq_team_mode mode,
				   const struct vmq_cpuset *sets,
				   const struct vmq_conflict *c,
				   const char *const *names,
				   char *buf, size_t len)
{
	char a[VMQ_CONFLICT_MSG_LEN / 2], b[VMQ_CONFLICT_MSG_LEN / 2];

	if (mode == VMQ_TEAM_MODE_SUM) {
		vmq_cpuset_format(&c->shared, a, sizeof(a));
		return snprintf(buf, len,
				"sum-queue mode needs separate CPUs: %s and %s both use CPUs %s",
				names[c->a], names[c->b], a);
	}
	vmq_cpuset_format(&sets[c->a], a, sizeof(a));
	vmq_cpuset_format(&sets[c->b], b, sizeof(b));
	return snprintf(buf, len,
			"min-queue mode needs identical CPUs: %s uses %s but %s uses %s",
			names[c->a], a, names[c->b], b);
}

/**
 * vmq_plan_candidates - the CPUs the planner hands out
 * @t: the host's CPUs
 * @cand: one logical CPU per online core; without CPU 0's core when the
 *	host has more than two cores, since CPU 0 carries the system's own
 *	interrupts and timers
 */
void vmq_plan_candidates(const struct vmq_topology *t,
			 struct vmq_cpuset *cand)
{
	bool skip0 = vmq_topology_cores(t) > 2;
	unsigned int cpu;

	vmq_cpuset_zero(cand);
	vmq_cpuset_for_each(cpu, &t->online) {
		if (!cpu_is_core_first(t, cpu))
			continue;
		if (skip0 && t->core_first[cpu] == t->core_first[0])
			continue;
		vmq_cpuset_set(cand, cpu);
	}
}

/* The candidates on @node, or all of them if the node has none. */
static void prefer_node(const struct vmq_topology *t, int node,
			const struct vmq_cpuset *cand, struct vmq_cpuset *out)
{
	unsigned int cpu;

	*out = *cand;
	if (node < 0)
		return;
	vmq_cpuset_zero(out);
	vmq_cpuset_for_each(cpu, cand)
		if (t->node[cpu] == node)
			vmq_cpuset_set(out, cpu);
	if (vmq_cpuset_empty(out))
		*out = *cand;
}

/* Min-Queue: one set for all, on the members' node if they share one. */
static void plan_min(const struct vmq_topology *t,
		     const struct vmq_plan_adapter *ad, unsigned int n,
		     const struct vmq_cpuset *cand, struct vmq_cpuset *sets)
{
	int node = ad[0].node;
	unsigned int i;

	for (i = 1; i < n; i++)
		if (ad[i].node != node)
			node = -1;
	prefer_node(t, node, cand, &sets[0]);
	for (i = 1; i < n; i++)
		sets[i] = sets[0];
}

/*
 * How many CPUs each member gets in Sum-Queue: @total shared in
 * proportion to the members' queue counts (largest remainder), at least
 * one each.  @total never exceeds the queues there are to pin, so no
 * member gets more CPUs than it has queues.
 */
static void sum_quotas(const struct vmq_plan_adapter *ad, unsigned int n,
		       unsigned int total, unsigned int *quota)
{
	unsigned int weight = 0, given = 0, i, best;
	u64 rem[VMQ_MAX_ADAPTERS];

	for (i = 0; i < n; i++)
		weight += ad[i].queues ?: 1;
	for (i = 0; i < n; i++) {
		u64 share = (u64)total * (ad[i].queues ?: 1);

		quota[i] = share / weight;
		rem[i] = share % weight;
		if (!quota[i]) {
			quota[i] = 1;
			rem[i] = 0;
		}
		given += quota[i];
	}
	while (given < total) {
		for (best = 0, i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		quota[best]++;
		rem[best] = 0;
		given++;
	}
	while (given > total) {
		for (best = 0, i = 1; i < n; i++)
			if (quota[i] > quota[best])
				best = i;
		quota[best]--;
		given--;
	}
}

/* Move up to @want CPUs of @from (ascending) into @to. */
static unsigned int take_cpus(struct vmq_cpuset *from,
			      const struct vmq_cpuset *within,
			      unsigned int want, struct vmq_cpuset *to)
{
	unsigned int cpu, got = 0;

	vmq_cpuset_for_each(cpu, from) {
		if (got == want)
			break;
		if (within && !vmq_cpuset_test(within, cpu))
			continue;
		vmq_cpuset_clear(from, cpu);
		vmq_cpuset_set(to, cpu);
		got++;
	}
	return got;
}

/*
 * Sum-Queue: disjoint sets.  Each member first takes CPUs of its own NUMA
 * node, so that no member takes another's local CPUs while it still has
 * its own; then the members still short take what is left.
 */
static int plan_sum(const struct vmq_topology *t,
		    const struct vmq_plan_adapter *ad, unsigned int n,
		    const struct vmq_cpuset *cand, struct vmq_cpuset *sets)
{
	unsigned int quota[VMQ_MAX_ADAPTERS], have[VMQ_MAX_ADAPTERS];
	unsigned int avail = vmq_cpuset_weight(cand), queues = 0, i;
	struct vmq_cpuset left = *cand, local;

	if (avail < n)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		queues += ad[i].queues ?: 1;
	sum_quotas(ad, n, avail < queues ? avail : queues, quota);

	for (i = 0; i < n; i++) {
		vmq_cpuset_zero(&sets[i]);
		have[i] = 0;
		if (ad[i].node < 0)
			continue;
		prefer_node(t, ad[i].node, cand, &local);
		have[i] = take_cpus(&left, &local, quota[i], &sets[i]);
	}
	for (i = 0; i < n; i++)
		have[i] += take_cpus(&left, NULL, quota[i] - have[i], &sets[i]);
	return 0;
}

/**
 * vmq_plan - recommended processor sets for a team
 * @t: the host's CPUs
 * @mode: the team's queue mode
 * @ad: the members: queue counts and NUMA nodes
 * @n: how many, 1 to VMQ_MAX_ADAPTERS
 * @sets: one set per member, filled in
 *
 * One logical CPU per core, CPU 0's core left to the system on hosts with
 * more than two cores, each NIC's own NUMA node preferred.  Min-Queue: one
 * set for all.  Sum-Queue: disjoint sets shared out in proportion to the
 * members' queue counts.
 *
 * Return: 0, -EINVAL for a bad @n, -ENOSPC if there are fewer CPUs than
 * Sum-Queue members.
 */
int vmq_plan(const struct vmq_topology *t, enum vmq_team_mode mode,
	     const struct vmq_plan_adapter *ad, unsigned int n,
	     struct vmq_cpuset *sets)
{
	struct vmq_cpuset cand;

	if (!n || n > VMQ_MAX_ADAPTERS)
		return -EINVAL;
	vmq_plan_candidates(t, &cand);
	if (vmq_cpuset_empty(&cand))
		return -ENOSPC;
	if (mode == VMQ_TEAM_MODE_SUM)
		return plan_sum(t, ad, n, &cand, sets);
	plan_min(t, ad, n, &cand, sets);
	return 0;
}

/* Min-Queue around fixed sets: everyone follows the first fixed set. */
static bool follow_fixed_min(const bool *fixed, unsigned int n,
			     struct vmq_cpuset *sets)
{
	unsigned int i, first = n;

	for (i = 0; i < n && first == n; i++)
		if (fixed[i])
			first = i;
	if (first == n)
		return false;
	for (i = 0; i < n; i++)
		if (!fixed[i])
			sets[i] = sets[first];
	return true;
}

/* Sum-Queue around fixed sets: plan the others on what is left. */
static int plan_sum_around(const struct vmq_topology *t,
			   const struct vmq_plan_adapter *ad, unsigned int n,
			   const bool *fixed, struct vmq_cpuset *sets)
{
	struct vmq_plan_adapter free_ad[VMQ_MAX_ADAPTERS];
	struct vmq_cpuset cand, planned[VMQ_MAX_ADAPTERS];
	unsigned int i, k = 0;
	int err;

	vmq_plan_candidates(t, &cand);
	for (i = 0; i < n; i++) {
		if (fixed[i])
			vmq_cpuset_andnot(&cand, &cand, &sets[i]);
		else
			free_ad[k++] = ad[i];
	}
	if (!k)
		return 0;
	if (vmq_cpuset_weight(&cand) < k)
		return -ENOSPC;
	err = plan_sum(t, free_ad, k, &cand, planned);
	if (err)
		return err;
	for (i = 0, k = 0; i < n; i++)
		if (!fixed[i])
			sets[i] = planned[k++];
	return 0;
}

/**
 * vmq_plan_around - plan the sets of the adapters that have no explicit
 *	settings, around those that do
 * @t: the host's CPUs
 * @mode: the team's queue mode
 * @ad: the members
 * @n: how many
 * @fixed: which members' @sets are explicit and must be kept
 * @sets: in: the fixed members' sets; out: everyone's
 *
 * Min-Queue: the planned members take the (first) explicit set, so the
 * team keeps one set.  Sum-Queue: they share out the candidates the
 * explicit sets leave free.
 *
 * Return: as vmq_plan().
 */
int vmq_plan_around(const struct vmq_topology *t, enum vmq_team_mode mode,
		    const struct vmq_plan_adapter *ad, unsigned int n,
		    const bool *fixed, struct vmq_cpuset *sets)
{
	if (!n || n > VMQ_MAX_ADAPTERS)
		return -EINVAL;
	if (mode == VMQ_TEAM_MODE_SUM)
		return plan_sum_around(t, ad, n, fixed, sets);
	if (follow_fixed_min(fixed, n, sets))
		return 0;
	return vmq_plan(t, mode, ad, n, sets);
}
