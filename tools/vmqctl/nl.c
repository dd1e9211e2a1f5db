// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl netlink layer: opens a generic netlink socket with extended acks,
 * resolves the vmq family with CTRL_CMD_GETFAMILY, sends requests and reads
 * replies, acks and multipart dumps, and reports the kernel's errors with
 * the message (and offending attribute) of the extended ack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vmq.h>

#include "nl.h"
#include "vmqctl.h"

/*
 * Enough for a dump skb (the kernel caps them at 32 KiB); a reply of one
 * big object (a plan's CPU sets on a host of thousands of CPUs) grows it.
 */
#define NL_RX_SIZE	32768

/* Why the last request failed, and what the extended ack said. */
struct nl_error {
	int code;			/* positive errno; 0: no error */
	char msg[256];			/* NLMSGERR_ATTR_MSG, or what failed */
	bool has_offs;
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS */
	bool has_miss;
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
	bool miss_in_nest;		/* NLMSGERR_ATTR_MISS_NEST given */
};

struct vmq_nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t monitor_group;		/* 0: the family has none */
	bool stale;
	struct nl_error err;
	char tx[VMQ_NL_REQ_SIZE] __attribute__((aligned(8)));
	char *rx;			/* malloc()ed: aligned for any type */
	size_t rx_size;
};

/*
 * Read one datagram into nl->rx, grown to fit it first: libmnl would
 * fail a message longer than its buffer with ENOSPC.
 */
static ssize_t nl_recv(struct vmq_nl *nl)
{
	ssize_t need;
	char *grown;

	need = recv(mnl_socket_get_fd(nl->sk), NULL, 0, MSG_PEEK | MSG_TRUNC);
	if (need < 0)
		return -1;
	if ((size_t)need > nl->rx_size) {
		grown = realloc(nl->rx, (size_t)need);
		if (!grown)
			return -1;
		nl->rx = grown;
		nl->rx_size = (size_t)need;
	}
	return mnl_socket_recvfrom(nl->sk, nl->rx, nl->rx_size);
}

/* One request in flight: passed to every callback as their data. */
struct nl_talk {
	struct vmq_nl *nl;
	struct nlmsghdr *req;
	const struct vmq_attr_set *set;
	mnl_cb_t cb;
	void *data;
	bool cb_failed;
	/* a dump: its messages held until it is known to be consistent */
	bool dump;
	bool intr;			/* ... and the kernel said it was not */
	char *held;
	size_t held_len, held_size;
};

static int nl_fail(struct vmq_nl *nl, int code, const char *what)
{
	nl->err.code = code ? code : EPROTO;
	snprintf(nl->err.msg, sizeof(nl->err.msg), "%s", what);
	return -1;
}

/* ---- building requests ---- */

static struct nlmsghdr *nl_req_init(struct vmq_nl *nl, uint16_t family,
				    uint8_t version, uint8_t cmd,
				    uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(nl->tx, 0, sizeof(nl->tx));
	nlh = mnl_nlmsg_put_header(nl->tx);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	if (!(flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *vmq_nl_req(struct vmq_nl *nl, uint8_t cmd, uint16_t flags)
{
	return nl_req_init(nl, nl->family, VMQ_FAMILY_VERSION, cmd, flags);
}

/* ---- parsing replies ---- */

struct nl_parse {
	const struct vmq_attr_set *set;
	const struct nlattr **tb;	/* NULL: only check */
};

static int nl_parse_attr_cb(const struct nlattr *attr, void *data);

static int nl_check_nest(const struct nlattr *attr,
			 const struct vmq_attr_set *set)
{
	struct nl_parse p = { .set = set };

	return mnl_attr_parse_nested(attr, nl_parse_attr_cb, &p);
}

static int nl_parse_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nl_parse *p = data;
	uint16_t type = mnl_attr_get_type(attr);
	const struct vmq_attr_desc *desc;

	if (type > p->set->max)
		return MNL_CB_OK;	/* from a newer kernel */
	desc = &p->set->attrs[type];
	if (desc->type != MNL_TYPE_UNSPEC &&
	    (desc->len ? mnl_attr_validate2(attr, desc->type, desc->len) :
			 mnl_attr_validate(attr, desc->type)) < 0) {
		vmq_error("malformed attribute %s.%s in the kernel's reply",
			  p->set->name, desc->name ? desc->name : "?");
		return MNL_CB_ERROR;
	}
	if (desc->nest && nl_check_nest(attr, desc->nest) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (p->tb)
		p->tb[type] = attr;
	return MNL_CB_OK;
}

int vmq_nl_parse(const struct nlmsghdr *nlh, const struct vmq_attr_set *set,
		 const struct nlattr **tb)
{
	struct nl_parse p = { .set = set, .tb = tb };

	memset(tb, 0, (set->max + 1) * sizeof(*tb));
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
			      nl_parse_attr_cb, &p);
}

int vmq_nl_parse_nested(const struct nlattr *nest,
			const struct vmq_attr_set *set,
			const struct nlattr **tb)
{
	struct nl_parse p = { .set = set, .tb = tb };

	memset(tb, 0, (set->max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, nl_parse_attr_cb, &p);
}

/* ---- extended ack ---- */

static int nl_extack_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type want;

	switch (type) {
	case NLMSGERR_ATTR_MSG:
		want = MNL_TYPE_NUL_STRING;
		break;
	case NLMSGERR_ATTR_OFFS:
	case NLMSGERR_ATTR_MISS_TYPE:
	case NLMSGERR_ATTR_MISS_NEST:
		want = MNL_TYPE_U32;
		break;
	default:
		return MNL_CB_OK;	/* cookie, policy, or newer */
	}
	if (mnl_attr_validate(attr, want) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* Record the TLVs found @hlen bytes into the payload of an error or done. */
static void nl_parse_extack(struct vmq_nl *nl, const struct nlmsghdr *nlh,
			    size_t hlen)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	struct nl_error *err = &nl->err;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    hlen >= mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, (unsigned int)hlen, nl_extack_attr_cb, tb);

	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(err->msg, sizeof(err->msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		err->has_offs = true;
		err->offs = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		err->has_miss = true;
		err->miss_type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		err->miss_in_nest = tb[NLMSGERR_ATTR_MISS_NEST];
	}
}

/* Name of attribute @type of @set, if it has one. */
static const char *nl_attr_name(const struct vmq_attr_set *set,
				uint32_t type)
{
	if (!set || type > set->max)
		return NULL;
	return set->attrs[type].name;
}

/* Which attribute of the request begins @offs bytes into it? */
static const char *nl_attr_at(const struct nl_talk *t, uint32_t offs)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, t->req, sizeof(struct genlmsghdr)) {
		if ((const char *)attr - (const char *)t->req == (long)offs)
			return nl_attr_name(t->set,
					    mnl_attr_get_type(attr));
	}
	return NULL;
}

/* "attribute team.ifname" or "missing attribute team.ifname", or "". */
static void nl_describe_attr(const struct nl_talk *t, char *buf,
			     size_t len)
{
	const struct nl_error *err = &t->nl->err;
	const char *name;

	buf[0] = '\0';
	if (err->has_miss && !err->miss_in_nest) {
		name = nl_attr_name(t->set, err->miss_type);
		if (name)
			snprintf(buf, len, "missing attribute %s.%s",
				 t->set->name, name);
		else
			snprintf(buf, len, "missing attribute %u",
				 err->miss_type);
	} else if (err->has_offs) {
		name = nl_attr_at(t, err->offs);
		if (name)
			snprintf(buf, len, "attribute %s.%s",
				 t->set->name, name);
	}
}

/* vmqctl: <message>[: <attribute>] (<strerror>), or vmqctl: <strerror> */
static void nl_print_error(const struct nl_talk *t)
{
	const struct nl_error *err = &t->nl->err;
	char attr[128];

	nl_describe_attr(t, attr, sizeof(attr));
	if (err->msg[0] && attr[0])
		vmq_error("%s: %s (%s)", err->msg, attr, strerror(err->code));
	else if (err->msg[0] || attr[0])
		vmq_error("%s (%s)", err->msg[0] ? err->msg : attr,
			  strerror(err->code));
	else
		vmq_error("%s", strerror(err->code));
}

/* ---- receiving ---- */

/* Keep a copy of one message of a dump. */
static int nl_hold(struct nl_talk *t, const struct nlmsghdr *nlh)
{
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);
	char *p;

	if (t->held_len + len > t->held_size) {
		size_t size = t->held_size ? t->held_size * 2 : 65536;

		while (size < t->held_len + len)
			size *= 2;
		p = realloc(t->held, size);
		if (!p) {
			/* The rest of the dump is left unread in the socket. */
			t->nl->stale = true;
			return nl_fail(t->nl, ENOMEM, "out of memory for the dump");
		}
		t->held = p;
		t->held_size = size;
	}
	memcpy(t->held + t->held_len, nlh, nlh->nlmsg_len);
	t->held_len += len;
	return 0;
}

static void nl_deliver(struct nl_talk *t, const struct nlmsghdr *nlh)
{
	if (t->cb_failed || !t->cb)
		return;			/* drain the rest of a dump */
	if (t->cb(nlh, t->data) == MNL_CB_ERROR)
		t->cb_failed = true;
}

static int nl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk *t = data;

	if (!t->dump) {
		nl_deliver(t, nlh);
		return MNL_CB_OK;
	}
	return nl_hold(t, nlh) ? MNL_CB_ERROR : MNL_CB_OK;
}

/*
 * libmnl stops at a message marked NLM_F_DUMP_INTR, with EINTR, and
 * leaves the rest of the dump unread.  The mark is noted here and taken
 * off, so that the dump is read to its end, and asked for again.
 */
static void nl_take_intr(struct nl_talk *t, void *buf, size_t len)
{
	struct nlmsghdr *nlh = buf;
	int rem = (int)len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
			t->intr = true;
		}
	}
}

/* The dump's messages, as they came, to the caller's callback. */
static void nl_deliver_held(struct nl_talk *t)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)t->held;
	int len = (int)t->held_len;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		nl_deliver(t, nlh);
}

static int nl_noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct nl_talk *t = data;
	struct vmq_nl *nl = t->nl;
	size_t hlen = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		nl_fail(nl, EBADMSG, "truncated netlink error message");
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += mnl_nlmsg_get_payload_len(&e->msg);
	nl_parse_extack(nl, nlh, hlen);

	if (e->error) {
		nl->err.code = e->error < 0 ? -e->error : e->error;
		/* The genetlink core's own refusal (GENL_ADMIN_PERM) says no more. */
		if (nl->err.code == EPERM && !nl->err.msg[0])
			snprintf(nl->err.msg, sizeof(nl->err.msg), "%s",
				 "vmq changes host-wide IRQ affinity: CAP_NET_ADMIN in the initial user namespace is required");
		return MNL_CB_ERROR;
	}
	if (nl->err.msg[0])
		vmq_error("warning: %s", nl->err.msg);
	nl->err.msg[0] = '\0';
	return MNL_CB_STOP;
}

/* The end of a dump: carries the dump's error, if any, and its extack. */
static int nl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk *t = data;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	nl_parse_extack(t->nl, nlh, sizeof(error));
	if (error < 0) {
		t->nl->err.code = -error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int nl_overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_talk *t = data;

	(void)nlh;
	nl_fail(t->nl, ENOBUFS, "netlink overrun");
	return MNL_CB_ERROR;
}

/* not const: libmnl before 1.0.5 takes a non-const array */
static mnl_cb_t nl_ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP]	= nl_noop_cb,
	[NLMSG_ERROR]	= nl_error_cb,
	[NLMSG_DONE]	= nl_done_cb,
	[NLMSG_OVERRUN]	= nl_overrun_cb,
};

static int nl_recv_replies(struct nl_talk *t)
{
	struct vmq_nl *nl = t->nl;
	ssize_t len;
	int ret;

	do {
		len = nl_recv(nl);
		if (len < 0) {
			nl->stale = true;
			return nl_fail(nl, errno, "cannot read netlink reply");
		}
		errno = 0;
		nl_take_intr(t, nl->rx, (size_t)len);
		ret = mnl_cb_run2(nl->rx, (size_t)len, t->req->nlmsg_seq,
				  nl->portid, nl_data_cb, t,
				  nl_ctl_cbs, ARRAY_SIZE(nl_ctl_cbs));
	} while (ret == MNL_CB_OK);

	if (ret == MNL_CB_ERROR && !nl->err.code) {
		/* libmnl's own checks: sequence, port id, framing */
		nl->stale = true;
		return nl_fail(nl, errno, "unexpected netlink reply");
	}
	return ret == MNL_CB_ERROR || t->cb_failed ? -1 : 0;
}

static int nl_talk_once(struct nl_talk *t)
{
	struct vmq_nl *nl = t->nl;

	memset(&nl->err, 0, sizeof(nl->err));
	if (mnl_socket_sendto(nl->sk, t->req, t->req->nlmsg_len) < 0)
		return nl_fail(nl, errno, "cannot send netlink request");
	return nl_recv_replies(t);
}

/*
 * A dump the kernel marks interrupted (NLM_F_DUMP_INTR: VMs or adapters
 * came or went while it was read) is asked for again, this many times
 * in all, before it is shown as it is, with a warning.
 */
#define NL_DUMP_TRIES	5

/* Send and receive without printing errors: they are left in nl->err. */
static int nl_talk(struct nl_talk *t)
{
	int tries = 0, ret = 0;

	t->dump = t->req->nlmsg_flags & NLM_F_DUMP;
	do {
		/* Each try its own sequence number. */
		if (tries)
			t->req->nlmsg_seq = ++t->nl->seq;
		t->held_len = 0;
		t->intr = false;
		ret = nl_talk_once(t);
	} while (!ret && t->intr && ++tries < NL_DUMP_TRIES);
	if (!ret && t->intr)
		vmq_error("warning: the dump was interrupted %d times by changes; it may be inconsistent",
			  NL_DUMP_TRIES);
	if (!ret && t->dump)
		nl_deliver_held(t);
	free(t->held);
	t->held = NULL;
	t->held_size = 0;
	return ret || t->cb_failed ? -1 : 0;
}

int vmq_nl_talk(struct vmq_nl *nl, struct nlmsghdr *req,
		const struct vmq_attr_set *set, mnl_cb_t cb, void *data)
{
	struct nl_talk t = {
		.nl = nl, .req = req, .set = set, .cb = cb, .data = data,
	};

	if (!nl_talk(&t))
		return 0;
	if (nl->err.code)
		nl_print_error(&t);
	return -1;
}

int vmq_nl_talk_unless(struct vmq_nl *nl, struct nlmsghdr *req,
		       const struct vmq_attr_set *set, int quiet)
{
	struct nl_talk t = { .nl = nl, .req = req, .set = set };

	if (!nl_talk(&t))
		return 0;
	if (nl->err.code == quiet)
		return -quiet;
	if (nl->err.code)
		nl_print_error(&t);
	return -1;
}

/* ---- resolving the family ---- */

static const struct vmq_attr_desc ctrl_attrs[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .name = "family-id", .type = MNL_TYPE_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { .name = "family-name",
				    .type = MNL_TYPE_NUL_STRING },
	[CTRL_ATTR_MCAST_GROUPS] = { .name = "mcast-groups",
				     .type = MNL_TYPE_NESTED },
};

/* One entry of CTRL_ATTR_MCAST_GROUPS: remember the monitor group's id. */
static void nl_note_group(struct vmq_nl *nl, const struct nlattr *grp)
{
	const struct nlattr *a, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			name = a;
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
		    !mnl_attr_validate(a, MNL_TYPE_U32))
			id = a;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), VMQ_MCGRP_MONITOR))
		nl->monitor_group = mnl_attr_get_u32(id);
}

static const struct vmq_attr_set ctrl_set = {
	.name	= "ctrl",
	.max	= CTRL_ATTR_MAX,
	.attrs	= ctrl_attrs,
};

static int nl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct vmq_nl *nl = data;

	if (vmq_nl_parse(nlh, &ctrl_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (tb[CTRL_ATTR_FAMILY_ID])
		nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *grp;

		mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS])
			nl_note_group(nl, grp);
	}
	return MNL_CB_OK;
}

static int nl_resolve_family(struct vmq_nl *nl)
{
	struct nl_talk t = { .nl = nl, .set = &ctrl_set, .cb = nl_family_cb,
			     .data = nl };
	struct nlmsghdr *req;

	req = nl_req_init(nl, GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, VMQ_FAMILY_NAME);
	t.req = req;

	if (!nl_talk(&t)) {
		if (nl->family)
			return 0;
		vmq_error("%s: no family id in the controller's reply",
			  VMQ_FAMILY_NAME);
		return -1;
	}
	if (nl->err.code == ENOENT)
		vmq_error("%s: generic netlink family not found; is the vmq module loaded?",
			  VMQ_FAMILY_NAME);
	else if (nl->err.code)
		nl_print_error(&t);
	return -1;
}

/* ---- the socket ---- */

/* Ask for extended acks, without the request echoed back in errors. */
static void nl_enable_ext_ack(struct mnl_socket *sk)
{
	int one = 1;

	/* Kernels without them (< 4.12) still work, with plainer errors. */
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one));
}

static int nl_open_socket(struct vmq_nl *nl)
{
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk) {
		vmq_error("cannot open a generic netlink socket (%s)",
			  strerror(errno));
		return -1;
	}
	nl_enable_ext_ack(nl->sk);
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		vmq_error("cannot bind the netlink socket (%s)",
			  strerror(errno));
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	return 0;
}

struct vmq_nl *vmq_nl_open(void)
{
	struct vmq_nl *nl = calloc(1, sizeof(*nl));

	if (!nl || !(nl->rx = malloc(NL_RX_SIZE))) {
		vmq_error("%s", strerror(errno));
		free(nl);
		return NULL;
	}
	nl->rx_size = NL_RX_SIZE;
	if (nl_open_socket(nl) || nl_resolve_family(nl)) {
		vmq_nl_close(nl);
		return NULL;
	}
	return nl;
}

void vmq_nl_close(struct vmq_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->rx);
	free(nl);
}

bool vmq_nl_stale(const struct vmq_nl *nl)
{
	return nl->stale;
}

/* ---- the monitor group ---- */

/*
 * A failover re-places every VM of a member at once, an event each: room
 * for a burst, as ip monitor asks for (iproute2's rtnl_open()).  Root may
 * go past net.core.rmem_max; anyone else gets what the sysctl allows.
 */
#define VMQ_MONITOR_RCVBUF	(1024 * 1024)

static void nl_grow_rcvbuf(struct vmq_nl *nl)
{
	int fd = mnl_socket_get_fd(nl->sk);
	int len = VMQ_MONITOR_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &len, sizeof(len)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &len, sizeof(len));
}

int vmq_nl_subscribe_monitor(struct vmq_nl *nl)
{
	int grp = (int)nl->monitor_group;

	if (!grp) {
		vmq_error("%s: the kernel's family has no %s group",
			  VMQ_FAMILY_NAME, VMQ_MCGRP_MONITOR);
		return -1;
	}
	nl_grow_rcvbuf(nl);
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		vmq_error("cannot join the %s group (%s)", VMQ_MCGRP_MONITOR,
			  strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- the controller's notify group ---- */

int vmq_nl_subscribe_families(struct vmq_nl *nl)
{
	/*
	 * nlctrl's one group, "notify", has a fixed id: the controller's
	 * own family id (genl_validate_assign_mc_groups()).
	 */
	int grp = GENL_ID_CTRL;

	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		vmq_error("cannot join nlctrl's notify group (%s)",
			  strerror(errno));
		return -1;
	}
	return 0;
}

int vmq_nl_family_event(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN ||
	    (genl->cmd != CTRL_CMD_NEWFAMILY && genl->cmd != CTRL_CMD_DELFAMILY))
		return 0;
	if (vmq_nl_parse(nlh, &ctrl_set, tb) != MNL_CB_OK ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]),
		   VMQ_FAMILY_NAME))
		return 0;
	return genl->cmd;
}

int vmq_nl_fd(const struct vmq_nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

int vmq_nl_listen_once(struct vmq_nl *nl, mnl_cb_t cb,
		       void (*lost)(void *data), void *data)
{
	ssize_t n;

	n = nl_recv(nl);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		if (errno == ENOBUFS) {
			vmq_error("events were lost: the socket's buffer overran");
			if (lost)
				lost(data);
			return 0;
		}
		vmq_error("receiving events: %s", strerror(errno));
	} else if (mnl_cb_run(nl->rx, (size_t)n, 0, 0, cb, data) >= 0) {
		return 0;
	}
	/* Still in the group: events would pass for the next reply. */
	nl->stale = true;
	return -1;
}

/* Feed notifications to @cb until it fails or the socket does. */
int vmq_nl_listen(struct vmq_nl *nl, mnl_cb_t cb, void (*lost)(void *data),
		  void *data)
{
	while (!vmq_nl_listen_once(nl, cb, lost, data))
		;
	return -1;
}
