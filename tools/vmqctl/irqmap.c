// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a device's queue IRQs from userspace, for drivers whose IRQs
 * the kernel module cannot find itself (no queue -> NAPI -> IRQ link, no
 * known vector layout): by the names drivers give their vectors in
 * /proc/interrupts, e.g. "eth0-TxRx-3" (igb, ixgbe, i40e), "eth0-rx-3",
 * "ice-eth0-TxRx-3" (ice), "eth0-3".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmqctl.h"

/* The queue number @name gives @dev's RX queue vector, or -1. */
static int irq_name_queue(const char *name, const char *dev)
{
	static const char *const infixes[] = { "-TxRx-", "-rx-", "-RX-",
					       "-txrx-", "-" };
	size_t dlen = strlen(dev);
	const char *p = name, *rest;
	unsigned int i;
	char *end;
	long q;

	/* "ice-eth0-TxRx-3": the device name may follow a driver prefix. */
	while ((p = strstr(p, dev))) {
		if (p != name && p[-1] != '-') {
			p++;
			continue;
		}
		for (i = 0; i < sizeof(infixes) / sizeof(infixes[0]); i++) {
			rest = p + dlen;
			if (strncmp(rest, infixes[i], strlen(infixes[i])))
				continue;
			rest += strlen(infixes[i]);
			if (!isdigit((unsigned char)*rest))
				continue;
			q = strtol(rest, &end, 10);
			if (*end == '\0' && q >= 0 && q < VMQ_MAX_IRQ_QUEUES)
				return (int)q;
		}
		p++;
	}
	return -1;
}

/**
 * vmq_irqs_resolve - @dev's RX queue IRQs, by name, from /proc/interrupts
 * @dev: the interface
 * @irqs: filled in per queue, 0 where none was found
 *
 * Return: how many were found, or -1 if /proc/interrupts is unreadable.
 */
int vmq_irqs_resolve(const char *dev, unsigned int irqs[VMQ_MAX_IRQ_QUEUES])
{
	char line[4096], *name, *colon;
	unsigned long irq;
	int found = 0, q;
	FILE *f;

	memset(irqs, 0, sizeof(unsigned int) * VMQ_MAX_IRQ_QUEUES);
	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		irq = strtoul(line, &colon, 10);
		if (colon == line || *colon != ':')
			continue;
		/* The action name is the line's last word. */
		name = strrchr(line, ' ');
		if (!name)
			continue;
		q = irq_name_queue(name + 1, dev);
		if (q < 0 || irqs[q])
			continue;
		irqs[q] = (unsigned int)irq;
		found++;
	}
	fclose(f);
	return found;
}
