// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl team: attach vmq to a bond, detach it, change its settings, show
 * the teams, and show or apply the planner's processor sets.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <linux/genetlink.h>
#include <linux/vmq.h>

#include "nl.h"
#include "output.h"
#include "vmqctl.h"

static const struct vmq_attr_desc member_attrs[VMQ_A_MEMBER_MAX + 1] = {
	[VMQ_A_MEMBER_IFINDEX] = { .name = "ifindex", .type = MNL_TYPE_U32 },
	[VMQ_A_MEMBER_IFNAME] = { .name = "ifname",
				  .type = MNL_TYPE_NUL_STRING },
};

static const struct vmq_attr_set member_set = {
	.name	= "member",
	.max	= VMQ_A_MEMBER_MAX,
	.attrs	= member_attrs,
};

static const struct vmq_attr_desc team_attrs[VMQ_A_TEAM_MAX + 1] = {
	[VMQ_A_TEAM_IFINDEX] = { .name = "ifindex", .type = MNL_TYPE_U32 },
	[VMQ_A_TEAM_IFNAME] = { .name = "ifname",
				.type = MNL_TYPE_NUL_STRING },
	[VMQ_A_TEAM_MODE] = { .name = "mode", .type = MNL_TYPE_U32 },
	[VMQ_A_TEAM_QUEUE_MODE] = { .name = "queue-mode",
				    .type = MNL_TYPE_U32 },
	[VMQ_A_TEAM_MODE_REASON] = { .name = "mode-reason",
				     .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_TEAM_MEMBER] = { .name = "member", .type = MNL_TYPE_NESTED,
				.nest = &member_set },
	[VMQ_A_TEAM_RX_PACKETS] = { .name = "rx-packets",
				    .type = MNL_TYPE_U64 },
	[VMQ_A_TEAM_RX_BYTES] = { .name = "rx-bytes", .type = MNL_TYPE_U64 },
	[VMQ_A_TEAM_PAD] = { .name = "pad" },	/* alignment only */
	[VMQ_A_TEAM_QUEUE_COUNT] = { .name = "queue-count",
				     .type = MNL_TYPE_U32 },
	[VMQ_A_TEAM_VM_QUEUE_COUNT] = { .name = "vm-queue-count",
					.type = MNL_TYPE_U32 },
	[VMQ_A_TEAM_STATE] = { .name = "state", .type = MNL_TYPE_U32 },
	[VMQ_A_TEAM_STATE_REASON] = { .name = "state-reason",
				      .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_TEAM_PLAN_ADAPTER] = { .name = "plan-adapter",
				      .type = MNL_TYPE_NESTED,
				      .nest = &vmq_adapter_set },
	[VMQ_A_TEAM_APPLY] = { .name = "apply", .type = MNL_TYPE_FLAG },
	[VMQ_A_TEAM_REPAIRS] = { .name = "repairs", .type = MNL_TYPE_U64 },
	[VMQ_A_TEAM_STEERING] = { .name = "steering", .type = MNL_TYPE_U32 },
	[VMQ_A_TEAM_HOOK] = { .name = "hook", .type = MNL_TYPE_NUL_STRING },
};

const struct vmq_attr_set vmq_team_set = {
	.name	= "team",
	.max	= VMQ_A_TEAM_MAX,
	.attrs	= team_attrs,
};

/* Indexed by enum vmq_team_mode. */
static const struct vmq_keyword team_modes[] = {
	[VMQ_TEAM_MODE_AUTO]	= VMQ_KW("auto"),
	[VMQ_TEAM_MODE_MIN]	= VMQ_KW("min"),
	[VMQ_TEAM_MODE_SUM]	= VMQ_KW("sum"),
	[VMQ_TEAM_MODE_MAX + 1]	= { },
};

/* Indexed by enum vmq_steering. */
static const struct vmq_keyword team_steerings[] = {
	[VMQ_STEERING_AUTO]	= VMQ_KW("auto"),
	[VMQ_STEERING_HW]	= VMQ_KW("hw"),
	[VMQ_STEERING_SW]	= VMQ_KW("sw"),
	[VMQ_STEERING_OFF]	= VMQ_KW("off"),
	[VMQ_STEERING_MAX + 1]	= { },
};

/* Indexed by enum vmq_team_state. */
static const char *const team_states[] = {
	[VMQ_TEAM_STATE_OK]		= "ok",
	[VMQ_TEAM_STATE_MISCONFIGURED]	= "misconfigured",
};

static void team_usage(FILE *fp)
{
	fputs("Usage: vmqctl team attach DEV [ mode { auto | min | sum } ]\n"
	      "       vmqctl team set DEV steering { auto | hw | sw | off }\n"
	      "       vmqctl team detach DEV\n"
	      "       vmqctl team { show | list } [ DEV ]\n"
	      "       vmqctl team plan DEV [ apply ]\n"
	      "       vmqctl team help\n", fp);
}

/* ---- show ---- */

/* A mode's name, or NULL for a mode this vmqctl predates. */
const char *vmq_team_mode_name(uint32_t mode)
{
	return mode <= VMQ_TEAM_MODE_MAX ? team_modes[mode].name : NULL;
}

/* A steering's name, or NULL for one this vmqctl predates. */
const char *vmq_team_steering_name(uint32_t steering)
{
	return steering <= VMQ_STEERING_MAX ? team_steerings[steering].name :
					      NULL;
}

/* A mode's name; a number, as text, for a mode this vmqctl predates. */
static const char *team_mode_name(uint32_t mode, char *buf, size_t len)
{
	if (vmq_team_mode_name(mode))
		return vmq_team_mode_name(mode);
	snprintf(buf, len, "%" PRIu32, mode);
	return buf;
}

/* Print @tb[type] as a mode, if the kernel sent it. */
static void team_print_mode(const struct nlattr **tb, int type,
			    const char *key, const char *fmt)
{
	char buf[16];

	if (tb[type])
		vmq_out_str(VMQ_OUT_ANY, key, fmt,
			    team_mode_name(mnl_attr_get_u32(tb[type]),
					   buf, sizeof(buf)));
}

/*
 * Print an enum attribute by @name, or as a number where this vmqctl,
 * older than the module, knows no name for it.
 */
static void team_print_enum(const char *key, const char *fmt, uint32_t v,
			    const char *name)
{
	char buf[16];

	if (!name) {
		snprintf(buf, sizeof(buf), "%" PRIu32, v);
		name = buf;
	}
	vmq_out_str(VMQ_OUT_ANY, key, fmt, name);
}

static void team_print_state(const struct nlattr *attr)
{
	uint32_t v;

	if (!attr)
		return;
	v = mnl_attr_get_u32(attr);
	team_print_enum("state", " state %s", v,
			v < ARRAY_SIZE(team_states) ? team_states[v] : NULL);
}

static void team_print_steering(const struct nlattr *attr)
{
	uint32_t v;

	if (!attr)
		return;
	v = mnl_attr_get_u32(attr);
	team_print_enum("steering", " steering %s", v,
			vmq_team_steering_name(v));
}

/* Print a device by name, or as "ifN" if only its index came. */
static void team_print_dev(const struct nlattr *ifname,
			   const struct nlattr *ifindex, const char *fmt)
{
	uint32_t index = ifindex ? mnl_attr_get_u32(ifindex) : 0;

	vmq_out_dev("ifname", "ifindex", fmt,
		    ifname ? mnl_attr_get_str(ifname) : NULL,
		    ifindex ? &index : NULL);
}

/* Print @tb[type] as a u32, if the kernel sent it. */
static void team_print_u32(const struct nlattr **tb, int type,
			   const char *key, const char *fmt)
{
	if (tb[type])
		vmq_out_u32(VMQ_OUT_ANY, key, fmt, mnl_attr_get_u32(tb[type]));
}

/* The state's name; a number, as text, for a state this vmqctl predates. */
static void team_print_member(const struct nlattr *nest)
{
	const struct nlattr *tb[VMQ_A_MEMBER_MAX + 1];

	/* checked already, with the rest of the message */
	vmq_nl_parse_nested(nest, &member_set, tb);
	vmq_out_obj_begin(NULL);
	team_print_dev(tb[VMQ_A_MEMBER_IFNAME], tb[VMQ_A_MEMBER_IFINDEX],
		       " %s");
	vmq_out_obj_end();
}

static void team_print_members(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;

	vmq_out_arr_begin("members", "    members:");
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == VMQ_A_TEAM_MEMBER)
			team_print_member(attr);
	}
	vmq_out_arr_end("\n");
}

/* The counters: "rx: 12 packets 1024 bytes; repairs 3". */
static void team_print_rx(const struct nlattr **tb)
{
	const struct nlattr *packets = tb[VMQ_A_TEAM_RX_PACKETS];
	const struct nlattr *bytes = tb[VMQ_A_TEAM_RX_BYTES];
	const struct nlattr *repairs = tb[VMQ_A_TEAM_REPAIRS];

	if (!packets && !bytes && !repairs)
		return;
	vmq_out_text("    rx:");
	if (packets)
		vmq_out_u64(VMQ_OUT_ANY, "rx_packets", " %" PRIu64 " packets",
			    mnl_attr_get_u64(packets));
	if (bytes)
		vmq_out_u64(VMQ_OUT_ANY, "rx_bytes", " %" PRIu64 " bytes",
			    mnl_attr_get_u64(bytes));
	if (repairs)
		vmq_out_u64(VMQ_OUT_ANY, "repairs", "; repairs %" PRIu64,
			    mnl_attr_get_u64(repairs));
	vmq_out_text("\n");
}

/* Print one team message: a reply to "do" or one of a dump. */
static int team_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_TEAM_MAX + 1];

	(void)data;
	if (vmq_nl_parse(nlh, &vmq_team_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;

	vmq_out_obj_begin(NULL);
	team_print_dev(tb[VMQ_A_TEAM_IFNAME], tb[VMQ_A_TEAM_IFINDEX], "%s:");
	team_print_mode(tb, VMQ_A_TEAM_MODE, "mode", " mode %s");
	team_print_mode(tb, VMQ_A_TEAM_QUEUE_MODE, "queue_mode",
			" queue-mode %s");
	team_print_u32(tb, VMQ_A_TEAM_QUEUE_COUNT, "queue_count",
		       " queues %" PRIu32);
	team_print_u32(tb, VMQ_A_TEAM_VM_QUEUE_COUNT, "vm_queue_count",
		       " vm-queues %" PRIu32);
	team_print_state(tb[VMQ_A_TEAM_STATE]);
	team_print_steering(tb[VMQ_A_TEAM_STEERING]);
	vmq_out_text("\n");
	if (tb[VMQ_A_TEAM_MODE_REASON])
		vmq_out_str(VMQ_OUT_ANY, "mode_reason", "    reason: %s\n",
			    mnl_attr_get_str(tb[VMQ_A_TEAM_MODE_REASON]));
	if (tb[VMQ_A_TEAM_STATE_REASON])
		vmq_out_str(VMQ_OUT_ANY, "state_reason",
			    "    misconfigured: %s\n",
			    mnl_attr_get_str(tb[VMQ_A_TEAM_STATE_REASON]));
	if (tb[VMQ_A_TEAM_HOOK])
		vmq_out_str(VMQ_OUT_ANY, "hook", "    hook: %s\n",
			    mnl_attr_get_str(tb[VMQ_A_TEAM_HOOK]));
	team_print_members(nlh);
	team_print_rx(tb);
	vmq_out_obj_end();
	return MNL_CB_OK;
}

static int team_show(struct vmq_ctx *ctx, int argc, char **argv)
{
	return vmq_show_objects(ctx, argc, argv, VMQ_CMD_TEAM_GET,
				VMQ_A_TEAM_IFNAME, &vmq_team_set, team_print);
}

/* ---- attach, detach ---- */

struct team_req {
	const char *dev;
	int mode;		/* enum vmq_team_mode; -1: not given */
	int steering;		/* enum vmq_steering; -1: not given */
};

static struct nlmsghdr *team_req_put(struct vmq_nl *nl, uint8_t cmd,
				      const struct team_req *r)
{
	struct nlmsghdr *req = vmq_nl_req(nl, cmd, 0);

	mnl_attr_put_strz(req, VMQ_A_TEAM_IFNAME, r->dev);
	if (r->mode >= 0)
		mnl_attr_put_u32(req, VMQ_A_TEAM_MODE, (uint32_t)r->mode);
	if (r->steering >= 0)
		mnl_attr_put_u32(req, VMQ_A_TEAM_STEERING,
				 (uint32_t)r->steering);
	return req;
}

static int team_mode_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_TEAM_MAX + 1];
	int *mode = data;

	if (vmq_nl_parse(nlh, &vmq_team_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (tb[VMQ_A_TEAM_MODE])
		*mode = (int)mnl_attr_get_u32(tb[VMQ_A_TEAM_MODE]);
	return MNL_CB_OK;
}

/* Whether @r's bond is attached already in the mode @r asks for. */
static bool team_attached_as_asked(struct vmq_nl *nl, const struct team_req *r)
{
	struct nlmsghdr *req = vmq_nl_req(nl, VMQ_CMD_TEAM_GET, 0);
	int mode = -1;

	mnl_attr_put_strz(req, VMQ_A_TEAM_IFNAME, r->dev);
	if (vmq_nl_talk(nl, req, &vmq_team_set, team_mode_cb, &mode))
		return false;
	return mode == (r->mode >= 0 ? r->mode : VMQ_TEAM_MODE_AUTO);
}

static int team_send(struct vmq_ctx *ctx, uint8_t cmd,
		     const struct team_req *r)
{
	struct nlmsghdr *req;
	struct vmq_nl *nl;
	int ret;

	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	req = team_req_put(nl, cmd, r);
	/*
	 * Under restore, an attach of a bond attached as asked is done.
	 * The module refuses it all the same: genetlink takes no
	 * NLM_F_EXCL to say an add of what exists is not an error.
	 */
	if (ctx->restore && cmd == VMQ_CMD_TEAM_ATTACH) {
		ret = vmq_nl_talk_unless(nl, req, &vmq_team_set, EEXIST);
		if (ret != -EEXIST)
			return ret ? VMQ_EXIT_FAIL : VMQ_EXIT_OK;
		if (team_attached_as_asked(nl, r))
			return VMQ_EXIT_OK;
		vmq_error("vmq is already attached to %s, in another mode", r->dev);
		return VMQ_EXIT_FAIL;
	}
	if (vmq_nl_talk(nl, req, &vmq_team_set, NULL, NULL))
		return VMQ_EXIT_FAIL;
	return VMQ_EXIT_OK;
}

/* DEV, the first argument of attach and detach. */
static int team_parse_dev(struct vmq_ctx *ctx, int argc, char **argv,
			  struct team_req *r)
{
	if (argc < 1)
		return vmq_usage_error(ctx, "missing DEV");
	r->dev = argv[0];
	return vmq_check_ifname(ctx, r->dev);
}

static int team_parse_mode(struct vmq_ctx *ctx, const char *word,
			   struct team_req *r)
{
	const struct vmq_keyword *mode;

	if (r->mode >= 0)
		return vmq_usage_error(ctx, "mode given twice");
	mode = vmq_lookup(word, "mode", team_modes);
	if (!mode)
		return vmq_usage_fail(ctx);
	r->mode = (int)(mode - team_modes);
	return VMQ_EXIT_OK;
}

static int team_parse_steering(struct vmq_ctx *ctx, const char *word,
			       struct team_req *r)
{
	const struct vmq_keyword *steering;

	if (r->steering >= 0)
		return vmq_usage_error(ctx, "steering given twice");
	steering = vmq_lookup(word, "steering", team_steerings);
	if (!steering)
		return vmq_usage_fail(ctx);
	r->steering = (int)(steering - team_steerings);
	return VMQ_EXIT_OK;
}

/* A keyword after DEV, and what parses its one value. */
struct team_kw {
	struct vmq_keyword kw;
	int (*parse)(struct vmq_ctx *ctx, const char *word,
		     struct team_req *r);
};

static const struct team_kw attach_keywords[] = {
	{ VMQ_KW("mode"),	team_parse_mode },
	{ },
};

static const struct team_kw set_keywords[] = {
	{ VMQ_KW("steering"),	team_parse_steering },
	{ },
};

/* The keywords after DEV, as @table has them: each takes one value. */
static int team_parse_keywords(struct vmq_ctx *ctx, int argc, char **argv,
			       const struct team_kw *table, struct team_req *r)
{
	struct vmq_keyword words[4] = { };
	const struct vmq_keyword *kw;
	size_t i;
	int ret;

	for (i = 0; table[i].kw.name && i + 1 < ARRAY_SIZE(words); i++)
		words[i] = table[i].kw;
	for (; argc > 0; argc -= 2, argv += 2) {
		kw = vmq_lookup(argv[0], "keyword", words);
		if (!kw)
			return vmq_usage_fail(ctx);
		if (argc < 2)
			return vmq_usage_error(ctx, "\"%s\" needs a value",
					       kw->name);
		ret = table[kw - words].parse(ctx, argv[1], r);
		if (ret)
			return ret;
	}
	return VMQ_EXIT_OK;
}

static int team_attach(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct team_req r = { .mode = -1, .steering = -1 };
	int ret;

	ret = team_parse_dev(ctx, argc, argv, &r);
	if (!ret)
		ret = team_parse_keywords(ctx, argc - 1, argv + 1,
					  attach_keywords, &r);
	if (ret)
		return ret;
	return team_send(ctx, VMQ_CMD_TEAM_ATTACH, &r);
}

/* team set DEV steering auto|hw|sw|off */
static int team_set_cmd(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct team_req r = { .mode = -1, .steering = -1 };
	int ret;

	ret = team_parse_dev(ctx, argc, argv, &r);
	if (!ret)
		ret = team_parse_keywords(ctx, argc - 1, argv + 1,
					  set_keywords, &r);
	if (ret)
		return ret;
	if (r.steering < 0)
		return vmq_usage_error(ctx, "nothing to set");
	return team_send(ctx, VMQ_CMD_TEAM_SET, &r);
}

static int team_detach(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct team_req r = { .mode = -1, .steering = -1 };
	int ret;

	ret = team_parse_dev(ctx, argc, argv, &r);
	if (ret)
		return ret;
	if (argc > 1)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[1]);
	return team_send(ctx, VMQ_CMD_TEAM_DETACH, &r);
}

/* ---- plan ---- */

/* One adapter of a plan: its name, its CPUs and why. */
static void team_print_plan_adapter(const struct nlattr *nest)
{
	const struct nlattr *tb[VMQ_A_ADAPTER_MAX + 1];

	/* checked already, with the rest of the message */
	vmq_nl_parse_nested(nest, &vmq_adapter_set, tb);
	vmq_out_obj_begin(NULL);
	team_print_dev(tb[VMQ_A_ADAPTER_IFNAME], tb[VMQ_A_ADAPTER_IFINDEX],
		       "    %s:");
	vmq_adapter_print_cpus(mnl_attr_get_payload(nest),
			       mnl_attr_get_payload_len(nest), " CPUs ");
	if (tb[VMQ_A_ADAPTER_REASON])
		vmq_out_str(VMQ_OUT_ANY, "reason", "  (%s)",
			    mnl_attr_get_str(tb[VMQ_A_ADAPTER_REASON]));
	vmq_out_text("\n");
	vmq_out_obj_end();
}

/* Print the reply to team-plan; @data points to whether it was applied. */
static int team_print_plan(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_TEAM_MAX + 1];
	const bool *applied = data;
	const struct nlattr *attr;

	if (vmq_nl_parse(nlh, &vmq_team_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;

	vmq_out_obj_begin(NULL);
	team_print_dev(tb[VMQ_A_TEAM_IFNAME], tb[VMQ_A_TEAM_IFINDEX], "%s:");
	if (tb[VMQ_A_TEAM_QUEUE_MODE])
		team_print_mode(tb, VMQ_A_TEAM_QUEUE_MODE, "queue_mode",
				" %s-queue plan");
	else
		vmq_out_text(" plan");
	if (tb[VMQ_A_TEAM_MODE_REASON])
		vmq_out_str(VMQ_OUT_ANY, "mode_reason", " (%s)",
			    mnl_attr_get_str(tb[VMQ_A_TEAM_MODE_REASON]));
	vmq_out_text("\n");
	vmq_out_arr_begin("adapters", "");
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == VMQ_A_TEAM_PLAN_ADAPTER)
			team_print_plan_adapter(attr);
	}
	vmq_out_arr_end("");
	vmq_out_bool(VMQ_OUT_JSON, "applied", NULL, *applied);
	if (*applied)
		vmq_out_text("    applied\n");
	vmq_out_obj_end();
	return MNL_CB_OK;
}

static const struct vmq_keyword plan_keywords[] = {
	VMQ_KW("apply"),
	{ },
};

static int team_plan(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct team_req r = { .mode = -1 };
	struct nlmsghdr *req;
	bool apply = false;
	struct vmq_nl *nl;
	int i, ret;

	ret = team_parse_dev(ctx, argc, argv, &r);
	if (ret)
		return ret;
	for (i = 1; i < argc; i++) {
		if (!vmq_lookup(argv[i], "keyword", plan_keywords))
			return vmq_usage_fail(ctx);
		if (apply)
			return vmq_usage_error(ctx, "apply given twice");
		apply = true;
	}

	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	req = vmq_nl_req(nl, VMQ_CMD_TEAM_PLAN, 0);
	mnl_attr_put_strz(req, VMQ_A_TEAM_IFNAME, r.dev);
	if (apply)
		mnl_attr_put(req, VMQ_A_TEAM_APPLY, 0, "");

	vmq_out_begin();
	if (vmq_nl_talk(nl, req, &vmq_team_set, team_print_plan, &apply)) {
		vmq_out_discard();
		return VMQ_EXIT_FAIL;
	}
	return vmq_out_end() ? VMQ_EXIT_FAIL : VMQ_EXIT_OK;
}

static const struct vmq_cmd team_cmds[] = {
	{ VMQ_KW("show", "list", "ls"),	team_show },	/* the default */
	{ VMQ_KW("attach"),		team_attach },
	{ VMQ_KW("set"),		team_set_cmd },
	{ VMQ_KW("detach"),		team_detach },
	{ VMQ_KW("plan"),		team_plan },
	VMQ_CMD_HELP,
	{ },
};

const struct vmq_object vmq_team_object = {
	.name	= "team",
	.cmds	= team_cmds,
	.usage	= team_usage,
};
