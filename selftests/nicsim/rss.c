// SPDX-License-Identifier: GPL-2.0
/*
 * RSS: frames no rule claims go to indir[hash % size], where hash is the
 * Toeplitz hash, with the NIC's 40-byte key, of what igb's default MRQC
 * hashes: IPv4/IPv6 source and destination addresses, plus the TCP ports
 * (UDP is hashed on addresses only, as igb does by default).  Frames that
 * are not IP get no hash and land on indir[0], as on igb and mlx5: the
 * "default queue".  The hash is also handed to the stack (NETIF_F_RXHASH).
 *
 * The configuration is replaced as a whole under RTNL (RCU copy-update):
 * the datapath never sees a half-written key.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/log2.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/ip.h>

#include "nicsim.h"
#include "compat.h"

/* Longest hash input: IPv6 source, destination, two ports. */
#define NICSIM_RSS_INPUT_MAX	36

static u32 nicsim_toeplitz(const u8 *key, const u8 *input, unsigned int len)
{
	u32 window = (u32)key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3];
	u32 hash = 0;
	unsigned int i, bit;

	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			if (input[i] & (0x80 >> bit))
				hash ^= window;
			window <<= 1;
			if (key[i + 4] & (0x80 >> bit))
				window |= 1;
		}
	}
	return hash;
}

static unsigned int nicsim_rss_ports(const struct sk_buff *skb,
				     unsigned int offset, u8 *input)
{
	__be16 _ports[2];
	const __be16 *ports;

	ports = skb_header_pointer(skb, offset, sizeof(_ports), _ports);
	if (!ports)
		return 0;
	memcpy(input, ports, sizeof(_ports));
	return sizeof(_ports);
}

static unsigned int nicsim_rss_input_ipv4(const struct sk_buff *skb,
					  unsigned int offset, u8 *input,
					  enum pkt_hash_types *type)
{
	const struct iphdr *iph;
	struct iphdr _iph;
	unsigned int len, ports;

	iph = skb_header_pointer(skb, offset, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return 0;
	memcpy(input, &iph->saddr, sizeof(iph->saddr));
	memcpy(input + 4, &iph->daddr, sizeof(iph->daddr));
	len = 8;
	*type = PKT_HASH_TYPE_L3;
	if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
		return len;
	ports = nicsim_rss_ports(skb, offset + iph->ihl * 4, input + len);
	if (ports)
		*type = PKT_HASH_TYPE_L4;
	return len + ports;
}

/* Extension headers are not followed: such frames hash on addresses. */
static unsigned int nicsim_rss_input_ipv6(const struct sk_buff *skb,
					  unsigned int offset, u8 *input,
					  enum pkt_hash_types *type)
{
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	unsigned int len, ports;

	ip6h = skb_header_pointer(skb, offset, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return 0;
	memcpy(input, &ip6h->saddr, sizeof(ip6h->saddr));
	memcpy(input + 16, &ip6h->daddr, sizeof(ip6h->daddr));
	len = 32;
	*type = PKT_HASH_TYPE_L3;
	if (ip6h->nexthdr != IPPROTO_TCP)
		return len;
	ports = nicsim_rss_ports(skb, offset + sizeof(*ip6h), input + len);
	if (ports)
		*type = PKT_HASH_TYPE_L4;
	return len + ports;
}

/*
 * The frame's RSS hash; @l3_offset (from skb->data) and @l3_proto locate
 * the network header past any VLAN tag.  *type says what was hashed.
 * Caller holds rcu_read_lock().
 */
u32 nicsim_rss_hash(struct nicsim_nic *nic, struct sk_buff *skb,
		    unsigned int l3_offset, __be16 l3_proto,
		    enum pkt_hash_types *type)
{
	u8 input[NICSIM_RSS_INPUT_MAX];
	unsigned int len = 0;

	*type = PKT_HASH_TYPE_NONE;
	if (l3_proto == htons(ETH_P_IP))
		len = nicsim_rss_input_ipv4(skb, l3_offset, input, type);
	else if (l3_proto == htons(ETH_P_IPV6))
		len = nicsim_rss_input_ipv6(skb, l3_offset, input, type);
	if (!len)
		return 0;
	return nicsim_toeplitz(rcu_dereference(nic->rss)->key, input, len);
}

/* Caller holds rcu_read_lock(). */
unsigned int nicsim_rss_queue(struct nicsim_nic *nic, u32 hash)
{
	struct nicsim_rss *rss = rcu_dereference(nic->rss);

	return rss->indir[hash % rss->size];
}

/*
 * Publish a copy of the configuration with @indir (of @size entries)
 * and/or @key replaced.
 */
static int nicsim_rss_update(struct nicsim_nic *nic, const u32 *indir,
			     u32 size, const u8 *key)
{
	struct nicsim_rss *old = rtnl_dereference(nic->rss);
	struct nicsim_rss *new;

	new = kmemdup(old, sizeof(*old), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	if (indir) {
		new->size = size;
		memcpy(new->indir, indir, size * sizeof(*indir));
	}
	if (key)
		memcpy(new->key, key, sizeof(new->key));
	rcu_assign_pointer(nic->rss, new);
	kfree_rcu(old, rcu);
	return 0;
}

/* A random key (netdev_rss_key_fill(), as igb); the table comes later. */
int nicsim_rss_init(struct nicsim_nic *nic)
{
	struct nicsim_rss *rss;

	rss = kzalloc(sizeof(*rss), GFP_KERNEL);
	if (!rss)
		return -ENOMEM;
	netdev_rss_key_fill(rss->key, sizeof(rss->key));
	RCU_INIT_POINTER(nic->rss, rss);
	return 0;
}

/* The NIC is unregistered: no reader is left. */
void nicsim_rss_free(struct nicsim_nic *nic)
{
	kfree(rcu_dereference_protected(nic->rss, true));
}

/* The table's size for @queues queues. */
static u32 nicsim_rss_size_for(struct nicsim_nic *nic, unsigned int queues)
{
	u32 per_queue = READ_ONCE(nic->indir_per_queue);

	/* mlx4_en_get_rxfh_indir_size() */
	if (nic->profile->rss_pow2_spread)
		return rounddown_pow_of_two(queues);
	if (!per_queue)
		return nic->profile->rss_size ?: NICSIM_RSS_INDIR_SIZE;
	per_queue = min_t(u32, per_queue, NICSIM_RSS_INDIR_MAX);
	return min_t(u32, roundup_pow_of_two(per_queue * queues),
		     NICSIM_RSS_INDIR_MAX);
}

/*
 * Spread over @queues queues, as after probe or a channel change; with
 * indir_per_queue set the table takes a new size too.
 */
int nicsim_rss_default_indir(struct nicsim_nic *nic, unsigned int queues)
{
	u32 size = nicsim_rss_size_for(nic, queues), *indir, i;
	u32 spread = queues;
	int err;

	/*
	 * mlx4_en_get_rxfh(): i % rounddown_pow_of_two(rss_rings ?: size);
	 * en_rx.c mlx4_en_config_rss_steer(): no more than the rings there
	 * are.
	 */
	if (nic->profile->rss_pow2_spread)
		spread = min(rounddown_pow_of_two(nic->rss_rings ?: size), size);
	indir = kcalloc(size, sizeof(*indir), GFP_KERNEL);
	if (!indir)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		indir[i] = ethtool_rxfh_indir_default(i, spread);
	err = nicsim_rss_update(nic, indir, size, NULL);
	if (!err)
		nic->rss_spread_for = queues;
	kfree(indir);
	return err;
}

u32 nicsim_rss_indir_size(struct nicsim_nic *nic)
{
	u32 size;

	rcu_read_lock();
	size = rcu_dereference(nic->rss)->size;
	rcu_read_unlock();
	return size;
}

/* The highest queue the indirection table uses. */
int nicsim_rss_max_queue(struct nicsim_nic *nic)
{
	struct nicsim_rss *rss = rtnl_dereference(nic->rss);
	unsigned int i;
	u32 max = 0;

	for (i = 0; i < rss->size; i++)
		max = max(max, rss->indir[i]);
	return max;
}

/* ETHTOOL_GRXFH: igb's default hash fields. */
int nicsim_rss_hash_fields(struct ethtool_rxnfc *info)
{
	switch (info->flow_type) {
	case TCP_V4_FLOW:
	case TCP_V6_FLOW:
		info->data = RXH_IP_SRC | RXH_IP_DST |
			     RXH_L4_B_0_1 | RXH_L4_B_2_3;
		return 0;
	case UDP_V4_FLOW:
	case SCTP_V4_FLOW:
	case AH_ESP_V4_FLOW:
	case IPV4_FLOW:
	case UDP_V6_FLOW:
	case SCTP_V6_FLOW:
	case AH_ESP_V6_FLOW:
	case IPV6_FLOW:
		info->data = RXH_IP_SRC | RXH_IP_DST;
		return 0;
	default:
		return -EINVAL;
	}
}

int nicsim_get_rxfh(struct net_device *dev, u32 *indir, u8 *key, u8 *hfunc)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	struct nicsim_rss *rss = rtnl_dereference(nic->rss);

	nicsim_ethtool_enter(dev);
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	/*
	 * The table as it is now, whatever size the caller last read, as
	 * mlx5 does: the ethtool core reads the size just before.
	 */
	if (indir)
		memcpy(indir, rss->indir, rss->size * sizeof(*indir));
	if (key)
		memcpy(key, rss->key, sizeof(rss->key));
	return 0;
}

/*
 * mlx4_en_set_rxfh(): the table must be i % k, k the first index whose
 * entry is 0 again (or the size) and a power of 2; only k is kept, and
 * the port restarts, wiping every rule, whatever was asked.
 */
static int nicsim_set_rxfh_pow2(struct nicsim_nic *nic, const u32 *indir,
				u32 size, const u8 *key, const u8 hfunc)
{
	u32 rings = 0, i;
	int err;

	for (i = 0; indir && i < size; i++) {
		if (i > 0 && !indir[i] && !rings)
			rings = i;
		if (indir[i] != i % (rings ?: size))
			return -EINVAL;
	}
	if (!rings)
		rings = size;
	if (!is_power_of_2(rings))
		return -EINVAL;
	/* mlx4_en_check_rxfh_func(): Toeplitz here (no XOR) */
	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EINVAL;
	if (key) {
		err = nicsim_rss_update(nic, NULL, 0, key);
		if (err)
			return err;
	}
	if (indir)
		nic->rss_rings = rings;
	return nicsim_nic_restart(nic);
}

/* The core validated @indir against ETHTOOL_GRXRINGS; check anyway. */
int nicsim_set_rxfh(struct net_device *dev, const u32 *indir, const u8 *key,
		    const u8 hfunc)
{
	struct nicsim_nic *nic = netdev_priv(dev);
	u32 size = rtnl_dereference(nic->rss)->size;
	unsigned int i;
	int err;

	nicsim_ethtool_enter(dev);
	/* debugfs fail_rxfh: the firmware refused the table */
	err = nicsim_fault_take(&nic->fail_rxfh);
	if (err)
		return err;
	if (nic->profile->rss_pow2_spread)
		return nicsim_set_rxfh_pow2(nic, indir, size, key, hfunc);
	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	for (i = 0; indir && i < size; i++)
		if (indir[i] >= nic->num_queues)
			return -EINVAL;
	if (!indir && !key)
		return 0;
	return nicsim_rss_update(nic, indir, size, key);
}
