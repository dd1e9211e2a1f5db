/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmqctl output: one code path prints an object as text or as JSON.
 *
 * Each call names the JSON key and gives the printf format of the text;
 * @kind says whether the value appears in both, or in only one of them
 * (ifindex is JSON-only, labels like "members:" are text-only).  Text is
 * printed as it comes; JSON is built with json-c and printed by
 * vmq_out_end() as one array, so a failed command prints no JSON at all.
 */
#ifndef VMQCTL_OUTPUT_H
#define VMQCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

enum vmq_out_kind {
	VMQ_OUT_ANY,		/* text and JSON */
	VMQ_OUT_JSON,		/* JSON only; @fmt unused (NULL) */
	VMQ_OUT_TEXT,		/* text only; @key unused (NULL) */
};

void vmq_out_init(bool json, bool pretty);
bool vmq_out_is_json(void);

/* The list a show command prints: [] in JSON, nothing in text. */
void vmq_out_begin(void);
int vmq_out_end(void);		/* 0, or -1 after saying why */
void vmq_out_discard(void);

/* Objects and arrays; @key is NULL inside an array. */
void vmq_out_obj_begin(const char *key);
void vmq_out_obj_end(void);
void vmq_out_arr_begin(const char *key, const char *text);
void vmq_out_arr_end(const char *text);

void vmq_out_str(enum vmq_out_kind kind, const char *key, const char *fmt,
		 const char *val);
void vmq_out_u32(enum vmq_out_kind kind, const char *key, const char *fmt,
		 uint32_t val);
void vmq_out_u64(enum vmq_out_kind kind, const char *key, const char *fmt,
		 uint64_t val);
void vmq_out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VMQCTL_OUTPUT_H */
