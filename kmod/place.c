// SPDX-License-Identifier: GPL-2.0
/*
 * Placing VMs on queues: the model's desired state.
 *
 * The queue assignment (core/assign.c) says which VM owns which queue of
 * which adapter, pinned to which CPU.  vmq_team_place() keeps it up to
 * date with the team; the sync step (sync.c) then makes the hardware
 * match it.  No driver is called here.  All of it under RTNL.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "adapter.h"
#include "bond.h"
#include "monitor.h"
#include "place.h"
#include "team.h"
#include "vm.h"

static unsigned int vmq_adapter_index(struct vmq_team *team,
				      const struct net_device *dev)
{
	struct vmq_adapter *ad;
	unsigned int i = 0;

	list_for_each_entry(ad, &team->adapters, node) {
		if (ad->dev == dev)
			return i;
		i++;
	}
	return i;
}

/* A member VMs can be put on: up, with carrier. */
static bool vmq_adapter_usable(const struct vmq_adapter *ad)
{
	return netif_running(ad->dev) && netif_oper_up(ad->dev);
}

/* The assignment's view of one adapter, as it is now: its queues. */
static unsigned int vmq_qa_nqueues(const struct vmq_adapter *ad)
{
	return min_t(unsigned int, vmq_adapter_queues(ad), VMQ_MAX_QUEUES);
}

static unsigned int vmq_qa_default_queues(const struct vmq_adapter *ad)
{
	return ad->enabled ? ad->default_queues : vmq_qa_nqueues(ad);
}

/* The assignment's view of the adapters, as they are now. */
static void vmq_qa_config(struct vmq_team *team, struct vmq_qa *cfg)
{
	struct vmq_adapter *ad;
	unsigned int i = 0;

	vmq_qa_init(cfg, team->queue_mode, team->nr_adapters);
	list_for_each_entry(ad, &team->adapters, node) {
		struct vmq_qa_adapter *a = &cfg->ad[i];

		if (i == VMQ_MAX_ADAPTERS)
			break;
		a->nqueues = vmq_qa_nqueues(ad);
		a->default_queues = vmq_qa_default_queues(ad);
		a->cpus = ad->procs;
		a->usable = vmq_adapter_usable(ad);
		i++;
	}
}

/* Say where a VM went, if that changed since the monitor was last told. */
static void vmq_vm_tell(struct vmq_vm *vm, int queue, int cpu)
{
	enum vmq_vm_state state = vmq_vm_shown_state(vm);
	struct vmq_team *team = vm->team;
	const char *on = vm->member ? vm->member->name : team->bond->name;

	/* A sw VM's reason is news too: a misconfigured team, say. */
	if (vm->told_state == state && vm->told_why == vm->state &&
	    vm->told_queue == queue && vm->told_cpu == cpu &&
	    vm->told_member == vm->member)
		return;
	if (state == VMQ_VM_STATE_SW)
		vmq_event(team, vm->told_state == VMQ_VM_STATE_SW ?
			  VMQ_EVENT_VM_MOVED : VMQ_EVENT_VM_PLACED, vm,
			  "%pM steered in software to cpu %d: %s", vm->key.mac,
			  cpu, vm->reason);
	else if (queue < 0)
		vmq_event(team, VMQ_EVENT_VM_DEFAULTED, vm,
			  "%pM on the default queue: %s: %s", vm->key.mac,
			  vmq_vm_state_name(vm->state), vm->reason);
	else if (vm->told_queue < 0)
		vmq_event(team, VMQ_EVENT_VM_PLACED, vm,
			  "%pM on %s queue %d cpu %d: %s", vm->key.mac, on, queue,
			  cpu, vmq_vm_state_name(vm->state));
	else
		vmq_event(team, VMQ_EVENT_VM_MOVED, vm,
			  "%pM moved to %s queue %d cpu %d: %s", vm->key.mac, on,
			  queue, cpu, vmq_vm_state_name(vm->state));
	vmq_team_changed(team);
	vm->told_state = state;
	vm->told_why = vm->state;
	vm->told_queue = queue;
	vm->told_cpu = cpu;
	vm->told_member = vm->member;
}

/*
 * A VM with no queue of its own -- none free, a NIC that cannot steer or
 * refused the rule, a misconfigured team -- is steered in software, where
 * the team's steering allows it; never on a nested bond's team.
 */
static bool vmq_vm_wants_sw(const struct vmq_vm *vm)
{
	enum vmq_steering steering = vm->team->steering;

	if (steering != VMQ_STEERING_AUTO && steering != VMQ_STEERING_SW)
		return false;
	/* The outer bond or team, not this one, takes a nested bond's frames. */
	if (vm->team->nested)
		return false;
	switch (vm->state) {
	case VMQ_VM_STATE_DEFAULT:
	case VMQ_VM_STATE_REFUSED:
	case VMQ_VM_STATE_NO_HW_STEERING:
	case VMQ_VM_STATE_MISCONFIGURED:
		return true;
	default:
		return false;
	}
}

static void vmq_vm_sw_release(struct vmq_vm *vm)
{
	if (vm->sw_load_cpu >= 0)
		vmq_qa_sw_release(vm->team->qa, vm->sw_load_cpu);
	vm->sw_load_cpu = -1;
}

/*
 * The CPU software steering hands the VM's frames to, or -1: its queue's
 * CPU where it holds one it cannot use (a NIC that cannot steer), else
 * one chosen by the same rules, kept until the layout changes.
 */
static int vmq_vm_sw_cpu(struct vmq_vm *vm)
{
	struct vmq_team *team = vm->team;
	bool wants = vmq_vm_wants_sw(vm);
	unsigned int cpu;
	int member = -1;

	if (!wants || vm->slot.queue != VMQ_QA_FREE) {
		vmq_vm_sw_release(vm);
		return wants ? (int)vm->slot.cpu : -1;
	}
	if (vm->sw_load_cpu >= 0)
		return vm->sw_load_cpu;
	if (team->queue_mode == VMQ_TEAM_MODE_SUM) {
		if (!vm->member)
			return -1;
		member = vmq_adapter_index(team, vm->member);
	}
	if (vmq_qa_sw_place(team->qa, member, &cpu))
		return -1;
	vm->sw_load_cpu = cpu;
	return cpu;
}

/* Tell the receive path, and the monitor, where the VM's frames go now. */
void vmq_vm_publish(struct vmq_vm *vm)
{
	int sw = vmq_vm_sw_cpu(vm);
	bool placed = vm->slot.queue != VMQ_QA_FREE && sw < 0;
	int queue = placed ? vm->slot.queue : -1;
	int cpu = placed && vm->irq_pinned ? (int)vm->slot.cpu : sw;

	WRITE_ONCE(vm->sw_cpu, sw);
	WRITE_ONCE(vm->rx_cpu, cpu);
	WRITE_ONCE(vm->rx_ifindex, placed && vm->member ? vm->member->ifindex : 0);
	WRITE_ONCE(vm->rx_queue, queue);
	vmq_vm_tell(vm, queue, cpu);
}

void vmq_vm_unplace(struct vmq_team *team, struct vmq_vm *vm)
{
	vmq_qa_release(team->qa, &vm->slot);
	vm->member = NULL;
}

/* Sum-Queue: the VM's member, as the bond would send its frames. */
static int vmq_vm_member(struct vmq_team *team, struct vmq_vm *vm)
{
	struct net_device *dev;

	if (team->queue_mode != VMQ_TEAM_MODE_SUM)
		return -1;
	dev = vmq_bond_xmit_member(team->bond, vm->key.mac, vm->vlan);
	vm->member = dev;
	if (!dev)
		return VMQ_MAX_ADAPTERS;
	return vmq_adapter_index(team, dev);
}

static void vmq_vm_try_place(struct vmq_team *team, struct vmq_vm *vm)
{
	int member, err;

	member = vmq_vm_member(team, vm);
	if (team->state == VMQ_TEAM_STATE_MISCONFIGURED) {
		vmq_vm_set_state(vm, VMQ_VM_STATE_MISCONFIGURED, team->nested ?
				 "the team's bond is a port of another" :
				 "the team's processor sets are misconfigured");
		return;
	}
	if (team->steering == VMQ_STEERING_SW ||
	    team->steering == VMQ_STEERING_OFF) {
		vmq_vm_set_state(vm, VMQ_VM_STATE_DEFAULT,
				 team->steering == VMQ_STEERING_SW ?
				 "steering sw: no rule is put in" :
				 "steering off");
		return;
	}
	err = vmq_qa_place(team->qa, vm->id, member, &vm->slot);
	if (!err)
		vmq_vm_set_state(vm, VMQ_VM_STATE_HW, NULL);
	else if (err == -ENODEV)
		vmq_vm_set_state(vm, VMQ_VM_STATE_NO_MEMBER,
				 "no member can carry its frames");
	else
		vmq_vm_set_state(vm, VMQ_VM_STATE_DEFAULT,
				 "no queue free: waiting on the default queue");
}

/**
 * vmq_team_layout_same - whether the adapters are as the last placement saw
 * @team: the team
 *
 * Read off the adapters in place, in O(members), with no assignment to
 * build: vmq_team_place() asks it on every apply, and a VM added alone
 * asks it because a member's queue count can change with no event.
 *
 * Return: true if the queue assignment was made for the adapters' queue
 * counts, default queues, processor sets and links as they are now.
 */
bool vmq_team_layout_same(const struct vmq_team *team)
{
	const struct vmq_qa *qa = team->qa;
	const struct vmq_adapter *ad;
	unsigned int i = 0;

	if (qa->mode != team->queue_mode ||
	    qa->n != min_t(unsigned int, team->nr_adapters, VMQ_MAX_ADAPTERS))
		return false;
	list_for_each_entry(ad, &team->adapters, node) {
		const struct vmq_qa_adapter *a = &qa->ad[i];

		if (i++ == VMQ_MAX_ADAPTERS)
			break;
		if (a->nqueues != vmq_qa_nqueues(ad) ||
		    a->default_queues != vmq_qa_default_queues(ad) ||
		    a->usable != vmq_adapter_usable(ad) ||
		    !vmq_cpuset_equal(&a->cpus, &ad->procs))
			return false;
	}
	return true;
}

/**
 * vmq_team_place_new - place a VM just added, alone
 * @team: the team, as its last apply left it
 * @vm: the new VM
 *
 * What vmq_team_place() would do for it on a team whose layout is as
 * it was placed for (vmq_team_layout_same()), where no VM waits while a
 * queue is free: a VM added after the others takes a free queue if there
 * is one, else waits on the default queue (or is steered in software),
 * which changes no other VM's queue.
 *
 * Return: true if it took a queue, and the sync step must put its rule
 * in; false if it is placed for good as it is.
 */
bool vmq_team_place_new(struct vmq_team *team, struct vmq_vm *vm)
{
	ASSERT_RTNL();
	vmq_vm_try_place(team, vm);
	if (vm->slot.queue != VMQ_QA_FREE)
		return true;
	/* No queue, so no IRQ to pin: as the sync step would note. */
	vm->irq_pinned = true;
	vmq_vm_publish(vm);
	return false;
}

/* Sum-Queue: a placed VM whose frames now go through another member. */
static bool vmq_vm_moved_member(struct vmq_team *team, struct vmq_vm *vm)
{
	struct net_device *now;

	if (team->queue_mode != VMQ_TEAM_MODE_SUM ||
	    vm->slot.queue == VMQ_QA_FREE)
		return false;
	now = vmq_bond_xmit_member(team->bond, vm->key.mac, vm->vlan);
	return now != vm->member;
}

/*
 * Even out each set's load, then read every placed VM's CPU back from the
 * assignment once: one walk of the VMs, however many queues moved.
 */
static void vmq_team_rebalance(struct vmq_team *team)
{
	struct vmq_qa_move mv;
	struct vmq_vm *vm;
	int member;

	while (vmq_qa_rebalance_step(team->qa, &mv))
		;
	list_for_each_entry(vm, &team->vms, node) {
		if (vm->slot.queue == VMQ_QA_FREE)
			continue;
		member = vm->slot.member < 0 ? 0 : vm->slot.member;
		vm->slot.cpu = team->qa->ad[member].cpu[vm->slot.queue];
	}
}

/**
 * vmq_team_place - bring the queue assignment up to date
 * @team: the team
 * @replace_all: place every VM afresh, in arrival order
 *
 * When the team's layout changed (mode, members, their queues, sets or
 * link), or on request, every VM is placed again in arrival order, first
 * come first served; otherwise VMs keep their queues, those whose member
 * changed (Sum failover) move, and waiting VMs take free queues, the
 * longest waiting first.  Queues are then spread evenly over each set.
 */
void vmq_team_place(struct vmq_team *team, bool replace_all)
{
	struct vmq_qa *cfg;
	struct vmq_vm *vm;

	ASSERT_RTNL();
	replace_all |= team->replace_pending;
	team->replace_pending = false;
	if (replace_all || !vmq_team_layout_same(team)) {
		cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
		if (cfg) {
			vmq_qa_config(team, cfg);
			swap(cfg, team->qa);
			kfree(cfg);
			replace_all = true;
		}
	}
	list_for_each_entry(vm, &team->vms, node) {
		/* A new assignment counts no VM's software steering yet. */
		if (replace_all)
			vm->sw_load_cpu = -1;
		else if (vmq_vm_moved_member(team, vm))
			vmq_vm_sw_release(vm);
		if (replace_all || vmq_vm_moved_member(team, vm))
			vmq_vm_unplace(team, vm);
		if (replace_all && vm->state == VMQ_VM_STATE_REFUSED)
			vmq_vm_set_state(vm, VMQ_VM_STATE_DEFAULT, NULL);
	}
	list_for_each_entry(vm, &team->vms, node)
		if (vm->slot.queue == VMQ_QA_FREE &&
		    vm->state != VMQ_VM_STATE_REFUSED)
			vmq_vm_try_place(team, vm);
	vmq_team_rebalance(team);
}
