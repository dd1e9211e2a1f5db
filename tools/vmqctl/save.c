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
#include <stdlib.h>
#include <string.h>
#include <linux/vmq.h>

#include "vmqctl.h"
#include "nl.h"

/* What the adapters of a team that was just attached start with. */
#define ADAPTER_DEFAULT_QUEUES	1

struct save {
	FILE *fp;		/* the text, until every dump is done */
	const char *failed;	/* why a line cannot be written */
};

/*
 * @s as one word that split_line() in vmqctl.c reads back as @s: in
 * single quotes, each ' as '\''.  A newline cannot be written at all,
 * for a batch file is read line by line.
 */
static int save_word(struct save *sv, const char *s)
{
	const char *p;

	if (strpbrk(s, "\r\n")) {
		sv->failed = "a VM's name holds a line break";
		return -1;
	}
	fputc('\'', sv->fp);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", sv->fp);
		else
			fputc(*p, sv->fp);
	}
	fputc('\'', sv->fp);
	return 0;
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
	fprintf(sv->fp, "team attach %s", bond);
	if (tb[VMQ_A_TEAM_MODE]) {
		v = mnl_attr_get_u32(tb[VMQ_A_TEAM_MODE]);
		if (v != VMQ_TEAM_MODE_AUTO && vmq_team_mode_name(v))
			fprintf(sv->fp, " mode %s", vmq_team_mode_name(v));
	}
	fputc('\n', sv->fp);
	if (tb[VMQ_A_TEAM_STEERING]) {
		v = mnl_attr_get_u32(tb[VMQ_A_TEAM_STEERING]);
		if (v != VMQ_STEERING_AUTO && vmq_team_steering_name(v))
			fprintf(sv->fp, "team set %s steering %s\n", bond,
				vmq_team_steering_name(v));
	}
	return MNL_CB_OK;
}

/* An adapter's processor settings, if they were set (not the planner's). */
static void save_adapter_procs(struct save *sv, const struct nlattr **tb,
			       const char *dev)
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
	fprintf(sv->fp, "adapter set %s", dev);
	for (i = 0; i < ARRAY_SIZE(procs); i++)
		if (tb[procs[i].type])
			fprintf(sv->fp, " %s %" PRIu32, procs[i].kw,
				mnl_attr_get_u32(tb[procs[i].type]));
	fputc('\n', sv->fp);
}

static int save_adapter(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_ADAPTER_MAX + 1];
	struct save *sv = data;
	const char *dev;
	uint32_t dq;

	if (vmq_nl_parse(nlh, &vmq_adapter_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[VMQ_A_ADAPTER_IFNAME])
		return MNL_CB_OK;
	dev = mnl_attr_get_str(tb[VMQ_A_ADAPTER_IFNAME]);
	save_adapter_procs(sv, tb, dev);
	if (tb[VMQ_A_ADAPTER_DEFAULT_QUEUES]) {
		dq = mnl_attr_get_u32(tb[VMQ_A_ADAPTER_DEFAULT_QUEUES]);
		if (dq != ADAPTER_DEFAULT_QUEUES)
			fprintf(sv->fp, "adapter set %s default-queues %" PRIu32 "\n",
				dev, dq);
	}
	if (tb[VMQ_A_ADAPTER_ENABLED] &&
	    !mnl_attr_get_u8(tb[VMQ_A_ADAPTER_ENABLED]))
		fprintf(sv->fp, "adapter set %s enabled off\n", dev);
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
	fprintf(sv->fp, "vm add %s %02x:%02x:%02x:%02x:%02x:%02x",
		mnl_attr_get_str(tb[VMQ_A_VM_TEAM_IFNAME]),
		m[0], m[1], m[2], m[3], m[4], m[5]);
	if (tb[VMQ_A_VM_VLAN])
		fprintf(sv->fp, " vlan %u", mnl_attr_get_u16(tb[VMQ_A_VM_VLAN]));
	if (tb[VMQ_A_VM_NAME]) {
		fputs(" name ", sv->fp);
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
	fputs("# vmq configuration, from `vmqctl save`; apply with `vmqctl -b FILE`\n",
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
