# SPDX-License-Identifier: GPL-2.0
#
# vmq: the module, vmqctl, and their tests.
#
#   make                  vmq.ko for the running kernel (kmod/vmq.ko) + vmqctl
#   make KVER=6.1         vmq.ko for Debian's 6.1 kernel  -> build/6.1/kmod/vmq.ko
#   make KVER=6.12        vmq.ko for Debian's 6.12 kernel -> build/6.12/kmod/vmq.ko
#   make KVER=6.12-debug  vmq.ko for the rig's debug kernel (built by
#                         selftests/vm/build-debug-kernel)
#   make KVER=<release>   vmq.ko for /lib/modules/<release>/build
#   make KDIR=<dir>       vmq.ko for a kernel build or headers tree
#   make C=1 ...          the same, checked by sparse
#   make check            every test: unit, vmqctl, and the VM selftests on
#                         both kernels (installs what it needs)
#   make check-debug      the VM selftests on the debug kernel (KASAN,
#                         kmemleak, lockdep, UBSAN; builds it once)
#   make bench            vmq's costs and gains as ratios against the
#                         kernel's own mechanisms -> build/bench/bench.json
#   make demo             boot a VM, build a bond, attach vmq, show it
#   make deps             install build and test dependencies (root, apt)

TOP := $(CURDIR)

# Shortcuts for the kernels vmq supports: Debian bookworm's 6.1 and
# bookworm-backports' 6.12, by their installed headers packages.
debian_hdrs = $(lastword $(sort $(wildcard /usr/src/linux-headers-$(1).*-amd64)))

ifeq ($(KVER),6.1)
KDIR ?= $(call debian_hdrs,6.1)
else ifeq ($(KVER),6.12)
KDIR ?= $(call debian_hdrs,6.12)
else ifeq ($(KVER),6.12-debug)
KDIR ?= $(shell $(TOP)/selftests/vm/build-debug-kernel -p 2>/dev/null)/build
else ifneq ($(KVER),)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build /usr/src/linux-headers-$(KVER)))
endif

# A named kernel builds out of the source tree, in build/$(KVER): Kbuild
# puts objects next to sources, so each kernel gets its own mirror of
# symlinks and the two never share an object file.
ifneq ($(KVER),)
MODDIR := $(TOP)/build/$(KVER)
else ifneq ($(KDIR),)
MODDIR := $(TOP)/build/$(notdir $(abspath $(KDIR)))
else
KDIR := /lib/modules/$(shell uname -r)/build
MODDIR := $(TOP)
endif

KMOD_SRCS = Kbuild $(shell cd $(TOP) && find kmod selftests/nicsim -name '*.[ch]' -o -name Kbuild 2>/dev/null)

.PHONY: all module mirror vmqctl unit check check-debug bench demo deps clean help

all: module vmqctl

module: $(if $(filter-out $(TOP),$(MODDIR)),mirror)
	@test "$(KVER)" != 6.12-debug -o -d "$(KDIR)" || { \
	  echo "vmq: the debug kernel is not built: run selftests/vm/build-debug-kernel"; \
	  exit 1; } >&2
	@test -d "$(KDIR)" || { \
	  echo "vmq: no kernel headers at '$(KDIR)'."; \
	  echo "     Install them, or build for a Debian kernel: make KVER=6.1 | make KVER=6.12"; \
	  echo "     (make deps installs both)"; exit 1; } >&2
	$(MAKE) -C $(KDIR) M=$(MODDIR) W=1 modules

mirror:
	@mkdir -p $(MODDIR)
	@cd $(MODDIR) && for f in $(KMOD_SRCS); do \
		mkdir -p $$(dirname $$f); ln -sfn $(TOP)/$$f $$f; done
	@find $(MODDIR) -xtype l -delete

vmqctl:
	$(MAKE) -C tools/vmqctl

unit:
	$(MAKE) -C selftests/unit run

check:
	selftests/check

check-debug:
	selftests/check-debug

bench:
	selftests/bench/run

demo:
	selftests/demo/run

deps:
	tools/install-deps

clean:
	-$(MAKE) -C tools/vmqctl clean
	-$(MAKE) -C selftests/unit clean
	-$(MAKE) -C selftests/nlfuzz clean
	-test ! -d "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf build

help:
	@sed -n '3,20s/^# \{0,1\}//p' Makefile
