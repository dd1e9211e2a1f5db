// SPDX-License-Identifier: GPL-2.0
/*
 * adapter-get, adapter-set: Get-NetAdapterVmq and Set-NetAdapterVmq.
 */
#include <linux/irq.h>
#include <linux/nodemask.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "netlink.h"
#include "adapter.h"
#include "sync.h"
#include "team.h"

static int vmq_nl_put_adapter_cfg(struct sk_buff *msg,
				  const struct vmq_adapter *ad)
{
	const struct vmq_proc_cfg *cfg = &ad->cfg;

	if (!ad->explicit_procs)
		return 0;
	if (nla_put_u32(msg, VMQ_A_ADAPTER_BASE_PROCESSOR, cfg->base) ||
	    (cfg->max >= 0 &&
	     nla_put_u32(msg, VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER, cfg->max)) ||
	    (cfg->max_procs > 0 &&
	     nla_put_u32(msg, VMQ_A_ADAPTER_MAX_PROCESSORS, cfg->max_procs)) ||
	    (cfg->node >= 0 &&
	     nla_put_u32(msg, VMQ_A_ADAPTER_NUMA_NODE, cfg->node)))
		return -EMSGSIZE;
	return 0;
}

/*
 * What the NIC can do: steer by destination MAC (yes, no, or not known
 * until vmq first tries), and its rule table.
 */
static int vmq_nl_put_adapter_caps(struct sk_buff *msg,
				   const struct vmq_adapter *ad)
{
	struct vmq_rule_table t;

	if (ad->steering_known &&
	    nla_put_u8(msg, VMQ_A_ADAPTER_MAC_STEERING, ad->steering))
		return -EMSGSIZE;
	if (!vmq_adapter_rule_table(ad, &t) &&
	    (nla_put_u32(msg, VMQ_A_ADAPTER_RULE_CAPACITY, t.capacity) ||
	     nla_put_u32(msg, VMQ_A_ADAPTER_RULES_USED, t.used)))
		return -EMSGSIZE;
	if (nla_put_u8(msg, VMQ_A_ADAPTER_RSS_NARROWED, vmq_adapter_rss_narrowed(ad)))
		return -EMSGSIZE;
	return 0;
}

static int vmq_nl_fill_adapter(struct sk_buff *msg, const void *obj)
{
	const struct vmq_adapter *ad = obj;
	int node = vmq_adapter_nic_node(ad);

	if (nla_put_u32(msg, VMQ_A_ADAPTER_IFINDEX, ad->dev->ifindex) ||
	    nla_put_string(msg, VMQ_A_ADAPTER_IFNAME, ad->dev->name) ||
	    nla_put_u32(msg, VMQ_A_ADAPTER_TEAM_IFINDEX,
			ad->team->bond->ifindex) ||
	    nla_put_string(msg, VMQ_A_ADAPTER_TEAM_IFNAME,
			   ad->team->bond->name) ||
	    vmq_nl_put_adapter_cfg(msg, ad) ||
	    nla_put_u32(msg, VMQ_A_ADAPTER_DEFAULT_QUEUES,
			ad->default_queues) ||
	    nla_put_u8(msg, VMQ_A_ADAPTER_ENABLED, ad->enabled) ||
	    nla_put_u32(msg, VMQ_A_ADAPTER_PROCSET_SOURCE,
			ad->explicit_procs ? VMQ_PROCSET_EXPLICIT :
					     VMQ_PROCSET_PLANNER) ||
	    vmq_nl_put_cpuset(msg, VMQ_A_ADAPTER_PROCESSOR, &ad->procs) ||
	    (node >= 0 &&
	     nla_put_u32(msg, VMQ_A_ADAPTER_NIC_NUMA_NODE, node)) ||
	    nla_put_u32(msg, VMQ_A_ADAPTER_QUEUES, vmq_adapter_queues(ad)) ||
	    vmq_nl_put_adapter_caps(msg, ad))
		return -EMSGSIZE;
	return 0;
}

/* The adapter an adapter request names.  RTNL. */
static struct vmq_adapter *vmq_nl_get_adapter(struct genl_info *info)
{
	return vmq_nl_get_adapter_at(info, VMQ_A_ADAPTER_IFINDEX,
				     VMQ_A_ADAPTER_IFNAME);
}

int vmq_nl_adapter_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_adapter *ad;
	int err;

	rtnl_lock();
	ad = vmq_nl_get_adapter(info);
	if (IS_ERR(ad))
		err = PTR_ERR(ad);
	else
		err = vmq_nl_reply_obj(info, VMQ_CMD_ADAPTER_GET,
				       vmq_nl_fill_adapter, ad);
	rtnl_unlock();
	return err;
}

int vmq_nl_adapter_get_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	struct vmq_net *vn = vmq_net(sock_net(skb->sk));
	struct vmq_adapter *ad;
	struct vmq_team *team;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	err = vmq_nl_dump_begin(skb, cb, VMQ_NL_FILTER_NONE);
	if (err)
		goto out;
	list_for_each_entry(team, &vn->teams, node) {
		if (!vmq_nl_dump_wants_team(cb, team))
			continue;
		list_for_each_entry(ad, &team->adapters, node) {
			err = vmq_nl_dump_obj(skb, cb, &idx,
					      VMQ_CMD_ADAPTER_GET,
					      vmq_nl_fill_adapter, ad);
			if (err)
				goto out;
		}
	}
out:
	rtnl_unlock();
	return vmq_nl_dump_end(skb, cb, idx, err);
}

static int vmq_nl_check_cpu(struct genl_info *info, int attr,
			    const char *what)
{
	struct nlattr *nla = info->attrs[attr];
	u32 cpu;

	if (!nla)
		return 0;
	cpu = nla_get_u32(nla);
	if (cpu < nr_cpu_ids && cpu < VMQ_MAX_CPUS)
		return 0;
	NL_SET_BAD_ATTR(info->extack, nla);
	vmq_set_err_fmt(info->extack, "%s %u: the host's CPUs are 0-%u",
			what, cpu, min_t(unsigned int, nr_cpu_ids,
					 VMQ_MAX_CPUS) - 1);
	return -EINVAL;
}

/* What adapter-set can set: the explicit processor settings first. */
static const int vmq_nl_adapter_settings[] = {
	VMQ_A_ADAPTER_BASE_PROCESSOR, VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER,
	VMQ_A_ADAPTER_MAX_PROCESSORS, VMQ_A_ADAPTER_NUMA_NODE,
	VMQ_A_ADAPTER_DEFAULT_QUEUES, VMQ_A_ADAPTER_ENABLED,
	VMQ_A_ADAPTER_PROCESSORS_AUTO, VMQ_A_ADAPTER_QUEUE_IRQ,
};

#define VMQ_NL_PROC_SETTINGS	4

/* Whether the request has any of the first @n of those settings. */
static bool vmq_nl_sets_any(const struct genl_info *info, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (info->attrs[vmq_nl_adapter_settings[i]])
			return true;
	return false;
}

/* Processor settings: any of them makes the adapter's set explicit. */
static int vmq_nl_parse_procs(struct genl_info *info,
			      struct vmq_adapter *prop)
{
	bool some = vmq_nl_sets_any(info, VMQ_NL_PROC_SETTINGS);
	struct nlattr **tb = info->attrs;
	int err;

	if (nla_get_flag(tb[VMQ_A_ADAPTER_PROCESSORS_AUTO])) {
		if (some) {
			NL_SET_BAD_ATTR(info->extack,
					tb[VMQ_A_ADAPTER_PROCESSORS_AUTO]);
			NL_SET_ERR_MSG(info->extack,
				       "processors auto gives the set back to the planner: it takes no base-processor, max-processor-number, max-processors or numa-node");
			return -EINVAL;
		}
		prop->explicit_procs = false;
		vmq_proc_cfg_init(&prop->cfg);
		return 0;
	}
	if (!some)
		return 0;

	err = vmq_nl_check_cpu(info, VMQ_A_ADAPTER_BASE_PROCESSOR,
			       "base-processor") ?:
	      vmq_nl_check_cpu(info, VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER,
			       "max-processor-number");
	if (err)
		return err;
	if (!prop->explicit_procs)
		vmq_proc_cfg_init(&prop->cfg);
	prop->explicit_procs = true;
	if (tb[VMQ_A_ADAPTER_BASE_PROCESSOR])
		prop->cfg.base = nla_get_u32(tb[VMQ_A_ADAPTER_BASE_PROCESSOR]);
	if (tb[VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER])
		prop->cfg.max =
			nla_get_u32(tb[VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER]);
	if (tb[VMQ_A_ADAPTER_MAX_PROCESSORS])
		prop->cfg.max_procs =
			nla_get_u32(tb[VMQ_A_ADAPTER_MAX_PROCESSORS]);
	if (tb[VMQ_A_ADAPTER_NUMA_NODE]) {
		u32 node = nla_get_u32(tb[VMQ_A_ADAPTER_NUMA_NODE]);

		if (node >= MAX_NUMNODES || !node_online(node)) {
			NL_SET_BAD_ATTR(info->extack,
					tb[VMQ_A_ADAPTER_NUMA_NODE]);
			vmq_set_err_fmt(info->extack,
					"NUMA node %u is not online", node);
			return -EINVAL;
		}
		prop->cfg.node = node;
	}
	if (prop->cfg.max >= 0 && prop->cfg.max < prop->cfg.base) {
		vmq_set_err_fmt(info->extack,
				"max-processor-number %d is below base-processor %d",
				prop->cfg.max, prop->cfg.base);
		return -EINVAL;
	}
	return 0;
}

static int vmq_nl_parse_queues(struct genl_info *info,
			       const struct vmq_adapter *ad,
			       struct vmq_adapter *prop)
{
	struct nlattr *nla = info->attrs[VMQ_A_ADAPTER_DEFAULT_QUEUES];
	unsigned int queues = vmq_adapter_queues(ad);

	if (info->attrs[VMQ_A_ADAPTER_ENABLED])
		prop->enabled = nla_get_u8(info->attrs[VMQ_A_ADAPTER_ENABLED]);
	if (!nla)
		return 0;
	prop->default_queues = nla_get_u32(nla);
	if (prop->default_queues < queues)
		return 0;
	NL_SET_BAD_ATTR(info->extack, nla);
	vmq_set_err_fmt(info->extack,
			"default-queues %u leaves %s no queue for VMs: it has %u",
			prop->default_queues, ad->dev->name, queues);
	return -EINVAL;
}

/*
 * Pinning an IRQ moves it for everyone: CAP_NET_ADMIN may hand down only
 * the adapter's own vectors.  One the kernel records no owner of (a
 * wired line, a software device's) might be any device's, so it takes
 * what the system's other interrupts take: CAP_SYS_ADMIN.
 */
static int vmq_nl_check_irq_owner(struct sk_buff *skb, struct genl_info *info,
				  const struct vmq_adapter *ad, u32 irq)
{
	switch (vmq_adapter_irq_check(ad, irq)) {
	case 0:
		return 0;
	case -ENOENT:
		vmq_set_err_fmt(info->extack, "There is no IRQ %u", irq);
		return -EINVAL;
	case -EPERM:
		if (netlink_capable(skb, CAP_SYS_ADMIN))
			return 0;
		vmq_set_err_fmt(info->extack,
				"IRQ %u is no MSI vector of %s: needs CAP_SYS_ADMIN",
				irq, ad->dev->name);
		return -EPERM;
	default:
		vmq_set_err_fmt(info->extack,
				"IRQ %u is another device's MSI vector, not %s's",
				irq, ad->dev->name);
		return -EINVAL;
	}
}

/*
 * Queue IRQs handed down by userspace: checked here, in full, and only
 * then taken by vmq_nl_take_irqs().
 */
static int vmq_nl_parse_irqs(struct sk_buff *skb, struct genl_info *info,
			     const struct vmq_adapter *ad)
{
	struct nlattr *tb[VMQ_A_QUEUE_IRQ_MAX + 1];
	const struct nlattr *nest;
	int rem, err;
	u32 q, irq;

	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != VMQ_A_ADAPTER_QUEUE_IRQ)
			continue;
		err = nla_parse_nested(tb, VMQ_A_QUEUE_IRQ_MAX, nest,
				       NULL, info->extack);
		if (err)
			return err;
		if (!tb[VMQ_A_QUEUE_IRQ_INDEX] || !tb[VMQ_A_QUEUE_IRQ_IRQ]) {
			NL_SET_ERR_MSG(info->extack,
				       "queue-irq needs both index and irq");
			return -EINVAL;
		}
		q = nla_get_u32(tb[VMQ_A_QUEUE_IRQ_INDEX]);
		irq = nla_get_u32(tb[VMQ_A_QUEUE_IRQ_IRQ]);
		if (q >= vmq_adapter_queues(ad)) {
			vmq_set_err_fmt(info->extack,
					"%s has no queue %u: it has %u",
					ad->dev->name, q,
					vmq_adapter_queues(ad));
			return -EINVAL;
		}
		if (!irq)
			continue;
		err = vmq_nl_check_irq_owner(skb, info, ad, irq);
		if (err)
			return err;
	}
	return 0;
}

static void vmq_nl_take_irqs(struct genl_info *info, struct vmq_adapter *ad)
{
	struct nlattr *tb[VMQ_A_QUEUE_IRQ_MAX + 1];
	const struct nlattr *nest;
	u32 q, irq;
	int rem;

	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != VMQ_A_ADAPTER_QUEUE_IRQ ||
		    nla_parse_nested(tb, VMQ_A_QUEUE_IRQ_MAX, nest, NULL, NULL))
			continue;
		q = nla_get_u32(tb[VMQ_A_QUEUE_IRQ_INDEX]);
		irq = nla_get_u32(tb[VMQ_A_QUEUE_IRQ_IRQ]);
		if (q < VMQ_MAX_QUEUES)
			vmq_adapter_take_irq(ad, q, irq);
	}
}

static void vmq_adapter_take_settings(struct vmq_adapter *ad,
				      const struct vmq_adapter *prop)
{
	ad->explicit_procs = prop->explicit_procs;
	ad->cfg = prop->cfg;
	ad->default_queues = prop->default_queues;
	ad->enabled = prop->enabled;
}

/*
 * A team whose sets already break its rule cannot be fixed one adapter
 * at a time if every step must fix it whole: the seed's fix was two
 * Set-NetAdapterVmq commands.  So a change to a misconfigured team is
 * taken even if the team stays misconfigured; only a change that would
 * break a team that is fine now is refused.
 */
static bool vmq_nl_still_broken(const struct vmq_team *team, int err)
{
	return err == -EINVAL && team->state == VMQ_TEAM_STATE_MISCONFIGURED;
}

/*
 * adapter-set: check the new settings, and the team's sets with them, in
 * full before anything changes; a set that breaks the team's rule is
 * refused, naming both adapters and the CPUs.
 */
int vmq_nl_adapter_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmq_cpuset *sets;
	struct vmq_adapter *ad, prop;
	char *msg;
	int err;

	sets = kcalloc(VMQ_MAX_ADAPTERS, sizeof(*sets), GFP_KERNEL);
	msg = kzalloc(VMQ_CONFLICT_MSG_LEN, GFP_KERNEL);
	if (!sets || !msg) {
		err = -ENOMEM;
		goto out_free;
	}

	rtnl_lock();
	ad = vmq_nl_get_adapter(info);
	if (IS_ERR(ad)) {
		err = PTR_ERR(ad);
		goto out;
	}
	if (!vmq_nl_sets_any(info, ARRAY_SIZE(vmq_nl_adapter_settings))) {
		NL_SET_ERR_MSG(info->extack,
			       "Nothing to set: give processor settings, default-queues, enabled or queue IRQs");
		err = -EINVAL;
		goto out;
	}
	prop = *ad;
	err = vmq_adapter_hw_prepare(ad) ?:
	      vmq_nl_parse_procs(info, &prop) ?:
	      vmq_nl_parse_queues(info, ad, &prop) ?:
	      vmq_nl_parse_irqs(skb, info, ad);
	if (err)
		goto out;
	err = vmq_team_compute_sets(ad->team, ad, &prop, sets, msg,
				    VMQ_CONFLICT_MSG_LEN);
	if (err && !vmq_nl_still_broken(ad->team, err)) {
		vmq_set_err_msg(info->extack, msg);
		goto out;
	}
	/* Accepted; a team that stays broken says so in a warning. */
	if (err)
		vmq_set_err_msg(info->extack, msg);
	err = 0;
	vmq_adapter_take_settings(ad, &prop);
	vmq_nl_take_irqs(info, ad);
	vmq_team_apply(ad->team, false);
out:
	rtnl_unlock();
out_free:
	kfree(msg);
	kfree(sets);
	return err;
}
