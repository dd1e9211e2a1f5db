#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench's measurements (selftests/bench/bench.sh), each once and at
# a small scale, with no target checked: each must still produce its
# figure, so that the bench cannot rot.  The figures themselves come
# from make bench, under multi-threaded TCG; these say nothing.
export BENCH_REPS=1 BENCH_VMS=256 BENCH_FRAMES=20000 BENCH_SECONDS=1 \
	BENCH_ETHTOOL_RULES=32 BENCH_SUM_VMS=64 BENCH_STEER_VMS=4
exec "$VMQ_TOP/selftests/bench/bench.sh"
