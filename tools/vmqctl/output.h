/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmqctl output: one code path prints an object as text or as JSON.
 *
 * Each call names the JSON key and gives the printf format of the text;
 * @kind says whether the value appears in both, or in only one of them
 * (ifindex is JSON-only, labels like "members:" are text-only).  Text is
 * printed as it comes (a table's is kept and aligned by vmq_out_end());
 * JSON is built with json-c and printed by vmq_out_end() as one array, so
 * a failed command prints no JSON at all.
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

/* A MAC address, as xx:xx:xx:xx:xx:xx (lower case), in both. */
void vmq_out_mac(enum vmq_out_kind kind, const char *key, const char *fmt,
		 const uint8_t *mac);

/*
 * A string that may hold anything (a VM's name): as is in JSON; in text
 * with double quotes and backslashes escaped by a backslash, and control
 * characters (tabs and newlines too) as \xNN, so that it cannot break a
 * line, a quoted field or a table's columns.
 */
void vmq_out_str_esc(enum vmq_out_kind kind, const char *key,
		     const char *fmt, const char *val);

/*
 * A table, in text only: the text printed from here to vmq_out_end() is
 * kept, each line a row with cells separated by tabs ('\t'), then printed
 * after @header (a row like the others) with each column as wide as its
 * widest cell, one blank between columns.  Nothing is printed if there is
 * no row, or if vmq_out_discard() is called instead.  JSON is unaffected.
 */
void vmq_out_table_begin(const char *header);

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
