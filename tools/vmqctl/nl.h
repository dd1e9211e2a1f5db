/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmqctl netlink layer: a generic netlink socket bound to the vmq family.
 */
#ifndef VMQCTL_NL_H
#define VMQCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct vmq_nl;

/*
 * An attribute set of the protocol, as in the ynl spec: names for error
 * messages, and the type each attribute must have in a reply.  Attributes
 * typed MNL_TYPE_UNSPEC are not checked; with @nest set, a nest's contents
 * are checked against that set too; with @len set, the payload must be
 * exactly that long (a binary's exact-len).  Attributes above @max (from a
 * newer kernel) are ignored.
 */
struct vmq_attr_desc {
	const char *name;
	enum mnl_attr_data_type type;
	const struct vmq_attr_set *nest;
	size_t len;
};

struct vmq_attr_set {
	const char *name;
	unsigned int max;
	const struct vmq_attr_desc *attrs;	/* max + 1 entries */
};

/* Open a socket and resolve the vmq family; NULL after saying why. */
struct vmq_nl *vmq_nl_open(void);
void vmq_nl_close(struct vmq_nl *nl);

/* Did the socket lose track of the replies it reads, so must be reopened? */
bool vmq_nl_stale(const struct vmq_nl *nl);

/*
 * Start a vmq request (genetlink header included) in @nl's buffer, which
 * holds VMQ_NL_REQ_SIZE bytes.  @flags is 0 for a "do" (acked) or
 * NLM_F_DUMP for a dump.
 */
#define VMQ_NL_REQ_SIZE	4096
struct nlmsghdr *vmq_nl_req(struct vmq_nl *nl, uint8_t cmd, uint16_t flags);

/*
 * Send @req and feed each reply message to @cb until the ack or the end
 * of the dump.  @set names the request's attributes in error messages.
 * Returns 0, or -1 after printing why (a @cb returning MNL_CB_ERROR must
 * print its own message; the rest of a dump is then read and dropped).
 */
int vmq_nl_talk(struct vmq_nl *nl, struct nlmsghdr *req,
		const struct vmq_attr_set *set, mnl_cb_t cb, void *data);

/*
 * As vmq_nl_talk() with no callback, but a refusal with errno @quiet is
 * not printed: it returns -@quiet, for the caller to judge.  Returns 0,
 * -@quiet, or -1 after printing why.
 */
int vmq_nl_talk_unless(struct vmq_nl *nl, struct nlmsghdr *req,
		       const struct vmq_attr_set *set, int quiet);

/*
 * Check a reply's attributes against @set and index them by type in @tb
 * (set->max + 1 entries; for multi-attrs the last one is kept).  Return
 * MNL_CB_OK, or MNL_CB_ERROR after printing which attribute is malformed.
 */
int vmq_nl_parse(const struct nlmsghdr *nlh, const struct vmq_attr_set *set,
		 const struct nlattr **tb);
int vmq_nl_parse_nested(const struct nlattr *nest,
			const struct vmq_attr_set *set,
			const struct nlattr **tb);

/* Join the vmq family's monitor group; -1 after saying why. */
int vmq_nl_subscribe_monitor(struct vmq_nl *nl);

/*
 * Join nlctrl's notify group, which tells of families registered and
 * unregistered (in every network namespace); -1 after saying why.
 */
int vmq_nl_subscribe_families(struct vmq_nl *nl);

/*
 * CTRL_CMD_NEWFAMILY or CTRL_CMD_DELFAMILY if @nlh is nlctrl's notice of
 * the vmq family registered or gone; else 0.
 */
int vmq_nl_family_event(const struct nlmsghdr *nlh);

/*
 * Feed each notification to @cb, until @cb or the socket fails.  If the
 * socket's buffer overran, events were lost: @lost (if not NULL) is
 * called, to find out afresh what they would have said.
 */
int vmq_nl_listen(struct vmq_nl *nl, mnl_cb_t cb, void (*lost)(void *data),
		  void *data);

/* The socket, for poll(): readable when vmq_nl_listen_once() won't block. */
int vmq_nl_fd(const struct vmq_nl *nl);

/*
 * One datagram of vmq_nl_listen(): 0 to go on, or -1 once @cb or the
 * socket failed.
 */
int vmq_nl_listen_once(struct vmq_nl *nl, mnl_cb_t cb,
		       void (*lost)(void *data), void *data);

#endif /* VMQCTL_NL_H */
