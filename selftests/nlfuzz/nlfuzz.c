// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: bad input for the vmq generic netlink family, sent as raw
 * netlink, past everything vmqctl checks before it sends.
 *
 *   nlfuzz cases BOND MEMBER NONBOND OTHERNS MSI_IRQ OFFLINE_CPU
 *	Every crafted bad request, as TAP, one test each: each must be
 *	refused with the errno it calls for and an extack message, and
 *	where one attribute is at fault, the extack must point at it (or
 *	name it as missing).  BOND is an attached bond's ifindex, MEMBER
 *	one of its members', NONBOND a device that is no bond, OTHERNS an
 *	ifindex that exists only in another network namespace, MSI_IRQ
 *	another device's MSI vector, OFFLINE_CPU a CPU that is offline.
 *   nlfuzz random SEED COUNT SECONDS BOND MEMBER
 *	A seeded mix of valid requests and requests with bytes, lengths
 *	and types changed, at most COUNT or SECONDS; every one must be
 *	answered.  Prints how many were refused and how many accepted.
 *   nlfuzz dump-intr BOND
 *	A dump of BOND's VMs read in parts, once as it is and once with a
 *	VM added after the first part: the second, not the first, must be
 *	marked NLM_F_DUMP_INTR.
 *   nlfuzz unprivileged BOND
 *	A vm-add the policy refuses: without CAP_NET_ADMIN it must be
 *	EPERM, the genetlink core's refusal before the request is parsed.
 *	Then team-plan: its apply must be EPERM with vmq's message, and
 *	the plan alone answered.
 *
 * The caller compares vmq's state before and after (selftests/vmq/
 * nl_fuzz.sh): a refused request must change nothing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vmq.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_ERRS	3

static struct mnl_socket *sk;
static uint16_t family;
static uint32_t seq;
static char rx[65536];

/* What the kernel answered a request. */
struct answer {
	int err;			/* 0, or a positive errno */
	char msg[256];			/* NLMSGERR_ATTR_MSG */
	long offs;			/* NLMSGERR_ATTR_OFFS, or -1 */
	long miss;			/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
};

/* A request being built, and where its bad attribute starts. */
struct req {
	char buf[4096];
	struct nlmsghdr *nlh;
	long bad;			/* offset of the attribute at fault, or -1 */
};

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data);
}

static void nl_open(void)
{
	struct timeval tv = { .tv_sec = 10 };
	char buf[8192];
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	int one = 1;
	ssize_t n;

	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket");
	mnl_socket_setsockopt(sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VMQ_FAMILY_NAME);
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	n = mnl_socket_recvfrom(sk, buf, sizeof(buf));
	if (n < 0 || mnl_cb_run(buf, n, seq, 0, family_cb, &family) < 0 ||
	    !family) {
		fprintf(stderr, "nlfuzz: no %s family: is vmq loaded?\n",
			VMQ_FAMILY_NAME);
		exit(2);
	}
}

static struct nlmsghdr *req_start(struct req *r, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(r->buf, 0, sizeof(r->buf));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = family;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VMQ_FAMILY_VERSION;
	r->bad = -1;
	return r->nlh;
}

/* The next attribute put in is the one at fault. */
static void req_mark(struct req *r)
{
	r->bad = r->nlh->nlmsg_len;
}

static void put_raw(struct req *r, uint16_t type, const void *data, size_t len)
{
	mnl_attr_put(r->nlh, type, len, data);
}

static int ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct answer *a = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		snprintf(a->msg, sizeof(a->msg), "%s", mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		a->offs = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		a->miss = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* Send @r, read until its ack; replies (a get's) are skipped. */
static void req_send(struct req *r, struct answer *a)
{
	uint32_t want;
	ssize_t n;

	memset(a, 0, sizeof(*a));
	a->offs = a->miss = -1;
	r->nlh->nlmsg_seq = want = ++seq;
	if (mnl_socket_sendto(sk, r->nlh, r->nlh->nlmsg_len) < 0)
		die("sendto");
	for (;;) {
		struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(sk, rx, sizeof(rx));
		if (n < 0)
			die("no answer from the kernel");
		len = (int)n;
		for (nlh = (struct nlmsghdr *)rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;
			size_t hlen = sizeof(*e);

			if (nlh->nlmsg_seq != want)
				continue;
			if (nlh->nlmsg_type != NLMSG_ERROR &&
			    nlh->nlmsg_type != NLMSG_DONE)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_type == NLMSG_DONE) {
				a->err = -*(const int *)e;
				hlen = sizeof(int);
			} else {
				a->err = -e->error;
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					hlen += mnl_nlmsg_get_payload_len(&e->msg);
			}
			if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
				mnl_attr_parse(nlh, hlen, ack_attr_cb, a);
			return;
		}
	}
}

/* ---- the crafted cases ---- */

/* A command, and the attributes that name its device. */
struct cmd {
	const char *name;
	uint8_t cmd;
	uint16_t ifindex, ifname, maxattr;
	bool member;			/* names a member, not a bond */
	bool vm;			/* needs a MAC too */
};

#define CMD(n, c, attrs, max, ...)					\
	{ .name = n, .cmd = VMQ_CMD_##c, .ifindex = VMQ_A_##attrs##_IFINDEX,	\
	  .ifname = VMQ_A_##attrs##_IFNAME, .maxattr = VMQ_A_##max,	\
	  __VA_ARGS__ }

static const struct cmd cmds[] = {
	CMD("team-get", TEAM_GET, TEAM, TEAM_IFNAME),
	CMD("team-attach", TEAM_ATTACH, TEAM, TEAM_MODE),
	CMD("team-set", TEAM_SET, TEAM, TEAM_STEERING),
	CMD("team-detach", TEAM_DETACH, TEAM, TEAM_IFNAME),
	CMD("team-plan", TEAM_PLAN, TEAM, TEAM_APPLY),
	CMD("adapter-get", ADAPTER_GET, ADAPTER, ADAPTER_IFNAME, .member = true),
	CMD("adapter-set", ADAPTER_SET, ADAPTER, ADAPTER_QUEUE_IRQ,
	    .member = true),
	CMD("vm-add", VM_ADD, VM_TEAM, VM_NAME, .vm = true),
	CMD("vm-del", VM_DEL, VM_TEAM, VM_VLAN, .vm = true),
	CMD("vm-get", VM_GET, VM_TEAM, VM_VLAN, .vm = true),
};

/* The environment the cases run in (the command line). */
static uint32_t bond, member, nonbond, otherns, other_msi, offline_cpu;

/* A unicast MAC no VM has, and one that the caller added as a VM. */
static const uint8_t mac_free[6] = { 0x02, 0x00, 0x0f, 0x00, 0x00, 0x01 };
static const uint8_t mac_vm[6] = { 0x02, 0x00, 0x0f, 0x00, 0x00, 0x02 };

/* What a case expects. */
struct expect {
	int errs[MAX_ERRS];		/* any of these; 0 ends the list */
	bool at_bad;			/* the extack points at r->bad */
	bool core;			/* the genetlink core's: no message */
	long miss;			/* the attribute said missing, or 0 */
#define ANY_MISSING	-1		/* ... some attribute said missing */
	const char *says;		/* in the message, or NULL */
};

static int ntests, nfailed;

static bool errno_ok(const struct expect *x, int err)
{
	int i;

	for (i = 0; i < MAX_ERRS && x->errs[i]; i++)
		if (x->errs[i] == err)
			return true;
	return false;
}

/* Run @r, check the answer against @x: one TAP line. */
static void check(const char *cmd, const char *what, struct req *r,
		  const struct expect *x)
{
	const char *why = NULL;
	struct answer a;

	req_send(r, &a);
	if (!a.err)
		why = "accepted";
	else if (!errno_ok(x, a.err))
		why = "wrong errno";
	else if (!a.msg[0] && !x->core)
		why = "no extack message";
	else if (x->at_bad && a.offs != r->bad)
		why = "extack does not point at the attribute";
	else if (x->miss == ANY_MISSING && a.miss < 0)
		why = "extack names no missing attribute";
	else if (x->miss > 0 && a.miss != x->miss)
		why = "extack does not name the missing attribute";
	else if (x->says && !strstr(a.msg, x->says))
		why = "message does not say it";
	ntests++;
	if (why) {
		nfailed++;
		printf("# %s %s: %s: errno %d (%s), \"%s\", offset %ld (want %ld), missing %ld (want %ld)\n",
		       cmd, what, why, a.err, strerror(a.err), a.msg, a.offs,
		       r->bad, a.miss, x->miss);
		printf("not ok %d %s %s\n", ntests, cmd, what);
	} else {
		printf("ok %d %s %s # %s: %s\n", ntests, cmd, what,
		       strerror(a.err), a.msg);
	}
	fflush(stdout);
}

#define EXPECT(...)	((struct expect){ __VA_ARGS__ })
#define ERRS(...)	.errs = { __VA_ARGS__ }

/* The valid rest of a request for @c: a VM's MAC where it needs one. */
static void put_rest(struct req *r, const struct cmd *c)
{
	if (c->vm)
		mnl_attr_put(r->nlh, VMQ_A_VM_MAC, 6, mac_vm);
}

static uint32_t dev_of(const struct cmd *c)
{
	return c->member ? member : bond;
}

/* @c's request with its device named by @len bytes of @data as @type. */
static void dev_bad(const struct cmd *c, const char *what, uint16_t type,
		    const void *data, size_t len, const struct expect *x)
{
	struct req r;

	req_start(&r, c->cmd, 0);
	req_mark(&r);
	put_raw(&r, type, data, len);
	put_rest(&r, c);
	check(c->name, what, &r, x);
}

static void dev_bad_u32(const struct cmd *c, const char *what, uint32_t v,
			const struct expect *x)
{
	dev_bad(c, what, c->ifindex, &v, sizeof(v), x);
}

static void dev_bad_str(const struct cmd *c, const char *what,
			const char *name, const struct expect *x)
{
	dev_bad(c, what, c->ifname, name, strlen(name) + 1, x);
}

/* Each command's device, named wrongly in every way there is. */
static void generic_cases(const struct cmd *c)
{
	const char noterm[4] = { 'b', 'o', 'n', 'd' };
	uint64_t u64 = dev_of(c);
	struct nlattr *nest;
	uint16_t u16 = 1;
	uint32_t v;
	struct req r;

	req_start(&r, c->cmd, 0);
	check(c->name, "with no attributes", &r,
	      &EXPECT(ERRS(EINVAL), .miss = ANY_MISSING));
	dev_bad(c, "ifindex of 2 bytes", c->ifindex, &u16, sizeof(u16),
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	dev_bad(c, "ifindex of 8 bytes", c->ifindex, &u64, sizeof(u64),
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	dev_bad_u32(c, "ifindex 0", 0,
		    &EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	dev_bad(c, "ifname with no NUL", c->ifname, noterm, sizeof(noterm),
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	dev_bad_str(c, "ifname longer than IFNAMSIZ",
		    "abcdefghijklmnopqrstuvwxyz",
		    &EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));

	req_start(&r, c->cmd, 0);
	mnl_attr_put_u32(r.nlh, c->ifindex, dev_of(c));
	put_rest(&r, c);
	req_mark(&r);
	mnl_attr_put_u32(r.nlh, c->maxattr + 1, 1);
	check(c->name, "unknown attribute", &r,
	      &EXPECT(ERRS(EINVAL, EOPNOTSUPP), .at_bad = true));

	req_start(&r, c->cmd, 0);
	req_mark(&r);
	nest = mnl_attr_nest_start(r.nlh, c->ifindex);
	mnl_attr_put_u32(r.nlh, 1, dev_of(c));
	mnl_attr_nest_end(r.nlh, nest);
	put_rest(&r, c);
	check(c->name, "ifindex nested", &r,
	      &EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));

	dev_bad_u32(c, "ifindex of nothing", 999999,
		    &EXPECT(ERRS(ENODEV), .at_bad = true,
			    .says = "ifindex 999999"));
	dev_bad_u32(c, "ifindex of another namespace's device", otherns,
		    &EXPECT(ERRS(ENODEV), .at_bad = true));
	dev_bad_str(c, "ifname of nothing", "vmqfz-none",
		    &EXPECT(ERRS(ENODEV), .at_bad = true, .says = "vmqfz-none"));
	/* team-attach of a non-bond is its own case: see team_cases(). */
	if (c->cmd != VMQ_CMD_TEAM_ATTACH)
		dev_bad_u32(c, c->member ? "ifindex of a device in no team" :
			    "ifindex of a device vmq is not attached to",
			    nonbond, &EXPECT(ERRS(ENOENT), .at_bad = true));

	/* An attribute that says it is longer than the message. */
	req_start(&r, c->cmd, 0);
	v = dev_of(c);
	put_raw(&r, c->ifindex, &v, sizeof(v));
	((struct nlattr *)(r.buf + r.nlh->nlmsg_len - 8))->nla_len = 64;
	check(c->name, "attribute overrunning the message", &r,
	      &EXPECT(ERRS(EINVAL, ERANGE)));
}

/* put_dev: the command's device, named right. */
static void put_dev(struct req *r, const struct cmd *c)
{
	mnl_attr_put_u32(r->nlh, c->ifindex, dev_of(c));
}

static const struct cmd *cmd_named(uint8_t cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (cmds[i].cmd == cmd)
			return &cmds[i];
	abort();
}

/* One attribute of @c's request, bad: @len bytes of @data. */
static void one_bad(uint8_t cmd, const char *what, uint16_t type,
		    const void *data, size_t len, const struct expect *x)
{
	const struct cmd *c = cmd_named(cmd);
	struct req r;

	req_start(&r, cmd, 0);
	put_dev(&r, c);
	if (c->vm && type != VMQ_A_VM_MAC)
		mnl_attr_put(r.nlh, VMQ_A_VM_MAC, 6, mac_free);
	req_mark(&r);
	put_raw(&r, type, data, len);
	check(c->name, what, &r, x);
}

static void u32_bad(uint8_t cmd, const char *what, uint16_t type, uint32_t v,
		    const struct expect *x)
{
	one_bad(cmd, what, type, &v, sizeof(v), x);
}

static void team_cases(void)
{
	const struct cmd *attach = cmd_named(VMQ_CMD_TEAM_ATTACH);
	uint8_t u8 = 1, pad[4] = { 0 };
	struct req r;

	u32_bad(VMQ_CMD_TEAM_ATTACH, "mode past the last", VMQ_A_TEAM_MODE,
		VMQ_TEAM_MODE_MAX + 1,
		&EXPECT(ERRS(ERANGE, EINVAL), .at_bad = true));
	one_bad(VMQ_CMD_TEAM_ATTACH, "mode of 1 byte", VMQ_A_TEAM_MODE, &u8, 1,
		&EXPECT(ERRS(ERANGE, EINVAL), .at_bad = true));
	u32_bad(VMQ_CMD_TEAM_SET, "steering past the last",
		VMQ_A_TEAM_STEERING, VMQ_STEERING_MAX + 1,
		&EXPECT(ERRS(ERANGE, EINVAL), .at_bad = true));
	one_bad(VMQ_CMD_TEAM_PLAN, "apply flag with a payload",
		VMQ_A_TEAM_APPLY, pad, sizeof(pad),
		&EXPECT(ERRS(ERANGE, EINVAL), .at_bad = true));

	req_start(&r, VMQ_CMD_TEAM_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_TEAM_IFINDEX, bond);
	check("team-set", "with nothing to set", &r,
	      &EXPECT(ERRS(EINVAL), .miss = VMQ_A_TEAM_STEERING));

	dev_bad_u32(attach, "of a bond already attached", bond,
		    &EXPECT(ERRS(EEXIST), .at_bad = true));
	dev_bad_u32(attach, "of a device that is no bond", nonbond,
		    &EXPECT(ERRS(EOPNOTSUPP), .at_bad = true));
	dev_bad_u32(attach, "of a bond's member", member,
		    &EXPECT(ERRS(EOPNOTSUPP), .at_bad = true));
}

/* adapter-set's numbers, each out of its range: refused, pointed at. */
static const struct {
	const char *what;
	uint16_t type;
	uint32_t value;
} adapter_out_of_range[] = {
	{ "base-processor past nr_cpu_ids", VMQ_A_ADAPTER_BASE_PROCESSOR, 4096 },
	{ "max-processor-number past nr_cpu_ids",
	  VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER, 4096 },
	{ "max-processors 0", VMQ_A_ADAPTER_MAX_PROCESSORS, 0 },
	{ "default-queues 0", VMQ_A_ADAPTER_DEFAULT_QUEUES, 0 },
	{ "default-queues past the adapter's", VMQ_A_ADAPTER_DEFAULT_QUEUES,
	  10000 },
	{ "numa-node past the last", VMQ_A_ADAPTER_NUMA_NODE, 1000 },
	{ "queue-irq not nested", VMQ_A_ADAPTER_QUEUE_IRQ, 5 },
};

/*
 * A queue-irq nest that is itself malformed: the nested policy refuses
 * it in the core's parse, pointing at the attribute inside the nest.
 */
static void queue_irq_nest_cases(void)
{
	static const struct {
		const char *what;
		uint16_t type;
		uint8_t len;
	} inner[] = {
		{ "queue-irq's index of 2 bytes", VMQ_A_QUEUE_IRQ_INDEX, 2 },
		{ "queue-irq's irq of 8 bytes", VMQ_A_QUEUE_IRQ_IRQ, 8 },
		{ "queue-irq with an unknown attribute", VMQ_A_QUEUE_IRQ_MAX + 1,
		  4 },
		{ "queue-irq with a nest inside",
		  VMQ_A_QUEUE_IRQ_INDEX | NLA_F_NESTED, 4 },
	};
	const uint8_t zeros[8] = { 0 };
	struct nlattr *nest;
	struct req r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(inner); i++) {
		req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
		mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
		nest = mnl_attr_nest_start(r.nlh, VMQ_A_ADAPTER_QUEUE_IRQ);
		if (inner[i].type != VMQ_A_QUEUE_IRQ_INDEX)
			mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_INDEX, 1);
		if (inner[i].type != VMQ_A_QUEUE_IRQ_IRQ)
			mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_IRQ, other_msi);
		req_mark(&r);
		put_raw(&r, inner[i].type, zeros, inner[i].len);
		mnl_attr_nest_end(r.nlh, nest);
		check("adapter-set", inner[i].what, &r,
		      &EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	}
}

static void adapter_cases(void)
{
	const uint8_t two = 2;
	struct nlattr *nest;
	struct req r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(adapter_out_of_range); i++)
		u32_bad(VMQ_CMD_ADAPTER_SET, adapter_out_of_range[i].what,
			adapter_out_of_range[i].type,
			adapter_out_of_range[i].value,
			&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	one_bad(VMQ_CMD_ADAPTER_SET, "enabled 2", VMQ_A_ADAPTER_ENABLED, &two,
		1, &EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_BASE_PROCESSOR, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER, 0);
	req_mark(&r);
	mnl_attr_put(r.nlh, VMQ_A_ADAPTER_PROCESSORS_AUTO, 0, NULL);
	check("adapter-set", "processors auto beside explicit ones", &r,
	      &EXPECT(ERRS(EINVAL), .at_bad = true));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_BASE_PROCESSOR, 1);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER, 0);
	check("adapter-set", "max-processor-number below base-processor", &r,
	      &EXPECT(ERRS(EINVAL, ERANGE)));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	req_mark(&r);
	nest = mnl_attr_nest_start(r.nlh, VMQ_A_ADAPTER_QUEUE_IRQ);
	mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_INDEX, 9999);
	mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_IRQ, 1);
	mnl_attr_nest_end(r.nlh, nest);
	check("adapter-set", "queue-irq of a queue past the last", &r,
	      &EXPECT(ERRS(EINVAL, ERANGE)));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	nest = mnl_attr_nest_start(r.nlh, VMQ_A_ADAPTER_QUEUE_IRQ);
	mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_INDEX, 1);
	mnl_attr_nest_end(r.nlh, nest);
	check("adapter-set", "queue-irq with no irq", &r,
	      &EXPECT(ERRS(EINVAL)));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	nest = mnl_attr_nest_start(r.nlh, VMQ_A_ADAPTER_QUEUE_IRQ);
	mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_INDEX, 1);
	mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_IRQ, 65000);
	mnl_attr_nest_end(r.nlh, nest);
	check("adapter-set", "queue-irq of no IRQ", &r,
	      &EXPECT(ERRS(EINVAL), .says = "no IRQ 65000"));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	nest = mnl_attr_nest_start(r.nlh, VMQ_A_ADAPTER_QUEUE_IRQ);
	mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_INDEX, 1);
	mnl_attr_put_u32(r.nlh, VMQ_A_QUEUE_IRQ_IRQ, other_msi);
	mnl_attr_nest_end(r.nlh, nest);
	check("adapter-set", "queue-irq of another device's MSI vector", &r,
	      &EXPECT(ERRS(EINVAL), .says = "another device's MSI vector"));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	check("adapter-set", "with nothing to set", &r, &EXPECT(ERRS(EINVAL)));

	req_start(&r, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_IFINDEX, member);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_BASE_PROCESSOR, offline_cpu);
	mnl_attr_put_u32(r.nlh, VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER,
			 offline_cpu);
	check("adapter-set", "processors of an offline CPU only", &r,
	      &EXPECT(ERRS(ERANGE), .says = "no online CPU"));

	queue_irq_nest_cases();
}

static void vm_cases(void)
{
	static const uint8_t zero[6], bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff,
						   0xff };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const char long_name[80] = "a VM name longer than any vmq keeps, "
					  "which is sixty-three bytes and a NUL";
	const char noterm[3] = { 'v', 'm', '1' };
	uint16_t vlan = 4095;
	uint32_t vlan32 = 10;
	struct req r;

	one_bad(VMQ_CMD_VM_ADD, "MAC of 5 bytes", VMQ_A_VM_MAC, mac_free, 5,
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "MAC of 8 bytes", VMQ_A_VM_MAC, long_name, 8,
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "MAC all zero", VMQ_A_VM_MAC, zero, 6,
		&EXPECT(ERRS(EINVAL), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "MAC multicast", VMQ_A_VM_MAC, mcast, 6,
		&EXPECT(ERRS(EINVAL), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "MAC broadcast", VMQ_A_VM_MAC, bcast, 6,
		&EXPECT(ERRS(EINVAL), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "VLAN 4095", VMQ_A_VM_VLAN, &vlan, 2,
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	vlan = 0xffff;
	one_bad(VMQ_CMD_VM_ADD, "VLAN 65535", VMQ_A_VM_VLAN, &vlan, 2,
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "VLAN of 4 bytes", VMQ_A_VM_VLAN, &vlan32, 4,
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	one_bad(VMQ_CMD_VM_DEL, "VLAN 4095", VMQ_A_VM_VLAN, &vlan, 2,
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "name longer than a VM's", VMQ_A_VM_NAME,
		long_name, strlen(long_name) + 1,
		&EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));
	one_bad(VMQ_CMD_VM_ADD, "name with no NUL", VMQ_A_VM_NAME, noterm,
		sizeof(noterm), &EXPECT(ERRS(EINVAL, ERANGE), .at_bad = true));

	req_start(&r, VMQ_CMD_VM_ADD, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, bond);
	check("vm-add", "with no MAC", &r,
	      &EXPECT(ERRS(EINVAL), .miss = VMQ_A_VM_MAC));

	req_start(&r, VMQ_CMD_VM_ADD, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, bond);
	mnl_attr_put(r.nlh, VMQ_A_VM_MAC, 6, mac_vm);
	check("vm-add", "of a VM already there", &r,
	      &EXPECT(ERRS(EEXIST), .says = "already"));

	req_start(&r, VMQ_CMD_VM_DEL, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, bond);
	mnl_attr_put(r.nlh, VMQ_A_VM_MAC, 6, mac_free);
	check("vm-del", "of a VM not there", &r, &EXPECT(ERRS(ENOENT)));

	req_start(&r, VMQ_CMD_VM_DEL, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, bond);
	mnl_attr_put(r.nlh, VMQ_A_VM_MAC, 6, mac_vm);
	mnl_attr_put_u16(r.nlh, VMQ_A_VM_VLAN, 7);
	check("vm-del", "of a VM there, on a VLAN it is not", &r,
	      &EXPECT(ERRS(ENOENT)));

	req_start(&r, VMQ_CMD_VM_GET, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, bond);
	mnl_attr_put(r.nlh, VMQ_A_VM_MAC, 6, mac_free);
	check("vm-get", "of a VM not there", &r, &EXPECT(ERRS(ENOENT)));

}

/*
 * A dump of a command with no dump: refused by the genetlink core
 * (genl_family_rcv_msg_dumpit()), which gives no message.
 */
static void dump_cases(void)
{
	static const uint8_t cmds_nodump[] = { VMQ_CMD_TEAM_ATTACH,
		VMQ_CMD_VM_ADD, VMQ_CMD_ADAPTER_SET, 0xee };
	struct req r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds_nodump); i++) {
		char what[64];

		snprintf(what, sizeof(what), "dump of command %u",
			 cmds_nodump[i]);
		req_start(&r, cmds_nodump[i], NLM_F_DUMP);
		check("genl", what, &r,
		      &EXPECT(ERRS(EOPNOTSUPP, EINVAL), .core = true));
	}
}

static int run_cases(void)
{
	size_t i;

	printf("TAP version 13\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		generic_cases(&cmds[i]);
	team_cases();
	adapter_cases();
	vm_cases();
	dump_cases();
	printf("1..%d\n", ntests);
	printf("# bad inputs: %d, refused as they should be: %d\n", ntests,
	       ntests - nfailed);
	return nfailed ? 1 : 0;
}

/* ---- the randomized pass ---- */

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

/* A valid request of a random command, for a random VM of a few. */
static void random_valid(struct req *r)
{
	const struct cmd *c = &cmds[rnd(ARRAY_SIZE(cmds))];
	uint8_t mac[6] = { 0x02, 0x00, 0x0e, 0x00, 0x00, (uint8_t)rnd(16) };

	/* No detach: what follows would find no team. */
	if (c->cmd == VMQ_CMD_TEAM_DETACH)
		c = cmd_named(VMQ_CMD_VM_GET);
	req_start(r, c->cmd, 0);
	mnl_attr_put_u32(r->nlh, c->ifindex, c->member ? member : bond);
	if (c->vm) {
		mnl_attr_put(r->nlh, VMQ_A_VM_MAC, 6, mac + 0);
		if (rnd(2))
			mnl_attr_put_u16(r->nlh, VMQ_A_VM_VLAN, rnd(4095));
	}
	switch (c->cmd) {
	case VMQ_CMD_TEAM_SET:
		mnl_attr_put_u32(r->nlh, VMQ_A_TEAM_STEERING,
				 rnd(VMQ_STEERING_MAX + 1));
		break;
	case VMQ_CMD_ADAPTER_SET:
		if (rnd(2))
			mnl_attr_put(r->nlh, VMQ_A_ADAPTER_PROCESSORS_AUTO, 0,
				     NULL);
		else
			mnl_attr_put_u32(r->nlh, VMQ_A_ADAPTER_DEFAULT_QUEUES,
					 1 + rnd(2));
		break;
	case VMQ_CMD_VM_ADD:
		if (rnd(2))
			mnl_attr_put_strz(r->nlh, VMQ_A_VM_NAME, "fuzz");
		break;
	}
}

/* Change it: a byte, a length, a type, or the end cut off. */
static void mutate(struct req *r)
{
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));
	size_t len = r->nlh->nlmsg_len;
	struct nlattr *a;

	if (len <= hdr)
		return;
	switch (rnd(5)) {
	case 0:				/* a byte of the attributes */
		r->buf[hdr + rnd(len - hdr)] ^= (char)(1 + rnd(255));
		break;
	case 1:				/* the first attribute's length */
		a = (struct nlattr *)(r->buf + hdr);
		a->nla_len = (uint16_t)rnd(64);
		break;
	case 2:				/* the first attribute's type */
		a = (struct nlattr *)(r->buf + hdr);
		a->nla_type = (uint16_t)rnd(40) | (rnd(4) ? 0 : NLA_F_NESTED);
		break;
	case 3:				/* the message cut short */
		r->nlh->nlmsg_len = (uint32_t)(hdr + rnd(len - hdr));
		break;
	case 4:				/* the genl header's version, cmd */
		((struct genlmsghdr *)(r->buf + MNL_NLMSG_HDRLEN))->cmd =
			(uint8_t)rnd(16);
		break;
	}
}

static int run_random(uint64_t seed, long count, long seconds)
{
	time_t end = time(NULL) + seconds;
	long n, refused = 0, accepted = 0, bad = 0;
	struct answer a;
	struct req r;

	rng = seed ? seed : 1;
	for (n = 0; n < count && time(NULL) < end; n++) {
		random_valid(&r);
		if (rnd(3)) {
			mutate(&r);
			bad++;
			if (rnd(2))
				mutate(&r);
		}
		req_send(&r, &a);
		if (a.err)
			refused++;
		else
			accepted++;
	}
	printf("# random: seed %llu, %ld requests (%ld changed), %ld refused, %ld accepted\n",
	       (unsigned long long)seed, n, bad, refused, accepted);
	/* Every request answered, and both kinds of answer seen. */
	return refused + accepted == n && refused && accepted ? 0 : 1;
}

/* ---- dumps interrupted ---- */

/* A vm-add or vm-del of @mac through the socket in use; exits on failure. */
static void vm_change(uint8_t cmd, const uint8_t *mac)
{
	struct answer a;
	struct req r;

	req_start(&r, cmd, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, bond);
	mnl_attr_put(r.nlh, VMQ_A_VM_MAC, 6, mac);
	req_send(&r, &a);
	if (a.err) {
		fprintf(stderr, "nlfuzz: %s: %s\n", strerror(a.err), a.msg);
		exit(2);
	}
}

/*
 * Read a vm-get dump of BOND one recvmsg() at a time; after the first,
 * if @change, add a VM and delete one near the start (which moves every
 * position after it) through a second socket.  The kernel has built the
 * next part by then, so it is a later one, or NLMSG_DONE, that must say
 * so.  Return: how many of the dump's messages were marked
 * NLM_F_DUMP_INTR, or -1 if it ended within two reads.
 */
static int dump_marked(bool change)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x0d, 0x00, 0x00, 0x01 };
	/* nl_fuzz.sh's first VM of the 300 it adds for this */
	static const uint8_t first_vm[6] = { 0x02, 0x00, 0x0c, 0x00, 0x00, 0x00 };
	struct mnl_socket *dump_sk = sk;
	int reads = 0, marked = 0;
	struct req r;
	bool done = false;

	req_start(&r, VMQ_CMD_VM_GET, NLM_F_DUMP);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, bond);
	r.nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(dump_sk, r.nlh, r.nlh->nlmsg_len) < 0)
		die("sendto");
	/* The change goes through a socket of its own. */
	sk = mnl_socket_open(NETLINK_GENERIC);
	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket");
	while (!done) {
		struct nlmsghdr *nlh;
		ssize_t n = mnl_socket_recvfrom(dump_sk, rx, 8192);
		int len = (int)n;

		if (n < 0)
			die("reading the dump");
		for (nlh = (struct nlmsghdr *)rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				marked++;
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR)
				done = true;
		}
		if (++reads == 1 && change && !done) {
			vm_change(VMQ_CMD_VM_ADD, mac);
			vm_change(VMQ_CMD_VM_DEL, first_vm);
		}
	}
	mnl_socket_close(sk);
	sk = dump_sk;
	return reads > 2 ? marked : -1;
}

static int run_dump_intr(void)
{
	int quiet = dump_marked(false), changed = dump_marked(true);

	printf("# dump with no change: %d messages marked; with a VM added and one deleted after the first read: %d\n",
	       quiet, changed);
	if (quiet < 0 || changed < 0) {
		fputs("nlfuzz: the dump fit one read: add more VMs\n", stderr);
		return 2;
	}
	return !quiet && changed ? 0 : 1;
}

/* ---- privilege ---- */

static int run_unprivileged(void)
{
	struct answer a;
	struct req r;

	/*
	 * ifindex 0 and a MAC of 5 bytes: the policy refuses both, so a
	 * check made after parsing would answer EINVAL, not EPERM.
	 */
	req_start(&r, VMQ_CMD_VM_ADD, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_VM_TEAM_IFINDEX, 0);
	mnl_attr_put(r.nlh, VMQ_A_VM_MAC, 5, mac_free);
	req_send(&r, &a);
	printf("# unprivileged vm-add: errno %d (%s), \"%s\"\n", a.err,
	       strerror(a.err), a.msg);
	if (a.err != EPERM)
		return 1;

	/* team-plan reads for anyone; its apply is vmq's own check. */
	req_start(&r, VMQ_CMD_TEAM_PLAN, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_TEAM_IFINDEX, bond);
	mnl_attr_put(r.nlh, VMQ_A_TEAM_APPLY, 0, NULL);
	req_send(&r, &a);
	printf("# unprivileged team-plan apply: errno %d (%s), \"%s\"\n",
	       a.err, strerror(a.err), a.msg);
	if (a.err != EPERM || !strstr(a.msg, "CAP_NET_ADMIN"))
		return 1;
	req_start(&r, VMQ_CMD_TEAM_PLAN, 0);
	mnl_attr_put_u32(r.nlh, VMQ_A_TEAM_IFINDEX, bond);
	req_send(&r, &a);
	printf("# unprivileged team-plan: errno %d\n", a.err);
	return a.err ? 1 : 0;
}

static uint32_t arg_u32(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*end || v > UINT32_MAX) {
		fprintf(stderr, "nlfuzz: bad number \"%s\"\n", s);
		exit(2);
	}
	return (uint32_t)v;
}

static void usage(void)
{
	fputs("Usage: nlfuzz cases BOND MEMBER NONBOND OTHERNS MSI_IRQ OFFLINE_CPU\n"
	      "       nlfuzz random SEED COUNT SECONDS BOND MEMBER\n"
	      "       nlfuzz dump-intr BOND\n"
	      "       nlfuzz unprivileged BOND\n"
	      "(devices by ifindex)\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	nl_open();
	if (!strcmp(argv[1], "cases") && argc == 8) {
		bond = arg_u32(argv[2]);
		member = arg_u32(argv[3]);
		nonbond = arg_u32(argv[4]);
		otherns = arg_u32(argv[5]);
		other_msi = arg_u32(argv[6]);
		offline_cpu = arg_u32(argv[7]);
		return run_cases();
	}
	if (!strcmp(argv[1], "random") && argc == 7) {
		bond = arg_u32(argv[5]);
		member = arg_u32(argv[6]);
		return run_random(strtoull(argv[2], NULL, 0),
				  strtol(argv[3], NULL, 0),
				  strtol(argv[4], NULL, 0));
	}
	if (!strcmp(argv[1], "dump-intr") && argc == 3) {
		bond = arg_u32(argv[2]);
		return run_dump_intr();
	}
	if (!strcmp(argv[1], "unprivileged") && argc == 3) {
		bond = arg_u32(argv[2]);
		return run_unprivileged();
	}
	usage();
	return 2;
}
