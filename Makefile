# xenpvboot: a PCI option ROM that boots Xen HVM guests through PV block.
#
#   make               build/xenpvboot.rom (LOG_LEVEL=1..4, default 2)
#   make install       into $(DESTDIR)$(PREFIX)/lib/xenpvboot/
#   make demo          build, then boot a demo HVM guest in the nested-Xen testbed
#   make check         every test: unit, romsign, plain QEMU, real Xen
#   make check-quick   the fast subset for the edit-test loop (no nested Xen)
#   make fuzz          the libFuzzer harnesses, FUZZ_SECONDS each (default 600)
#   make soak          SOAK_BOOTS (default 50) boots of each soak set -> build/soak/report.md
PREFIX ?= /usr/local
DESTDIR ?=
LOG_LEVEL ?= 2
PYTHON ?= python3

ROM_MAKE = $(MAKE) --no-print-directory -f rom/rom.mk LOG_LEVEL=$(LOG_LEVEL)

all: build/xenpvboot.rom

# Every variant is rebuilt through rom/rom.mk, which knows its dependencies.
build/xenpvboot.rom: FORCE
	@$(ROM_MAKE) B=build NAME=xenpvboot

# The POST self-test ROM the testbed uses for the PV core (rom/selftest.c).
build/selftest/xenpvboot-selftest.rom: FORCE
	@$(ROM_MAKE) B=build/selftest NAME=xenpvboot-selftest VFLAGS=-DXENPVBOOT_SELFTEST

# Loads and hooks INT 13h (pass-through) without Xen: plain QEMU exercises
# the loader and the mode transitions with it.
build/test-noxen/xenpvboot-test-noxen.rom: FORCE
	@$(ROM_MAKE) B=build/test-noxen NAME=xenpvboot-test-noxen VFLAGS=-DXENPVBOOT_TEST_NOXEN

# The same without PMM: the base-memory (40:13) fallback.
build/test-basemem/xenpvboot-test-basemem.rom: FORCE
	@$(ROM_MAKE) B=build/test-basemem NAME=xenpvboot-test-basemem \
		VFLAGS="-DXENPVBOOT_TEST_NOXEN -DXENPVBOOT_TEST_NO_PMM"

# Init only: prints one line and shrinks to 0 on any machine, Xen or not.
# The soak's control for "is a POST hang the ROM's?" (make soak).
build/test-stepaside/xenpvboot-test-stepaside.rom: FORCE
	@$(ROM_MAKE) B=build/test-stepaside NAME=xenpvboot-test-stepaside \
		VFLAGS=-DXENPVBOOT_TEST_STEPASIDE

roms: build/xenpvboot.rom build/selftest/xenpvboot-selftest.rom \
	build/test-noxen/xenpvboot-test-noxen.rom \
	build/test-basemem/xenpvboot-test-basemem.rom \
	build/test-stepaside/xenpvboot-test-stepaside.rom

install: build/xenpvboot.rom
	install -d $(DESTDIR)$(PREFIX)/lib/xenpvboot
	install -m 0644 build/xenpvboot.rom $(DESTDIR)$(PREFIX)/lib/xenpvboot/xenpvboot.rom

deps:
	@tools/deps.sh

demo: deps build/xenpvboot.rom
	test/xen/demo --rom build/xenpvboot.rom

check-quick: deps roms
	@test/run-suites quick

check: deps roms
	@test/run-suites all

fuzz: deps
	$(MAKE) -C test/fuzz check FUZZ_SECONDS=$${FUZZ_SECONDS:-600}

# Issue 7: nested-Xen benchmarks (BENCH_RUNS, default 5; BENCH_SECONDS, default 50, caps
# each INT 13h measurement) -> docs/benchmarks.md, raw results in build/bench/.
bench: deps roms
	@test/bench/run

# Issue 12 item 9: many boots in a row of the takeover and Linux guests through the ROM
# and of two controls (no ROM, a ROM that steps aside), on both backends; not in check.
# SOAK_BOOTS, SOAK_PER_DOM0, SOAK_SETS, SOAK_LOCK: test/xen/soak.
soak: deps roms
	@test/xen/soak

clean:
	rm -rf build

FORCE:
.PHONY: all roms install deps demo check check-quick fuzz bench soak clean FORCE
