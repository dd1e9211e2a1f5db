/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Narrowing a NIC's RSS table to its default queues.  Knows NICs, not
 * teams.
 */
#ifndef _VMQ_RSS_H
#define _VMQ_RSS_H

#include <linux/netdevice.h>
#include <linux/types.h>

/* What vmq did to one NIC's indirection table, and must give back. */
struct vmq_rss {
	u32 *saved;			/* the table to give back, or NULL */
	u32 size;			/* its size, and the NIC's when saved */
	bool saved_configured;		/* it was a user's (IFF_RXFH_CONFIGURED) */
	int restore_err;		/* the last restore's errno, if it failed */
	/* the narrowed table spreads over @spread of @spread_for queues */
	unsigned int spread, spread_for;
};

enum vmq_rss_outcome {
	VMQ_RSS_AS_WANTED,
	VMQ_RSS_CHANGED,		/* narrowed, or given back, as wanted */
	VMQ_RSS_REPAIRED,		/* someone else's table, saved, narrowed */
	VMQ_RSS_FAILED,
};

enum vmq_rss_outcome vmq_rss_sync(struct net_device *dev, struct vmq_rss *rss,
				  unsigned int default_queues, bool want,
				  bool verify);
int vmq_rss_restore(struct net_device *dev, struct vmq_rss *rss);
void vmq_rss_release(struct net_device *dev, struct vmq_rss *rss);
void vmq_rss_forget(struct vmq_rss *rss);
unsigned int vmq_rss_undo_retry(void);
bool vmq_rss_undo_owed(void);
void vmq_rss_undo_forget(struct net_device *dev);
void vmq_rss_undo_exit(void);

static inline bool vmq_rss_narrowed(const struct vmq_rss *rss)
{
	return rss->saved;
}

#endif /* _VMQ_RSS_H */
