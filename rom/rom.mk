# Builds one variant of the ROM into $(B): the 32-bit C image, its layout,
# the real-mode stub around it, then the signed ROM.  Called by the top
# Makefile as:
#   $(MAKE) -f rom/rom.mk B=<dir> NAME=<rom name> VARIANT=<variant> AFLAGS=<-D...>
# VARIANT picks the C objects (rom/sources.mk); AFLAGS are the real-mode
# stub's test switches (rom/bios/entry.S).
B ?= build
NAME ?= xenpvboot
VARIANT ?= xenpvboot
AFLAGS ?=
LOG_LEVEL ?= 2
PCI_VENDOR ?= 0x5853
PCI_DEVICE ?= 0x0001

include rom/sources.mk

CC := $(ROM_CC)
LD := ld
OBJCOPY := objcopy
PYTHON ?= python3

ifeq ($(wildcard $(XEN_INCLUDE_PARENT)/xen/io/blkif.h),)
$(error Xen public headers not found under $(XEN_INCLUDE_PARENT)/xen: install them with 'apt-get install libxen-dev' (or set XEN_INCLUDE_PARENT))
endif

# tools/version.sh, unless given (the Debian build passes the package's, debian/rules).
VERSION ?= $(shell tools/version.sh)
VERSION := $(VERSION)

ifeq ($(origin ROM_VARIANT_SRCS_$(VARIANT)),undefined)
$(error unknown VARIANT $(VARIANT): see rom/sources.mk)
endif
SRCS := $(ROM_SRCS) $(ROM_VARIANT_SRCS_$(VARIANT))
ROM_CFLAGS := $(ROM_CFLAGS_BASE) -fpie -Irom \
	-DLOG_LEVEL=$(LOG_LEVEL) -DXENPVBOOT_VERSION='"xenpvboot $(VERSION)"'

# A variant's wrapped functions (rom/sources.mk ROM_VARIANT_WRAPS_*), by object.
wrap_obj = $(B)/obj/$(firstword $(subst :, ,$(1)))
wrap_fn = $(lastword $(subst :, ,$(1)))
$(foreach w,$(ROM_VARIANT_WRAPS_$(VARIANT)),\
  $(eval $(call wrap_obj,$(w)): ROM_WRAP_DEFS += -D$(call wrap_fn,$(w))=rom_$(call wrap_fn,$(w))))

OBJS := $(patsubst rom/%.c,$(B)/obj/%.o,$(SRCS)) $(B)/obj/bios/glue32.o

all: $(B)/$(NAME).rom

# Rebuild when the flags change (LOG_LEVEL, variant): the stamp is rewritten
# only when its content would differ.
$(B)/flags: FORCE | $(B)/obj
	@echo '$(ROM_CFLAGS) $(AFLAGS) $(SRCS) $(ROM_VARIANT_WRAPS_$(VARIANT)) $(PCI_VENDOR) $(PCI_DEVICE)' | cmp -s - $@ || \
		echo '$(ROM_CFLAGS) $(AFLAGS) $(SRCS) $(ROM_VARIANT_WRAPS_$(VARIANT)) $(PCI_VENDOR) $(PCI_DEVICE)' > $@

$(B)/obj/%.o: rom/%.c rom/*/*.h $(B)/flags | $(B)/obj
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ROM_CFLAGS) $(ROM_WRAP_DEFS) -c -o $@ $<

$(B)/obj/bios/glue32.o: rom/bios/glue32.S $(B)/flags | $(B)/obj
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	@$(CC) $(ROM_CFLAGS) -c -o $@ $<

$(B)/obj:
	@mkdir -p $@

# A static PIE: the only dynamic relocations allowed are R_386_RELATIVE,
# which init's relocation loop applies (rom/bios/entry.S, load32).
$(B)/rom32.elf: $(OBJS) rom/rom32.lds
	@echo "  LD      $@"
	@$(LD) -m elf_i386 -pie --no-dynamic-linker -z norelro -z noexecstack --no-warn-rwx-segments \
		--gc-sections -T rom/rom32.lds -o $@ $(OBJS)
	@bad=$$(readelf -rW $@ | awk '/^ *[0-9a-f]+ +[0-9a-f]+ +R_386_/ && $$3 != "R_386_RELATIVE"'); \
	if [ -n "$$bad" ]; then echo "$@: relocations init cannot apply:"; echo "$$bad"; rm -f $@; exit 1; fi

$(B)/rom32.bin: $(B)/rom32.elf
	@$(OBJCOPY) -O binary --only-section=.text --only-section=.rodata \
		--only-section=.data --only-section=.rel.dyn $< $@

$(B)/layout.h: $(B)/rom32.elf $(B)/rom32.bin tools/layout.sh
	@tools/layout.sh $(B)/rom32.elf $(B)/rom32.bin > $@

$(B)/obj/bios/entry.o: rom/bios/entry.S rom/bios/stub.h $(B)/layout.h $(B)/rom32.bin $(B)/flags
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	@$(CC) -m32 -c -D__ASSEMBLER__ -I$(B) -Irom -DIMAGE_BIN='"$(B)/rom32.bin"' \
		-DPCI_VENDOR=$(PCI_VENDOR) -DPCI_DEVICE=$(PCI_DEVICE) $(AFLAGS) -o $@ $<

$(B)/stub.elf: $(B)/obj/bios/entry.o rom/bios/stub.lds
	@echo "  LD      $@"
	@$(LD) -m elf_i386 --no-warn-rwx-segments -T rom/bios/stub.lds -o $@ $<

$(B)/$(NAME).rom: $(B)/stub.elf tools/romsign.py
	@$(OBJCOPY) -O binary $< $@.tmp
	@$(PYTHON) tools/romsign.py --output $@ $@.tmp
	@rm -f $@.tmp
	@tools/romsize.sh $@ $(B)/stub.elf $(B)/layout.h

FORCE:
.PHONY: all FORCE
