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
#   make install          vmq.ko into /lib/modules/<release>/updates/kmod (for
#                         KVER/KDIR, or the running kernel), vmqctl, vmq(4),
#                         vmqctl(8), bash completion and the systemd units
#                         under PREFIX (/usr/local);
#                         DESTDIR= stages it all elsewhere
#   make uninstall        remove what make install put there
#   make dkms-install     the sources into /usr/src/vmq-VERSION, added to
#                         DKMS and built and installed for the running kernel;
#                         dkms rebuilds vmq for every kernel installed later
#   make dkms-uninstall   remove vmq from DKMS and /usr/src
#   make dkms-src         only the DKMS source tree (DESTDIR= to stage it)
#   make stage-install KVER=...  make install into build/stage/KVER, which
#                         the VM selftests unpack as a package (admin.sh)

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
.PHONY: install uninstall stage-install dkms-src dkms-install dkms-uninstall print-krel print-version

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
	$(MAKE) -C tools/vmqctl VERSION=$(VERSION)

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

# ---- install ----

# dkms.conf holds vmq's version, for DKMS, the Makefile and vmqctl alike.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(TOP)/dkms.conf)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
MANDIR ?= $(PREFIX)/share/man
INSTALL ?= install
# The release of the kernel KDIR builds for, as its modules' vermagic and
# `uname -r` say it; the module goes under it.  (Debian's 6.1 headers say
# 6.1.<patch> in include/config/kernel.release: Kbuild is told, as dkms
# tells it.)
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# vmq's own build for installing, without nicsim, the selftests' NIC.
INSTALL_MODDIR = $(TOP)/build/install/$(KREL)
UNITS := $(wildcard tools/systemd/*.service)
LIBEXECDIR ?= $(PREFIX)/lib/vmq
IRQBALANCE_POLICY = tools/irqbalance/vmq-irqbalance-policy
LIBVIRT_HOOK = tools/libvirt/vmq-qemu-hook
# What runs vmqctl from outside: its path, as installed, written in.
LIBEXEC_FILES = $(IRQBALANCE_POLICY) $(LIBVIRT_HOOK)
# irqbalance's unit, as vmq's policy script needs it (a drop-in).
DROPINS := $(wildcard tools/systemd/*.service.d/*.conf)
# Paths written in installed files, as installed.
INSTALLED_PATHS = sed -e 's|/usr/local/sbin/vmqctl|$(SBINDIR)/vmqctl|' \
	-e 's|/usr/local/lib/vmq|$(LIBEXECDIR)|'
# Units an older vmq installed.
OLD_UNITS = vmq-daemon.service
DKMS_SRC = $(DESTDIR)/usr/src/vmq-$(VERSION)

install: vmqctl
	@test -n "$(KREL)" || { echo "vmq: no kernel release in '$(KDIR)'" >&2; exit 1; }
	$(MAKE) module VMQ_NO_NICSIM=1 MODDIR=$(INSTALL_MODDIR)
	$(MAKE) -C $(KDIR) M=$(INSTALL_MODDIR) VMQ_NO_NICSIM=1 \
		KERNELRELEASE=$(KREL) INSTALL_MOD_DIR=updates $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) \
		modules_install
	@# Kbuild skips depmod without a System.map, which Debian's headers lack.
	test -n "$(DESTDIR)" || depmod $(KREL)
	$(MAKE) -C tools/vmqctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	$(INSTALL) -D -m 0644 Documentation/vmq.4 $(DESTDIR)$(MANDIR)/man4/vmq.4
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(OLD_UNITS))
	for u in $(UNITS); do \
		$(INSTALLED_PATHS) $$u | \
		$(INSTALL) -D -m 0644 /dev/stdin $(DESTDIR)$(UNITDIR)/$$(basename $$u) || exit 1; \
	done
	for d in $(DROPINS); do \
		$(INSTALLED_PATHS) $$d | \
		$(INSTALL) -D -m 0644 /dev/stdin $(DESTDIR)$(UNITDIR)/$${d#tools/systemd/} || exit 1; \
	done
	for f in $(LIBEXEC_FILES); do \
		$(INSTALLED_PATHS) $$f | \
		$(INSTALL) -D -m 0755 /dev/stdin $(DESTDIR)$(LIBEXECDIR)/$$(basename $$f) || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KREL)/updates/kmod/vmq.ko*
	test -n "$(DESTDIR)" || depmod $(KREL)
	$(MAKE) -C tools/vmqctl uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	rm -f $(DESTDIR)$(MANDIR)/man4/vmq.4
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(notdir $(UNITS)) $(OLD_UNITS))
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(patsubst tools/systemd/%,%,$(DROPINS)))
	-rmdir $(addprefix $(DESTDIR)$(UNITDIR)/,$(sort $(dir $(patsubst tools/systemd/%,%,$(DROPINS))))) 2>/dev/null
	rm -f $(addprefix $(DESTDIR)$(LIBEXECDIR)/,$(notdir $(LIBEXEC_FILES)))
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

# make install's tree for KVER, as a package would ship it, for the VM
# tests (selftests/vmq/admin.sh, which looks under /usr/local).
STAGE_DIR = $(TOP)/build/stage/$(KVER)

stage-install:
	@test -n "$(KVER)" || { echo "vmq: stage-install needs KVER=" >&2; exit 1; }
	rm -rf "$(STAGE_DIR)"
	$(MAKE) install DESTDIR="$(STAGE_DIR)" PREFIX=/usr/local

# What DKMS builds from: the module's sources, its Kbuild files and
# dkms.conf; no selftests, no nicsim.
dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cd $(TOP) && find Kbuild dkms.conf kmod -name Kbuild -o -name dkms.conf \
		-o -name '*.[ch]' | xargs -I{} $(INSTALL) -D -m 0644 {} $(DKMS_SRC)/{}

print-krel:
	@echo $(KREL)

print-version:
	@echo $(VERSION)

# Again after a change: what DKMS had of this version goes first.
dkms-install:
	-dkms remove -m vmq -v $(VERSION) --all 2>/dev/null
	$(MAKE) dkms-src DESTDIR=
	dkms add -m vmq -v $(VERSION)
	dkms install -m vmq -v $(VERSION)

dkms-uninstall:
	-dkms remove -m vmq -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	-$(MAKE) -C tools/vmqctl clean
	-$(MAKE) -C selftests/unit clean
	-$(MAKE) -C selftests/nlfuzz clean
	-test ! -d "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf build

help:
	@sed -n '3,32s/^# \{0,1\}//p' Makefile
