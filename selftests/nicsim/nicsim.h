/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nicsim internals.
 *
 * A pair is one struct device on the nicsim bus and two netdevs joined by
 * a simulated wire: the NIC ("A", multiqueue, the port tests bond) and its
 * link partner ("B", single queue, the traffic generator's port).
 *
 * Locking:
 *  - nicsim_pairs_lock (bus.c) serialises pair creation and deletion.
 *  - RTNL protects every piece of NIC configuration: queue count, vectors,
 *    rules, RSS, knobs.  ethtool and ndo callbacks already hold it; the
 *    debugfs knobs take it.
 *  - The datapath (B's xmit -> NIC receive, NAPI) takes no lock but the
 *    per-queue ring lock; it reads rules and RSS under RCU.
 */
#ifndef _NICSIM_H
#define _NICSIM_H

#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/smp.h>
#include <linux/u64_stats_sync.h>

#include "profile.h"

#define NICSIM_DRV_NAME		"nicsim"
#define NICSIM_MAX_QUEUES	16
/* RX descriptors per queue; a full ring drops, like a real NIC's. */
#define NICSIM_RX_RING_SIZE	1024
#define NICSIM_MAX_MTU		9000
/* igb's indirection table and key sizes (IGB_RETA_SIZE, 40-byte RSSRK). */
#define NICSIM_RSS_INDIR_SIZE	128	/* the table's size, as igb's */
#define NICSIM_RSS_INDIR_MAX	2048	/* ice's PF table; indir_per_queue's */
#define NICSIM_RSS_KEY_SIZE	40
/* Default rule table: igb's IGB_MAX_RXNFC_FILTERS; up to ixgbe's 2046. */
#define NICSIM_DEFAULT_RULES	16
#define NICSIM_MAX_RULES	2048

struct nicsim_nic;

/* A fault knob: the next @count calls fail with @errno (RTNL). */
struct nicsim_fault {
	unsigned int count;
	int errno;
};

static inline int nicsim_fault_take(struct nicsim_fault *f)
{
	if (!f->count)
		return 0;
	f->count--;
	return f->errno;
}

/* nicsim_rxq.flags */
enum {
	/* The queue's interrupt is enabled: the next frame raises it. */
	NICSIM_RXQ_ARMED,
	/* An interrupt is on its way to a CPU (IPI or irq_work queued). */
	NICSIM_RXQ_IRQ_INFLIGHT,
};

/* One RX queue: a descriptor ring, its MSI-X-like vector and its NAPI. */
struct nicsim_rxq {
	struct nicsim_nic *nic;
	unsigned int index;
	struct napi_struct napi;
	struct sk_buff_head ring;
	atomic64_t ring_full;		/* frames dropped: ring full */
	unsigned long flags;

	/* The vector: RTNL writes, the datapath reads while ARMED. */
	unsigned int irq;
	struct irq_data *irq_data;
	bool irq_requested;
	char irq_name[IFNAMSIZ + 16];
	call_single_data_t irq_ipi;	/* raise on a remote CPU */
	struct irq_work irq_work;	/* raise on this CPU */

	/* Written by this queue's NAPI poll only. */
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
};

/* Frames each CPU's NAPI polls took off each queue (debugfs rx_cpu). */
struct nicsim_napi_cpu_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets[NICSIM_MAX_QUEUES];
};

struct nicsim_pcpu_stats {
	struct u64_stats_sync syncp;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
};

/* What both ports have: the wire to the other end, software counters. */
struct nicsim_port {
	struct net_device *netdev;
	struct nicsim_pair *pair;
	struct net_device __rcu *peer;
	struct nicsim_pcpu_stats __percpu *stats;
};

struct nicsim_rss {
	struct rcu_head rcu;
	u32 size;			/* entries of indir in use */
	u32 indir[NICSIM_RSS_INDIR_MAX];
	u8 key[NICSIM_RSS_KEY_SIZE];
};

/* An ntuple rule: ETHER_FLOW, destination MAC, optional VLAN. */
struct nicsim_rule {
	struct list_head node;		/* nicsim_nic.rules, by location */
	struct rcu_head rcu;
	struct ethtool_rx_flow_spec fs;	/* as inserted, for ethtool -n */
	u8 dst[ETH_ALEN] __aligned(2);
	u16 vlan_tci;
	u16 vlan_mask;			/* 0: any VLAN or none */
	__be16 proto;			/* 0: any ethertype */
	u32 queue;
	atomic64_t hits;
};

/* The multiqueue port: netdev_priv() of A. */
struct nicsim_nic {
	struct nicsim_port port;	/* first: B reaches us as a port */

	/* Queues, vectors, NAPI (RTNL). */
	unsigned int num_queues;
	bool rx_enabled;		/* datapath may fill the rings */
	/* Frames off the wire while the receiver was stopped (a close, a
	 * reset, a channel change): lost, and counted only here, so that a
	 * test can account for every frame its peer sent.
	 */
	atomic_t rx_lost;
	/* Frames its unicast filter dropped (not its address, no rule, not
	 * promiscuous): what a real MAC drops without telling the host.
	 */
	atomic_t rx_filtered;
	bool promisc;			/* copy of IFF_PROMISC for the datapath */
	struct nicsim_rxq rxq[NICSIM_MAX_QUEUES];
	struct nicsim_napi_cpu_stats __percpu *napi_cpu;

	/* The NIC's own interrupt domain; vectors alternate between banks. */
	struct fwnode_handle *irq_fwnode;
	struct irq_domain *irq_domain;
	unsigned int irq_bank;

	/* Receive classification (RTNL; the datapath reads under RCU). */
	struct list_head rules;
	unsigned int rule_count;
	unsigned int rule_capacity;
	struct nicsim_rss __rcu *rss;

	/*
	 * 0: an indirection table of NICSIM_RSS_INDIR_SIZE entries, as igb.
	 * N: one of N entries a queue (a power of two, at most
	 * NICSIM_RSS_INDIR_MAX), resized with the channel count, as mlx5's.
	 */
	u32 indir_per_queue;
	/* The queue count the table was last spread over (igb's
	 * rss_indir_tbl_init).
	 */
	unsigned int rss_spread_for;
	/* The rings a pow2 profile's table spreads over, 0 for all of
	 * them (mlx4's prof->rss_rings).
	 */
	u32 rss_rings;

	/* The driver whose contract it follows (profile.c). */
	const struct nicsim_profile *profile;
	bool arfs;			/* NTUPLE on, where it means aRFS */

	/*
	 * The ethtool core's bracket (RTNL): requests inside begin() and
	 * complete(), and requests made outside it -- to a device detached
	 * or runtime-suspended, or (igb) between no begin() and complete()
	 * -- which a real NIC would take with its registers powered down
	 * or mid-recovery.
	 */
	unsigned int in_begin;
	u32 unbracketed;

	/* Fault knobs (RTNL). */
	bool io_error;			/* PCI error recovery under way */
	bool no_mac_steering;
	struct nicsim_fault fail_insert;
	struct nicsim_fault fail_delete;
	struct nicsim_fault fail_rxfh;
};

struct nicsim_pair {
	struct device dev;
	struct list_head node;		/* nicsim_pairs */
	unsigned int id;
	/* The names given at creation: the pair's key (del_pair, debugfs). */
	char name[IFNAMSIZ];
	char peer_name[IFNAMSIZ];
	unsigned int queues;
	u8 mac[ETH_ALEN];
	bool has_mac;
	const struct nicsim_profile *profile;
	struct net_device *nic_dev;	/* A */
	struct net_device *peer_dev;	/* B */
	bool link_up;			/* the cable (debugfs carrier), RTNL */
	struct dentry *ddir;
};

static inline struct nicsim_pair *to_nicsim_pair(struct device *dev)
{
	return container_of(dev, struct nicsim_pair, dev);
}

static inline struct nicsim_nic *nicsim_pair_nic(struct nicsim_pair *pair)
{
	return netdev_priv(pair->nic_dev);
}

/* netdev.c: ports, the wire, the datapath */
int nicsim_ports_create(struct nicsim_pair *pair, struct net *net);
void nicsim_ports_destroy(struct nicsim_pair *pair);
void nicsim_link_update(struct nicsim_pair *pair);
int nicsim_nic_reinit(struct nicsim_nic *nic, unsigned int queues);
int nicsim_nic_reset(struct nicsim_nic *nic, bool keep_rules);
int nicsim_nic_restart(struct nicsim_nic *nic);

/* pm.c: runtime PM and PCI error recovery, as igb's */
extern const struct dev_pm_ops nicsim_pm_ops;
void nicsim_pm_enable(struct nicsim_pair *pair);
void nicsim_pm_disable(struct nicsim_pair *pair);
void nicsim_io_error(struct nicsim_nic *nic, bool detected);

/* irq.c: the interrupt domain and per-queue vectors */
int nicsim_irq_domain_create(struct nicsim_nic *nic, unsigned int id);
void nicsim_irq_domain_destroy(struct nicsim_nic *nic);
int nicsim_vectors_alloc(struct nicsim_nic *nic, unsigned int count,
			 unsigned int *irqs);
void nicsim_vectors_free(const unsigned int *irqs, unsigned int count);
void nicsim_rxq_irq_init(struct nicsim_rxq *q);
void nicsim_rxq_set_vector(struct nicsim_rxq *q, unsigned int irq);
int nicsim_rxq_request_irq(struct nicsim_rxq *q);
void nicsim_rxq_free_irq(struct nicsim_rxq *q);
void nicsim_rxq_raise_irq(struct nicsim_rxq *q);
void nicsim_rxq_irq_quiesce(struct nicsim_rxq *q);
int nicsim_rxq_effective_cpu(struct nicsim_rxq *q);

/* rules.c: the ntuple rule table */
int nicsim_rule_insert(struct nicsim_nic *nic, struct ethtool_rx_flow_spec *fs);
int nicsim_rule_delete(struct nicsim_nic *nic, u32 loc);
int nicsim_rule_get(struct nicsim_nic *nic, struct ethtool_rx_flow_spec *fs);
int nicsim_rule_locations(struct nicsim_nic *nic, struct ethtool_rxnfc *info,
			  u32 *locs);
void nicsim_rules_flush(struct nicsim_nic *nic);
void nicsim_rules_free(struct nicsim_nic *nic);
int nicsim_rules_max_queue(struct nicsim_nic *nic);
int nicsim_rules_set_capacity(struct nicsim_nic *nic, unsigned int capacity);
int nicsim_rules_match(struct nicsim_nic *nic, const u8 *dst, bool tagged,
		       u16 tci, __be16 proto);

/* rss.c: hashing and the indirection table */
int nicsim_rss_init(struct nicsim_nic *nic);
void nicsim_rss_free(struct nicsim_nic *nic);
int nicsim_rss_default_indir(struct nicsim_nic *nic, unsigned int queues);
int nicsim_rss_max_queue(struct nicsim_nic *nic);
u32 nicsim_rss_indir_size(struct nicsim_nic *nic);
u32 nicsim_rss_hash(struct nicsim_nic *nic, struct sk_buff *skb,
		    unsigned int l3_offset, __be16 l3_proto,
		    enum pkt_hash_types *type);
unsigned int nicsim_rss_queue(struct nicsim_nic *nic, u32 hash);
int nicsim_rss_hash_fields(struct ethtool_rxnfc *info);

/* ethtool.c */
extern const struct ethtool_ops nicsim_nic_ethtool_ops;
extern const struct ethtool_ops nicsim_peer_ethtool_ops;
void nicsim_ethtool_enter(struct net_device *dev);

/* debugfs.c */
void nicsim_debugfs_init(void);
void nicsim_debugfs_exit(void);
void nicsim_debugfs_pair_add(struct nicsim_pair *pair);
void nicsim_debugfs_pair_del(struct nicsim_pair *pair);

#endif /* _NICSIM_H */
