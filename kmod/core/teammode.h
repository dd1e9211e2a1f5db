/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Team queue mode: Windows derives Min-Queue or Sum-Queue from the teaming
 * mode and load-balancing algorithm; vmq derives it from the bond's mode
 * and transmit hash policy.
 */
#ifndef _VMQ_CORE_TEAMMODE_H
#define _VMQ_CORE_TEAMMODE_H

#include "types.h"
#include <linux/vmq.h>

/* Length of the longest reason string vmq_team_mode_derive() writes. */
#define VMQ_MODE_REASON_LEN	64

/* What vmq needs to know of a bond: BOND_MODE_* and BOND_XMIT_POLICY_*. */
struct vmq_bond_params {
	int mode;
	int xmit_policy;
};

const char *vmq_bond_mode_name(int mode);
const char *vmq_xmit_policy_name(int policy);
const char *vmq_queue_mode_name(enum vmq_team_mode mode);

int vmq_team_mode_check(enum vmq_team_mode requested,
			const struct vmq_bond_params *bond, char *msg,
			size_t len);
enum vmq_team_mode vmq_team_mode_derive(enum vmq_team_mode requested,
					const struct vmq_bond_params *bond,
					char *reason, size_t len);
unsigned int vmq_team_count(enum vmq_team_mode mode, const unsigned int *counts,
			    unsigned int n);

#endif /* _VMQ_CORE_TEAMMODE_H */
