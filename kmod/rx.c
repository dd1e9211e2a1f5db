// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path: a member's netfilter ingress hook.
 *
 * vmq sees a team's frames through a netfilter ingress hook on each
 * member (adapter.c registers it), not through an rx_handler: a device
 * has one rx_handler slot, and on a KVM host the bond's belongs to the
 * bridge, macvlan/macvtap, ipvlan or Open vSwitch the guests hang off.
 * The member's ingress hook runs before bond_handle_frame() and whatever
 * holds the bond's slot, with the frame still on the member and queue it
 * came in on, its VLAN tag already in the skb's metadata.  Lock-free:
 * an RCU lookup and this CPU's counters, nothing that sleeps.
 *
 * A VM steered in software (sw_cpu set) has its frames taken from the
 * member's path there: bonding's part is done for it (bond.c), and the
 * frame, now the bond's, goes to the VM's CPU (steer.c), where the rest
 * of the receive path runs from the bond up.  So the member's taps, tc
 * and netfilter hooks see each frame once, on the CPU it arrived on, and
 * the bond's and everything above it once, on the VM's CPU.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>

#include "bond.h"
#include "rx.h"
#include "steer.h"
#include "vm.h"

static void vmq_rx_count_team(struct vmq_team *team,
			      const struct sk_buff *skb)
{
	struct vmq_team_pcpu_stats *stats = this_cpu_ptr(team->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_add(&stats->rx_bytes, skb->len);
	u64_stats_update_end(&stats->syncp);
}

/*
 * The VLAN a frame is for, as VMs are keyed: -1 untagged; false if it
 * carries a service tag, which names no VM.
 */
static bool vmq_rx_vlan(const struct sk_buff *skb, int *vlan)
{
	*vlan = -1;
	if (!skb_vlan_tag_present(skb))
		return true;
	if (skb->vlan_proto != htons(ETH_P_8021Q))
		return false;
	*vlan = skb_vlan_tag_get_id(skb);
	return true;
}

/*
 * Whether the member has a VLAN device of its own for the frame's tag,
 * which vlan_do_receive() would give it to before the bond.  RCU.
 */
static bool vmq_rx_member_vlan(const struct sk_buff *skb)
{
	struct net_device *upper;
	struct list_head *iter;

	if (!skb_vlan_tag_present(skb))
		return false;
	netdev_for_each_upper_dev_rcu(skb->dev, upper, iter)
		if (is_vlan_dev(upper) &&
		    vlan_dev_vlan_proto(upper) == skb->vlan_proto &&
		    vlan_dev_vlan_id(upper) == skb_vlan_tag_get_id(skb))
			return true;
	return false;
}

/*
 * Hand a frame for @vm to @cpu.  Not when it is on @cpu already with
 * nothing queued there ahead of it, nor to a CPU going offline, nor a
 * frame the member's own VLAN device takes, nor one from the emergency
 * reserves (netif_receive_skb_core() takes none), nor while the member
 * is being released from the bond.
 *
 * Return: true if the frame was taken (NF_STOLEN), counted.
 */
static bool vmq_rx_steer(struct vmq_team *team, struct vmq_vm *vm,
			 struct sk_buff *skb, unsigned int cpu)
{
	unsigned long qtail;

	if ((cpu == smp_processor_id() && vmq_steer_idle(cpu)) ||
	    !cpu_online(cpu) || skb_pfmemalloc(skb) ||
	    vmq_rx_member_vlan(skb))
		return false;
	switch (vmq_bond_take_frame(&skb)) {
	case VMQ_BOND_NOT_OURS:
		return false;
	case VMQ_BOND_CONSUMED:		/* bonding's own, or no memory */
		return true;
	case VMQ_BOND_TAKEN:
		break;
	}
	vmq_vm_count_rx(vm, skb, VMQ_VM_RX_STEERED);
	if (!vmq_steer_to(skb, cpu, team, &qtail)) {
		vmq_vm_count_sw_drop(vm);
		return true;
	}
	/* Racy across CPUs, as RFS's last_qtail is: a hint, not a lock. */
	WRITE_ONCE(vm->q_tail, qtail);
	if (READ_ONCE(vm->q_cpu) != cpu)
		WRITE_ONCE(vm->q_cpu, cpu);
	return true;
}

/*
 * Where @vm's frame goes: its sw_cpu, or -1 for none; but while a frame
 * it queued before is still queued on another CPU (the VM was placed
 * again, or has a queue of its own now, or no steering), that CPU, so
 * that a flow's later frames do not overtake its earlier ones.
 */
static int vmq_rx_target(const struct vmq_vm *vm)
{
	int cpu = READ_ONCE(vm->sw_cpu);
	int last = READ_ONCE(vm->q_cpu);

	if (last >= 0 && last != cpu &&
	    !vmq_steer_passed(last, READ_ONCE(vm->q_tail)))
		return last;
	return cpu;
}

/**
 * vmq_rx_ingress - the per-packet path, a member's netfilter ingress hook
 * @priv: the member's adapter
 * @skb: a frame, on the member (skb->dev) and queue it arrived on
 * @state: unused
 *
 * Softirq context, RCU read side held by the core.  The adapter, and its
 * team, are freed only a grace period after the hook is unregistered,
 * and after the team's steered frames are delivered.  Frames the bond
 * will not take (an inactive member's) are not counted.
 *
 * Return: NF_STOLEN for a frame steered in software, else NF_ACCEPT.
 */
unsigned int vmq_rx_ingress(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	const struct vmq_adapter *ad = priv;
	struct vmq_team *team = ad->team;
	struct vmq_vm *vm;
	int vlan, cpu;

	if (!vmq_bond_member_delivers(skb))
		return NF_ACCEPT;
	vmq_rx_count_team(team, skb);
	if (!vmq_rx_vlan(skb, &vlan))
		return NF_ACCEPT;
	vm = vmq_vm_lookup_rcu(team, eth_hdr(skb)->h_dest, vlan);
	if (!vm)
		return NF_ACCEPT;
	cpu = vmq_rx_target(vm);
	if (cpu >= 0 && vmq_rx_steer(team, vm, skb, cpu))
		return NF_STOLEN;
	vmq_vm_count_rx(vm, skb, VMQ_VM_RX_HERE);
	return NF_ACCEPT;
}

/*
 * A steered frame on its VM's CPU: counted there, then the bond's.  As
 * after bond_handle_frame()'s RX_HANDLER_ANOTHER, no RPS or RFS runs on
 * the bond for it: netif_receive_skb_core(), not netif_receive_skb().
 */
static void vmq_rx_deliver(struct sk_buff *skb, void *owner)
{
	struct vmq_team *team = owner;
	struct vmq_vm *vm;
	int vlan;

	rcu_read_lock();
	if (vmq_rx_vlan(skb, &vlan)) {
		vm = vmq_vm_lookup_rcu(team, eth_hdr(skb)->h_dest, vlan);
		if (vm)
			vmq_vm_count_on_cpu(vm);
	}
	rcu_read_unlock();
	netif_receive_skb_core(skb);
}

/* Whether every frame the team's VMs queued has been handed on. */
static bool vmq_rx_drained(const struct vmq_team *team)
{
	const struct vmq_vm *vm;
	int last;

	list_for_each_entry(vm, &team->vms, node) {
		last = READ_ONCE(vm->q_cpu);
		if (last >= 0 && !vmq_steer_passed(last, READ_ONCE(vm->q_tail)))
			return false;
	}
	return true;
}

/* Long enough for a poll to empty a full queue, under TCG too. */
#define VMQ_RX_DRAIN_MS	200

static bool vmq_rx_wait_drained(const struct vmq_team *team,
				unsigned long end)
{
	while (!vmq_rx_drained(team)) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(100, 200);
	}
	return true;
}

/**
 * vmq_rx_quiesce - stop steering a team's VMs, their queued frames first
 * @team: a team whose hooks are still in place, about to be freed
 *
 * Once the hooks are gone, a VM's next frame is processed where it
 * arrives, and would overtake any still queued on the VM's CPU.  So its
 * frames go on following the queued ones, as vmq_rx_target() holds them,
 * until those are handed on; only then do new ones stay where they
 * arrive.  The first grace period lets every hook that read the VM's
 * old CPU finish; the second, most that read a place already passed and
 * were queueing behind it, so the check is made again.  Best effort and
 * bounded in time: what is still queued then (a CPU slow to run its
 * poll, or traffic that kept the queues from emptying) is delivered by
 * vmq_steer_flush(), perhaps out of order.  Under RTNL.
 */
void vmq_rx_quiesce(struct vmq_team *team)
{
	unsigned long end = jiffies + msecs_to_jiffies(VMQ_RX_DRAIN_MS);
	struct vmq_vm *vm;

	ASSERT_RTNL();
	list_for_each_entry(vm, &team->vms, node)
		WRITE_ONCE(vm->sw_cpu, -1);
	do {
		synchronize_net();
		if (!vmq_rx_wait_drained(team, end))
			return;
		synchronize_net();
	} while (!vmq_rx_drained(team) && time_before(jiffies, end));
}

int vmq_rx_init(void)
{
	return vmq_steer_init(vmq_rx_deliver);
}

void vmq_rx_exit(void)
{
	vmq_steer_exit();
}
