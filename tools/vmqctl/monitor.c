// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl monitor: print the vmq family's monitor events as they come,
 * one line each (with -j, one JSON object per line), until interrupted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <json-c/json.h>
#include <linux/vmq.h>

#include "nl.h"
#include "output.h"
#include "vmqctl.h"

static const struct vmq_attr_desc event_attrs[VMQ_A_EVENT_MAX + 1] = {
	[VMQ_A_EVENT_TYPE] = { .name = "type", .type = MNL_TYPE_U32 },
	[VMQ_A_EVENT_TEAM_IFINDEX] = { .name = "team-ifindex",
				       .type = MNL_TYPE_U32 },
	[VMQ_A_EVENT_TEAM_IFNAME] = { .name = "team-ifname",
				      .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_EVENT_MESSAGE] = { .name = "message",
				  .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_EVENT_VM_MAC] = { .name = "vm-mac", .type = MNL_TYPE_BINARY,
				 .len = VMQ_MAC_LEN },
	[VMQ_A_EVENT_VM_VLAN] = { .name = "vm-vlan", .type = MNL_TYPE_U16 },
	[VMQ_A_EVENT_ADAPTER_IFINDEX] = { .name = "adapter-ifindex",
					  .type = MNL_TYPE_U32 },
	[VMQ_A_EVENT_ADAPTER_IFNAME] = { .name = "adapter-ifname",
					 .type = MNL_TYPE_NUL_STRING },
};

const struct vmq_attr_set vmq_event_set = {
	.name	= "event",
	.max	= VMQ_A_EVENT_MAX,
	.attrs	= event_attrs,
};

/* Indexed by enum vmq_event. */
static const char *const event_names[] = {
	[VMQ_EVENT_TEAM_ATTACHED]	= "team-attached",
	[VMQ_EVENT_TEAM_DETACHED]	= "team-detached",
	[VMQ_EVENT_MODE_CHANGED]	= "mode-changed",
	[VMQ_EVENT_MISCONFIGURED]	= "misconfigured",
	[VMQ_EVENT_FIXED]		= "fixed",
	[VMQ_EVENT_VM_PLACED]		= "vm-placed",
	[VMQ_EVENT_VM_MOVED]		= "vm-moved",
	[VMQ_EVENT_VM_DEFAULTED]	= "vm-defaulted",
	[VMQ_EVENT_REPAIRED]		= "repaired",
	[VMQ_EVENT_IRQS_WANTED]		= "irqs-wanted",
};

static const char *event_name(const struct nlattr *attr, char *buf,
			      size_t len)
{
	uint32_t type = attr ? mnl_attr_get_u32(attr) : 0;

	if (type < ARRAY_SIZE(event_names) && event_names[type])
		return event_names[type];
	snprintf(buf, len, "%" PRIu32, type);
	return buf;
}

static const char *attr_str(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_str(attr) : "";
}

static void format_mac(const struct nlattr *attr, char *buf)
{
	const uint8_t *m = mnl_attr_get_payload(attr);

	snprintf(buf, VMQ_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void print_event_json(const struct nlattr **tb, const char *type)
{
	struct json_object *o = json_object_new_object();
	char mac[VMQ_MAC_STRLEN];

	json_object_object_add(o, "event", json_object_new_string(type));
	if (tb[VMQ_A_EVENT_TEAM_IFNAME])
		json_object_object_add(o, "team", json_object_new_string(
			mnl_attr_get_str(tb[VMQ_A_EVENT_TEAM_IFNAME])));
	if (tb[VMQ_A_EVENT_TEAM_IFINDEX])
		json_object_object_add(o, "team_ifindex", json_object_new_int64(
			mnl_attr_get_u32(tb[VMQ_A_EVENT_TEAM_IFINDEX])));
	if (tb[VMQ_A_EVENT_VM_MAC]) {
		format_mac(tb[VMQ_A_EVENT_VM_MAC], mac);
		json_object_object_add(o, "vm_mac", json_object_new_string(mac));
	}
	if (tb[VMQ_A_EVENT_ADAPTER_IFNAME])
		json_object_object_add(o, "adapter", json_object_new_string(
			mnl_attr_get_str(tb[VMQ_A_EVENT_ADAPTER_IFNAME])));
	if (tb[VMQ_A_EVENT_VM_VLAN])
		json_object_object_add(o, "vm_vlan", json_object_new_int(
			mnl_attr_get_u16(tb[VMQ_A_EVENT_VM_VLAN])));
	if (tb[VMQ_A_EVENT_MESSAGE])
		json_object_object_add(o, "message", json_object_new_string(
			mnl_attr_get_str(tb[VMQ_A_EVENT_MESSAGE])));
	/*
	 * One event a line, as show's keys: absent attributes are absent
	 * keys, and "/" is not escaped.  Never pretty: a stream of lines.
	 */
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static int monitor_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_EVENT_MAX + 1];
	char buf[16];
	const char *type;

	(void)data;
	if (vmq_nl_parse(nlh, &vmq_event_set, tb) != MNL_CB_OK)
		return MNL_CB_OK;	/* said why; keep listening */
	type = event_name(tb[VMQ_A_EVENT_TYPE], buf, sizeof(buf));
	if (vmq_out_is_json())
		print_event_json(tb, type);
	else
		printf("[%s] %s: %s\n", type,
		       attr_str(tb[VMQ_A_EVENT_TEAM_IFNAME]),
		       attr_str(tb[VMQ_A_EVENT_MESSAGE]));
	/* A pipe to a script must see each event as it happens. */
	fflush(stdout);
	return MNL_CB_OK;
}

/*
 * Events overran the socket: said on stderr by vmq_nl_listen(), and in
 * the stream itself, so that a script reading it knows to read the
 * state again rather than trust what it pieced together.
 */
static void monitor_lost(void *data)
{
	(void)data;
	if (vmq_out_is_json())
		puts("{\"event\":\"lost\"}");
	else
		puts("[lost] events were lost: read the state again");
	fflush(stdout);
}

static void monitor_usage(FILE *fp)
{
	fputs("Usage: vmqctl monitor\n"
	      "       vmqctl monitor help\n"
	      "Prints vmq's events in this network namespace as they come:\n"
	      "team-attached, team-detached, mode-changed, misconfigured, fixed,\n"
	      "vm-placed, vm-moved, vm-defaulted, repaired, irqs-wanted; lost, when\n"
	      "the socket overran and events were dropped.  With -j, one JSON\n"
	      "object per line.\n", fp);
}

static int monitor_run(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct vmq_nl *nl;

	if (argc > 0)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[0]);
	nl = vmq_ctx_nl(ctx);
	if (!nl || vmq_nl_subscribe_monitor(nl))
		return VMQ_EXIT_FAIL;
	return vmq_nl_listen(nl, monitor_print, monitor_lost, NULL) ? VMQ_EXIT_FAIL :
							 VMQ_EXIT_OK;
}

static const struct vmq_cmd monitor_cmds[] = {
	{ VMQ_KW("listen"),	monitor_run },	/* the default */
	VMQ_CMD_HELP,
	{ },
};

const struct vmq_object vmq_monitor_object = {
	.name	= "monitor",
	.cmds	= monitor_cmds,
	.usage	= monitor_usage,
};
