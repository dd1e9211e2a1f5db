// SPDX-License-Identifier: GPL-2.0
/* The pure logic's CPU bitmaps. */
#include "unit.h"
#include "topo.h"

static const char *fmt(struct vmq_cpuset s)
{
	static char buf[4096];

	vmq_cpuset_format(&s, buf, sizeof(buf));
	return buf;
}

UNIT_TEST(cpuset_format_lists_and_ranges)
{
	struct vmq_cpuset s;

	vmq_cpuset_zero(&s);
	EXPECT_STREQ(fmt(s), "none");
	EXPECT_STREQ(fmt(CPUS(2)), "2");
	EXPECT_STREQ(fmt(CPUS(2, 4)), "2,4");
	EXPECT_STREQ(fmt(CPUS(2, 3, 4, 5)), "2-5");
	EXPECT_STREQ(fmt(CPUS(0, 1, 3, 5, 6, 7)), "0-1,3,5-7");
	EXPECT_STREQ(fmt(CPUS(63, 64)), "63-64");
	EXPECT_STREQ(fmt(CPUS(0, VMQ_MAX_CPUS - 1)), "0,511");
}

UNIT_TEST(cpuset_format_full_and_truncated)
{
	struct vmq_cpuset s;
	struct vmq_cpuset evens = CPUS(2, 4, 6, 8);
	char small[6];
	unsigned int i;

	vmq_cpuset_zero(&s);
	for (i = 0; i < VMQ_MAX_CPUS; i++)
		vmq_cpuset_set(&s, i);
	EXPECT_STREQ(fmt(s), "0-511");
	EXPECT_EQ(vmq_cpuset_format(&evens, small, sizeof(small)),
		  7);
	EXPECT_STREQ(small, "2,4,6");
}

UNIT_TEST(cpuset_next_crosses_words)
{
	struct vmq_cpuset s = CPUS(1, 64, 200, 511);
	unsigned int cpu, n = 0;

	EXPECT_EQ(vmq_cpuset_next(&s, 0), 1);
	EXPECT_EQ(vmq_cpuset_next(&s, 2), 64);
	EXPECT_EQ(vmq_cpuset_next(&s, 65), 200);
	EXPECT_EQ(vmq_cpuset_next(&s, 201), 511);
	EXPECT_EQ(vmq_cpuset_next(&s, 512), VMQ_MAX_CPUS);
	vmq_cpuset_for_each(cpu, &s)
		n++;
	EXPECT_EQ(n, 4);
	EXPECT_EQ(vmq_cpuset_weight(&s), 4);
}

UNIT_TEST(cpuset_set_ops)
{
	struct vmq_cpuset a = CPUS(1, 2, 3), b = CPUS(3, 4), d;
	struct vmq_cpuset one = CPUS(1), two = CPUS(2), same = CPUS(3, 2, 1);

	EXPECT(vmq_cpuset_and(&d, &a, &b));
	EXPECT_STREQ(fmt(d), "3");
	vmq_cpuset_or(&d, &a, &b);
	EXPECT_STREQ(fmt(d), "1-4");
	vmq_cpuset_andnot(&d, &a, &b);
	EXPECT_STREQ(fmt(d), "1-2");
	EXPECT(!vmq_cpuset_and(&d, &one, &two));
	EXPECT(vmq_cpuset_equal(&a, &same));
	vmq_cpuset_set(&a, VMQ_MAX_CPUS);	/* out of range: ignored */
	EXPECT_EQ(vmq_cpuset_weight(&a), 3);
}
