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
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <linux/types.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s16 s16;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#endif /* __KERNEL__ */

#endif /* _VMQ_CORE_TYPES_H */
