# Builds one variant of the ROM into $(B): the 32-bit C image, its layout,
# the real-mode stub around it, then the signed ROM.  Called by the top
# Makefile as: $(MAKE) -f rom/rom.mk B=<dir> VFLAGS=<-D...> NAME=<rom name>
B ?= build
NAME ?= xenpvboot
VFLAGS ?=
LOG_LEVEL ?= 2
PCI_VENDOR ?= 0x5853
PCI_DEVICE ?= 0x0001

CC := gcc
LD := ld
OBJCOPY := objcopy
PYTHON ?= python3

XEN_INCLUDE_PARENT ?= /usr/include
ifeq ($(wildcard $(XEN_INCLUDE_PARENT)/xen/io/blkif.h),)
$(error Xen public headers not found under $(XEN_INCLUDE_PARENT)/xen: install them with 'apt-get install libxen-dev' (or set XEN_INCLUDE_PARENT))
endif

# tools/version.sh, unless given (the Debian build passes the package's, debian/rules).
VERSION ?= $(shell tools/version.sh)
VERSION := $(VERSION)

ROM_SRCS ?= $(wildcard rom/*.c)
ROM_CFLAGS := -m32 -march=i686 -ffreestanding -fpie -Os -std=gnu11 \
	-fno-builtin -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-jump-tables \
	-fno-common -fvisibility=hidden -ffunction-sections -fdata-sections \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-idirafter $(XEN_INCLUDE_PARENT) \
	-Wall -Wextra -Werror -Wno-array-bounds \
	-DLOG_LEVEL=$(LOG_LEVEL) -DXENPVBOOT_VERSION='"xenpvboot $(VERSION)"' \
	$(VFLAGS)

OBJS := $(patsubst rom/%.c,$(B)/obj/%.o,$(ROM_SRCS)) $(B)/obj/glue32.o

all: $(B)/$(NAME).rom

# Rebuild when the flags change (LOG_LEVEL, variant): the stamp is rewritten
# only when its content would differ.
$(B)/flags: FORCE | $(B)/obj
	@echo '$(ROM_CFLAGS) $(PCI_VENDOR) $(PCI_DEVICE)' | cmp -s - $@ || \
		echo '$(ROM_CFLAGS) $(PCI_VENDOR) $(PCI_DEVICE)' > $@

$(B)/obj/%.o: rom/%.c rom/*.h $(B)/flags | $(B)/obj
	@echo "  CC      $@"
	@$(CC) $(ROM_CFLAGS) -c -o $@ $<

$(B)/obj/glue32.o: rom/glue32.S $(B)/flags | $(B)/obj
	@echo "  AS      $@"
	@$(CC) $(ROM_CFLAGS) -c -o $@ $<

$(B)/obj:
	@mkdir -p $@

# A static PIE: the only dynamic relocations allowed are R_386_RELATIVE,
# which init's relocation loop applies (rom/entry.S, load32).
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

$(B)/obj/entry.o: rom/entry.S rom/stub.h $(B)/layout.h $(B)/rom32.bin $(B)/flags
	@echo "  AS      $@"
	@$(CC) -m32 -c -D__ASSEMBLER__ -I$(B) -Irom -DIMAGE_BIN='"$(B)/rom32.bin"' \
		-DPCI_VENDOR=$(PCI_VENDOR) -DPCI_DEVICE=$(PCI_DEVICE) $(VFLAGS) -o $@ $<

$(B)/stub.elf: $(B)/obj/entry.o rom/stub.lds
	@echo "  LD      $@"
	@$(LD) -m elf_i386 --no-warn-rwx-segments -T rom/stub.lds -o $@ $<

$(B)/$(NAME).rom: $(B)/stub.elf tools/romsign.py
	@$(OBJCOPY) -O binary $< $@.tmp
	@$(PYTHON) tools/romsign.py --output $@ $@.tmp
	@rm -f $@.tmp
	@tools/romsize.sh $@ $(B)/stub.elf $(B)/layout.h

FORCE:
.PHONY: all FORCE
