# The one list of rom/ sources and the one set of ROM compiler flags, used by
# the ROM build (rom/rom.mk), the host unit tests (test/unit/Makefile), the
# fuzzers (test/fuzz/Makefile) and the takeover guest
# (test/guest/takeover/build.sh, through `make -f rom/sources.mk print-VAR`).
# Paths are relative to the top of the tree; each user prefixes its own.
#
# Layers, lowest first; a file includes only its own layer and those below
# (tools/check-layers.py checks it): arch (the machine) < lib < xen (the Xen
# bus) < block (the PV block frontend) < bios (BIOS drives, INT 13h, entry)
# < variants (test builds).

ROM_ARCH_SRCS  := rom/arch/platform.c rom/arch/debugport.c rom/arch/pci.c
ROM_LIB_SRCS   := rom/lib/log.c rom/lib/string.c
ROM_XEN_SRCS   := rom/xen/xenbus.c rom/xen/hypervisor.c rom/xen/grant.c rom/xen/evtchn.c rom/xen/xenstore.c
ROM_BLOCK_SRCS := rom/block/blkfront.c
# BIOS drives and INT 13h: what runs on the host too.
ROM_DRIVE_SRCS := rom/bios/bcv.c rom/bios/cdrom.c rom/bios/disk.c rom/bios/geometry.c rom/bios/int13.c \
                  rom/bios/quiesce.c rom/bios/rommem.c rom/bios/pnp.c \
                  rom/bios/bootchoice.c
# The ROM's entry side: real-mode stub glue and the C dispatcher.
ROM_ENTRY_SRCS := rom/bios/main.c rom/bios/stub.c

# The protocol code a test guest that plays the OS links (it brings its own
# platform.c and debug console).
ROM_PROTOCOL_SRCS := $(ROM_XEN_SRCS) $(ROM_BLOCK_SRCS)

# What the host unit tests and the fuzzers link, hosted, with the simulated
# Xen, PCI bus and BIOS of test/unit/sim.c and sim_bios.c standing in for
# rom/arch/ and rom/bios/stub.c (and the C library for
# rom/lib/string.c, which test/unit/test_string.c checks against it).
ROM_HOST_SRCS := rom/lib/log.c rom/arch/pci.c $(ROM_PROTOCOL_SRCS) $(ROM_DRIVE_SRCS) \
                 rom/bios/main.c rom/bios/services.c rom/variants/selftest.c

# Every variant: the same objects, plus the services behind the entries
# (rom/bios/services.h): the ROM's own, with the POST self-test, or the
# plain-QEMU pass-through.
ROM_SRCS := $(ROM_ARCH_SRCS) $(ROM_LIB_SRCS) $(ROM_PROTOCOL_SRCS) $(ROM_DRIVE_SRCS) \
            $(ROM_ENTRY_SRCS)
ROM_VARIANT_SRCS_xenpvboot := rom/bios/services.c
ROM_VARIANT_SRCS_selftest  := rom/bios/services.c rom/variants/selftest.c \
                              rom/variants/selftest_hook.c
ROM_VARIANT_SRCS_noxen     := rom/variants/noxen.c rom/variants/noxen_stay.c
ROM_VARIANT_SRCS_vanish    := rom/variants/noxen.c rom/variants/noxen_vanish.c
# The bench floor (rom/variants/floor.h): the ROM with the boot disk
# preloaded into memory.  It wraps the ROM functions ROM_VARIANT_WRAPS_ names
# (object:function): rom/rom.mk compiles that object with the function
# renamed rom_<function>, and the variant defines the function, calling it.
ROM_VARIANT_SRCS_floor     := rom/bios/services.c rom/variants/floor.c rom/variants/floor_range.c
ROM_VARIANT_WRAPS_floor    := bios/services.o:services_bcv bios/services.o:services_leaving \
                              bios/disk.o:disk_io
# The same in plain QEMU (test/qemu/): no Xen, only the E820 side runs.
ROM_VARIANT_SRCS_floorqemu := rom/variants/floor.c rom/variants/floor_range.c \
                              rom/variants/floor_qemu.c rom/variants/noxen_stay.c
ROM_VARIANT_WRAPS_floorqemu := bios/disk.o:disk_io

XEN_INCLUDE_PARENT ?= /usr/include
ROM_CC ?= gcc

# Freestanding 32-bit code for flat protected mode, paging off.  -fpie (the
# ROM) or -fno-pie (a guest linked where it runs) is the user's to add.
ROM_CFLAGS_BASE := -m32 -march=i686 -ffreestanding -Os -std=gnu11 \
	-fno-builtin -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-jump-tables \
	-fno-common -fvisibility=hidden -ffunction-sections -fdata-sections \
	-nostdinc -isystem $(shell $(ROM_CC) -print-file-name=include) \
	-idirafter $(XEN_INCLUDE_PARENT) \
	-Wall -Wextra -Werror -Wno-array-bounds

print-%:
	@echo $($*)
