// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl vm: add a VM (a guest MAC, + VLAN) to a team, remove it, and show
 * where each VM's frames are received: the VMs of Get-NetAdapterVmqQueue.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/vmq.h>

#include "nl.h"
#include "output.h"
#include "vmqctl.h"

/* Highest VLAN id a VM may have (4095 is reserved). */
#define VM_VLAN_MAX	4094

/* Longest VM name the kernel keeps, in bytes, without the NUL. */
#define VM_NAME_MAX	31

static const struct vmq_attr_desc vm_attrs[VMQ_A_VM_MAX + 1] = {
	[VMQ_A_VM_TEAM_IFINDEX] = { .name = "team-ifindex",
				    .type = MNL_TYPE_U32 },
	[VMQ_A_VM_TEAM_IFNAME] = { .name = "team-ifname",
				   .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_VM_MAC] = { .name = "mac", .type = MNL_TYPE_BINARY,
			   .len = VMQ_MAC_LEN },
	[VMQ_A_VM_VLAN] = { .name = "vlan", .type = MNL_TYPE_U16 },
	[VMQ_A_VM_NAME] = { .name = "name", .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_VM_STATE] = { .name = "state", .type = MNL_TYPE_U32 },
	[VMQ_A_VM_STATE_REASON] = { .name = "state-reason",
				    .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_VM_ADAPTER_IFINDEX] = { .name = "adapter-ifindex",
				       .type = MNL_TYPE_U32 },
	[VMQ_A_VM_ADAPTER_IFNAME] = { .name = "adapter-ifname",
				      .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_VM_QUEUE] = { .name = "queue", .type = MNL_TYPE_U32 },
	[VMQ_A_VM_CPU] = { .name = "cpu", .type = MNL_TYPE_U32 },
	[VMQ_A_VM_RX_PACKETS] = { .name = "rx-packets", .type = MNL_TYPE_U64 },
	[VMQ_A_VM_RX_BYTES] = { .name = "rx-bytes", .type = MNL_TYPE_U64 },
	[VMQ_A_VM_RX_ON_QUEUE] = { .name = "rx-on-queue",
				   .type = MNL_TYPE_U64 },
	[VMQ_A_VM_RX_ON_CPU] = { .name = "rx-on-cpu", .type = MNL_TYPE_U64 },
	[VMQ_A_VM_RX_SW_STEERED] = { .name = "rx-sw-steered",
				     .type = MNL_TYPE_U64 },
	[VMQ_A_VM_RX_SW_DROPPED] = { .name = "rx-sw-dropped",
				     .type = MNL_TYPE_U64 },
	[VMQ_A_VM_PAD] = { .name = "pad" },	/* alignment only */
};

const struct vmq_attr_set vmq_vm_set = {
	.name	= "vm",
	.max	= VMQ_A_VM_MAX,
	.attrs	= vm_attrs,
};

/* Indexed by enum vmq_vm_state. */
static const char *const vm_states[] = {
	[VMQ_VM_STATE_HW]		= "hw",
	[VMQ_VM_STATE_DEFAULT]		= "default",
	[VMQ_VM_STATE_NO_HW_STEERING]	= "no-hw-steering",
	[VMQ_VM_STATE_REFUSED]		= "refused",
	[VMQ_VM_STATE_MISCONFIGURED]	= "misconfigured",
	[VMQ_VM_STATE_NO_MEMBER]	= "no-member",
	[VMQ_VM_STATE_SW]		= "sw",
};

static void vm_usage(FILE *fp)
{
	fputs("Usage: vmqctl vm add TEAM MAC [ vlan ID ] [ name NAME ]\n"
	      "       vmqctl vm { del | delete } TEAM MAC [ vlan ID ]\n"
	      "       vmqctl vm { show | list } [ TEAM ] [ -s | stats ]\n"
	      "       vmqctl vm help\n"
	      "where  MAC := xx:xx:xx:xx:xx:xx\n"
	      "       ID := 0-4094\n"
	      "       NAME := at most 31 bytes\n", fp);
}

/* A state's name; a number, as text, for a state this vmqctl predates. */
const char *vmq_vm_state_name(uint32_t state, char *buf, size_t len)
{
	if (state < ARRAY_SIZE(vm_states))
		return vm_states[state];
	snprintf(buf, len, "%" PRIu32, state);
	return buf;
}

/* ---- show ---- */

struct vm_show {
	const char *team;	/* only this team's VMs; NULL: all */
	bool stats;
};

static void vm_print_dev(const struct nlattr *ifname,
			 const struct nlattr *ifindex, const char *name_key,
			 const char *index_key, const char *fmt)
{
	uint32_t index = ifindex ? mnl_attr_get_u32(ifindex) : 0;

	vmq_out_dev(name_key, index_key, fmt,
		    ifname ? mnl_attr_get_str(ifname) : NULL,
		    ifindex ? &index : NULL);
}

static void vm_print_u32(const struct nlattr **tb, int type,
			 const char *key, const char *fmt)
{
	if (tb[type])
		vmq_out_u32(VMQ_OUT_ANY, key, fmt, mnl_attr_get_u32(tb[type]));
}

/* The counters: always in JSON, in text with -s only. */
static void vm_print_stats(const struct nlattr **tb, bool stats)
{
	enum vmq_out_kind kind = stats ? VMQ_OUT_ANY : VMQ_OUT_JSON;
	static const struct {
		int type;
		const char *key, *fmt;
	} counters[] = {
		{ VMQ_A_VM_RX_PACKETS, "rx_packets", " %" PRIu64 " packets" },
		{ VMQ_A_VM_RX_BYTES, "rx_bytes", " %" PRIu64 " bytes" },
		{ VMQ_A_VM_RX_ON_QUEUE, "rx_on_queue",
		  ", %" PRIu64 " on its queue" },
		{ VMQ_A_VM_RX_ON_CPU, "rx_on_cpu", ", %" PRIu64 " on its cpu" },
		{ VMQ_A_VM_RX_SW_STEERED, "rx_sw_steered",
		  ", %" PRIu64 " steered in software" },
		{ VMQ_A_VM_RX_SW_DROPPED, "rx_sw_dropped",
		  ", %" PRIu64 " dropped: its cpu's queue was full" },
	};
	size_t i;

	if (stats)
		vmq_out_text("    rx:");
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (tb[counters[i].type])
			vmq_out_u64(kind, counters[i].key, counters[i].fmt,
				    mnl_attr_get_u64(tb[counters[i].type]));
	if (stats)
		vmq_out_text("\n");
}

/*
 * Print one VM of the dump, if it is wanted:
 *   bond0 52:54:00:aa:00:01 vlan 10 "web1": hw on igb0 queue 3 cpu 4
 *   bond0 52:54:00:aa:00:02: default (no queue free: waiting on the ...)
 */
static int vm_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_VM_MAX + 1];
	const struct nlattr *reason;
	const struct vm_show *s = data;
	char buf[16];

	if (vmq_nl_parse(nlh, &vmq_vm_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	reason = tb[VMQ_A_VM_STATE_REASON];

	vmq_out_obj_begin(NULL);
	vm_print_dev(tb[VMQ_A_VM_TEAM_IFNAME], tb[VMQ_A_VM_TEAM_IFINDEX],
		     "team", "team_ifindex", "%s");
	if (tb[VMQ_A_VM_MAC])
		vmq_out_mac(VMQ_OUT_ANY, "mac", " %s",
			    mnl_attr_get_payload(tb[VMQ_A_VM_MAC]));
	if (tb[VMQ_A_VM_VLAN])
		vmq_out_u32(VMQ_OUT_ANY, "vlan", " vlan %" PRIu32,
			    mnl_attr_get_u16(tb[VMQ_A_VM_VLAN]));
	if (tb[VMQ_A_VM_NAME])
		vmq_out_str_esc(VMQ_OUT_ANY, "name", " \"%s\"",
				mnl_attr_get_str(tb[VMQ_A_VM_NAME]));
	vmq_out_text(":");
	if (tb[VMQ_A_VM_STATE])
		vmq_out_str(VMQ_OUT_ANY, "state", " %s",
			    vmq_vm_state_name(mnl_attr_get_u32(tb[VMQ_A_VM_STATE]),
					      buf, sizeof(buf)));
	/* the reason ends the line in text, follows the state in JSON */
	if (reason)
		vmq_out_str(VMQ_OUT_JSON, "state_reason", NULL,
			    mnl_attr_get_str(reason));
	vm_print_dev(tb[VMQ_A_VM_ADAPTER_IFNAME],
		     tb[VMQ_A_VM_ADAPTER_IFINDEX], "adapter", "adapter_ifindex",
		     " on %s");
	vm_print_u32(tb, VMQ_A_VM_QUEUE, "queue", " queue %" PRIu32);
	vm_print_u32(tb, VMQ_A_VM_CPU, "cpu", " cpu %" PRIu32);
	if (reason)
		vmq_out_str(VMQ_OUT_TEXT, NULL, " (%s)",
			    mnl_attr_get_str(reason));
	vmq_out_text("\n");
	vm_print_stats(tb, s->stats);
	vmq_out_obj_end();
	return MNL_CB_OK;
}

/* [ TEAM ] [ -s | stats ], in any order. */
static int vm_parse_show(struct vmq_ctx *ctx, int argc, char **argv,
			 struct vm_show *s)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-s") || vmq_matches(argv[i], "stats")) {
			if (s->stats)
				return vmq_usage_error(ctx,
						       "stats given twice");
			s->stats = true;
		} else if (!s->team) {
			s->team = argv[i];
			if (vmq_check_ifname(ctx, s->team))
				return VMQ_EXIT_USAGE;
		} else {
			return vmq_usage_error(ctx,
					       "unexpected argument \"%s\"",
					       argv[i]);
		}
	}
	return VMQ_EXIT_OK;
}

/*
 * The kernel dumps the VMs of every team of the namespace, or of TEAM
 * (a device that is no team is its error).
 */
static int vm_show(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct vm_show s = { 0 };
	struct nlmsghdr *req;
	struct vmq_nl *nl;
	int ret;

	ret = vm_parse_show(ctx, argc, argv, &s);
	if (ret)
		return ret;
	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	req = vmq_nl_req(nl, VMQ_CMD_VM_GET, NLM_F_DUMP);
	if (s.team)
		mnl_attr_put_strz(req, VMQ_A_VM_TEAM_IFNAME, s.team);

	vmq_out_begin();
	if (vmq_nl_talk(nl, req, &vmq_vm_set, vm_print, &s)) {
		vmq_out_discard();
		return VMQ_EXIT_FAIL;
	}
	return vmq_out_end() ? VMQ_EXIT_FAIL : VMQ_EXIT_OK;
}

/* ---- add, del ---- */

struct vm_req {
	const char *team;
	uint8_t mac[VMQ_MAC_LEN];
	bool has_vlan;
	uint32_t vlan;
	const char *name;	/* NULL: not given */
};

static const struct vmq_keyword add_keywords[] = {
	VMQ_KW("vlan"),
	VMQ_KW("name"),
	{ },
};

static const struct vmq_keyword del_keywords[] = {
	VMQ_KW("vlan"),
	{ },
};

static int vm_parse_name(struct vmq_ctx *ctx, const char *word,
			 struct vm_req *r)
{
	if (r->name)
		return vmq_usage_error(ctx, "name given twice");
	if (!*word)
		return vmq_usage_error(ctx, "empty name");
	if (strlen(word) > VM_NAME_MAX)
		return vmq_usage_error(ctx,
				       "name \"%s\" too long (max %d bytes)",
				       word, VM_NAME_MAX);
	r->name = word;
	return VMQ_EXIT_OK;
}

static int vm_parse_vlan(struct vmq_ctx *ctx, const char *word,
			 struct vm_req *r)
{
	if (r->has_vlan)
		return vmq_usage_error(ctx, "vlan given twice");
	if (vmq_parse_uint(ctx, "vlan", word, VM_VLAN_MAX, &r->vlan))
		return VMQ_EXIT_USAGE;
	r->has_vlan = true;
	return VMQ_EXIT_OK;
}

/* TEAM MAC, then the @keywords, each with one value, each once. */
static int vm_parse(struct vmq_ctx *ctx, int argc, char **argv,
		    const struct vmq_keyword *keywords, struct vm_req *r)
{
	const struct vmq_keyword *kw;
	int ret;

	if (argc < 1)
		return vmq_usage_error(ctx, "missing TEAM");
	r->team = argv[0];
	if (vmq_check_ifname(ctx, r->team))
		return VMQ_EXIT_USAGE;
	if (argc < 2)
		return vmq_usage_error(ctx, "missing MAC");
	if (vmq_parse_mac(ctx, argv[1], r->mac))
		return VMQ_EXIT_USAGE;

	for (argc -= 2, argv += 2; argc > 0; argc -= 2, argv += 2) {
		kw = vmq_lookup(argv[0], "keyword", keywords);
		if (!kw)
			return vmq_usage_fail(ctx);
		if (argc < 2)
			return vmq_usage_error(ctx, "\"%s\" needs a value",
					       kw->name);
		if (!strcmp(kw->name, "vlan"))
			ret = vm_parse_vlan(ctx, argv[1], r);
		else
			ret = vm_parse_name(ctx, argv[1], r);
		if (ret)
			return ret;
	}
	return VMQ_EXIT_OK;
}

/* A request naming @r's VM; with its name, for an add. */
static struct nlmsghdr *vm_req_put(struct vmq_nl *nl, uint8_t cmd,
				   const struct vm_req *r)
{
	struct nlmsghdr *req = vmq_nl_req(nl, cmd, 0);

	mnl_attr_put_strz(req, VMQ_A_VM_TEAM_IFNAME, r->team);
	mnl_attr_put(req, VMQ_A_VM_MAC, VMQ_MAC_LEN, r->mac);
	if (r->has_vlan)
		mnl_attr_put_u16(req, VMQ_A_VM_VLAN, (uint16_t)r->vlan);
	if (r->name && cmd == VMQ_CMD_VM_ADD)
		mnl_attr_put_strz(req, VMQ_A_VM_NAME, r->name);
	return req;
}

struct vm_name_check {
	const char *want;	/* "" for none */
	bool same;
};

static int vm_name_check_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_VM_MAX + 1];
	struct vm_name_check *c = data;
	const char *name;

	if (vmq_nl_parse(nlh, &vmq_vm_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	name = tb[VMQ_A_VM_NAME] ? mnl_attr_get_str(tb[VMQ_A_VM_NAME]) : "";
	c->same = !strcmp(name, c->want);
	return MNL_CB_OK;
}

/* Whether @r's VM is there already under the name @r gives (or none). */
static bool vm_there_as_asked(struct vmq_nl *nl, const struct vm_req *r)
{
	struct vm_name_check c = { .want = r->name ? r->name : "" };

	if (vmq_nl_talk(nl, vm_req_put(nl, VMQ_CMD_VM_GET, r), &vmq_vm_set,
			vm_name_check_cb, &c))
		return false;
	return c.same;
}

static int vm_send(struct vmq_ctx *ctx, uint8_t cmd, const struct vm_req *r)
{
	struct nlmsghdr *req;
	struct vmq_nl *nl;
	int ret;

	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	req = vm_req_put(nl, cmd, r);
	/* Under restore, as team_send(): a VM there as asked is done. */
	if (ctx->restore && cmd == VMQ_CMD_VM_ADD) {
		ret = vmq_nl_talk_unless(nl, req, &vmq_vm_set, EEXIST);
		if (ret != -EEXIST)
			return ret ? VMQ_EXIT_FAIL : VMQ_EXIT_OK;
		if (vm_there_as_asked(nl, r))
			return VMQ_EXIT_OK;
		vmq_error("%s has that VM already, under another name", r->team);
		return VMQ_EXIT_FAIL;
	}
	if (vmq_nl_talk(nl, req, &vmq_vm_set, NULL, NULL))
		return VMQ_EXIT_FAIL;
	return VMQ_EXIT_OK;
}

static int vm_add(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct vm_req r = { 0 };
	int ret;

	ret = vm_parse(ctx, argc, argv, add_keywords, &r);
	if (ret)
		return ret;
	return vm_send(ctx, VMQ_CMD_VM_ADD, &r);
}

static int vm_del(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct vm_req r = { 0 };
	int ret;

	ret = vm_parse(ctx, argc, argv, del_keywords, &r);
	if (ret)
		return ret;
	return vm_send(ctx, VMQ_CMD_VM_DEL, &r);
}

static const struct vmq_cmd vm_cmds[] = {
	{ VMQ_KW("show", "list", "ls"),	vm_show },	/* the default */
	{ VMQ_KW("add"),		vm_add },
	{ VMQ_KW("del", "delete"),	vm_del },
	VMQ_CMD_HELP,
	{ },
};

const struct vmq_object vmq_vm_object = {
	.name	= "vm",
	.cmds	= vm_cmds,
	.usage	= vm_usage,
};
