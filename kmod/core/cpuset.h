/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed-size CPU bitmap for the pure logic, which cannot use the
 * kernel's cpumask.  The glue converts at the boundary.
 */
#ifndef _VMQ_CORE_CPUSET_H
#define _VMQ_CORE_CPUSET_H

#include "types.h"

/* CPUs vmq can place queues on: ids 0 .. VMQ_MAX_CPUS - 1. */
#define VMQ_MAX_CPUS		512
#define VMQ_CPUSET_WORDS	(VMQ_MAX_CPUS / 64)

struct vmq_cpuset {
	u64 w[VMQ_CPUSET_WORDS];
};

static inline void vmq_cpuset_zero(struct vmq_cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

static inline void vmq_cpuset_set(struct vmq_cpuset *s, unsigned int cpu)
{
	if (cpu < VMQ_MAX_CPUS)
		s->w[cpu / 64] |= 1ULL << (cpu % 64);
}

static inline void vmq_cpuset_clear(struct vmq_cpuset *s, unsigned int cpu)
{
	if (cpu < VMQ_MAX_CPUS)
		s->w[cpu / 64] &= ~(1ULL << (cpu % 64));
}

static inline bool vmq_cpuset_test(const struct vmq_cpuset *s,
				   unsigned int cpu)
{
	return cpu < VMQ_MAX_CPUS && (s->w[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned int vmq_cpuset_weight(const struct vmq_cpuset *s);
bool vmq_cpuset_empty(const struct vmq_cpuset *s);
bool vmq_cpuset_equal(const struct vmq_cpuset *a, const struct vmq_cpuset *b);
bool vmq_cpuset_and(struct vmq_cpuset *dst, const struct vmq_cpuset *a,
		    const struct vmq_cpuset *b);
void vmq_cpuset_or(struct vmq_cpuset *dst, const struct vmq_cpuset *a,
		   const struct vmq_cpuset *b);
void vmq_cpuset_andnot(struct vmq_cpuset *dst, const struct vmq_cpuset *a,
		       const struct vmq_cpuset *b);
unsigned int vmq_cpuset_next(const struct vmq_cpuset *s, unsigned int cpu);
int vmq_cpuset_format(const struct vmq_cpuset *s, char *buf, size_t len);

/* for_each: cpu runs over the set's members in ascending order. */
#define vmq_cpuset_for_each(cpu, s)					\
	for ((cpu) = vmq_cpuset_next((s), 0); (cpu) < VMQ_MAX_CPUS;	\
	     (cpu) = vmq_cpuset_next((s), (cpu) + 1))

#endif /* _VMQ_CORE_CPUSET_H */
