// SPDX-License-Identifier: GPL-2.0
/*
 * Adapters: a team's bond members, their processor settings and the sets
 * in force, after Set-NetAdapterVmq / Get-NetAdapterVmq.  RTNL throughout.
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "adapter.h"
#include "rx.h"
#include "team.h"
#include "topology.h"

/* One snapshot at a time is enough: it is only ever used under RTNL. */
static struct vmq_topology vmq_topo;

static struct vmq_adapter *vmq_adapter_alloc(struct vmq_team *team,
					     struct net_device *dev)
{
	struct vmq_adapter *ad;

	ad = kzalloc(sizeof(*ad), GFP_KERNEL);
	if (!ad)
		return NULL;
	ad->team = team;
	ad->dev = dev;
	vmq_proc_cfg_init(&ad->cfg);
	ad->default_queues = 1;
	ad->enabled = true;
	/* ntuple fixed off (QEMU's igb, e1000e): no rule will ever go in. */
	if (!((dev->features | dev->hw_features) & NETIF_F_NTUPLE)) {
		ad->steering_known = true;
		ad->steering_err = -EOPNOTSUPP;
	}
	netdev_hold(dev, &ad->dev_tracker, GFP_KERNEL);
	return ad;
}

/*
 * The member's ingress hook, where vmq sees its frames.  At the lowest
 * priority, after an administrator's nftables netdev filters (and, as
 * netfilter ingress runs after tc ingress, after tc's), so vmq counts
 * only what they let through.  Only while the team has VMs: with none
 * there is nothing to count or steer, and a member with no ingress hook
 * costs a frame nothing (nf_hook_ingress_active(): a static key and a
 * NULL test).  A member it failed on is hooked again at the next apply
 * (an add placed alone asks for one, vmq_team_settled()).
 */
static void vmq_adapter_hook(struct vmq_adapter *ad)
{
	int err;

	if (ad->hooked)
		return;
	ad->hook = (struct nf_hook_ops) {
		.hook		= vmq_rx_ingress,
		.dev		= ad->dev,
		.priv		= ad,
		.pf		= NFPROTO_NETDEV,
		.hooknum	= NF_NETDEV_INGRESS,
		.priority	= INT_MAX,
	};
	err = nf_register_net_hook(dev_net(ad->dev), &ad->hook);
	if (err && err != ad->hook_err)
		netdev_warn(ad->dev, "vmq: cannot hook its ingress (%pe): its frames go uncounted, and unsteered in software\n",
			    ERR_PTR(err));
	ad->hook_err = err;
	ad->hooked = !err;
}

/* A CPU may still be in the hook with @ad until a grace period passes. */
static void vmq_adapter_unhook(struct vmq_adapter *ad)
{
	if (!ad->hooked)
		return;
	nf_unregister_net_hook(dev_net(ad->dev), &ad->hook);
	ad->hooked = false;
}

/*
 * Hooked while the team has VMs.  A CPU may still be in the hook of a
 * member unhooked here until a grace period passes: the adapter is
 * freed only after one (vmq_adapters_free()), the VMs it found after
 * theirs.
 */
static void vmq_adapter_hook_sync(struct vmq_adapter *ad)
{
	if (ad->team->nr_vms)
		vmq_adapter_hook(ad);
	else
		vmq_adapter_unhook(ad);
}

/* Unhooked, and a grace period past, first. */
static void vmq_adapter_free(struct vmq_adapter *ad)
{
	/* The sync step undoes, and frees, what it did to it first. */
	WARN_ON_ONCE(ad->hw);
	vmq_team_changed(ad->team);
	list_del(&ad->node);
	netdev_put(ad->dev, &ad->dev_tracker);
	kfree(ad);
}

/**
 * vmq_adapters_free - let go of every adapter on @list
 * @list: adapters whose queues the sync step has undone
 *
 * One grace period for them all: a CPU may still be in the ingress hook
 * with an adapter until it has passed.
 */
void vmq_adapters_free(struct list_head *list)
{
	struct vmq_adapter *ad, *tmp;

	if (list_empty(list))
		return;
	list_for_each_entry(ad, list, node)
		vmq_adapter_unhook(ad);
	synchronize_net();
	list_for_each_entry_safe(ad, tmp, list, node)
		vmq_adapter_free(ad);
}

static struct vmq_adapter *find_adapter(struct vmq_team *team,
					const struct net_device *dev)
{
	struct vmq_adapter *ad;

	list_for_each_entry(ad, &team->adapters, node)
		if (ad->dev == dev)
			return ad;
	return NULL;
}

/**
 * vmq_adapters_sync_members - make the team's adapters the bond's members
 * @team: the team
 *
 * New members get default settings and the list takes the bond's order.
 * Departed ones move to the team's departed list, for the sync step to
 * undo what vmq did to them before they are freed.  A member that cannot
 * be allocated is left out until the next pass; the reconciler tries
 * again.
 */
void vmq_adapters_sync_members(struct vmq_team *team)
{
	struct vmq_adapter *ad;
	struct net_device *lower;
	struct list_head *iter;
	LIST_HEAD(ordered);

	ASSERT_RTNL();
	netdev_for_each_lower_dev(team->bond, lower, iter) {
		if (lower->reg_state != NETREG_REGISTERED)
			continue;
		ad = find_adapter(team, lower);
		if (ad) {
			vmq_adapter_hook_sync(ad);
			list_move_tail(&ad->node, &ordered);
			continue;
		}
		ad = vmq_adapter_alloc(team, lower);
		if (!ad)
			continue;
		vmq_adapter_hook_sync(ad);
		list_add_tail(&ad->node, &ordered);
		team->nr_adapters++;
		vmq_team_changed(team);
	}
	list_for_each_entry(ad, &team->adapters, node)
		team->nr_adapters--;
	list_splice_tail_init(&team->adapters, &team->departed);
	list_splice(&ordered, &team->adapters);
}

unsigned int vmq_adapter_queues(const struct vmq_adapter *ad)
{
	return ad->dev->real_num_rx_queues;
}

/* The queues VMs may have: all but the default ones, none if disabled. */
static unsigned int vmq_adapter_vm_queues(const struct vmq_adapter *ad)
{
	unsigned int n = vmq_adapter_queues(ad);

	if (!ad->enabled || n <= ad->default_queues)
		return 0;
	return n - ad->default_queues;
}

/* The NIC's NUMA node, from its bus device; -1 if it has none. */
int vmq_adapter_nic_node(const struct vmq_adapter *ad)
{
	struct device *parent = ad->dev->dev.parent;

	return parent ? dev_to_node(parent) : NUMA_NO_NODE;
}

void vmq_team_queue_counts(const struct vmq_team *team, unsigned int *queues,
			   unsigned int *vm_queues)
{
	unsigned int q[VMQ_MAX_ADAPTERS], vq[VMQ_MAX_ADAPTERS], n = 0;
	const struct vmq_adapter *ad;

	list_for_each_entry(ad, &team->adapters, node) {
		if (n == VMQ_MAX_ADAPTERS)
			break;
		q[n] = vmq_adapter_queues(ad);
		vq[n++] = vmq_adapter_vm_queues(ad);
	}
	*queues = vmq_team_count(team->queue_mode, q, n);
	*vm_queues = vmq_team_count(team->queue_mode, vq, n);
}

/* Why the planner found no CPUs: the explicit sets took them all. */
static void vmq_describe_no_cpus(const struct vmq_team *team,
				 const char *const *names, const bool *fixed,
				 unsigned int n, char *msg, size_t len)
{
	unsigned int i;

	for (i = 0; i < n && fixed[i]; i++)
		;
	if (i < n)
		snprintf(msg, len,
			 "%s mode needs separate CPUs: the explicit sets leave none for %s",
			 vmq_queue_mode_name(team->queue_mode), names[i]);
	else
		snprintf(msg, len, "%s mode needs a CPU for each member",
			 vmq_queue_mode_name(team->queue_mode));
}

/**
 * vmq_team_compute_sets - every adapter's processor set, and whether they
 *	keep the team's rule
 * @team: the team
 * @changed: an adapter whose settings are proposed, not yet in force
 * @proposal: its proposed settings (only the settings fields are read)
 * @sets: one set per adapter, in list order
 * @msg: why the sets are refused, naming adapters and CPUs
 * @len: size of @msg
 *
 * Return: 0; -EINVAL if the sets break the team's rule; -ERANGE if an
 * explicit set is empty; -ENOSPC if there are not CPUs enough; -E2BIG if
 * the team has more members than vmq handles.
 */
int vmq_team_compute_sets(struct vmq_team *team,
			  const struct vmq_adapter *changed,
			  const struct vmq_adapter *proposal,
			  struct vmq_cpuset *sets, char *msg, size_t len)
{
	struct vmq_plan_adapter pad[VMQ_MAX_ADAPTERS];
	const char *names[VMQ_MAX_ADAPTERS];
	bool fixed[VMQ_MAX_ADAPTERS];
	const struct vmq_adapter *ad;
	struct vmq_conflict c;
	unsigned int n = 0;
	int err;

	ASSERT_RTNL();
	if (team->nr_adapters > VMQ_MAX_ADAPTERS) {
		snprintf(msg, len, "%s has %u members; vmq handles at most %u",
			 team->bond->name, team->nr_adapters,
			 VMQ_MAX_ADAPTERS);
		return -E2BIG;
	}
	vmq_topology_read(&vmq_topo);
	list_for_each_entry(ad, &team->adapters, node) {
		const struct vmq_adapter *a = ad == changed ? proposal : ad;

		names[n] = ad->dev->name;
		pad[n].queues = vmq_adapter_vm_queues(a);
		pad[n].node = vmq_adapter_nic_node(ad);
		fixed[n] = a->explicit_procs;
		if (fixed[n]) {
			vmq_procset_from_cfg(&vmq_topo, &a->cfg, &sets[n]);
			if (vmq_cpuset_empty(&sets[n])) {
				snprintf(msg, len,
					 "%s's processor settings leave it no online CPU",
					 names[n]);
				return -ERANGE;
			}
		}
		n++;
	}
	if (!n)
		return 0;

	err = vmq_plan_around(&vmq_topo, team->queue_mode, pad, n, fixed,
			      sets);
	if (err) {
		vmq_describe_no_cpus(team, names, fixed, n, msg, len);
		return err;
	}
	if (vmq_procsets_conflict(team->queue_mode, sets, n, &c)) {
		vmq_procsets_describe_conflict(team->queue_mode, sets, &c,
					       names, msg, len);
		return -EINVAL;
	}
	return 0;
}

/**
 * vmq_team_plan - the planner's sets for a team, settings ignored
 * @team: the team
 * @sets: one per adapter, in list order
 *
 * Return: 0, -ENOSPC as vmq_plan(), or -E2BIG if the team has more
 * members than vmq handles.
 */
int vmq_team_plan(struct vmq_team *team, struct vmq_cpuset *sets)
{
	struct vmq_plan_adapter pad[VMQ_MAX_ADAPTERS];
	const struct vmq_adapter *ad;
	unsigned int n = 0;

	ASSERT_RTNL();
	/* @sets has room for VMQ_MAX_ADAPTERS: no plan for a bigger team. */
	if (team->nr_adapters > VMQ_MAX_ADAPTERS)
		return -E2BIG;
	vmq_topology_read(&vmq_topo);
	list_for_each_entry(ad, &team->adapters, node) {
		pad[n].queues = vmq_adapter_vm_queues(ad);
		pad[n++].node = vmq_adapter_nic_node(ad);
	}
	if (!n)
		return 0;
	return vmq_plan(&vmq_topo, team->queue_mode, pad, n, sets);
}

/* Every adapter back to the planner's set, as `team plan apply` asks. */
void vmq_adapters_use_plan(struct vmq_team *team)
{
	struct vmq_adapter *ad;

	list_for_each_entry(ad, &team->adapters, node)
		ad->explicit_procs = false;
}
