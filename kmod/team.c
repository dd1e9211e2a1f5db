// SPDX-License-Identifier: GPL-2.0
/*
 * Teams: vmq attached to a bond, in the model.  A team's queue mode,
 * adapters and processor sets are derived from its bond here; what its
 * VMs get is placed by place.c and applied by sync.c.  RTNL throughout.
 */
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netns/generic.h>

#include "adapter.h"
#include "bond.h"
#include "compat.h"
#include "monitor.h"
#include "rx.h"
#include "steer.h"
#include "team.h"
#include "vm.h"

unsigned int vmq_net_id __read_mostly;

struct vmq_net *vmq_net(const struct net *net)
{
	return net_generic(net, vmq_net_id);
}

/* The team attached to bond @dev, or NULL.  RTNL. */
struct vmq_team *vmq_team_of(const struct net_device *dev)
{
	struct vmq_team *team;

	if (!netif_is_bond_master(dev))
		return NULL;
	list_for_each_entry(team, &vmq_net(dev_net(dev))->teams, node)
		if (team->bond == dev)
			return team;
	return NULL;
}

/* The team whose bond @dev is, or is a member of. */
struct vmq_team *vmq_team_near(struct net_device *dev)
{
	struct net_device *upper;

	if (netif_is_bond_master(dev))
		return vmq_team_of(dev);
	if (!netif_is_bond_slave(dev))
		return NULL;
	upper = netdev_master_upper_dev_get(dev);
	return upper ? vmq_team_of(upper) : NULL;
}

/* The adapter @dev is, if it is a member of a bond vmq is attached to. */
struct vmq_adapter *vmq_adapter_of(struct net_device *dev)
{
	struct vmq_team *team = vmq_team_near(dev);
	struct vmq_adapter *ad;

	if (!team)
		return NULL;
	list_for_each_entry(ad, &team->adapters, node)
		if (ad->dev == dev)
			return ad;
	return NULL;
}

static struct vmq_team *vmq_team_alloc(struct net_device *bond,
				       enum vmq_team_mode mode)
{
	struct vmq_team *team;

	team = kzalloc(sizeof(*team), GFP_KERNEL);
	if (!team)
		return NULL;
	team->stats = netdev_alloc_pcpu_stats(struct vmq_team_pcpu_stats);
	team->qa = kzalloc(sizeof(*team->qa), GFP_KERNEL);
	if (!team->stats || !team->qa || vmq_vm_table_init(team)) {
		free_percpu(team->stats);
		kfree(team->qa);
		kfree(team);
		return NULL;
	}
	team->bond = bond;
	team->requested_mode = mode;
	/* A queue of its own where the NIC can, the VM's CPU elsewhere. */
	team->steering = VMQ_STEERING_AUTO;
	INIT_LIST_HEAD(&team->adapters);
	INIT_LIST_HEAD(&team->departed);
	INIT_LIST_HEAD(&team->vms);
	ida_init(&team->vm_ids);
	vmq_qa_init(team->qa, VMQ_TEAM_MODE_MIN, 0);
	return team;
}

static void vmq_team_free(struct vmq_team *team)
{
	vmq_vm_table_destroy(team);
	ida_destroy(&team->vm_ids);
	free_percpu(team->stats);
	kfree(team->qa);
	kfree(team);
}

/*
 * A bond that is itself a port of another bond or of a team: vmq cannot
 * serve it.  The outer master chooses which of its ports transmits a MAC,
 * so the member the inner bond names (Sum placement) says nothing, and
 * it manages the inner bond's MAC address and filters (fail_over_mac,
 * its promiscuity and address lists).  bond_enslave() takes a bond as a
 * port (it refuses only masters that are not bonds) and team_port_add()
 * takes one too; both link it as their master upper.  Every other master
 * (a bridge, Open vSwitch, a VRF) and every upper that is no master
 * (macvlan, macvtap, ipvlan, a VLAN) leaves transmission to the bond,
 * and vmq's hooks on the members see its frames as before.
 *
 * Return: true, with the reason in @msg, if @bond is such a port.
 */
static bool vmq_team_nested(struct net_device *bond, char *msg, size_t len)
{
	struct net_device *outer = netdev_master_upper_dev_get(bond);

	if (!outer || (!netif_is_bond_master(outer) &&
		       !netif_is_team_master(outer)))
		return false;
	snprintf(msg, len,
		 "%s is a port of %s: vmq cannot work on a nested bond; release it",
		 bond->name, outer->name);
	return true;
}

static int vmq_team_check_attachable(struct net_device *dev,
				     struct netlink_ext_ack *extack)
{
	char msg[VMQ_CONFLICT_MSG_LEN];

	if (!vmq_is_bond(dev)) {
		vmq_set_err_fmt(extack,
				"%s is not a bond master; vmq attaches to bonds",
				dev->name);
		return -EOPNOTSUPP;
	}
	if (vmq_team_of(dev)) {
		vmq_set_err_fmt(extack, "vmq is already attached to %s",
				dev->name);
		return -EEXIST;
	}
	if (vmq_team_nested(dev, msg, sizeof(msg))) {
		vmq_set_err_msg(extack, msg);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int vmq_team_check_mode(struct net_device *bond,
			       enum vmq_team_mode mode,
			       struct netlink_ext_ack *extack)
{
	char msg[VMQ_CONFLICT_MSG_LEN];
	struct vmq_bond_params params;
	int err;

	vmq_bond_read_params(bond, &params);
	err = vmq_team_mode_check(mode, &params, msg, sizeof(msg));
	if (err)
		vmq_set_err_msg(extack, msg);
	return err;
}

/**
 * vmq_team_create - a new team for a bond, in the model
 * @bond: the bond master, in the requester's namespace
 * @mode: requested queue mode
 * @extack: for the reason of a refusal
 *
 * Nothing is changed unless everything succeeds.  The team has no
 * adapters until vmq_team_derive().
 *
 * Return: the team, or an ERR_PTR() with @extack set.
 */
struct vmq_team *vmq_team_create(struct net_device *bond,
				 enum vmq_team_mode mode,
				 struct netlink_ext_ack *extack)
{
	struct vmq_team *team;
	int err;

	ASSERT_RTNL();
	err = vmq_team_check_attachable(bond, extack);
	if (!err)
		err = vmq_team_check_mode(bond, mode, extack);
	if (err)
		return ERR_PTR(err);

	team = vmq_team_alloc(bond, mode);
	if (!team) {
		NL_SET_ERR_MSG(extack, "Out of memory for the team");
		return ERR_PTR(-ENOMEM);
	}
	netdev_hold(bond, &team->bond_tracker, GFP_KERNEL);
	list_add_tail(&team->node, &vmq_net(dev_net(bond))->teams);
	vmq_team_changed(team);
	return team;
}

/**
 * vmq_team_changed - a dump in progress may no longer be consistent
 * @team: the team that changed: its list of adapters or VMs, or a VM's
 *	place
 *
 * Dumps go by position in those lists, across several reads; a dump
 * that began before the change is marked NLM_F_DUMP_INTR from its next
 * message on (vmq_nl_dump_obj()), and vmqctl asks again.  RTNL.
 */
void vmq_team_changed(const struct vmq_team *team)
{
	struct vmq_net *vn = vmq_net(dev_net(team->bond));

	ASSERT_RTNL();
	/* 0 is netlink's "no generation yet" (nl_dump_check_consistent()). */
	if (!++vn->gen)
		vn->gen = 1;
}

/*
 * Take the team out of its namespace's list first, so that no event its
 * own undoing raises (a driver that restarts its port) finds it and
 * applies it again.
 */
void vmq_team_unlink(struct vmq_team *team)
{
	ASSERT_RTNL();
	vmq_team_changed(team);
	list_del(&team->node);
}

/**
 * vmq_team_destroy - free a team, its VMs and its adapters
 * @team: a team whose hardware the sync step has given back
 *
 * Freeing the adapters unhooks them and waits for a grace period, so no
 * CPU is left in the ingress hook with @team when it is freed; VMs,
 * which the receive path also reached, go through RCU.  Frames steered
 * in software are let drain first, so that none is overtaken by its
 * flow's next, unsteered one; what is still queued after that is
 * delivered once the hooks are gone, or dropped with a bond that is
 * going away.
 */
void vmq_team_destroy(struct vmq_team *team)
{
	bool deliver;

	ASSERT_RTNL();
	WARN_ON_ONCE(!list_empty(&team->departed));
	/* A bond going away, or to another namespace, is closed by now. */
	deliver = team->bond->reg_state == NETREG_REGISTERED &&
		  netif_running(team->bond);
	if (deliver)
		vmq_rx_quiesce(team);
	vmq_vms_release(team);
	vmq_adapters_free(&team->departed);
	vmq_adapters_free(&team->adapters);
	vmq_steer_flush(team, deliver);
	netdev_put(team->bond, &team->bond_tracker);
	vmq_team_free(team);
}

/* What a team that was misconfigured, and is no more, says. */
static const char *vmq_team_fixed(const struct vmq_team *team)
{
	return team->nested ? "no longer a port of another bond or team" :
			      "processor sets fixed";
}

static void vmq_team_set_state(struct vmq_team *team,
			       enum vmq_team_state state, const char *reason)
{
	if (state == team->state && !strcmp(reason, team->state_reason))
		return;
	if (state == VMQ_TEAM_STATE_MISCONFIGURED) {
		netdev_warn(team->bond, "vmq: misconfigured: %s\n", reason);
		vmq_event(team, VMQ_EVENT_MISCONFIGURED, NULL, "%s", reason);
	} else if (team->state == VMQ_TEAM_STATE_MISCONFIGURED) {
		netdev_info(team->bond, "vmq: %s\n", vmq_team_fixed(team));
		vmq_event(team, VMQ_EVENT_FIXED, NULL, "%s",
			  vmq_team_fixed(team));
	}
	team->state = state;
	strscpy(team->state_reason, reason, sizeof(team->state_reason));
}

static void vmq_team_update_mode(struct vmq_team *team)
{
	char reason[VMQ_MODE_REASON_LEN];
	struct vmq_bond_params params;
	enum vmq_team_mode mode;

	vmq_bond_read_params(team->bond, &params);
	mode = vmq_team_mode_derive(team->requested_mode, &params, reason,
				    sizeof(reason));
	if (team->queue_mode && mode != team->queue_mode) {
		netdev_info(team->bond, "vmq: queue mode now %s\n", reason);
		vmq_event(team, VMQ_EVENT_MODE_CHANGED, NULL, "%s", reason);
	}
	team->queue_mode = mode;
	strscpy(team->mode_reason, reason, sizeof(team->mode_reason));
}

/* A forced Sum-Queue whose bond was changed into one it cannot serve. */
static bool vmq_team_mode_unfit(struct vmq_team *team, char *msg, size_t len)
{
	struct vmq_bond_params params;

	vmq_bond_read_params(team->bond, &params);
	return vmq_team_mode_check(team->requested_mode, &params, msg, len);
}

/**
 * vmq_team_derive - bring a team's derived state up to date with its bond
 * @team: the team
 *
 * Re-derives the queue mode, the adapters and their processor sets, and
 * whether the sets keep the mode's rule.  A team whose sets break it is
 * misconfigured, and says why.  The first step of vmq_team_apply().
 *
 * So is a team whose bond became a port of another bond or team after
 * attach (vmq_team_nested()), until it is released: its VMs are placed
 * nowhere, neither on a queue nor in software, so the outer master alone
 * decides where their frames go.  vmq does not veto the enslaving
 * (NETDEV_PRECHANGEUPPER could): it is the administrator's own command,
 * and refusing it would let a helper that only tunes the receive path
 * stand in the way of the host's network configuration.
 */
void vmq_team_derive(struct vmq_team *team)
{
	struct vmq_cpuset sets[VMQ_MAX_ADAPTERS];
	char msg[VMQ_CONFLICT_MSG_LEN];
	struct vmq_adapter *ad;
	unsigned int i = 0;

	ASSERT_RTNL();
	vmq_team_update_mode(team);
	vmq_adapters_sync_members(team);
	if (vmq_team_nested(team->bond, msg, sizeof(msg))) {
		team->nested = true;
		vmq_team_set_state(team, VMQ_TEAM_STATE_MISCONFIGURED, msg);
		return;
	}
	if (vmq_team_mode_unfit(team, msg, sizeof(msg)) ||
	    vmq_team_compute_sets(team, NULL, NULL, sets, msg, sizeof(msg))) {
		vmq_team_set_state(team, VMQ_TEAM_STATE_MISCONFIGURED, msg);
	} else {
		list_for_each_entry(ad, &team->adapters, node)
			ad->procs = sets[i++];
		vmq_team_set_state(team, VMQ_TEAM_STATE_OK, "");
	}
	/* Only now: vmq_team_set_state() said what was fixed. */
	team->nested = false;
}

/*
 * VMs a NIC refused are asked for again: what refused them (a full
 * table, an administrator's rule of another shape on ice) may be gone.
 */
void vmq_team_retry_refused(struct vmq_team *team)
{
	struct vmq_vm *vm;

	list_for_each_entry(vm, &team->vms, node)
		if (vm->state == VMQ_VM_STATE_REFUSED)
			vmq_vm_retry(vm);
}

void vmq_team_read_stats(const struct vmq_team *team,
			 struct vmq_team_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vmq_team_pcpu_stats *s;
		u64 packets, bytes;
		unsigned int start;

		s = per_cpu_ptr(team->stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			packets = u64_stats_read(&s->rx_packets);
			bytes = u64_stats_read(&s->rx_bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->rx_packets += packets;
		sum->rx_bytes += bytes;
	}
}

/*
 * A member known not to steer by destination MAC: a rule insert was
 * refused for its shape, or ntuple is fixed off.
 */
static const struct vmq_adapter *vmq_team_unsteered(const struct vmq_team *team)
{
	const struct vmq_adapter *ad;

	list_for_each_entry(ad, &team->adapters, node)
		if (ad->steering_known && !ad->steering)
			return ad;
	return NULL;
}

/**
 * vmq_team_set_steering - change which steering the team's VMs get
 * @team: the team
 * @steering: VMQ_STEERING_*
 * @extack: for the reason of a refusal
 *
 * hw alone is refused where a member cannot steer: its VMs would have no
 * queue of their own and nothing else.  Every VM is placed again.
 *
 * Return: 0, or -EOPNOTSUPP with @extack set.
 */
int vmq_team_set_steering(struct vmq_team *team, enum vmq_steering steering,
			  struct netlink_ext_ack *extack)
{
	const struct vmq_adapter *ad = vmq_team_unsteered(team);

	ASSERT_RTNL();
	if (steering == VMQ_STEERING_HW && ad) {
		vmq_set_err_fmt(extack,
				"%s cannot steer by destination MAC: use steering auto or sw",
				ad->dev->name);
		return -EOPNOTSUPP;
	}
	if (steering != team->steering)
		team->replace_pending = true;
	team->steering = steering;
	return 0;
}

/* Which hook vmq sees the team's frames through, and why that one. */
void vmq_team_describe_hook(const struct vmq_team *team, char *buf,
			    size_t len)
{
	struct net_device *master = netdev_master_upper_dev_get(team->bond);
	const char *hook = team->nr_vms ?
		"netfilter ingress of each member, before bonding" :
		"netfilter ingress of each member, once the team has a VM";

	ASSERT_RTNL();
	if (master)
		snprintf(buf, len, "%s: the bond's rx_handler is %s's", hook,
			 master->name);
	else if (netdev_is_rx_handler_busy(team->bond))
		snprintf(buf, len, "%s: the bond's rx_handler is taken", hook);
	else
		snprintf(buf, len, "%s: the bond's rx_handler is left free",
			 hook);
}
