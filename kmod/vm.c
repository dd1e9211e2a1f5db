// SPDX-License-Identifier: GPL-2.0
/*
 * VMs: the guest MACs (+VLAN) a team gives queues to, first come, first
 * served.  Added and removed under RTNL; found by the receive path under
 * RCU, by MAC and VLAN, to count their frames per CPU.
 */
#include <linux/etherdevice.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "compat.h"
#include "team.h"
#include "vm.h"

static const char *const vmq_vm_state_names[] = {
	[VMQ_VM_STATE_HW]		= "hw",
	[VMQ_VM_STATE_DEFAULT]		= "default",
	[VMQ_VM_STATE_NO_HW_STEERING]	= "no-hw-steering",
	[VMQ_VM_STATE_REFUSED]		= "refused",
	[VMQ_VM_STATE_MISCONFIGURED]	= "misconfigured",
	[VMQ_VM_STATE_NO_MEMBER]	= "no-member",
	[VMQ_VM_STATE_SW]		= "sw",
};

/* The state userspace is shown: sw while software steers the VM. */
enum vmq_vm_state vmq_vm_shown_state(const struct vmq_vm *vm)
{
	return vm->sw_cpu >= 0 ? VMQ_VM_STATE_SW : vm->state;
}

const char *vmq_vm_state_name(enum vmq_vm_state state)
{
	if (state >= ARRAY_SIZE(vmq_vm_state_names))
		return "unknown";
	return vmq_vm_state_names[state];
}

void vmq_vm_set_state(struct vmq_vm *vm, enum vmq_vm_state state,
		      const char *reason)
{
	vm->state = state;
	strscpy(vm->reason, reason ?: "", sizeof(vm->reason));
}

/* A refused VM gets in line again: what refused it may be gone. */
void vmq_vm_retry(struct vmq_vm *vm)
{
	vmq_vm_set_state(vm, VMQ_VM_STATE_DEFAULT, NULL);
}

static const struct rhashtable_params vmq_vm_params = {
	.head_offset		= offsetof(struct vmq_vm, hnode),
	.key_offset		= offsetof(struct vmq_vm, key),
	.key_len		= sizeof(struct vmq_vm_key),
	.automatic_shrinking	= true,
};

/* VMs, each on a cache line of its own: the receive path reads the first. */
static struct kmem_cache *vmq_vm_cache;

static void vmq_vm_key_make(struct vmq_vm_key *key, const u8 *mac, int vlan)
{
	ether_addr_copy(key->mac, mac);
	key->vid = vlan < 0 ? VMQ_VM_UNTAGGED : vlan;
}

/* The receive path's lookup: RCU read side held by the caller. */
struct vmq_vm *vmq_vm_lookup_rcu(struct vmq_team *team, const u8 *mac,
				 int vlan)
{
	struct vmq_vm_key key;

	vmq_vm_key_make(&key, mac, vlan);
	return rhashtable_lookup(&team->vm_table, &key, vmq_vm_params);
}

/* The control path's lookup.  RTNL, which keeps what it finds. */
struct vmq_vm *vmq_vm_find(struct vmq_team *team, const u8 *mac, int vlan)
{
	struct vmq_vm_key key;

	vmq_vm_key_make(&key, mac, vlan);
	return rhashtable_lookup_fast(&team->vm_table, &key, vmq_vm_params);
}

int vmq_vm_table_init(struct vmq_team *team)
{
	return rhashtable_init(&team->vm_table, &vmq_vm_params);
}

/* Every VM is gone from it by now. */
void vmq_vm_table_destroy(struct vmq_team *team)
{
	rhashtable_destroy(&team->vm_table);
}

/* Whether this CPU is the one the VM's frames are meant for. */
static bool vmq_vm_on_cpu(const struct vmq_vm *vm)
{
	int cpu = READ_ONCE(vm->rx_cpu);

	return cpu >= 0 && cpu == smp_processor_id();
}

/**
 * vmq_vm_count_rx - count a frame for a VM, where it arrived
 * @vm: the VM
 * @skb: the frame, on the member and queue it arrived on
 * @how: processed here, or handed to the VM's CPU
 *
 * Per-packet: softirq, RCU.  Nothing but this CPU's counters.  A frame
 * handed on counts as on the VM's CPU when it gets there
 * (vmq_vm_count_on_cpu()).
 */
void vmq_vm_count_rx(struct vmq_vm *vm, const struct sk_buff *skb,
		     enum vmq_vm_rx how)
{
	struct vmq_vm_pcpu_stats *st = this_cpu_ptr(vm->stats);
	int ifindex = READ_ONCE(vm->rx_ifindex);
	int queue = READ_ONCE(vm->rx_queue);
	bool on_queue;

	/* Sum: its queue number on another member is another VM's queue. */
	on_queue = queue >= 0 && skb_rx_queue_recorded(skb) &&
		   skb_get_rx_queue(skb) == queue &&
		   (!ifindex || ifindex == skb->dev->ifindex);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->packets);
	u64_stats_add(&st->bytes, skb->len);
	if (on_queue)
		u64_stats_inc(&st->on_queue);
	if (how == VMQ_VM_RX_HERE && vmq_vm_on_cpu(vm))
		u64_stats_inc(&st->on_cpu);
	if (how == VMQ_VM_RX_STEERED)
		u64_stats_inc(&st->sw_steered);
	u64_stats_update_end(&st->syncp);
}

/* A frame handed on was dropped: the VM's CPU's queue was full. */
void vmq_vm_count_sw_drop(struct vmq_vm *vm)
{
	struct vmq_vm_pcpu_stats *st = this_cpu_ptr(vm->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->sw_dropped);
	u64_stats_update_end(&st->syncp);
}

/* A frame software steering handed on reached this CPU. */
void vmq_vm_count_on_cpu(struct vmq_vm *vm)
{
	struct vmq_vm_pcpu_stats *st = this_cpu_ptr(vm->stats);

	if (!vmq_vm_on_cpu(vm))
		return;
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->on_cpu);
	u64_stats_update_end(&st->syncp);
}

void vmq_vm_read_stats(const struct vmq_vm *vm, struct vmq_vm_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vmq_vm_pcpu_stats *s = per_cpu_ptr(vm->stats, cpu);
		struct vmq_vm_stats one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			one.packets = u64_stats_read(&s->packets);
			one.bytes = u64_stats_read(&s->bytes);
			one.on_queue = u64_stats_read(&s->on_queue);
			one.on_cpu = u64_stats_read(&s->on_cpu);
			one.sw_steered = u64_stats_read(&s->sw_steered);
			one.sw_dropped = u64_stats_read(&s->sw_dropped);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->packets += one.packets;
		sum->bytes += one.bytes;
		sum->on_queue += one.on_queue;
		sum->on_cpu += one.on_cpu;
		sum->sw_steered += one.sw_steered;
		sum->sw_dropped += one.sw_dropped;
	}
}

/* A VM the receive path never saw, with the id it may hold. */
static void vmq_vm_free(struct vmq_vm *vm)
{
	if (vm->id >= 0)
		ida_free(&vm->team->vm_ids, vm->id);
	free_percpu(vm->stats);
	kmem_cache_free(vmq_vm_cache, vm);
}

static struct vmq_vm *vmq_vm_alloc(struct vmq_team *team, const u8 *mac,
				   int vlan, const char *name)
{
	struct vmq_vm *vm;

	vm = kmem_cache_zalloc(vmq_vm_cache, GFP_KERNEL);
	if (!vm)
		return NULL;
	vm->team = team;
	vm->stats = netdev_alloc_pcpu_stats(struct vmq_vm_pcpu_stats);
	vm->id = ida_alloc_max(&team->vm_ids, VMQ_MAX_VMS - 1, GFP_KERNEL);
	if (!vm->stats || vm->id < 0) {
		vmq_vm_free(vm);
		return NULL;
	}
	vmq_vm_key_make(&vm->key, mac, vlan);
	vm->vlan = vlan;
	strscpy(vm->name, name ?: "", sizeof(vm->name));
	vm->slot.queue = VMQ_QA_FREE;
	vm->rx_queue = -1;
	vm->rx_ifindex = 0;
	vm->rx_cpu = -1;
	vm->sw_cpu = -1;
	vm->q_cpu = -1;
	vm->sw_load_cpu = -1;
	vm->told_queue = -1;
	vm->told_cpu = -1;
	vm->told_state = -1;
	vm->told_why = -1;
	vm->state = VMQ_VM_STATE_DEFAULT;
	return vm;
}

static void vmq_vm_free_rcu(struct rcu_head *head)
{
	struct vmq_vm *vm = container_of(head, struct vmq_vm, rcu);

	free_percpu(vm->stats);
	kmem_cache_free(vmq_vm_cache, vm);
}

/**
 * vmq_vm_add - add a guest MAC (+VLAN) to the team, in line for a queue
 * @team: the team
 * @mac: the guest's MAC, unicast
 * @vlan: its VLAN id, or -1
 * @name: a name to show, may be NULL
 * @extack: for the reason of a refusal
 *
 * The model only: vmq_team_vm_added() then gives it a queue, or a place
 * in line.
 *
 * Return: the VM, or an ERR_PTR() with @extack set.
 */
struct vmq_vm *vmq_vm_add(struct vmq_team *team, const u8 *mac, int vlan,
			  const char *name, struct netlink_ext_ack *extack)
{
	struct vmq_vm *vm;
	int err;

	ASSERT_RTNL();
	if (vmq_vm_find(team, mac, vlan)) {
		if (vlan >= 0)
			vmq_set_err_fmt(extack, "%pM vlan %d is already a VM of %s",
					mac, vlan, team->bond->name);
		else
			vmq_set_err_fmt(extack, "%pM is already a VM of %s",
					mac, team->bond->name);
		return ERR_PTR(-EEXIST);
	}
	if (team->nr_vms >= VMQ_MAX_VMS) {
		vmq_set_err_fmt(extack, "%s has %u VMs, the most a team holds",
				team->bond->name, VMQ_MAX_VMS);
		return ERR_PTR(-ENOSPC);
	}
	vm = vmq_vm_alloc(team, mac, vlan, name);
	if (!vm) {
		NL_SET_ERR_MSG(extack, "Out of memory for the VM");
		return ERR_PTR(-ENOMEM);
	}
	err = rhashtable_insert_fast(&team->vm_table, &vm->hnode,
				     vmq_vm_params);
	if (err) {
		vmq_vm_free(vm);
		vmq_set_err_fmt(extack, "Cannot add %pM to %s's VM table (%pe)",
				mac, team->bond->name, ERR_PTR(err));
		return ERR_PTR(err);
	}
	/* Only now: a refused add leaves the team as it was. */
	vm->seq = ++team->vm_seq;
	vmq_team_changed(team);
	list_add_tail(&vm->node, &team->vms);
	team->nr_vms++;
	return vm;
}

/* Unlink a VM: its queue goes back to the pool; freed after a grace period. */
static void vmq_vm_unlink(struct vmq_vm *vm)
{
	struct vmq_team *team = vm->team;

	rhashtable_remove_fast(&team->vm_table, &vm->hnode, vmq_vm_params);
	vmq_team_changed(team);
	list_del(&vm->node);
	team->nr_vms--;
	vmq_qa_release(team->qa, &vm->slot);
	if (vm->sw_load_cpu >= 0)
		vmq_qa_sw_release(team->qa, vm->sw_load_cpu);
	ida_free(&team->vm_ids, vm->id);
	call_rcu(&vm->rcu, vmq_vm_free_rcu);
}

/*
 * Remove a VM from the model; vmq_team_vm_deleted() then undoes its rule
 * and pin, and the longest waiter moves up.  A rule freed in the NIC's
 * table may let a VM the NIC refused in, so those get another try too.
 *
 * Return: true if the VM held a queue: others may move, and the team must
 * be applied.
 */
bool vmq_vm_del(struct vmq_vm *vm)
{
	struct vmq_team *team = vm->team;
	bool others_move = vm->slot.queue != VMQ_QA_FREE;
	struct vmq_vm *other;

	ASSERT_RTNL();
	vmq_vm_unlink(vm);
	if (!others_move)
		return false;
	list_for_each_entry(other, &team->vms, node)
		if (other->state == VMQ_VM_STATE_REFUSED)
			vmq_vm_retry(other);
	return true;
}

/* Every VM goes; the hardware must already be released. */
void vmq_vms_release(struct vmq_team *team)
{
	struct vmq_vm *vm, *tmp;

	list_for_each_entry_safe(vm, tmp, &team->vms, node)
		vmq_vm_unlink(vm);
}

int __init vmq_vm_init(void)
{
	/* What the receive path reads of a VM is one cache line. */
	BUILD_BUG_ON(offsetofend(struct vmq_vm, stats) > L1_CACHE_BYTES);
	BUILD_BUG_ON(sizeof(struct vmq_vm_key) != ETH_ALEN + sizeof(u16));
	vmq_vm_cache = KMEM_CACHE(vmq_vm, SLAB_HWCACHE_ALIGN);
	return vmq_vm_cache ? 0 : -ENOMEM;
}

/* After the last VM's RCU callback ran (rcu_barrier()). */
void vmq_vm_exit(void)
{
	kmem_cache_destroy(vmq_vm_cache);
}
