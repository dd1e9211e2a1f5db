// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl irqbalance-policy PATH IRQ: irqbalance's --policyscript.
 *
 * irqbalance runs its policy script for each IRQ it adds to its database
 * (at start, and on every rescan: new IRQs, SIGHUP), with the sysfs
 * directory of the IRQ's device (or /sys) and the IRQ's number, and reads
 * key=value lines from it.  vmq places the queue IRQs of every adapter
 * it is attached to; were irqbalance to move them too, each 10 s, vmq
 * would move them back, and the two would take turns for ever (the
 * team's repair count climbing).  So for those it answers "ban=true",
 * and irqbalance leaves them where they are.
 *
 * An IRQ is vmq's when it is the IRQ of a queue vmq reports, or when its
 * device is an adapter's: vmq may not know every queue's IRQ yet (6.1,
 * before vmqctl daemon answered), and all of such a NIC's vectors follow
 * its processor set anyway.  For any other IRQ nothing is printed, and
 * irqbalance balances it as it would.
 *
 * The exit status is 0 whenever the question could be answered: with a
 * policy script that is a file, irqbalance drops the answer of one that
 * exits non-zero.  Only a bad command line exits 2; a module not loaded
 * means no IRQ is vmq's, said with nothing, as irqbalance logs what its
 * script writes to stderr for every IRQ.
 *
 * irqbalance asks only about IRQs it has not seen, so a team attached
 * after it started goes unbanned until it rescans, which SIGHUP makes it
 * do.  vmqctl daemon calls vmq_irqbalance_nudge() for that when a team
 * is attached or an IRQ was repaired: it signals the irqbalance processes
 * that run vmq's policy script, and no other.  Only those that catch
 * SIGHUP: one that does not yet is still in its first scan (asking the
 * policy about every IRQ, seconds on a large host), and SIGHUP's default
 * action would end it; those are left for a later try.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vmq.h>

#include "nl.h"
#include "vmqctl.h"

struct policy {
	uint32_t irq;
	const char *device;		/* PATH, resolved; NULL: none */
	bool ban;
};

/* Does adapter @ifname's device (/sys/class/net/IFNAME/device) = @device? */
static bool policy_same_device(const char *ifname, const char *device)
{
	char path[PATH_MAX], *real;
	bool same;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device", ifname);
	real = realpath(path, NULL);
	if (!real)
		return false;	/* a device of no bus: nothing to compare */
	same = !strcmp(real, device);
	free(real);
	return same;
}

static int policy_queue(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VMQ_A_QUEUE_MAX + 1];
	struct policy *p = data;

	if (vmq_nl_parse(nlh, &vmq_queue_set, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (tb[VMQ_A_QUEUE_IRQ] && mnl_attr_get_u32(tb[VMQ_A_QUEUE_IRQ]) == p->irq)
		p->ban = true;
	if (p->device && tb[VMQ_A_QUEUE_ADAPTER_IFNAME] &&
	    policy_same_device(mnl_attr_get_str(tb[VMQ_A_QUEUE_ADAPTER_IFNAME]),
			       p->device))
		p->ban = true;
	return MNL_CB_OK;
}

void vmq_irqbalance_usage(FILE *fp)
{
	fputs("Usage: vmqctl irqbalance-policy PATH IRQ\n"
	      "irqbalance's --policyscript (through a script that runs it, see\n"
	      "vmqctl(8)): prints ban=true if IRQ is vmq's, a queue IRQ of an\n"
	      "adapter of a team or any IRQ of that adapter's device (PATH, its\n"
	      "sysfs directory), and nothing otherwise.\n", fp);
}

int vmq_irqbalance_policy(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct policy p = { 0 };
	struct nlmsghdr *req;
	struct vmq_nl *nl;

	if (argc == 1 && vmq_matches(argv[0], "help")) {
		vmq_irqbalance_usage(stdout);
		return VMQ_EXIT_OK;
	}
	if (argc < 2)
		return vmq_usage_error(ctx, "irqbalance-policy: missing PATH or IRQ");
	if (argc > 2)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[2]);
	if (vmq_parse_u32(ctx, "IRQ", argv[1], &p.irq))
		return VMQ_EXIT_USAGE;
	if (access("/sys/module/vmq", F_OK))
		return VMQ_EXIT_OK;	/* no module, no IRQ of vmq's */
	p.device = realpath(argv[0], NULL);
	/* What a failed dump found before it failed is vmq's all the same. */
	nl = vmq_ctx_nl(ctx);
	if (nl) {
		req = vmq_nl_req(nl, VMQ_CMD_QUEUE_GET, NLM_F_DUMP);
		vmq_nl_talk(nl, req, &vmq_queue_set, policy_queue, &p);
	}
	if (p.ban)
		puts("ban=true");
	free((char *)p.device);
	return VMQ_EXIT_OK;
}

/* Does /proc/@pid/cmdline run irqbalance with vmq's policy script? */
static bool nudge_wanted(const char *pid)
{
	char path[64], cmd[4096];
	bool irqbalance = false, ours = false;
	size_t n, i;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	n = fread(cmd, 1, sizeof(cmd) - 1, fp);
	fclose(fp);
	cmd[n] = '\0';
	/* NUL-separated words: argv[0] and the options after it. */
	for (i = 0; i < n; i += strlen(cmd + i) + 1) {
		const char *base = strrchr(cmd + i, '/');

		base = base ? base + 1 : cmd + i;
		if (!i)
			irqbalance = !strcmp(base, "irqbalance");
		else if (strstr(cmd + i, "--policyscript") &&
			 strstr(cmd + i, "vmq"))
			ours = true;
	}
	return irqbalance && ours;
}

/*
 * Whether process @pid may be sent SIGHUP now, from /proc/PID/status: it
 * catches it, or blocks it (a signalfd reads it); while the action is
 * the default (it would die) or ignore (the handler is not in yet), it
 * is to wait.  A child of such an irqbalance is no instance of its own:
 * irqbalance forks to run its policy script, and until the exec the
 * child has its command line and handlers.
 */
enum sighup_state { SIGHUP_GONE, SIGHUP_SAFE, SIGHUP_WAIT, SIGHUP_CHILD };

static enum sighup_state sighup_state(const char *pid)
{
	unsigned long long caught = 0, blocked = 0, v;
	const unsigned long long hup = 1ULL << (SIGHUP - 1);
	char path[64], line[256], parent[16] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	fp = fopen(path, "r");
	if (!fp)
		return SIGHUP_GONE;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "SigBlk: %llx", &v) == 1)
			blocked = v;
		else if (sscanf(line, "SigCgt: %llx", &v) == 1)
			caught = v;
		else
			sscanf(line, "PPid: %15[0-9]", parent);
	}
	fclose(fp);
	if (*parent && nudge_wanted(parent))
		return SIGHUP_CHILD;
	return (caught | blocked) & hup ? SIGHUP_SAFE : SIGHUP_WAIT;
}

static bool nudge_told(const struct vmq_nudge *n, int pid)
{
	int i;

	for (i = 0; i < n->nr_told; i++)
		if (n->told[i] == pid)
			return true;
	return false;
}

/*
 * SIGHUP only to an instance that can take it: irqbalance installs its
 * handler after it starts, and until then SIGHUP ends it.
 */
int vmq_irqbalance_nudge(struct vmq_nudge *n)
{
	struct dirent *de;
	int nudged = 0, pid;
	DIR *proc;

	n->waiting = 0;
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while ((de = readdir(proc))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = atoi(de->d_name);
		if (nudge_told(n, pid) || !nudge_wanted(de->d_name))
			continue;
		switch (sighup_state(de->d_name)) {
		case SIGHUP_WAIT:
			n->waiting++;
			break;
		case SIGHUP_SAFE:
			if (kill((pid_t)pid, SIGHUP))
				break;
			nudged++;
			if (n->nr_told < VMQ_NUDGE_MAX)
				n->told[n->nr_told++] = pid;
			break;
		case SIGHUP_GONE:
		case SIGHUP_CHILD:
			break;
		}
	}
	closedir(proc);
	return nudged;
}
