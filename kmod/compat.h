/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmq supports (Debian's 6.1 and
 * 6.12) lives here and in compat.c, and nowhere else.
 */
#ifndef _VMQ_COMPAT_H
#define _VMQ_COMPAT_H

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/sock.h>

/*
 * Formatted extack messages.  6.2 gave struct netlink_ext_ack a buffer of
 * its own (NL_SET_ERR_MSG_FMT).  On 6.1 the message must outlive the
 * request handler, because the ack quoting it is built after the handler
 * returns and after genetlink's locks are dropped: so compat.c formats
 * into a ring of buffers, each reused only after VMQ_COMPAT_MSG_SLOTS
 * later messages.  Same length limit as the kernel's own buffer, so a
 * message reads the same on both kernels.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define vmq_set_err_fmt(extack, fmt, args...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##args)
#else
#define NETLINK_MAX_FMTMSG_LEN	80
#define VMQ_COMPAT_MSG_SLOTS	32

__printf(2, 3)
void vmq_compat_set_err_fmt(struct netlink_ext_ack *extack,
			    const char *fmt, ...);
#define vmq_set_err_fmt(extack, fmt, args...) \
	vmq_compat_set_err_fmt(extack, fmt, ##args)
#endif

/*
 * The kernel's own link from an RX queue to its NAPI instance and that
 * instance's IRQ (netif_queue_set_napi, netif_napi_set_irq) came in 6.8,
 * for drivers that call them.  On 6.1 there is no such link.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#include <net/netdev_rx_queue.h>

static inline int vmq_compat_queue_napi_irq(struct net_device *dev,
					    unsigned int queue)
{
	struct napi_struct *napi;

	ASSERT_RTNL();
	napi = __netif_get_rx_queue(dev, queue)->napi;
	return napi && napi->irq > 0 ? napi->irq : -ENOENT;
}
#else
static inline int vmq_compat_queue_napi_irq(struct net_device *dev,
					    unsigned int queue)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * The RSS indirection table through the driver's ops.  6.8 moved
 * get_rxfh/set_rxfh from (indir, key, hfunc) arguments to struct
 * ethtool_rxfh_param.  Only the table changes: key and function stay.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
static inline int vmq_compat_get_rxfh_indir(struct net_device *dev,
					    u32 *indir, u32 size)
{
	struct ethtool_rxfh_param p = { .indir = indir, .indir_size = size };

	return dev->ethtool_ops->get_rxfh(dev, &p);
}

static inline int vmq_compat_set_rxfh_indir(struct net_device *dev,
					    u32 *indir, u32 size)
{
	struct ethtool_rxfh_param p = {
		.hfunc = ETH_RSS_HASH_NO_CHANGE,
		/* 0 would mean "no transform": ice would drop symmetric-xor */
		.input_xfrm = RXH_XFRM_NO_CHANGE,
		.indir = indir,
		.indir_size = size,
	};

	return dev->ethtool_ops->set_rxfh(dev, &p, NULL);
}
#else
static inline int vmq_compat_get_rxfh_indir(struct net_device *dev,
					    u32 *indir, u32 size)
{
	return dev->ethtool_ops->get_rxfh(dev, indir, NULL, NULL);
}

static inline int vmq_compat_set_rxfh_indir(struct net_device *dev,
					    u32 *indir, u32 size)
{
	return dev->ethtool_ops->set_rxfh(dev, indir, NULL,
					  ETH_RSS_HASH_NO_CHANGE);
}
#endif

/*
 * A message composed elsewhere (by the pure logic), cut to what the
 * kernel's buffer holds, with "..." to show it was cut.
 */
#define vmq_set_err_msg(extack, msg) do {				\
	const char *__m = (msg);					\
									\
	if (strlen(__m) < NETLINK_MAX_FMTMSG_LEN)			\
		vmq_set_err_fmt(extack, "%s", __m);			\
	else								\
		vmq_set_err_fmt(extack, "%.*s...",			\
				NETLINK_MAX_FMTMSG_LEN - 4, __m);	\
} while (0)

/*
 * A net_device for NAPI instances that belong to no NIC (software
 * steering's, one per CPU).  6.10 allocates one (alloc_netdev_dummy());
 * before, the caller provides the memory (init_dummy_netdev()).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
static inline struct net_device *vmq_compat_alloc_dummy(void)
{
	return alloc_netdev_dummy(0);
}

static inline void vmq_compat_free_dummy(struct net_device *dev)
{
	free_netdev(dev);
}
#else
#include <linux/slab.h>

static inline struct net_device *vmq_compat_alloc_dummy(void)
{
	struct net_device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (dev)
		init_dummy_netdev(dev);
	return dev;
}

static inline void vmq_compat_free_dummy(struct net_device *dev)
{
	kfree(dev);
}
#endif

/*
 * A dump's request, in one of its rounds, as a struct genl_info.  6.6
 * gave dumps one of their own (genl_info_dump(), its extack the
 * round's); on 6.1 genetlink keeps only the parsed attributes, and the
 * extack and namespace are the round's.
 */
static inline void vmq_compat_dump_info(struct netlink_callback *cb,
					struct genl_info *info)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	*info = *genl_info_dump(cb);
#else
	memset(info, 0, sizeof(*info));
	info->attrs = genl_dumpit_info(cb)->attrs;
	info->extack = cb->extack;
	genl_info_net_set(info, sock_net(cb->skb->sk));
#endif
}

#endif /* _VMQ_COMPAT_H */
