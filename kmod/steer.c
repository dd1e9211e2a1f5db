// SPDX-License-Identifier: GPL-2.0
/*
 * Software steering: frames handed to another CPU, where the rest of the
 * receive path runs.
 *
 * The kernel's RPS backlog is the model (enqueue_to_backlog(),
 * process_backlog(), net/core/dev.c): each CPU has a bounded input queue,
 * filled by any CPU under its lock, and a NAPI instance that empties it
 * on that CPU.  A CPU that queues a frame for another, and is the first
 * to since that NAPI last completed, wakes it with an IPI, as RPS does;
 * NAPI's own MISSED bit covers a frame queued while the poll finishes.
 * The poll hands each frame to netif_receive_skb_core(): on the bond, so
 * the bridge, macvtap or Open vSwitch port and the sockets behind them
 * run on that CPU.  Frames keep their order per CPU, so per flow while
 * the flow's CPU stays the same.
 *
 * Knows CPUs and frames, not teams: each frame carries an opaque owner,
 * which the deliver callback is given back and which vmq_steer_flush()
 * matches.  A NAPI instance is no CPU's own: a CPU that goes offline has
 * its scheduled ones moved to a live CPU by the core (dev_cpu_dead()),
 * and one woken for an offline CPU runs where it was woken.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/smp.h>

#include "compat.h"
#include "steer.h"

static unsigned int sw_backlog = 1000;
module_param(sw_backlog, uint, 0644);
MODULE_PARM_DESC(sw_backlog,
		 "Frames each CPU's software steering queue holds (as netdev_max_backlog)");

struct vmq_steer_cpu {
	struct sk_buff_head input;	/* any CPU adds, under its lock */
	struct sk_buff_head process;	/* the poll's own: no lock */
	/*
	 * Frames queued, under input's lock, and frames handed on since
	 * (by the poll, or taken by a flush with the poll stopped): a frame
	 * queued as tail N is no longer queued once head has reached N, as
	 * the core's input_queue_tail and input_queue_head count.  Longs,
	 * not RFS's 32 bits: a VM idle for 2^31 of a CPU's frames must not
	 * read as still queued there, or every detach waits out its drain.
	 */
	unsigned long tail;
	unsigned long head;
	struct napi_struct napi;
	call_single_data_t csd;		/* wakes the NAPI on its CPU */
	unsigned int cpu;
};

static DEFINE_PER_CPU_ALIGNED(struct vmq_steer_cpu, vmq_steer_cpus);
static struct net_device *vmq_steer_dev;
static vmq_steer_deliver_t vmq_steer_deliver;

/*
 * Tests only (debugfs vmq/steer_hold): the polls hand nothing on, so that
 * frames are still queued when a test detaches, unloads or takes a CPU
 * offline, and the test can see that they are delivered even so.
 */
static bool vmq_steer_held;
static struct dentry *vmq_steer_debugfs;

/* What a queued frame carries in skb->cb: it is vmq's until delivered. */
struct vmq_steer_cb {
	void *owner;
};

static struct vmq_steer_cb *vmq_steer_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct vmq_steer_cb) > sizeof(skb->cb));
	return (struct vmq_steer_cb *)skb->cb;
}

static void vmq_steer_hand_on(struct sk_buff *skb)
{
	void *owner = vmq_steer_cb(skb)->owner;

	memset(skb->cb, 0, sizeof(struct vmq_steer_cb));
	vmq_steer_deliver(skb, owner);
}

/* IPI, on the CPU the NAPI is for: hard interrupts are off. */
static void vmq_steer_ipi(void *data)
{
	struct vmq_steer_cpu *sc = data;

	__napi_schedule_irqoff(&sc->napi);
}

/*
 * Run @sc's NAPI (whose SCHED bit the caller won) on its CPU; on this one
 * if that CPU is this one, or offline.
 */
static void vmq_steer_wake(struct vmq_steer_cpu *sc)
{
	if (sc->cpu != smp_processor_id() &&
	    !smp_call_function_single_async(sc->cpu, &sc->csd))
		return;
	__napi_schedule(&sc->napi);
}

/**
 * vmq_steer_to - hand a frame to another CPU's receive path
 * @skb: the frame, ready for netif_receive_skb_core() (consumed)
 * @cpu: the CPU to run it on
 * @owner: given back to the deliver callback, matched by vmq_steer_flush()
 * @qtail: set to the frame's place in @cpu's queue, for vmq_steer_passed()
 *
 * Softirq, or BH disabled.
 *
 * Return: true if queued; false if dropped, @cpu's queue being full.
 */
bool vmq_steer_to(struct sk_buff *skb, unsigned int cpu, void *owner,
		  unsigned long *qtail)
{
	struct vmq_steer_cpu *sc = per_cpu_ptr(&vmq_steer_cpus, cpu);
	bool wake;

	vmq_steer_cb(skb)->owner = owner;
	spin_lock(&sc->input.lock);
	if (skb_queue_len(&sc->input) >= READ_ONCE(sw_backlog)) {
		spin_unlock(&sc->input.lock);
		/* Seen in ip -s link, as enqueue_to_backlog() counts it. */
		dev_core_stats_rx_dropped_inc(skb->dev);
		kfree_skb_reason(skb, SKB_DROP_REASON_CPU_BACKLOG);
		return false;
	}
	__skb_queue_tail(&sc->input, skb);
	WRITE_ONCE(sc->tail, sc->tail + 1);
	*qtail = sc->tail;
	wake = napi_schedule_prep(&sc->napi);
	spin_unlock(&sc->input.lock);
	if (wake)
		vmq_steer_wake(sc);
	return true;
}

/*
 * Whether a frame for @cpu, arriving on @cpu, may skip the queue: only if
 * nothing is queued there that it would overtake.  Softirq.
 */
bool vmq_steer_idle(unsigned int cpu)
{
	struct vmq_steer_cpu *sc = per_cpu_ptr(&vmq_steer_cpus, cpu);

	return !skb_queue_len_lockless(&sc->input) &&
	       !test_bit(NAPI_STATE_SCHED, &sc->napi.state);
}

/**
 * vmq_steer_passed - whether @cpu has handed on the frame queued as @qtail
 * @cpu: the CPU the frame was queued to
 * @qtail: its place, from vmq_steer_to()
 *
 * Until then a flow's next frames must go to @cpu too, or they may
 * overtake it: RFS moves a flow only once the old CPU's backlog is past
 * its last frame (get_rps_cpu(), rps_dev_flow.last_qtail).
 */
bool vmq_steer_passed(unsigned int cpu, unsigned long qtail)
{
	const struct vmq_steer_cpu *sc = per_cpu_ptr(&vmq_steer_cpus, cpu);

	return (long)(READ_ONCE(sc->head) - qtail) >= 0;
}

static int vmq_steer_poll(struct napi_struct *napi, int budget)
{
	struct vmq_steer_cpu *sc = container_of(napi, struct vmq_steer_cpu,
						napi);
	struct sk_buff *skb;
	int work = 0;

	while (work < budget && !READ_ONCE(vmq_steer_held)) {
		skb = __skb_dequeue(&sc->process);
		if (skb) {
			vmq_steer_hand_on(skb);
			WRITE_ONCE(sc->head, sc->head + 1);
			work++;
			continue;
		}
		spin_lock(&sc->input.lock);
		skb_queue_splice_tail_init(&sc->input, &sc->process);
		spin_unlock(&sc->input.lock);
		if (skb_queue_empty(&sc->process))
			break;
	}
	if (work < budget)
		napi_complete_done(napi, work);
	return work;
}

/*
 * Move @owner's frames from @queue to @to; each counts as handed on, so
 * that no other owner's wait for its place is held up for ever (it may
 * end a few frames early, a flush being rare).
 */
static void vmq_steer_take(struct vmq_steer_cpu *sc,
			   struct sk_buff_head *queue, const void *owner,
			   struct sk_buff_head *to)
{
	struct sk_buff *skb, *tmp;

	skb_queue_walk_safe(queue, skb, tmp) {
		if (vmq_steer_cb(skb)->owner != owner)
			continue;
		__skb_unlink(skb, queue);
		__skb_queue_tail(to, skb);
		WRITE_ONCE(sc->head, sc->head + 1);
	}
}

/*
 * Wake @sc's NAPI if frames are queued there: while it was stopped or
 * held, the wakes vmq_steer_to() asked for found nothing to do.  A look
 * without the lock is enough: a poll that runs empties both lists.
 */
static void vmq_steer_kick(struct vmq_steer_cpu *sc)
{
	local_bh_disable();
	if ((skb_queue_len_lockless(&sc->input) ||
	     !skb_queue_empty(&sc->process)) &&
	    napi_schedule_prep(&sc->napi))
		vmq_steer_wake(sc);
	local_bh_enable();
}

/**
 * vmq_steer_flush - deliver, or drop, every frame queued for @owner
 * @owner: as given to vmq_steer_to()
 * @deliver: deliver them (here and now); false: drop them (their device
 *	is going away, as flush_backlog() drops the core's)
 *
 * For an owner that queues no more (its hooks are gone and a grace
 * period has passed).  Each CPU's NAPI is stopped while its queues are
 * searched, so no poll holds a frame meanwhile.  Process context.
 */
void vmq_steer_flush(const void *owner, bool deliver)
{
	struct sk_buff_head mine;
	struct vmq_steer_cpu *sc;
	struct sk_buff *skb;
	unsigned int cpu;

	might_sleep();
	__skb_queue_head_init(&mine);
	for_each_possible_cpu(cpu) {
		sc = per_cpu_ptr(&vmq_steer_cpus, cpu);
		napi_disable(&sc->napi);
		spin_lock_bh(&sc->input.lock);
		vmq_steer_take(sc, &sc->input, owner, &mine);
		spin_unlock_bh(&sc->input.lock);
		vmq_steer_take(sc, &sc->process, owner, &mine);
		napi_enable(&sc->napi);
		/* Others' frames still queued: a wake may have been missed. */
		vmq_steer_kick(sc);
	}
	local_bh_disable();
	while ((skb = __skb_dequeue(&mine))) {
		if (deliver)
			vmq_steer_hand_on(skb);
		else
			kfree_skb(skb);
	}
	local_bh_enable();
}

static int vmq_steer_hold_get(void *data, u64 *val)
{
	*val = READ_ONCE(vmq_steer_held);
	return 0;
}

static int vmq_steer_hold_set(void *data, u64 val)
{
	unsigned int cpu;

	WRITE_ONCE(vmq_steer_held, !!val);
	if (val)
		return 0;
	for_each_possible_cpu(cpu)
		vmq_steer_kick(per_cpu_ptr(&vmq_steer_cpus, cpu));
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(vmq_steer_hold_fops, vmq_steer_hold_get,
			 vmq_steer_hold_set, "%llu\n");

/* "CPU FRAMES" for each possible CPU: the frames queued there. */
static int vmq_steer_queued_show(struct seq_file *m, void *v)
{
	struct vmq_steer_cpu *sc;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		sc = per_cpu_ptr(&vmq_steer_cpus, cpu);
		seq_printf(m, "%u %lu\n", cpu,
			   READ_ONCE(sc->tail) - READ_ONCE(sc->head));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmq_steer_queued);

static void vmq_steer_debugfs_init(void)
{
	vmq_steer_debugfs = debugfs_create_dir("vmq", NULL);
	debugfs_create_file_unsafe("steer_hold", 0600, vmq_steer_debugfs,
				   NULL, &vmq_steer_hold_fops);
	debugfs_create_file("steer_queued", 0400, vmq_steer_debugfs, NULL,
			    &vmq_steer_queued_fops);
}

int vmq_steer_init(vmq_steer_deliver_t deliver)
{
	struct vmq_steer_cpu *sc;
	unsigned int cpu;

	vmq_steer_dev = vmq_compat_alloc_dummy();
	if (!vmq_steer_dev)
		return -ENOMEM;
	vmq_steer_deliver = deliver;
	for_each_possible_cpu(cpu) {
		sc = per_cpu_ptr(&vmq_steer_cpus, cpu);
		skb_queue_head_init(&sc->input);
		__skb_queue_head_init(&sc->process);
		INIT_CSD(&sc->csd, vmq_steer_ipi, sc);
		sc->cpu = cpu;
		netif_napi_add(vmq_steer_dev, &sc->napi, vmq_steer_poll);
		napi_enable(&sc->napi);
	}
	vmq_steer_debugfs_init();
	return 0;
}

/* Every owner has flushed: the queues are empty. */
void vmq_steer_exit(void)
{
	struct vmq_steer_cpu *sc;
	unsigned int cpu;

	debugfs_remove(vmq_steer_debugfs);
	for_each_possible_cpu(cpu) {
		sc = per_cpu_ptr(&vmq_steer_cpus, cpu);
		napi_disable(&sc->napi);
		netif_napi_del(&sc->napi);
		WARN_ON_ONCE(!skb_queue_empty(&sc->input) ||
			     !skb_queue_empty(&sc->process));
	}
	vmq_compat_free_dummy(vmq_steer_dev);
}
