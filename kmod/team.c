// SPDX-License-Identifier: GPL-2.0
/*
 * Teams: vmq attached to a bond.
 *
 * vmq sees a team's frames through a netfilter ingress hook on each
 * member (adapter.c registers it), not through an rx_handler: a device
 * has one rx_handler slot, and on a KVM host the bond's belongs to the
 * bridge, macvlan/macvtap, ipvlan or Open vSwitch the guests hang off.
 * The member's ingress hook runs before bond_handle_frame() and whatever
 * holds the bond's slot, with the frame still on the member and queue it
 * came in on, its VLAN tag already in the skb's metadata.  Everything
 * here but the hook runs under RTNL.
 */
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netns/generic.h>

#include "vmq.h"

static unsigned int vmq_net_id __read_mostly;

static void vmq_reconcile_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(vmq_reconcile, vmq_reconcile_work);
static bool vmq_reconcile_live;		/* between init and exit */

static unsigned int reconcile_ms = 2000;

/* A period set again after 0 starts the pass again. */
static int vmq_reconcile_ms_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_uint(val, kp);

	if (!err && READ_ONCE(vmq_reconcile_live) && READ_ONCE(reconcile_ms))
		mod_delayed_work(system_wq, &vmq_reconcile, 0);
	return err;
}

static const struct kernel_param_ops vmq_reconcile_ms_ops = {
	.set = vmq_reconcile_ms_set,
	.get = param_get_uint,
};
module_param_cb(reconcile_ms, &vmq_reconcile_ms_ops, &reconcile_ms, 0644);
MODULE_PARM_DESC(reconcile_ms,
		 "Period of the pass that repairs rules and IRQ affinities (ms, 0: off)");

/* Every team of every namespace, for the periodic pass.  RTNL. */
static LIST_HEAD(vmq_all_teams);
static void vmq_refresh_work(struct work_struct *work);
static DECLARE_WORK(vmq_refresh, vmq_refresh_work);

struct vmq_net *vmq_net(const struct net *net)
{
	return net_generic(net, vmq_net_id);
}

static void vmq_team_count_rx(struct vmq_team *team, const struct sk_buff *skb)
{
	struct vmq_team_pcpu_stats *stats = this_cpu_ptr(team->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_add(&stats->rx_bytes, skb->len);
	u64_stats_update_end(&stats->syncp);
}

/**
 * vmq_team_ingress - the per-packet path, a member's netfilter ingress hook
 * @priv: the member's adapter
 * @skb: a frame, on the member (skb->dev) and queue it arrived on
 * @state: unused
 *
 * Softirq context, RCU read side held by the core.  The adapter, and its
 * team, are freed only a grace period after the hook is unregistered.
 * Frames the bond will not take (an inactive member's) are not counted.
 *
 * Return: NF_ACCEPT; vmq only counts.
 */
unsigned int vmq_team_ingress(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	const struct vmq_adapter *ad = priv;
	struct vmq_team *team = ad->team;
	struct vmq_vm *vm;
	int vlan = -1;

	if (!vmq_bond_member_delivers(skb))
		return NF_ACCEPT;
	vmq_team_count_rx(team, skb);
	if (skb_vlan_tag_present(skb)) {
		/* A VM's VLAN is an 802.1Q one: a service tag names none. */
		if (skb->vlan_proto != htons(ETH_P_8021Q))
			return NF_ACCEPT;
		vlan = skb_vlan_tag_get_id(skb);
	}
	vm = vmq_vm_lookup_rcu(team, eth_hdr(skb)->h_dest, vlan);
	if (vm)
		vmq_vm_count_rx(vm, skb);
	return NF_ACCEPT;
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

static struct vmq_team *vmq_team_alloc(struct net_device *bond,
				       enum vmq_team_mode mode)
{
	struct vmq_team *team;

	team = kzalloc(sizeof(*team), GFP_KERNEL);
	if (!team)
		return NULL;
	team->stats = netdev_alloc_pcpu_stats(struct vmq_team_pcpu_stats);
	team->qa = kzalloc(sizeof(*team->qa), GFP_KERNEL);
	if (!team->stats || !team->qa) {
		free_percpu(team->stats);
		kfree(team->qa);
		kfree(team);
		return NULL;
	}
	team->bond = bond;
	team->requested_mode = mode;
	INIT_LIST_HEAD(&team->adapters);
	INIT_LIST_HEAD(&team->vms);
	hash_init(team->vm_hash);
	ida_init(&team->vm_ids);
	vmq_qa_init(team->qa, VMQ_TEAM_MODE_MIN, 0);
	return team;
}

static void vmq_team_free(struct vmq_team *team)
{
	ida_destroy(&team->vm_ids);
	free_percpu(team->stats);
	kfree(team->qa);
	kfree(team);
}

static int vmq_team_check_attachable(struct net_device *dev,
				     struct netlink_ext_ack *extack)
{
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
 * vmq_team_attach - attach vmq to a bond
 * @bond: the bond master, in the requester's namespace
 * @mode: requested queue mode
 * @extack: for the reason of a refusal
 *
 * Nothing is changed unless everything succeeds.
 *
 * Return: 0 or a negative errno with @extack set.
 */
int vmq_team_attach(struct net_device *bond, enum vmq_team_mode mode,
		    struct netlink_ext_ack *extack)
{
	struct vmq_team *team;
	int err;

	ASSERT_RTNL();
	err = vmq_team_check_attachable(bond, extack);
	if (!err)
		err = vmq_team_check_mode(bond, mode, extack);
	if (err)
		return err;

	team = vmq_team_alloc(bond, mode);
	if (!team) {
		NL_SET_ERR_MSG(extack, "Out of memory for the team");
		return -ENOMEM;
	}
	netdev_hold(bond, &team->bond_tracker, GFP_KERNEL);
	list_add_tail(&team->node, &vmq_net(dev_net(bond))->teams);
	list_add_tail(&team->all_node, &vmq_all_teams);
	vmq_team_refresh(team);
	netdev_info(bond, "vmq attached: %s\n", team->mode_reason);
	vmq_event(team, VMQ_EVENT_TEAM_ATTACHED, NULL, "attached: %s",
		  team->mode_reason);
	return 0;
}

/**
 * vmq_team_detach - undo everything vmq did to a bond, and free the team
 * @team: the team
 *
 * Rules come out and IRQs get their affinity back first.  Freeing the
 * adapters unhooks them and waits for a grace period, so no CPU is left
 * in vmq_team_ingress() with @team when it is freed; VMs, which the
 * receive path also reached, go through RCU.
 */
void vmq_team_detach(struct vmq_team *team)
{
	struct net_device *bond = team->bond;

	ASSERT_RTNL();
	list_del(&team->node);
	list_del(&team->all_node);
	vmq_team_release_hw(team);
	vmq_event(team, VMQ_EVENT_TEAM_DETACHED, NULL, "detached");
	vmq_vms_release(team);
	vmq_adapters_release(team);
	netdev_info(bond, "vmq detached\n");
	netdev_put(bond, &team->bond_tracker);
	vmq_team_free(team);
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
		netdev_info(team->bond, "vmq: processor sets fixed\n");
		vmq_event(team, VMQ_EVENT_FIXED, NULL, "processor sets fixed");
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
 * __vmq_team_refresh - bring a team's derived state up to date with its bond
 * @team: the team
 * @verify: also check the hardware still holds what vmq put in, and repair
 *
 * Called on attach, on every event that may change the bond (mode, hash
 * policy, members) and by the periodic pass: re-derives the queue mode,
 * the adapters and their processor sets, and whether the sets keep the
 * mode's rule.  A team whose sets break it is misconfigured, and says why.
 * Then VMs are placed and the hardware made to match.
 */
static void __vmq_team_refresh(struct vmq_team *team, bool verify)
{
	struct vmq_cpuset sets[VMQ_MAX_ADAPTERS];
	char msg[VMQ_CONFLICT_MSG_LEN];
	struct vmq_adapter *ad;
	unsigned int i = 0;

	ASSERT_RTNL();
	vmq_team_update_mode(team);
	vmq_adapters_sync_members(team);
	if (vmq_team_mode_unfit(team, msg, sizeof(msg)) ||
	    vmq_team_compute_sets(team, NULL, NULL, sets, msg, sizeof(msg))) {
		vmq_team_set_state(team, VMQ_TEAM_STATE_MISCONFIGURED, msg);
	} else {
		list_for_each_entry(ad, &team->adapters, node)
			ad->procs = sets[i++];
		vmq_team_set_state(team, VMQ_TEAM_STATE_OK, "");
	}
	vmq_team_apply(team, verify);
}

void vmq_team_refresh(struct vmq_team *team)
{
	__vmq_team_refresh(team, false);
}

/*
 * The periodic pass: refresh, and repair what drifted.  VMs a NIC refused
 * are asked for again: what refused them (a full table, an
 * administrator's rule of another shape on ice) may be gone.
 */
void vmq_team_reconcile(struct vmq_team *team)
{
	struct vmq_vm *vm;

	list_for_each_entry(vm, &team->vms, node)
		if (vm->state == VMQ_VM_STATE_REFUSED)
			vmq_vm_retry(vm);
	__vmq_team_refresh(team, true);
}

static void vmq_reconcile_schedule(void)
{
	unsigned int ms = READ_ONCE(reconcile_ms);

	if (ms)
		schedule_delayed_work(&vmq_reconcile, msecs_to_jiffies(ms));
}

static void vmq_reconcile_work(struct work_struct *work)
{
	struct vmq_team *team;

	/* Nothing to repair, nor RTNL to take, with no team and no undo. */
	if (list_empty_careful(&vmq_all_teams) && !vmq_rules_undo_owed()) {
		vmq_reconcile_schedule();
		return;
	}
	rtnl_lock();
	list_for_each_entry(team, &vmq_all_teams, all_node)
		vmq_team_reconcile(team);
	vmq_rules_undo_retry();
	rtnl_unlock();
	vmq_reconcile_schedule();
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

/* The team whose bond @dev is, or is a member of. */
static struct vmq_team *vmq_team_near(struct net_device *dev)
{
	struct net_device *upper;

	if (netif_is_bond_master(dev))
		return vmq_team_of(dev);
	if (!netif_is_bond_slave(dev))
		return NULL;
	upper = netdev_master_upper_dev_get(dev);
	return upper ? vmq_team_of(upper) : NULL;
}

/*
 * Bonding sends its notifiers before it has committed what they announce:
 * NETDEV_CHANGEUPPER on enslave before bond_update_slave_arr(), on
 * release after the unlink but before the array update, and a member's
 * link change (NETDEV_CHANGE, NETDEV_CHANGELOWERSTATE) before
 * bond_miimon_link_change().  Asked from inside them, the bond names the
 * old transmit member.  So each team the event touches is refreshed
 * again from a work item, which takes RTNL after the section that sent
 * the event has ended.
 */
static void vmq_team_refresh_soon(struct vmq_team *team)
{
	team->refresh_pending = true;
	schedule_work(&vmq_refresh);
}

static void vmq_refresh_work(struct work_struct *work)
{
	struct vmq_team *team;

	rtnl_lock();
	list_for_each_entry(team, &vmq_all_teams, all_node) {
		if (!team->refresh_pending)
			continue;
		team->refresh_pending = false;
		vmq_team_refresh(team);
	}
	rtnl_unlock();
}

static void vmq_team_refresh_now_and_soon(struct vmq_team *team)
{
	vmq_team_refresh(team);
	vmq_team_refresh_soon(team);
}

/*
 * A bond that is deleted, or moved to another namespace (which
 * unregisters it from the old one first), takes its team with it.  A
 * member that goes is dropped.  Anything else that may change the bond's
 * mode, hash policy, members or their state refreshes the team, now and
 * once bonding has committed the change.
 */
static int vmq_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct netdev_notifier_changeupper_info *cu = ptr;
	struct vmq_team *team;

	switch (event) {
	case NETDEV_UNREGISTER:
		team = vmq_team_of(dev);
		if (team) {
			vmq_team_detach(team);
		} else {
			team = vmq_team_near(dev);
			if (team)
				vmq_team_refresh_now_and_soon(team);
		}
		/* After the team let go: its rules die with the device. */
		vmq_rules_undo_forget(dev);
		break;
	case NETDEV_CHANGEUPPER:
		team = vmq_team_of(cu->upper_dev);
		if (team)
			vmq_team_refresh_now_and_soon(team);
		break;
	case NETDEV_CHANGE:
	case NETDEV_CHANGELOWERSTATE:
	case NETDEV_CHANGEINFODATA:
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_BONDING_FAILOVER:
		team = vmq_team_near(dev);
		if (team)
			vmq_team_refresh_now_and_soon(team);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vmq_netdev_notifier = {
	.notifier_call = vmq_netdev_event,
};

static int __net_init vmq_net_init(struct net *net)
{
	INIT_LIST_HEAD(&vmq_net(net)->teams);
	return 0;
}

/*
 * Runs for every namespace on module unload, and for a namespace being
 * destroyed (whose bonds are normally gone already, through the notifier).
 */
static void __net_exit vmq_net_exit(struct net *net)
{
	struct vmq_team *team, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(team, tmp, &vmq_net(net)->teams, node)
		vmq_team_detach(team);
	rtnl_unlock();
}

static struct pernet_operations vmq_net_ops = {
	.init = vmq_net_init,
	.exit = vmq_net_exit,
	.id = &vmq_net_id,
	.size = sizeof(struct vmq_net),
};

int vmq_team_init(void)
{
	int err;

	err = register_pernet_subsys(&vmq_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&vmq_netdev_notifier);
	if (err) {
		unregister_pernet_subsys(&vmq_net_ops);
		return err;
	}
	WRITE_ONCE(vmq_reconcile_live, true);
	vmq_reconcile_schedule();
	return 0;
}

/* After the netlink family is gone, so nothing can attach meanwhile. */
void vmq_team_exit(void)
{
	/* Stop the pass first: it takes RTNL (cancel copes with requeueing). */
	WRITE_ONCE(vmq_reconcile_live, false);
	cancel_delayed_work_sync(&vmq_reconcile);
	unregister_pernet_subsys(&vmq_net_ops);
	/*
	 * Before the notifier goes: unregistering it replays
	 * NETDEV_UNREGISTER for every device, which would forget the undos.
	 */
	vmq_rules_undo_exit();
	unregister_netdevice_notifier(&vmq_netdev_notifier);
	/* No notifier is left to queue it again. */
	cancel_work_sync(&vmq_refresh);
	/* VMs are freed by RCU callbacks, which live in this module. */
	rcu_barrier();
}
