// SPDX-License-Identifier: GPL-2.0
/*
 * The ports of a pair and the wire between them.
 *
 * B (the peer) is a plain single-queue port without a qdisc, like veth:
 * what it transmits arrives at A, what A transmits arrives at B through
 * B's backlog.  A (the NIC) receives as a multiqueue NIC does:
 *
 *   B xmit -> classify: ntuple rule, else unicast filter + RSS
 *          -> the queue's ring -> raise the queue's IRQ on its CPU
 *          -> IRQ handler -> NAPI poll on that CPU -> GRO -> stack
 *
 * Queues, vectors and NAPIs are (re)built the way igb does it: at probe
 * and on every reinit (ethtool -L, the reset knob) the vectors are freed
 * and allocated afresh; IRQs are requested on open and freed on close.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/rtnetlink.h>

#include "nicsim.h"
#include "compat.h"

/* Where a frame is going, as the NIC's parser sees it. */
struct nicsim_frame {
	const u8 *dst;
	bool tagged;
	u16 tci;
	unsigned int l3_offset;		/* from skb->data */
	__be16 l3_proto;
};

static void nicsim_count_tx(struct nicsim_port *port, unsigned int len)
{
	struct nicsim_pcpu_stats *stats = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->tx_packets);
	u64_stats_add(&stats->tx_bytes, len);
	u64_stats_update_end(&stats->syncp);
}

static void nicsim_count_rx(struct nicsim_port *port, unsigned int len)
{
	struct nicsim_pcpu_stats *stats = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_add(&stats->rx_bytes, len);
	u64_stats_update_end(&stats->syncp);
}

static void nicsim_port_fetch_stats(struct nicsim_port *port,
				    struct rtnl_link_stats64 *s)
{
	unsigned int cpu, start;

	for_each_possible_cpu(cpu) {
		struct nicsim_pcpu_stats *stats = per_cpu_ptr(port->stats, cpu);
		u64 rx_packets, rx_bytes, tx_packets, tx_bytes;

		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			rx_packets = u64_stats_read(&stats->rx_packets);
			rx_bytes = u64_stats_read(&stats->rx_bytes);
			tx_packets = u64_stats_read(&stats->tx_packets);
			tx_bytes = u64_stats_read(&stats->tx_bytes);
		} while (u64_stats_fetch_retry(&stats->syncp, start));
		s->rx_packets += rx_packets;
		s->rx_bytes += rx_bytes;
		s->tx_packets += tx_packets;
		s->tx_bytes += tx_bytes;
	}
}

/* ---- A's receive path ------------------------------------------------ */

static void nicsim_frame_parse(struct sk_buff *skb, struct nicsim_frame *f)
{
	const struct vlan_hdr *vh;
	struct vlan_hdr _vh;

	f->dst = eth_hdr(skb)->h_dest;
	f->tagged = false;
	f->tci = 0;
	f->l3_offset = 0;
	f->l3_proto = skb->protocol;
	if (skb_vlan_tag_present(skb)) {
		f->tagged = true;
		f->tci = skb_vlan_tag_get(skb);
		return;
	}
	if (skb->protocol != htons(ETH_P_8021Q))
		return;
	vh = skb_header_pointer(skb, 0, sizeof(_vh), &_vh);
	if (!vh)
		return;
	f->tagged = true;
	f->tci = ntohs(vh->h_vlan_TCI);
	f->l3_offset = VLAN_HLEN;
	f->l3_proto = vh->h_vlan_encapsulated_proto;
}

/*
 * The unicast filter: the NIC's own address (eth_type_trans() said so),
 * group addresses (no multicast filter is modelled), anything when
 * promiscuous.  Frames claimed by a rule bypass it, as on igb where a
 * destination-MAC rule is itself a receive-address entry.
 */
static bool nicsim_nic_accepts(struct nicsim_nic *nic, struct sk_buff *skb)
{
	return skb->pkt_type != PACKET_OTHERHOST || READ_ONCE(nic->promisc);
}

/*
 * A frame is on the ring: raise the queue's interrupt, unless it is
 * disabled because it was raised already and NAPI has not drained the
 * ring yet.
 */
static void nicsim_rxq_kick(struct nicsim_rxq *q)
{
	if (test_and_clear_bit(NICSIM_RXQ_ARMED, &q->flags))
		nicsim_rxq_raise_irq(q);
}

/*
 * NAPI drained the ring: enable the interrupt again, and raise it if a
 * frame came in meanwhile (that frame found it disabled and raised
 * nothing).
 */
static void nicsim_rxq_rearm(struct nicsim_rxq *q)
{
	set_bit(NICSIM_RXQ_ARMED, &q->flags);
	/*
	 * Pairs with the full barrier of test_and_clear_bit() in
	 * nicsim_rxq_kick(), which a receiver runs after queueing: either
	 * it sees the queue armed, or we see its frame.
	 */
	smp_mb__after_atomic();
	if (!skb_queue_empty_lockless(&q->ring))
		nicsim_rxq_kick(q);
}

static void nicsim_rxq_receive(struct nicsim_rxq *q, struct sk_buff *skb)
{
	spin_lock(&q->ring.lock);
	if (unlikely(skb_queue_len(&q->ring) >= NICSIM_RX_RING_SIZE)) {
		atomic64_inc(&q->ring_full);
		spin_unlock(&q->ring.lock);
		kfree_skb(skb);
		return;
	}
	__skb_queue_tail(&q->ring, skb);
	spin_unlock(&q->ring.lock);
	nicsim_rxq_kick(q);
}

/*
 * A frame off the wire.  Runs in B's xmit: BH disabled, under RCU.  The
 * frame leaves its sender here (skb_orphan(): the TX completion), becomes
 * A's (__dev_forward_skb(): scrub, MTU check, eth_type_trans()) and is
 * classified.
 */
static void nicsim_nic_receive(struct nicsim_nic *nic, struct sk_buff *skb)
{
	struct net_device *dev = nic->port.netdev;
	enum pkt_hash_types hash_type;
	struct nicsim_frame f;
	int queue;
	u32 hash;

	/* Pairs with nicsim_nic_up(): the queues are ready if this is set. */
	if (unlikely(!smp_load_acquire(&nic->rx_enabled))) {
		atomic_inc(&nic->rx_lost);
		kfree_skb(skb);
		return;
	}
	skb_orphan(skb);
	if (__dev_forward_skb(dev, skb))
		return;
	skb_clear_hash(skb);
	nicsim_frame_parse(skb, &f);
	queue = nicsim_rules_match(nic, f.dst, f.tagged, f.tci, f.l3_proto);
	if (queue < 0 && !nicsim_nic_accepts(nic, skb)) {
		atomic_inc(&nic->rx_filtered);
		kfree_skb(skb);
		return;
	}
	hash = nicsim_rss_hash(nic, skb, f.l3_offset, f.l3_proto, &hash_type);
	if (queue < 0)
		queue = nicsim_rss_queue(nic, hash);
	if (unlikely((unsigned int)queue >= READ_ONCE(nic->num_queues))) {
		atomic_inc(&nic->rx_lost);
		kfree_skb(skb);
		return;
	}
	if (hash_type != PKT_HASH_TYPE_NONE && (dev->features & NETIF_F_RXHASH))
		skb_set_hash(skb, hash, hash_type);
	skb_record_rx_queue(skb, queue);
	nicsim_rxq_receive(&nic->rxq[queue], skb);
}

static void nicsim_rxq_account(struct nicsim_rxq *q, unsigned int packets,
			       u64 bytes)
{
	struct nicsim_napi_cpu_stats *cpu = this_cpu_ptr(q->nic->napi_cpu);

	u64_stats_update_begin(&q->syncp);
	u64_stats_add(&q->packets, packets);
	u64_stats_add(&q->bytes, bytes);
	u64_stats_update_end(&q->syncp);

	u64_stats_update_begin(&cpu->syncp);
	u64_stats_add(&cpu->packets[q->index], packets);
	u64_stats_update_end(&cpu->syncp);
}

/* Take up to @budget frames off the ring and hand them to GRO. */
static int nicsim_rxq_clean(struct nicsim_rxq *q, int budget)
{
	struct sk_buff_head batch;
	struct sk_buff *skb;
	u64 bytes = 0;
	int done = 0;

	__skb_queue_head_init(&batch);
	spin_lock(&q->ring.lock);
	while (done < budget && (skb = __skb_dequeue(&q->ring))) {
		__skb_queue_tail(&batch, skb);
		done++;
	}
	spin_unlock(&q->ring.lock);

	while ((skb = __skb_dequeue(&batch))) {
		bytes += skb->len + ETH_HLEN;
		napi_gro_receive(&q->napi, skb);
	}
	if (done)
		nicsim_rxq_account(q, done, bytes);
	return done;
}

static int nicsim_napi_poll(struct napi_struct *napi, int budget)
{
	struct nicsim_rxq *q = container_of(napi, struct nicsim_rxq, napi);
	int done = nicsim_rxq_clean(q, budget);

	if (done < budget && napi_complete_done(napi, done))
		nicsim_rxq_rearm(q);
	return done;
}

/* The frames still on the ring go, as igb_clean_rx_ring() frees them. */
static void nicsim_rxq_purge(struct nicsim_rxq *q)
{
	spin_lock_bh(&q->ring.lock);
	atomic_add(skb_queue_len(&q->ring), &q->nic->rx_lost);
	__skb_queue_purge(&q->ring);
	spin_unlock_bh(&q->ring.lock);
}

/* ---- A's queues: up, down, rebuild ------------------------------------- */

/*
 * Undo nicsim_nic_up() for queues [0, n): NAPI off first, so nothing
 * re-arms; then no interrupt may still be in flight when its IRQ is
 * freed, nor after (free_irq() waits for a running handler, not for an
 * IPI on its way).
 */
static void nicsim_queues_down(struct nicsim_nic *nic, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct nicsim_rxq *q = &nic->rxq[i];

		napi_disable(&q->napi);
		clear_bit(NICSIM_RXQ_ARMED, &q->flags);
		nicsim_rxq_irq_quiesce(q);
		nicsim_rxq_free_irq(q);
		nicsim_rxq_irq_quiesce(q);
		nicsim_rxq_purge(q);
	}
}

static int nicsim_nic_up(struct nicsim_nic *nic)
{
	unsigned int i;
	int err;

	ASSERT_RTNL();
	for (i = 0; i < nic->num_queues; i++) {
		struct nicsim_rxq *q = &nic->rxq[i];

		napi_enable(&q->napi);
		err = nicsim_rxq_request_irq(q);
		if (err) {
			napi_disable(&q->napi);
			nicsim_queues_down(nic, i);
			return err;
		}
		set_bit(NICSIM_RXQ_ARMED, &q->flags);
	}
	/* Pairs with nicsim_nic_receive(): queues ready before receivers. */
	smp_store_release(&nic->rx_enabled, true);
	return 0;
}

/* After synchronize_net(), no receiver is filling a ring any more. */
static void nicsim_nic_down(struct nicsim_nic *nic)
{
	ASSERT_RTNL();
	WRITE_ONCE(nic->rx_enabled, false);
	synchronize_net();
	nicsim_queues_down(nic, nic->num_queues);
	/* mlx4_en_stop_port(): every ethtool rule detached */
	if (nic->profile->down_wipes_rules)
		nicsim_rules_flush(nic);
}

static void nicsim_queues_release(struct nicsim_nic *nic)
{
	unsigned int irqs[NICSIM_MAX_QUEUES];
	unsigned int i;

	for (i = 0; i < nic->num_queues; i++) {
		netif_napi_del(&nic->rxq[i].napi);
		irqs[i] = nic->rxq[i].irq;
		nicsim_rxq_set_vector(&nic->rxq[i], 0);
	}
	nicsim_vectors_free(irqs, nic->num_queues);
	WRITE_ONCE(nic->num_queues, 0);
}

/*
 * Give a NIC that is down @queues queues with fresh vectors and NAPIs.
 * On failure the NIC keeps what it had.
 */
static int nicsim_queues_replace(struct nicsim_nic *nic, unsigned int queues)
{
	struct net_device *dev = nic->port.netdev;
	unsigned int irqs[NICSIM_MAX_QUEUES];
	unsigned int i;
	int err;

	err = nicsim_vectors_alloc(nic, queues, irqs);
	if (err)
		return err;
	err = netif_set_real_num_queues(dev, queues, queues);
	if (err) {
		nicsim_vectors_free(irqs, queues);
		return err;
	}
	nicsim_queues_release(nic);
	for (i = 0; i < queues; i++) {
		nicsim_rxq_set_vector(&nic->rxq[i], irqs[i]);
		netif_napi_add(dev, &nic->rxq[i].napi, nicsim_napi_poll);
	}
	WRITE_ONCE(nic->num_queues, queues);
	return 0;
}

/*
 * Rebuild the queues as igb_reinit_queues() does: close, free the
 * vectors, allocate new ones, open.  IRQ numbers change and their
 * affinity is lost; rules and a configured indirection table stay, an
 * unconfigured one is spread over the new count.  The link drops and
 * comes back, as it does on a real NIC.
 */
int nicsim_nic_reinit(struct nicsim_nic *nic, unsigned int queues)
{
	struct net_device *dev = nic->port.netdev;
	bool running = netif_running(dev);
	int err, up_err;

	ASSERT_RTNL();
	if (running) {
		netif_tx_disable(dev);
		nicsim_nic_down(nic);
		nicsim_link_update(nic->port.pair);
	}
	err = nicsim_queues_replace(nic, queues);
	/* mlx4 keeps no table, only the rings it spreads over */
	if (!err && (!netif_is_rxfh_configured(dev) ||
		     nic->profile->rss_pow2_spread ||
		     (nic->profile->rss_respread_always &&
		      queues != nic->rss_spread_for)))
		err = nicsim_rss_default_indir(nic, queues);
	if (running) {
		up_err = nicsim_nic_up(nic);
		if (!up_err)
			netif_tx_wake_all_queues(dev);
		nicsim_link_update(nic->port.pair);
		if (!err)
			err = up_err;
	}
	return err;
}

/*
 * mlx4_en_set_rxfh(): mlx4_en_stop_port() and mlx4_en_start_port() with
 * the new table, vectors kept (they are the core's EQs), rules wiped.
 * The link drops and comes back, as in nicsim_nic_reinit().
 */
int nicsim_nic_restart(struct nicsim_nic *nic)
{
	struct net_device *dev = nic->port.netdev;
	int err;

	ASSERT_RTNL();
	if (!netif_running(dev))
		return nicsim_rss_default_indir(nic, nic->num_queues);
	netif_tx_disable(dev);
	nicsim_nic_down(nic);
	nicsim_link_update(nic->port.pair);
	err = nicsim_rss_default_indir(nic, nic->num_queues);
	if (!err)
		err = nicsim_nic_up(nic);
	if (!err)
		netif_tx_wake_all_queues(dev);
	nicsim_link_update(nic->port.pair);
	return err;
}

/* The debugfs reset knob: a reinit with the same queue count. */
int nicsim_nic_reset(struct nicsim_nic *nic, bool keep_rules)
{
	ASSERT_RTNL();
	if (!keep_rules)
		nicsim_rules_flush(nic);
	return nicsim_nic_reinit(nic, nic->num_queues);
}

/* ---- The link --------------------------------------------------------- */

/*
 * Carrier on both ends when the cable is in (debugfs carrier), both ports
 * are up and the NIC's receiver runs; off on both ends otherwise.
 */
void nicsim_link_update(struct nicsim_pair *pair)
{
	struct nicsim_nic *nic = nicsim_pair_nic(pair);

	ASSERT_RTNL();
	if (pair->link_up && nic->rx_enabled && netif_running(pair->nic_dev) &&
	    netif_running(pair->peer_dev)) {
		netif_carrier_on(pair->nic_dev);
		netif_carrier_on(pair->peer_dev);
	} else {
		netif_carrier_off(pair->nic_dev);
		netif_carrier_off(pair->peer_dev);
	}
}

/* ---- A's netdev ops ----------------------------------------------------- */

static int nicsim_nic_open(struct net_device *dev)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	int err;

	err = nicsim_nic_up(nic);
	if (err)
		return err;
	netif_tx_start_all_queues(dev);
	nicsim_link_update(nic->port.pair);
	return 0;
}

static int nicsim_nic_stop(struct net_device *dev)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	netif_tx_stop_all_queues(dev);
	nicsim_nic_down(nic);
	nicsim_link_update(nic->port.pair);
	return 0;
}

/* A's transmit: B receives it, through B's backlog. */
static netdev_tx_t nicsim_nic_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nicsim_port *port = netdev_priv(dev);
	unsigned int len = skb->len;
	struct net_device *peer;

	rcu_read_lock();
	peer = rcu_dereference(port->peer);
	if (likely(peer && netif_carrier_ok(dev))) {
		nicsim_count_tx(port, len);
		skb_orphan(skb);
		if (dev_forward_skb(peer, skb) == NET_RX_SUCCESS)
			nicsim_count_rx(netdev_priv(peer), len);
	} else {
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
	}
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static void nicsim_nic_get_stats64(struct net_device *dev,
				   struct rtnl_link_stats64 *s)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	unsigned int i, start;

	nicsim_port_fetch_stats(&nic->port, s);
	for (i = 0; i < NICSIM_MAX_QUEUES; i++) {
		struct nicsim_rxq *q = &nic->rxq[i];
		u64 packets, bytes;

		do {
			start = u64_stats_fetch_begin(&q->syncp);
			packets = u64_stats_read(&q->packets);
			bytes = u64_stats_read(&q->bytes);
		} while (u64_stats_fetch_retry(&q->syncp, start));
		s->rx_packets += packets;
		s->rx_bytes += bytes;
		s->rx_missed_errors += atomic64_read(&q->ring_full);
	}
}

/* Under netif_addr_lock_bh(): just note what the datapath needs. */
static void nicsim_nic_set_rx_mode(struct net_device *dev)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	WRITE_ONCE(nic->promisc, !!(dev->flags & IFF_PROMISC));
}

/*
 * NTUPLE as the profile's driver reads it: rules, which turning it off
 * erases (igb_set_features(), ice_vsi_manage_fdir(), bnxt_set_features(),
 * sfc too), or aRFS only, which on mlx5 leaves ethtool rules alone
 * (mlx5e_set_features(): set_feature_arfs()).  On mlx5, mlx4, sfc, ice
 * and bnxt it turns aRFS on and off as well.
 */
static int nicsim_nic_set_features(struct net_device *dev,
				   netdev_features_t features)
{
	netdev_features_t changed = dev->features ^ features;
	struct nicsim_nic *nic = netdev_priv(dev);

	if (!(changed & NETIF_F_NTUPLE))
		return 0;
	if (nic->profile->ntuple_arfs)
		nic->arfs = !!(features & NETIF_F_NTUPLE);
	if (!(features & NETIF_F_NTUPLE) &&
	    !nic->profile->ntuple_off_keeps_rules)
		nicsim_rules_flush(nic);
	return 0;
}

static const struct net_device_ops nicsim_nic_netdev_ops = {
	.ndo_open		= nicsim_nic_open,
	.ndo_stop		= nicsim_nic_stop,
	.ndo_start_xmit		= nicsim_nic_xmit,
	.ndo_get_stats64	= nicsim_nic_get_stats64,
	.ndo_set_rx_mode	= nicsim_nic_set_rx_mode,
	.ndo_set_features	= nicsim_nic_set_features,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

/* ---- B's netdev ops ----------------------------------------------------- */

static int nicsim_peer_open(struct net_device *dev)
{
	struct nicsim_port *port = netdev_priv(dev);

	nicsim_link_update(port->pair);
	return 0;
}

static int nicsim_peer_stop(struct net_device *dev)
{
	struct nicsim_port *port = netdev_priv(dev);

	nicsim_link_update(port->pair);
	return 0;
}

/* B's transmit: onto the wire, into A's receive path. */
static netdev_tx_t nicsim_peer_xmit(struct sk_buff *skb,
				    struct net_device *dev)
{
	struct nicsim_port *port = netdev_priv(dev);
	unsigned int len = skb->len;
	struct net_device *nic_dev;

	rcu_read_lock();
	nic_dev = rcu_dereference(port->peer);
	if (likely(nic_dev && netif_carrier_ok(dev))) {
		nicsim_count_tx(port, len);
		nicsim_nic_receive(netdev_priv(nic_dev), skb);
	} else {
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
	}
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static void nicsim_peer_get_stats64(struct net_device *dev,
				    struct rtnl_link_stats64 *s)
{
	nicsim_port_fetch_stats(netdev_priv(dev), s);
}

static const struct net_device_ops nicsim_peer_netdev_ops = {
	.ndo_open		= nicsim_peer_open,
	.ndo_stop		= nicsim_peer_stop,
	.ndo_start_xmit		= nicsim_peer_xmit,
	.ndo_get_stats64	= nicsim_peer_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

/* ---- Creation and destruction ------------------------------------------- */

static int nicsim_port_init(struct nicsim_port *port, struct net_device *dev,
			    struct nicsim_pair *pair, struct net *net,
			    const char *name)
{
	port->netdev = dev;
	port->pair = pair;
	port->stats = netdev_alloc_pcpu_stats(struct nicsim_pcpu_stats);
	if (!port->stats)
		return -ENOMEM;
	strscpy(dev->name, name, IFNAMSIZ);
	dev_net_set(dev, net);
	SET_NETDEV_DEV(dev, &pair->dev);
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->max_mtu = NICSIM_MAX_MTU;
	netif_carrier_off(dev);
	return 0;
}

static void nicsim_rxq_init(struct nicsim_nic *nic, unsigned int index)
{
	struct nicsim_rxq *q = &nic->rxq[index];

	q->nic = nic;
	q->index = index;
	skb_queue_head_init(&q->ring);
	u64_stats_init(&q->syncp);
	nicsim_rxq_irq_init(q);
}

/* Undoes nicsim_nic_alloc(); the NIC is unregistered or never was. */
static void nicsim_nic_free(struct net_device *dev)
{
	struct nicsim_nic *nic = netdev_priv(dev);

	if (nic->irq_domain) {
		nicsim_queues_release(nic);
		nicsim_irq_domain_destroy(nic);
	}
	nicsim_rules_free(nic);
	if (rcu_access_pointer(nic->rss))
		nicsim_rss_free(nic);
	free_percpu(nic->napi_cpu);
	free_percpu(nic->port.stats);
	free_netdev(dev);
}

static int nicsim_nic_init(struct nicsim_nic *nic, struct nicsim_pair *pair)
{
	unsigned int i;
	int err;

	nic->profile = pair->profile;
	/* sfc, ice and bnxt have aRFS on from probe, with NTUPLE */
	nic->arfs = nic->profile->ntuple_arfs &&
		    (nic->port.netdev->features & NETIF_F_NTUPLE);
	nic->rule_capacity = nic->profile->rules;
	nic->indir_per_queue = nic->profile->rss_per_queue;
	for (i = 0; i < NICSIM_MAX_QUEUES; i++)
		nicsim_rxq_init(nic, i);
	nic->napi_cpu = netdev_alloc_pcpu_stats(struct nicsim_napi_cpu_stats);
	if (!nic->napi_cpu)
		return -ENOMEM;
	err = nicsim_rss_init(nic);
	if (err)
		return err;
	err = nicsim_irq_domain_create(nic, pair->id);
	if (err)
		return err;
	err = nicsim_queues_replace(nic, pair->queues);
	if (err)
		return err;
	/*
	 * Not registered yet, so nobody else can see the table; RTNL is
	 * taken all the same because the table is RTNL's everywhere else
	 * (rtnl_dereference(), which PROVE_RCU checks).
	 */
	rtnl_lock();
	err = nicsim_rss_default_indir(nic, pair->queues);
	rtnl_unlock();
	return err;
}

static struct net_device *nicsim_nic_alloc(struct nicsim_pair *pair,
					   struct net *net)
{
	struct net_device *dev;
	struct nicsim_nic *nic;
	int err;

	dev = alloc_etherdev_mqs(sizeof(*nic), NICSIM_MAX_QUEUES,
				 NICSIM_MAX_QUEUES);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	nic = netdev_priv(dev);
	/* First: nicsim_nic_free() walks it. */
	INIT_LIST_HEAD(&nic->rules);
	err = nicsim_port_init(&nic->port, dev, pair, net, pair->name);
	if (err)
		goto err_free;
	dev->netdev_ops = &nicsim_nic_netdev_ops;
	dev->ethtool_ops = &nicsim_nic_ethtool_ops;
	dev->hw_features = NETIF_F_NTUPLE | NETIF_F_RXHASH;
	dev->features = dev->hw_features;
	/* mlx5, mlx4 and igb ship with NTUPLE off; their rules need none. */
	if (pair->profile->ntuple_off_at_probe)
		dev->features &= ~NETIF_F_NTUPLE;
	if (pair->has_mac)
		eth_hw_addr_set(dev, pair->mac);
	else
		eth_hw_addr_random(dev);
	err = nicsim_nic_init(nic, pair);
	if (err)
		goto err_free;
	return dev;

err_free:
	nicsim_nic_free(dev);
	return ERR_PTR(err);
}

static void nicsim_peer_free(struct net_device *dev)
{
	struct nicsim_port *port = netdev_priv(dev);

	free_percpu(port->stats);
	free_netdev(dev);
}

/*
 * No qdisc, as veth: a generator's frames reach the NIC in the sender's
 * context, in order.  No netpoll: it would take a ring lock with
 * interrupts off.
 */
static struct net_device *nicsim_peer_alloc(struct nicsim_pair *pair,
					    struct net *net)
{
	struct net_device *dev;
	int err;

	dev = alloc_etherdev(sizeof(struct nicsim_port));
	if (!dev)
		return ERR_PTR(-ENOMEM);
	err = nicsim_port_init(netdev_priv(dev), dev, pair, net,
			       pair->peer_name);
	if (err) {
		nicsim_peer_free(dev);
		return ERR_PTR(err);
	}
	dev->netdev_ops = &nicsim_peer_netdev_ops;
	dev->ethtool_ops = &nicsim_peer_ethtool_ops;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_DISABLE_NETPOLL;
	eth_hw_addr_random(dev);
	return dev;
}

static int nicsim_ports_register(struct nicsim_pair *pair)
{
	int err;

	rtnl_lock();
	err = register_netdevice(pair->nic_dev);
	if (!err) {
		err = register_netdevice(pair->peer_dev);
		if (err)
			unregister_netdevice(pair->nic_dev);
	}
	rtnl_unlock();
	return err;
}

/* Both ports, wired to each other, registered in @net. */
int nicsim_ports_create(struct nicsim_pair *pair, struct net *net)
{
	struct net_device *nic_dev, *peer_dev;
	int err;

	nic_dev = nicsim_nic_alloc(pair, net);
	if (IS_ERR(nic_dev))
		return PTR_ERR(nic_dev);
	peer_dev = nicsim_peer_alloc(pair, net);
	if (IS_ERR(peer_dev)) {
		nicsim_nic_free(nic_dev);
		return PTR_ERR(peer_dev);
	}
	RCU_INIT_POINTER(((struct nicsim_port *)netdev_priv(nic_dev))->peer,
			 peer_dev);
	RCU_INIT_POINTER(((struct nicsim_port *)netdev_priv(peer_dev))->peer,
			 nic_dev);
	pair->nic_dev = nic_dev;
	pair->peer_dev = peer_dev;

	err = nicsim_ports_register(pair);
	if (err) {
		nicsim_nic_free(nic_dev);
		nicsim_peer_free(peer_dev);
		pair->nic_dev = NULL;
		pair->peer_dev = NULL;
	}
	return err;
}

/*
 * Cut the wire first, so no frame crosses it while the ports go; then
 * unregister both, wherever they are now (namespace, bond), at once.
 */
void nicsim_ports_destroy(struct nicsim_pair *pair)
{
	struct nicsim_port *nic_port = netdev_priv(pair->nic_dev);
	struct nicsim_port *peer_port = netdev_priv(pair->peer_dev);
	LIST_HEAD(dead);

	rtnl_lock();
	RCU_INIT_POINTER(nic_port->peer, NULL);
	RCU_INIT_POINTER(peer_port->peer, NULL);
	unregister_netdevice_queue(pair->nic_dev, &dead);
	unregister_netdevice_queue(pair->peer_dev, &dead);
	unregister_netdevice_many(&dead);
	rtnl_unlock();

	nicsim_nic_free(pair->nic_dev);
	nicsim_peer_free(pair->peer_dev);
	pair->nic_dev = NULL;
	pair->peer_dev = NULL;
}
