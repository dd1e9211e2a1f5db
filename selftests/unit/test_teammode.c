// SPDX-License-Identifier: GPL-2.0
/* Min-Queue / Sum-Queue derivation from bond mode and hash policy. */
#include <linux/if_bonding.h>

#include "unit.h"
#include "../../kmod/core/teammode.h"

static enum vmq_team_mode derive(enum vmq_team_mode req, int mode, int policy,
				 char *reason)
{
	struct vmq_bond_params bond = { .mode = mode, .xmit_policy = policy };

	return vmq_team_mode_derive(req, &bond, reason, VMQ_MODE_REASON_LEN);
}

UNIT_TEST(teammode_xor_vlan_srcmac_is_sum)
{
	char reason[VMQ_MODE_REASON_LEN];

	EXPECT_EQ(derive(VMQ_TEAM_MODE_AUTO, BOND_MODE_XOR,
			 BOND_XMIT_POLICY_VLAN_SRCMAC, reason),
		  VMQ_TEAM_MODE_SUM);
	EXPECT_STREQ(reason, "balance-xor + vlan+srcmac: sum-queue (switch: no trunk)");
}

UNIT_TEST(teammode_xor_other_hashes_are_min)
{
	static const int policies[] = {
		BOND_XMIT_POLICY_LAYER2, BOND_XMIT_POLICY_LAYER34,
		BOND_XMIT_POLICY_LAYER23, BOND_XMIT_POLICY_ENCAP23,
		BOND_XMIT_POLICY_ENCAP34,
	};
	char reason[VMQ_MODE_REASON_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(policies); i++)
		EXPECT_EQ(derive(VMQ_TEAM_MODE_AUTO, BOND_MODE_XOR,
				 policies[i], reason), VMQ_TEAM_MODE_MIN);
	derive(VMQ_TEAM_MODE_AUTO, BOND_MODE_XOR, BOND_XMIT_POLICY_LAYER34,
	       reason);
	EXPECT_STREQ(reason, "balance-xor + layer3+4: min-queue");
}

UNIT_TEST(teammode_other_bond_modes_are_min)
{
	static const int modes[] = {
		BOND_MODE_ROUNDROBIN, BOND_MODE_ACTIVEBACKUP,
		BOND_MODE_BROADCAST, BOND_MODE_8023AD, BOND_MODE_TLB,
		BOND_MODE_ALB,
	};
	char reason[VMQ_MODE_REASON_LEN];
	size_t i;

	/* Even with vlan+srcmac: only balance-xor pins a MAC to a member. */
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		EXPECT_EQ(derive(VMQ_TEAM_MODE_AUTO, modes[i],
				 BOND_XMIT_POLICY_VLAN_SRCMAC, reason),
			  VMQ_TEAM_MODE_MIN);
	derive(VMQ_TEAM_MODE_AUTO, BOND_MODE_ACTIVEBACKUP,
	       BOND_XMIT_POLICY_LAYER2, reason);
	EXPECT_STREQ(reason, "active-backup: min-queue");
	derive(VMQ_TEAM_MODE_AUTO, BOND_MODE_8023AD,
	       BOND_XMIT_POLICY_VLAN_SRCMAC, reason);
	EXPECT_STREQ(reason, "802.3ad + vlan+srcmac: min-queue");
}

UNIT_TEST(teammode_forced_mode_wins_and_says_so)
{
	char reason[VMQ_MODE_REASON_LEN];

	EXPECT_EQ(derive(VMQ_TEAM_MODE_SUM, BOND_MODE_ACTIVEBACKUP,
			 BOND_XMIT_POLICY_LAYER2, reason), VMQ_TEAM_MODE_SUM);
	EXPECT_STREQ(reason, "sum-queue forced (bond is active-backup)");
	EXPECT_EQ(derive(VMQ_TEAM_MODE_MIN, BOND_MODE_XOR,
			 BOND_XMIT_POLICY_VLAN_SRCMAC, reason),
		  VMQ_TEAM_MODE_MIN);
	EXPECT_STREQ(reason,
		     "min-queue forced (bond is balance-xor + vlan+srcmac)");
}

UNIT_TEST(teammode_unknown_values_are_named_and_min)
{
	char reason[VMQ_MODE_REASON_LEN];

	EXPECT_EQ(derive(VMQ_TEAM_MODE_AUTO, 42, 0, reason),
		  VMQ_TEAM_MODE_MIN);
	EXPECT_STREQ(reason, "unknown: min-queue");
	EXPECT_EQ(derive(VMQ_TEAM_MODE_AUTO, BOND_MODE_XOR, -1, reason),
		  VMQ_TEAM_MODE_MIN);
	EXPECT_STREQ(reason, "balance-xor + unknown: min-queue");
}

UNIT_TEST(teammode_reason_is_truncated_not_overrun)
{
	char reason[12];
	struct vmq_bond_params bond = {
		.mode = BOND_MODE_XOR,
		.xmit_policy = BOND_XMIT_POLICY_VLAN_SRCMAC,
	};

	memset(reason, 'x', sizeof(reason));
	vmq_team_mode_derive(VMQ_TEAM_MODE_AUTO, &bond, reason,
			     sizeof(reason));
	EXPECT_EQ(strlen(reason), sizeof(reason) - 1);
}

#define MSG_LEN 128

static int check_sum(int mode, int policy, char *msg)
{
	struct vmq_bond_params bond = { .mode = mode, .xmit_policy = policy };

	return vmq_team_mode_check(VMQ_TEAM_MODE_SUM, &bond, msg,
				   MSG_LEN);
}

UNIT_TEST(teammode_forced_sum_only_where_a_macs_member_is_known)
{
	static const int unknown[] = {
		BOND_MODE_ROUNDROBIN, BOND_MODE_BROADCAST, BOND_MODE_8023AD,
		BOND_MODE_TLB, BOND_MODE_ALB,
	};
	char msg[MSG_LEN];
	struct vmq_bond_params rr = { .mode = BOND_MODE_ROUNDROBIN };
	unsigned int i;

	EXPECT_EQ(check_sum(BOND_MODE_ACTIVEBACKUP, 0, msg), 0);
	EXPECT_EQ(check_sum(BOND_MODE_XOR, BOND_XMIT_POLICY_VLAN_SRCMAC, msg),
		  0);
	EXPECT_EQ(check_sum(BOND_MODE_XOR, BOND_XMIT_POLICY_LAYER2, msg),
		  -EOPNOTSUPP);
	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		EXPECT_EQ(check_sum(unknown[i], 0, msg), -EOPNOTSUPP);
	check_sum(BOND_MODE_ALB, 0, msg);
	EXPECT_STREQ(msg, "mode sum needs a known member per MAC, not balance-alb: use min");
	EXPECT_EQ(vmq_team_mode_check(VMQ_TEAM_MODE_MIN, &rr, msg, sizeof(msg)),
		  0);
	EXPECT_EQ(vmq_team_mode_check(VMQ_TEAM_MODE_AUTO, &rr, msg, sizeof(msg)),
		  0);
}
