/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure logic under kmod/core/ is plain C with no kernel calls: the
 * module links it, and so does the userspace unit-test binary
 * (selftests/unit/).  This header is the only place that knows which of
 * the two it is being built for.
 */
#ifndef _VMQ_CORE_TYPES_H
#define _VMQ_CORE_TYPES_H

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#endif /* __KERNEL__ */

#endif /* _VMQ_CORE_TYPES_H */
