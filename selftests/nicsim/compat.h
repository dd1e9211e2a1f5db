/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels nicsim supports (Debian's 6.1 and
 * 6.12) lives here, and nowhere else.
 */
#ifndef _NICSIM_COMPAT_H
#define _NICSIM_COMPAT_H

#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/irq.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include <linux/version.h>

/*
 * True if the headers nicsim is built against are release maj.min or
 * later.  Spelled with the MAJOR/PATCHLEVEL macros because checkpatch
 * rejects the usual LINUX_VERSION_CODE, rightly for in-tree code; an
 * out-of-tree module has to ask, and this header is the only place that
 * does.
 */
#define NICSIM_KERNEL_AT_LEAST(maj, min)				\
	(KERNEL_VERSION(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL, 0) >= \
	 KERNEL_VERSION(maj, min, 0))

/*
 * The bus, typed as struct device points to it: the driver core made
 * bus_type const around 6.4 (struct device's pointer, bus_register(), the
 * bus attribute callbacks), and bus_register() of 6.1 still writes to it.
 */
#define nicsim_bus_type_t typeof(*((struct device *)NULL)->bus)

/*
 * Up to 6.12 an interrupt's affinity changes at once, from the writer's
 * process context, only if IRQ_MOVE_PCNTXT is set; otherwise x86's
 * GENERIC_PENDING_IRQ code parks the new mask until the interrupt is next
 * acked, which handle_simple_irq never does, and the move would never
 * happen.  6.13 turned the flag around (IRQCHIP_MOVE_DEFERRED on the chip
 * asks for deferral), so there nicsim's chip needs nothing.
 */
#if !NICSIM_KERNEL_AT_LEAST(6, 13)
#define NICSIM_IRQ_MOVE_FLAGS	IRQ_MOVE_PCNTXT
#else
#define NICSIM_IRQ_MOVE_FLAGS	0
#endif

/*
 * 6.8 passes get_rxfh/set_rxfh a struct ethtool_rxfh_param (and set_rxfh
 * an extack) instead of (indir, key, hfunc).  nicsim implements the old
 * shape; these adapt it to the new one.
 */
int nicsim_get_rxfh(struct net_device *dev, u32 *indir, u8 *key, u8 *hfunc);
int nicsim_set_rxfh(struct net_device *dev, const u32 *indir, const u8 *key,
		    const u8 hfunc);

#if NICSIM_KERNEL_AT_LEAST(6, 8)
static inline int nicsim_compat_get_rxfh(struct net_device *dev,
					 struct ethtool_rxfh_param *rxfh)
{
	return nicsim_get_rxfh(dev, rxfh->indir, rxfh->key, &rxfh->hfunc);
}

/*
 * RSS contexts and input transformations are refused by the core, which
 * sees no cap_rss_ctx_supported and no supported_input_xfrm.
 */
static inline int nicsim_compat_set_rxfh(struct net_device *dev,
					 struct ethtool_rxfh_param *rxfh,
					 struct netlink_ext_ack *extack)
{
	return nicsim_set_rxfh(dev, rxfh->indir, rxfh->key, rxfh->hfunc);
}
#else
#define nicsim_compat_get_rxfh	nicsim_get_rxfh
#define nicsim_compat_set_rxfh	nicsim_set_rxfh
#endif

/*
 * 6.8 lets drivers tell the core which NAPI serves a queue and which IRQ
 * drives a NAPI (netdev-genl's queue-get and napi-get), under RTNL.  On
 * 6.1 the API does not exist and nicsim, like igb or virtio_net on 6.12,
 * does not report the link.
 */
#if NICSIM_KERNEL_AT_LEAST(6, 8)
static inline void nicsim_queue_link_vector(struct net_device *dev,
					    unsigned int queue,
					    struct napi_struct *napi, int irq)
{
	netif_napi_set_irq(napi, irq);
	netif_queue_set_napi(dev, queue, NETDEV_QUEUE_TYPE_RX, napi);
}

static inline void nicsim_queue_unlink_vector(struct net_device *dev,
					      unsigned int queue,
					      struct napi_struct *napi)
{
	netif_queue_set_napi(dev, queue, NETDEV_QUEUE_TYPE_RX, NULL);
	netif_napi_set_irq(napi, -1);
}
#else
static inline void nicsim_queue_link_vector(struct net_device *dev,
					    unsigned int queue,
					    struct napi_struct *napi, int irq)
{
}

static inline void nicsim_queue_unlink_vector(struct net_device *dev,
					      unsigned int queue,
					      struct napi_struct *napi)
{
}
#endif

/* DEFINE_SHOW_STORE_ATTRIBUTE() came in 6.2: 6.12's, for 6.1. */
#ifndef DEFINE_SHOW_STORE_ATTRIBUTE
#define DEFINE_SHOW_STORE_ATTRIBUTE(__name)				\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {			\
	.owner		= THIS_MODULE,					\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.write		= __name ## _write,				\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}
#endif

/*
 * What a profile's driver does on the kernel nicsim runs on: 6.12's ice
 * and bnxt take ETHER_FLOW rules and link queues to their NAPIs, 6.1's
 * do neither (see profile.c).
 */
#define NICSIM_KERNEL_6_12	NICSIM_KERNEL_AT_LEAST(6, 12)

#endif /* _NICSIM_COMPAT_H */
