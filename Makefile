# xenpvboot: a PCI option ROM that boots Xen HVM guests through PV block.
#
#   make               build/xenpvboot.rom (LOG_LEVEL=1..4, default 2)
#   make install       the ROMs into $(DESTDIR)$(PREFIX)/lib/xenpvboot/, xenpvboot-xl
#                      into $(PREFIX)/bin/ and its man page
#   make deb           the Debian package, into build/deb/ (tools/mkdeb.sh)
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

# The same ROM logging protocol detail (LOG_LEVEL=3), shipped beside the
# release ROM for bug reports.
build/debug/xenpvboot-debug.rom: FORCE
	@$(ROM_MAKE) LOG_LEVEL=3 B=build/debug NAME=xenpvboot-debug

# The POST self-test ROM the testbed uses for the PV core (rom/variants/selftest.c).
build/selftest/xenpvboot-selftest.rom: FORCE
	@$(ROM_MAKE) B=build/selftest NAME=xenpvboot-selftest VARIANT=selftest

# Loads and hooks INT 13h (pass-through) without Xen: plain QEMU exercises
# the loader and the mode transitions with it.
build/test-noxen/xenpvboot-test-noxen.rom: FORCE
	@$(ROM_MAKE) B=build/test-noxen NAME=xenpvboot-test-noxen VARIANT=noxen AFLAGS=-DXENPVBOOT_TEST_NOXEN

# The same without PMM: the base-memory (40:13) fallback.
build/test-basemem/xenpvboot-test-basemem.rom: FORCE
	@$(ROM_MAKE) B=build/test-basemem NAME=xenpvboot-test-basemem \
		VARIANT=noxen \
		AFLAGS="-DXENPVBOOT_TEST_NOXEN -DXENPVBOOT_TEST_NO_PMM"

# The same in base memory, declining to stay: init's free-and-vanish path.
build/test-vanish/xenpvboot-test-vanish.rom: FORCE
	@$(ROM_MAKE) B=build/test-vanish NAME=xenpvboot-test-vanish VARIANT=vanish \
		AFLAGS="-DXENPVBOOT_TEST_NOXEN -DXENPVBOOT_TEST_NO_PMM"

# Init only: prints one line and shrinks to 0 on any machine, Xen or not.
# The soak's control for "is a POST hang the ROM's?" (make soak).  C never
# runs in it; the smallest variant is linked.
build/test-stepaside/xenpvboot-test-stepaside.rom: FORCE
	@$(ROM_MAKE) B=build/test-stepaside NAME=xenpvboot-test-stepaside VARIANT=noxen \
		AFLAGS=-DXENPVBOOT_TEST_STEPASIDE

# The bench floor: the boot disk preloaded at BCV and served from memory, its
# range reserved in every E820 answer (rom/variants/floor.h; make bench).
build/floor/xenpvboot-floor.rom: FORCE
	@$(ROM_MAKE) B=build/floor NAME=xenpvboot-floor VARIANT=floor AFLAGS=-DXENPVBOOT_E820_ALL

# The floor's E820 side in plain QEMU (rom/variants/floor_qemu.c, test/qemu/).
build/test-floor/xenpvboot-test-floor.rom: FORCE
	@$(ROM_MAKE) B=build/test-floor NAME=xenpvboot-test-floor VARIANT=floorqemu \
		AFLAGS="-DXENPVBOOT_TEST_NOXEN -DXENPVBOOT_E820_ALL"

roms: build/xenpvboot.rom build/debug/xenpvboot-debug.rom \
	build/selftest/xenpvboot-selftest.rom \
	build/test-noxen/xenpvboot-test-noxen.rom \
	build/test-basemem/xenpvboot-test-basemem.rom \
	build/test-vanish/xenpvboot-test-vanish.rom \
	build/test-stepaside/xenpvboot-test-stepaside.rom \
	build/floor/xenpvboot-floor.rom \
	build/test-floor/xenpvboot-test-floor.rom

install: build/xenpvboot.rom build/debug/xenpvboot-debug.rom
	install -d $(DESTDIR)$(PREFIX)/lib/xenpvboot $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0644 build/xenpvboot.rom $(DESTDIR)$(PREFIX)/lib/xenpvboot/xenpvboot.rom
	install -m 0644 build/debug/xenpvboot-debug.rom \
		$(DESTDIR)$(PREFIX)/lib/xenpvboot/xenpvboot-debug.rom
	install -m 0755 tools/xenpvboot-xl $(DESTDIR)$(PREFIX)/bin/xenpvboot-xl
	install -m 0644 docs/xenpvboot-xl.1 $(DESTDIR)$(PREFIX)/share/man/man1/xenpvboot-xl.1

deb: deps
	@tools/mkdeb.sh build/deb

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

# Nested-Xen benchmarks (BENCH_RUNS, default 5; BENCH_SECONDS, default 50, caps
# each INT 13h measurement) -> docs/benchmarks.md, raw results in build/bench/.
bench: deps roms
	@test/bench/run

# Many boots in a row of the takeover and Linux guests through the ROM
# and of two controls (no ROM, a ROM that steps aside), on both backends; not in check.
# SOAK_BOOTS, SOAK_PER_DOM0, SOAK_SETS, SOAK_LOCK: test/xen/soak.
soak: deps roms
	@test/xen/soak

clean:
	rm -rf build

FORCE:
.PHONY: all roms install deb deps demo check check-quick fuzz bench soak clean FORCE
