// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl: matching abbreviated words against tables, running an object's
 * command, and reporting usage errors.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "output.h"
#include "vmqctl.h"

/* Is @word a non-empty prefix of @name? */
bool vmq_matches(const char *word, const char *name)
{
	size_t len = strlen(word);

	return len && !strncmp(word, name, len);
}

static const struct vmq_keyword *keyword_at(const void *table,
					    size_t entsize, size_t i)
{
	return (const struct vmq_keyword *)((const char *)table + i * entsize);
}

/* Does @word name @kw exactly (+1) or abbreviate it (-1), or neither (0)? */
static int keyword_match(const struct vmq_keyword *kw, const char *word)
{
	int ret = 0;
	size_t i;

	if (!strcmp(word, kw->name))
		return 1;
	if (vmq_matches(word, kw->name))
		ret = -1;
	for (i = 0; i < ARRAY_SIZE(kw->alias) && kw->alias[i]; i++) {
		if (!strcmp(word, kw->alias[i]))
			return 1;
		if (vmq_matches(word, kw->alias[i]))
			ret = -1;
	}
	return ret;
}

static void complain_ambiguous(const char *word, const char *what,
			       const void *table, size_t entsize)
{
	const struct vmq_keyword *kw;
	size_t i;

	fprintf(stderr, "vmqctl: ambiguous %s \"%s\", could be:", what, word);
	for (i = 0; (kw = keyword_at(table, entsize, i))->name; i++)
		if (keyword_match(kw, word))
			fprintf(stderr, " %s", kw->name);
	fputc('\n', stderr);
}

/*
 * Find the entry of @table that @word names or abbreviates uniquely.  An
 * exact name wins over abbreviations; an abbreviation of several names of
 * one entry is not ambiguous.  On failure, says so on stderr (calling the
 * word a @what) and returns NULL.
 */
const void *__vmq_lookup(const char *word, const char *what,
			 const void *table, size_t entsize)
{
	const struct vmq_keyword *kw, *found = NULL;
	unsigned int prefixes = 0;
	size_t i;

	for (i = 0; (kw = keyword_at(table, entsize, i))->name; i++) {
		int m = keyword_match(kw, word);

		if (m > 0)
			return kw;
		if (m < 0) {
			found = kw;
			prefixes++;
		}
	}
	if (prefixes == 1)
		return found;
	if (prefixes)
		complain_ambiguous(word, what, table, entsize);
	else
		vmq_error("unknown %s \"%s\"", what, word);
	return NULL;
}

/*
 * Run "OBJECT [COMMAND [ARGS]]"; @argv starts after OBJECT.  The word
 * "help" in place of any of ARGS (a device, a keyword or a value) prints
 * the object's usage, as "OBJECT help" does: so "help" cannot name a
 * device, as in ip(8).
 */
int vmq_object_run(struct vmq_ctx *ctx, const struct vmq_object *obj,
		   int argc, char **argv)
{
	const struct vmq_cmd *cmd = &obj->cmds[0];
	int i;

	ctx->obj = obj;
	if (argc > 0) {
		cmd = vmq_lookup(argv[0], "command", obj->cmds);
		if (!cmd)
			return vmq_usage_fail(ctx);
		argc--;
		argv++;
	}
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "help"))
			return vmq_cmd_help(ctx, 0, NULL);
	return cmd->run(ctx, argc, argv);
}

int vmq_cmd_help(struct vmq_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ctx->obj->usage(stdout);
	return VMQ_EXIT_OK;
}

void vmq_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmqctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Print the usage of the object being run (or the global one) to stderr. */
int vmq_usage_fail(struct vmq_ctx *ctx)
{
	if (ctx->obj)
		ctx->obj->usage(stderr);
	else
		vmq_usage(stderr);
	return VMQ_EXIT_USAGE;
}

int vmq_usage_error(struct vmq_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("vmqctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return vmq_usage_fail(ctx);
}

/* Check what the kernel would refuse anyway, to give a clearer message. */
int vmq_check_ifname(struct vmq_ctx *ctx, const char *name)
{
	if (!*name)
		return vmq_usage_error(ctx, "empty device name");
	if (strlen(name) > VMQ_IFNAME_MAX)
		return vmq_usage_error(ctx,
				       "device name \"%s\" too long (max %d characters)",
				       name, VMQ_IFNAME_MAX);
	return VMQ_EXIT_OK;
}

/*
 * Parse @word, the value of keyword @kw, as an unsigned number no greater
 * than @max: decimal digits only, so no sign, blank, base prefix or
 * trailing junk.  Anything else is a usage error that names @kw.  Whether
 * the number makes sense (a CPU the host has, a node that is online) is
 * for the kernel to say.
 */
int vmq_parse_uint(struct vmq_ctx *ctx, const char *kw, const char *word,
		   uint32_t max, uint32_t *val)
{
	unsigned long long v;
	char range[40];
	const char *why;
	char *end;

	if (!isdigit((unsigned char)word[0])) {
		why = word[0] == '-' && isdigit((unsigned char)word[1]) ?
		      "negative" : "not a number";
		goto bad;
	}
	errno = 0;
	v = strtoull(word, &end, 10);
	if (*end) {
		why = "not a number";
		goto bad;
	}
	if (errno == ERANGE || v > max) {
		snprintf(range, sizeof(range), "out of range (max %" PRIu32 ")",
			 max);
		why = range;
		goto bad;
	}
	*val = (uint32_t)v;
	return VMQ_EXIT_OK;
bad:
	return vmq_usage_error(ctx, "invalid %s \"%s\": %s", kw, word, why);
}

int vmq_parse_u32(struct vmq_ctx *ctx, const char *kw, const char *word,
		  uint32_t *val)
{
	return vmq_parse_uint(ctx, kw, word, UINT32_MAX, val);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Parse @word as a MAC address: exactly six pairs of hex digits, either
 * case, separated by colons (52:54:00:aa:00:01).  Anything else, shorter
 * forms and other separators included, is a usage error.
 */
int vmq_parse_mac(struct vmq_ctx *ctx, const char *word,
		  uint8_t mac[VMQ_MAC_LEN])
{
	int i, hi, lo;

	for (i = 0; i < VMQ_MAC_LEN; i++) {
		const char *p = word + 3 * i;

		hi = hex_digit(p[0]);
		lo = hi < 0 ? -1 : hex_digit(p[1]);
		if (lo < 0 || p[2] != (i < VMQ_MAC_LEN - 1 ? ':' : '\0'))
			return vmq_usage_error(ctx,
					       "invalid MAC \"%s\": not xx:xx:xx:xx:xx:xx",
					       word);
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return VMQ_EXIT_OK;
}

/**
 * vmq_show_objects - OBJECT show [DEV]: one object by name, or a dump
 * @ctx: the invocation
 * @argc: arguments after "show"
 * @argv: DEV, if given
 * @cmd: the get command
 * @name_attr: the attribute naming DEV in the request
 * @set: the reply's attribute set
 * @print: prints one reply message
 */
int vmq_show_objects(struct vmq_ctx *ctx, int argc, char **argv, uint8_t cmd,
		     uint16_t name_attr, const struct vmq_attr_set *set,
		     mnl_cb_t print)
{
	const char *dev = argc > 0 ? argv[0] : NULL;
	struct nlmsghdr *req;
	struct vmq_nl *nl;

	if (argc > 1)
		return vmq_usage_error(ctx, "unexpected argument \"%s\"",
				       argv[1]);
	if (dev && vmq_check_ifname(ctx, dev))
		return VMQ_EXIT_USAGE;

	nl = vmq_ctx_nl(ctx);
	if (!nl)
		return VMQ_EXIT_FAIL;
	req = vmq_nl_req(nl, cmd, dev ? 0 : NLM_F_DUMP);
	if (dev)
		mnl_attr_put_strz(req, name_attr, dev);

	vmq_out_begin();
	if (vmq_nl_talk(nl, req, set, print, NULL)) {
		vmq_out_discard();
		return VMQ_EXIT_FAIL;
	}
	return vmq_out_end() ? VMQ_EXIT_FAIL : VMQ_EXIT_OK;
}
