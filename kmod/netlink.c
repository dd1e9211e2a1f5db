// SPDX-License-Identifier: GPL-2.0
/*
 * The vmq generic netlink family; see Documentation/netlink/specs/vmq.yaml.
 *
 * Handlers parse and check a request completely, then change state under
 * RTNL in one step, so a refused request leaves nothing behind.
 */
#include <linux/capability.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vmq.h"

static const struct nla_policy vmq_team_id_policy[VMQ_A_TEAM_IFNAME + 1] = {
	[VMQ_A_TEAM_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_TEAM_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
};

static const struct nla_policy vmq_team_attach_policy[VMQ_A_TEAM_MODE + 1] = {
	[VMQ_A_TEAM_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VMQ_A_TEAM_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[VMQ_A_TEAM_MODE]	= NLA_POLICY_MAX(NLA_U32, VMQ_TEAM_MODE_MAX),
};

static struct genl_family vmq_genl_family;

/*
 * Mutations need CAP_NET_ADMIN in the initial user namespace: vmq changes
 * IRQ affinity, which is host-wide.  This is GENL_ADMIN_PERM's rule,
 * checked here rather than by the core so the refusal says why.
 */
static int vmq_nl_require_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "vmq changes host-wide IRQ affinity: CAP_NET_ADMIN in the initial user namespace is required");
	return -EPERM;
}

/* The device a request names by ifindex or ifname.  RTNL. */
static struct net_device *vmq_nl_get_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct net_device *dev;

	if (tb[VMQ_A_TEAM_IFINDEX]) {
		u32 ifindex = nla_get_u32(tb[VMQ_A_TEAM_IFINDEX]);

		dev = __dev_get_by_index(net, ifindex);
		if (!dev) {
			NL_SET_BAD_ATTR(info->extack, tb[VMQ_A_TEAM_IFINDEX]);
			vmq_set_err_fmt(info->extack,
					"No device with ifindex %u in this network namespace",
					ifindex);
			return ERR_PTR(-ENODEV);
		}
		return dev;
	}
	if (tb[VMQ_A_TEAM_IFNAME]) {
		const char *name = nla_data(tb[VMQ_A_TEAM_IFNAME]);

		dev = __dev_get_by_name(net, name);
		if (!dev) {
			NL_SET_BAD_ATTR(info->extack, tb[VMQ_A_TEAM_IFNAME]);
			vmq_set_err_fmt(info->extack,
					"No device %s in this network namespace",
					name);
			return ERR_PTR(-ENODEV);
		}
		return dev;
	}
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, VMQ_A_TEAM_IFNAME);
	NL_SET_ERR_MSG(info->extack, "Name the bond by ifindex or ifname");
	return ERR_PTR(-EINVAL);
}

/* The team a request names.  RTNL. */
static struct vmq_team *vmq_nl_get_team(struct genl_info *info)
{
	struct net_device *dev = vmq_nl_get_dev(info);
	struct vmq_team *team;

	if (IS_ERR(dev))
		return ERR_CAST(dev);
	team = vmq_team_of(dev);
	if (!team) {
		vmq_set_err_fmt(info->extack, "vmq is not attached to %s",
				dev->name);
		return ERR_PTR(-ENOENT);
	}
	return team;
}

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

static int vmq_nl_put_team_attrs(struct sk_buff *msg,
				 const struct vmq_team *team)
{
	char reason[VMQ_MODE_REASON_LEN];
	struct vmq_team_stats stats;
	enum vmq_team_mode mode;

	mode = vmq_team_queue_mode(team, reason, sizeof(reason));
	vmq_team_read_stats(team, &stats);

	if (nla_put_u32(msg, VMQ_A_TEAM_IFINDEX, team->bond->ifindex) ||
	    nla_put_string(msg, VMQ_A_TEAM_IFNAME, team->bond->name) ||
	    nla_put_u32(msg, VMQ_A_TEAM_MODE, team->requested_mode) ||
	    nla_put_u32(msg, VMQ_A_TEAM_QUEUE_MODE, mode) ||
	    nla_put_string(msg, VMQ_A_TEAM_MODE_REASON, reason) ||
	    vmq_nl_put_members(msg, team->bond) ||
	    nla_put_u64_64bit(msg, VMQ_A_TEAM_RX_PACKETS, stats.rx_packets,
			      VMQ_A_TEAM_PAD) ||
	    nla_put_u64_64bit(msg, VMQ_A_TEAM_RX_BYTES, stats.rx_bytes,
			      VMQ_A_TEAM_PAD))
		return -EMSGSIZE;
	return 0;
}

static int vmq_nl_fill_team(struct sk_buff *msg, const struct vmq_team *team,
			    u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &vmq_genl_family, flags,
			  VMQ_CMD_TEAM_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (vmq_nl_put_team_attrs(msg, team)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int vmq_nl_team_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_team *team;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	team = vmq_nl_get_team(info);
	if (IS_ERR(team))
		err = PTR_ERR(team);
	else
		err = vmq_nl_fill_team(msg, team, info->snd_portid,
				       info->snd_seq, 0);
	rtnl_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: how many teams earlier calls of this dump have sent. */
static int vmq_nl_team_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct vmq_net *vn = vmq_net(sock_net(skb->sk));
	long skip = cb->args[0], idx = 0;
	struct vmq_team *team;
	int err = 0;

	rtnl_lock();
	list_for_each_entry(team, &vn->teams, node) {
		if (idx++ < skip)
			continue;
		err = vmq_nl_fill_team(skb, team, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;

	/* A full skb ends this round; the dump goes on in the next one. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int vmq_nl_team_attach_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	enum vmq_team_mode mode = VMQ_TEAM_MODE_AUTO;
	struct net_device *dev;
	int err;

	err = vmq_nl_require_admin(skb, info);
	if (err)
		return err;
	if (info->attrs[VMQ_A_TEAM_MODE])
		mode = nla_get_u32(info->attrs[VMQ_A_TEAM_MODE]);

	rtnl_lock();
	dev = vmq_nl_get_dev(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = vmq_team_attach(dev, mode, info->extack);
	rtnl_unlock();
	return err;
}

static int vmq_nl_team_detach_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct vmq_team *team;
	int err;

	err = vmq_nl_require_admin(skb, info);
	if (err)
		return err;

	rtnl_lock();
	team = vmq_nl_get_team(info);
	if (IS_ERR(team))
		err = PTR_ERR(team);
	else
		vmq_team_detach(team);
	rtnl_unlock();
	return err;
}

static const struct genl_ops vmq_genl_ops[] = {
	{
		.cmd		= VMQ_CMD_TEAM_GET,
		.doit		= vmq_nl_team_get_doit,
		.dumpit		= vmq_nl_team_get_dumpit,
		.policy		= vmq_team_id_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_id_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_TEAM_ATTACH,
		.doit		= vmq_nl_team_attach_doit,
		.policy		= vmq_team_attach_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_attach_policy) - 1,
	},
	{
		.cmd		= VMQ_CMD_TEAM_DETACH,
		.doit		= vmq_nl_team_detach_doit,
		.policy		= vmq_team_id_policy,
		.maxattr	= ARRAY_SIZE(vmq_team_id_policy) - 1,
	},
};

static struct genl_family vmq_genl_family __ro_after_init = {
	.name		= VMQ_FAMILY_NAME,
	.version	= VMQ_FAMILY_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= vmq_genl_ops,
	.n_ops		= ARRAY_SIZE(vmq_genl_ops),
};

int __init vmq_netlink_init(void)
{
	return genl_register_family(&vmq_genl_family);
}

void vmq_netlink_exit(void)
{
	genl_unregister_family(&vmq_genl_family);
}
