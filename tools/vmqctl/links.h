/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmqctl daemon: news of bonds from rtnetlink (links.c).
 */
#ifndef VMQCTL_LINKS_H
#define VMQCTL_LINKS_H

struct vmq_links;

/*
 * Listen to the network devices of this namespace, knowing those there
 * already; NULL after saying why.
 */
struct vmq_links *vmq_links_open(void);
void vmq_links_close(struct vmq_links *l);

/* The socket, for poll(). */
int vmq_links_fd(const struct vmq_links *l);

/*
 * Read one datagram of notices: 1 if a bond appeared or a device joined
 * a bond (or notices were lost, so it may have), 0 if nothing of the
 * kind, -1 after saying why the socket failed.
 */
int vmq_links_read(struct vmq_links *l);

#endif /* VMQCTL_LINKS_H */
