// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl output: text printed as it comes, or JSON built with json-c.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "output.h"
#include "vmqctl.h"

#define OUT_DEPTH	8
#define OUT_COLUMNS	16		/* most columns of a table */

static struct {
	bool json;
	bool pretty;
	bool oom;
	int depth;				/* open containers */
	struct json_object *stack[OUT_DEPTH];	/* [0] is the list */
	struct {			/* the CPU list being printed as text */
		bool any;		/* a range is pending */
		bool printed;		/* a range was printed */
		uint32_t first, last;	/* the pending range */
	} cpus;
	struct {			/* the text table being kept */
		FILE *fp;		/* NULL: no table */
		char *buf;
		size_t size;
		const char *header;
		bool oom;
	} table;
} out;

/* Where text goes: stdout, or the table being kept. */
static FILE *out_fp(void)
{
	return out.table.fp ? out.table.fp : stdout;
}

void vmq_out_init(bool json, bool pretty)
{
	out.json = json;
	out.pretty = pretty;
}

bool vmq_out_is_json(void)
{
	return out.json;
}

static bool out_text_wanted(enum vmq_out_kind kind)
{
	return !out.json && kind != VMQ_OUT_JSON;
}

static bool out_json_wanted(enum vmq_out_kind kind)
{
	return out.json && kind != VMQ_OUT_TEXT && out.depth > 0;
}

/*
 * Add @val to the innermost container, under @key if it is an object.
 * After an allocation failure the container may be NULL: then only
 * remember that the JSON is incomplete.
 */
static void out_json_add(const char *key, struct json_object *val)
{
	struct json_object *parent = out.stack[out.depth - 1];

	if (!val || !parent) {
		json_object_put(val);
		out.oom = true;
		return;
	}
	if (json_object_is_type(parent, json_type_array))
		json_object_array_add(parent, val);
	else
		json_object_object_add(parent, key, val);
}

static void out_json_push(const char *key, struct json_object *val)
{
	assert(out.depth < OUT_DEPTH);
	out_json_add(key, json_object_get(val));
	out.stack[out.depth++] = val;
}

static void out_json_pop(void)
{
	assert(out.depth > 1);
	json_object_put(out.stack[--out.depth]);
}

void vmq_out_begin(void)
{
	vmq_out_discard();
	if (!out.json)
		return;
	out.stack[0] = json_object_new_array();
	out.depth = 1;
	if (!out.stack[0])
		out.oom = true;
}

/* Stop keeping the table's text; the text kept is in out.table.buf. */
static bool out_table_close(void)
{
	bool ok = !out.table.oom;

	if (!out.table.fp)
		return ok;
	if (ferror(out.table.fp))
		ok = false;
	if (fclose(out.table.fp))
		ok = false;
	out.table.fp = NULL;
	return ok;
}

static void out_table_free(void)
{
	out_table_close();
	free(out.table.buf);
	out.table.buf = NULL;
	out.table.size = 0;
	out.table.header = NULL;
	out.table.oom = false;
}

void vmq_out_discard(void)
{
	while (out.depth > 0)
		json_object_put(out.stack[--out.depth]);
	out.oom = false;
	out_table_free();
}

void vmq_out_table_begin(const char *header)
{
	out_table_free();
	if (!out_text_wanted(VMQ_OUT_TEXT))
		return;
	out.table.header = header;
	out.table.fp = open_memstream(&out.table.buf, &out.table.size);
	if (!out.table.fp)
		out.table.oom = true;
}

/* Columns as wide as on a terminal: UTF-8 continuation bytes take none. */
static size_t out_cell_width(const char *cell, size_t len)
{
	size_t i, width = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)cell[i] & 0xc0) != 0x80)
			width++;
	return width;
}

/*
 * One row of the table, the @len bytes at @row, its cells separated by
 * tabs: widen @width to fit them, or print them padded to @width (one
 * blank between columns, none after the last cell that is not empty).
 */
static void out_table_row(const char *row, size_t len, size_t *width,
			  bool print)
{
	const char *end = row + len, *cell, *tab, *last = row;
	size_t i, cw, cell_len;

	/* the start of the last cell that is not empty */
	for (cell = row; cell < end; cell = tab + 1) {
		tab = memchr(cell, '\t', (size_t)(end - cell));
		if (!tab)
			tab = end;
		if (tab > cell)
			last = cell;
	}
	for (i = 0, cell = row; cell <= last; i++, cell = tab + 1) {
		tab = memchr(cell, '\t', (size_t)(end - cell));
		if (!tab)
			tab = end;
		cell_len = (size_t)(tab - cell);
		cw = out_cell_width(cell, cell_len);
		if (!print) {
			if (i < OUT_COLUMNS && cw > width[i])
				width[i] = cw;
			continue;
		}
		fwrite(cell, 1, cell_len, stdout);
		if (cell == last)
			break;
		printf("%*s", (int)((i < OUT_COLUMNS ? width[i] : cw) - cw + 1),
		       "");
	}
	if (print)
		putchar('\n');
}

/* Measure (@print false) or print every row of the table, header first. */
static void out_table_rows(size_t *width, bool print)
{
	const char *p = out.table.buf, *end = p + out.table.size, *nl;

	out_table_row(out.table.header, strlen(out.table.header), width,
		      print);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		out_table_row(p, (size_t)(nl - p), width, print);
	}
}

/* Print the table kept, if it has a row.  0, or -1 after saying why. */
static int out_table_end(void)
{
	size_t width[OUT_COLUMNS] = { 0 };

	if (!out.table.fp && !out.table.oom)
		return 0;
	if (!out_table_close()) {
		vmq_error("out of memory building the table");
		return -1;
	}
	if (out.table.size > 0) {
		out_table_rows(width, false);
		out_table_rows(width, true);
	}
	return 0;
}

static int out_print_json(struct json_object *list)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (json_object_array_length(list) == 0) {
		puts("[]");
		return 0;
	}
	flags |= out.pretty ? JSON_C_TO_STRING_PRETTY |
			      JSON_C_TO_STRING_SPACED :
			      JSON_C_TO_STRING_PLAIN;
	puts(json_object_to_json_string_ext(list, flags));
	return 0;
}

int vmq_out_end(void)
{
	int ret = 0;

	if (out_table_end())
		ret = -1;
	if (out.json && out.depth > 0) {
		if (out.oom) {
			vmq_error("out of memory building JSON");
			ret = -1;
		} else {
			ret = out_print_json(out.stack[0]);
		}
	}
	vmq_out_discard();
	return ret;
}

void vmq_out_obj_begin(const char *key)
{
	if (out_json_wanted(VMQ_OUT_ANY))
		out_json_push(key, json_object_new_object());
}

void vmq_out_obj_end(void)
{
	if (out_json_wanted(VMQ_OUT_ANY))
		out_json_pop();
}

void vmq_out_arr_begin(const char *key, const char *text)
{
	if (out_text_wanted(VMQ_OUT_ANY))
		fputs(text, out_fp());
	else if (out_json_wanted(VMQ_OUT_ANY))
		out_json_push(key, json_object_new_array());
}

void vmq_out_arr_end(const char *text)
{
	if (out_text_wanted(VMQ_OUT_ANY))
		fputs(text, out_fp());
	else if (out_json_wanted(VMQ_OUT_ANY))
		out_json_pop();
}

/* Length of the well-formed UTF-8 sequence at @p (RFC 3629), or 0. */
static size_t utf8_seq_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[0] == 0xe0 && p[1] < 0xa0) ||	/* overlong */
		    (p[0] == 0xed && p[1] > 0x9f))	/* surrogate */
			return 0;
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80 ||
		    (p[0] == 0xf0 && p[1] < 0x90) ||	/* overlong */
		    (p[0] == 0xf4 && p[1] > 0x8f))	/* past U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

/*
 * A JSON string of @val.  JSON is UTF-8, and json-c copies other bytes
 * as they are; but a VM's name may be any bytes: each byte that is not
 * part of well-formed UTF-8 becomes U+FFFD, so a parser never chokes.
 */
static struct json_object *out_json_string(const char *val)
{
	const unsigned char *p = (const unsigned char *)val;
	struct json_object *str;
	size_t n, i;
	char *buf, *q;

	for (n = 0; p[n]; n += i)
		if (!(i = utf8_seq_len(p + n)))
			break;
	if (!p[n])
		return json_object_new_string(val);
	buf = malloc(3 * strlen(val) + 1);
	if (!buf)
		return json_object_new_string("");
	for (q = buf; *p; p += i ? i : 1) {
		i = utf8_seq_len(p);
		if (i) {
			memcpy(q, p, i);
			q += i;
		} else {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
		}
	}
	*q = '\0';
	str = json_object_new_string(buf);
	free(buf);
	return str;
}

void vmq_out_str(enum vmq_out_kind kind, const char *key, const char *fmt,
		 const char *val)
{
	if (out_text_wanted(kind))
		fprintf(out_fp(), fmt, val);
	else if (out_json_wanted(kind))
		out_json_add(key, out_json_string(val));
}

void vmq_out_u32(enum vmq_out_kind kind, const char *key, const char *fmt,
		 uint32_t val)
{
	if (out_text_wanted(kind))
		fprintf(out_fp(), fmt, val);
	else if (out_json_wanted(kind))
		out_json_add(key, json_object_new_int64(val));
}

void vmq_out_u64(enum vmq_out_kind kind, const char *key, const char *fmt,
		 uint64_t val)
{
	if (out_text_wanted(kind))
		fprintf(out_fp(), fmt, val);
	else if (out_json_wanted(kind))
		out_json_add(key, json_object_new_uint64(val));
}

void vmq_out_bool(enum vmq_out_kind kind, const char *key, const char *fmt,
		  bool val)
{
	if (out_text_wanted(kind))
		fprintf(out_fp(), fmt, val ? "on" : "off");
	else if (out_json_wanted(kind))
		out_json_add(key, json_object_new_boolean(val));
}

void vmq_out_dev(const char *name_key, const char *index_key,
		 const char *fmt, const char *name, const uint32_t *ifindex)
{
	char buf[16];

	if (name) {
		vmq_out_str(VMQ_OUT_ANY, name_key, fmt, name);
	} else if (ifindex) {
		snprintf(buf, sizeof(buf), "if%" PRIu32, *ifindex);
		vmq_out_str(VMQ_OUT_TEXT, NULL, fmt, buf);
	}
	if (ifindex)
		vmq_out_u32(VMQ_OUT_JSON, index_key, NULL, *ifindex);
}

void vmq_out_mac(enum vmq_out_kind kind, const char *key, const char *fmt,
		 const uint8_t *mac)
{
	char buf[VMQ_MAC_STRLEN];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	vmq_out_str(kind, key, fmt, buf);
}

/* Is @c printed as an escape in text: a quote, a backslash, a control? */
static bool out_needs_escape(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20 || c == 0x7f;
}

void vmq_out_str_esc(enum vmq_out_kind kind, const char *key,
		     const char *fmt, const char *val)
{
	const unsigned char *p;
	char *buf, *q;

	if (!out_text_wanted(kind)) {
		vmq_out_str(kind, key, fmt, val);
		return;
	}
	/* at worst every byte becomes \xNN */
	buf = malloc(4 * strlen(val) + 1);
	if (!buf) {
		fprintf(out_fp(), fmt, "(out of memory)");
		return;
	}
	for (p = (const unsigned char *)val, q = buf; *p; p++) {
		if (!out_needs_escape(*p))
			*q++ = (char)*p;
		else if (*p == '"' || *p == '\\')
			q += sprintf(q, "\\%c", *p);
		else
			q += sprintf(q, "\\x%02x", *p);
	}
	*q = '\0';
	fprintf(out_fp(), fmt, buf);
	free(buf);
}

void vmq_out_cpus_begin(const char *key, const char *text)
{
	out.cpus.any = false;
	out.cpus.printed = false;
	vmq_out_arr_begin(key, text);
}

/* Print the pending range of CPUs, if any, in text. */
static void out_cpus_flush(void)
{
	if (!out.cpus.any)
		return;
	fprintf(out_fp(), "%s%" PRIu32, out.cpus.printed ? "," : "",
		out.cpus.first);
	if (out.cpus.last != out.cpus.first)
		fprintf(out_fp(), "-%" PRIu32, out.cpus.last);
	out.cpus.printed = true;
	out.cpus.any = false;
}

void vmq_out_cpus_add(uint32_t cpu)
{
	if (out_json_wanted(VMQ_OUT_ANY)) {
		out_json_add(NULL, json_object_new_int64(cpu));
		return;
	}
	if (!out_text_wanted(VMQ_OUT_ANY))
		return;
	if (out.cpus.any && out.cpus.last != UINT32_MAX &&
	    cpu == out.cpus.last + 1) {
		out.cpus.last = cpu;
		return;
	}
	out_cpus_flush();
	out.cpus.any = true;
	out.cpus.first = out.cpus.last = cpu;
}

void vmq_out_cpus_end(void)
{
	if (out_text_wanted(VMQ_OUT_ANY)) {
		out_cpus_flush();
		if (!out.cpus.printed)
			fputs("none", out_fp());
	}
	vmq_out_arr_end("");
}

void vmq_out_text(const char *fmt, ...)
{
	va_list ap;

	if (!out_text_wanted(VMQ_OUT_TEXT))
		return;
	va_start(ap, fmt);
	vfprintf(out_fp(), fmt, ap);
	va_end(ap);
}
