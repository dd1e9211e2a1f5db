// SPDX-License-Identifier: GPL-2.0
/*
 * Drivers name a queue's vector after the interface or its device:
 *
 *	eth0-TxRx-3		igb_request_msix(), ixgbe, bnxt_setup_msix()
 *	ice-eth0-TxRx-3		ice_vsi_req_irq_msix(), i40e: a driver prefix
 *	eth0-rx-3, eth0-3	drivers with separate RX vectors, or none named
 *	eth0:rx-3		stmmac_request_irq_multi_msi()
 *	virtio0-input.3		vp_find_vqs_msix(), after the virtio device
 *	mlx5_comp3@pci:0000:03:00.0
 *				mlx5 irq_set_name(): completion vector 3,
 *				which serves channel 3, after the PCI function
 *
 * A name is only a name: a vector keeps the name it was requested with,
 * so after a rename another interface's old vectors can carry this one's.
 * Callers check ownership where the system can tell (a PCI function's MSI
 * vectors).
 */
#include <string.h>

#include "irqname.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The decimal number @s starts with, if it ends at @end (or the string's
 * end, if @end is NULL) and is below @limit; else -1.
 */
static int vmq_parse_queue(const char *s, const char *end, unsigned int limit)
{
	unsigned int q = 0;
	const char *p;

	if (*s < '0' || *s > '9')
		return -1;
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		q = q * 10 + (unsigned int)(*p - '0');
		if (q >= limit)
			return -1;
	}
	if (end ? p != end : *p != '\0')
		return -1;
	return (int)q;
}

/* "<owner><infix><q>", the owner at the start or after a '-' prefix. */
static int vmq_irq_name_infix(const char *name, const char *owner,
			      unsigned int nr_queues)
{
	static const char *const infixes[] = { "-TxRx-", "-rx-", "-RX-",
					       "-txrx-", ":rx-", "-input.",
					       "-" };
	size_t olen = strlen(owner);
	const char *p = name, *rest;
	unsigned int i;
	int q;

	if (!olen)
		return -1;
	while ((p = strstr(p, owner))) {
		if (p != name && p[-1] != '-') {
			p++;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(infixes); i++) {
			rest = p + olen;
			if (strncmp(rest, infixes[i], strlen(infixes[i])))
				continue;
			q = vmq_parse_queue(rest + strlen(infixes[i]), NULL,
					    nr_queues);
			if (q >= 0)
				return q;
		}
		p++;
	}
	return -1;
}

/* "mlx5_comp<q>@pci:<owner>"; its async vector, mlx5_async0@..., serves none. */
static int vmq_irq_name_at(const char *name, const char *owner,
			   unsigned int nr_queues)
{
	static const char prefix[] = "mlx5_comp";
	const char *at = strrchr(name, '@');

	if (!at || strncmp(name, prefix, strlen(prefix)) ||
	    strncmp(at + 1, "pci:", 4) || strcmp(at + 5, owner))
		return -1;
	return vmq_parse_queue(name + strlen(prefix), at, nr_queues);
}

/**
 * vmq_irq_name_queue - the RX queue a vector called @name serves
 * @name: the vector's name, as request_irq() was given it
 * @owner: an interface name, or the name of the device under it
 * @nr_queues: queue numbers at or above this are not taken
 *
 * Return: the queue, or -1 if @name does not name one of @owner's.
 */
int vmq_irq_name_queue(const char *name, const char *owner,
		       unsigned int nr_queues)
{
	int q = vmq_irq_name_infix(name, owner, nr_queues);

	return q >= 0 ? q : vmq_irq_name_at(name, owner, nr_queues);
}
