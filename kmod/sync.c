// SPDX-License-Identifier: GPL-2.0
/*
 * The sync step: the one place vmq's model reaches the hardware.
 *
 * vmq_team_apply() is the entry point every change goes through: the
 * model (VMs, adapters, their settings) has been changed by its caller;
 * here the team's derived state follows the bond, the queue assignment
 * follows the team (place.c), and then the hardware layer (rules.c,
 * rss.c, irq.c, over ethtool.c) is made to match the assignment.  This
 * file is that layer's only caller.  Sync is idempotent: with verify set
 * it also checks that what vmq put in is still there (a driver reset,
 * `ethtool -N ... delete`, irqbalance) and puts it back, counting
 * repairs.  All of it under RTNL.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "adapter.h"
#include "control.h"
#include "ethtool.h"
#include "irq.h"
#include "monitor.h"
#include "place.h"
#include "rss.h"
#include "rules.h"
#include "sync.h"
#include "team.h"
#include "vm.h"

/* What vmq has done to one RX queue of an adapter. */
struct vmq_queue_hw {
	int irq;			/* as last found, or -1 */
	enum vmq_irq_method how;
	struct vmq_irq_pin pin;
	struct vmq_rule rule;
};

/*
 * What the sync step has done to an adapter's hardware, and must undo:
 * the model knows of it only as a pointer.  Made at the adapter's first
 * pass, freed when it is undone.
 */
struct vmq_adapter_hw {
	struct vmq_rules_nic rules;	/* its rule contract, as learned */
	struct vmq_rss rss;		/* what vmq did to its RSS table */
	struct vmq_queue_hw *q;		/* per RX queue */
	unsigned int nr;
	/* IRQs handed down by userspace, per RX queue; 0: none */
	unsigned int user_irq[VMQ_MAX_QUEUES];
	u32 user_irq_holder[VMQ_MAX_QUEUES];	/* vmq_irq_holder() then */
	/* in-use queues whose IRQ vmq could not find, as last told */
	DECLARE_BITMAP(irqs_asked, VMQ_MAX_QUEUES);
	unsigned long irqs_asked_at;	/* jiffies */
	unsigned long irqs_ask_wait;	/* before asking again, jiffies */
	bool verify_owed;		/* a repair pass passed it by */
};

static int vmq_queue_hw_init(struct vmq_queue_hw *hw)
{
	hw->irq = -1;
	hw->how = VMQ_IRQ_NONE;
	memset(&hw->rule, 0, sizeof(hw->rule));
	return vmq_irq_pin_init(&hw->pin);
}

/*
 * The IRQ userspace handed down for queue @q, or -1: none, or one held by
 * another handler than the first that held it since, which a driver
 * reset gave to someone else (the module asks for the new one).  No
 * handler at all is no verdict: ixgbe, i40e, ice and bnxt free their
 * IRQs while down and keep the vectors, and a reset that keeps its
 * numbers leaves them free for a moment.
 */
static int vmq_queue_user_irq(struct vmq_adapter *ad, unsigned int q)
{
	unsigned int irq = ad->hw->user_irq[q];
	u32 holder;

	if (!irq)
		return -1;
	holder = vmq_irq_holder(irq);
	if (holder && !ad->hw->user_irq_holder[q])
		ad->hw->user_irq_holder[q] = holder;
	else if (holder && holder != ad->hw->user_irq_holder[q])
		return -1;
	return irq;
}

/**
 * vmq_adapter_hw_prepare - make room for what vmq will do to @ad
 * @ad: the adapter
 *
 * Return: 0, or -ENOMEM.  At the adapter's first pass, or before an IRQ
 * is handed down for it.
 */
int vmq_adapter_hw_prepare(struct vmq_adapter *ad)
{
	if (!ad->hw)
		ad->hw = kzalloc(sizeof(*ad->hw), GFP_KERNEL);
	return ad->hw ? 0 : -ENOMEM;
}

/*
 * Take @irq, handed down by userspace, as queue @q's, as it is held now.
 * A new answer ends the wait for one (vmq_sync_ask_irqs()): if it does
 * not do (numbers read just before a driver renumbered its vectors),
 * the next pass asks at once, without waiting.
 */
void vmq_adapter_take_irq(struct vmq_adapter *ad, unsigned int q,
			  unsigned int irq)
{
	if (!ad->hw)
		return;
	if (ad->hw->user_irq[q] != irq)
		bitmap_zero(ad->hw->irqs_asked, VMQ_MAX_QUEUES);
	ad->hw->user_irq[q] = irq;
	ad->hw->user_irq_holder[q] = irq ? vmq_irq_holder(irq) : 0;
}

/* Give @q's IRQ (@irq as found now) back the affinity vmq found. */
static void vmq_queue_unpin(struct vmq_adapter *ad, unsigned int q, int irq)
{
	int err = vmq_irq_unpin(&ad->hw->q[q].pin, irq);

	if (err)
		netdev_warn(ad->dev, "vmq: queue %u's IRQ %d keeps vmq's affinity (%pe): /proc/irq/%d/smp_affinity_list sets another\n",
			    q, irq, ERR_PTR(err), irq);
}

static void vmq_queue_hw_release(struct vmq_adapter *ad, unsigned int q,
				 bool gone)
{
	struct vmq_queue_hw *hw = &ad->hw->q[q];
	enum vmq_irq_method how;
	int irq = -1;

	vmq_rule_delete(ad->dev, &hw->rule);
	if (!gone)
		irq = vmq_irq_find(ad->dev, q, vmq_queue_user_irq(ad, q), &how);
	vmq_queue_unpin(ad, q, irq);
	vmq_irq_pin_destroy(&hw->pin);
}

/**
 * vmq_adapter_hw_resize - follow the adapter's RX queue count
 * @ad: the adapter
 *
 * Queues that went away (`ethtool -L`) lose their rules; their IRQs are
 * gone with them and are not restored.
 *
 * Return: 0 or -ENOMEM (the old state is kept).
 */
static int vmq_adapter_hw_resize(struct vmq_adapter *ad)
{
	unsigned int n = min_t(unsigned int, vmq_adapter_queues(ad),
			       VMQ_MAX_QUEUES);
	struct vmq_queue_hw *hw;
	unsigned int q;

	if (vmq_adapter_hw_prepare(ad))
		return -ENOMEM;
	if (n == ad->hw->nr && ad->hw->q)
		return 0;
	hw = kcalloc(n, sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	for (q = 0; q < n; q++) {
		if (q < ad->hw->nr) {
			hw[q] = ad->hw->q[q];
		} else if (vmq_queue_hw_init(&hw[q])) {
			while (q-- > ad->hw->nr)
				vmq_irq_pin_destroy(&hw[q].pin);
			kfree(hw);
			return -ENOMEM;
		}
	}
	/* A number handed down for a queue that went is no longer its. */
	for (q = n; q < ad->hw->nr; q++) {
		vmq_queue_hw_release(ad, q, true);
		vmq_adapter_take_irq(ad, q, 0);
	}
	kfree(ad->hw->q);
	ad->hw->q = hw;
	if (ad->hw->nr != n)
		vmq_team_changed(ad->team);	/* queue-get's positions */
	ad->hw->nr = n;
	return 0;
}

/*
 * Undo everything vmq did to an adapter: its RSS table, its queues'
 * rules and IRQ affinities, and NETIF_F_NTUPLE if vmq turned it on.
 */
static void vmq_adapter_unapply(struct vmq_adapter *ad)
{
	unsigned int q;

	if (!ad->hw)
		return;
	/* A device being unregistered takes its table with it. */
	if (ad->dev->reg_state >= NETREG_UNREGISTERING)
		vmq_rss_forget(&ad->hw->rss);
	else
		vmq_rss_release(ad->dev, &ad->hw->rss);
	for (q = 0; q < ad->hw->nr; q++)
		vmq_queue_hw_release(ad, q, false);
	vmq_rules_release(ad->dev, &ad->hw->rules);
	if (ad->hw->nr)
		vmq_team_changed(ad->team);	/* queue-get's positions */
	kfree(ad->hw->q);
	kfree(ad->hw);
	ad->hw = NULL;
}

/*
 * The rule steers @vm's frames to @q: its MAC and VLAN, or its MAC alone
 * on a NIC that takes no VLAN rule of the shape vmq's others have.
 */
static bool vmq_rule_serves(const struct vmq_adapter *ad,
			    const struct vmq_rule *rule,
			    const struct vmq_vm *vm, unsigned int q)
{
	if (rule->queue != q || !ether_addr_equal(rule->mac, vm->key.mac))
		return false;
	if (rule->vlan >= 0)
		return rule->vlan == vm->vlan && !ad->hw->rules.vlan_refused;
	return vm->vlan < 0 || ad->hw->rules.vlan_refused;
}

/* vmq's rules on the adapter; @vlan: only those matching a VLAN. */
static unsigned int vmq_adapter_own_rules(const struct vmq_adapter *ad,
					  bool vlan)
{
	unsigned int q, n = 0;

	for (q = 0; q < ad->hw->nr; q++)
		n += ad->hw->q[q].rule.present && (!vlan || ad->hw->q[q].rule.vlan >= 0);
	return n;
}

/* The per-pass outcome of a VM's queues. */
struct vmq_sync_vm {
	struct vmq_vm *vm;		/* the VM of this id, if any */
	bool unsteered;			/* some adapter cannot steer */
	int refused;			/* errno of a refused rule */
	bool refused_shape;		/* ... refused beside others' rules */
	bool refused_ntuple_off;	/* ... for ntuple was turned off */
	struct net_device *refused_by;
	struct net_device *unpinned;	/* where its queue's IRQ is not pinned */
	unsigned int unpinned_queue;
};

/* Tell of a rule vmq put back, or took out and put back. */
static void vmq_rule_repaired(struct vmq_team *team, struct vmq_adapter *ad,
			      unsigned int q, struct vmq_vm *vm,
			      const char *what)
{
	team->repairs++;
	netdev_info(ad->dev, "vmq: rule for queue %u %s, put back\n", q, what);
	vmq_event(team, VMQ_EVENT_REPAIRED, vm,
		  "%s: rule for queue %u %s, put back", ad->dev->name, q, what);
}

/*
 * First phase of a pass: take out every rule that no longer serves the
 * VM owning its queue, and (@verify) check the others are still in the
 * NIC.  Only then are rules put in, by vmq_sync_rule_put(): NICs such
 * as igb and ice refuse a second rule with the same match, and a VM
 * moving from queue 3 to queue 1 still has its old rule until here.
 */
static void vmq_sync_rule_drop(struct vmq_team *team, struct vmq_adapter *ad,
			       unsigned int q, struct vmq_vm *vm, bool verify)
{
	struct vmq_rule *rule = &ad->hw->q[q].rule;
	bool want = vm && vm->state == VMQ_VM_STATE_HW;

	if (rule->present && (!want || !vmq_rule_serves(ad, rule, vm, q)))
		vmq_rule_delete(ad->dev, rule);
	if (!rule->present || !verify)
		return;
	switch (vmq_rule_check(ad->dev, rule)) {
	case VMQ_RULE_HOLDS:
	case VMQ_RULE_UNKNOWN:		/* the NIC could not say: next pass */
		break;
	case VMQ_RULE_GONE:
		rule->present = false;
		vmq_rule_repaired(team, ad, q, vm, "was gone");
		break;
	case VMQ_RULE_CHANGED:
		vmq_rule_delete(ad->dev, rule);
		vmq_rule_repaired(team, ad, q, vm, "was changed");
		break;
	}
}

/* @ad refused a rule of @out's VM with @err. */
static void vmq_sync_refused(struct vmq_adapter *ad, int err,
			     struct vmq_sync_vm *out)
{
	out->refused = err;
	out->refused_by = ad->dev;
	out->refused_ntuple_off =
		vmq_rules_refused_for_ntuple(ad->dev, &ad->hw->rules, err);
}

/*
 * A refusal of the rule's shape (-EINVAL, -EOPNOTSUPP).  On a NIC that
 * has taken none of vmq's rules and holds nobody's ETHER_FLOW rule, it
 * means the NIC cannot steer by destination MAC (ixgbe, i40e, igb before
 * i210).  Beside someone else's ETHER_FLOW rules, those may be what it
 * refused: ice takes one input set per flow type, so an administrator's
 * rule of another shape shuts vmq's out.  That refusal is this VM's,
 * asked for again later.
 */
static void vmq_sync_shape_refused(struct vmq_adapter *ad, int err,
				   struct vmq_sync_vm *out)
{
	int ether = vmq_rules_count_ether(ad->dev);

	if (!ad->steering && !ether) {
		ad->steering_known = true;
		ad->steering_err = err;
		out->unsteered = true;
		return;
	}
	vmq_sync_refused(ad, err, out);
	out->refused_shape = ether > (int)vmq_adapter_own_rules(ad, false);
}

/*
 * Second phase: put in the rules the queues' owners lack.
 * Return: true if the adapter's rules must change shape first: an
 * untagged VM's MAC-only rule refused while vmq holds VLAN rules (ice,
 * one input set per flow type).  From then on every VM's rule there
 * matches its MAC alone, which the next pass's first phase sees to.
 */
static bool vmq_sync_rule_put(struct vmq_adapter *ad, unsigned int q,
			      struct vmq_vm *vm, struct vmq_sync_vm *out)
{
	struct vmq_rule *rule = &ad->hw->q[q].rule;
	int err;

	if (!vm || vm->state != VMQ_VM_STATE_HW || rule->present)
		return false;
	if (ad->steering_known && !ad->steering) {
		out->unsteered = true;
		return false;
	}
	err = vmq_rule_insert(ad->dev, &ad->hw->rules, vm->key.mac, vm->vlan, q, rule);
	if (!err) {
		ad->steering = true;
		ad->steering_known = true;
		return false;
	}
	if (vmq_rule_err_is_shape(err) && vm->vlan < 0 &&
	    !ad->hw->rules.vlan_refused && vmq_adapter_own_rules(ad, true)) {
		netdev_info(ad->dev, "vmq: NIC refuses MAC-only rules beside VLAN ones; all its rules match the MAC alone now\n");
		ad->hw->rules.vlan_refused = true;
		return true;
	}
	if (vmq_rule_err_is_shape(err)) {
		vmq_sync_shape_refused(ad, err, out);
		return false;
	}
	vmq_sync_refused(ad, err, out);
	return false;
}

/* Whether vmq pinned the queue's IRQ, as last found, to @vm's CPU. */
static bool vmq_queue_pinned_for(const struct vmq_queue_hw *hw,
				 const struct vmq_vm *vm)
{
	return hw->pin.pinned && hw->pin.irq == hw->irq &&
	       hw->pin.cpu == vm->slot.cpu;
}

/* Return: false if @vm wants its queue's IRQ pinned and it is not. */
static bool vmq_sync_irq(struct vmq_team *team, struct vmq_adapter *ad,
			 unsigned int q, struct vmq_vm *vm, bool verify)
{
	struct vmq_queue_hw *hw = &ad->hw->q[q];
	bool want = vm && (vm->state == VMQ_VM_STATE_HW ||
			   vm->state == VMQ_VM_STATE_NO_HW_STEERING);
	bool drifted;

	hw->irq = vmq_irq_find(ad->dev, q, vmq_queue_user_irq(ad, q), &hw->how);
	if (!want || hw->irq <= 0) {
		vmq_queue_unpin(ad, q, hw->irq);
		return !want;
	}
	drifted = verify && vmq_queue_pinned_for(hw, vm) &&
		  !vmq_irq_pin_holds(&hw->pin);
	if (vmq_queue_pinned_for(hw, vm) && !drifted)
		return true;
	if (vmq_irq_pin(&hw->pin, hw->irq, vm->slot.cpu))
		return false;
	if (drifted) {
		team->repairs++;
		netdev_info(ad->dev, "vmq: IRQ %d of queue %u was moved, pinned to CPU %u again\n",
			    hw->irq, q, vm->slot.cpu);
		vmq_event(team, VMQ_EVENT_REPAIRED, vm,
			  "%s: IRQ %d of queue %u was moved, pinned to CPU %u again",
			  ad->dev->name, hw->irq, q, vm->slot.cpu);
	}
	return true;
}

static bool vmq_adapter_has_rules(const struct vmq_adapter *ad)
{
	unsigned int q;

	for (q = ad->default_queues; q < ad->hw->nr; q++)
		if (ad->hw->q[q].rule.present)
			return true;
	return false;
}

static int vmq_team_max_vm_id(struct vmq_team *team)
{
	struct vmq_vm *vm;
	int max = 0;

	list_for_each_entry(vm, &team->vms, node)
		max = max_t(int, max, vm->id);
	return max;
}

/* One pass over a team's queues. */
struct vmq_sync {
	struct vmq_team *team;
	bool verify;			/* also check, and repair, what is there */
	bool again;			/* rules change shape: pass again */
	bool verify_next;		/* an RSS write may have wiped rules */
	int max_id;			/* of the team's VMs */
	struct vmq_sync_vm *out;	/* by VM id */
};

/* The VM owning queue @q of the team's @i-th adapter, or NULL. */
static struct vmq_vm *vmq_sync_owner(const struct vmq_sync *s,
				     unsigned int i, unsigned int q)
{
	const struct vmq_qa *qa = s->team->qa;
	int owner;

	if (i >= qa->n || q >= VMQ_MAX_QUEUES)
		return NULL;
	owner = qa->ad[i].owner[q];
	return owner >= 0 && owner <= s->max_id ? s->out[owner].vm : NULL;
}

/*
 * An adapter whose driver may be asked now: it is present (not detached
 * for a reset or AER recovery, as the ethtool core also checks) and vmq
 * has its per-queue state.
 */
static bool vmq_adapter_syncable(struct vmq_adapter *ad)
{
	return vmq_ethtool_present(ad->dev) && !vmq_adapter_hw_resize(ad);
}

/*
 * The adapters a pass asks, as a bitmap.  A repair pass (@verify) asks
 * only members with a link: one without cannot receive, and asked every
 * pass, a NIC whose driver sleeps once its link is gone (igb, 5 s after:
 * igb_runtime_idle()) would be woken, or kept awake, for good.  It owes
 * that member the look (a wake may have renewed its vectors): the next
 * pass that asks it looks, whatever started the pass.  @skipped: those
 * passed by.
 */
static void vmq_sync_adapters(struct vmq_team *team, bool verify,
			      unsigned long *syncable, unsigned long *skipped)
{
	struct vmq_adapter *ad;
	unsigned int i = 0;

	bitmap_zero(syncable, VMQ_MAX_ADAPTERS);
	bitmap_zero(skipped, VMQ_MAX_ADAPTERS);
	list_for_each_entry(ad, &team->adapters, node) {
		if (i >= VMQ_MAX_ADAPTERS)
			break;
		if (verify && !netif_carrier_ok(ad->dev) && ad->hw) {
			ad->hw->verify_owed = true;
			__set_bit(i, skipped);
		} else if (vmq_adapter_syncable(ad)) {
			__set_bit(i, syncable);
		}
		i++;
	}
}

/*
 * A member a repair pass passed by still tells its VMs' outcomes, from
 * what vmq last did there: their state must not change with the kind of
 * pass that ran last.
 */
static void vmq_sync_adapter_recall(struct vmq_sync *s, struct vmq_adapter *ad,
				    unsigned int i)
{
	const struct vmq_queue_hw *hw;
	struct vmq_sync_vm *out;
	struct vmq_vm *vm;
	unsigned int q;

	for (q = 0; q < ad->hw->nr; q++) {
		vm = vmq_sync_owner(s, i, q);
		if (!vm || (vm->state != VMQ_VM_STATE_HW &&
			    vm->state != VMQ_VM_STATE_NO_HW_STEERING))
			continue;
		out = &s->out[vm->id];
		hw = &ad->hw->q[q];
		if (vm->state == VMQ_VM_STATE_HW && ad->steering_known &&
		    !ad->steering)
			out->unsteered = true;
		if (out->unpinned || vmq_queue_pinned_for(hw, vm))
			continue;
		out->unpinned = ad->dev;
		out->unpinned_queue = q;
	}
}

/* First phase, for the team's @i-th adapter: out with stale rules. */
static void vmq_sync_adapter_drop(struct vmq_sync *s, struct vmq_adapter *ad,
				  unsigned int i)
{
	bool verify = s->verify || ad->hw->verify_owed;
	unsigned int q;

	for (q = 0; q < ad->hw->nr; q++)
		vmq_sync_rule_drop(s->team, ad, q, vmq_sync_owner(s, i, q),
				   verify);
}

/* A question heard but not answered is asked again after 1, 2, 4... s. */
#define VMQ_IRQS_ASK_FIRST	HZ
#define VMQ_IRQS_ASK_MAX	(30 * HZ)

/*
 * Ask userspace for the IRQs of @ad's in-use queues that vmq could not
 * find itself (@unknown), each time that set changes: on attach, a VM
 * taking a queue, or a reset or channel change that gave the queues new
 * vectors.  vmqctl daemon answers with adapter-set, as `adapter set DEV
 * irq auto` would.  A question nobody heard is asked at the next pass;
 * one heard but not answered (the daemon read /proc/interrupts while a
 * driver had freed its vectors to restart a port, or cannot read the
 * driver's names) again after a wait that doubles up to
 * VMQ_IRQS_ASK_MAX, not at every pass.
 */
static void vmq_sync_ask_irqs(struct vmq_adapter *ad,
			      const unsigned long *unknown)
{
	struct vmq_adapter_hw *hw = ad->hw;

	if (bitmap_empty(unknown, VMQ_MAX_QUEUES)) {
		bitmap_zero(hw->irqs_asked, VMQ_MAX_QUEUES);
		return;
	}
	if (!bitmap_equal(unknown, hw->irqs_asked, VMQ_MAX_QUEUES))
		hw->irqs_ask_wait = 0;
	else if (time_before(jiffies, hw->irqs_asked_at + hw->irqs_ask_wait))
		return;
	if (!vmq_event_adapter(ad, VMQ_EVENT_IRQS_WANTED,
			       "%s: IRQ of queue %*pbl not found; hand it down with `vmqctl adapter set %s irq auto`",
			       ad->dev->name, VMQ_MAX_QUEUES, unknown,
			       ad->dev->name))
		return;
	bitmap_copy(hw->irqs_asked, unknown, VMQ_MAX_QUEUES);
	hw->irqs_asked_at = jiffies;
	hw->irqs_ask_wait = clamp(2 * hw->irqs_ask_wait,
				  (unsigned long)VMQ_IRQS_ASK_FIRST,
				  (unsigned long)VMQ_IRQS_ASK_MAX);
}

/* Second phase: rules in, IRQs pinned, RSS narrowed or restored. */
static void vmq_sync_adapter_put(struct vmq_sync *s, struct vmq_adapter *ad,
				 unsigned int i)
{
	bool verify = s->verify || ad->hw->verify_owed;
	DECLARE_BITMAP(unknown, VMQ_MAX_QUEUES);
	struct vmq_team *team = s->team;
	enum vmq_rss_outcome outcome;
	bool reshape = false;
	struct vmq_vm *vm;
	unsigned int q;

	ad->hw->verify_owed = false;
	bitmap_zero(unknown, VMQ_MAX_QUEUES);
	for (q = 0; q < ad->hw->nr; q++) {
		vm = vmq_sync_owner(s, i, q);
		/* Rules change shape first: the next pass puts them in. */
		if (vm && !reshape &&
		    vmq_sync_rule_put(ad, q, vm, &s->out[vm->id]))
			reshape = true;
		if (vmq_sync_irq(team, ad, q, vm, verify))
			continue;
		if (ad->hw->q[q].how == VMQ_IRQ_NONE)
			__set_bit(q, unknown);
		if (!s->out[vm->id].unpinned) {
			s->out[vm->id].unpinned = ad->dev;
			s->out[vm->id].unpinned_queue = q;
		}
	}
	s->again |= reshape;
	vmq_sync_ask_irqs(ad, unknown);
	outcome = vmq_rss_sync(ad->dev, &ad->hw->rss, ad->default_queues,
			       vmq_adapter_has_rules(ad), verify);
	/*
	 * mlx4 restarts its port to take a table (mlx4_en_set_rxfh()), and
	 * the restart wipes every rule: after a write, look again.
	 */
	if (outcome == VMQ_RSS_CHANGED || outcome == VMQ_RSS_REPAIRED)
		s->verify_next = true;
	if (outcome == VMQ_RSS_REPAIRED) {
		team->repairs++;
		netdev_info(ad->dev, "vmq: RSS table was changed: kept to give back, narrowed again\n");
		vmq_event(team, VMQ_EVENT_REPAIRED, NULL,
			  "%s: RSS table was changed: kept to give back, narrowed again",
			  ad->dev->name);
	}
}

/*
 * A VM whose queue's IRQ is not pinned on a member carrying it has no
 * CPU of its own there, whatever the plan says: it shows none, and its
 * reason says why (6.1, or a driver vmq cannot find the vectors of,
 * until `adapter set DEV irq auto`).
 */
static void vmq_vm_note_irq(struct vmq_vm *vm, const struct vmq_sync_vm *o)
{
	bool was = vm->irq_pinned;

	vm->irq_pinned = !o->unpinned;
	if (vm->state != VMQ_VM_STATE_HW)
		return;
	if (!vm->irq_pinned)
		snprintf(vm->reason, sizeof(vm->reason),
			 "%s queue %u: IRQ unknown or unpinned",
			 o->unpinned->name, o->unpinned_queue);
	else if (!was)
		vm->reason[0] = '\0';
}

/*
 * Why a VM's rule was refused, as its reason shows it.  A NIC whose
 * ntuple an administrator turned off refuses every rule, and vmq leaves
 * it off (vmq_rules_may_enable_ntuple()): say so, not the driver's errno.
 */
static void vmq_sync_refusal(char *why, size_t len,
			     const struct vmq_sync_vm *o)
{
	const struct net_device *dev = o->refused_by;

	if (o->refused_ntuple_off)
		snprintf(why, len, "ntuple is off on %s", dev->name);
	else
		snprintf(why, len, o->refused_shape ?
			 "%s refused the rule beside its others: %pe" :
			 "%s refused the rule: %pe",
			 dev->name, ERR_PTR(o->refused));
}

/* What the pass found for each VM.  Return: true if one was refused. */
static bool vmq_sync_outcomes(struct vmq_sync *s)
{
	char why[VMQ_VM_REASON_LEN];
	bool refused = false;
	struct vmq_vm *vm;

	list_for_each_entry(vm, &s->team->vms, node) {
		struct vmq_sync_vm *o = &s->out[vm->id];

		if (o->refused) {
			vmq_sync_refusal(why, sizeof(why), o);
			vmq_vm_unplace(s->team, vm);
			vmq_vm_set_state(vm, VMQ_VM_STATE_REFUSED, why);
			refused = true;
		} else if (vm->state == VMQ_VM_STATE_HW && o->unsteered) {
			vmq_vm_set_state(vm, VMQ_VM_STATE_NO_HW_STEERING,
					 "the NIC cannot steer by destination MAC");
		}
		vmq_vm_note_irq(vm, o);
		vmq_vm_publish(vm);
	}
	return refused;
}

/* What a pass leaves for the next. */
#define VMQ_SYNC_AGAIN		BIT(0)	/* a VM refused, or rules reshaped */
#define VMQ_SYNC_VERIFY		BIT(1)	/* ... and look at every rule */

/*
 * One pass over every queue, in two phases: every stale rule on every
 * member comes out before any rule goes in (see vmq_sync_rule_drop()).
 * Return: VMQ_SYNC_* flags, 0 if nothing is left to do.
 */
static unsigned int vmq_sync_pass(struct vmq_team *team, bool verify)
{
	struct vmq_sync s = { .team = team, .verify = verify };
	DECLARE_BITMAP(syncable, VMQ_MAX_ADAPTERS);
	DECLARE_BITMAP(skipped, VMQ_MAX_ADAPTERS);
	struct vmq_adapter *ad;
	struct vmq_vm *vm;
	unsigned int i;
	bool refused;

	s.max_id = vmq_team_max_vm_id(team);
	s.out = kvcalloc(s.max_id + 1, sizeof(*s.out), GFP_KERNEL);
	if (!s.out)
		return 0;
	/* Queue owners are VM ids: find each VM in one step, not a walk. */
	list_for_each_entry(vm, &team->vms, node)
		s.out[vm->id].vm = vm;
	/* Asked once: one that came back between the phases waits. */
	vmq_sync_adapters(team, verify, syncable, skipped);
	i = 0;
	list_for_each_entry(ad, &team->adapters, node) {
		if (i < VMQ_MAX_ADAPTERS && test_bit(i, syncable))
			vmq_sync_adapter_drop(&s, ad, i);
		i++;
	}
	i = 0;
	list_for_each_entry(ad, &team->adapters, node) {
		if (i < VMQ_MAX_ADAPTERS && test_bit(i, syncable))
			vmq_sync_adapter_put(&s, ad, i);
		else if (i < VMQ_MAX_ADAPTERS && test_bit(i, skipped))
			vmq_sync_adapter_recall(&s, ad, i);
		i++;
	}
	refused = vmq_sync_outcomes(&s);
	kvfree(s.out);
	if (s.verify_next)
		return VMQ_SYNC_AGAIN | VMQ_SYNC_VERIFY;
	return refused || s.again ? VMQ_SYNC_AGAIN : 0;
}

/**
 * vmq_team_sync_hw - make rules and IRQ affinities match the assignment
 * @team: the team
 * @verify: also check what vmq put in is still there, and repair it
 *
 * A VM whose rule a NIC refuses is taken off every member (never half
 * programmed) and waits on the default queue with the reason; its queue
 * goes to the next in line, so passes repeat until none is refused.  A
 * pass that wrote an RSS table is followed by one that looks at every
 * rule: a driver may have wiped them to take the table (mlx4).
 */
static void vmq_team_sync_hw(struct vmq_team *team, bool verify)
{
	unsigned int passes = 0, next;

	ASSERT_RTNL();
	while ((next = vmq_sync_pass(team, verify)) &&
	       passes++ <= team->nr_vms) {
		verify |= next & VMQ_SYNC_VERIFY;
		vmq_team_place(team, false);
	}
}

/*
 * Members that left the bond: give back what vmq did to them, and free
 * them.  No VM may keep pointing at one (vmq_vm_tell() names it).
 */
static void vmq_team_release_departed(struct vmq_team *team)
{
	struct vmq_adapter *ad;
	struct vmq_vm *vm;

	list_for_each_entry(ad, &team->departed, node) {
		vmq_adapter_unapply(ad);
		list_for_each_entry(vm, &team->vms, node)
			if (vm->member == ad->dev)
				vm->member = NULL;
	}
	vmq_adapters_free(&team->departed);
}

/**
 * vmq_team_apply - apply a change to the team
 * @team: the team, its VMs and adapters' settings as the caller left them
 * @verify: also check the hardware still holds what vmq put in, and repair
 *
 * The one way a change reaches the hardware, on attach, on every event
 * that may change the bond (mode, hash policy, members, links), on every
 * netlink request that changes the model (but a VM added or deleted that
 * moves no other: vmq_team_vm_added()), and in the periodic pass.  The
 * team is derived from its bond again, departed members are given back,
 * the queue assignment follows, and the sync passes make rules, IRQs and
 * RSS match it.
 */
void vmq_team_apply(struct vmq_team *team, bool verify)
{
	ASSERT_RTNL();
	vmq_team_derive(team);
	vmq_team_release_departed(team);
	vmq_team_place(team, false);
	vmq_team_sync_hw(team, verify);
}

/*
 * Whether the team is as its last apply left it, so that one VM may be
 * placed alone.  A change to the bond comes with an event that leaves a
 * refresh pending, one to the CPUs with vmq_cpus_settling() until every
 * team is placed again.  A member's queue count may change with none,
 * and the periodic pass that would see it may be off, so the layout is
 * compared with the adapters as they are, in O(members).
 */
static bool vmq_team_settled(struct vmq_team *team)
{
	struct vmq_adapter *ad;

	if (team->replace_pending || team->refresh_pending ||
	    !list_empty(&team->departed) || vmq_cpus_settling())
		return false;
	/* A member whose hook failed is hooked again by an apply. */
	list_for_each_entry(ad, &team->adapters, node)
		if (!ad->hooked)
			return false;
	return vmq_team_layout_same(team);
}

/**
 * vmq_team_vm_added - apply the addition of one VM
 * @team: the team
 * @vm: the VM vmq_vm_add() just added
 *
 * A VM that finds no queue free is placed as a whole apply would place
 * it, without walking every other VM: nothing of theirs changes.  So a
 * batch of thousands of adds costs each add the same, not one walk more
 * than the last.  The team's first VM (which hooks the members), one
 * that takes a queue, and any on a team that is not as its last apply
 * left it, go through vmq_team_apply().
 */
void vmq_team_vm_added(struct vmq_team *team, struct vmq_vm *vm)
{
	ASSERT_RTNL();
	if (team->nr_vms > 1 && vmq_team_settled(team) &&
	    !vmq_team_place_new(team, vm))
		return;
	vmq_team_apply(team, false);
}

/**
 * vmq_team_vm_deleted - apply the deletion of one VM
 * @team: the team
 * @others_move: vmq_vm_del() said a queue came free or a refused VM may
 *	get in now
 *
 * A VM that held no queue leaves no rule, IRQ or place to another: only
 * the team's last VM (whose going unhooks the members) and one whose
 * going lets others move need vmq_team_apply().
 */
void vmq_team_vm_deleted(struct vmq_team *team, bool others_move)
{
	ASSERT_RTNL();
	if (others_move || !team->nr_vms || team->replace_pending ||
	    team->refresh_pending)
		vmq_team_apply(team, false);
}

/* Give back everything vmq did to the team's adapters: it is detaching. */
void vmq_team_unapply(struct vmq_team *team)
{
	struct vmq_adapter *ad;

	ASSERT_RTNL();
	list_for_each_entry(ad, &team->adapters, node)
		vmq_adapter_unapply(ad);
	vmq_team_release_departed(team);
}

/* What the adapter's rule table holds, read as ethtool(8) reads it. */
int vmq_adapter_rule_table(const struct vmq_adapter *ad,
			   struct vmq_rule_table *t)
{
	return vmq_rules_table(ad->dev, t);
}

/**
 * vmq_adapter_irq_check - whether @irq may be handed down for @ad's queues
 * @ad: the adapter
 * @irq: the IRQ
 *
 * Return: 0 if it is one of the adapter's MSI vectors; -ENOENT if there
 * is no such IRQ; -EINVAL if it is another device's; -EPERM if the
 * kernel records no owner (only CAP_SYS_ADMIN may hand it down).
 */
int vmq_adapter_irq_check(const struct vmq_adapter *ad, unsigned int irq)
{
	if (!vmq_irq_exists(irq))
		return -ENOENT;
	switch (vmq_irq_owner(ad->dev, irq)) {
	case VMQ_IRQ_OWN:
		return 0;
	case VMQ_IRQ_UNOWNED:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

/* What adapter-get shows of the adapter's RSS table. */
bool vmq_adapter_rss_narrowed(const struct vmq_adapter *ad)
{
	return ad->hw && vmq_rss_narrowed(&ad->hw->rss);
}

/* The RX queues whose state the sync step keeps, as queue-get shows. */
unsigned int vmq_adapter_hw_queues(const struct vmq_adapter *ad)
{
	return ad->hw ? ad->hw->nr : 0;
}

/* Queue @q's IRQ and rule, @q below vmq_adapter_hw_queues(). */
void vmq_adapter_queue_state(const struct vmq_adapter *ad, unsigned int q,
			     struct vmq_queue_state *st)
{
	const struct vmq_queue_hw *hw = &ad->hw->q[q];

	st->irq = hw->irq;
	st->how = hw->how;
	st->has_rule = hw->rule.present;
	st->rule_loc = hw->rule.loc;
}

/*
 * Rules a driver would not delete when asked (EBUSY during a reset), and
 * tables it would not take back, are kept by the hardware layer and
 * asked again from the periodic pass.
 */
bool vmq_sync_undo_owed(void)
{
	return vmq_rules_undo_owed() || vmq_rss_undo_owed();
}

void vmq_sync_undo_retry(void)
{
	vmq_rules_undo_retry();
	vmq_rss_undo_retry();
}

/* NETDEV_UNREGISTER of @dev: what is owed it dies with it, or is said. */
void vmq_sync_forget_dev(struct net_device *dev)
{
	vmq_rules_undo_forget(dev);
	vmq_rss_undo_forget(dev);
}

/* Module unload: a last try at what is still owed. */
void vmq_sync_exit(void)
{
	vmq_rules_undo_exit();
	vmq_rss_undo_exit();
}
