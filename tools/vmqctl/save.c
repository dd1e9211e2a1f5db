// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl save: the namespace's configuration as a batch file, which
 * `vmqctl -b FILE` applies.  Only what an administrator sets is saved:
 * each team's mode and steering, each adapter's processor settings,
 * default queues and enabled flag where they are not the defaults, and
 * each VM.  Not saved: what vmq derives (queues, CPUs, states) and the
 * queue IRQs handed down, whose numbers are the boot's (`vmqctl daemon`
 * or `adapter set DEV irq auto` finds them again).
 *
 * The lines come in the order they must apply in: teams, then adapters
 * (which exist once their bond is attached), then VMs.  The whole text
 * is printed only once every dump has succeeded: half a configuration
 * saved over a good one would lose the rest.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vmq.h>

#include "vmqctl.h"
#include "nl.h"

/* What an adapter starts with (kmod/adapter.c, vmq_adapter_alloc()). */
#define ADAPTER_DEFAULT_QUEUES	1

struct save {
	FILE *fp;		/* the text, until every dump is done */
	const char *failed;	/* why a line cannot be written */
};

/*
 * " @s", as one word that split_line() in vmqctl.c reads back as @s: in
 * single quotes (a device may be named '#x' or a\"b), each ' as '\''.
 * A line break cannot be written at all: a batch file is read by lines.
 */
static int save_word(struct save *sv, const char *s)
{
	const char *p;

	if (strpbrk(s, "\r\n")) {
		sv->failed = "a name holds a line break";
		return -1;
	}
	fputs(" '", sv->fp);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", sv->fp);
		else
			fputc(*p, sv->fp);
	}
	fputc('\'', sv->fp);
	return 0;
}

/* "OBJECT COMMAND 'NAME'", the start of a line. */
static int save_cmd(struct save *sv, const char *cmd, const char *name)
{
	fputs(cmd, sv->fp);
	return save_word(sv, name);
}

/*
 * An enum's name; a value this vmqctl has no name for cannot be saved
 * (as "auto" it would come back as something else).
 */
static const char *save_enum(struct save *sv, const char *name)
{
	if (!name)
		sv->failed = "the module has a mode or steering this vmqctl does not know";
	return name;
}

static int save_team(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_TEAM_MAX + 1];
	struct save *sv = data;
	const char *bond;
	uint32_t v;

	if (vmq_nl_parse(nlh, &vmq_team_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[VMQ_A_TEAM_IFNAME])
		return MNL_CB_OK;
	bond = mnl_attr_get_str(tb[VMQ_A_TEAM_IFNAME]);
	if (save_cmd(sv, "team attach", bond))
		return MNL_CB_ERROR;
	if (tb[VMQ_A_TEAM_MODE]) {
		v = mnl_attr_get_u32(tb[VMQ_A_TEAM_MODE]);
		if (!save_enum(sv, vmq_team_mode_name(v)))
			return MNL_CB_ERROR;
		if (v != VMQ_TEAM_MODE_AUTO)
			fprintf(sv->fp, " mode %s", vmq_team_mode_name(v));
	}
	fputc('\n', sv->fp);
	if (tb[VMQ_A_TEAM_STEERING]) {
		v = mnl_attr_get_u32(tb[VMQ_A_TEAM_STEERING]);
		if (!save_enum(sv, vmq_team_steering_name(v)))
			return MNL_CB_ERROR;
		if (v != VMQ_STEERING_AUTO) {
			save_cmd(sv, "team set", bond);
			fprintf(sv->fp, " steering %s\n",
				vmq_team_steering_name(v));
		}
	}
	return MNL_CB_OK;
}

/* An adapter's processor settings, if they were set (not the planner's). */
static void save_adapter_procs(struct save *sv, const struct nlattr **tb)
{
	static const struct {
		int type;
		const char *kw;
	} procs[] = {
		{ VMQ_A_ADAPTER_BASE_PROCESSOR,		"base-processor" },
		{ VMQ_A_ADAPTER_MAX_PROCESSOR_NUMBER,	"max-processor-number" },
		{ VMQ_A_ADAPTER_MAX_PROCESSORS,		"max-processors" },
		{ VMQ_A_ADAPTER_NUMA_NODE,		"numa-node" },
	};
	size_t i;

	if (!tb[VMQ_A_ADAPTER_PROCSET_SOURCE] ||
	    mnl_attr_get_u32(tb[VMQ_A_ADAPTER_PROCSET_SOURCE]) !=
	    VMQ_PROCSET_EXPLICIT)
		return;
	for (i = 0; i < ARRAY_SIZE(procs); i++)
		if (tb[procs[i].type])
			fprintf(sv->fp, " %s %" PRIu32, procs[i].kw,
				mnl_attr_get_u32(tb[procs[i].type]));
}

static int save_adapter(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_ADAPTER_MAX + 1];
	struct save *sv = data;
	bool disabled;
	uint32_t dq;

	if (vmq_nl_parse(nlh, &vmq_adapter_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[VMQ_A_ADAPTER_IFNAME])
		return MNL_CB_OK;
	dq = tb[VMQ_A_ADAPTER_DEFAULT_QUEUES] ?
	     mnl_attr_get_u32(tb[VMQ_A_ADAPTER_DEFAULT_QUEUES]) :
	     ADAPTER_DEFAULT_QUEUES;
	disabled = tb[VMQ_A_ADAPTER_ENABLED] &&
		   !mnl_attr_get_u8(tb[VMQ_A_ADAPTER_ENABLED]);
	if (!tb[VMQ_A_ADAPTER_PROCSET_SOURCE] ||
	    (mnl_attr_get_u32(tb[VMQ_A_ADAPTER_PROCSET_SOURCE]) !=
	     VMQ_PROCSET_EXPLICIT && dq == ADAPTER_DEFAULT_QUEUES && !disabled))
		return MNL_CB_OK;
	/* One line: the module takes an adapter's settings all at once. */
	if (save_cmd(sv, "adapter set",
		     mnl_attr_get_str(tb[VMQ_A_ADAPTER_IFNAME])))
		return MNL_CB_ERROR;
	save_adapter_procs(sv, tb);
	if (dq != ADAPTER_DEFAULT_QUEUES)
		fprintf(sv->fp, " default-queues %" PRIu32, dq);
	if (disabled)
		fputs(" enabled off", sv->fp);
	fputc('\n', sv->fp);
	return MNL_CB_OK;
}

static int save_vm(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_VM_MAX + 1];
	struct save *sv = data;
	const uint8_t *m;

	if (vmq_nl_parse(nlh, &vmq_vm_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[VMQ_A_VM_TEAM_IFNAME] || !tb[VMQ_A_VM_MAC])
		return MNL_CB_OK;
	m = mnl_attr_get_payload(tb[VMQ_A_VM_MAC]);
	if (save_cmd(sv, "vm add", mnl_attr_get_str(tb[VMQ_A_VM_TEAM_IFNAME])))
		return MNL_CB_ERROR;
	fprintf(sv->fp, " %02x:%02x:%02x:%02x:%02x:%02x",
		m[0], m[1], m[2], m[3], m[4], m[5]);
	if (tb[VMQ_A_VM_VLAN])
		fprintf(sv->fp, " vlan %u", mnl_attr_get_u16(tb[VMQ_A_VM_VLAN]));
	if (tb[VMQ_A_VM_NAME]) {
		fputs(" name", sv->fp);
		if (save_word(sv, mnl_attr_get_str(tb[VMQ_A_VM_NAME])))
			return MNL_CB_ERROR;
	}
	fputc('\n', sv->fp);
	return MNL_CB_OK;
}

static int save_dump(struct vmq_nl *nl, struct save *sv, uint8_t cmd,
		     const struct vmq_attr_set *set, mnl_cb_t cb)
{
	struct nlmsghdr *req = vmq_nl_req(nl, cmd, NLM_F_DUMP);

	if (vmq_nl_talk(nl, req, set, cb, sv)) {
		if (sv->failed)
			vmq_error("cannot save: %s", sv->failed);
		return -1;
	}
	return 0;
}

int vmq_save(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct save sv = { 0 };
	struct vmq_nl *nl;
	size_t len = 0;
	char *text = NULL;
	int ret = VMQ_EXIT_FAIL;

	if (argc > 0 && vmq_matches(argv[0], "help")) {
		vmq_save_usage(stdout);
		return VMQ_EXIT_OK;
	}
	if (argc > 0)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[0]);
	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	sv.fp = open_memstream(&text, &len);
	if (!sv.fp) {
		vmq_error("cannot save: out of memory");
		return VMQ_EXIT_FAIL;
	}
	fputs("# vmq configuration, from `vmqctl save`; made so by `vmqctl restore FILE`\n",
	      sv.fp);
	if (!save_dump(nl, &sv, VMQ_CMD_TEAM_GET, &vmq_team_set, save_team) &&
	    !save_dump(nl, &sv, VMQ_CMD_ADAPTER_GET, &vmq_adapter_set,
		       save_adapter) &&
	    !save_dump(nl, &sv, VMQ_CMD_VM_GET, &vmq_vm_set, save_vm))
		ret = VMQ_EXIT_OK;
	if (fclose(sv.fp)) {
		vmq_error("cannot save: out of memory");
		ret = VMQ_EXIT_FAIL;
	}
	if (ret == VMQ_EXIT_OK && fwrite(text, 1, len, stdout) != len) {
		vmq_error("cannot write the configuration");
		ret = VMQ_EXIT_FAIL;
	}
	free(text);
	return ret;
}

void vmq_save_usage(FILE *fp)
{
	fputs("Usage: vmqctl save\n"
	      "       prints the teams, adapter settings and VMs of this network\n"
	      "       namespace as a batch file for vmqctl -b\n", fp);
}
