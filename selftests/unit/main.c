// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every UNIT_TEST linked in, as kselftest-style TAP.
 * Usage: unit_tests [SUBSTRING]  (only the tests whose name contains it)
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

int unit_failed;

extern const struct unit_test __start_unit_tests[];
extern const struct unit_test __stop_unit_tests[];

static int selected(const struct unit_test *t, const char *filter)
{
	return !filter || strstr(t->name, filter);
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	const struct unit_test *t;
	int n = 0, passed = 0, failed = 0;

	for (t = __start_unit_tests; t < __stop_unit_tests; t++)
		n += selected(t, filter);

	printf("TAP version 13\n1..%d\n", n);
	n = 0;
	for (t = __start_unit_tests; t < __stop_unit_tests; t++) {
		if (!selected(t, filter))
			continue;
		unit_failed = 0;
		t->fn();
		printf("%sok %d %s\n", unit_failed ? "not " : "", ++n, t->name);
		if (unit_failed)
			failed++;
		else
			passed++;
	}
	printf("# unit: %d passed, %d failed, 0 skipped\n", passed, failed);
	return failed ? 1 : 0;
}
