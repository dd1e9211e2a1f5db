#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench's measurements (selftests/bench/bench.sh), each once and at
# a small scale, with no target checked: each must still produce its
# figure, so that the bench cannot rot.  The figures themselves come
# from make bench, under multi-threaded TCG; these say nothing.
export BENCH_REPS=1 BENCH_VMS=256 BENCH_FRAMES=20000 BENCH_SECONDS=1 \
	BENCH_ETHTOOL_RULES=32 BENCH_SUM_VMS=64 BENCH_STEER_VMS=4

# On a slow kernel (the debug one: KASAN, lockdep, kmemleak) the same
# paths run at an eighth of the size.  At full size this script alone
# took 25 minutes there, for figures that mean nothing on that kernel.
if [ "${VMQ_TIME_SCALE:-1}" -gt 1 ]; then
	export BENCH_VMS=32 BENCH_FRAMES=2000 BENCH_ETHTOOL_RULES=8 \
		BENCH_SUM_VMS=16
fi
exec "$VMQ_TOP/selftests/bench/bench.sh"
