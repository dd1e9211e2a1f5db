/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nicsim driver profiles: which real driver's ethtool and feature
 * contract a pair's NIC follows.  profile.c has the table, and beside
 * each value the driver function it copies (Debian's linux-source-6.12;
 * 6.1 where it differs).
 */
#ifndef _NICSIM_PROFILE_H
#define _NICSIM_PROFILE_H

#include <linux/types.h>

/* What ETHTOOL_GRXCLSRLCNT puts in info->data. */
enum nicsim_cnt_data {
	NICSIM_CNT_NOTHING,		/* rule_cnt only (mlx5, igb, ixgbe) */
	NICSIM_CNT_SIZE,		/* the table size (ice) */
	NICSIM_CNT_SIZE_SPECIAL,	/* size | RX_CLS_LOC_SPECIAL (bnxt, sfc) */
};

/* Which locations SRXCLSRLINS takes. */
enum nicsim_loc_policy {
	NICSIM_LOC_EXPLICIT,		/* the caller picks (mlx5, ice, igb) */
	NICSIM_LOC_ANY_ONLY,		/* RX_CLS_LOC_ANY only (bnxt, sfc) */
	NICSIM_LOC_BOTH,		/* either (nicsim's own) */
};

/* What NETIF_F_NTUPLE gates. */
enum nicsim_ntuple {
	NICSIM_NTUPLE_RULES,		/* rules need it on (ice, bnxt) */
	NICSIM_NTUPLE_HW_ONLY,		/* rules need it changeable (igb) */
	NICSIM_NTUPLE_ARFS,		/* aRFS only (mlx5, sfc) */
};

/* How the driver names a queue's vector. */
enum nicsim_irq_name {
	NICSIM_IRQ_IFNAME_QUEUE,	/* fmt(ifname, queue): igb, ice, bnxt */
	NICSIM_IRQ_QUEUE_BUS,		/* fmt(queue, bus device): mlx5 */
	NICSIM_IRQ_EQ_BUS,		/* fmt(its CPU's EQ, bus device): mlx4 */
};

#define NICSIM_MAX_VLAN_MASKS	2

struct nicsim_profile {
	const char *name;
	/* ETHER_FLOW by destination MAC; refused with this errno if not. */
	int ether_refused;
	enum nicsim_cnt_data cnt_data;
	enum nicsim_loc_policy loc;
	int loc_errno;			/* a location the policy refuses */
	int range_errno;		/* an explicit location past the table */
	unsigned int rules;		/* table size */
	unsigned int max_mac_rules;	/* fewer destination MACs (igb), or 0 */
	/* FLOW_EXT VLAN TCI masks taken (0 ends); others: vlan_errno. */
	u16 vlan_masks[NICSIM_MAX_VLAN_MASKS];
	int vlan_errno;
	bool vlan_etype_taken;		/* vlan_etype may be matched (ice) */
	bool vid_nonzero;		/* VID 0 refused (bnxt) */
	/* the mask's VID bits all or none, its others ignored (mlx4) */
	bool vlan_vid_bits;
	bool one_input_set;		/* every ETHER_FLOW rule one shape (ice) */
	bool get_drops_ext;		/* GRXCLSRULE loses FLOW_EXT (ice) */
	bool dup_ignores_vlan;		/* same MAC, other VLAN: duplicate (ice) */
	int dup_errno;			/* the same match at another location */
	int get_empty_errno;		/* GRXCLSRULE of an empty location */
	int del_empty_errno;		/* SRXCLSRLDEL of an empty location */
	int action_errno;		/* a queue it does not have */
	enum nicsim_ntuple ntuple;
	int gate_errno;			/* an insert or delete with it off */
	bool ntuple_off_keeps_rules;	/* turning it off erases none (mlx5) */
	bool ntuple_off_at_probe;	/* in hw_features, not features */
	bool ntuple_arfs;		/* NTUPLE on turns aRFS on too */
	bool rules_need_running;	/* inserts refused while down (bnxt) */
	int down_errno;			/* every rule command while down (mlx4) */
	bool down_wipes_rules;		/* each port stop erases them (mlx4) */
	bool all_data_is_count;		/* GRXCLSRLALL data: the count (bnxt) */
	bool no_set_channels;		/* no ethtool -L at all (sfc) */
	bool rules_block_channels;	/* set_channels refused with rules (ice) */
	u32 rss_size;			/* indirection table; 0: follows channels */
	u32 rss_per_queue;		/* ... entries a channel, when it does */
	/* on a queue count change, even a configured table (igb) */
	bool rss_respread_always;
	/* the table is i % k, k a power of 2, over a power of 2 of the
	 * queues; setting it restarts the port (mlx4)
	 */
	bool rss_pow2_spread;
	bool queue_napi_link;		/* 6.12 driver calls netif_queue_set_napi */
	/* ops->begin() wakes and holds the device, complete() lets go */
	bool ethtool_begin_wakes;
	/* runtime PM: asleep after 5 s without link, detached while so */
	bool runtime_pm;
	enum nicsim_irq_name irq_name;
	const char *irq_fmt;
};

const struct nicsim_profile *nicsim_profile_find(const char *name);
extern const struct nicsim_profile nicsim_profile_default;

#endif /* _NICSIM_PROFILE_H */
