"""Plain QEMU (TCG, SeaBIOS, no Xen): the ROM on an ordinary PCI device.

The production ROM must see that there is no Xen, say so in one log line and
leave the INT 13h vector, 40:75 and 40:13 exactly as they were.  The
test-noxen build skips the Xen check, so the same SeaBIOS runs its loader
(PMM, copy, relocation) and its mode transitions on every INT 13h call of a
real boot sector; a broken transition shows up as a failed or wrong read.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROM = os.path.join(TOP, "build", "xenpvboot.rom")
TEST_ROM = os.path.join(TOP, "build", "test-noxen", "xenpvboot-test-noxen.rom")
BASEMEM_ROM = os.path.join(TOP, "build", "test-basemem", "xenpvboot-test-basemem.rom")
VANISH_ROM = os.path.join(TOP, "build", "test-vanish", "xenpvboot-test-vanish.rom")
FLOOR_ROM = os.path.join(TOP, "build", "test-floor", "xenpvboot-test-floor.rom")
# The ROM rides on QEMU's pci-testdev (1b36:0005); romsign stamps those IDs.
TESTDEV = ("0x1b36", "0x0005")
SECTORS = 64


def make_disk(path, boot_sector):
    with open(path, "wb") as disk:
        disk.write(boot_sector)
        for lba in range(1, SECTORS):
            disk.write((b"XPVB" + lba.to_bytes(4, "little")).ljust(512, b"\0"))


def assemble_disk(tmp, source):
    """The disk image in @tmp whose boot sector is test/qemu/@source, assembled."""
    binary = os.path.join(tmp, os.path.splitext(source)[0] + ".bin")
    subprocess.run(["nasm", "-f", "bin", "-I", os.path.join(TOP, "test", "guest", "lib", ""),
                    "-o", binary, os.path.join(TOP, "test", "qemu", source)], check=True)
    disk = os.path.join(tmp, "disk.img")
    with open(binary, "rb") as f:
        make_disk(disk, f.read())
    return disk


def stamp(rom, out):
    subprocess.run([os.path.join(TOP, "tools", "romsign.py"), "--vendor", TESTDEV[0],
                    "--device", TESTDEV[1], "--output", out, rom],
                   check=True, stdout=subprocess.DEVNULL)


class Boot:
    """One QEMU boot of the probe disk; serial and debug-port output."""

    def __init__(self, workdir, disk, rom=None, extra=(), memory="256"):
        serial = os.path.join(workdir, "serial.log")
        debug = os.path.join(workdir, "debugcon.log")
        cmd = ["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-m", memory,
               "-display", "none", "-no-reboot", "-nodefaults",
               "-serial", "file:" + serial,
               "-chardev", "file,id=dbg,path=" + debug,
               "-device", "isa-debugcon,iobase=0xe9,chardev=dbg",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-drive", "file=%s,format=raw,if=ide" % disk]
        if rom:
            cmd += ["-device", "pci-testdev,romfile=" + rom]
        cmd += list(extra)
        subprocess.run(cmd, timeout=120, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        with open(serial, errors="replace") as f:
            self.serial = f.read()
        with open(debug, errors="replace") as f:
            self.debug = f.read()
        m = re.search(r"PROBE int13=(\w+):(\w+) hd=(\w+) basemem=(\w+)", self.serial)
        self.state = tuple(int(v, 16) for v in m.groups()) if m else None
        self.reads = re.findall(r"READ (\w+) lba=\d+ (\w+)", self.serial)


class PlainQemu(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="xenpvboot-qemu-")
        cls.disk = assemble_disk(cls.tmp, "probe.asm")
        cls.rom = os.path.join(cls.tmp, "xenpvboot.rom")
        stamp(ROM, cls.rom)
        cls.test_rom = os.path.join(cls.tmp, "test-noxen.rom")
        stamp(TEST_ROM, cls.test_rom)
        cls.basemem_rom = os.path.join(cls.tmp, "test-basemem.rom")
        stamp(BASEMEM_ROM, cls.basemem_rom)
        cls.vanish_rom = os.path.join(cls.tmp, "test-vanish.rom")
        stamp(VANISH_ROM, cls.vanish_rom)
        cls.baseline = cls.boot(None)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def boot(cls, rom, extra=()):
        workdir = tempfile.mkdtemp(dir=cls.tmp)
        return Boot(workdir, cls.disk, rom, extra)

    def assert_reads_ok(self, boot):
        self.assertEqual(boot.reads, [("chs", "ok"), ("edd", "ok")], boot.serial)
        self.assertIn("PROBE DONE", boot.serial)

    def test_baseline_boots(self):
        self.assertIsNotNone(self.baseline.state, self.baseline.serial)
        self.assert_reads_ok(self.baseline)
        self.assertNotIn("xenpvboot", self.baseline.debug)

    def test_not_on_xen_changes_nothing(self):
        boot = self.boot(self.rom)
        lines = [l for l in boot.debug.splitlines() if "xenpvboot" in l]
        self.assertEqual(len(lines), 1, boot.debug)
        self.assertIn("not on Xen", lines[0])
        self.assertEqual(boot.state, self.baseline.state)
        self.assert_reads_ok(boot)

    def test_loader_and_transitions_without_xen(self):
        boot = self.boot(self.test_rom)
        log = boot.debug
        self.assertRegex(log, r"xenpvboot: xenpvboot .*: stub at [0-9a-f]{4}:0000, "
                         r"C image at [0-9a-f]{5}000 in PMM, relocated")
        hooked = re.search(r"INT 13h hooked, previous handler (\w+):(\w+)", log)
        self.assertIsNotNone(hooked, log)
        # The vector the boot sector sees is ours; the one we chain to is the
        # one the baseline boot saw.
        self.assertEqual(tuple(int(v, 16) for v in hooked.groups()),
                         self.baseline.state[:2])
        self.assertNotEqual(boot.state[:2], self.baseline.state[:2])
        self.assertEqual(boot.state[2:], self.baseline.state[2:])
        self.assert_reads_ok(boot)
        calls = re.findall(r"INT 13h #\d+ ax=(\w+) dx=(\w+) passed on", log)
        self.assertIn(("0201", "0080"), calls)

    def test_call16_reaches_the_bios_from_c(self):
        boot = self.boot(self.test_rom)
        params = re.search(r"call16 int13 ah=08 dl=80: cf=0 ah=00 cx=(\w+) dx=(\w+)", boot.debug)
        self.assertIsNotNone(params, boot.debug)
        self.assertEqual(int(params.group(2), 16) & 0xff, self.baseline.state[2])
        # LBA 1 starts with "XPVB" and the dword 1.
        self.assertIn("call16 int13 ah=02 lba 1: cf=0 ah=00 data 42565058 00000001", boot.debug)
        self.assert_reads_ok(boot)

    def test_boot_menu_wait_ends_after_init(self):
        """SeaBIOS's boot-menu wait, right after the option ROMs' init, counts BIOS timer
        ticks (IRQ 0 -> 40:6C) in sti;hlt: an init that left interrupts, the PIC or the
        PIT dead would hang the boot there (as once seen under Xen, where its SeaBIOS always
        shows the menu). QEMU shows it only when asked: menu=on, a 1 s wait."""
        start = time.monotonic()
        boot = self.boot(self.test_rom, ["-boot", "menu=on,splash-time=1000"])
        # The wait did run (a boot takes ~0.2 s without it) and ended (else QEMU's timeout).
        self.assertGreater(time.monotonic() - start, 0.9)
        self.assertRegex(boot.debug, r"xenpvboot: xenpvboot .*relocated")
        self.assert_reads_ok(boot)

    def test_base_memory_fallback_without_pmm(self):
        boot = self.boot(self.basemem_rom)
        m = re.search(r"C image at ([0-9a-f]{8}) in base memory, relocated", boot.debug)
        self.assertIsNotNone(m, boot.debug)
        image = int(m.group(1), 16)
        basemem_kib = boot.state[3]
        # The image sits exactly at the new top of base memory, which shrank
        # by what it needs (and no more than 64 KiB for this image).
        self.assertEqual(image, basemem_kib * 1024)
        self.assertLess(basemem_kib, self.baseline.state[3])
        self.assertGreater(basemem_kib, self.baseline.state[3] - 64)
        self.assert_reads_ok(boot)

    def test_nothing_to_serve_leaves_nothing(self):
        # Loaded into base memory, then C declines to stay (as on a Xen guest
        # with no PV disk): init gives the memory back and the ROM vanishes.
        boot = self.boot(self.vanish_rom)
        self.assertRegex(boot.debug, r"C image at [0-9a-f]{8} in base memory, relocated")
        self.assertIn("nothing to serve, not staying resident", boot.debug)
        self.assertNotIn("INT 13h hooked", boot.debug)
        self.assertEqual(boot.state, self.baseline.state)
        self.assert_reads_ok(boot)


E820_LINE = re.compile(r"^E820 base=(\w{16}) len=(\w{16}) type=(\w{8}) next=(\w{8})", re.M)
FLOOR_EBX = 0x58504200         # rom/variants/floor.c: continuation values of ours


class FloorE820(unittest.TestCase):
    """The floor variant's E820 side on a real SeaBIOS (rom/variants/floor_qemu.c): its
    stub takes every E820 call, C asks SeaBIOS for the map at BCV and for each answer at
    run time through call16, and the walk of test/qemu/e820.asm sees the carved range
    reserved between two RAM parts, under continuation values of ours."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="xenpvboot-qemu-floor-")
        cls.disk = assemble_disk(cls.tmp, "e820.asm")
        rom = os.path.join(cls.tmp, "test-floor.rom")
        stamp(FLOOR_ROM, rom)
        cls.bios = cls.walk(None)
        cls.floor = cls.walk(rom)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def walk(cls, rom):
        boot = Boot(tempfile.mkdtemp(dir=cls.tmp), cls.disk, rom)
        boot.e820 = [tuple(int(v, 16) for v in m.groups()) for m in E820_LINE.finditer(boot.serial)]
        return boot

    def test_range_reserved_between_ram(self):
        self.assertIn("E820 DONE", self.floor.serial)
        m = re.search(r"floor: E820 reserves ([0-9a-f]{8})-([0-9a-f]{8}); preload failed", self.floor.debug)
        self.assertIsNotNone(m, self.floor.debug)
        base, end = int(m.group(1), 16), int(m.group(2), 16) + 1
        self.assertEqual((base, end - base), (64 << 20, 20 << 20))    # FLOOR_LOW, the 20 MiB disk
        e = self.floor.e820
        i = next(k for k, x in enumerate(e) if x[0] == base)
        self.assertEqual(e[i][1:3], (end - base, 2))
        self.assertEqual((e[i - 1][0] + e[i - 1][1], e[i - 1][2]), (base, 1))
        self.assertEqual((e[i + 1][0], e[i + 1][2]), (end, 1))
        self.assertEqual((e[i - 1][3], e[i][3]), (FLOOR_EBX + 1, FLOOR_EBX + 2))

    def test_the_rest_as_the_bios_answers(self):
        """The split entry's three parts stand where SeaBIOS's one RAM entry does in the boot
        without the ROM, start where it starts, and the last carries SeaBIOS's continuation on;
        the entries below are SeaBIOS's own. (Above, the ROM's PMM block moves the top of RAM.)"""
        e, b = self.floor.e820, self.bios.e820
        i = next(k for k, x in enumerate(e) if x[3] == FLOOR_EBX + 1)
        self.assertEqual(len(e), len(b) + 2)
        self.assertEqual(e[:i], b[:i])
        self.assertEqual((e[i][0], e[i][2]), (b[i][0], 1))
        self.assertEqual(e[i + 2][3], b[i][3])
        self.assertEqual(e[-1][3], 0)

if __name__ == "__main__":
    unittest.main()
