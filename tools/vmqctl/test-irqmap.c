// SPDX-License-Identifier: GPL-2.0
/*
 * Offline tests of irqmap.c, `adapter set DEV irq auto`'s search, on
 * made-up /proc/interrupts and sysfs trees: the vector names of igb, ice
 * and virtio-net, the PCI function's msi_irqs as the check on a name,
 * and the two ways a name misleads (a renamed device's old vectors, two
 * vectors naming one queue); mlx4's event queue vectors, by the ring's
 * CPU as 6.1 and 6.12 spread rings over NUMA nodes, on one port and two,
 * checked against their affinity hints.  TAP on stdout.
 *
 * Usage: test-irqmap
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irqmap.h"

static char root[] = "/tmp/vmq-irqmap-XXXXXX";
static int failed;

static void die(const char *what)
{
	fprintf(stderr, "test-irqmap: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* mkdir -p ROOT/PATH */
static void mkdirs(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s/%s", root, path);
	for (p = buf + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			die(buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		die(buf);
}

/* ROOT/PATH's parent made, then the file written with @fmt. */
static void put(const char *path, const char *fmt, ...)
{
	char buf[4096], *slash;
	va_list ap;
	FILE *f;

	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	if (slash) {
		*slash = '\0';
		mkdirs(buf);
	}
	snprintf(buf, sizeof(buf), "%s/%s", root, path);
	f = fopen(buf, "w");
	if (!f)
		die(buf);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/* A PCI function at ROOT/sys/devices/pci0000:00/FN with MSI @irqs. */
static void pci_function(const char *fn, const unsigned int *irqs, int n)
{
	char path[512];
	int i;

	snprintf(path, sizeof(path), "sys/devices/pci0000:00/%s", fn);
	mkdirs(path);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path),
			 "sys/devices/pci0000:00/%s/msi_irqs/%u", fn, irqs[i]);
		put(path, "msix\n");
	}
}

/* ROOT/sys/class/net/DEV/device -> ROOT/sys/devices/TARGET */
static void netdev(const char *dev, const char *target)
{
	char link[512], dest[512];

	snprintf(link, sizeof(link), "sys/class/net/%s", dev);
	mkdirs(link);
	if (!target)
		return;
	snprintf(dest, sizeof(dest), "%s/sys/devices/%s", root, target);
	mkdirs(dest + strlen(root) + 1);
	snprintf(link, sizeof(link), "%s/sys/class/net/%s/device", root, dev);
	if (symlink(dest, link))
		die(link);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void ok(bool cond, int n, const char *name)
{
	printf("%sok %d %s\n", cond ? "" : "not ", n, name);
	if (!cond)
		failed++;
}

/* "irq:q irq:q ...": the queues found, for a readable diagnostic. */
static const char *found(const struct vmq_irq_scan *s)
{
	static char buf[512];
	size_t len = 0;
	unsigned int q;

	buf[0] = '\0';
	for (q = 0; q < VMQ_MAX_IRQ_QUEUES && len < sizeof(buf) - 16; q++)
		if (s->irq[q])
			len += snprintf(buf + len, sizeof(buf) - len, "%s%u:%u",
					len ? " " : "", q, s->irq[q]);
	return buf;
}

static void check(int n, const char *name, const struct vmq_irq_scan *s,
		  const char *want, int foreign, int ambiguous)
{
	bool good = !strcmp(found(s), want) && s->foreign == foreign &&
		    s->ambiguous == ambiguous;

	if (!good)
		printf("# got \"%s\" foreign %d ambiguous %d; want \"%s\" foreign %d ambiguous %d\n",
		       found(s), s->foreign, s->ambiguous, want, foreign,
		       ambiguous);
	ok(good, n, name);
}

static const char interrupts[] =
	"            CPU0       CPU1\n"
	"  1:          9          0   IO-APIC    1-edge      i8042\n"
	" 44:          1          0   PCI-MSIX-0000:00:03.0   0-edge      eth0\n"
	" 45:         10          0   PCI-MSIX-0000:00:03.0   1-edge      eth0-TxRx-0\n"
	" 46:         10          0   PCI-MSIX-0000:00:03.0   2-edge      eth0-TxRx-1\n"
	/* eth1 was renamed from eth0 while up: its vectors kept the name */
	" 50:          3          0   PCI-MSIX-0000:00:04.0   1-edge      eth0-TxRx-2\n"
	" 60:          0          0   PCI-MSIX-0000:00:05.0   1-edge      ice-ens5-TxRx-0\n"
	" 61:          0          0   PCI-MSIX-0000:00:05.0   2-edge      ice-ens5-TxRx-1\n"
	" 62:          0          0   PCI-MSIX-0000:00:05.0   3-edge      xens5-TxRx-2\n"
	" 70:          0          0   PCI-MSIX-0000:00:06.0   0-edge      virtio0-config\n"
	" 71:          5          0   PCI-MSIX-0000:00:06.0   1-edge      virtio0-input.0\n"
	" 72:          0          0   PCI-MSIX-0000:00:06.0   2-edge      virtio0-output.0\n"
	" 73:          5          0   PCI-MSIX-0000:00:06.0   3-edge      virtio0-input.1\n"
	/* a software NIC's vectors: no PCI, two named for queue 1 */
	" 80:          0          0   simsim      0-edge      sim0-rx-0\n"
	" 81:          0          0   simsim      1-edge      sim0-rx-1\n"
	" 82:          0          0   simsim      2-edge      sim0-rx-1\n"
	" 90:          0          0   simsim      0-edge      sim1-rx-0\n"
	/* mlx5: completion vectors named after the PCI function */
	" 95:          0          0   PCI-MSIX-0000:00:07.0   0-edge      mlx5_async0@pci:0000:00:07.0\n"
	" 96:          0          0   PCI-MSIX-0000:00:07.0   1-edge      mlx5_comp0@pci:0000:00:07.0\n"
	" 97:          0          0   PCI-MSIX-0000:00:07.0   2-edge      mlx5_comp1@pci:0000:00:07.0\n"
	/* mlx4: EQ vectors, named after the EQ and the PCI function */
	"100:          0          0   PCI-MSIX-0000:00:08.0   0-edge      mlx4-async@pci:0000:00:08.0\n"
	"101:          0          0   PCI-MSIX-0000:00:08.0   1-edge      mlx4-1@0000:00:08.0\n"
	"102:          0          0   PCI-MSIX-0000:00:08.0   2-edge      mlx4-2@0000:00:08.0\n"
	"103:          0          0   PCI-MSIX-0000:00:08.0   3-edge      mlx4-3@0000:00:08.0\n"
	"104:          0          0   PCI-MSIX-0000:00:08.0   4-edge      mlx4-4@0000:00:08.0\n"
	"107:          0          0   PCI-MSIX-0000:00:08.0   7-edge      mlx4-7@0000:00:08.0\n"
	"108:          0          0   PCI-MSIX-0000:00:08.0   8-edge      mlx4-8@0000:00:08.0\n"
	/* not 08.0's own */
	"115:          0          0   PCI-MSIX-0000:00:04.0   5-edge      mlx4-5@0000:00:08.0\n"
	"120:          0          0   PCI-MSIX-0000:00:09.0   0-edge      mlx4-async@pci:0000:00:09.0\n"
	"121:          0          0   PCI-MSIX-0000:00:09.0   1-edge      mlx4-1@0000:00:09.0\n"
	"122:          0          0   PCI-MSIX-0000:00:09.0   2-edge      mlx4-2@0000:00:09.0\n"
	"129:          0          0   PCI-MSIX-0000:00:09.0   9-edge      mlx4-9@0000:00:09.0\n"
	"130:          0          0   PCI-MSIX-0000:00:09.0  10-edge      mlx4-10@0000:00:09.0\n"
	"131:          0          0   PCI-MSIX-0000:00:09.0  11-edge      mlx4-11@0000:00:09.0\n"
	"132:          0          0   PCI-MSIX-0000:00:09.0  12-edge      mlx4-12@0000:00:09.0\n"
	"NMI:          0          0   Non-maskable interrupts\n";

/* @n RX (and TX) queues of @dev, its dev_port @port */
static void netdev_queues(const char *dev, int n, int port)
{
	char path[512];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "sys/class/net/%s/queues/rx-%d",
			 dev, i);
		mkdirs(path);
		snprintf(path, sizeof(path), "sys/class/net/%s/queues/tx-%d",
			 dev, i);
		mkdirs(path);
	}
	snprintf(path, sizeof(path), "sys/class/net/%s/dev_port", dev);
	put(path, "%d\n", port);
}

/* /proc/irq/IRQ/affinity_hint: CPU @cpu, or none if -1 */
static void hint(unsigned int irq, int cpu)
{
	char path[64];

	snprintf(path, sizeof(path), "proc/irq/%u/affinity_hint", irq);
	if (cpu < 0)
		put(path, "00\n");
	else if (cpu < 8)
		put(path, "%02x\n", 1U << cpu);
	else if (cpu < 32)
		put(path, "%08x\n", 1U << cpu);
	else
		put(path, "%08x,00000000\n", 1U << (cpu - 32));
}

/*
 * Eight CPUs on four nodes of two, node 1 nearer node 3 than node 0:
 * 6.1 spreads node 1's rings over 2, 3, 0, 1, 6.12 over 2, 3, 6, 7.
 */
static void numa_topology(void)
{
	static const char *const dist[4] = {
		"10 30 20 30", "30 10 30 20", "20 30 10 30", "30 20 30 10",
	};
	char path[128];
	int n;

	put("sys/devices/system/cpu/online", "0-7\n");
	put("sys/devices/system/node/online", "0-3\n");
	for (n = 0; n < 4; n++) {
		snprintf(path, sizeof(path),
			 "sys/devices/system/node/node%d/cpulist", n);
		put(path, "%d-%d\n", 2 * n, 2 * n + 1);
		snprintf(path, sizeof(path),
			 "sys/devices/system/node/node%d/distance", n);
		put(path, "%s\n", dist[n]);
	}
}

/*
 * mlx4 functions: 08.0 one port (9 vectors: 8 EQs), on node 1; 09.0
 * two (17 vectors: EQs 1-8 port 1's, 9-16 port 2's), on node 0.  Each
 * EQ's hint is mlx4_init_affinity_hint()'s, but EQ 2 of 08.0's.
 */
static void mlx4_functions(void)
{
	static const unsigned int one[] = { 100, 101, 102, 103, 104, 105,
					    106, 107, 108 };
	unsigned int two[17], i;

	for (i = 0; i < 17; i++)
		two[i] = 120 + i;
	pci_function("0000:00:08.0", one, 9);
	pci_function("0000:00:09.0", two, 17);
	put("sys/devices/pci0000:00/0000:00:08.0/numa_node", "1\n");
	put("sys/devices/pci0000:00/0000:00:08.0/mlx4_port1", "eth\n");
	put("sys/devices/pci0000:00/0000:00:09.0/numa_node", "0\n");
	put("sys/devices/pci0000:00/0000:00:09.0/mlx4_port1", "eth\n");
	put("sys/devices/pci0000:00/0000:00:09.0/mlx4_port2", "eth\n");
	for (i = 1; i <= 8; i++)
		hint(100 + i, i == 2 ? 5 : (int)i - 1);
	for (i = 1; i <= 16; i++)
		hint(120 + i, (int)(i - 1) % 8);
	hint(131, 34);		/* another CPU, past the first word */
	netdev("enp8", "pci0000:00/0000:00:08.0");
	netdev_queues("enp8", 4, 0);
	netdev("enp9", "pci0000:00/0000:00:09.0");
	netdev_queues("enp9", 2, 0);
	netdev("enp9d1", "pci0000:00/0000:00:09.0");
	netdev_queues("enp9d1", 4, 1);
}

int main(void)
{
	static const unsigned int igb[] = { 44, 45, 46 }, igb2[] = { 50 },
		ice[] = { 60, 61, 62 }, virtio[] = { 70, 71, 72, 73 },
		mlx5[] = { 95, 96, 97 };
	struct vmq_irq_scan s;
	int n = 0;

	if (!mkdtemp(root))
		die("mkdtemp");
	put("proc/interrupts", "%s", interrupts);
	pci_function("0000:00:03.0", igb, 3);
	pci_function("0000:00:04.0", igb2, 1);
	pci_function("0000:00:05.0", ice, 3);
	pci_function("0000:00:06.0", virtio, 4);
	pci_function("0000:00:07.0", mlx5, 3);
	netdev("eth0", "pci0000:00/0000:00:03.0");
	netdev("ens5", "pci0000:00/0000:00:05.0");
	netdev("eth9", "pci0000:00/0000:00:06.0/virtio0");
	netdev("sim0", "sim/sim0");
	netdev("sim1", NULL);
	netdev("enp7", "pci0000:00/0000:00:07.0");

	numa_topology();
	mlx4_functions();

	printf("TAP version 13\n1..12\n");
	vmq_irqs_resolve(root, "eth0", &s);
	check(++n, "igb_names_checked_against_msi_irqs", &s, "0:45 1:46", 1, 0);
	ok(s.msi_known && !strcmp(s.function, "0000:00:03.0"), ++n,
	   "igb_pci_function_named");
	vmq_irqs_resolve(root, "ens5", &s);
	check(++n, "ice_driver_prefix_not_a_longer_name", &s, "0:60 1:61", 0, 0);
	vmq_irqs_resolve(root, "eth9", &s);
	check(++n, "virtio_input_vectors_by_device_node", &s, "0:71 1:73", 0, 0);
	vmq_irqs_resolve(root, "sim0", &s);
	check(++n, "no_pci_names_only_queue_named_twice_left_out", &s, "0:80",
	      0, 1);
	vmq_irqs_resolve(root, "sim1", &s);
	check(++n, "no_device_link_names_only", &s, "0:90", 0, 0);
	vmq_irqs_resolve(root, "enp7", &s);
	check(++n, "mlx5_completion_vectors_by_pci_function", &s, "0:96 1:97",
	      0, 0);
	/*
	 * mlx4, one port, node 1: 6.1's rings on CPUs 2, 3, 0, 1, so EQs
	 * 3, 4, 1 and 2 -- whose hint is wrong, so ring 3 is left out;
	 * 6.12's on 2, 3, 6, 7.  A vector of another function named as
	 * 08.0's is foreign.
	 */
	put("proc/sys/kernel/osrelease", "6.1.0-50-amd64\n");
	vmq_irqs_resolve(root, "enp8", &s);
	check(++n, "mlx4_rings_eqs_by_cpu_6_1_wrong_hint_left_out", &s,
	      "0:103 1:104 2:101", 1, 0);
	put("proc/sys/kernel/osrelease", "6.12.95+deb12-amd64\n");
	vmq_irqs_resolve(root, "enp8", &s);
	check(++n, "mlx4_rings_eqs_by_numa_distance_6_12", &s,
	      "0:103 1:104 2:107 3:108", 1, 0);
	/* two ports, node 0: port 2's ring on CPU c is on EQ c + 9 */
	put("proc/sys/kernel/osrelease", "6.1.0-50-amd64\n");
	vmq_irqs_resolve(root, "enp9", &s);
	check(++n, "mlx4_dual_port_first_port", &s, "0:121 1:122", 0, 0);
	vmq_irqs_resolve(root, "enp9d1", &s);
	check(++n, "mlx4_dual_port_second_port", &s, "0:129 1:130 3:132",
	      0, 0);
	ok(vmq_irqs_resolve("/nonexistent", "eth0", &s) == -1, ++n,
	   "unreadable_proc_interrupts");

	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return failed ? 1 : 0;
}
