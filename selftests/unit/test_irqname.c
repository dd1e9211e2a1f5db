// SPDX-License-Identifier: GPL-2.0
/* Queue vectors by the names drivers give them (tools/vmqctl/irqname.c). */
#include "unit.h"
#include "../../tools/vmqctl/irqname.h"

static int q(const char *name, const char *owner)
{
	return vmq_irq_name_queue(name, owner, 64);
}

UNIT_TEST(irqname_driver_layouts)
{
	EXPECT_EQ(q("eth0-TxRx-3", "eth0"), 3);		/* igb, ixgbe, bnxt */
	EXPECT_EQ(q("ice-eth0-TxRx-12", "eth0"), 12);	/* ice, i40e */
	EXPECT_EQ(q("eth0-rx-0", "eth0"), 0);
	EXPECT_EQ(q("eth0-5", "eth0"), 5);
	EXPECT_EQ(q("virtio0-input.1", "virtio0"), 1);
	EXPECT_EQ(q("eth0:rx-2", "eth0"), 2);		/* stmmac */
	EXPECT_EQ(q("mlx5_comp7@pci:0000:03:00.0", "0000:03:00.0"), 7);
}

UNIT_TEST(irqname_other_devices_and_vectors)
{
	EXPECT_EQ(q("eth0-TxRx-3", "eth1"), -1);
	EXPECT_EQ(q("eth10-TxRx-3", "eth1"), -1);	/* a longer name */
	EXPECT_EQ(q("xeth0-TxRx-3", "eth0"), -1);	/* no '-' before it */
	EXPECT_EQ(q("eth0", "eth0"), -1);		/* igb's "other" vector */
	EXPECT_EQ(q("eth0-tx-3", "eth0"), -1);		/* a TX-only vector */
	EXPECT_EQ(q("virtio0-output.1", "virtio0"), -1);
	EXPECT_EQ(q("mlx5_async0@pci:0000:03:00.0", "0000:03:00.0"), -1);
	EXPECT_EQ(q("mlx5_comp7@pci:0000:03:00.1", "0000:03:00.0"), -1);
	EXPECT_EQ(q("eth0-TxRx-", "eth0"), -1);
	EXPECT_EQ(q("eth0-TxRx-3x", "eth0"), -1);
	EXPECT_EQ(q("anything", ""), -1);
}

UNIT_TEST(irqname_queue_limit)
{
	EXPECT_EQ(q("eth0-TxRx-63", "eth0"), 63);
	EXPECT_EQ(q("eth0-TxRx-64", "eth0"), -1);
	EXPECT_EQ(q("eth0-TxRx-99999999999999999999", "eth0"), -1);
	EXPECT_EQ(q("mlx5_comp64@pci:0000:03:00.0", "0000:03:00.0"), -1);
}
