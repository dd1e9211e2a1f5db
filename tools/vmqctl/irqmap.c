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
 *
 * mlx4's vectors are named after event queues ("mlx4-<EQ>@<function>"),
 * and which EQ serves a ring is mlx4's choice: irqname.c models it, from
 * the ring's CPU (cpumask_local_spread() of the ring on the device's
 * NUMA node, from sysfs's CPUs and nodes), the EQ count (the function's
 * MSI vectors but the async one's), its ports (mlx4_core's mlx4_port<N>
 * attributes) and the netdev's (dev_port).  The EQ's affinity hint, set
 * by mlx4 and left alone by everyone else, must be the one mlx4 gives
 * that EQ, or none; a ring whose EQ's hint says otherwise is left out.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irqmap.h"
#include "irqname.h"

#define MLX4_PORTS_MAX	2	/* MLX4_MAX_PORTS */

/* The names a device's vectors may be called after. */
struct irq_owner {
	char name[2][NAME_MAX + 1];	/* the interface, its device node */
	int names;
	unsigned int *msi;		/* its PCI function's vectors */
	size_t nr_msi;
};

/* The vectors named "mlx4-<EQ>@<owner>", by EQ. */
struct mlx4_vectors {
	unsigned int irq[VMQ_MLX4_MAX_EQS];
	bool clash[VMQ_MLX4_MAX_EQS];
	bool any;
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

/* The mlx4 EQ a vector called @name is, if it is named as @o's; or -1. */
static int irq_owner_mlx4_eq(const struct irq_owner *o, const char *name)
{
	int i, eq;

	for (i = 0; i < o->names; i++) {
		eq = vmq_irq_name_mlx4_eq(name, o->name[i]);
		if (eq >= 0)
			return eq;
	}
	return -1;
}

/* Take one /proc/interrupts line into @scan, if it is one of @o's. */
static void irq_scan_line(struct vmq_irq_scan *scan, const struct irq_owner *o,
			  char *line, bool clash[VMQ_MAX_IRQ_QUEUES],
			  struct mlx4_vectors *eqs)
{
	unsigned long irq;
	char *colon, *name;
	int q, eq;

	line[strcspn(line, "\n")] = '\0';
	irq = strtoul(line, &colon, 10);
	if (colon == line || *colon != ':')
		return;
	/* The action name is the line's last word. */
	name = strrchr(line, ' ');
	if (!name)
		return;
	eq = irq_owner_mlx4_eq(o, name + 1);
	q = eq < 0 ? irq_owner_queue(o, name + 1) : -1;
	if (q < 0 && eq < 0)
		return;
	if (scan->msi_known && !irq_owner_has(o, (unsigned int)irq)) {
		scan->foreign++;
		return;
	}
	if (eq >= 0) {
		if (eqs->irq[eq] && eqs->irq[eq] != irq)
			eqs->clash[eq] = true;
		eqs->irq[eq] = (unsigned int)irq;
		eqs->any = true;
		return;
	}
	if (scan->irq[q] && scan->irq[q] != irq)
		clash[q] = true;
	scan->irq[q] = (unsigned int)irq;
}

/* The first line of @root@path, without its newline; false if none. */
static bool read_line(const char *root, const char *path, char *buf,
		      size_t size)
{
	char full[PATH_MAX];
	bool got;
	FILE *f;

	if (snprintf(full, sizeof(full), "%s%s", root, path) >=
	    (int)sizeof(full))
		return false;
	f = fopen(full, "r");
	if (!f)
		return false;
	got = fgets(buf, (int)size, f);
	fclose(f);
	if (got)
		buf[strcspn(buf, "\n")] = '\0';
	return got;
}

/* The integer in @root@path, or @dflt. */
static long read_long(const char *root, const char *path, long dflt)
{
	char buf[64], *end;
	long v;

	if (!read_line(root, path, buf, sizeof(buf)))
		return dflt;
	v = strtol(buf, &end, 10);
	return end == buf ? dflt : v;
}

/* Sysfs caps a CPU or node id well below this; so does vmqctl. */
#define IRQ_MAX_ID	65536

/*
 * A sysfs list ("0-3,8,10-11") in @root@path: @*set[id] for each id,
 * @*nr the highest and one; false if unreadable or malformed.
 */
static bool read_id_list(const char *root, const char *path, bool **set,
			 unsigned int *nr)
{
	unsigned long a, b, id;
	char *buf, *p, *end;
	bool *grown, ok = true;
	size_t size = 65536;

	*set = NULL;
	*nr = 0;
	buf = malloc(size);
	if (!buf || !read_line(root, path, buf, size)) {
		free(buf);
		return false;
	}
	for (p = buf; ok && *p; p = *end ? end + 1 : end) {
		a = strtoul(p, &end, 10);
		b = a;
		if (end == p) {
			ok = false;
			break;
		}
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p)
				ok = false;
		}
		if ((*end && *end != ',') || b < a || b >= IRQ_MAX_ID) {
			ok = false;
			break;
		}
		if (b >= *nr) {
			grown = realloc(*set, (b + 1) * sizeof(**set));
			if (!grown) {
				ok = false;
				break;
			}
			memset(grown + *nr, 0, (b + 1 - *nr) * sizeof(**set));
			*set = grown;
			*nr = (unsigned int)b + 1;
		}
		for (id = a; id <= b; id++)
			(*set)[id] = true;
	}
	free(buf);
	if (!ok) {
		free(*set);
		*set = NULL;
		*nr = 0;
	}
	return ok;
}

/* The CPUs and nodes sysfs shows, for vmq_local_spread(); free() both. */
static void read_cpu_topology(const char *root, struct vmq_cpu_topology *t,
			      int **cpu_node, unsigned int **distance)
{
	unsigned int nr_online = 0, nr_nodes = 0, n, m, cpu, col;
	bool *online = NULL, *nodes = NULL, *cpus;
	char path[PATH_MAX], release[64], *buf, *p, *end;
	int maj = 0, min = 0;

	memset(t, 0, sizeof(*t));
	*cpu_node = NULL;
	*distance = NULL;
	if (!read_id_list(root, "/sys/devices/system/cpu/online", &online,
			  &nr_online))
		return;
	*cpu_node = malloc(nr_online * sizeof(**cpu_node));
	if (!*cpu_node)
		goto out;
	for (cpu = 0; cpu < nr_online; cpu++)
		(*cpu_node)[cpu] = online[cpu] ? -1 : VMQ_CPU_OFFLINE;
	t->nr_cpus = nr_online;
	t->cpu_node = *cpu_node;
	/* 6.3 made cpumask_local_spread() follow NUMA distances. */
	if (read_line(root, "/proc/sys/kernel/osrelease", release,
		      sizeof(release)) &&
	    sscanf(release, "%d.%d", &maj, &min) == 2)
		t->by_distance = maj > 6 || (maj == 6 && min >= 3);
	if (!read_id_list(root, "/sys/devices/system/node/online", &nodes,
			  &nr_nodes))
		goto out;
	for (n = 0; n < nr_nodes; n++) {
		unsigned int nr_cpus;

		if (!nodes[n])
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%u/cpulist", n);
		if (!read_id_list(root, path, &cpus, &nr_cpus))
			continue;
		for (cpu = 0; cpu < nr_cpus && cpu < nr_online; cpu++)
			if (cpus[cpu] && online[cpu])
				(*cpu_node)[cpu] = (int)n;
		free(cpus);
	}
	*distance = malloc((size_t)nr_nodes * nr_nodes * sizeof(**distance));
	buf = malloc(65536);
	if (!*distance || !buf) {
		free(buf);
		goto out;
	}
	for (n = 0; n < nr_nodes * nr_nodes; n++)
		(*distance)[n] = UINT_MAX;
	/* Each online node's row: its distance to each online node. */
	for (n = 0; n < nr_nodes; n++) {
		if (!nodes[n])
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%u/distance", n);
		if (!read_line(root, path, buf, 65536))
			continue;
		for (m = 0, p = buf; m < nr_nodes; m++) {
			if (!nodes[m])
				continue;
			col = (unsigned int)strtoul(p, &end, 10);
			if (end == p)
				break;
			(*distance)[n * nr_nodes + m] = col;
			p = end;
		}
	}
	free(buf);
	t->nr_nodes = nr_nodes;
	t->distance = *distance;
out:
	free(online);
	free(nodes);
}

/* The netdev's RX queues, as sysfs lists them (rx-0, rx-1, ...). */
static unsigned int rx_queue_count(const char *root, const char *dev)
{
	char path[PATH_MAX], *end;
	unsigned int n = 0;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/class/net/%s/queues", root, dev);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "rx-", 3))
			continue;
		strtoul(e->d_name + 3, &end, 10);
		n += end != e->d_name + 3 && !*end;
	}
	closedir(d);
	return n;
}

/* mlx4_core's mlx4_port<N> attributes of the netdev's device: its ports. */
static unsigned int mlx4_port_count(const char *root, const char *dev)
{
	char path[PATH_MAX], *end;
	unsigned int n = 0;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/class/net/%s/device/", root, dev);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "mlx4_port", 9))
			continue;
		strtoul(e->d_name + 9, &end, 10);
		n += end != e->d_name + 9 && !*end;
	}
	closedir(d);
	return n;
}

/* What irq_hint_cpu() may say besides a CPU. */
enum {
	IRQ_HINT_NONE = -1,	/* an empty mask: no hint */
	IRQ_HINT_MANY = -2,	/* more than one CPU */
	IRQ_HINT_UNKNOWN = -3,	/* unreadable */
};

/* The one CPU /proc/irq/@irq/affinity_hint names, or IRQ_HINT_*. */
static int irq_hint_cpu(const char *root, unsigned int irq)
{
	char path[64], buf[4096];
	unsigned int bit = 0, v, b;
	int cpu = IRQ_HINT_NONE;
	size_t len;

	snprintf(path, sizeof(path), "/proc/irq/%u/affinity_hint", irq);
	if (!read_line(root, path, buf, sizeof(buf)))
		return IRQ_HINT_UNKNOWN;
	/* "%*pb": hex, most significant first, in comma-separated words */
	for (len = strlen(buf); len--;) {
		if (buf[len] == ',')
			continue;
		if (buf[len] >= '0' && buf[len] <= '9')
			v = (unsigned int)(buf[len] - '0');
		else if (buf[len] >= 'a' && buf[len] <= 'f')
			v = (unsigned int)(buf[len] - 'a' + 10);
		else
			return IRQ_HINT_UNKNOWN;
		for (b = 0; b < 4; b++, bit++) {
			if (!(v >> b & 1))
				continue;
			if (cpu != IRQ_HINT_NONE)
				return IRQ_HINT_MANY;
			cpu = (int)bit;
		}
	}
	return cpu;
}

/*
 * mlx4: each RX ring's EQ as mlx4 chose it (irqname.c), its vector as
 * /proc/interrupts names it, if that vector carries the hint mlx4 gives
 * that EQ or none.
 */
static void irq_mlx4_resolve(const char *root, const char *dev,
			     const struct irq_owner *o,
			     const struct mlx4_vectors *eqs,
			     struct vmq_irq_scan *scan,
			     bool clash[VMQ_MAX_IRQ_QUEUES])
{
	struct vmq_mlx4_eqs m = { .nr_ports = 1, .port = 1 };
	int cpu[VMQ_MAX_IRQ_QUEUES], eq[VMQ_MAX_IRQ_QUEUES];
	unsigned int nr, q, irq, *distance;
	struct vmq_cpu_topology t;
	char path[PATH_MAX];
	int node, hint, want, *cpu_node;
	long port;

	nr = rx_queue_count(root, dev);
	if (nr > VMQ_MAX_IRQ_QUEUES)
		nr = VMQ_MAX_IRQ_QUEUES;	/* later rings change none */
	/* mlx4_enable_msi_x(): one vector for the async EQ, the rest EQs */
	if (scan->msi_known && o->nr_msi > 1)
		m.nr_comp = (unsigned int)o->nr_msi - 1;
	if (mlx4_port_count(root, dev))
		m.nr_ports = mlx4_port_count(root, dev);
	snprintf(path, sizeof(path), "/sys/class/net/%s/dev_port", dev);
	port = read_long(root, path, 0);
	m.port = port >= 0 && port < MLX4_PORTS_MAX ? (unsigned int)port + 1 : 0;
	/* mlx4_load_one(): dev->numa_node = dev_to_node(&pdev->dev) */
	snprintf(path, sizeof(path), "/sys/class/net/%s/device/numa_node", dev);
	node = (int)read_long(root, path, -1);
	read_cpu_topology(root, &t, &cpu_node, &distance);
	for (q = 0; q < nr; q++)
		cpu[q] = vmq_local_spread(&t, q, node);
	vmq_mlx4_ring_eqs(&m, cpu, nr, eq);
	for (q = 0; q < nr; q++) {
		if (eq[q] < 0 || !eqs->irq[eq[q]])
			continue;
		irq = eqs->irq[eq[q]];
		/* mlx4's hint, or none (legacy EQ mode, no cpumask) */
		want = vmq_mlx4_eq_hint(&m, (unsigned int)eq[q]);
		hint = irq_hint_cpu(root, irq);
		if (hint != IRQ_HINT_UNKNOWN && hint != IRQ_HINT_NONE &&
		    hint != want)
			continue;
		if (eqs->clash[eq[q]] || (scan->irq[q] && scan->irq[q] != irq))
			clash[q] = true;
		scan->irq[q] = irq;
	}
	free(cpu_node);
	free(distance);
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
	struct mlx4_vectors eqs = { .any = false };
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
		irq_scan_line(scan, &o, line, clash, &eqs);
	free(line);
	fclose(f);
	if (eqs.any)
		irq_mlx4_resolve(root, dev, &o, &eqs, scan, clash);
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
