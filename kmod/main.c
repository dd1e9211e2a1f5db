// SPDX-License-Identifier: GPL-2.0
/*
 * vmq: VMQ (Virtual Machine Queue) for KVM hosts with bonded multiqueue
 * NICs.  Each guest MAC gets a dedicated hardware RX queue on the bond's
 * members, and each queue's IRQ is pinned to a CPU chosen by the
 * Min-Queue / Sum-Queue rules of Windows NIC teaming.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "control.h"
#include "netlink.h"
#include "rx.h"
#include "vm.h"

static int __init vmq_init(void)
{
	int err;

	err = vmq_vm_init();
	if (err)
		return err;
	err = vmq_rx_init();
	if (err)
		goto out_vm;
	err = vmq_control_init();
	if (err)
		goto out_rx;
	err = vmq_netlink_init();
	if (err)
		goto out_control;
	return 0;

out_control:
	vmq_control_exit();
out_rx:
	vmq_rx_exit();
out_vm:
	vmq_vm_exit();
	return err;
}

/* The family goes first, so no request can attach while teams are undone. */
static void __exit vmq_exit(void)
{
	vmq_netlink_exit();
	vmq_control_exit();
	vmq_rx_exit();
	vmq_vm_exit();
}

module_init(vmq_init);
module_exit(vmq_exit);

MODULE_DESCRIPTION("VMQ: dedicated RX queues and pinned IRQs per guest on bonded NICs");
MODULE_AUTHOR("The vmq developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(VMQ_FAMILY_NAME);
