// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor multicast group: what changed, said once, as it happens.
 * Sent to the team's network namespace only, through the family
 * netlink.c registered and handed over.
 */
#include <linux/etherdevice.h>
#include <net/genetlink.h>

#include "monitor.h"

/*
 * The family to send through, while it is registered.  Teams are undone
 * after the family is gone (so no request can attach meanwhile), and
 * undoing them tells the monitor group: by then there is none to tell.
 */
static const struct genl_family *vmq_monitor_family;

void vmq_monitor_start(const struct genl_family *family)
{
	WRITE_ONCE(vmq_monitor_family, family);
}

void vmq_monitor_stop(void)
{
	WRITE_ONCE(vmq_monitor_family, NULL);
}

/* Return: true if the monitor group was told. */
static __printf(5, 0)
bool vmq_event_send(const struct vmq_team *team, enum vmq_event type,
		    const struct vmq_vm *vm, const struct net_device *adapter,
		    const char *fmt, va_list args)
{
	const struct genl_family *family = READ_ONCE(vmq_monitor_family);
	struct net *net = dev_net(team->bond);
	struct sk_buff *msg;
	char text[160];
	void *hdr;

	if (!family || !genl_has_listeners(family, net, 0))
		return false;
	vsnprintf(text, sizeof(text), fmt, args);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return false;
	hdr = genlmsg_put(msg, 0, 0, family, 0, VMQ_CMD_EVENT_NTF);
	if (!hdr)
		goto fail;
	if (nla_put_u32(msg, VMQ_A_EVENT_TYPE, type) ||
	    nla_put_u32(msg, VMQ_A_EVENT_TEAM_IFINDEX, team->bond->ifindex) ||
	    nla_put_string(msg, VMQ_A_EVENT_TEAM_IFNAME, team->bond->name) ||
	    nla_put_string(msg, VMQ_A_EVENT_MESSAGE, text) ||
	    (vm && nla_put(msg, VMQ_A_EVENT_VM_MAC, ETH_ALEN, vm->key.mac)) ||
	    (vm && vm->vlan >= 0 &&
	     nla_put_u16(msg, VMQ_A_EVENT_VM_VLAN, vm->vlan)) ||
	    (adapter &&
	     (nla_put_u32(msg, VMQ_A_EVENT_ADAPTER_IFINDEX, adapter->ifindex) ||
	      nla_put_string(msg, VMQ_A_EVENT_ADAPTER_IFNAME, adapter->name))))
		goto fail;
	genlmsg_end(msg, hdr);
	return !genlmsg_multicast_netns(family, net, msg, 0, 0, GFP_KERNEL);
fail:
	nlmsg_free(msg);
	return false;
}

/**
 * vmq_event - tell the monitor group
 * @team: the team it is about
 * @type: VMQ_EVENT_*
 * @vm: the VM it is about, or NULL
 * @fmt: the message, in words
 */
void vmq_event(const struct vmq_team *team, enum vmq_event type,
	       const struct vmq_vm *vm, const char *fmt, ...)
{
	va_list args;

	/* A Sum VM's member: where a failover took it, for a script. */
	va_start(args, fmt);
	vmq_event_send(team, type, vm, vm ? vm->member : NULL, fmt, args);
	va_end(args);
}

/**
 * vmq_event_adapter - tell the monitor group about one of a team's adapters
 * @ad: the adapter
 * @type: VMQ_EVENT_*
 * @fmt: the message, in words
 *
 * Return: true if a listener was told.
 */
bool vmq_event_adapter(const struct vmq_adapter *ad, enum vmq_event type,
		       const char *fmt, ...)
{
	va_list args;
	bool told;

	va_start(args, fmt);
	told = vmq_event_send(ad->team, type, NULL, ad->dev, fmt, args);
	va_end(args);
	return told;
}
