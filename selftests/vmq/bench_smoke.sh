#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench's measurements (selftests/bench/bench.sh), each once and at
# a small scale, with no target checked: each must still produce its
# figure, so that the bench cannot rot.  The figures themselves come
# from make bench, under multi-threaded TCG; these say nothing.
#
# The size is the smallest that still takes every path (a few thousand
# frames, tens of VMs and rules): at ten times that, on the 6.1 and 6.12
# kernels, this script took three minutes of make check's 25 for figures
# that mean nothing under single-threaded TCG.
#
# vmq-rig: only-on 6.1: the two kernels' runs then take about as long
# (what this checks, that the bench's scripts still run, does not depend
# on the kernel; make bench itself measures on 6.12, whose run has the
# ynl tests instead: a break of bench.sh on 6.12 alone shows first in
# make bench).
export BENCH_REPS=1 BENCH_VMS=32 BENCH_FRAMES=2000 BENCH_SECONDS=1 \
	BENCH_ETHTOOL_RULES=8 BENCH_SUM_VMS=16 BENCH_STEER_VMS=4
exec "$VMQ_TOP/selftests/bench/bench.sh"
