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
 * its group, with it.  nlctrl's notify group announces the family when
 * it is registered again (with a new id), and the daemon then starts
 * afresh.  (It may also say the family went away; 6.12 was not seen to.)
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/vmq.h>

#include "nl.h"
#include "vmqctl.h"

struct daemon_state {
	struct vmq_ctx *ctx;		/* its socket asks; the other listens */
	char **devs;			/* adapters found by a dump */
	size_t nr_devs;
	bool family_back;		/* the module was loaded again */
};

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
		return MNL_CB_OK;
	}
	fputs("vmqctl daemon: the vmq module is back\n", stderr);
	d->family_back = true;
	return MNL_CB_ERROR;
}

static int daemon_event(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_EVENT_MAX + 1];
	char dev[IF_NAMESIZE];
	int cmd;

	cmd = vmq_nl_family_event(nlh);
	if (cmd)
		return daemon_family_event(data, cmd);
	if (nlh->nlmsg_type == GENL_ID_CTRL ||
	    vmq_nl_parse(nlh, &vmq_event_set, tb) != MNL_CB_OK)
		return MNL_CB_OK;	/* another family's, or said why */
	if (!tb[VMQ_A_EVENT_TYPE] || !tb[VMQ_A_EVENT_ADAPTER_IFINDEX] ||
	    mnl_attr_get_u32(tb[VMQ_A_EVENT_TYPE]) != VMQ_EVENT_IRQS_WANTED)
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
	fputs("Usage: vmqctl daemon [ run ]\n"
	      "       vmqctl daemon help\n"
	      "Runs in the foreground (a service manager's job to detach it),\n"
	      "answering the module's requests in this network namespace: the\n"
	      "RX queue IRQs it cannot find itself are handed down as\n"
	      "`adapter set DEV irq auto` would, on every irqs-wanted event\n"
	      "(attach, a VM taking a queue, a reset or channel change), and\n"
	      "for every adapter at start.  Says what it did on stderr.\n", fp);
}

/*
 * Listen to the module and to nlctrl until the socket fails, or the
 * family comes back after an unload (d->family_back).
 */
static int daemon_listen(struct daemon_state *d)
{
	struct vmq_nl *listener = vmq_nl_open();
	int ret = -1;

	if (!listener)
		return -1;
	/* Listen first: a question asked meanwhile is not missed. */
	if (!vmq_nl_subscribe_families(listener) &&
	    !vmq_nl_subscribe_monitor(listener)) {
		fputs("vmqctl daemon: listening\n", stderr);
		daemon_answer_all(d);
		ret = vmq_nl_listen(listener, daemon_event, daemon_answer_all,
				    d);
	}
	vmq_nl_close(listener);
	return ret;
}

static int daemon_run(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct daemon_state d = { .ctx = ctx };

	if (argc > 0)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[0]);
	while (daemon_listen(&d) && d.family_back) {
		d.family_back = false;
		/* The request socket knows the old family's id. */
		vmq_nl_close(ctx->nl);
		ctx->nl = NULL;
	}
	return VMQ_EXIT_FAIL;
}

static const struct vmq_cmd daemon_cmds[] = {
	{ VMQ_KW("run"),	daemon_run },	/* the default */
	VMQ_CMD_HELP,
	{ },
};

const struct vmq_object vmq_daemon_object = {
	.name	= "daemon",
	.cmds	= daemon_cmds,
	.usage	= daemon_usage,
};
