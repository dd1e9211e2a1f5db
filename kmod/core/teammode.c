// SPDX-License-Identifier: GPL-2.0
/*
 * Min-Queue or Sum-Queue, from a bond's configuration.
 *
 * Windows teams in Switch-Independent mode with Hyper-V Port or Dynamic
 * load balancing use Sum-Queue: each VM transmits, and so is learned and
 * received, on one team member only.  Every other combination uses
 * Min-Queue, because a VM's frames may arrive on any member.
 *
 * The Linux bond closest to Hyper-V Port is balance-xor hashing on
 * vlan+srcmac: switch-independent, and every guest MAC pinned to one
 * member.  Everything else (active-backup, 802.3ad, balance-rr, tlb, alb,
 * balance-xor with any other hash) can deliver a VM's frames on any
 * member, so it is Min-Queue.
 */
#include <linux/if_bonding.h>

#include "teammode.h"

static const char *const bond_mode_names[] = {
	[BOND_MODE_ROUNDROBIN]	= "balance-rr",
	[BOND_MODE_ACTIVEBACKUP] = "active-backup",
	[BOND_MODE_XOR]		= "balance-xor",
	[BOND_MODE_BROADCAST]	= "broadcast",
	[BOND_MODE_8023AD]	= "802.3ad",
	[BOND_MODE_TLB]		= "balance-tlb",
	[BOND_MODE_ALB]		= "balance-alb",
};

static const char *const xmit_policy_names[] = {
	[BOND_XMIT_POLICY_LAYER2]	= "layer2",
	[BOND_XMIT_POLICY_LAYER34]	= "layer3+4",
	[BOND_XMIT_POLICY_LAYER23]	= "layer2+3",
	[BOND_XMIT_POLICY_ENCAP23]	= "encap2+3",
	[BOND_XMIT_POLICY_ENCAP34]	= "encap3+4",
	[BOND_XMIT_POLICY_VLAN_SRCMAC]	= "vlan+srcmac",
};

static const char *name_or_unknown(const char *const *names, size_t n,
				   int value)
{
	if (value < 0 || (size_t)value >= n || !names[value])
		return "unknown";
	return names[value];
}

const char *vmq_bond_mode_name(int mode)
{
	return name_or_unknown(bond_mode_names, ARRAY_SIZE(bond_mode_names),
			       mode);
}

const char *vmq_xmit_policy_name(int policy)
{
	return name_or_unknown(xmit_policy_names,
			       ARRAY_SIZE(xmit_policy_names), policy);
}

const char *vmq_queue_mode_name(enum vmq_team_mode mode)
{
	switch (mode) {
	case VMQ_TEAM_MODE_MIN:
		return "min-queue";
	case VMQ_TEAM_MODE_SUM:
		return "sum-queue";
	default:
		return "auto";
	}
}

/* Only the transmit-hash modes have a policy worth naming. */
static bool bond_mode_hashes(int mode)
{
	return mode == BOND_MODE_XOR || mode == BOND_MODE_8023AD;
}

static bool bond_pins_each_mac(const struct vmq_bond_params *bond)
{
	return bond->mode == BOND_MODE_XOR &&
	       bond->xmit_policy == BOND_XMIT_POLICY_VLAN_SRCMAC;
}

static void describe_bond(const struct vmq_bond_params *bond,
			  char *buf, size_t len)
{
	if (bond_mode_hashes(bond->mode))
		snprintf(buf, len, "%s + %s", vmq_bond_mode_name(bond->mode),
			 vmq_xmit_policy_name(bond->xmit_policy));
	else
		snprintf(buf, len, "%s", vmq_bond_mode_name(bond->mode));
}

/*
 * Sum-Queue puts a VM's queue on the one member its frames come in on.
 * That member is known only where the bond sends each guest MAC through
 * one member, the one the switch learns it on: balance-xor with
 * vlan+srcmac on a switch not configured as a trunk, or active-backup.
 * balance-rr rotates on every frame, tlb and alb choose by destination
 * (alb also balances what comes in, by ARP), broadcast sends on every
 * member, and 802.3ad and the other xor hashes leave the inbound member
 * to the switch's own hash.
 */
static bool bond_receive_member_known(const struct vmq_bond_params *bond)
{
	return bond_pins_each_mac(bond) || bond->mode == BOND_MODE_ACTIVEBACKUP;
}

/**
 * vmq_team_mode_check - can the bond have the queue mode asked for?
 * @requested: the mode asked for
 * @bond: the bond's mode and hash policy
 * @msg: why not, for the refusal
 * @len: size of @msg
 *
 * Return: 0, or -EOPNOTSUPP for a forced Sum-Queue on a bond whose
 * receive member for a MAC cannot be known.
 */
int vmq_team_mode_check(enum vmq_team_mode requested,
			const struct vmq_bond_params *bond, char *msg,
			size_t len)
{
	char desc[VMQ_MODE_REASON_LEN];

	if (requested != VMQ_TEAM_MODE_SUM || bond_receive_member_known(bond))
		return 0;
	describe_bond(bond, desc, sizeof(desc));
	snprintf(msg, len, "mode sum needs a known member per MAC, not %s: use min",
		 desc);
	return -EOPNOTSUPP;
}

/**
 * vmq_team_mode_derive - the queue mode a team runs in, and why
 * @requested: VMQ_TEAM_MODE_AUTO, or MIN/SUM to force one
 * @bond: the bond's mode and transmit hash policy
 * @reason: filled with a sentence fragment such as
 *	"balance-xor + vlan+srcmac: sum-queue (switch: no trunk)"
 * @len: size of @reason, VMQ_MODE_REASON_LEN is enough
 *
 * Return: VMQ_TEAM_MODE_MIN or VMQ_TEAM_MODE_SUM, never AUTO.
 */
enum vmq_team_mode vmq_team_mode_derive(enum vmq_team_mode requested,
					const struct vmq_bond_params *bond,
					char *reason, size_t len)
{
	enum vmq_team_mode mode;
	char desc[VMQ_MODE_REASON_LEN];

	describe_bond(bond, desc, sizeof(desc));
	if (requested == VMQ_TEAM_MODE_MIN || requested == VMQ_TEAM_MODE_SUM) {
		snprintf(reason, len, "%s forced (bond is %s)",
			 vmq_queue_mode_name(requested), desc);
		return requested;
	}

	mode = bond_pins_each_mac(bond) ? VMQ_TEAM_MODE_SUM : VMQ_TEAM_MODE_MIN;
	/*
	 * Sum trusts the switch to send a MAC's frames back through the
	 * member it learned the MAC on: true of a switch not configured as
	 * a trunk, which vlan+srcmac is for; a static trunk hashes on its
	 * own, and needs mode min.
	 */
	snprintf(reason, len, "%s: %s%s", desc, vmq_queue_mode_name(mode),
		 mode == VMQ_TEAM_MODE_SUM ? " (switch: no trunk)" : "");
	return mode;
}

/**
 * vmq_team_count - the queue count a team reports, as Windows teams do
 * @mode: VMQ_TEAM_MODE_MIN: the smallest member's (4 and 8 -> 4);
 *	VMQ_TEAM_MODE_SUM: the total (-> 12)
 * @counts: each member's count
 * @n: number of members
 */
unsigned int vmq_team_count(enum vmq_team_mode mode, const unsigned int *counts,
			    unsigned int n)
{
	unsigned int i, total = 0, least = ~0U;

	for (i = 0; i < n; i++) {
		total += counts[i];
		if (counts[i] < least)
			least = counts[i];
	}
	if (!n)
		return 0;
	return mode == VMQ_TEAM_MODE_SUM ? total : least;
}
