// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl: configure vmq (VMQ for bonded multiqueue NICs) through its
 * generic netlink family.  Options, the object table and batch mode.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "output.h"
#include "vmqctl.h"

/* Most words on one batch line. */
#define BATCH_MAX_ARGS	64

/* An object, or a word of its own (help, save) that runs @run. */
struct vmq_objent {
	struct vmq_keyword kw;
	const struct vmq_object *obj;
	vmq_cmd_fn run;
	void (*usage)(FILE *fp);
};

static int run_help(struct vmq_ctx *ctx, int argc, char **argv);
static int run_restore(struct vmq_ctx *ctx, int argc, char **argv);
static void restore_usage(FILE *fp);

/* One line per object. */
static const struct vmq_objent objects[] = {
	{ VMQ_KW("team"),	&vmq_team_object, NULL, NULL },
	{ VMQ_KW("adapter"),	&vmq_adapter_object, NULL, NULL },
	{ VMQ_KW("vm"),		&vmq_vm_object, NULL, NULL },
	{ VMQ_KW("queue"),	&vmq_queue_object, NULL, NULL },
	{ VMQ_KW("monitor"),	&vmq_monitor_object, NULL, NULL },
	{ VMQ_KW("daemon"),	&vmq_daemon_object, NULL, NULL },
	{ VMQ_KW("save"),	NULL, vmq_save, vmq_save_usage },
	{ VMQ_KW("restore"),	NULL, run_restore, restore_usage },
	{ VMQ_KW("irqbalance-policy"), NULL, vmq_irqbalance_policy,
	  vmq_irqbalance_usage },
	{ VMQ_KW("help"),	NULL, run_help, vmq_usage },
	{ },
};

void vmq_usage(FILE *fp)
{
	const struct vmq_objent *o;
	const char *sep;

	fputs("Usage: vmqctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	      "       vmqctl [ OPTIONS ] -b FILE\n"
	      "       vmqctl save\n"
	      "       vmqctl restore FILE\n"
	      "       vmqctl irqbalance-policy PATH IRQ\n"
	      "       vmqctl help [ OBJECT ]\n"
	      "where  OBJECT := {", fp);
	for (o = objects, sep = " "; o->kw.name; o++)
		if (o->obj) {
			fprintf(fp, "%s%s", sep, o->kw.name);
			sep = " | ";
		}
	fputs(" }\n"
	      "       OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] |\n"
	      "                    -b[atch] FILE | -f[orce] }\n", fp);
}

/* Open the netlink socket on first use; keep it for the next commands. */
struct vmq_nl *vmq_ctx_nl(struct vmq_ctx *ctx)
{
	if (ctx->nl && vmq_nl_stale(ctx->nl)) {
		vmq_nl_close(ctx->nl);
		ctx->nl = NULL;
	}
	if (!ctx->nl)
		ctx->nl = vmq_nl_open();
	return ctx->nl;
}

/* "help [OBJECT]": the usage of vmqctl, or of OBJECT. */
static int run_help(struct vmq_ctx *ctx, int argc, char **argv)
{
	const struct vmq_objent *o;

	if (argc > 1)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[1]);
	if (argc == 0) {
		vmq_usage(stdout);
		return VMQ_EXIT_OK;
	}
	o = vmq_lookup(argv[0], "object", objects);
	if (!o)
		return vmq_usage_fail(ctx);
	if (o->obj)
		o->obj->usage(stdout);
	else
		o->usage(stdout);
	return VMQ_EXIT_OK;
}

/* Run "OBJECT [COMMAND [ARGS]]". */
static int run_command(struct vmq_ctx *ctx, int argc, char **argv)
{
	const struct vmq_objent *o;

	ctx->obj = NULL;
	o = vmq_lookup(argv[0], "object", objects);
	if (!o)
		return vmq_usage_fail(ctx);
	if (!o->obj)
		return o->run(ctx, argc - 1, argv + 1);
	return vmq_object_run(ctx, o->obj, argc - 1, argv + 1);
}

/* ---- batch mode ---- */

/*
 * Split @line in place into words, as a shell would for simple cases:
 * blanks separate words, '...' and "..." quote, a backslash escapes the
 * next character (not within '...'), and a '#' starting a word comments
 * out the rest of the line.  Returns the number of words, or -1 after
 * saying what is wrong.
 */
static int split_line(char *line, char **argv, int max)
{
	char *src = line, *dst;
	int argc = 0;
	char quote;

	for (;;) {
		while (isspace((unsigned char)*src))
			src++;
		if (!*src || *src == '#')
			return argc;
		if (argc == max) {
			vmq_error("more than %d words", max);
			return -1;
		}
		argv[argc++] = dst = src;
		quote = 0;
		for (; *src && (quote || !isspace((unsigned char)*src)); src++) {
			if (quote && *src == quote) {
				quote = 0;
			} else if (!quote && (*src == '"' || *src == '\'')) {
				quote = *src;
			} else {
				if (*src == '\\' && quote != '\'' && src[1])
					src++;
				*dst++ = *src;
			}
		}
		if (quote) {
			vmq_error("unterminated %c quote", quote);
			return -1;
		}
		if (*src)
			src++;
		*dst = '\0';
	}
}

/*
 * A configuration sets things: a monitor or daemon line would never
 * end, and one restore running another is a loop.
 */
static bool restorable(const char *object)
{
	const struct vmq_objent *o = vmq_lookup(object, "object", objects);

	return o && (o->obj == &vmq_team_object ||
		     o->obj == &vmq_adapter_object ||
		     o->obj == &vmq_vm_object);
}

static int run_batch_line(struct vmq_ctx *ctx, char *line)
{
	char *argv[BATCH_MAX_ARGS];
	int argc;

	argc = split_line(line, argv, BATCH_MAX_ARGS);
	if (argc < 0)
		return VMQ_EXIT_USAGE;
	if (argc == 0)
		return VMQ_EXIT_OK;
	if (ctx->restore && !restorable(argv[0])) {
		vmq_error("restore takes team, adapter and vm lines only, not \"%s\"",
			  argv[0]);
		return VMQ_EXIT_USAGE;
	}
	return run_command(ctx, argc, argv);
}

static FILE *open_batch(const char *path)
{
	FILE *fp;

	if (!strcmp(path, "-"))
		return stdin;
	fp = fopen(path, "r");
	if (!fp)
		vmq_error("cannot open batch file \"%s\": %s", path,
			  strerror(errno));
	return fp;
}

/*
 * Run each line of @path ("-": stdin).  Stop at the first failing line
 * unless @force.  Returns the status of the first failing line, or 0.
 */
static int run_batch(struct vmq_ctx *ctx, const char *path, bool force)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	unsigned int lineno = 0;
	int ret, status = VMQ_EXIT_OK;
	size_t size = 0;
	char *line = NULL;
	FILE *fp;

	fp = open_batch(path);
	if (!fp)
		return VMQ_EXIT_FAIL;
	while (getline(&line, &size, fp) >= 0) {
		lineno++;
		/* "name web1\" must not escape the line's end into the name */
		line[strcspn(line, "\r\n")] = '\0';
		ret = run_batch_line(ctx, line);
		fflush(stdout);
		if (!ret)
			continue;
		vmq_error("%s:%u: command failed", name, lineno);
		if (!status)
			status = ret;
		if (!force)
			break;
	}
	if (ferror(fp)) {
		vmq_error("cannot read batch file \"%s\": %s", name,
			  strerror(errno));
		status = status ? status : VMQ_EXIT_FAIL;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return status;
}

/* ---- restore ---- */

static void restore_usage(FILE *fp)
{
	fputs("Usage: vmqctl restore FILE\n"
	      "       runs each line of FILE (\"-\": stdin) as vmqctl -f -b would,\n"
	      "       a team attach or vm add of what exists as it exists succeeding:\n"
	      "       a configuration applied twice changes nothing\n", fp);
}

/*
 * "restore FILE": a configuration, as `vmqctl save` prints it, made so.
 * Every line is tried; each failing one is said with its file and line
 * (a bond gone, a CPU missing), and the rest still applies.
 */
static int run_restore(struct vmq_ctx *ctx, int argc, char **argv)
{
	if (argc == 1 && vmq_matches(argv[0], "help")) {
		restore_usage(stdout);
		return VMQ_EXIT_OK;
	}
	if (argc == 0)
		return vmq_usage_error(ctx, "restore: missing FILE");
	if (argc > 1)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[1]);
	return vmq_restore(ctx, argv[0]);
}

int vmq_restore(struct vmq_ctx *ctx, const char *path)
{
	int ret;

	ctx->restore = true;
	ret = run_batch(ctx, path, true);
	ctx->restore = false;
	return ret;
}

/* ---- options ---- */

enum opt_id { OPT_JSON, OPT_PRETTY, OPT_VERSION, OPT_HELP, OPT_BATCH,
	      OPT_FORCE };

struct vmq_option {
	struct vmq_keyword kw;
	enum opt_id id;
};

static const struct vmq_option options[] = {
	{ VMQ_KW("-json"),	OPT_JSON },
	{ VMQ_KW("-pretty"),	OPT_PRETTY },
	{ VMQ_KW("-Version"),	OPT_VERSION },
	{ VMQ_KW("-help"),	OPT_HELP },
	{ VMQ_KW("-batch"),	OPT_BATCH },
	{ VMQ_KW("-force"),	OPT_FORCE },
	{ },
};

struct vmq_opts {
	bool json;
	bool pretty;
	bool force;
	const char *batch;
};

/*
 * Parse the options before OBJECT ("-json" or "--json", abbreviated to
 * any unique prefix) and move @argc/@argv past them.  Returns -1 to go
 * on, or the status to exit with.
 */
static int parse_options(struct vmq_ctx *ctx, int *argc, char ***argv,
			 struct vmq_opts *opts)
{
	const struct vmq_option *opt;
	const char *word;

	for (; *argc > 0 && (*argv)[0][0] == '-'; (*argc)--, (*argv)++) {
		word = (*argv)[0];
		if (word[1] == '-')
			word++;		/* --json as -json */
		if (!word[1])
			return vmq_usage_error(ctx, "unknown option \"%s\"",
					       (*argv)[0]);
		opt = vmq_lookup(word, "option", options);
		if (!opt)
			return vmq_usage_fail(ctx);
		switch (opt->id) {
		case OPT_JSON:
			opts->json = true;
			break;
		case OPT_PRETTY:
			opts->pretty = true;
			break;
		case OPT_VERSION:
			printf("vmqctl %s\n", VMQCTL_VERSION);
			return VMQ_EXIT_OK;
		case OPT_HELP:
			vmq_usage(stdout);
			return VMQ_EXIT_OK;
		case OPT_BATCH:
			if (*argc < 2)
				return vmq_usage_error(ctx, "%s needs a FILE",
						       (*argv)[0]);
			(*argc)--;
			(*argv)++;
			opts->batch = (*argv)[0];
			break;
		case OPT_FORCE:
			opts->force = true;
			break;
		}
	}
	return -1;
}

static int run(struct vmq_ctx *ctx, int argc, char **argv)
{
	struct vmq_opts opts = { 0 };
	int ret;

	ret = parse_options(ctx, &argc, &argv, &opts);
	if (ret >= 0)
		return ret;
	vmq_out_init(opts.json, opts.pretty);

	if (opts.batch) {
		if (argc > 0)
			return vmq_usage_error(ctx, "unexpected argument \"%s\" after -b FILE",
					       argv[0]);
		return run_batch(ctx, opts.batch, opts.force);
	}
	if (argc == 0)
		return vmq_usage_error(ctx, "missing OBJECT");
	return run_command(ctx, argc, argv);
}

int main(int argc, char **argv)
{
	struct vmq_ctx ctx = { 0 };
	int ret;

	ret = run(&ctx, argc - 1, argv + 1);
	vmq_nl_close(ctx.nl);
	if (fflush(stdout) || ferror(stdout)) {
		vmq_error("write error: %s", strerror(errno));
		ret = ret ? ret : VMQ_EXIT_FAIL;
	}
	return ret;
}
