// SPDX-License-Identifier: GPL-2.0
/*
 * vm-add, vm-del, vm-get, queue-get: Get-NetAdapterVmqQueue and the VMs
 * behind it.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/sock.h>

#include "netlink.h"
#include "sync.h"
#include "team.h"
#include "vm.h"

static int vmq_nl_put_vm_stats(struct sk_buff *msg, const struct vmq_vm *vm)
{
	struct vmq_vm_stats st;

	vmq_vm_read_stats(vm, &st);
	if (nla_put_u64_64bit(msg, VMQ_A_VM_RX_PACKETS, st.packets,
			      VMQ_A_VM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_VM_RX_BYTES, st.bytes, VMQ_A_VM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_VM_RX_ON_QUEUE, st.on_queue,
			      VMQ_A_VM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_VM_RX_ON_CPU, st.on_cpu,
			      VMQ_A_VM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_VM_RX_SW_STEERED, st.sw_steered,
			      VMQ_A_VM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_VM_RX_SW_DROPPED, st.sw_dropped,
			      VMQ_A_VM_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * Where the VM is: its member (Sum: the one its frames arrive on, on a
 * queue of its own or not; Min: none, every member), then its queue.
 */
static int vmq_nl_put_vm_place(struct sk_buff *msg, const struct vmq_vm *vm)
{
	if (vm->member &&
	    (nla_put_u32(msg, VMQ_A_VM_ADAPTER_IFINDEX, vm->member->ifindex) ||
	     nla_put_string(msg, VMQ_A_VM_ADAPTER_IFNAME, vm->member->name)))
		return -EMSGSIZE;
	/* Steered in software: a CPU, and no queue of its own. */
	if (vm->sw_cpu >= 0)
		return nla_put_u32(msg, VMQ_A_VM_CPU, vm->sw_cpu) ? -EMSGSIZE : 0;
	if (vm->slot.queue == VMQ_QA_FREE)
		return 0;
	/* No CPU is the VM's while its queue's IRQ is not pinned. */
	if (nla_put_u32(msg, VMQ_A_VM_QUEUE, vm->slot.queue) ||
	    (vm->irq_pinned && nla_put_u32(msg, VMQ_A_VM_CPU, vm->slot.cpu)))
		return -EMSGSIZE;
	return 0;
}

static int vmq_nl_fill_vm(struct sk_buff *msg, const void *obj)
{
	const struct vmq_vm *vm = obj;
	const struct net_device *bond = vm->team->bond;

	if (nla_put_u32(msg, VMQ_A_VM_TEAM_IFINDEX, bond->ifindex) ||
	    nla_put_string(msg, VMQ_A_VM_TEAM_IFNAME, bond->name) ||
	    nla_put(msg, VMQ_A_VM_MAC, ETH_ALEN, vm->key.mac) ||
	    (vm->vlan >= 0 && nla_put_u16(msg, VMQ_A_VM_VLAN, vm->vlan)) ||
	    (vm->name[0] && nla_put_string(msg, VMQ_A_VM_NAME, vm->name)) ||
	    nla_put_u32(msg, VMQ_A_VM_STATE, vmq_vm_shown_state(vm)) ||
	    (vm->reason[0] &&
	     nla_put_string(msg, VMQ_A_VM_STATE_REASON, vm->reason)) ||
	    vmq_nl_put_vm_place(msg, vm) ||
	    vmq_nl_put_vm_stats(msg, vm))
		return -EMSGSIZE;
	return 0;
}

static int vmq_nl_vm_key(struct genl_info *info, const u8 **mac, int *vlan)
{
	struct nlattr **tb = info->attrs;

	if (GENL_REQ_ATTR_CHECK(info, VMQ_A_VM_MAC)) {
		NL_SET_ERR_MSG(info->extack, "Give the VM's MAC address");
		return -EINVAL;
	}
	*mac = nla_data(tb[VMQ_A_VM_MAC]);
	*vlan = tb[VMQ_A_VM_VLAN] ? nla_get_u16(tb[VMQ_A_VM_VLAN]) : -1;
	return 0;
}

/* The team and VM a request names.  RTNL. */
static struct vmq_vm *vmq_nl_get_vm(struct genl_info *info)
{
	struct vmq_team *team;
	struct vmq_vm *vm;
	const u8 *mac;
	int vlan, err;

	team = vmq_nl_get_team_at(info, VMQ_A_VM_TEAM_IFINDEX,
				  VMQ_A_VM_TEAM_IFNAME);
	if (IS_ERR(team))
		return ERR_CAST(team);
	err = vmq_nl_vm_key(info, &mac, &vlan);
	if (err)
		return ERR_PTR(err);
	vm = vmq_vm_find(team, mac, vlan);
	if (vm)
		return vm;
	if (vlan >= 0)
		vmq_set_err_fmt(info->extack, "%s has no VM %pM vlan %d",
				team->bond->name, mac, vlan);
	else
		vmq_set_err_fmt(info->extack, "%s has no VM %pM",
				team->bond->name, mac);
	return ERR_PTR(-ENOENT);
}

int vmq_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_vm *vm;
	int err;

	rtnl_lock();
	vm = vmq_nl_get_vm(info);
	if (IS_ERR(vm))
		err = PTR_ERR(vm);
	else
		err = vmq_nl_reply_obj(info, VMQ_CMD_VM_GET, vmq_nl_fill_vm,
				       vm);
	rtnl_unlock();
	return err;
}

int vmq_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vmq_net *vn = vmq_net(sock_net(skb->sk));
	struct vmq_team *team;
	struct vmq_vm *vm;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	err = vmq_nl_dump_begin(skb, cb, VMQ_NL_FILTER_VM);
	if (err)
		goto out;
	list_for_each_entry(team, &vn->teams, node) {
		if (!vmq_nl_dump_wants_team(cb, team))
			continue;
		list_for_each_entry(vm, &team->vms, node) {
			err = vmq_nl_dump_obj(skb, cb, &idx, VMQ_CMD_VM_GET,
					      vmq_nl_fill_vm, vm);
			if (err)
				goto out;
		}
	}
out:
	rtnl_unlock();
	return vmq_nl_dump_end(skb, cb, idx, err);
}

int vmq_nl_vm_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_team *team;
	struct vmq_vm *vm;
	const char *name = NULL;
	const u8 *mac;
	int vlan, err;

	err = vmq_nl_vm_key(info, &mac, &vlan);
	if (err)
		return err;
	if (!is_valid_ether_addr(mac)) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[VMQ_A_VM_MAC]);
		vmq_set_err_fmt(info->extack,
				"%pM is not a unicast MAC: a VM's queue is for its own MAC",
				mac);
		return -EINVAL;
	}
	if (info->attrs[VMQ_A_VM_NAME])
		name = nla_data(info->attrs[VMQ_A_VM_NAME]);

	rtnl_lock();
	team = vmq_nl_get_team_at(info, VMQ_A_VM_TEAM_IFINDEX,
				  VMQ_A_VM_TEAM_IFNAME);
	if (IS_ERR(team)) {
		err = PTR_ERR(team);
	} else {
		vm = vmq_vm_add(team, mac, vlan, name, info->extack);
		if (IS_ERR(vm))
			err = PTR_ERR(vm);
		else
			vmq_team_vm_added(team, vm);
	}
	rtnl_unlock();
	return err;
}

int vmq_nl_vm_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_team *team;
	struct vmq_vm *vm;
	int err = 0;

	rtnl_lock();
	vm = vmq_nl_get_vm(info);
	if (IS_ERR(vm)) {
		err = PTR_ERR(vm);
	} else {
		team = vm->team;
		vmq_team_vm_deleted(team, vmq_vm_del(vm));
	}
	rtnl_unlock();
	return err;
}

/* One RX queue of one adapter, for queue-get. */
struct vmq_nl_queue {
	const struct vmq_adapter *ad;
	unsigned int index;
	const struct vmq_vm *vm;
};

static int vmq_nl_put_queue_vm(struct sk_buff *msg, const struct vmq_vm *vm)
{
	if (!vm)
		return 0;
	if (nla_put(msg, VMQ_A_QUEUE_VM_MAC, ETH_ALEN, vm->key.mac) ||
	    (vm->vlan >= 0 && nla_put_u16(msg, VMQ_A_QUEUE_VM_VLAN, vm->vlan)) ||
	    (vm->name[0] && nla_put_string(msg, VMQ_A_QUEUE_VM_NAME, vm->name)) ||
	    nla_put_u32(msg, VMQ_A_QUEUE_VM_STATE, vmq_vm_shown_state(vm)) ||
	    nla_put_u32(msg, VMQ_A_QUEUE_CPU, vm->slot.cpu))
		return -EMSGSIZE;
	return 0;
}

static int vmq_nl_fill_queue(struct sk_buff *msg, const void *obj)
{
	const struct vmq_nl_queue *q = obj;
	const struct vmq_adapter *ad = q->ad;
	const struct net_device *bond = ad->team->bond;
	struct vmq_queue_state st;

	vmq_adapter_queue_state(ad, q->index, &st);
	if (nla_put_u32(msg, VMQ_A_QUEUE_TEAM_IFINDEX, bond->ifindex) ||
	    nla_put_string(msg, VMQ_A_QUEUE_TEAM_IFNAME, bond->name) ||
	    nla_put_u32(msg, VMQ_A_QUEUE_ADAPTER_IFINDEX, ad->dev->ifindex) ||
	    nla_put_string(msg, VMQ_A_QUEUE_ADAPTER_IFNAME, ad->dev->name) ||
	    nla_put_u32(msg, VMQ_A_QUEUE_INDEX, q->index) ||
	    (q->index < ad->default_queues &&
	     nla_put_flag(msg, VMQ_A_QUEUE_DEFAULT)) ||
	    (st.irq > 0 && nla_put_u32(msg, VMQ_A_QUEUE_IRQ, st.irq)) ||
	    nla_put_u32(msg, VMQ_A_QUEUE_IRQ_METHOD, st.how) ||
	    (st.has_rule &&
	     nla_put_u32(msg, VMQ_A_QUEUE_RULE_LOCATION, st.rule_loc)) ||
	    vmq_nl_put_queue_vm(msg, q->vm))
		return -EMSGSIZE;
	return 0;
}

static const struct vmq_vm *vmq_queue_owner(const struct vmq_team *team,
					    unsigned int adapter,
					    unsigned int queue)
{
	const struct vmq_vm *vm;
	int id;

	if (adapter >= team->qa->n || queue >= VMQ_MAX_QUEUES)
		return NULL;
	id = team->qa->ad[adapter].owner[queue];
	if (id < 0)
		return NULL;
	list_for_each_entry(vm, &team->vms, node)
		if (vm->id == id)
			return vm;
	return NULL;
}

/* The queues of @ad, the @i-th adapter of @team, into a dump's round. */
static int vmq_nl_dump_adapter_queues(struct sk_buff *skb,
				      struct netlink_callback *cb, long *idx,
				      struct vmq_team *team, unsigned int i,
				      struct vmq_adapter *ad)
{
	struct vmq_nl_queue q = { .ad = ad };
	int err;

	for (q.index = 0; q.index < vmq_adapter_hw_queues(ad); q.index++) {
		q.vm = vmq_queue_owner(team, i, q.index);
		err = vmq_nl_dump_obj(skb, cb, idx, VMQ_CMD_QUEUE_GET,
				      vmq_nl_fill_queue, &q);
		if (err)
			return err;
	}
	return 0;
}

int vmq_nl_queue_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vmq_net *vn = vmq_net(sock_net(skb->sk));
	struct vmq_team *team;
	struct vmq_adapter *ad;
	unsigned int i;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	err = vmq_nl_dump_begin(skb, cb, VMQ_NL_FILTER_QUEUE);
	if (err)
		goto out;
	list_for_each_entry(team, &vn->teams, node) {
		if (!vmq_nl_dump_wants_team(cb, team))
			continue;
		i = 0;
		list_for_each_entry(ad, &team->adapters, node) {
			if (vmq_nl_dump_wants_adapter(cb, ad))
				err = vmq_nl_dump_adapter_queues(skb, cb, &idx,
								 team, i, ad);
			if (err)
				goto out;
			i++;
		}
	}
out:
	rtnl_unlock();
	return vmq_nl_dump_end(skb, cb, idx, err);
}
