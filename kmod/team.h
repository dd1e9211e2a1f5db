/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Teams: vmq attached to a bond, in the model.
 */
#ifndef _VMQ_TEAM_H
#define _VMQ_TEAM_H

#include "model.h"

extern unsigned int vmq_net_id;

struct vmq_net *vmq_net(const struct net *net);
struct vmq_team *vmq_team_of(const struct net_device *dev);
struct vmq_team *vmq_team_near(struct net_device *dev);
struct vmq_adapter *vmq_adapter_of(struct net_device *dev);

struct vmq_team *vmq_team_create(struct net_device *bond,
				 enum vmq_team_mode mode,
				 struct netlink_ext_ack *extack);
void vmq_team_unlink(struct vmq_team *team);
void vmq_team_changed(const struct vmq_team *team);
void vmq_team_destroy(struct vmq_team *team);
void vmq_team_derive(struct vmq_team *team);
void vmq_team_retry_refused(struct vmq_team *team);
int vmq_team_set_steering(struct vmq_team *team, enum vmq_steering steering,
			  struct netlink_ext_ack *extack);

#define VMQ_HOOK_DESC_LEN	128
void vmq_team_describe_hook(const struct vmq_team *team, char *buf,
			    size_t len);
void vmq_team_read_stats(const struct vmq_team *team,
			 struct vmq_team_stats *stats);

#endif /* _VMQ_TEAM_H */
