// SPDX-License-Identifier: GPL-2.0
/*
 * What makes vmq act, besides netlink requests: attaching and detaching
 * a team, the bond's own events, and the periodic pass that repairs what
 * drifted.  Each of them changes the model and goes through the one
 * entry point, vmq_team_apply().
 */
#include <linux/cpuhotplug.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <net/netns/generic.h>

#include "control.h"
#include "monitor.h"
#include "sync.h"
#include "team.h"

static void vmq_reconcile_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(vmq_reconcile, vmq_reconcile_work);
static bool vmq_reconcile_live;		/* between init and exit */

static unsigned int reconcile_ms = 2000;

/* A period set again after 0 starts the pass again. */
static int vmq_reconcile_ms_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_uint(val, kp);

	if (err || !READ_ONCE(vmq_reconcile_live))
		return err;
	/* Off means off now, not after the pass already queued. */
	if (READ_ONCE(reconcile_ms))
		mod_delayed_work(system_wq, &vmq_reconcile, 0);
	else
		cancel_delayed_work(&vmq_reconcile);
	return 0;
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

	ASSERT_RTNL();
	team = vmq_team_create(bond, mode, extack);
	if (IS_ERR(team))
		return PTR_ERR(team);
	list_add_tail(&team->all_node, &vmq_all_teams);
	vmq_team_apply(team, false);
	netdev_info(bond, "vmq attached: %s\n", team->mode_reason);
	vmq_event(team, VMQ_EVENT_TEAM_ATTACHED, NULL, "attached: %s",
		  team->mode_reason);
	return 0;
}

/**
 * vmq_team_detach - undo everything vmq did to a bond, and free the team
 * @team: the team
 *
 * Rules come out and IRQs get their affinity back first, then the team
 * and everything in it is freed.
 */
void vmq_team_detach(struct vmq_team *team)
{
	struct net_device *bond = team->bond;

	ASSERT_RTNL();
	list_del(&team->all_node);
	vmq_team_unlink(team);
	vmq_team_unapply(team);
	vmq_event(team, VMQ_EVENT_TEAM_DETACHED, NULL, "detached");
	netdev_info(bond, "vmq detached\n");
	vmq_team_destroy(team);
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
	if (list_empty_careful(&vmq_all_teams) && !vmq_sync_undo_owed()) {
		vmq_reconcile_schedule();
		return;
	}
	rtnl_lock();
	/* Refresh, and repair what drifted; refused VMs get another try. */
	list_for_each_entry(team, &vmq_all_teams, all_node) {
		vmq_team_retry_refused(team);
		vmq_team_apply(team, true);
	}
	vmq_sync_undo_retry();
	rtnl_unlock();
	vmq_reconcile_schedule();
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
	bool verify;

	rtnl_lock();
	list_for_each_entry(team, &vmq_all_teams, all_node) {
		if (!team->refresh_pending)
			continue;
		verify = team->verify_pending;
		team->refresh_pending = false;
		team->verify_pending = false;
		if (verify)
			vmq_team_retry_refused(team);
		vmq_team_apply(team, verify);
	}
	rtnl_unlock();
}

/*
 * A member's features changed: ntuple turned off by hand (which erases
 * every rule on igb, ice and nicsim) or on again.  The team is checked
 * against its NICs, and its refused VMs tried again, at once rather than
 * at the next periodic pass, which may be off.  Deferred to the work
 * item because vmq_ethtool_set_feature() sends this event from inside
 * vmq_team_apply().
 */
static void vmq_team_verify_soon(struct vmq_team *team)
{
	team->verify_pending = true;
	vmq_team_refresh_soon(team);
}

/*
 * A CPU came or went: every team is placed again at once, not at the
 * next periodic pass (which may be off), so that a VM steered to a CPU
 * going offline -- whose frames the receive path stops steering --
 * gets an online one.
 */
static bool vmq_cpus_changing;

static void vmq_cpus_changed_work(struct work_struct *work)
{
	struct vmq_team *team;

	rtnl_lock();
	WRITE_ONCE(vmq_cpus_changing, false);
	list_for_each_entry(team, &vmq_all_teams, all_node)
		vmq_team_apply(team, false);
	rtnl_unlock();
}

static DECLARE_WORK(vmq_cpus_changed, vmq_cpus_changed_work);
static int vmq_cpuhp_online = -1, vmq_cpuhp_dead = -1;

/* Hotplug callbacks take no lock the core may hold: RTNL in a work. */
static int vmq_cpu_changed(unsigned int cpu)
{
	WRITE_ONCE(vmq_cpus_changing, true);
	schedule_work(&vmq_cpus_changed);
	return 0;
}

/*
 * Whether a CPU came or went and the teams are not yet placed again: a
 * VM added meanwhile must not be placed alone on the old sets.
 */
bool vmq_cpus_settling(void)
{
	return READ_ONCE(vmq_cpus_changing);
}

/*
 * Online: on the new CPU, once it is in cpu_online_mask.  Dead: on a
 * control CPU, once the CPU is out of it (a PREPARE state's teardown).
 */
static int vmq_cpuhp_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "net/vmq:online",
					vmq_cpu_changed, NULL);
	if (ret < 0)
		return ret;
	vmq_cpuhp_online = ret;
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "net/vmq:dead",
					NULL, vmq_cpu_changed);
	if (ret < 0) {
		cpuhp_remove_state_nocalls(vmq_cpuhp_online);
		return ret;
	}
	vmq_cpuhp_dead = ret;
	return 0;
}

static void vmq_cpuhp_exit(void)
{
	cpuhp_remove_state_nocalls(vmq_cpuhp_dead);
	cpuhp_remove_state_nocalls(vmq_cpuhp_online);
	cancel_work_sync(&vmq_cpus_changed);
}

static void vmq_team_refresh_now_and_soon(struct vmq_team *team)
{
	vmq_team_apply(team, false);
	vmq_team_refresh_soon(team);
}

/*
 * A bond that is deleted, or moved to another namespace (which
 * unregisters it from the old one first), takes its team with it.  A
 * member that goes is dropped.  Anything else that may change the bond's
 * mode, hash policy, members or their state refreshes the team, now and
 * once bonding has committed the change; so does the bond becoming or
 * ceasing to be a port of another bond or team, which the team shows as
 * misconfigured meanwhile.  That is not vetoed in NETDEV_PRECHANGEUPPER:
 * see vmq_team_derive().
 */
/*
 * Set on unload before the per-netns state goes: unregistering the
 * notifier after it replays NETDEV_UNREGISTER for every device, and a
 * team looked up in a freed vmq_net was a use-after-free (KASAN, on the
 * rig's debug kernel).  A device unregistered meanwhile is not lost:
 * vmq holds references on its bonds and adapters, so the device waits
 * for the per-netns exit to detach their teams.
 */
static bool vmq_netdev_events_off;

static int vmq_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct netdev_notifier_changeupper_info *cu = ptr;
	struct vmq_team *team;

	if (READ_ONCE(vmq_netdev_events_off))
		return NOTIFY_DONE;
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
		vmq_sync_forget_dev(dev);
		break;
	case NETDEV_CHANGEUPPER:
		/* A member came or went, or the bond got or lost an upper. */
		team = vmq_team_of(cu->upper_dev);
		if (team)
			vmq_team_refresh_now_and_soon(team);
		team = vmq_team_of(dev);
		if (team)
			vmq_team_refresh_now_and_soon(team);
		break;
	case NETDEV_FEAT_CHANGE:
		/*
		 * A member's only: bonding sends it on the bond for every
		 * member change (netdev_compute_master_upper_features()),
		 * and a bond has no ntuple of its own.
		 */
		team = vmq_team_near(dev);
		if (team && dev != team->bond)
			vmq_team_verify_soon(team);
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
	vmq_net(net)->gen = 1;
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

int vmq_control_init(void)
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
	err = vmq_cpuhp_init();
	if (err) {
		unregister_netdevice_notifier(&vmq_netdev_notifier);
		unregister_pernet_subsys(&vmq_net_ops);
		return err;
	}
	WRITE_ONCE(vmq_reconcile_live, true);
	vmq_reconcile_schedule();
	return 0;
}

/* After the netlink family is gone, so nothing can attach meanwhile. */
void vmq_control_exit(void)
{
	/* Stop the pass first: it takes RTNL (cancel copes with requeueing). */
	/* Under the lock a reconcile_ms write holds: none restarts it after. */
	kernel_param_lock(THIS_MODULE);
	WRITE_ONCE(vmq_reconcile_live, false);
	kernel_param_unlock(THIS_MODULE);
	cancel_delayed_work_sync(&vmq_reconcile);
	vmq_cpuhp_exit();
	rtnl_lock();
	WRITE_ONCE(vmq_netdev_events_off, true);
	rtnl_unlock();
	unregister_pernet_subsys(&vmq_net_ops);
	/*
	 * Before the notifier goes: unregistering it replays
	 * NETDEV_UNREGISTER for every device, which would forget the undos.
	 */
	vmq_sync_exit();
	unregister_netdevice_notifier(&vmq_netdev_notifier);
	/* No notifier is left to queue it again. */
	cancel_work_sync(&vmq_refresh);
	/* VMs are freed by RCU callbacks, which live in this module. */
	rcu_barrier();
}
