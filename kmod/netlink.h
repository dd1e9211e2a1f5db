/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vmq family's handlers (nl_*.c).
 */
#ifndef _VMQ_NETLINK_H
#define _VMQ_NETLINK_H

#include <net/genetlink.h>

#include "compat.h"
#include "model.h"

extern struct genl_family vmq_genl_family;

int vmq_nl_require_admin(struct sk_buff *skb, struct genl_info *info);
const struct nlattr *vmq_nl_dev_attr(const struct genl_info *info,
				     int ifindex_attr, int ifname_attr);
struct net_device *vmq_nl_get_dev(struct genl_info *info, int ifindex_attr,
				  int ifname_attr);
struct vmq_team *vmq_nl_get_team_at(struct genl_info *info, int ifindex_attr,
				    int ifname_attr);
struct vmq_team *vmq_nl_get_team(struct genl_info *info);
struct vmq_adapter *vmq_nl_get_adapter_at(struct genl_info *info,
					  int ifindex_attr, int ifname_attr);

/*
 * A dump's cb->args: its position, and the team and adapter its filter
 * names (ifindex; 0: every one), set in its first round.
 */
enum {
	VMQ_NL_DUMP_POS,
	VMQ_NL_DUMP_TEAM,
	VMQ_NL_DUMP_ADAPTER,
	VMQ_NL_DUMP_FILTERED,
};

/* What a dump's request may name: nothing, a team, a team and adapter. */
enum vmq_nl_filter_kind {
	VMQ_NL_FILTER_NONE,
	VMQ_NL_FILTER_VM,
	VMQ_NL_FILTER_QUEUE,
};

int vmq_nl_dump_begin(struct sk_buff *skb, struct netlink_callback *cb,
		      enum vmq_nl_filter_kind filter);

bool vmq_nl_dump_wants_team(const struct netlink_callback *cb,
			    const struct vmq_team *team);
bool vmq_nl_dump_wants_adapter(const struct netlink_callback *cb,
			       const struct vmq_adapter *ad);

/* Fill one object's attributes into a message. */
typedef int (*vmq_nl_fill_t)(struct sk_buff *msg, const void *obj);

int vmq_nl_put_obj(struct sk_buff *msg, u8 cmd, vmq_nl_fill_t fill,
		   const void *obj, u32 portid, u32 seq, int flags);
struct sk_buff *vmq_nl_build_obj(struct genl_info *info, u8 cmd,
				 vmq_nl_fill_t fill, const void *obj);
int vmq_nl_reply_obj(struct genl_info *info, u8 cmd, vmq_nl_fill_t fill,
		     const void *obj);
int vmq_nl_dump_obj(struct sk_buff *skb, struct netlink_callback *cb,
		    long *idx, u8 cmd, vmq_nl_fill_t fill, const void *obj);
int vmq_nl_dump_end(struct sk_buff *skb, struct netlink_callback *cb,
		    long idx, int err);
int vmq_nl_put_cpuset(struct sk_buff *msg, int attr,
		      const struct vmq_cpuset *set);

int vmq_netlink_init(void);
void vmq_netlink_exit(void);

/* nl_team.c */
int vmq_nl_team_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_team_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vmq_nl_team_attach_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_team_detach_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_team_set_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_team_plan_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_adapter.c */
int vmq_nl_adapter_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_adapter_get_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb);
int vmq_nl_adapter_set_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_vm.c */
int vmq_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vmq_nl_vm_add_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_vm_del_doit(struct sk_buff *skb, struct genl_info *info);
int vmq_nl_queue_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _VMQ_NETLINK_H */
