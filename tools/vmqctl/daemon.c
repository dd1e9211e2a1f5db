// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl daemon: the userspace half of what the module cannot do alone.
 *
 * The module finds a queue's IRQ itself where the kernel links queues to
 * their NAPI instance's IRQ (6.8 and later, for drivers that set it) or
 * where it knows the driver's vector layout.  Elsewhere (Debian 12's 6.1
 * for most drivers) it says so with an irqs-wanted event each time the
 * set of queues whose IRQ it lacks changes: on attach, when a VM takes a
 * queue, and after a reset or channel change gave the queues new vectors.
 * The daemon answers each with what `adapter set DEV irq auto` would
 * hand down, so nobody has to type it again after every driver reset.
 *
 * At start, and whenever events were lost, it answers for every adapter
 * of every team in its network namespace, since the questions asked
 * before it listened (or lost in an overrun) are asked only once.
 *
 * Unloading the module takes the family, and the daemon's membership of
 * its group, with it.  nlctrl's notify group says the family went away
 * (genl_unregister_family()) and announces it when it is registered
 * again (with a new id); the daemon then starts afresh.
 *
 * Given a configuration file ("config FILE", as `vmqctl save` writes
 * it), the daemon also restores it: at start, when the module is back,
 * on SIGHUP, and when a bond appears or a device joins one, since a
 * bond's members are added after udev and the boot saw it created.  A
 * restore changes nothing that is already as the file says, so running
 * it once too often is harmless; a burst of device notices (a bond
 * created and its members enslaved) makes one restore, once they have
 * settled for DAEMON_SETTLE_MS.
 *
 * When a team is attached or an IRQ was repaired, an irqbalance running
 * vmq's policy script is told to look at its IRQs again (SIGHUP, after
 * the same settling), so that it bans those of adapters it first saw
 * before they were vmq's (irqbalance.c).
 *
 * Under systemd (Type=notify) it says READY=1 once it listens and SIGHUP
 * is caught: a reload sent earlier would have killed it.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <linux/vmq.h>

#include "links.h"
#include "nl.h"
#include "vmqctl.h"

#define DAEMON_SETTLE_MS	1000
/* How many times a round asks an irqbalance still starting, a second apart. */
#define DAEMON_NUDGE_TRIES	30

struct daemon_state {
	struct vmq_ctx *ctx;		/* its socket asks; the other listens */
	char **devs;			/* adapters found by a dump */
	size_t nr_devs;
	bool family_back;		/* the module was loaded again */
	bool family_gone;		/* ... and until then, it is not */
	const char *config;		/* restored; NULL: none */
	bool config_missing;		/* and that was said */
	long long restore_at;		/* CLOCK_MONOTONIC ms; 0: none due */
	long long nudge_at;		/* irqbalance's; the same */
	struct vmq_nudge nudge;		/* this round's, while instances wait */
	int nudge_tries;
	int sigfd;			/* SIGHUP */
	bool ready_said;		/* to systemd */
};

static long long daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A new round of asking irqbalance, once the pins have settled. */
static void daemon_nudge_soon(struct daemon_state *d)
{
	d->nudge_at = daemon_now_ms() + DAEMON_SETTLE_MS;
	memset(&d->nudge, 0, sizeof(d->nudge));
	d->nudge_tries = 0;
}

/* The configuration made so, saying why and, line by line, what failed. */
static void daemon_restore(struct daemon_state *d, const char *why)
{
	d->restore_at = 0;
	if (!d->config)
		return;
	if (d->family_gone) {
		fprintf(stderr, "vmqctl daemon: %s: not restored (%s): the vmq module is not loaded\n",
			d->config, why);
		return;
	}
	if (access(d->config, R_OK)) {
		/* Said once: an administrator may write it later. */
		if (!d->config_missing)
			fprintf(stderr, "vmqctl daemon: %s: %s; nothing to restore\n",
				d->config, strerror(errno));
		d->config_missing = true;
		return;
	}
	d->config_missing = false;
	fprintf(stderr, "vmqctl daemon: restoring %s (%s)\n", d->config, why);
	if (vmq_restore(d->ctx, d->config))
		fprintf(stderr, "vmqctl daemon: %s restored but for the lines above\n",
			d->config);
	else
		fprintf(stderr, "vmqctl daemon: %s restored\n", d->config);
}

static void daemon_give_irqs(struct daemon_state *d, const char *dev,
			     const char *why)
{
	struct vmq_nl *nl = vmq_ctx_nl(d->ctx);

	if (!nl)
		return;
	if (vmq_adapter_give_irqs(nl, dev))
		fprintf(stderr, "vmqctl daemon: %s (%s): IRQs not handed down\n",
			dev, why);
	else
		fprintf(stderr, "vmqctl daemon: %s (%s): IRQs handed down\n",
			dev, why);
}

static int daemon_note_adapter(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_ADAPTER_MAX + 1];
	struct daemon_state *d = data;
	char **grown, *dev;

	if (vmq_nl_parse(nlh, &vmq_adapter_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[VMQ_A_ADAPTER_IFNAME])
		return MNL_CB_OK;
	dev = strdup(mnl_attr_get_str(tb[VMQ_A_ADAPTER_IFNAME]));
	grown = dev ? realloc(d->devs, (d->nr_devs + 1) * sizeof(*d->devs)) :
		      NULL;
	if (!grown) {
		free(dev);
		vmq_error("out of memory");
		return MNL_CB_ERROR;
	}
	d->devs = grown;
	d->devs[d->nr_devs++] = dev;
	return MNL_CB_OK;
}

static void daemon_forget_adapters(struct daemon_state *d)
{
	while (d->nr_devs)
		free(d->devs[--d->nr_devs]);
	free(d->devs);
	d->devs = NULL;
}

/* Every adapter of every team here: the questions it may have missed. */
static void daemon_answer_all(void *data)
{
	struct daemon_state *d = data;
	struct vmq_nl *nl = vmq_ctx_nl(d->ctx);
	struct nlmsghdr *req;
	size_t i;

	if (!nl)
		return;
	req = vmq_nl_req(nl, VMQ_CMD_ADAPTER_GET, NLM_F_DUMP);
	if (!vmq_nl_talk(nl, req, &vmq_adapter_set, daemon_note_adapter, d))
		for (i = 0; i < d->nr_devs; i++)
			daemon_give_irqs(d, d->devs[i], "listening anew");
	daemon_forget_adapters(d);
}

/* The family came or went: MNL_CB_ERROR ends this listener. */
static int daemon_family_event(struct daemon_state *d, int cmd)
{
	if (cmd == CTRL_CMD_DELFAMILY) {
		fputs("vmqctl daemon: the vmq module went away; waiting for it\n",
		      stderr);
		d->family_gone = true;
		return MNL_CB_OK;
	}
	fputs("vmqctl daemon: the vmq module is back\n", stderr);
	d->family_back = true;
	return MNL_CB_ERROR;
}

static int daemon_event(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_EVENT_MAX + 1];
	struct daemon_state *d = data;
	char dev[IF_NAMESIZE];
	uint32_t type;
	int cmd;

	cmd = vmq_nl_family_event(nlh);
	if (cmd)
		return daemon_family_event(data, cmd);
	if (nlh->nlmsg_type == GENL_ID_CTRL ||
	    vmq_nl_parse(nlh, &vmq_event_set, tb) != MNL_CB_OK ||
	    !tb[VMQ_A_EVENT_TYPE])
		return MNL_CB_OK;	/* another family's, or said why */
	type = mnl_attr_get_u32(tb[VMQ_A_EVENT_TYPE]);
	if (type == VMQ_EVENT_TEAM_ATTACHED || type == VMQ_EVENT_REPAIRED)
		daemon_nudge_soon(d);
	if (type != VMQ_EVENT_IRQS_WANTED || !tb[VMQ_A_EVENT_ADAPTER_IFINDEX])
		return MNL_CB_OK;
	/* By index: a rename since the event must not misdirect it. */
	if (!if_indextoname(mnl_attr_get_u32(tb[VMQ_A_EVENT_ADAPTER_IFINDEX]),
			    dev))
		return MNL_CB_OK;	/* gone already */
	daemon_give_irqs(data, dev, "irqs-wanted");
	return MNL_CB_OK;
}

static void daemon_usage(FILE *fp)
{
	fputs("Usage: vmqctl daemon [ run ] [ config FILE ]\n"
	      "       vmqctl daemon help\n"
	      "Runs in the foreground (a service manager's job to detach it),\n"
	      "answering the module's requests in this network namespace: the\n"
	      "RX queue IRQs it cannot find itself are handed down as\n"
	      "`adapter set DEV irq auto` would, on every irqs-wanted event\n"
	      "(attach, a VM taking a queue, a reset or channel change), and\n"
	      "for every adapter at start.\n"
	      "With config FILE, it also does `vmqctl restore FILE`: at start,\n"
	      "when the module is loaded again, on SIGHUP, and when a bond\n"
	      "appears or a device joins one.  Says what it did on stderr.\n",
	      fp);
}

/*
 * The round's next try: irqbalance told (not twice), one still starting
 * asked again a second later, until DAEMON_NUDGE_TRIES.
 */
static void daemon_nudge(struct daemon_state *d, long long now)
{
	int n;

	d->nudge_at = 0;
	n = vmq_irqbalance_nudge(&d->nudge);
	if (n)
		fprintf(stderr, "vmqctl daemon: asked irqbalance to look at its IRQs again (%d process%s)\n",
			n, n == 1 ? "" : "es");
	if (!d->nudge.waiting)
		return;
	if (++d->nudge_tries < DAEMON_NUDGE_TRIES) {
		d->nudge_at = now + DAEMON_SETTLE_MS;
		return;
	}
	fprintf(stderr, "vmqctl daemon: irqbalance not asked (%d process%s): SIGHUP not caught for %d s\n",
		d->nudge.waiting, d->nudge.waiting == 1 ? "" : "es",
		DAEMON_NUDGE_TRIES * DAEMON_SETTLE_MS / 1000);
}

/* Until when poll() may wait: for ever, or until something is due. */
static int daemon_poll_timeout(const struct daemon_state *d)
{
	long long at = d->restore_at, left;

	if (d->nudge_at && (!at || d->nudge_at < at))
		at = d->nudge_at;
	if (!at)
		return -1;
	left = at - daemon_now_ms();
	return left > 0 ? (int)left : 0;
}

/* What is due: a restore after device notices, irqbalance's rescan. */
static void daemon_run_due(struct daemon_state *d)
{
	long long now = daemon_now_ms();

	if (d->restore_at && now >= d->restore_at)
		daemon_restore(d, "a bond appeared or gained a member");
	if (d->nudge_at && now >= d->nudge_at)
		daemon_nudge(d, now);
}

/*
 * sd_notify(3)'s READY=1, once: a datagram to $NOTIFY_SOCKET (a path, or
 * '@' for the abstract namespace), written here rather than linking
 * libsystemd for one message.
 */
static void daemon_say_ready(struct daemon_state *d)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (d->ready_said || !path || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sa.sun_path))
		return;
	d->ready_said = true;
	memcpy(sa.sun_path, path, strlen(path));
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, "READY=1", 7, 0, (struct sockaddr *)&sa, len) < 0)
		vmq_error("telling systemd it is ready: %s", strerror(errno));
	close(fd);
}

static void daemon_took_sighup(struct daemon_state *d)
{
	struct signalfd_siginfo si;

	if (read(d->sigfd, &si, sizeof(si)) == sizeof(si))
		daemon_restore(d, "SIGHUP");
}

/*
 * Wait on the module's events, the devices' notices (with a
 * configuration) and SIGHUP, until a socket fails or the family comes
 * back (the listener's callback fails then).
 */
static int daemon_serve(struct daemon_state *d, struct vmq_nl *listener,
			struct vmq_links *links)
{
	struct pollfd fds[3] = {
		{ .fd = vmq_nl_fd(listener), .events = POLLIN },
		{ .fd = d->sigfd, .events = POLLIN },
		{ .fd = links ? vmq_links_fd(links) : -1, .events = POLLIN },
	};
	int n;

	for (;;) {
		n = poll(fds, ARRAY_SIZE(fds), daemon_poll_timeout(d));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vmq_error("poll: %s", strerror(errno));
			return -1;
		}
		daemon_run_due(d);
		if (!n)
			continue;
		if ((fds[0].revents & (POLLIN | POLLERR)) &&
		    vmq_nl_listen_once(listener, daemon_event,
				       daemon_answer_all, d))
			return -1;
		if (fds[1].revents & POLLIN)
			daemon_took_sighup(d);
		if (fds[2].revents & (POLLIN | POLLERR)) {
			n = vmq_links_read(links);
			if (n < 0)
				return -1;
			if (n)
				d->restore_at = daemon_now_ms() +
						DAEMON_SETTLE_MS;
		}
	}
}

/*
 * Listen to the module, nlctrl and the devices until a socket fails, or
 * the family comes back after an unload (d->family_back).
 */
static int daemon_listen(struct daemon_state *d)
{
	struct vmq_nl *listener = vmq_nl_open();
	struct vmq_links *links = NULL;
	bool back = d->family_back;
	int ret = -1;

	if (!listener)
		return -1;
	d->family_back = false;
	d->family_gone = false;
	/* Listen first: a question asked, or a bond made, meanwhile is not
	 * missed.
	 */
	if (vmq_nl_subscribe_families(listener) ||
	    vmq_nl_subscribe_monitor(listener))
		goto out;
	if (d->config) {
		links = vmq_links_open();
		if (!links)
			goto out;
	}
	fputs("vmqctl daemon: listening\n", stderr);
	daemon_say_ready(d);
	daemon_restore(d, back ? "the module is back" : "start");
	daemon_answer_all(d);
	ret = daemon_serve(d, listener, links);
out:
	vmq_links_close(links);
	vmq_nl_close(listener);
	return ret;
}

/* SIGHUP, as a descriptor to poll: `systemctl reload` restores. */
static int daemon_catch_sighup(void)
{
	sigset_t mask;
	int fd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL)) {
		vmq_error("blocking SIGHUP: %s", strerror(errno));
		return -1;
	}
	fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (fd < 0)
		vmq_error("signalfd: %s", strerror(errno));
	return fd;
}

static int daemon_run(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct daemon_state d = { .ctx = ctx };

	if (argc > 0 && vmq_matches(argv[0], "config")) {
		if (argc < 2)
			return vmq_usage_error(ctx, "config needs a FILE");
		d.config = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc > 0)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[0]);
	d.sigfd = daemon_catch_sighup();
	if (d.sigfd < 0)
		return VMQ_EXIT_FAIL;
	while (daemon_listen(&d) && d.family_back) {
		/* The request socket knows the old family's id. */
		vmq_nl_close(ctx->nl);
		ctx->nl = NULL;
	}
	close(d.sigfd);
	return VMQ_EXIT_FAIL;
}

/* "daemon config FILE": "run" is the default command. */
static int daemon_run_config(struct vmq_ctx *ctx, int argc, char **argv)
{
	char *args[3] = { "config", argc > 0 ? argv[0] : NULL,
			  argc > 1 ? argv[1] : NULL };

	return daemon_run(ctx, argc > 1 ? 3 : argc + 1, args);
}

static const struct vmq_cmd daemon_cmds[] = {
	{ VMQ_KW("run"),	daemon_run },	/* the default */
	{ VMQ_KW("config"),	daemon_run_config },
	VMQ_CMD_HELP,
	{ },
};

const struct vmq_object vmq_daemon_object = {
	.name	= "daemon",
	.cmds	= daemon_cmds,
	.usage	= daemon_usage,
};
