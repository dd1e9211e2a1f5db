// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl queue: every RX queue of every adapter of a team, with its IRQ,
 * its CPU and its VM, after Get-NetAdapterVmqQueue.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/vmq.h>

#include "nl.h"
#include "output.h"
#include "vmqctl.h"

static const struct vmq_attr_desc queue_attrs[VMQ_A_QUEUE_MAX + 1] = {
	[VMQ_A_QUEUE_TEAM_IFINDEX] = { .name = "team-ifindex",
				       .type = MNL_TYPE_U32 },
	[VMQ_A_QUEUE_TEAM_IFNAME] = { .name = "team-ifname",
				      .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_QUEUE_ADAPTER_IFINDEX] = { .name = "adapter-ifindex",
					  .type = MNL_TYPE_U32 },
	[VMQ_A_QUEUE_ADAPTER_IFNAME] = { .name = "adapter-ifname",
					 .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_QUEUE_INDEX] = { .name = "index", .type = MNL_TYPE_U32 },
	[VMQ_A_QUEUE_DEFAULT] = { .name = "default", .type = MNL_TYPE_FLAG },
	[VMQ_A_QUEUE_IRQ] = { .name = "irq", .type = MNL_TYPE_U32 },
	[VMQ_A_QUEUE_IRQ_METHOD] = { .name = "irq-method",
				     .type = MNL_TYPE_U32 },
	[VMQ_A_QUEUE_CPU] = { .name = "cpu", .type = MNL_TYPE_U32 },
	[VMQ_A_QUEUE_VM_MAC] = { .name = "vm-mac", .type = MNL_TYPE_BINARY,
				 .len = VMQ_MAC_LEN },
	[VMQ_A_QUEUE_VM_VLAN] = { .name = "vm-vlan", .type = MNL_TYPE_U16 },
	[VMQ_A_QUEUE_VM_NAME] = { .name = "vm-name",
				  .type = MNL_TYPE_NUL_STRING },
	[VMQ_A_QUEUE_VM_STATE] = { .name = "vm-state", .type = MNL_TYPE_U32 },
	[VMQ_A_QUEUE_RULE_LOCATION] = { .name = "rule-location",
					.type = MNL_TYPE_U32 },
};

const struct vmq_attr_set vmq_queue_set = {
	.name	= "queue",
	.max	= VMQ_A_QUEUE_MAX,
	.attrs	= queue_attrs,
};

/* Indexed by enum vmq_irq_method. */
static const char *const irq_methods[] = {
	[VMQ_IRQ_NONE]		= "none",
	[VMQ_IRQ_NAPI]		= "napi",
	[VMQ_IRQ_DRIVER]	= "driver",
	[VMQ_IRQ_USER]		= "user",
};

#define QUEUE_TABLE_HEADER \
	"TEAM\tADAPTER\tQUEUE\tIRQ\tVIA\tCPU\tMAC\tVLAN\tNAME\tSTATE"

static void queue_usage(FILE *fp)
{
	fputs("Usage: vmqctl queue { show | list } [ TEAM ]\n"
	      "       vmqctl queue help\n", fp);
}

/* ---- show ---- */

/* A device's cell: its name, or ifN; "-" if neither came. */
static void queue_print_dev(const struct nlattr *ifname,
			    const struct nlattr *ifindex,
			    const char *name_key, const char *index_key)
{
	uint32_t index = ifindex ? mnl_attr_get_u32(ifindex) : 0;

	if (!ifname && !ifindex)
		vmq_out_text("-\t");
	vmq_out_dev(name_key, index_key, "%s\t",
		    ifname ? mnl_attr_get_str(ifname) : NULL,
		    ifindex ? &index : NULL);
}

/* A number's cell, "-" if the kernel did not send it. */
static void queue_print_u32(const struct nlattr *attr, const char *key)
{
	if (attr)
		vmq_out_u32(VMQ_OUT_ANY, key, "%" PRIu32 "\t",
			    mnl_attr_get_u32(attr));
	else
		vmq_out_text("-\t");
}

static void queue_print_irq_method(const struct nlattr *attr)
{
	uint32_t how;
	char buf[16];

	if (!attr) {
		vmq_out_text("-\t");
		return;
	}
	how = mnl_attr_get_u32(attr);
	if (how < ARRAY_SIZE(irq_methods)) {
		vmq_out_str(VMQ_OUT_ANY, "irq_method", "%s\t",
			    irq_methods[how]);
	} else {
		snprintf(buf, sizeof(buf), "%" PRIu32, how);
		vmq_out_str(VMQ_OUT_ANY, "irq_method", "%s\t", buf);
	}
}

/* The VM's cells: MAC, VLAN, NAME, STATE. */
static void queue_print_vm(const struct nlattr **tb)
{
	char buf[16];

	vmq_out_mac(VMQ_OUT_ANY, "vm_mac", "%s\t",
		    mnl_attr_get_payload(tb[VMQ_A_QUEUE_VM_MAC]));
	if (tb[VMQ_A_QUEUE_VM_VLAN])
		vmq_out_u32(VMQ_OUT_ANY, "vm_vlan", "%" PRIu32 "\t",
			    mnl_attr_get_u16(tb[VMQ_A_QUEUE_VM_VLAN]));
	else
		vmq_out_text("-\t");
	if (tb[VMQ_A_QUEUE_VM_NAME])
		vmq_out_str_esc(VMQ_OUT_ANY, "vm_name", "%s\t",
				mnl_attr_get_str(tb[VMQ_A_QUEUE_VM_NAME]));
	else
		vmq_out_text("-\t");
	if (tb[VMQ_A_QUEUE_VM_STATE])
		vmq_out_str(VMQ_OUT_ANY, "vm_state", "%s",
			    vmq_vm_state_name(mnl_attr_get_u32(tb[VMQ_A_QUEUE_VM_STATE]),
					      buf, sizeof(buf)));
	else
		vmq_out_text("-");
}

/*
 * Print one queue of the dump, if it is wanted: a row of the table
 *   TEAM  ADAPTER QUEUE IRQ VIA    CPU MAC               VLAN NAME STATE
 *   bond0 igb0    1     46  driver 2   52:54:00:aa:00:01 -    web1 hw
 * A queue without a VM says "(default)" or "(free)" in the MAC column.
 */
static int queue_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_QUEUE_MAX + 1];
	bool is_default;

	(void)data;

	if (vmq_nl_parse(nlh, &vmq_queue_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	is_default = tb[VMQ_A_QUEUE_DEFAULT];

	vmq_out_obj_begin(NULL);
	queue_print_dev(tb[VMQ_A_QUEUE_TEAM_IFNAME],
			tb[VMQ_A_QUEUE_TEAM_IFINDEX], "team", "team_ifindex");
	queue_print_dev(tb[VMQ_A_QUEUE_ADAPTER_IFNAME],
			tb[VMQ_A_QUEUE_ADAPTER_IFINDEX], "adapter",
			"adapter_ifindex");
	queue_print_u32(tb[VMQ_A_QUEUE_INDEX], "queue");
	vmq_out_bool(VMQ_OUT_JSON, "default", NULL, is_default);
	queue_print_u32(tb[VMQ_A_QUEUE_IRQ], "irq");
	queue_print_irq_method(tb[VMQ_A_QUEUE_IRQ_METHOD]);
	queue_print_u32(tb[VMQ_A_QUEUE_CPU], "cpu");
	if (tb[VMQ_A_QUEUE_VM_MAC])
		queue_print_vm(tb);
	else
		vmq_out_text(is_default ? "(default)" : "(free)");
	if (tb[VMQ_A_QUEUE_RULE_LOCATION])
		vmq_out_u32(VMQ_OUT_JSON, "rule_location", NULL,
			    mnl_attr_get_u32(tb[VMQ_A_QUEUE_RULE_LOCATION]));
	vmq_out_text("\n");
	vmq_out_obj_end();
	return MNL_CB_OK;
}

/*
 * The kernel dumps the queues of every team of the namespace, or of TEAM
 * (a device that is no team is its error).
 */
static int queue_show(struct vmq_ctx *ctx, int argc, char **argv)
{
	const char *team = argc > 0 ? argv[0] : NULL;
	struct nlmsghdr *req;
	struct vmq_nl *nl;

	if (argc > 1)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[1]);
	if (team && vmq_check_ifname(ctx, team))
		return VMQ_EXIT_USAGE;
	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	req = vmq_nl_req(nl, VMQ_CMD_QUEUE_GET, NLM_F_DUMP);
	if (team)
		mnl_attr_put_strz(req, VMQ_A_QUEUE_TEAM_IFNAME, team);

	vmq_out_begin();
	vmq_out_table_begin(QUEUE_TABLE_HEADER);
	if (vmq_nl_talk(nl, req, &vmq_queue_set, queue_print, NULL)) {
		vmq_out_discard();
		return VMQ_EXIT_FAIL;
	}
	return vmq_out_end() ? VMQ_EXIT_FAIL : VMQ_EXIT_OK;
}

static const struct vmq_cmd queue_cmds[] = {
	{ VMQ_KW("show", "list", "ls"),	queue_show },	/* the default */
	VMQ_CMD_HELP,
	{ },
};

const struct vmq_object vmq_queue_object = {
	.name	= "queue",
	.cmds	= queue_cmds,
	.usage	= queue_usage,
};
