// SPDX-License-Identifier: GPL-2.0
/*
 * vmqctl output: text printed as it comes, or JSON built with json-c.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <json-c/json.h>

#include "output.h"
#include "vmqctl.h"

#define OUT_DEPTH	8

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
} out;

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

void vmq_out_discard(void)
{
	while (out.depth > 0)
		json_object_put(out.stack[--out.depth]);
	out.oom = false;
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
		fputs(text, stdout);
	else if (out_json_wanted(VMQ_OUT_ANY))
		out_json_push(key, json_object_new_array());
}

void vmq_out_arr_end(const char *text)
{
	if (out_text_wanted(VMQ_OUT_ANY))
		fputs(text, stdout);
	else if (out_json_wanted(VMQ_OUT_ANY))
		out_json_pop();
}

void vmq_out_str(enum vmq_out_kind kind, const char *key, const char *fmt,
		 const char *val)
{
	if (out_text_wanted(kind))
		printf(fmt, val);
	else if (out_json_wanted(kind))
		out_json_add(key, json_object_new_string(val));
}

void vmq_out_u32(enum vmq_out_kind kind, const char *key, const char *fmt,
		 uint32_t val)
{
	if (out_text_wanted(kind))
		printf(fmt, val);
	else if (out_json_wanted(kind))
		out_json_add(key, json_object_new_int64(val));
}

void vmq_out_u64(enum vmq_out_kind kind, const char *key, const char *fmt,
		 uint64_t val)
{
	if (out_text_wanted(kind))
		printf(fmt, val);
	else if (out_json_wanted(kind))
		out_json_add(key, json_object_new_uint64(val));
}

void vmq_out_bool(enum vmq_out_kind kind, const char *key, const char *fmt,
		  bool val)
{
	if (out_text_wanted(kind))
		printf(fmt, val ? "on" : "off");
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
	printf("%s%" PRIu32, out.cpus.printed ? "," : "", out.cpus.first);
	if (out.cpus.last != out.cpus.first)
		printf("-%" PRIu32, out.cpus.last);
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
			fputs("none", stdout);
	}
	vmq_out_arr_end("");
}

void vmq_out_text(const char *fmt, ...)
{
	va_list ap;

	if (!out_text_wanted(VMQ_OUT_TEXT))
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
