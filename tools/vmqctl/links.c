// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl daemon's view of the network devices, from rtnetlink: which
 * devices are bonds and which bond each one is enslaved to, so that it
 * can tell when a configuration naming a bond may apply anew: a bond
 * appeared, or a device joined one.  Everything else a link notification
 * says (carrier, features, statistics) is not its business.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "links.h"
#include "vmqctl.h"

/*
 * Link messages without VF information (not asked for, and never in
 * notices) are a few KiB at most; a dump packs several to a datagram.
 */
#define LINKS_BUF_SIZE	32768
#define LINKS_RCVBUF	(1 << 20)

struct link_ent {
	uint32_t ifindex;
	uint32_t master;		/* 0: none */
	bool bond;
};

struct vmq_links {
	struct mnl_socket *events;	/* RTNLGRP_LINK */
	struct link_ent *ents;
	size_t nr, size;
	bool news;			/* what was read was news */
	char buf[LINKS_BUF_SIZE] __attribute__((aligned(8)));
};

static struct link_ent *links_find(struct vmq_links *l, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->ents[i].ifindex == ifindex)
			return &l->ents[i];
	return NULL;
}

static struct link_ent *links_add(struct vmq_links *l, uint32_t ifindex)
{
	struct link_ent *grown;

	if (l->nr == l->size) {
		grown = realloc(l->ents, (l->size * 2 + 16) * sizeof(*grown));
		if (!grown)
			return NULL;
		l->ents = grown;
		l->size = l->size * 2 + 16;
	}
	l->ents[l->nr] = (struct link_ent){ .ifindex = ifindex };
	return &l->ents[l->nr++];
}

static void links_forget(struct vmq_links *l, uint32_t ifindex)
{
	struct link_ent *e = links_find(l, ifindex);

	if (e)
		*e = l->ents[--l->nr];
}

static bool links_is_bond(struct vmq_links *l, uint32_t ifindex)
{
	struct link_ent *e = links_find(l, ifindex);

	return e && e->bond;
}

static int links_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == IFLA_MASTER && mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;	/* not what it should be: ignored */
	if (type == IFLA_LINKINFO && mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return MNL_CB_OK;
	if (type == IFLA_MASTER || type == IFLA_LINKINFO)
		tb[type] = attr;
	return MNL_CB_OK;
}

static bool links_msg_is_bond(const struct nlattr *linkinfo)
{
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { NULL };
	const struct nlattr *attr;

	if (!linkinfo)
		return false;
	mnl_attr_for_each_nested(attr, linkinfo)
		if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			info[IFLA_INFO_KIND] = attr;
	return info[IFLA_INFO_KIND] &&
	       !strcmp(mnl_attr_get_str(info[IFLA_INFO_KIND]), "bond");
}

/* A device as it is now: news if it is a new bond, or newly a bond's. */
static int links_note(struct vmq_links *l, const struct ifinfomsg *ifi,
		      const struct nlattr **tb)
{
	uint32_t master = tb[IFLA_MASTER] ? mnl_attr_get_u32(tb[IFLA_MASTER]) : 0;
	bool bond = links_msg_is_bond(tb[IFLA_LINKINFO]);
	struct link_ent *e = links_find(l, (uint32_t)ifi->ifi_index);

	if (!e) {
		e = links_add(l, (uint32_t)ifi->ifi_index);
		if (!e) {
			vmq_error("out of memory");
			return MNL_CB_ERROR;
		}
		if (bond)
			l->news = true;
	}
	if (master && master != e->master && links_is_bond(l, master))
		l->news = true;
	e->master = master;
	e->bond = bond;
	return MNL_CB_OK;
}

static int links_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	struct vmq_links *l = data;
	const struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_OK;
	ifi = mnl_nlmsg_get_payload(nlh);
	/* A bridge's notices of its ports say AF_BRIDGE: not the device. */
	if (ifi->ifi_family != AF_UNSPEC)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_DELLINK) {
		links_forget(l, (uint32_t)ifi->ifi_index);
		return MNL_CB_OK;
	}
	mnl_attr_parse(nlh, sizeof(*ifi), links_attr_cb, tb);
	return links_note(l, ifi, tb);
}

/* One dump of the devices into @l. */
static int links_dump(struct vmq_links *l)
{
	struct mnl_socket *sk = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	uint32_t seq = (uint32_t)time(NULL);
	int ret = -1, err;
	ssize_t n;

	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	nlh = mnl_nlmsg_put_header(l->buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		goto out;
	do {
		n = mnl_socket_recvfrom(sk, l->buf, sizeof(l->buf));
		if (n < 0)
			goto out;
		ret = mnl_cb_run(l->buf, (size_t)n, seq,
				 mnl_socket_get_portid(sk), links_msg_cb, l);
	} while (ret > 0);
out:
	if (sk) {
		err = errno;
		mnl_socket_close(sk);
		errno = err;
	}
	return ret < 0 ? -1 : 0;
}

/*
 * Every device there is, from a dump on a socket of its own.  A dump the
 * kernel marks inconsistent (NLM_F_DUMP_INTR: devices came or went
 * meanwhile, which libmnl reports as EINTR) is asked again.
 */
static int links_fill(struct vmq_links *l)
{
	int ret, tries = 0;

	do {
		l->nr = 0;
		ret = links_dump(l);
	} while (ret && errno == EINTR && ++tries < 10);
	/* What was there already is not news. */
	l->news = false;
	if (ret)
		vmq_error("listing network devices: %s", strerror(errno));
	return ret;
}

/*
 * Room for the bursts a restore itself causes (every member's features,
 * a driver reset) while the daemon is busy with it: an overrun costs a
 * dump and a needless restore.
 */
static int links_grow_rcvbuf(struct mnl_socket *sk)
{
	int size = LINKS_RCVBUF;

	return setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUF,
			  &size, sizeof(size));
}

struct vmq_links *vmq_links_open(void)
{
	struct vmq_links *l = calloc(1, sizeof(*l));

	if (!l) {
		vmq_error("out of memory");
		return NULL;
	}
	/* Subscribed before the dump: no change falls between the two. */
	l->events = mnl_socket_open(NETLINK_ROUTE);
	if (!l->events ||
	    mnl_socket_bind(l->events, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0 ||
	    links_grow_rcvbuf(l->events)) {
		vmq_error("listening to network devices: %s", strerror(errno));
		vmq_links_close(l);
		return NULL;
	}
	if (links_fill(l)) {
		vmq_links_close(l);
		return NULL;
	}
	return l;
}

void vmq_links_close(struct vmq_links *l)
{
	if (!l)
		return;
	if (l->events)
		mnl_socket_close(l->events);
	free(l->ents);
	free(l);
}

int vmq_links_fd(const struct vmq_links *l)
{
	return mnl_socket_get_fd(l->events);
}

int vmq_links_read(struct vmq_links *l)
{
	ssize_t n;

	n = mnl_socket_recvfrom(l->events, l->buf, sizeof(l->buf));
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		if (errno != ENOBUFS) {
			vmq_error("receiving device notices: %s",
				  strerror(errno));
			return -1;
		}
		/* Some were lost: start afresh, and take it as news. */
		if (links_fill(l))
			return -1;
		return 1;
	}
	l->news = false;
	if (mnl_cb_run(l->buf, (size_t)n, 0, 0, links_msg_cb, l) < 0)
		return -1;
	return l->news;
}
