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

/* A boolean: JSON true or false; text @fmt gets "on" or "off". */
void vmq_out_bool(enum vmq_out_kind kind, const char *key, const char *fmt,
		  bool val);

/*
 * A device: its name under @name_key, in text @fmt (a "%s"), or "ifN" in
 * text if only its index is known; its index under @index_key (JSON only).
 * @name may be NULL, and so may @ifindex (not known).
 */
void vmq_out_dev(const char *name_key, const char *index_key,
		 const char *fmt, const char *name, const uint32_t *ifindex);

/*
 * A list of CPUs, given one at a time: in JSON an array of numbers under
 * @key; in text @text, then the CPUs as ranges the way the kernel's
 * cpulist files print them ("2,4,6-9"), or "none" for an empty list.
 */
void vmq_out_cpus_begin(const char *key, const char *text);
void vmq_out_cpus_add(uint32_t cpu);
void vmq_out_cpus_end(void);
void vmq_out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VMQCTL_OUTPUT_H */
