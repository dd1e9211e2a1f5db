// SPDX-License-Identifier: GPL-2.0
/*
 * Driver profiles: a pair's NIC answers ethtool and feature requests as
 * the named driver does, read in Debian's linux-source-6.12 (and -6.1
 * where it differs; see the 6.1 notes).  Each value names the function
 * it copies.  "nicsim" is nicsim's own contract from before profiles,
 * kept for the tests that exercise it.
 */
#include <linux/errno.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/string.h>

#include "compat.h"
#include "profile.h"

const struct nicsim_profile nicsim_profile_default = {
	.name			= "nicsim",
	.cnt_data		= NICSIM_CNT_SIZE_SPECIAL,
	.loc			= NICSIM_LOC_BOTH,
	.range_errno		= -ENOSPC,
	.rules			= 16,
	.vlan_masks		= { VLAN_VID_MASK, 0xffff },
	.vlan_errno		= -EINVAL,
	.dup_errno		= -EEXIST,
	.get_empty_errno	= -ENOENT,
	.del_empty_errno	= -ENOENT,
	.action_errno		= -EINVAL,
	.ntuple			= NICSIM_NTUPLE_RULES,
	.gate_errno		= -EOPNOTSUPP,
	.rss_size		= 128,
	.queue_napi_link	= true,
	.irq_name		= NICSIM_IRQ_IFNAME_QUEUE,
	.irq_fmt		= "%s-rx-%u",
};

static const struct nicsim_profile nicsim_profiles[] = {
	{
		/* drivers/net/ethernet/mellanox/mlx5/core/en_fs_ethtool.c */
		.name		= "mlx5",
		/* mlx5e_ethtool_get_rxnfc(): GRXCLSRLCNT sets rule_cnt only;
		 * mlx5e_ethtool_get_all_flows(): data = 1024.
		 */
		.cnt_data	= NICSIM_CNT_NOTHING,
		.loc		= NICSIM_LOC_EXPLICIT,
		/* validate_flow(): location >= MAX_NUM_OF_ETHTOOL_RULES */
		.range_errno	= -ENOSPC,
		.rules		= 1024,
		/* validate_vlan(): m_ext.vlan_tci must be 0x0fff, no etype */
		.vlan_masks	= { VLAN_VID_MASK },
		.vlan_errno	= -EINVAL,
		/* mlx5_add_flow_rules(): the same match again, -EEXIST */
		.dup_errno	= -EEXIST,
		/* mlx5e_ethtool_get_flow(), mlx5e_ethtool_flow_remove() */
		.get_empty_errno = -ENOENT,
		.del_empty_errno = -ENOENT,
		/* validate_flow(): ring_cookie >= num_channels */
		.action_errno	= -EINVAL,
		/* en_main.c set_feature_arfs(): NTUPLE is aRFS, off by
		 * default, and leaves ethtool rules alone.
		 */
		.ntuple		= NICSIM_NTUPLE_ARFS,
		.ntuple_arfs	= true,
		.ntuple_off_keeps_rules = true,
		.ntuple_off_at_probe = true,
		/* mlx5e_rqt_size(): 256 up to 128 channels (6.1: always) */
		.rss_size	= 256,
		.queue_napi_link = true,
		/* pci_irq.c irq_set_name(): "mlx5_comp%d@pci:%s" */
		.irq_name	= NICSIM_IRQ_QUEUE_BUS,
		.irq_fmt	= "mlx5_comp%u@pci:%s",
	},
	{
		/* drivers/net/ethernet/intel/ice/ice_ethtool_fdir.c */
		.name		= "ice",
		/* 6.1's ice_cfg_fdir_xtrct_seq() has no ETHER_FLOW case */
		.ether_refused	= NICSIM_KERNEL_6_12 ? 0 : -EINVAL,
		/* ice_get_rxnfc(): data = ice_get_fdir_cnt_all() */
		.cnt_data	= NICSIM_CNT_SIZE,
		.loc		= NICSIM_LOC_EXPLICIT,
		/* ice_add_fdir_ethtool(): location >= cnt_all, LOC_ANY too */
		.range_errno	= -ENOSPC,
		.rules		= 512,
		/* ice_set_fdir_vlan_seg(): whole TCI and TPID masks only;
		 * ice_fdir_vlan_valid(): TPID 802.1Q/AD, no priority bits.
		 */
		.vlan_masks	= { 0xffff },
		.vlan_errno	= -EOPNOTSUPP,
		.vlan_etype_taken = true,
		/* ice_fdir_set_hw_fltr_rule(): "filters on each port must
		 * have the same input set"
		 */
		.one_input_set	= true,
		/* ice_get_ethtool_fdir_entry(): m_ext zeroed, no FLOW_EXT */
		.get_drops_ext	= true,
		/* ice_fdir_comp_rules(): MAC and ethertype values only */
		.dup_ignores_vlan = true,
		.dup_errno	= -EINVAL,
		.get_empty_errno = -EINVAL,
		/* ice_fdir_update_list_entry() */
		.del_empty_errno = -ENOENT,
		.action_errno	= -EINVAL,
		/* ICE_FLAG_FD_ENA follows NTUPLE; ice_vsi_manage_fdir() */
		.ntuple		= NICSIM_NTUPLE_RULES,
		/* ice_set_features(): NTUPLE on is FD and aRFS (ice_init_arfs) */
		.ntuple_arfs	= true,
		.gate_errno	= -EOPNOTSUPP,
		/* ice_set_channels(): refused while FD filters are active */
		.rules_block_channels = true,
		/* ICE_LUT_PF_SIZE */
		.rss_size	= 2048,
		/* ice_vsi_set_napi_queues(); none in 6.1 */
		.queue_napi_link = NICSIM_KERNEL_6_12,
		/* ice_vsi_req_irq_msix(): "ice-<ifname>-TxRx-<n>" */
		.irq_name	= NICSIM_IRQ_IFNAME_QUEUE,
		.irq_fmt	= "ice-%s-TxRx-%u",
	},
	{
		/* drivers/net/ethernet/intel/igb/igb_ethtool.c, an i210 */
		.name		= "igb",
		/* igb_get_rxnfc(): GRXCLSRLCNT sets rule_cnt only;
		 * igb_get_ethtool_nfc_all(): data = IGB_MAX_RXNFC_FILTERS.
		 */
		.cnt_data	= NICSIM_CNT_NOTHING,
		.loc		= NICSIM_LOC_EXPLICIT,
		/* igb_add_ethtool_nfc_entry(): location >= 16 */
		.range_errno	= -EINVAL,
		.rules		= 16,
		/* igb_add_mac_filter(): 16 RAR entries on an i210, entry 0
		 * the port's own: -ENOSPC after 15 destination MACs.
		 */
		.max_mac_rules	= 15,
		/* igb_add_ethtool_nfc_entry(): VLAN_PRIO_MASK only */
		.vlan_masks	= { VLAN_PRIO_MASK },
		.vlan_errno	= -EINVAL,
		/* "ethtool: this filter is already set" */
		.dup_errno	= -EEXIST,
		/* igb_get_ethtool_nfc_entry(), igb_update_ethtool_nfc_entry() */
		.get_empty_errno = -EINVAL,
		.del_empty_errno = -EINVAL,
		.action_errno	= -EINVAL,
		/* igb_add_ethtool_nfc_entry() checks hw_features only;
		 * igb_set_features() erases the rules when it goes off.
		 */
		.ntuple		= NICSIM_NTUPLE_HW_ONLY,
		.gate_errno	= -EOPNOTSUPP,
		/* igb_probe(): NTUPLE added to hw_features only */
		.ntuple_off_at_probe = true,
		/* IGB_RETA_SIZE; igb_setup_mrqc() spreads it anew whenever
		 * rss_indir_tbl_init != num_rx_queues.
		 */
		.rss_size	= 128,
		.rss_respread_always = true,
		/* igb calls no netif_queue_set_napi() */
		.queue_napi_link = false,
		/* 6.1's igb_ethtool_begin(): pm_runtime_get_sync() of the
		 * PCI device, igb_ethtool_complete(): pm_runtime_put(); 6.12
		 * has neither, the core wakes the device.
		 */
		.ethtool_begin_wakes = !NICSIM_KERNEL_6_12,
		/* igb_runtime_idle(), igb_runtime_suspend(), _resume() */
		.runtime_pm	= true,
		/* igb_request_msix(): "%s-TxRx-%u" */
		.irq_name	= NICSIM_IRQ_IFNAME_QUEUE,
		.irq_fmt	= "%s-TxRx-%u",
	},
	{
		/* drivers/net/ethernet/broadcom/bnxt/bnxt_ethtool.c, pre-P5 */
		.name		= "bnxt",
		/* 6.1's bnxt_srxclsrlins() takes IP flows only */
		.ether_refused	= NICSIM_KERNEL_6_12 ? 0 : -EOPNOTSUPP,
		/* bnxt_get_rxnfc(): data = max_fltr | RX_CLS_LOC_SPECIAL;
		 * 6.1: BNXT_NTP_FLTR_MAX_FLTR (4096) alone.
		 */
		.cnt_data	= NICSIM_KERNEL_6_12 ? NICSIM_CNT_SIZE_SPECIAL :
						       NICSIM_CNT_SIZE,
		/* bnxt_srxclsrlins(): location != RX_CLS_LOC_ANY */
		.loc		= NICSIM_LOC_ANY_ONLY,
		.loc_errno	= -EINVAL,
		.range_errno	= -EINVAL,
		.rules		= NICSIM_KERNEL_6_12 ? 1024 : 4096,
		/* bnxt_add_l2_cls_rule(): vlan_tci mask 0xfff, VID != 0 */
		.vlan_masks	= { VLAN_VID_MASK },
		.vlan_errno	= -EINVAL,
		.vid_nonzero	= true,
		/* bnxt_alloc_new_l2_filter(): -EEXIST */
		.dup_errno	= -EEXIST,
		/* bnxt_grxclsrule(), bnxt_srxclsrldel() */
		.get_empty_errno = -EINVAL,
		.del_empty_errno = -ENOENT,
		.action_errno	= -EINVAL,
		/* bnxt_srxclsrlins(): !BNXT_FLAG_RFS -> -EPERM, device down
		 * -> -EAGAIN; bnxt_set_features(): off clears user filters.
		 */
		.ntuple		= NICSIM_NTUPLE_RULES,
		/* bnxt_set_features(): NTUPLE is BNXT_FLAG_RFS, aRFS too */
		.ntuple_arfs	= true,
		.gate_errno	= -EPERM,
		.rules_need_running = true,
		/* bnxt_grxclsrlall(): data = the filter count */
		.all_data_is_count = true,
		.rss_size	= 128,
		/* bnxt_init_napi()/bnxt_open(): netif_queue_set_napi() */
		.queue_napi_link = NICSIM_KERNEL_6_12,
		/* bnxt_setup_msix(): "%s-TxRx-%d" */
		.irq_name	= NICSIM_IRQ_IFNAME_QUEUE,
		.irq_fmt	= "%s-TxRx-%u",
	},
	{
		/* drivers/net/ethernet/sfc/ethtool_common.c */
		.name		= "sfc",
		/* efx_ethtool_get_rxnfc(): limit | RX_CLS_LOC_SPECIAL */
		.cnt_data	= NICSIM_CNT_SIZE_SPECIAL,
		/* efx_ethtool_set_class_rule(): location != RX_CLS_LOC_ANY */
		.loc		= NICSIM_LOC_ANY_ONLY,
		.loc_errno	= -EINVAL,
		.range_errno	= -EINVAL,
		.rules		= 512,
		/* efx_ethtool_set_class_rule(): vlan_tci mask 0xfff */
		.vlan_masks	= { VLAN_VID_MASK },
		.vlan_errno	= -EINVAL,
		/* efx_filter_insert_filter(): the same match replaces */
		.dup_errno	= 0,
		.get_empty_errno = -ENOENT,
		.del_empty_errno = -ENOENT,
		.action_errno	= -EINVAL,
		/* NTUPLE is aRFS (efx_filter_rfs); manual filters need none,
		 * but turning it off clears them.  On at probe: efx.c ORs
		 * EF10_OFFLOAD_FEATURES (NTUPLE among them) into features.
		 */
		.ntuple		= NICSIM_NTUPLE_ARFS,
		.ntuple_arfs	= true,
		/* EFX_RX_INDIR_TABLE_SIZE; no set_channels op */
		.rss_size	= 128,
		.no_set_channels = true,
		.queue_napi_link = false,
		/* efx_set_channel_names(): "%s%s-%d", plain for combined */
		.irq_name	= NICSIM_IRQ_IFNAME_QUEUE,
		.irq_fmt	= "%s-%u",
	},
	{
		/* drivers/net/ethernet/intel/ixgbe/ixgbe_ethtool.c */
		.name		= "ixgbe",
		/* ixgbe_flowspec_to_flow_type(): "Unrecognized flow type" */
		.ether_refused	= -EINVAL,
		/* ixgbe_get_rxnfc(): GRXCLSRLCNT sets rule_cnt only */
		.cnt_data	= NICSIM_CNT_NOTHING,
		.loc		= NICSIM_LOC_EXPLICIT,
		.range_errno	= -EINVAL,
		/* IXGBE_FDIR_PBALLOC_64K, the default: 2046 filters */
		.rules		= 2046,
		.dup_errno	= -EEXIST,
		.get_empty_errno = -EINVAL,
		.del_empty_errno = -EINVAL,
		.action_errno	= -EINVAL,
		.ntuple		= NICSIM_NTUPLE_RULES,
		.gate_errno	= -EOPNOTSUPP,
		/* ixgbe_probe(): NTUPLE in hw_features only; turning it on
		 * resets the NIC (ixgbe_set_features(): need_reset).
		 */
		.ntuple_off_at_probe = true,
		.rss_size	= 128,
		.queue_napi_link = false,
		/* ixgbe_request_msix_irqs(): "%s-TxRx-%u" */
		.irq_name	= NICSIM_IRQ_IFNAME_QUEUE,
		.irq_fmt	= "%s-TxRx-%u",
	},
	{
		/* drivers/net/ethernet/intel/i40e/i40e_ethtool.c */
		.name		= "i40e",
		/* i40e_add_fdir_ethtool(): flow types it knows, else */
		.ether_refused	= -EOPNOTSUPP,
		/* i40e_get_rxnfc(): data = fdir_pf_filter_count total */
		.cnt_data	= NICSIM_CNT_SIZE,
		.loc		= NICSIM_LOC_EXPLICIT,
		.range_errno	= -EINVAL,
		.rules		= 512,
		.dup_errno	= -EEXIST,
		.get_empty_errno = -EINVAL,
		.del_empty_errno = -EINVAL,
		.action_errno	= -EINVAL,
		.ntuple		= NICSIM_NTUPLE_RULES,
		.gate_errno	= -EOPNOTSUPP,
		.rss_size	= 512,
		.queue_napi_link = false,
		/* i40e_vsi_request_irq_msix(): "i40e-%s-TxRx-%d" */
		.irq_name	= NICSIM_IRQ_IFNAME_QUEUE,
		.irq_fmt	= "i40e-%s-TxRx-%u",
	},
	{
		/* drivers/net/ethernet/mellanox/mlx4/en_ethtool.c, with
		 * device-managed steering (else every rule command is
		 * -EINVAL); rule and RSS code the same in 6.1.
		 */
		.name		= "mlx4",
		/* mlx4_en_get_rxnfc(): GRXCLSRLCNT sets rule_cnt only;
		 * GRXCLSRLALL: data = MAX_NUM_OF_FS_RULES.
		 */
		.cnt_data	= NICSIM_CNT_NOTHING,
		.loc		= NICSIM_LOC_EXPLICIT,
		/* mlx4_en_validate_flow(): location >= MAX_NUM_OF_FS_RULES */
		.range_errno	= -EINVAL,
		.rules		= 256,
		/* mlx4_en_validate_flow(): the VID bits of m_ext.vlan_tci
		 * all or none, the others ignored; a TCI value >= 4096
		 * refused.  mlx4_en_ethtool_add_mac_rule(): VID mask 0xfff.
		 */
		.vlan_masks	= { VLAN_VID_MASK },
		.vlan_vid_bits	= true,
		.vlan_errno	= -EINVAL,
		/* mlx4_en_flow_replace(): no duplicate check; priority
		 * MLX4_DOMAIN_ETHTOOL | location, so the firmware takes it.
		 */
		.dup_errno	= 0,
		/* mlx4_en_get_flow(), mlx4_en_flow_detach() */
		.get_empty_errno = -ENOENT,
		.del_empty_errno = -ENOENT,
		/* mlx4_en_flow_replace(): ring_cookie >= rx_ring_num */
		.action_errno	= -EINVAL,
		/* mlx4_en_init_netdev(): NTUPLE in hw_features only;
		 * mlx4_en_set_features() has no case for it: it is aRFS
		 * (mlx4_en_filter_rfs) and leaves ethtool rules alone.
		 */
		.ntuple		= NICSIM_NTUPLE_ARFS,
		.ntuple_arfs	= true,
		.ntuple_off_keeps_rules = true,
		.ntuple_off_at_probe = true,
		/* mlx4_en_get_rxnfc(), mlx4_en_set_rxnfc(): !priv->port_up */
		.down_errno	= -EINVAL,
		/* mlx4_en_stop_port() detaches every ethtool rule and
		 * mlx4_en_start_port() clears ethtool_rules[]: ifdown,
		 * set_channels and set_rxfh all restart the port.
		 */
		.down_wipes_rules = true,
		/* mlx4_en_get_rxfh_indir_size(): rounddown_pow_of_two(rx
		 * rings); mlx4_en_set_rxfh(): i % k, k a power of 2, else
		 * -EINVAL, then stop_port/start_port.
		 */
		.rss_pow2_spread = true,
		/* en_cq.c mlx4_en_activate_cq(); none in 6.1 */
		.queue_napi_link = NICSIM_KERNEL_6_12,
		/* eq.c mlx4_assign_eq(): "mlx4-%d@%s", EQ index (0 is the
		 * async EQ) and PCI name; ring i's EQ is its CPU's, that of
		 * cpumask_local_spread(i, node), plus 1, with that CPU as
		 * its affinity hint (irq.c nicsim_mlx4_eq()).
		 */
		.irq_name	= NICSIM_IRQ_EQ_BUS,
		.irq_fmt	= "mlx4-%u@%s",
	},
};

const struct nicsim_profile *nicsim_profile_find(const char *name)
{
	unsigned int i;

	if (!strcmp(name, nicsim_profile_default.name))
		return &nicsim_profile_default;
	for (i = 0; i < ARRAY_SIZE(nicsim_profiles); i++)
		if (!strcmp(name, nicsim_profiles[i].name))
			return &nicsim_profiles[i];
	return NULL;
}
