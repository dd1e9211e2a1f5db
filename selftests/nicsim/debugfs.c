// SPDX-License-Identifier: GPL-2.0
/*
 * Observability and fault knobs, in /sys/kernel/debug/nicsim/<A_NAME>/,
 * named after the name the NIC had when the pair was created (the pair's
 * key, which renames and namespace moves do not change).  See README.
 *
 *   rx_cpu           r   "queue cpu packets": frames each CPU's NAPI
 *                        took off each queue, for every nonzero count
 *   rules            r   "loc mac vlan queue hits", lowest location first
 *   irqs             r   "queue irq cpu": each queue's IRQ and the CPU its
 *                        interrupts go to (-1 if none)
 *   fail_insert      rw  "K ERRNO": the next K valid rule inserts fail
 *                        with -ERRNO
 *   fail_delete      rw  "K ERRNO": the next K rule deletes fail with
 *                        -ERRNO (a driver busy in a reset: -EBUSY)
 *   fail_rxfh        rw  "K ERRNO": the next K indirection table sets
 *                        fail with -ERRNO
 *   profile          r   the driver profile's name
 *   arfs             r   0 or 1: aRFS on (profiles where NTUPLE turns it on)
 *   reset            w   "keep-rules" (or "1"), "lose-rules"
 *   carrier          rw  0 or 1: the cable
 *   no_mac_steering  rw  0 or 1: refuse destination-MAC rules
 *   rule_capacity    rw  the rule table's size, 1..2048
 *   indir_per_queue  rw  0: a 128-entry RSS table; N: N entries a queue,
 *                        rounded up to a power of two (at most 1024),
 *                        resized at the next channel change
 *   io_error         rw  1: a PCI error detected (detached, down); 0: the
 *                        driver resumed (pm.c)
 *   unbracketed      r   ethtool requests made outside the core's bracket
 *                        (detached, asleep, or outside begin/complete)
 *   rx_lost          r   frames off the wire while the receiver was stopped
 *   rx_filtered      r   frames the unicast filter dropped
 *
 * The knobs take RTNL.  Files are removed before the pair's netdevs are
 * unregistered and outside RTNL: removal waits for running handlers.
 */
#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "nicsim.h"
#include "compat.h"

static struct dentry *nicsim_debugfs_root;

static struct nicsim_pair *nicsim_file_pair(struct file *file)
{
	return ((struct seq_file *)file->private_data)->private;
}

/* A short user string, NUL-terminated and trimmed, in @buf. */
static char *nicsim_user_string(const char __user *ubuf, size_t count,
				char *buf, size_t size, int *err)
{
	*err = 0;
	if (count >= size) {
		*err = -EINVAL;
		return NULL;
	}
	if (copy_from_user(buf, ubuf, count)) {
		*err = -EFAULT;
		return NULL;
	}
	buf[count] = '\0';
	return strim(buf);
}

static int rx_cpu_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);
	unsigned int q, cpu, start;
	u64 packets;

	for (q = 0; q < NICSIM_MAX_QUEUES; q++) {
		for_each_possible_cpu(cpu) {
			struct nicsim_napi_cpu_stats *s;

			s = per_cpu_ptr(nic->napi_cpu, cpu);
			do {
				start = u64_stats_fetch_begin(&s->syncp);
				packets = u64_stats_read(&s->packets[q]);
			} while (u64_stats_fetch_retry(&s->syncp, start));
			if (packets)
				seq_printf(m, "%u %u %llu\n", q, cpu, packets);
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rx_cpu);

/* "-", a VID (VID-only match) or 0xTCI (whole-TCI match). */
static void nicsim_show_rule_vlan(struct seq_file *m,
				  const struct nicsim_rule *rule)
{
	if (!rule->vlan_mask)
		seq_puts(m, "-");
	else if (rule->vlan_mask == VLAN_VID_MASK)
		seq_printf(m, "%u", rule->vlan_tci);
	else
		seq_printf(m, "0x%04x", rule->vlan_tci);
}

static int rules_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);
	struct nicsim_rule *rule;

	rcu_read_lock();
	list_for_each_entry_rcu(rule, &nic->rules, node) {
		seq_printf(m, "%u %pM ", rule->fs.location, rule->dst);
		nicsim_show_rule_vlan(m, rule);
		seq_printf(m, " %u %lld\n", rule->queue,
			   (long long)atomic64_read(&rule->hits));
	}
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rules);

static int irqs_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);
	unsigned int q;

	rtnl_lock();
	for (q = 0; q < nic->num_queues; q++)
		seq_printf(m, "%u %u %d\n", q, nic->rxq[q].irq,
			   nicsim_rxq_effective_cpu(&nic->rxq[q]));
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(irqs);

/* "K ERRNO", the errno with or without its minus sign. */
static int nicsim_parse_fault(const char __user *ubuf, size_t count,
			      unsigned int *k, int *errno)
{
	char buf[32], *s;
	int err;

	s = nicsim_user_string(ubuf, count, buf, sizeof(buf), &err);
	if (!s)
		return err;
	if (sscanf(s, "%u %d", k, errno) != 2)
		return -EINVAL;
	*errno = abs(*errno);
	if (*k && (*errno < 1 || *errno >= MAX_ERRNO))
		return -EINVAL;
	return 0;
}

/* fail_insert, fail_delete, fail_rxfh: their nicsim_fault is the data. */
static int fault_show(struct seq_file *m, void *v)
{
	struct nicsim_fault *f = m->private;

	rtnl_lock();
	seq_printf(m, "%u %d\n", f->count, -f->errno);
	rtnl_unlock();
	return 0;
}

static ssize_t fault_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct nicsim_fault *f =
		((struct seq_file *)file->private_data)->private;
	unsigned int k;
	int err, errno;

	err = nicsim_parse_fault(ubuf, count, &k, &errno);
	if (err)
		return err;
	rtnl_lock();
	f->count = k;
	f->errno = -errno;
	rtnl_unlock();
	return count;
}
DEFINE_SHOW_STORE_ATTRIBUTE(fault);

static int profile_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", nicsim_pair_nic(m->private)->profile->name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(profile);

static int arfs_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);

	rtnl_lock();
	seq_printf(m, "%d\n", nic->arfs);
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(arfs);

static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct nicsim_nic *nic = nicsim_pair_nic(file->private_data);
	bool keep_rules;
	char buf[16], *s;
	int err;

	s = nicsim_user_string(ubuf, count, buf, sizeof(buf), &err);
	if (!s)
		return err;
	if (!strcmp(s, "keep-rules") || !strcmp(s, "1"))
		keep_rules = true;
	else if (!strcmp(s, "lose-rules"))
		keep_rules = false;
	else
		return -EINVAL;
	rtnl_lock();
	err = nicsim_nic_reset(nic, keep_rules);
	rtnl_unlock();
	return err ? err : count;
}

static const struct file_operations reset_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= reset_write,
	.llseek	= noop_llseek,
};

static int carrier_show(struct seq_file *m, void *v)
{
	struct nicsim_pair *pair = m->private;

	rtnl_lock();
	seq_printf(m, "%d\n", pair->link_up);
	rtnl_unlock();
	return 0;
}

static ssize_t carrier_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct nicsim_pair *pair = nicsim_file_pair(file);
	bool up;
	int err;

	err = kstrtobool_from_user(ubuf, count, &up);
	if (err)
		return err;
	rtnl_lock();
	pair->link_up = up;
	nicsim_link_update(pair);
	rtnl_unlock();
	return count;
}
DEFINE_SHOW_STORE_ATTRIBUTE(carrier);

static int no_mac_steering_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);

	rtnl_lock();
	seq_printf(m, "%d\n", nic->no_mac_steering);
	rtnl_unlock();
	return 0;
}

/* A NIC that cannot steer by MAC has no MAC rules: delete them first. */
static ssize_t no_mac_steering_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	struct nicsim_nic *nic = nicsim_pair_nic(nicsim_file_pair(file));
	bool refuse;
	int err;

	err = kstrtobool_from_user(ubuf, count, &refuse);
	if (err)
		return err;
	rtnl_lock();
	if (refuse && nic->rule_count)
		err = -EBUSY;
	else
		nic->no_mac_steering = refuse;
	rtnl_unlock();
	return err ? err : count;
}
DEFINE_SHOW_STORE_ATTRIBUTE(no_mac_steering);

static int rule_capacity_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);

	rtnl_lock();
	seq_printf(m, "%u\n", nic->rule_capacity);
	rtnl_unlock();
	return 0;
}

static ssize_t rule_capacity_write(struct file *file,
				   const char __user *ubuf, size_t count,
				   loff_t *ppos)
{
	struct nicsim_nic *nic = nicsim_pair_nic(nicsim_file_pair(file));
	unsigned int capacity;
	int err;

	err = kstrtouint_from_user(ubuf, count, 10, &capacity);
	if (err)
		return err;
	rtnl_lock();
	err = nicsim_rules_set_capacity(nic, capacity);
	rtnl_unlock();
	return err ? err : count;
}
DEFINE_SHOW_STORE_ATTRIBUTE(rule_capacity);

static int io_error_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);

	rtnl_lock();
	seq_printf(m, "%d\n", nic->io_error);
	rtnl_unlock();
	return 0;
}

static ssize_t io_error_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct nicsim_nic *nic = nicsim_pair_nic(nicsim_file_pair(file));
	bool detected;
	int err;

	err = kstrtobool_from_user(ubuf, count, &detected);
	if (err)
		return err;
	rtnl_lock();
	nicsim_io_error(nic, detected);
	rtnl_unlock();
	return count;
}
DEFINE_SHOW_STORE_ATTRIBUTE(io_error);

static int unbracketed_show(struct seq_file *m, void *v)
{
	struct nicsim_nic *nic = nicsim_pair_nic(m->private);

	rtnl_lock();
	seq_printf(m, "%u\n", nic->unbracketed);
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(unbracketed);

void nicsim_debugfs_pair_add(struct nicsim_pair *pair)
{
	struct dentry *dir;

	dir = debugfs_create_dir(pair->name, nicsim_debugfs_root);
	pair->ddir = dir;
	debugfs_create_file("rx_cpu", 0400, dir, pair, &rx_cpu_fops);
	debugfs_create_file("rules", 0400, dir, pair, &rules_fops);
	debugfs_create_file("irqs", 0400, dir, pair, &irqs_fops);
	debugfs_create_file("fail_insert", 0600, dir,
			    &nicsim_pair_nic(pair)->fail_insert, &fault_fops);
	debugfs_create_file("fail_delete", 0600, dir,
			    &nicsim_pair_nic(pair)->fail_delete, &fault_fops);
	debugfs_create_file("fail_rxfh", 0600, dir,
			    &nicsim_pair_nic(pair)->fail_rxfh, &fault_fops);
	debugfs_create_file("profile", 0400, dir, pair, &profile_fops);
	debugfs_create_file("arfs", 0400, dir, pair, &arfs_fops);
	debugfs_create_file("reset", 0200, dir, pair, &reset_fops);
	debugfs_create_file("carrier", 0600, dir, pair, &carrier_fops);
	debugfs_create_file("no_mac_steering", 0600, dir, pair,
			    &no_mac_steering_fops);
	debugfs_create_file("rule_capacity", 0600, dir, pair,
			    &rule_capacity_fops);
	debugfs_create_u32("indir_per_queue", 0600, dir,
			   &nicsim_pair_nic(pair)->indir_per_queue);
	debugfs_create_file("io_error", 0600, dir, pair, &io_error_fops);
	debugfs_create_file("unbracketed", 0400, dir, pair, &unbracketed_fops);
	debugfs_create_atomic_t("rx_lost", 0400, dir,
				&nicsim_pair_nic(pair)->rx_lost);
	debugfs_create_atomic_t("rx_filtered", 0400, dir,
				&nicsim_pair_nic(pair)->rx_filtered);
}

void nicsim_debugfs_pair_del(struct nicsim_pair *pair)
{
	debugfs_remove_recursive(pair->ddir);
	pair->ddir = NULL;
}

void nicsim_debugfs_init(void)
{
	nicsim_debugfs_root = debugfs_create_dir(NICSIM_DRV_NAME, NULL);
}

void nicsim_debugfs_exit(void)
{
	debugfs_remove_recursive(nicsim_debugfs_root);
}
