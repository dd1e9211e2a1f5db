// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a device's RX queue IRQs from userspace, for drivers whose
 * IRQs the module cannot find itself (no queue -> NAPI -> IRQ link, no
 * known vector layout).
 *
 * Drivers name their vectors in /proc/interrupts after the interface or
 * its device, as irqname.c reads them.
 * A name is only a name, though: a vector keeps the name it was requested
 * with, so after a rename another interface's old vectors can carry this
 * one's name.  Where the device sits on a PCI function with MSI on, only
 * that function's own vectors (its msi_irqs directory in sysfs) are
 * taken; one named like the device's but not its own is counted as
 * foreign and left out.  Two vectors naming the same queue are counted
 * as ambiguous, and that queue is left out too (and `irq auto` then
 * hands down nothing): better none than the wrong one.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irqmap.h"
#include "irqname.h"

/* The names a device's vectors may be called after. */
struct irq_owner {
	char name[2][NAME_MAX + 1];	/* the interface, its device node */
	int names;
	unsigned int *msi;		/* its PCI function's vectors */
	size_t nr_msi;
};

/* Copy @src into @dst of @size bytes, cut short if it must be. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Read @dir's msi_irqs into @o; false if it has none. */
static bool irq_owner_read_msi(struct irq_owner *o, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	unsigned int *grown;
	char *end;
	DIR *d;

	if (snprintf(path, sizeof(path), "%s/msi_irqs", dir) >=
	    (int)sizeof(path))
		return false;
	d = opendir(path);
	if (!d)
		return false;
	while ((e = readdir(d))) {
		unsigned long irq = strtoul(e->d_name, &end, 10);

		if (end == e->d_name || *end)
			continue;
		grown = realloc(o->msi, (o->nr_msi + 1) * sizeof(*o->msi));
		if (!grown)
			break;
		o->msi = grown;
		o->msi[o->nr_msi++] = (unsigned int)irq;
	}
	closedir(d);
	return true;
}

/*
 * Who @dev's vectors belong to: the interface, the device node under it
 * (virtio0 for virtio-net), and the vectors of the PCI function that is
 * that node or its parent.
 */
static void irq_owner_find(struct irq_owner *o, const char *root,
			   const char *dev, struct vmq_irq_scan *scan)
{
	char link[PATH_MAX], node[PATH_MAX], *slash;

	copy_str(o->name[o->names++], sizeof(o->name[0]), dev);
	if (snprintf(link, sizeof(link), "%s/sys/class/net/%s/device", root,
		     dev) >= (int)sizeof(link) || !realpath(link, node))
		return;
	copy_str(o->name[o->names++], sizeof(o->name[0]), path_base(node));
	if (!irq_owner_read_msi(o, node)) {
		slash = strrchr(node, '/');
		if (!slash)
			return;
		*slash = '\0';
		if (!irq_owner_read_msi(o, node))
			return;
	}
	scan->msi_known = true;
	copy_str(scan->function, sizeof(scan->function), path_base(node));
}

static bool irq_owner_has(const struct irq_owner *o, unsigned int irq)
{
	size_t i;

	for (i = 0; i < o->nr_msi; i++)
		if (o->msi[i] == irq)
			return true;
	return false;
}

/* The queue a vector called @name serves, if it is named as @o's; or -1. */
static int irq_owner_queue(const struct irq_owner *o, const char *name)
{
	int i, q;

	for (i = 0; i < o->names; i++) {
		q = vmq_irq_name_queue(name, o->name[i], VMQ_MAX_IRQ_QUEUES);
		if (q >= 0)
			return q;
	}
	return -1;
}

/* Take one /proc/interrupts line into @scan, if it is one of @o's. */
static void irq_scan_line(struct vmq_irq_scan *scan, const struct irq_owner *o,
			  char *line, bool clash[VMQ_MAX_IRQ_QUEUES])
{
	unsigned long irq;
	char *colon, *name;
	int q;

	line[strcspn(line, "\n")] = '\0';
	irq = strtoul(line, &colon, 10);
	if (colon == line || *colon != ':')
		return;
	/* The action name is the line's last word. */
	name = strrchr(line, ' ');
	if (!name)
		return;
	q = irq_owner_queue(o, name + 1);
	if (q < 0)
		return;
	if (scan->msi_known && !irq_owner_has(o, (unsigned int)irq)) {
		scan->foreign++;
		return;
	}
	if (scan->irq[q] && scan->irq[q] != irq)
		clash[q] = true;
	scan->irq[q] = (unsigned int)irq;
}

/**
 * vmq_irqs_resolve - @dev's RX queue IRQs, from their names and sysfs
 * @root: "" for this host; a directory standing in for / in tests
 * @dev: the interface
 * @scan: filled in; queues without exactly one IRQ have 0
 *
 * Return: 0, or -1 if /proc/interrupts is unreadable.
 */
int vmq_irqs_resolve(const char *root, const char *dev,
		     struct vmq_irq_scan *scan)
{
	bool clash[VMQ_MAX_IRQ_QUEUES] = { false };
	struct irq_owner o = { .names = 0 };
	char path[PATH_MAX], *line = NULL;
	size_t size = 0;
	unsigned int q;
	FILE *f;

	memset(scan, 0, sizeof(*scan));
	snprintf(path, sizeof(path), "%s/proc/interrupts", root);
	f = fopen(path, "r");
	if (!f)
		return -1;
	irq_owner_find(&o, root, dev, scan);
	/* A line has a count per CPU: thousands of bytes on a big host. */
	while (getline(&line, &size, f) > 0)
		irq_scan_line(scan, &o, line, clash);
	free(line);
	fclose(f);
	free(o.msi);
	for (q = 0; q < VMQ_MAX_IRQ_QUEUES; q++) {
		if (clash[q]) {
			scan->irq[q] = 0;
			scan->ambiguous++;
		} else if (scan->irq[q]) {
			scan->found++;
		}
	}
	return 0;
}
