/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMs: a team's guest MACs (+VLAN), in the model.
 */
#ifndef _VMQ_VM_H
#define _VMQ_VM_H

#include "model.h"

struct vmq_vm *vmq_vm_find(struct vmq_team *team, const u8 *mac, int vlan);
struct vmq_vm *vmq_vm_lookup_rcu(struct vmq_team *team, const u8 *mac,
				 int vlan);
int vmq_vm_table_init(struct vmq_team *team);
void vmq_vm_table_destroy(struct vmq_team *team);
struct vmq_vm *vmq_vm_add(struct vmq_team *team, const u8 *mac, int vlan,
			  const char *name, struct netlink_ext_ack *extack);
bool vmq_vm_del(struct vmq_vm *vm);
void vmq_vms_release(struct vmq_team *team);

void vmq_vm_set_state(struct vmq_vm *vm, enum vmq_vm_state state,
		      const char *reason);
void vmq_vm_retry(struct vmq_vm *vm);
enum vmq_vm_state vmq_vm_shown_state(const struct vmq_vm *vm);
const char *vmq_vm_state_name(enum vmq_vm_state state);

/* What became of a frame for a VM, where it arrived. */
enum vmq_vm_rx {
	VMQ_VM_RX_HERE,			/* processed on this CPU */
	VMQ_VM_RX_STEERED,		/* handed to the VM's CPU */
};

void vmq_vm_count_rx(struct vmq_vm *vm, const struct sk_buff *skb,
		     enum vmq_vm_rx how);
void vmq_vm_count_sw_drop(struct vmq_vm *vm);
void vmq_vm_count_on_cpu(struct vmq_vm *vm);
void vmq_vm_read_stats(const struct vmq_vm *vm, struct vmq_vm_stats *st);

int vmq_vm_init(void);
void vmq_vm_exit(void);

#endif /* _VMQ_VM_H */
