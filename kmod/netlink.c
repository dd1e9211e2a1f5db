// SPDX-License-Identifier: GPL-2.0
/*
 * The vmq generic netlink family; see Documentation/netlink/specs/vmq.yaml.
 *
 * Handlers (nl_*.c) parse and check a request completely, then change
 * state under RTNL in one step, so a refused request leaves nothing
 * behind.  This file has the family, its policies and what handlers
 * share.
 */
#include <linux/capability.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "monitor.h"
#include "netlink.h"
#include "nl_policy.h"
#include "team.h"

/*
 * Mutations need CAP_NET_ADMIN in the initial user namespace: vmq changes
 * IRQ affinity, which is host-wide.  The genetlink core checks it for
 * every mutating command (GENL_ADMIN_PERM), before it parses a byte of
 * the request; EPERM is all it says, and vmqctl says why.  team-plan
 * only reads, but with apply it sets every adapter's processors: that
 * one attribute is checked here, after parsing, and explains itself.
 */
int vmq_nl_require_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "vmq changes host-wide IRQ affinity: CAP_NET_ADMIN in the initial user namespace is required");
	return -EPERM;
}

/* The attribute a request names its device by, for the extack. */
const struct nlattr *vmq_nl_dev_attr(const struct genl_info *info,
				     int ifindex_attr, int ifname_attr)
{
	return info->attrs[ifindex_attr] ?: info->attrs[ifname_attr];
}

/* The device a request names by ifindex or ifname.  RTNL. */
struct net_device *vmq_nl_get_dev(struct genl_info *info, int ifindex_attr,
				  int ifname_attr)
{
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct net_device *dev;

	if (tb[ifindex_attr]) {
		u32 ifindex = nla_get_u32(tb[ifindex_attr]);

		dev = __dev_get_by_index(net, ifindex);
		if (!dev) {
			NL_SET_BAD_ATTR(info->extack, tb[ifindex_attr]);
			vmq_set_err_fmt(info->extack,
					"No device with ifindex %u in this network namespace",
					ifindex);
			return ERR_PTR(-ENODEV);
		}
		return dev;
	}
	if (tb[ifname_attr]) {
		const char *name = nla_data(tb[ifname_attr]);

		dev = __dev_get_by_name(net, name);
		if (!dev) {
			NL_SET_BAD_ATTR(info->extack, tb[ifname_attr]);
			vmq_set_err_fmt(info->extack,
					"No device %s in this network namespace",
					name);
			return ERR_PTR(-ENODEV);
		}
		return dev;
	}
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, ifname_attr);
	NL_SET_ERR_MSG(info->extack, "Name the device by ifindex or ifname");
	return ERR_PTR(-EINVAL);
}

/* The team a request names by @ifindex_attr or @ifname_attr.  RTNL. */
struct vmq_team *vmq_nl_get_team_at(struct genl_info *info, int ifindex_attr,
				    int ifname_attr)
{
	struct vmq_team *team;
	struct net_device *dev;

	dev = vmq_nl_get_dev(info, ifindex_attr, ifname_attr);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	team = vmq_team_of(dev);
	if (!team) {
		NL_SET_BAD_ATTR(info->extack,
				vmq_nl_dev_attr(info, ifindex_attr,
						ifname_attr));
		vmq_set_err_fmt(info->extack, "vmq is not attached to %s",
				dev->name);
		return ERR_PTR(-ENOENT);
	}
	return team;
}

/* The team a team request names.  RTNL. */
struct vmq_team *vmq_nl_get_team(struct genl_info *info)
{
	return vmq_nl_get_team_at(info, VMQ_A_TEAM_IFINDEX, VMQ_A_TEAM_IFNAME);
}

/* The adapter a request names by @ifindex_attr or @ifname_attr.  RTNL. */
struct vmq_adapter *vmq_nl_get_adapter_at(struct genl_info *info,
					  int ifindex_attr, int ifname_attr)
{
	struct vmq_adapter *ad;
	struct net_device *dev;

	dev = vmq_nl_get_dev(info, ifindex_attr, ifname_attr);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	ad = vmq_adapter_of(dev);
	if (!ad) {
		NL_SET_BAD_ATTR(info->extack,
				vmq_nl_dev_attr(info, ifindex_attr,
						ifname_attr));
		vmq_set_err_fmt(info->extack,
				"%s is not a member of a bond vmq is attached to",
				dev->name);
		return ERR_PTR(-ENOENT);
	}
	return ad;
}

int vmq_nl_put_obj(struct sk_buff *msg, u8 cmd, vmq_nl_fill_t fill,
		   const void *obj, u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &vmq_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (fill(msg, obj)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * The largest reply vmq builds: a set of every CPU is 8 bytes a CPU, so
 * a team plan on a host of thousands of CPUs takes more than a page.
 */
#define VMQ_NL_MAX_REPLY	(1024 * 1024)

/**
 * vmq_nl_build_obj - a do request's reply with one object, not yet sent
 * @info: the request
 * @cmd: the reply's command
 * @fill: puts the object's attributes
 * @obj: the object
 *
 * Starts at a page and doubles while the object does not fit.  Called
 * under RTNL.
 *
 * Return: the message, or an ERR_PTR().
 */
struct sk_buff *vmq_nl_build_obj(struct genl_info *info, u8 cmd,
				 vmq_nl_fill_t fill, const void *obj)
{
	struct sk_buff *msg;
	size_t size;
	int err;

	for (size = NLMSG_GOODSIZE; ; size *= 2) {
		msg = genlmsg_new(size, GFP_KERNEL);
		if (!msg)
			return ERR_PTR(-ENOMEM);
		err = vmq_nl_put_obj(msg, cmd, fill, obj, info->snd_portid,
				     info->snd_seq, 0);
		if (!err)
			return msg;
		nlmsg_free(msg);
		if (err != -EMSGSIZE || size >= VMQ_NL_MAX_REPLY)
			return ERR_PTR(err);
	}
}

/* Reply to a do request with one object.  Called under RTNL. */
int vmq_nl_reply_obj(struct genl_info *info, u8 cmd, vmq_nl_fill_t fill,
		     const void *obj)
{
	struct sk_buff *msg = vmq_nl_build_obj(info, cmd, fill, obj);

	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_reply(msg, info);
}

/*
 * One object of a dump: cb->args[VMQ_NL_DUMP_POS] counts the objects earlier rounds
 * sent, *idx the ones this round has walked past.
 */
int vmq_nl_dump_obj(struct sk_buff *skb, struct netlink_callback *cb,
		    long *idx, u8 cmd, vmq_nl_fill_t fill, const void *obj)
{
	unsigned int start = skb->len;
	int err;

	if ((*idx)++ < cb->args[VMQ_NL_DUMP_POS])
		return 0;
	err = vmq_nl_put_obj(skb, cmd, fill, obj, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI);
	if (err) {
		(*idx)--;
		return err;
	}
	/* Positions moved since the dump began: it says so (NLM_F_DUMP_INTR). */
	nl_dump_check_consistent(cb, (struct nlmsghdr *)(skb->data + start));
	return 0;
}

/* A full skb ends this round; the dump goes on in the next one. */
int vmq_nl_dump_end(struct sk_buff *skb, struct netlink_callback *cb,
		    long idx, int err)
{
	cb->args[VMQ_NL_DUMP_POS] = idx;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* Whether a dump's round is to put @team's objects (or @ad's). */
bool vmq_nl_dump_wants_team(const struct netlink_callback *cb,
			    const struct vmq_team *team)
{
	long ifindex = cb->args[VMQ_NL_DUMP_TEAM];

	return !ifindex || ifindex == team->bond->ifindex;
}

bool vmq_nl_dump_wants_adapter(const struct netlink_callback *cb,
			       const struct vmq_adapter *ad)
{
	long ifindex = cb->args[VMQ_NL_DUMP_ADAPTER];

	return !ifindex || ifindex == ad->dev->ifindex;
}

int vmq_nl_put_cpuset(struct sk_buff *msg, int attr,
		      const struct vmq_cpuset *set)
{
	unsigned int cpu;

	vmq_cpuset_for_each(cpu, set)
		if (nla_put_u32(msg, attr, cpu))
			return -EMSGSIZE;
	return 0;
}

/*
 * ynl-gen writes the spec's checks out as numbers: they must be the
 * limits the rest of vmq works to.
 */
static_assert(VMQ_VM_NAME_LEN - 1 == 31);
static_assert(VMQ_MAX_QUEUES - 1 == 63);
static_assert(VLAN_N_VID - 2 == 4094);

/*
 * Where a dump's filter names its team and adapter; 0: it takes none.
 * @policy: the spec's dump policy, when genetlink parsed the request by
 * another (the do's); NULL when it parsed it by this one.
 */
struct vmq_nl_filter {
	const struct nla_policy *policy;
	unsigned int maxattr;
	int team_ifindex, team_ifname;
	int ad_ifindex, ad_ifname;
};

/*
 * A dump's first round: the team and adapter its request names, kept by
 * ifindex for every round (vmq_nl_dump_wants_team(), _adapter()); a
 * device that is no team or adapter is refused, with the message a do
 * gets.  genetlink has parsed the request by the command's one policy
 * (6.1 has no split ops to give a dump its own), which for vm-get is its
 * do's: the request is checked against the spec's dump policy too, so
 * that a filter it does not take is refused, not ignored.  Not at the
 * dump's start: 6.1 gives ->start() no extack, so its refusals would
 * come without a message.  RTNL.
 */
static int vmq_nl_dump_filter(struct netlink_callback *cb,
			      const struct vmq_nl_filter *f)
{
	struct vmq_adapter *ad = NULL;
	struct vmq_team *team = NULL;
	struct genl_info info;
	struct nlattr **tb;
	int err;

	ASSERT_RTNL();
	if (cb->args[VMQ_NL_DUMP_FILTERED])
		return 0;
	err = f->policy ?
	      nla_validate(nlmsg_attrdata(cb->nlh, GENL_HDRLEN),
			   nlmsg_attrlen(cb->nlh, GENL_HDRLEN), f->maxattr,
			   f->policy, cb->extack) : 0;
	if (err)
		return err;
	vmq_compat_dump_info(cb, &info);
	tb = info.attrs;
	if (f->team_ifindex && (tb[f->team_ifindex] || tb[f->team_ifname]))
		team = vmq_nl_get_team_at(&info, f->team_ifindex,
					  f->team_ifname);
	if (IS_ERR(team))
		return PTR_ERR(team);
	if (f->ad_ifindex && (tb[f->ad_ifindex] || tb[f->ad_ifname]))
		ad = vmq_nl_get_adapter_at(&info, f->ad_ifindex, f->ad_ifname);
	if (IS_ERR(ad))
		return PTR_ERR(ad);
	if (team && ad && ad->team != team) {
		NL_SET_BAD_ATTR(cb->extack,
				vmq_nl_dev_attr(&info, f->ad_ifindex,
						f->ad_ifname));
		vmq_set_err_fmt(cb->extack, "%s is not a member of %s",
				ad->dev->name, team->bond->name);
		return -EINVAL;
	}
	cb->args[VMQ_NL_DUMP_TEAM] = team ? team->bond->ifindex : 0;
	cb->args[VMQ_NL_DUMP_ADAPTER] = ad ? ad->dev->ifindex : 0;
	cb->args[VMQ_NL_DUMP_FILTERED] = 1;
	return 0;
}

/*
 * team-get's and adapter-get's dumps take no filter: the do's policy
 * they are parsed by would let a device through, to be ignored.
 */
static const struct nla_policy vmq_nl_no_filter_policy[1];

static const struct vmq_nl_filter vmq_nl_filters[] = {
	[VMQ_NL_FILTER_NONE] = {
		.policy		= vmq_nl_no_filter_policy,
		.maxattr	= 0,
	},
	[VMQ_NL_FILTER_VM] = {
		.policy		= vmq_vm_get_dump_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_vm_get_dump_nl_policy) - 1,
		.team_ifindex	= VMQ_A_VM_TEAM_IFINDEX,
		.team_ifname	= VMQ_A_VM_TEAM_IFNAME,
	},
	[VMQ_NL_FILTER_QUEUE] = {
		/* genetlink parsed it by this very policy, the op's */
		.team_ifindex	= VMQ_A_QUEUE_TEAM_IFINDEX,
		.team_ifname	= VMQ_A_QUEUE_TEAM_IFNAME,
		.ad_ifindex	= VMQ_A_QUEUE_ADAPTER_IFINDEX,
		.ad_ifname	= VMQ_A_QUEUE_ADAPTER_IFNAME,
	},
};

/**
 * vmq_nl_dump_begin - start a round of a dump: its generation and filter
 * @skb: the round's message
 * @cb: the dump
 * @filter: what the dump's request may name (enum vmq_nl_filter_kind)
 *
 * Each round, the first included, under RTNL, before its first message:
 * a round that puts none (the last) still carries the generation that
 * netlink checks its NLMSG_DONE against.  In the first round, the filter
 * is resolved (vmq_nl_dump_filter()).
 *
 * Return: 0, or the error that ends the dump, its extack set.
 */
int vmq_nl_dump_begin(struct sk_buff *skb, struct netlink_callback *cb,
		      enum vmq_nl_filter_kind filter)
{
	ASSERT_RTNL();
	cb->seq = vmq_net(sock_net(skb->sk))->gen;
	return vmq_nl_dump_filter(cb, &vmq_nl_filters[filter]);
}

/*
 * Each command's policy is the spec's do request, or for queue-get, which
 * has only a dump, its dump request.
 */
static const struct genl_ops vmq_genl_ops[] = {
	{
		.cmd		= VMQ_CMD_TEAM_GET,
		.doit		= vmq_nl_team_get_doit,
		.dumpit		= vmq_nl_team_get_dumpit,
		.policy		= vmq_team_get_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_get_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_TEAM_ATTACH,
		.flags		= GENL_ADMIN_PERM,
		.doit		= vmq_nl_team_attach_doit,
		.policy		= vmq_team_attach_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_attach_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_TEAM_SET,
		.flags		= GENL_ADMIN_PERM,
		.doit		= vmq_nl_team_set_doit,
		.policy		= vmq_team_set_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_set_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_TEAM_DETACH,
		.flags		= GENL_ADMIN_PERM,
		.doit		= vmq_nl_team_detach_doit,
		.policy		= vmq_team_detach_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_detach_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_TEAM_PLAN,
		.doit		= vmq_nl_team_plan_doit,
		.policy		= vmq_team_plan_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_plan_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_ADAPTER_GET,
		.doit		= vmq_nl_adapter_get_doit,
		.dumpit		= vmq_nl_adapter_get_dumpit,
		.policy		= vmq_adapter_get_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_adapter_get_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_ADAPTER_SET,
		.flags		= GENL_ADMIN_PERM,
		.doit		= vmq_nl_adapter_set_doit,
		.policy		= vmq_adapter_set_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_adapter_set_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_VM_ADD,
		.flags		= GENL_ADMIN_PERM,
		.doit		= vmq_nl_vm_add_doit,
		.policy		= vmq_vm_add_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_vm_add_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_VM_DEL,
		.flags		= GENL_ADMIN_PERM,
		.doit		= vmq_nl_vm_del_doit,
		.policy		= vmq_vm_del_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_vm_del_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_VM_GET,
		.doit		= vmq_nl_vm_get_doit,
		.dumpit		= vmq_nl_vm_get_dumpit,
		.policy		= vmq_vm_get_do_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_vm_get_do_nl_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_QUEUE_GET,
		.dumpit		= vmq_nl_queue_get_dumpit,
		.policy		= vmq_queue_get_nl_policy,
		.maxattr	= ARRAY_SIZE(vmq_queue_get_nl_policy) - 1,
	},
};

static const struct genl_multicast_group vmq_mcgrps[] = {
	{ .name = VMQ_MCGRP_MONITOR, },
};

struct genl_family vmq_genl_family __ro_after_init = {
	.name		= VMQ_FAMILY_NAME,
	.version	= VMQ_FAMILY_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= vmq_genl_ops,
	.n_ops		= ARRAY_SIZE(vmq_genl_ops),
	.mcgrps		= vmq_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vmq_mcgrps),
};

int __init vmq_netlink_init(void)
{
	int err = genl_register_family(&vmq_genl_family);

	if (!err)
		vmq_monitor_start(&vmq_genl_family);
	return err;
}

/*
 * The monitor stops first: it must not send through a family that is
 * gone.  Every sender holds RTNL, so once it is taken none is sending.
 */
void vmq_netlink_exit(void)
{
	rtnl_lock();
	vmq_monitor_stop();
	rtnl_unlock();
	genl_unregister_family(&vmq_genl_family);
}
