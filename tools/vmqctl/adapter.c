// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl adapter: show and change the VMQ settings of a team's members,
 * after Get-NetAdapterVmq and Set-NetAdapterVmq.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <stdio.h>
#include <linux/genetlink.h>
#include <linux/vmq.h>

#include "nl.h"
#include "output.h"
#include "irqmap.h"
#include "vmqctl.h"

static const struct vmq_attr_desc adapter_attrs[VMQ_A_ADAPTER_MAX + 1] = {
	[VMQ_A_ADAPTER_IFINDEX] = { .name = "ifindex", .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_IFNAME] = { .name = "ifname",
				   .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_ADAPTER_TEAM_IFINDEX] = { .name = "team-ifindex",
					 .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_TEAM_IFNAME] = { .name = "team-ifname",
					.type = MNL_TYPE_NUL_STRING },
	[VMQ_A_ADAPTER_BASE_PROCESSOR] = { .name = "base-processor",
					   .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER] = {
		.name = "max-processor-number", .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_MAX_PROCESSORS] = { .name = "max-processors",
					   .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_NUMA_NODE] = { .name = "numa-node",
				      .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_DEFAULT_QUEUES] = { .name = "default-queues",
					   .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_ENABLED] = { .name = "enabled", .type = MNL_TYPE_U8 },
	[VMQ_A_ADAPTER_PROCESSORS_AUTO] = { .name = "processors-auto",
					    .type = MNL_TYPE_FLAG },
	[VMQ_A_ADAPTER_PROCSET_SOURCE] = { .name = "procset-source",
					   .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_PROCESSOR] = { .name = "processor",
				      .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_NIC_NUMA_NODE] = { .name = "nic-numa-node",
					  .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_QUEUES] = { .name = "queues", .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_MAC_STEERING] = { .name = "mac-steering",
					 .type = MNL_TYPE_U8 },
	[VMQ_A_ADAPTER_RULE_CAPACITY] = { .name = "rule-capacity",
					  .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_RULES_USED] = { .name = "rules-used",
				       .type = MNL_TYPE_U32 },
	[VMQ_A_ADAPTER_RSS_NARROWED] = { .name = "rss-narrowed",
					 .type = MNL_TYPE_U8 },
	[VMQ_A_ADAPTER_REASON] = { .name = "reason",
				   .type = MNL_TYPE_NUL_STRING },
};

const struct vmq_attr_set vmq_adapter_set = {
	.name	= "adapter",
	.max	= VMQ_A_ADAPTER_MAX,
	.attrs	= adapter_attrs,
};

/* Indexed by enum vmq_procset_source. */
static const char *const procset_sources[] = {
	[VMQ_PROCSET_PLANNER]	= "planner",
	[VMQ_PROCSET_EXPLICIT]	= "explicit",
};

static void adapter_usage(FILE *fp)
{
	fputs("Usage: vmqctl adapter { show | list } [ DEV ]\n"
	      "       vmqctl adapter set DEV [ base-processor CPU ]\n"
	      "                              [ max-processor-number CPU ]\n"
	      "                              [ max-processors COUNT ]\n"
	      "                              [ numa-node NODE ]\n"
	      "                              [ default-queues COUNT ]\n"
	      "                              [ enabled { on | off } ]\n"
	      "                              [ processors auto ]\n"
	      "                              [ irq auto | queue QUEUE irq IRQ ]\n"
	      "       vmqctl adapter help\n"
	      "where  CPU, COUNT, NODE, QUEUE, IRQ := decimal numbers\n"
	      "       irq auto finds the RX queue IRQs by name in /proc/interrupts,\n"
	      "       checked against the device's MSI vectors in sysfs\n", fp);
}

/* ---- show ---- */

/*
 * Print the processor attributes among the @len bytes of attributes at
 * @payload (a message's or a nest's), checked already, as a CPU list.
 */
void vmq_adapter_print_cpus(const void *payload, size_t len,
			    const char *text)
{
	const struct nlattr *attr;

	vmq_out_cpus_begin("processors", text);
	mnl_attr_for_each_payload(payload, len) {
		if (mnl_attr_get_type(attr) == VMQ_A_ADAPTER_PROCESSOR)
			vmq_out_cpus_add(mnl_attr_get_u32(attr));
	}
	vmq_out_cpus_end();
}

/* Print @tb[type] as a u32, if the kernel sent it. */
static void adapter_print_u32(const struct nlattr **tb, int type,
			      const char *key, const char *fmt)
{
	if (tb[type])
		vmq_out_u32(VMQ_OUT_ANY, key, fmt, mnl_attr_get_u32(tb[type]));
}

static void adapter_print_dev(const struct nlattr *ifname,
			      const struct nlattr *ifindex,
			      const char *name_key, const char *index_key,
			      const char *fmt)
{
	uint32_t index = ifindex ? mnl_attr_get_u32(ifindex) : 0;

	vmq_out_dev(name_key, index_key, fmt,
		    ifname ? mnl_attr_get_str(ifname) : NULL,
		    ifindex ? &index : NULL);
}

static void adapter_print_source(const struct nlattr *attr)
{
	uint32_t source;
	char buf[16];

	if (!attr)
		return;
	source = mnl_attr_get_u32(attr);
	if (source < ARRAY_SIZE(procset_sources)) {
		vmq_out_str(VMQ_OUT_ANY, "processor_source", " (%s)",
			    procset_sources[source]);
	} else {
		snprintf(buf, sizeof(buf), "%" PRIu32, source);
		vmq_out_str(VMQ_OUT_ANY, "processor_source", " (%s)", buf);
	}
}

/* The explicit settings, on a line of their own if any was sent. */
static void adapter_print_settings(const struct nlattr **tb)
{
	if (!tb[VMQ_A_ADAPTER_BASE_PROCESSOR] &&
	    !tb[VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER] &&
	    !tb[VMQ_A_ADAPTER_MAX_PROCESSORS] && !tb[VMQ_A_ADAPTER_NUMA_NODE])
		return;
	vmq_out_text("    settings:");
	adapter_print_u32(tb, VMQ_A_ADAPTER_BASE_PROCESSOR, "base_processor",
			  " base-processor %" PRIu32);
	adapter_print_u32(tb, VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER,
			  "max_processor_number",
			  " max-processor-number %" PRIu32);
	adapter_print_u32(tb, VMQ_A_ADAPTER_MAX_PROCESSORS, "max_processors",
			  " max-processors %" PRIu32);
	adapter_print_u32(tb, VMQ_A_ADAPTER_NUMA_NODE, "numa_node",
			  " numa-node %" PRIu32);
	vmq_out_text("\n");
}

/* What the NIC can do: MAC steering, its rule table, RSS narrowing. */
static void adapter_print_nic(const struct nlattr **tb)
{
	const struct nlattr *steer = tb[VMQ_A_ADAPTER_MAC_STEERING];

	vmq_out_text("    nic:");
	if (steer)
		vmq_out_bool(VMQ_OUT_ANY, "mac_steering", " mac-steering %s",
			     mnl_attr_get_u8(steer));
	else
		vmq_out_text(" mac-steering unknown");
	adapter_print_u32(tb, VMQ_A_ADAPTER_RULES_USED, "rules_used",
			  " rules %" PRIu32);
	adapter_print_u32(tb, VMQ_A_ADAPTER_RULE_CAPACITY, "rule_capacity",
			  "/%" PRIu32);
	if (tb[VMQ_A_ADAPTER_RSS_NARROWED])
		vmq_out_bool(VMQ_OUT_ANY, "rss_narrowed", " rss-narrowed %s",
			     mnl_attr_get_u8(tb[VMQ_A_ADAPTER_RSS_NARROWED]));
	vmq_out_text("\n");
}

/* Print one adapter message: a reply to "do" or one of a dump. */
static int adapter_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_ADAPTER_MAX + 1];
	const char *attrs, *tail;

	(void)data;
	if (vmq_nl_parse(nlh, &vmq_adapter_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;

	vmq_out_obj_begin(NULL);
	adapter_print_dev(tb[VMQ_A_ADAPTER_IFNAME], tb[VMQ_A_ADAPTER_IFINDEX],
			  "ifname", "ifindex", "%s:");
	adapter_print_dev(tb[VMQ_A_ADAPTER_TEAM_IFNAME],
			  tb[VMQ_A_ADAPTER_TEAM_IFINDEX], "team",
			  "team_ifindex", " team %s");
	adapter_print_u32(tb, VMQ_A_ADAPTER_QUEUES, "queues",
			  " queues %" PRIu32);
	adapter_print_u32(tb, VMQ_A_ADAPTER_DEFAULT_QUEUES, "default_queues",
			  " default-queues %" PRIu32);
	if (tb[VMQ_A_ADAPTER_ENABLED])
		vmq_out_bool(VMQ_OUT_ANY, "enabled", " enabled %s",
			     mnl_attr_get_u8(tb[VMQ_A_ADAPTER_ENABLED]));
	vmq_out_text("\n");

	attrs = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	tail = mnl_nlmsg_get_payload_tail(nlh);
	vmq_adapter_print_cpus(attrs, (size_t)(tail - attrs),
			       "    processors: ");
	adapter_print_source(tb[VMQ_A_ADAPTER_PROCSET_SOURCE]);
	vmq_out_text("\n");

	adapter_print_settings(tb);
	adapter_print_u32(tb, VMQ_A_ADAPTER_NIC_NUMA_NODE, "nic_numa_node",
			  "    nic-numa-node %" PRIu32 "\n");
	adapter_print_nic(tb);
	vmq_out_obj_end();
	return MNL_CB_OK;
}

static int adapter_show(struct vmq_ctx *ctx, int argc, char **argv)
{
	return vmq_show_objects(ctx, argc, argv, VMQ_CMD_ADAPTER_GET,
				VMQ_A_ADAPTER_IFNAME, &vmq_adapter_set,
				adapter_print);
}

/* ---- set ---- */

/* The keywords of set, in the order their attributes are sent. */
enum {
	SET_KW_BASE_PROCESSOR,
	SET_KW_MAX_PROCESSOR_NUMBER,
	SET_KW_MAX_PROCESSORS,
	SET_KW_NUMA_NODE,
	SET_KW_DEFAULT_QUEUES,
	SET_KW_ENABLED,
	SET_KW_PROCESSORS,
	SET_KW_IRQ,
	SET_KW_QUEUE,
	SET_KW_COUNT
};

static const struct vmq_keyword set_keywords[] = {
	[SET_KW_BASE_PROCESSOR]		= VMQ_KW("base-processor"),
	[SET_KW_MAX_PROCESSOR_NUMBER]	= VMQ_KW("max-processor-number"),
	[SET_KW_MAX_PROCESSORS]		= VMQ_KW("max-processors"),
	[SET_KW_NUMA_NODE]		= VMQ_KW("numa-node"),
	[SET_KW_DEFAULT_QUEUES]		= VMQ_KW("default-queues"),
	[SET_KW_ENABLED]		= VMQ_KW("enabled"),
	[SET_KW_PROCESSORS]		= VMQ_KW("processors"),
	[SET_KW_IRQ]			= VMQ_KW("irq"),
	[SET_KW_QUEUE]			= VMQ_KW("queue"),
	[SET_KW_COUNT]			= { },
};

/* The attribute each numeric keyword sets. */
static const uint16_t set_kw_attr[SET_KW_COUNT] = {
	[SET_KW_BASE_PROCESSOR]		= VMQ_A_ADAPTER_BASE_PROCESSOR,
	[SET_KW_MAX_PROCESSOR_NUMBER]	= VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER,
	[SET_KW_MAX_PROCESSORS]		= VMQ_A_ADAPTER_MAX_PROCESSORS,
	[SET_KW_NUMA_NODE]		= VMQ_A_ADAPTER_NUMA_NODE,
	[SET_KW_DEFAULT_QUEUES]		= VMQ_A_ADAPTER_DEFAULT_QUEUES,
	[SET_KW_ENABLED]		= VMQ_A_ADAPTER_ENABLED,
	[SET_KW_PROCESSORS]		= VMQ_A_ADAPTER_PROCESSORS_AUTO,
};

static const struct vmq_keyword on_off[] = {
	VMQ_KW("on"),		/* sent as 1 */
	VMQ_KW("off"),		/* sent as 0 */
	{ },
};

static const struct vmq_keyword processors_values[] = {
	VMQ_KW("auto"),
	{ },
};

struct adapter_req {
	const char *dev;
	bool given[SET_KW_COUNT];
	uint32_t val[SET_KW_COUNT];	/* enabled: 0 or 1; processors: 1 */
	uint32_t queue_irq;		/* queue Q irq N: N */
};

/* The value of keyword @kw, @word. */
static int adapter_parse_value(struct vmq_ctx *ctx, int kw, const char *word,
			       struct adapter_req *r)
{
	const struct vmq_keyword *v;
	const char *what;

	switch (kw) {
	case SET_KW_ENABLED:
		v = vmq_lookup(word, "value for enabled", on_off);
		if (!v)
			return vmq_usage_fail(ctx);
		r->val[kw] = v == &on_off[0];
		return VMQ_EXIT_OK;
	case SET_KW_PROCESSORS:
	case SET_KW_IRQ:
		what = kw == SET_KW_IRQ ? "value for irq" :
					  "value for processors";
		if (!vmq_lookup(word, what, processors_values))
			return vmq_usage_fail(ctx);
		r->val[kw] = 1;
		return VMQ_EXIT_OK;
	default:
		return vmq_parse_u32(ctx, set_keywords[kw].name, word,
				     &r->val[kw]);
	}
}

/* The keywords after DEV: each takes one value, and comes once. */
static int adapter_parse_set_keywords(struct vmq_ctx *ctx, int argc,
				      char **argv, struct adapter_req *r)
{
	const struct vmq_keyword *kw;
	bool any = false;
	int i, ret;

	for (; argc > 0; argc -= 2, argv += 2) {
		kw = vmq_lookup(argv[0], "keyword", set_keywords);
		if (!kw)
			return vmq_usage_fail(ctx);
		i = (int)(kw - set_keywords);
		if (argc < 2)
			return vmq_usage_error(ctx, "\"%s\" needs a value",
					       kw->name);
		if (r->given[i])
			return vmq_usage_error(ctx, "%s given twice",
					       kw->name);
		ret = adapter_parse_value(ctx, i, argv[1], r);
		if (ret)
			return ret;
		r->given[i] = true;
		any = true;
		if (i != SET_KW_QUEUE)
			continue;
		/* queue Q irq N: the IRQ of one queue, by hand */
		if (argc < 4 || !vmq_lookup(argv[2], "keyword", set_keywords) ||
		    strcmp(vmq_lookup(argv[2], "keyword", set_keywords)->name,
			   "irq"))
			return vmq_usage_error(ctx, "queue %s needs \"irq N\"",
					       argv[1]);
		ret = vmq_parse_u32(ctx, "irq", argv[3], &r->queue_irq);
		if (ret)
			return ret;
		argc -= 2;
		argv += 2;
	}
	if (r->given[SET_KW_IRQ] && r->given[SET_KW_QUEUE])
		return vmq_usage_error(ctx, "irq auto and queue Q irq N exclude each other");
	if (!any)
		return vmq_usage_error(ctx, "nothing to set");
	if (!r->given[SET_KW_PROCESSORS])
		return VMQ_EXIT_OK;
	/* processors auto drops the processor settings: not both */
	for (i = SET_KW_BASE_PROCESSOR; i <= SET_KW_NUMA_NODE; i++)
		if (r->given[i])
			return vmq_usage_error(ctx,
					       "processors auto and %s exclude each other",
					       set_keywords[i].name);
	return VMQ_EXIT_OK;
}

/* irq auto's nests (20 bytes each) and the rest fit in a request. */
_Static_assert(VMQ_NL_REQ_SIZE >= 512 + VMQ_MAX_IRQ_QUEUES * 20,
	       "VMQ_NL_REQ_SIZE too small for a queue-irq per queue");

static void adapter_put_queue_irq(struct nlmsghdr *req, uint32_t q,
				  uint32_t irq)
{
	struct nlattr *nest = mnl_attr_nest_start(req,
						  VMQ_A_ADAPTER_QUEUE_IRQ);

	mnl_attr_put_u32(req, VMQ_A_QUEUE_IRQ_INDEX, q);
	mnl_attr_put_u32(req, VMQ_A_QUEUE_IRQ_IRQ, irq);
	mnl_attr_nest_end(req, nest);
}

/*
 * irq auto: every RX queue IRQ of @dev that /proc/interrupts names and
 * sysfs confirms.  All or nothing: a queue named twice refuses it all.
 */
static int adapter_put_irqs_auto(struct nlmsghdr *req, const char *dev)
{
	struct vmq_irq_scan scan;
	unsigned int q;

	if (vmq_irqs_resolve("", dev, &scan)) {
		vmq_error("cannot read /proc/interrupts: %s", strerror(errno));
		return -1;
	}
	if (scan.ambiguous) {
		vmq_error("%d of %s's queues are named by two IRQs in /proc/interrupts; give them by hand: queue Q irq N",
			  scan.ambiguous, dev);
		return -1;
	}
	if (!scan.found && scan.foreign) {
		vmq_error("IRQs named like %s's queues are not MSI vectors of its PCI function %s (left from a renamed device?); give them by hand: queue Q irq N",
			  dev, scan.function);
		return -1;
	}
	if (!scan.found) {
		vmq_error("no queue IRQs of %s in /proc/interrupts (names like %s-rx-0 or %s-TxRx-0)",
			  dev, dev, dev);
		return -1;
	}
	for (q = 0; q < VMQ_MAX_IRQ_QUEUES; q++)
		if (scan.irq[q])
			adapter_put_queue_irq(req, q, scan.irq[q]);
	return 0;
}

static int adapter_send_set(struct vmq_ctx *ctx, const struct adapter_req *r)
{
	struct nlmsghdr *req;
	struct vmq_nl *nl;
	int i;

	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	req = vmq_nl_req(nl, VMQ_CMD_ADAPTER_SET, 0);
	mnl_attr_put_strz(req, VMQ_A_ADAPTER_IFNAME, r->dev);
	for (i = 0; i < SET_KW_COUNT; i++) {
		if (!r->given[i])
			continue;
		switch (i) {
		case SET_KW_ENABLED:
			mnl_attr_put_u8(req, set_kw_attr[i],
					(uint8_t)r->val[i]);
			break;
		case SET_KW_PROCESSORS:
			mnl_attr_put(req, set_kw_attr[i], 0, "");
			break;
		case SET_KW_IRQ:
			if (adapter_put_irqs_auto(req, r->dev))
				return VMQ_EXIT_FAIL;
			break;
		case SET_KW_QUEUE:
			adapter_put_queue_irq(req, r->val[i], r->queue_irq);
			break;
		default:
			mnl_attr_put_u32(req, set_kw_attr[i], r->val[i]);
			break;
		}
	}
	if (vmq_nl_talk(nl, req, &vmq_adapter_set, NULL, NULL))
		return VMQ_EXIT_FAIL;
	return VMQ_EXIT_OK;
}

/**
 * vmq_adapter_give_irqs - `adapter set DEV irq auto`, for the daemon
 * @nl: the socket to ask on
 * @dev: the adapter
 *
 * Return: 0, or -1 after saying why.
 */
int vmq_adapter_give_irqs(struct vmq_nl *nl, const char *dev)
{
	struct nlmsghdr *req = vmq_nl_req(nl, VMQ_CMD_ADAPTER_SET, 0);

	mnl_attr_put_strz(req, VMQ_A_ADAPTER_IFNAME, dev);
	if (adapter_put_irqs_auto(req, dev))
		return -1;
	return vmq_nl_talk(nl, req, &vmq_adapter_set, NULL, NULL);
}

static int adapter_set(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct adapter_req r = { 0 };
	int ret;

	if (argc < 1)
		return vmq_usage_error(ctx, "missing DEV");
	r.dev = argv[0];
	ret = vmq_check_ifname(ctx, r.dev);
	if (!ret)
		ret = adapter_parse_set_keywords(ctx, argc - 1, argv + 1, &r);
	if (ret)
		return ret;
	return adapter_send_set(ctx, &r);
}

static const struct vmq_cmd adapter_cmds[] = {
	{ VMQ_KW("show", "list", "ls"),	adapter_show },	/* the default */
	{ VMQ_KW("set"),		adapter_set },
	VMQ_CMD_HELP,
	{ },
};

const struct vmq_object vmq_adapter_object = {
	.name	= "adapter",
	.cmds	= adapter_cmds,
	.usage	= adapter_usage,
};
