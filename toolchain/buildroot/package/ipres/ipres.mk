# SPDX-License-Identifier: Apache-2.0
################################################################################
#
# ipres
#
################################################################################

# The Makefile's VERSION (tests/buildroot/run.sh checks they agree).
IPRES_VERSION = 0.1.0
# Built from the ipres tree this external tree lives in (toolchain/buildroot/
# of it), rsynced without its build/ folder. Point IPRES_SITE at another tree
# (make IPRES_SITE=DIR, or the environment), or use Buildroot's own
# IPRES_OVERRIDE_SRCDIR in the BR2_PACKAGE_OVERRIDE_FILE.
IPRES_SITE ?= $(realpath $(BR2_EXTERNAL_IPRES_PATH)/../..)
IPRES_SITE_METHOD = local
IPRES_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = --exclude=/build
# For `make legal-info` (the tree's LICENSE, SPDX identifier).
IPRES_LICENSE = Apache-2.0
IPRES_LICENSE_FILES = LICENSE

# BusyBox first: its /etc/mdev.conf is there when ipres adds its rule.
ifeq ($(BR2_PACKAGE_BUSYBOX),y)
IPRES_DEPENDENCIES += busybox
endif

IPRES_ARCH = $(if $(BR2_aarch64),aarch64,$(if $(BR2_x86_64),x86_64,$(if $(BR2_arm),armv7,$(if $(BR2_mipsel),mipsel))))
IPRES_BOARD = $(call qstrip,$(BR2_PACKAGE_IPRES_BOARD))
IPRES_CONFIG = $(call qstrip,$(BR2_PACKAGE_IPRES_CONFIG))

# The SDK's compiler and flags (CXX, CC, CPPFLAGS, CXXFLAGS, LDFLAGS, OBJCOPY
# of TARGET_CONFIGURE_OPTS: ipres's Makefile then takes the compiler as one
# from outside and never runs its Debian toolchain's setup); the config
# generator, a build-machine program, with Buildroot's host compiler.
IPRES_MAKE_OPTS = \
	$(TARGET_CONFIGURE_OPTS) \
	HOST_CXX="$(HOSTCXX)" \
	HOST_AR="$(HOSTAR)" \
	BOARD="$(IPRES_BOARD)" \
	OUT=build/buildroot

# An ipres.conf of one's own: a board folder of the build's, whose board.mk
# takes the named board's flags (if ipres's tree has that board; its
# BOARD_CPU_FLAGS only if it is for Buildroot's CPU) and Buildroot's CPU.
ifneq ($(IPRES_CONFIG),)
IPRES_MAKE_OPTS += BOARD_DIR=build/buildroot-board
define IPRES_MAKE_BOARD_DIR
	mkdir -p $(@D)/build/buildroot-board
	printf -- '-include board/%s/board.mk\nBOARD_CPU_FLAGS := $$(if $$(filter %s,$$(ARCH)),$$(BOARD_CPU_FLAGS))\nARCH := %s\n' \
		'$(IPRES_BOARD)' '$(IPRES_ARCH)' '$(IPRES_ARCH)' >$(@D)/build/buildroot-board/board.mk
	cd $(@D) && cp -f '$(IPRES_CONFIG)' build/buildroot-board/ipres.conf
endef
endif

define IPRES_BUILD_CMDS
	$(IPRES_MAKE_BOARD_DIR)
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(IPRES_MAKE_OPTS) all
endef

# make install puts ipres, lkping and rootfs-overlay/ in place (among them
# /etc/init.d/S41ipres, run by BusyBox init's rcS, and the mdev hook
# /lib/mdev/ipres-net), adds ipres's rule to BusyBox's /etc/mdev.conf and
# the board's example keepalived.conf to /usr/share/ipres/examples. With the
# build's own variables: it installs that build and compiles nothing.
define IPRES_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(IPRES_MAKE_OPTS) DESTDIR=$(TARGET_DIR) install
endef

$(eval $(generic-package))
