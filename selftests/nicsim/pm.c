// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime power management, on profiles whose driver has it (igb), and
 * the state the ethtool core keeps a driver out of: a NIC asleep or
 * detached takes no request.
 *
 * igb lets its PCI device sleep once userspace allows it (power/control
 * "auto"; the PCI core forbids runtime PM until then) and the link has
 * been down for 5 s: igb_runtime_idle() schedules the suspend, and
 * igb_runtime_suspend() -> __igb_shutdown() detaches the netdev.
 * igb_runtime_resume() -> __igb_resume() attaches it again.  So every
 * caller of its ethtool ops wakes the device first, as __dev_ethtool()
 * and ethnl_ops_begin() do (6.1's igb_ethtool_begin() holds it awake).
 *
 * Not copied: igb also closes the port and frees its MSI-X vectors while
 * asleep, and takes new ones on resume (the reset knob renews vectors);
 * its watchdog schedules the suspend on link loss and resumes on link
 * up (igb_watchdog_task()), where nicsim waits for the next idle check.
 * Nor the RTNL igb takes in __igb_shutdown(): a request under RTNL that
 * wakes a NIC while it is suspending would wait for it forever.
 */
#include <linux/netdevice.h>
#include <linux/pm_runtime.h>
#include <linux/rtnetlink.h>

#include "nicsim.h"

static struct net_device *nicsim_pm_netdev(struct device *dev)
{
	return to_nicsim_pair(dev)->nic_dev;
}

/* igb_runtime_idle(): asleep 5 s after the link went, never before. */
static int nicsim_runtime_idle(struct device *dev)
{
	struct net_device *nd = nicsim_pm_netdev(dev);

	if (nd && !netif_carrier_ok(nd))
		pm_schedule_suspend(dev, MSEC_PER_SEC * 5);
	return -EBUSY;
}

static int nicsim_runtime_suspend(struct device *dev)
{
	struct net_device *nd = nicsim_pm_netdev(dev);

	if (nd)
		netif_device_detach(nd);
	return 0;
}

/* Not while in error recovery: igb_io_resume() attaches it then. */
static int nicsim_runtime_resume(struct device *dev)
{
	struct nicsim_pair *pair = to_nicsim_pair(dev);

	if (pair->nic_dev && !READ_ONCE(nicsim_pair_nic(pair)->io_error))
		netif_device_attach(pair->nic_dev);
	return 0;
}

const struct dev_pm_ops nicsim_pm_ops = {
	RUNTIME_PM_OPS(nicsim_runtime_suspend, nicsim_runtime_resume,
		       nicsim_runtime_idle)
};

/*
 * Once the ports exist: awake, and kept so until userspace allows
 * otherwise, as pci_pm_init() leaves a PCI device (pm_runtime_forbid()).
 */
void nicsim_pm_enable(struct nicsim_pair *pair)
{
	if (!pair->profile->runtime_pm)
		return;
	pm_runtime_set_active(&pair->dev);
	pm_runtime_forbid(&pair->dev);
	pm_runtime_enable(&pair->dev);
}

/*
 * Before the ports go, awake, as the PCI core wakes a device before its
 * driver's remove(); no callback runs or is pending after this.
 */
void nicsim_pm_disable(struct nicsim_pair *pair)
{
	if (!pair->profile->runtime_pm)
		return;
	pm_runtime_get_sync(&pair->dev);
	pm_runtime_disable(&pair->dev);
	pm_runtime_put_noidle(&pair->dev);
}

/*
 * PCI error recovery, as igb goes through it: igb_io_error_detected()
 * detaches the netdev and takes the port down (carrier off), and
 * igb_io_resume() brings it up and attaches it again.  nicsim's queues
 * stop receiving meanwhile; vectors and rules stay.
 */
void nicsim_io_error(struct nicsim_nic *nic, bool detected)
{
	struct net_device *dev = nic->port.netdev;

	ASSERT_RTNL();
	if (detected == nic->io_error)
		return;
	WRITE_ONCE(nic->io_error, detected);
	if (detected) {
		netif_device_detach(dev);
		WRITE_ONCE(nic->rx_enabled, false);
		synchronize_net();
	} else {
		/* Pairs with nicsim_nic_receive(), as nicsim_nic_up(). */
		smp_store_release(&nic->rx_enabled, netif_running(dev));
		netif_device_attach(dev);
	}
	nicsim_link_update(nic->port.pair);
}
