/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's CPUs, in the pure logic's terms.
 */
#ifndef _VMQ_TOPOLOGY_H
#define _VMQ_TOPOLOGY_H

#include "core/procset.h"

void vmq_topology_read(struct vmq_topology *t);

#endif /* _VMQ_TOPOLOGY_H */
