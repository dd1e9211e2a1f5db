/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching and detaching teams, and the events and periodic pass that
 * keep them applied.
 */
#ifndef _VMQ_CONTROL_H
#define _VMQ_CONTROL_H

#include "model.h"

int vmq_team_attach(struct net_device *bond, enum vmq_team_mode mode,
		    struct netlink_ext_ack *extack);
void vmq_team_detach(struct vmq_team *team);
bool vmq_cpus_settling(void);

int vmq_control_init(void);
void vmq_control_exit(void);

#endif /* _VMQ_CONTROL_H */
