/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmqctl: declarations shared by the dispatcher and the objects.
 *
 * Every object (team, adapter, vm, queue, and later monitor) lives in one
 * file that defines a struct vmq_object: a table of commands and a usage
 * printer.  vmqctl.c lists the objects; cmd.c matches words against the
 * tables and runs the command.
 */
#ifndef VMQCTL_H
#define VMQCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>

#ifndef VMQCTL_VERSION
#define VMQCTL_VERSION "0.1"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Longest interface name the kernel accepts (IFNAMSIZ - 1). */
#define VMQ_IFNAME_MAX	15

/* A MAC address: its bytes, and "xx:xx:xx:xx:xx:xx" with the NUL. */
#define VMQ_MAC_LEN	6
#define VMQ_MAC_STRLEN	18

/* Exit statuses: a usage error is told apart from a failed operation. */
enum {
	VMQ_EXIT_OK	= 0,
	VMQ_EXIT_FAIL	= 1,
	VMQ_EXIT_USAGE	= 2,
};

struct nlattr;
struct vmq_attr_set;
struct vmq_nl;
struct vmq_object;

/* State kept across the commands of one invocation (or one batch). */
struct vmq_ctx {
	struct vmq_nl *nl;		/* opened on first use */
	const struct vmq_object *obj;	/* object running, for its usage */
	bool restore;			/* vmqctl restore: adds of what exists,
					 * as it exists, succeed */
};

/*
 * A word the user may abbreviate to any unique prefix: an object, a
 * command, a keyword or a keyword's value.  Tables of structs that start
 * with a struct vmq_keyword end with an entry whose name is NULL.
 * @alias holds other names of the same entry ("list", "ls" for "show").
 */
struct vmq_keyword {
	const char *name;
	const char *alias[2];
};

/* VMQ_KW("show", "list", "ls"): a keyword and its aliases. */
#define VMQ_KW(kw_name, ...)	{ .name = (kw_name), .alias = { __VA_ARGS__ } }

typedef int (*vmq_cmd_fn)(struct vmq_ctx *ctx, int argc, char **argv);

struct vmq_cmd {
	struct vmq_keyword kw;
	vmq_cmd_fn run;		/* returns a VMQ_EXIT_* status */
};

struct vmq_object {
	const char *name;
	const struct vmq_cmd *cmds;	/* [0] runs if COMMAND is omitted */
	void (*usage)(FILE *fp);
};

/* Command table entry for "OBJECT help": prints the object's usage. */
#define VMQ_CMD_HELP	{ VMQ_KW("help"), vmq_cmd_help }

/* The objects, one file each. */
extern const struct vmq_object vmq_team_object;
extern const struct vmq_object vmq_adapter_object;
extern const struct vmq_object vmq_vm_object;
extern const struct vmq_object vmq_queue_object;
extern const struct vmq_object vmq_monitor_object;
extern const struct vmq_object vmq_daemon_object;

/* adapter.c, for team plan's adapters and the daemon */
extern const struct vmq_attr_set vmq_adapter_set;
int vmq_adapter_give_irqs(struct vmq_nl *nl, const char *dev);

/* monitor.c, for the daemon */
extern const struct vmq_attr_set vmq_event_set;
void vmq_adapter_print_cpus(const void *payload, size_t len,
			    const char *text);

/* team.c, for save */
extern const struct vmq_attr_set vmq_team_set;
const char *vmq_team_mode_name(uint32_t mode);
const char *vmq_team_steering_name(uint32_t steering);

/* vm.c, for queue show and save */
extern const struct vmq_attr_set vmq_vm_set;
const char *vmq_vm_state_name(uint32_t state, char *buf, size_t len);

/* queue.c, for irqbalance-policy */
extern const struct vmq_attr_set vmq_queue_set;

/* irqbalance.c: "vmqctl irqbalance-policy" */
int vmq_irqbalance_policy(struct vmq_ctx *ctx, int argc, char **argv);
void vmq_irqbalance_usage(FILE *fp);
/*
 * One round of SIGHUPs to the irqbalance instances running vmq's policy.
 * Those told (by pid) are not told again in the same round; one that
 * cannot take SIGHUP yet (still starting) is counted as waiting.
 */
#define VMQ_NUDGE_MAX	16
struct vmq_nudge {
	int told[VMQ_NUDGE_MAX];
	int nr_told;
	int waiting;
};

int vmq_irqbalance_nudge(struct vmq_nudge *n);

/* save.c: "vmqctl save" */
int vmq_save(struct vmq_ctx *ctx, int argc, char **argv);
void vmq_save_usage(FILE *fp);

/* vmqctl.c */
void vmq_usage(FILE *fp);
struct vmq_nl *vmq_ctx_nl(struct vmq_ctx *ctx);
/* "restore FILE", for the daemon too: 0, or the first failing status */
int vmq_restore(struct vmq_ctx *ctx, const char *path);

/* cmd.c */
const void *__vmq_lookup(const char *word, const char *what,
			 const void *table, size_t entsize);
#define vmq_lookup(word, what, table)					\
	((__typeof__(&(table)[0]))__vmq_lookup(word, what, table,	\
					       sizeof((table)[0])))
bool vmq_matches(const char *word, const char *name);
int vmq_object_run(struct vmq_ctx *ctx, const struct vmq_object *obj,
		   int argc, char **argv);
int vmq_cmd_help(struct vmq_ctx *ctx, int argc, char **argv);
int vmq_show_objects(struct vmq_ctx *ctx, int argc, char **argv, uint8_t cmd,
		     uint16_t name_attr, const struct vmq_attr_set *set,
		     mnl_cb_t print);
int vmq_usage_fail(struct vmq_ctx *ctx);
int vmq_usage_error(struct vmq_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vmq_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vmq_check_ifname(struct vmq_ctx *ctx, const char *name);
int vmq_parse_uint(struct vmq_ctx *ctx, const char *kw, const char *word,
		   uint32_t max, uint32_t *val);
int vmq_parse_u32(struct vmq_ctx *ctx, const char *kw, const char *word,
		  uint32_t *val);
int vmq_parse_mac(struct vmq_ctx *ctx, const char *word,
		  uint8_t mac[VMQ_MAC_LEN]);

#endif /* VMQCTL_H */
