// SPDX-License-Identifier: GPL-2.0
/*
 * nicsim: a software multiqueue NIC with destination-MAC steering, RSS and
 * real per-queue interrupts, for vmq's selftests.  See README.
 *
 * This file: the nicsim bus and its two control files,
 *
 *   /sys/bus/nicsim/new_pair   "A_NAME B_NAME QUEUES [MAC|-] [NUMA_NODE]
 *                                [profile=NAME]"
 *   /sys/bus/nicsim/del_pair   "A_NAME"
 *
 * and the pairs' devices.  Like netdevsim, every pair is a device on the
 * bus (nicsim<ID>), the parent of its two netdevs, carrying the NUMA node
 * the NIC is "plugged" into.  A pair is known by the name A had when it
 * was created, whatever A is called now and in whichever namespace it is.
 */
#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "nicsim.h"
#include "compat.h"

/* Serialises creation and deletion of pairs; taken before RTNL. */
static DEFINE_MUTEX(nicsim_pairs_lock);
static LIST_HEAD(nicsim_pairs);
static DEFINE_IDA(nicsim_ida);

/* What new_pair asks for. */
struct nicsim_pair_params {
	char name[IFNAMSIZ];
	char peer_name[IFNAMSIZ];
	unsigned int queues;
	u8 mac[ETH_ALEN];
	bool has_mac;
	int node;
	const struct nicsim_profile *profile;
};

/* The device's NUMA node, as PCI devices show theirs. */
static ssize_t numa_node_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", dev_to_node(dev));
}
static DEVICE_ATTR_RO(numa_node);

static struct attribute *nicsim_dev_attrs[] = {
	&dev_attr_numa_node.attr,
	NULL,
};
ATTRIBUTE_GROUPS(nicsim_dev);

static nicsim_bus_type_t nicsim_bus = {
	.name		= NICSIM_DRV_NAME,
	.dev_groups	= nicsim_dev_groups,
	.pm		= pm_ptr(&nicsim_pm_ops),
};

/* The next whitespace-separated word of *s, terminated in place. */
static char *nicsim_next_word(char **s)
{
	char *word = skip_spaces(*s);
	char *end = word;

	if (!*word)
		return NULL;
	while (*end && !isspace(*end))
		end++;
	if (*end)
		*end++ = '\0';
	*s = end;
	return word;
}

/*
 * An interface name usable as the pair's key: a valid netdev name that is
 * not a template ("eth%d"), since the key must be known before
 * registration picks a number.
 */
static int nicsim_parse_ifname(const char *word, char *name)
{
	if (!word || !dev_valid_name(word) || strchr(word, '%'))
		return -EINVAL;
	strscpy(name, word, IFNAMSIZ);
	return 0;
}

static int nicsim_parse_queues(const char *word, unsigned int *queues)
{
	if (!word || kstrtouint(word, 10, queues))
		return -EINVAL;
	if (*queues < 1 || *queues > NICSIM_MAX_QUEUES)
		return -EINVAL;
	return 0;
}

/* "-" or absent: a random address. */
static int nicsim_parse_mac(const char *word, struct nicsim_pair_params *p)
{
	if (!word || !strcmp(word, "-"))
		return 0;
	if (!mac_pton(word, p->mac) || !is_valid_ether_addr(p->mac))
		return -EINVAL;
	p->has_mac = true;
	return 0;
}

/* -1 or absent: no node, like a NIC in a slot no node owns. */
static int nicsim_parse_node(const char *word, int *node)
{
	*node = NUMA_NO_NODE;
	if (!word)
		return 0;
	if (kstrtoint(word, 10, node))
		return -EINVAL;
	if (*node == NUMA_NO_NODE)
		return 0;
	if (*node < 0 || *node >= MAX_NUMNODES || !node_online(*node))
		return -EINVAL;
	return 0;
}

/*
 * "profile=NAME" anywhere after QUEUES; what is left are the positional
 * words.  Return: the next positional word, or NULL.
 */
static char *nicsim_next_arg(char **s, struct nicsim_pair_params *p,
			     int *err)
{
	char *word;

	while ((word = nicsim_next_word(s))) {
		if (strncmp(word, "profile=", 8))
			return word;
		p->profile = nicsim_profile_find(word + 8);
		if (!p->profile)
			*err = -EINVAL;
	}
	return NULL;
}

static int nicsim_parse_new_pair(char *s, struct nicsim_pair_params *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	p->profile = &nicsim_profile_default;
	err = nicsim_parse_ifname(nicsim_next_word(&s), p->name);
	if (!err)
		err = nicsim_parse_ifname(nicsim_next_word(&s), p->peer_name);
	if (!err)
		err = nicsim_parse_queues(nicsim_next_word(&s), &p->queues);
	if (!err)
		err = nicsim_parse_mac(nicsim_next_arg(&s, p, &err), p);
	if (!err)
		err = nicsim_parse_node(nicsim_next_arg(&s, p, &err), &p->node);
	if (!err && nicsim_next_arg(&s, p, &err))
		err = -EINVAL;
	if (!err && !strcmp(p->name, p->peer_name))
		err = -EINVAL;
	return err;
}

/* Caller holds nicsim_pairs_lock. */
static struct nicsim_pair *nicsim_pair_find(const char *name)
{
	struct nicsim_pair *pair;

	list_for_each_entry(pair, &nicsim_pairs, node)
		if (!strcmp(pair->name, name))
			return pair;
	return NULL;
}

static void nicsim_pair_release(struct device *dev)
{
	struct nicsim_pair *pair = to_nicsim_pair(dev);

	ida_free(&nicsim_ida, pair->id);
	kfree(pair);
}

/* A pair and its (not yet added) device; put_device() frees it. */
static struct nicsim_pair *
nicsim_pair_alloc(const struct nicsim_pair_params *p)
{
	struct nicsim_pair *pair;
	int id, err;

	id = ida_alloc(&nicsim_ida, GFP_KERNEL);
	if (id < 0)
		return ERR_PTR(id);
	pair = kzalloc(sizeof(*pair), GFP_KERNEL);
	if (!pair) {
		ida_free(&nicsim_ida, id);
		return ERR_PTR(-ENOMEM);
	}
	pair->id = id;
	strscpy(pair->name, p->name, IFNAMSIZ);
	strscpy(pair->peer_name, p->peer_name, IFNAMSIZ);
	pair->queues = p->queues;
	pair->has_mac = p->has_mac;
	pair->profile = p->profile;
	ether_addr_copy(pair->mac, p->mac);
	pair->link_up = true;

	device_initialize(&pair->dev);
	pair->dev.bus = &nicsim_bus;
	pair->dev.release = nicsim_pair_release;
	set_dev_node(&pair->dev, p->node);
	err = dev_set_name(&pair->dev, "nicsim%u", id);
	if (err) {
		put_device(&pair->dev);
		return ERR_PTR(err);
	}
	return pair;
}

/* The ports are created in the namespace of the process asking. */
static int nicsim_pair_new(const struct nicsim_pair_params *p)
{
	struct nicsim_pair *pair;
	int err;

	mutex_lock(&nicsim_pairs_lock);
	if (nicsim_pair_find(p->name)) {
		err = -EEXIST;
		goto unlock;
	}
	pair = nicsim_pair_alloc(p);
	if (IS_ERR(pair)) {
		err = PTR_ERR(pair);
		goto unlock;
	}
	err = device_add(&pair->dev);
	if (err) {
		put_device(&pair->dev);
		goto unlock;
	}
	err = nicsim_ports_create(pair, current->nsproxy->net_ns);
	if (err) {
		device_unregister(&pair->dev);
		goto unlock;
	}
	nicsim_pm_enable(pair);
	nicsim_debugfs_pair_add(pair);
	list_add_tail(&pair->node, &nicsim_pairs);
unlock:
	mutex_unlock(&nicsim_pairs_lock);
	return err;
}

/*
 * Caller holds nicsim_pairs_lock.  debugfs goes first and outside RTNL:
 * removing a file waits for its handlers, and the knobs' handlers take
 * RTNL.
 */
static void nicsim_pair_destroy(struct nicsim_pair *pair)
{
	list_del(&pair->node);
	nicsim_debugfs_pair_del(pair);
	nicsim_pm_disable(pair);
	nicsim_ports_destroy(pair);
	device_unregister(&pair->dev);
}

static int nicsim_pair_del(const char *name)
{
	struct nicsim_pair *pair;
	int err = 0;

	mutex_lock(&nicsim_pairs_lock);
	pair = nicsim_pair_find(name);
	if (pair)
		nicsim_pair_destroy(pair);
	else
		err = -ENOENT;
	mutex_unlock(&nicsim_pairs_lock);
	return err;
}

static void nicsim_pairs_destroy_all(void)
{
	struct nicsim_pair *pair, *tmp;

	mutex_lock(&nicsim_pairs_lock);
	list_for_each_entry_safe(pair, tmp, &nicsim_pairs, node)
		nicsim_pair_destroy(pair);
	mutex_unlock(&nicsim_pairs_lock);
}

static ssize_t new_pair_store(nicsim_bus_type_t *bus, const char *buf,
			      size_t count)
{
	struct nicsim_pair_params p;
	char *copy;
	int err;

	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	err = nicsim_parse_new_pair(copy, &p);
	kfree(copy);
	if (!err)
		err = nicsim_pair_new(&p);
	return err ? err : count;
}
static BUS_ATTR_WO(new_pair);

static ssize_t del_pair_store(nicsim_bus_type_t *bus, const char *buf,
			      size_t count)
{
	char name[IFNAMSIZ], *copy, *s;
	int err;

	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	s = copy;
	err = nicsim_parse_ifname(nicsim_next_word(&s), name);
	if (!err && nicsim_next_word(&s))
		err = -EINVAL;
	kfree(copy);
	if (!err)
		err = nicsim_pair_del(name);
	return err ? err : count;
}
static BUS_ATTR_WO(del_pair);

static int __init nicsim_init(void)
{
	int err;

	err = bus_register(&nicsim_bus);
	if (err)
		return err;
	nicsim_debugfs_init();
	err = bus_create_file(&nicsim_bus, &bus_attr_new_pair);
	if (err)
		goto err_debugfs;
	err = bus_create_file(&nicsim_bus, &bus_attr_del_pair);
	if (err)
		goto err_new_pair;
	return 0;

err_new_pair:
	bus_remove_file(&nicsim_bus, &bus_attr_new_pair);
err_debugfs:
	nicsim_debugfs_exit();
	bus_unregister(&nicsim_bus);
	return err;
}

/*
 * The control files go first: removing them waits for writers in
 * progress, so no pair can be created behind the sweep.
 */
static void __exit nicsim_exit(void)
{
	bus_remove_file(&nicsim_bus, &bus_attr_del_pair);
	bus_remove_file(&nicsim_bus, &bus_attr_new_pair);
	nicsim_pairs_destroy_all();
	nicsim_debugfs_exit();
	bus_unregister(&nicsim_bus);
	ida_destroy(&nicsim_ida);
}

module_init(nicsim_init);
module_exit(nicsim_exit);

MODULE_DESCRIPTION("nicsim: simulated multiqueue NIC with MAC steering, RSS and per-queue IRQs (test only)");
MODULE_AUTHOR("The vmq developers");
MODULE_LICENSE("GPL");
