// SPDX-License-Identifier: GPL-2.0
/*
 * CPU bitmaps for the pure logic.
 */
#include "cpuset.h"

static unsigned int popcount64(u64 x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

unsigned int vmq_cpuset_weight(const struct vmq_cpuset *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < VMQ_CPUSET_WORDS; i++)
		n += popcount64(s->w[i]);
	return n;
}

bool vmq_cpuset_empty(const struct vmq_cpuset *s)
{
	unsigned int i;

	for (i = 0; i < VMQ_CPUSET_WORDS; i++)
		if (s->w[i])
			return false;
	return true;
}

bool vmq_cpuset_equal(const struct vmq_cpuset *a, const struct vmq_cpuset *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Return: true if the intersection is not empty. */
bool vmq_cpuset_and(struct vmq_cpuset *dst, const struct vmq_cpuset *a,
		    const struct vmq_cpuset *b)
{
	u64 any = 0;
	unsigned int i;

	for (i = 0; i < VMQ_CPUSET_WORDS; i++) {
		dst->w[i] = a->w[i] & b->w[i];
		any |= dst->w[i];
	}
	return any != 0;
}

void vmq_cpuset_or(struct vmq_cpuset *dst, const struct vmq_cpuset *a,
		   const struct vmq_cpuset *b)
{
	unsigned int i;

	for (i = 0; i < VMQ_CPUSET_WORDS; i++)
		dst->w[i] = a->w[i] | b->w[i];
}

void vmq_cpuset_andnot(struct vmq_cpuset *dst, const struct vmq_cpuset *a,
		       const struct vmq_cpuset *b)
{
	unsigned int i;

	for (i = 0; i < VMQ_CPUSET_WORDS; i++)
		dst->w[i] = a->w[i] & ~b->w[i];
}

/* Return: the first member >= @cpu, or VMQ_MAX_CPUS if none. */
unsigned int vmq_cpuset_next(const struct vmq_cpuset *s, unsigned int cpu)
{
	for (; cpu < VMQ_MAX_CPUS; cpu++) {
		u64 rest = s->w[cpu / 64] >> (cpu % 64);

		if (!rest) {
			cpu |= 63;	/* on to the next word */
			continue;
		}
		while (!(rest & 1)) {
			rest >>= 1;
			cpu++;
		}
		return cpu;
	}
	return VMQ_MAX_CPUS;
}

/* The end of the run of consecutive members that starts at @cpu. */
static unsigned int run_end(const struct vmq_cpuset *s, unsigned int cpu)
{
	while (cpu + 1 < VMQ_MAX_CPUS && vmq_cpuset_test(s, cpu + 1))
		cpu++;
	return cpu;
}

/**
 * vmq_cpuset_format - a set as a CPU list, "2,4,6-9", like cpulist files
 * @s: the set
 * @buf: output, always NUL-terminated when @len > 0
 * @len: its size
 *
 * Return: the length the whole list needs, as snprintf() does; "none"
 * for the empty set.
 */
int vmq_cpuset_format(const struct vmq_cpuset *s, char *buf, size_t len)
{
	unsigned int cpu, end;
	size_t n = 0;
	int w;

	if (len)
		buf[0] = '\0';
	if (vmq_cpuset_empty(s))
		return snprintf(buf, len, "none");

	for (cpu = vmq_cpuset_next(s, 0); cpu < VMQ_MAX_CPUS;
	     cpu = vmq_cpuset_next(s, end + 1)) {
		end = run_end(s, cpu);
		if (end == cpu)
			w = snprintf(buf + (n < len ? n : len),
				     n < len ? len - n : 0, "%s%u",
				     n ? "," : "", cpu);
		else
			w = snprintf(buf + (n < len ? n : len),
				     n < len ? len - n : 0, "%s%u-%u",
				     n ? "," : "", cpu, end);
		n += w;
	}
	return n;
}
