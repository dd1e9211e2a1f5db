// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line helpers for compat.h: what older kernels lack.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/netlink.h>

#include "compat.h"

#ifndef NL_SET_ERR_MSG_FMT
static char vmq_compat_msgs[VMQ_COMPAT_MSG_SLOTS][NETLINK_MAX_FMTMSG_LEN];
static atomic_t vmq_compat_msg_next = ATOMIC_INIT(0);

void vmq_compat_set_err_fmt(struct netlink_ext_ack *extack,
			    const char *fmt, ...)
{
	unsigned int slot;
	va_list args;
	char *buf;

	if (!extack)
		return;
	slot = (unsigned int)atomic_inc_return(&vmq_compat_msg_next);
	buf = vmq_compat_msgs[slot % VMQ_COMPAT_MSG_SLOTS];
	va_start(args, fmt);
	vsnprintf(buf, NETLINK_MAX_FMTMSG_LEN, fmt, args);
	va_end(args);
	extack->_msg = buf;
}
#endif
