/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP harness for the userspace unit tests of kmod/core/.
 *
 * Each test is a function registered with UNIT_TEST(); a failed EXPECT
 * marks the test failed and goes on, so one run shows every mismatch.
 */
#ifndef _VMQ_UNIT_H
#define _VMQ_UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern int unit_failed;

#define UNIT_TEST(fn_name)						\
	static void fn_name(void);					\
	static const struct unit_test unit_##fn_name			\
	__attribute__((used, section("unit_tests"), aligned(8))) = {	\
		.name = #fn_name, .fn = fn_name,			\
	};								\
	static void fn_name(void)

#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: expected %s\n", __FILE__, __LINE__,	\
		       #cond);						\
		unit_failed = 1;					\
	}								\
} while (0)

#define EXPECT_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		printf("# %s:%d: %s == %lld, expected %s == %lld\n",	\
		       __FILE__, __LINE__, #a, _a, #b, _b);		\
		unit_failed = 1;					\
	}								\
} while (0)

#define EXPECT_STREQ(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (strcmp(_a, _b)) {						\
		printf("# %s:%d: %s is \"%s\", expected \"%s\"\n",	\
		       __FILE__, __LINE__, #a, _a, _b);			\
		unit_failed = 1;					\
	}								\
} while (0)

#endif /* _VMQ_UNIT_H */
