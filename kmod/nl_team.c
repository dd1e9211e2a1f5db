// SPDX-License-Identifier: GPL-2.0
/*
 * team-get, team-attach, team-set, team-detach, team-plan.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "netlink.h"
#include "adapter.h"
#include "control.h"
#include "sync.h"
#include "team.h"

static int vmq_nl_put_members(struct sk_buff *msg, struct net_device *bond)
{
	struct net_device *lower;
	struct list_head *iter;
	struct nlattr *nest;

	netdev_for_each_lower_dev(bond, lower, iter) {
		nest = nla_nest_start(msg, VMQ_A_TEAM_MEMBER);
		if (!nest)
			return -EMSGSIZE;
		if (nla_put_u32(msg, VMQ_A_MEMBER_IFINDEX, lower->ifindex) ||
		    nla_put_string(msg, VMQ_A_MEMBER_IFNAME, lower->name)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int vmq_nl_put_team_id(struct sk_buff *msg, const struct vmq_team *team)
{
	if (nla_put_u32(msg, VMQ_A_TEAM_IFINDEX, team->bond->ifindex) ||
	    nla_put_string(msg, VMQ_A_TEAM_IFNAME, team->bond->name) ||
	    nla_put_u32(msg, VMQ_A_TEAM_QUEUE_MODE, team->queue_mode))
		return -EMSGSIZE;
	return 0;
}

static int vmq_nl_fill_team(struct sk_buff *msg, const void *obj)
{
	const struct vmq_team *team = obj;
	unsigned int queues, vm_queues;
	struct vmq_team_stats stats;
	char hook[VMQ_HOOK_DESC_LEN];

	vmq_team_read_stats(team, &stats);
	vmq_team_describe_hook(team, hook, sizeof(hook));
	vmq_team_queue_counts(team, &queues, &vm_queues);

	if (vmq_nl_put_team_id(msg, team) ||
	    nla_put_u32(msg, VMQ_A_TEAM_MODE, team->requested_mode) ||
	    nla_put_string(msg, VMQ_A_TEAM_MODE_REASON, team->mode_reason) ||
	    nla_put_u32(msg, VMQ_A_TEAM_QUEUE_COUNT, queues) ||
	    nla_put_u32(msg, VMQ_A_TEAM_VM_QUEUE_COUNT, vm_queues) ||
	    nla_put_u32(msg, VMQ_A_TEAM_STATE, team->state) ||
	    (team->state_reason[0] &&
	     nla_put_string(msg, VMQ_A_TEAM_STATE_REASON,
			    team->state_reason)) ||
	    vmq_nl_put_members(msg, team->bond) ||
	    nla_put_u64_64bit(msg, VMQ_A_TEAM_RX_PACKETS, stats.rx_packets,
			      VMQ_A_TEAM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_TEAM_RX_BYTES, stats.rx_bytes,
			      VMQ_A_TEAM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_TEAM_REPAIRS, team->repairs,
			      VMQ_A_TEAM_PAD) ||
	    nla_put_u32(msg, VMQ_A_TEAM_STEERING, team->steering) ||
	    nla_put_string(msg, VMQ_A_TEAM_HOOK, hook))
		return -EMSGSIZE;
	return 0;
}

int vmq_nl_team_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_team *team;
	int err;

	rtnl_lock();
	team = vmq_nl_get_team(info);
	if (IS_ERR(team))
		err = PTR_ERR(team);
	else
		err = vmq_nl_reply_obj(info, VMQ_CMD_TEAM_GET,
				       vmq_nl_fill_team, team);
	rtnl_unlock();
	return err;
}

int vmq_nl_team_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vmq_net *vn = vmq_net(sock_net(skb->sk));
	struct vmq_team *team;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	err = vmq_nl_dump_begin(skb, cb, VMQ_NL_FILTER_NONE);
	if (err)
		goto out;
	list_for_each_entry(team, &vn->teams, node) {
		err = vmq_nl_dump_obj(skb, cb, &idx, VMQ_CMD_TEAM_GET,
				      vmq_nl_fill_team, team);
		if (err)
			break;
	}
out:
	rtnl_unlock();
	return vmq_nl_dump_end(skb, cb, idx, err);
}

int vmq_nl_team_attach_doit(struct sk_buff *skb, struct genl_info *info)
{
	enum vmq_team_mode mode = VMQ_TEAM_MODE_AUTO;
	struct net_device *dev;
	int err;

	if (info->attrs[VMQ_A_TEAM_MODE])
		mode = nla_get_u32(info->attrs[VMQ_A_TEAM_MODE]);

	rtnl_lock();
	dev = vmq_nl_get_dev(info, VMQ_A_TEAM_IFINDEX, VMQ_A_TEAM_IFNAME);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
	} else {
		err = vmq_team_attach(dev, mode, info->extack);
		/* No bond, a nested one, one attached already: the device. */
		if (err == -EOPNOTSUPP || err == -EEXIST)
			NL_SET_BAD_ATTR(info->extack,
					vmq_nl_dev_attr(info, VMQ_A_TEAM_IFINDEX,
							VMQ_A_TEAM_IFNAME));
	}
	rtnl_unlock();
	return err;
}

/* team-set: checked in full, then taken and applied. */
int vmq_nl_team_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *steering = info->attrs[VMQ_A_TEAM_STEERING];
	struct vmq_team *team;
	int err;

	rtnl_lock();
	team = vmq_nl_get_team(info);
	if (IS_ERR(team)) {
		err = PTR_ERR(team);
		goto out;
	}
	if (!steering) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VMQ_A_TEAM_STEERING);
		NL_SET_ERR_MSG(info->extack, "Nothing to set: give steering");
		err = -EINVAL;
		goto out;
	}
	err = vmq_team_set_steering(team, nla_get_u32(steering), info->extack);
	if (err) {
		NL_SET_BAD_ATTR(info->extack, steering);
		goto out;
	}
	vmq_team_apply(team, false);
out:
	rtnl_unlock();
	return err;
}

int vmq_nl_team_detach_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_team *team;
	int err = 0;

	rtnl_lock();
	team = vmq_nl_get_team(info);
	if (IS_ERR(team))
		err = PTR_ERR(team);
	else
		vmq_team_detach(team);
	rtnl_unlock();
	return err;
}

struct vmq_nl_plan {
	const struct vmq_team *team;
	struct vmq_cpuset sets[VMQ_MAX_ADAPTERS];
};

static int vmq_nl_put_plan_adapter(struct sk_buff *msg,
				   const struct vmq_adapter *ad,
				   const struct vmq_cpuset *set)
{
	unsigned int cpus = vmq_cpuset_weight(set);
	int node = vmq_adapter_nic_node(ad);
	struct nlattr *nest;
	char why[80];
	int len;

	len = snprintf(why, sizeof(why), "%u CPU%s for %u queues", cpus,
		       cpus == 1 ? "" : "s", vmq_adapter_queues(ad));
	if (node >= 0)
		snprintf(why + len, sizeof(why) - len, ", NIC on node %d",
			 node);

	nest = nla_nest_start(msg, VMQ_A_TEAM_PLAN_ADAPTER);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, VMQ_A_ADAPTER_IFINDEX, ad->dev->ifindex) ||
	    nla_put_string(msg, VMQ_A_ADAPTER_IFNAME, ad->dev->name) ||
	    vmq_nl_put_cpuset(msg, VMQ_A_ADAPTER_PROCESSOR, set) ||
	    nla_put_string(msg, VMQ_A_ADAPTER_REASON, why)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int vmq_nl_fill_plan(struct sk_buff *msg, const void *obj)
{
	const struct vmq_nl_plan *plan = obj;
	const struct vmq_adapter *ad;
	unsigned int i = 0;

	if (vmq_nl_put_team_id(msg, plan->team) ||
	    nla_put_string(msg, VMQ_A_TEAM_MODE_REASON,
			   plan->team->mode_reason))
		return -EMSGSIZE;
	list_for_each_entry(ad, &plan->team->adapters, node)
		if (vmq_nl_put_plan_adapter(msg, ad, &plan->sets[i++]))
			return -EMSGSIZE;
	return 0;
}

/*
 * team-plan: the planner's sets, ignoring explicit settings; with apply,
 * every adapter drops its explicit settings and takes them.
 */
int vmq_nl_team_plan_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool apply = nla_get_flag(info->attrs[VMQ_A_TEAM_APPLY]);
	struct vmq_nl_plan *plan;
	struct sk_buff *reply;
	struct vmq_team *team;
	int err;

	if (apply) {
		err = vmq_nl_require_admin(skb, info);
		if (err)
			return err;
	}
	plan = kzalloc(sizeof(*plan), GFP_KERNEL);
	if (!plan)
		return -ENOMEM;

	rtnl_lock();
	team = vmq_nl_get_team(info);
	if (IS_ERR(team)) {
		err = PTR_ERR(team);
		goto out;
	}
	plan->team = team;
	err = vmq_team_plan(team, plan->sets);
	if (err == -E2BIG) {
		vmq_set_err_fmt(info->extack,
				"%s has %u members; vmq handles at most %u",
				team->bond->name, team->nr_adapters,
				VMQ_MAX_ADAPTERS);
		goto out;
	}
	if (err) {
		vmq_set_err_fmt(info->extack,
				"%s has too few CPUs for a separate set per member",
				team->bond->name);
		goto out;
	}
	/* The reply first: once the plan is applied, nothing may fail. */
	reply = vmq_nl_build_obj(info, VMQ_CMD_TEAM_PLAN, vmq_nl_fill_plan,
				 plan);
	if (IS_ERR(reply)) {
		err = PTR_ERR(reply);
		goto out;
	}
	if (apply) {
		vmq_adapters_use_plan(team);
		vmq_team_apply(team, false);
	}
	err = genlmsg_reply(reply, info);
out:
	rtnl_unlock();
	kfree(plan);
	return err;
}
