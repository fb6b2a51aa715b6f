"""Tests for tools/romsign.py.

Run with:  python3 -m unittest discover -s test/romsign -v   (or pytest)

Good images are built here byte by byte and sealed by this file's own
checksum code, so the tool is checked against an independent reading of the
format rather than against itself.  Bad images are a sealed good image with
one field broken and the checksums redone, so each has exactly the fault
under test.
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROMSIGN = ROOT / "tools" / "romsign.py"
REAL_ROM = ROOT / "build" / "xenpvboot.rom"


def load_romsign():
    spec = importlib.util.spec_from_file_location("romsign", ROMSIGN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


romsign = load_romsign()

# Layout of the synthetic ROM.
PCIR = 0x20
PNP1 = 0x40
PNP2 = 0x60
ENTRY_CODE = 0xA0
BCV = 0xA1
BEV = 0xA2
MANUFACTURER = 0xB0
PRODUCT = 0xB8
CONTENT_END = 0xC8
SPARE = 0x100          # a padding byte tests may spend to balance the sum

XEN_VENDOR, XEN_DEVICE = 0x5853, 0x0001


def put16(img, off, value):
    img[off:off + 2] = value.to_bytes(2, "little")


def get16(img, off):
    return int.from_bytes(img[off:off + 2], "little")


def pnp_header(next_off, bcv=0, bev=0):
    h = bytearray(0x20)
    h[0:4] = b"$PnP"
    h[4] = 1                          # revision
    h[5] = 2                          # length in 16-byte units
    put16(h, 6, next_off)
    put16(h, 0x0A, 0x0001)            # device id (low word; content unchecked)
    put16(h, 0x0E, MANUFACTURER)
    put16(h, 0x10, PRODUCT)
    h[0x12:0x15] = bytes([0x01, 0x80, 0x00])   # device type: mass storage
    h[0x15] = 0x04                    # indicators
    put16(h, 0x16, bcv)
    put16(h, 0x1A, bev)
    return h


def pcir_struct():
    p = bytearray(0x1C)
    p[0:4] = b"PCIR"
    put16(p, 4, XEN_VENDOR)
    put16(p, 6, XEN_DEVICE)
    put16(p, 0x0A, 0x1C)              # structure length (PCI 3.0)
    p[0x0C] = 3                       # revision
    p[0x0D:0x10] = bytes([0x00, 0x80, 0xFF])   # class ff8000, like the device
    p[0x14] = 0                       # x86
    p[0x15] = 0x80                    # last image
    put16(p, 0x16, 1)                 # max runtime length
    return p


def build_rom(length=1024, pcir=PCIR, pnp=(PNP1, PNP2), filler=0):
    """An unsigned option ROM: sizes and checksums left zero."""
    img = bytearray(max(length, CONTENT_END))
    img[CONTENT_END:] = bytes([filler]) * (len(img) - CONTENT_END)
    img[0:2] = b"\x55\xaa"
    img[3] = 0xE9                     # jmp near ENTRY_CODE
    put16(img, 4, ENTRY_CODE - 6)
    put16(img, 0x18, pcir)
    put16(img, 0x1A, pnp[0] if pnp else 0)
    img[pcir:pcir + 0x1C] = pcir_struct()
    for i, off in enumerate(pnp):
        last = i == len(pnp) - 1
        img[off:off + 0x20] = pnp_header(
            0 if last else pnp[i + 1],
            bcv=BCV if i == 0 else 0, bev=BEV if i == 1 else 0)
    img[ENTRY_CODE:ENTRY_CODE + 3] = b"\xcb\xcb\xcb"    # retf x3
    img[MANUFACTURER:MANUFACTURER + 4] = b"Xen\0"
    img[PRODUCT:PRODUCT + 10] = b"xenpvboot\0"
    return img[:length] if length >= CONTENT_END else img


def fix_pnp_sum(img, off):
    span = img[off + 5] * 16
    img[off + 9] = 0
    img[off + 9] = -sum(img[off:off + span]) & 0xFF


def fix_image_sum(img):
    img[-1] = 0
    img[-1] = -sum(img) & 0xFF


def seal(img, pcir=PCIR, pnp=(PNP1, PNP2)):
    """Sign independently of the tool: what a correct signer must produce."""
    img = bytearray(img)
    blocks = len(img) // 512
    img[2] = blocks
    put16(img, pcir + 0x10, blocks)
    for off in pnp:
        fix_pnp_sum(img, off)
    fix_image_sum(img)
    return img


def resum(img, pnp=(PNP1, PNP2)):
    """Redo checksums after breaking a field, so only that field is wrong."""
    for off in pnp:
        fix_pnp_sum(img, off)
    fix_image_sum(img)
    return img


def good_rom():
    return seal(build_rom())


class ToolRunner(unittest.TestCase):
    """Runs the real script in a scratch directory."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, data, name="in.rom"):
        path = self.tmp / name
        path.write_bytes(bytes(data))
        return path

    def run_tool(self, *args):
        return subprocess.run([sys.executable, str(ROMSIGN), *map(str, args)],
                              capture_output=True, text=True, timeout=60)

    def check(self, img):
        return self.run_tool("--check", self.write(img))

    def assert_fails(self, img, *fragments, count=None):
        r = self.check(img)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        for fragment in fragments:
            self.assertIn(fragment, r.stderr)
        if count is not None:
            self.assertEqual(len(r.stderr.splitlines()), count, r.stderr)
        self.assertEqual(r.stdout, "")
        return r


class GoodImages(ToolRunner):

    def test_sealed_image_passes_check(self):
        r = self.check(good_rom())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("OK", r.stdout)
        self.assertIn("1024 bytes", r.stdout)
        self.assertIn("5853:0001", r.stdout)
        self.assertIn("class ff8000", r.stdout)
        self.assertIn("2 $PnP headers", r.stdout)
        self.assertEqual(len(r.stdout.splitlines()), 1)

    def test_import_sign_matches_independent_seal(self):
        signed = romsign.sign(bytes(build_rom()))
        self.assertEqual(signed, bytes(good_rom()))
        self.assertEqual(romsign.validate(signed), [])

    def test_subprocess_sign_then_check(self):
        src = self.write(build_rom())
        out = self.tmp / "out.rom"
        r = self.run_tool("--output", out, src)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("signed", r.stdout)
        self.assertIn("checksum byte", r.stdout)
        self.assertEqual(len(r.stdout.splitlines()), 1)
        self.assertEqual(out.read_bytes(), bytes(good_rom()))
        self.assertEqual(self.run_tool("--check", out).returncode, 0)

    def test_sign_in_place_by_default(self):
        src = self.write(build_rom(length=300))
        r = self.run_tool(src)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(src.read_bytes()), 512)
        self.assertEqual(self.run_tool("--check", src).returncode, 0)

    def test_one_pnp_header(self):
        img = seal(build_rom(pnp=(PNP1,)), pnp=(PNP1,))
        self.assertEqual(romsign.validate(img), [])
        self.assertIn("1 $PnP header,", romsign.summary(bytes(img)))

    def test_no_pnp_header(self):
        img = seal(build_rom(pnp=()), pnp=())
        self.assertEqual(romsign.validate(img), [])
        self.assertIn("0 $PnP headers", romsign.summary(bytes(img)))

    def test_short_jump_entry(self):
        img = good_rom()
        img[3:6] = b"\xeb\x7f\xcb"       # jmp short 0x84
        self.assertEqual(romsign.validate(resum(img)), [])

    def test_resigning_is_idempotent(self):
        signed = romsign.sign(bytes(build_rom()))
        self.assertNotEqual(signed[-1], 0)     # else the test proves little
        self.assertEqual(romsign.sign(signed), signed)


class Padding(ToolRunner):

    def test_700_bytes_become_1024(self):
        raw = build_rom(length=700, filler=0x90)
        self.assertEqual(raw[-1], 0x90)
        out = self.tmp / "out.rom"
        r = self.run_tool("-o", out, self.write(raw))
        self.assertEqual(r.returncode, 0, r.stderr)
        signed = out.read_bytes()
        self.assertEqual(len(signed), 1024)
        self.assertEqual(signed[:700], bytes(seal(raw + bytes(324)))[:700])
        self.assertEqual(signed[2], 2)
        self.assertEqual(sum(signed) % 256, 0)

    def test_used_last_byte_grows_image_by_a_block(self):
        raw = build_rom(length=1024)
        raw[-1] = 0x5A
        signed = romsign.sign(bytes(raw))
        self.assertEqual(len(signed), 1536)
        self.assertEqual(signed[1023], 0x5A)
        self.assertEqual(romsign.validate(signed), [])

    def test_zero_last_byte_is_used_for_the_checksum(self):
        self.assertEqual(len(romsign.sign(bytes(build_rom(length=1024)))), 1024)

    def test_full_image_with_used_last_byte_is_refused(self):
        raw = build_rom(length=255 * 512)
        raw[-1] = 0xFF
        src = self.write(raw)
        out = self.tmp / "out.rom"
        r = self.run_tool("-o", out, src)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("cannot sign", r.stderr)
        self.assertIn("last byte (0xff at 0x1fdff) is in use", r.stderr)
        self.assertIn("130560-byte (255 x 512) limit", r.stderr)
        self.assertFalse(out.exists())
        self.assertEqual(src.read_bytes(), bytes(raw))

    def test_full_image_with_free_last_byte_is_signed(self):
        signed = romsign.sign(bytes(build_rom(length=255 * 512)))
        self.assertEqual(len(signed), 255 * 512)
        self.assertEqual(signed[2], 255)
        self.assertEqual(romsign.validate(signed), [])

    def test_oversized_input_is_refused(self):
        with self.assertRaisesRegex(romsign.SignError, "130560"):
            romsign.sign(bytes(build_rom(length=255 * 512 + 1)))


class Stamping(ToolRunner):

    def test_vendor_and_device_change_only_those_fields(self):
        src = self.write(build_rom())
        plain, stamped = self.tmp / "plain.rom", self.tmp / "stamped.rom"
        self.assertEqual(self.run_tool("-o", plain, src).returncode, 0)
        r = self.run_tool("--vendor", "0x1af4", "--device", "0x1000",
                          "-o", stamped, src)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1af4:1000", r.stdout)
        a, b = plain.read_bytes(), stamped.read_bytes()
        self.assertEqual(len(a), len(b))
        changed = {i for i in range(len(a)) if a[i] != b[i]}
        allowed = set(range(PCIR + 4, PCIR + 8)) | {len(a) - 1}
        self.assertTrue(changed <= allowed, sorted(hex(i) for i in changed))
        self.assertEqual(get16(b, PCIR + 4), 0x1AF4)
        self.assertEqual(get16(b, PCIR + 6), 0x1000)
        self.assertEqual(sum(b) % 256, 0)

    def test_vendor_alone(self):
        signed = romsign.sign(bytes(good_rom()), vendor=0x8086)
        self.assertEqual(get16(signed, PCIR + 4), 0x8086)
        self.assertEqual(get16(signed, PCIR + 6), XEN_DEVICE)
        self.assertEqual(len(signed), 1024)
        self.assertEqual(sum(signed) % 256, 0)


class Usage(ToolRunner):

    def assert_usage_error(self, *args):
        r = self.run_tool(*args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("usage", r.stderr)

    def test_no_arguments(self):
        self.assert_usage_error()

    def test_check_takes_no_stamping(self):
        self.assert_usage_error("--check", "--vendor", "1af4",
                                self.write(good_rom()))

    def test_bad_ids(self):
        src = self.write(good_rom())
        self.assert_usage_error("--vendor", "0x12345", src)
        self.assert_usage_error("--device", "zz", src)

    def test_missing_file(self):
        r = self.run_tool("--check", self.tmp / "nope.rom")
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot read", r.stderr)


class HeaderFaults(ToolRunner):

    def test_bad_signature(self):
        img = good_rom()
        img[1] = 0xAB
        self.assert_fails(resum(img), "signature at 0x0: 0x55 0xab, "
                          "expected 0x55 0xaa", count=1)

    def test_size_byte_zero(self):
        img = good_rom()
        img[2] = 0
        self.assert_fails(resum(img), "size byte at 0x2: 0, expected 1..255")

    def test_size_byte_mismatch(self):
        img = good_rom()
        img[2] = 3
        self.assert_fails(resum(img), "size byte at 0x2: 3 (1536 bytes), "
                          "file is 1024 bytes")

    def test_length_not_multiple_of_512(self):
        img = good_rom() + bytes(100)
        self.assert_fails(resum(img), "file length: 1124 bytes, expected a "
                          "multiple of 512")

    def test_jump_target_outside(self):
        img = good_rom()
        put16(img, 4, 0x7000)
        self.assert_fails(resum(img), "init entry jump target at 0x3: 0x7006, "
                          "outside the image", count=1)

    def test_short_jump_backwards_outside(self):
        img = good_rom()
        img[3:5] = b"\xeb\x80"
        self.assert_fails(resum(img), "init entry jump target at 0x3: -0x7b")

    def test_no_jump_opcode(self):
        img = good_rom()
        img[3] = 0x90
        self.assert_fails(resum(img), "init entry at 0x3: opcode 0x90, "
                          "expected a jump", count=1)

    def test_all_failures_are_reported(self):
        img = good_rom()
        img[3] = 0x90
        img[PCIR + 0x0C] = 2
        img[PCIR + 0x14] = 1
        r = self.assert_fails(resum(img), "opcode 0x90", "PCIR revision",
                              "PCIR code type", count=3)
        self.assertTrue(all(line.startswith("romsign: ")
                            for line in r.stderr.splitlines()))

    def test_bad_image_checksum(self):
        img = good_rom()
        img[-1] = (img[-1] + 1) & 0xFF
        self.assert_fails(img, "image checksum at 0x3ff: ",
                          "(image sums to 0x01)", count=1)

    def test_too_short(self):
        self.assert_fails(b"\x55\xaa\x01", "too short")


class PcirFaults(ToolRunner):

    def test_pointer_outside(self):
        img = good_rom()
        put16(img, 0x18, 0x2000)
        self.assert_fails(resum(img), "PCIR pointer at 0x18: 0x2000, outside "
                          "the image", count=1)

    def test_misaligned(self):
        img = seal(build_rom(pcir=0x22), pcir=0x22)
        self.assert_fails(img, "PCIR pointer at 0x18: 0x22, expected 4-byte",
                          count=1)

    def test_bad_signature(self):
        img = good_rom()
        img[PCIR + 3] = ord("X")
        self.assert_fails(resum(img), "PCIR signature at 0x20: 'PCIX', "
                          "expected 'PCIR'", count=1)

    def test_structure_too_short(self):
        img = good_rom()
        put16(img, PCIR + 0x0A, 0x10)
        self.assert_fails(resum(img), "PCIR structure length at 0x2a: 0x10, "
                          "expected at least 0x18", count=1)

    def test_revision(self):
        img = good_rom()
        img[PCIR + 0x0C] = 2
        self.assert_fails(resum(img), "PCIR revision at 0x2c: 2, expected 3",
                          count=1)

    def test_image_length_mismatch(self):
        img = good_rom()
        put16(img, PCIR + 0x10, 5)
        self.assert_fails(resum(img), "PCIR image length at 0x30: 5, "
                          "expected 2 (the size byte)", count=1)

    def test_code_type(self):
        img = good_rom()
        img[PCIR + 0x14] = 1
        self.assert_fails(resum(img), "PCIR code type at 0x34: 1, expected 0",
                          count=1)

    def test_last_image_bit(self):
        img = good_rom()
        img[PCIR + 0x15] = 0
        self.assert_fails(resum(img), "PCIR indicator at 0x35: 0x00, "
                          "expected bit 7 set", count=1)

    def test_max_runtime_beyond_image(self):
        img = good_rom()
        put16(img, PCIR + 0x16, 9)
        self.assert_fails(resum(img), "PCIR max runtime length at 0x36: 9, "
                          "expected at most 2", count=1)

    def test_max_runtime_zero(self):
        img = good_rom()
        put16(img, PCIR + 0x16, 0)
        self.assert_fails(resum(img), "PCIR max runtime length at 0x36: 0",
                          count=1)

    def test_config_utility_outside(self):
        img = good_rom()
        put16(img, PCIR + 0x18, 0x5000)
        self.assert_fails(resum(img), "PCIR config utility code header at "
                          "0x38: 0x5000, outside the image", count=1)

    def test_clp_entry_outside(self):
        img = good_rom()
        put16(img, PCIR + 0x1A, 0x400)
        self.assert_fails(resum(img), "PCIR DMTF CLP entry point at 0x3a: "
                          "0x400, outside the image", count=1)


class PnpFaults(ToolRunner):

    def test_bad_signature(self):
        img = good_rom()
        img[PNP1:PNP1 + 4] = b"$PnQ"
        self.assert_fails(resum(img), "$PnP signature at 0x40: '$PnQ', "
                          "expected '$PnP'", count=1)

    def test_bad_signature_in_second_header(self):
        img = good_rom()
        img[PNP2] = 0
        self.assert_fails(resum(img), "$PnP signature at 0x60: '\\x00PnP'",
                          count=1)

    def test_bad_checksum(self):
        img = good_rom()
        img[PNP1 + 0x15] ^= 0x01          # device indicators
        self.assert_fails(resum(img, pnp=()), "$PnP checksum at 0x49: ",
                          "(header at 0x40 sums to 0x01)", count=1)

    def test_revision(self):
        img = good_rom()
        img[PNP2 + 4] = 2
        self.assert_fails(resum(img), "$PnP revision at 0x64: 2, expected 1",
                          count=1)

    def test_length_too_small(self):
        img = good_rom()
        img[PNP1 + 5] = 1
        self.assert_fails(resum(img, pnp=(PNP2,)), "$PnP length at 0x45: 1, "
                          "expected at least 2", count=1)

    def test_misaligned(self):
        img = seal(build_rom(pnp=(0x48,)), pnp=(0x48,))
        self.assert_fails(img, "$PnP pointer at 0x1a: 0x48, expected 16-byte "
                          "alignment", count=1)

    def test_pointer_outside(self):
        img = good_rom()
        put16(img, 0x1A, 0x3F0)        # header would run past the end
        self.assert_fails(resum(img), "$PnP pointer at 0x1a: 0x3f0, outside "
                          "the image", count=1)

    def test_next_outside(self):
        img = good_rom()
        put16(img, PNP2 + 6, 0x8000)
        self.assert_fails(resum(img), "$PnP next header offset at 0x66: "
                          "0x8000, outside the image", count=1)

    def test_manufacturer_string_outside(self):
        img = good_rom()
        put16(img, PNP1 + 0x0E, 0x7000)
        self.assert_fails(resum(img), "$PnP manufacturer string pointer at "
                          "0x4e: 0x7000, outside the image", count=1)

    def test_product_string_unterminated(self):
        img = good_rom()
        end = len(img)
        put16(img, PNP2 + 0x10, end - 3)
        img[end - 3:end - 1] = b"AB"
        resum(img)
        # Make the checksum byte itself printable so nothing ends the string.
        img[-1] = ord("C")
        img[SPARE] = (img[SPARE] - sum(img)) & 0xFF
        self.assertEqual(sum(img) % 256, 0)
        self.assert_fails(img, "$PnP product name string at 0x3fd (pointer "
                          "at 0x70): not NUL-terminated", count=1)

    def test_product_string_not_printable(self):
        img = good_rom()
        img[PRODUCT + 3] = 0x07
        # Both headers point at the same string.
        self.assert_fails(resum(img), "$PnP product name string at 0xb8 "
                          "(pointer at 0x50): byte 0x07 at 0xbb is not "
                          "printable", count=2)

    def test_bcv_outside(self):
        img = good_rom()
        put16(img, PNP1 + 0x16, 0x7000)
        self.assert_fails(resum(img), "$PnP BCV at 0x56: 0x7000, outside the "
                          "image", count=1)

    def test_bev_outside(self):
        img = good_rom()
        put16(img, PNP2 + 0x1A, 0x400)
        self.assert_fails(resum(img), "$PnP BEV at 0x7a: 0x400, outside the "
                          "image", count=1)

    def test_dv_outside(self):
        img = good_rom()
        put16(img, PNP2 + 0x18, 0xFFFF)
        self.assert_fails(resum(img), "$PnP DV at 0x78: 0xffff, outside the "
                          "image", count=1)

    def test_loop(self):
        img = good_rom()
        put16(img, PNP2 + 6, PNP1)
        self.assert_fails(resum(img), "$PnP next header offset at 0x66: 0x40, "
                          "loops back", count=1)

    def test_self_loop(self):
        img = good_rom()
        put16(img, PNP1 + 6, PNP1)
        self.assert_fails(resum(img), "$PnP next header offset at 0x46: 0x40, "
                          "loops back", count=1)

    def test_signing_fixes_pnp_checksums_and_rejects_broken_chain(self):
        img = good_rom()
        img[PNP1 + 9] ^= 0xFF
        resum(img, pnp=())                # still looks signed: keeps its size
        self.assertEqual(romsign.sign(bytes(img)), bytes(good_rom()))
        put16(img, PNP2 + 6, PNP2)
        src = self.write(img)
        r = self.run_tool(src)
        self.assertEqual(r.returncode, 1)
        self.assertIn("loops back", r.stderr)
        self.assertIn("not written", r.stderr)
        self.assertEqual(src.read_bytes(), bytes(img))


@unittest.skipUnless(REAL_ROM.exists(), f"{REAL_ROM} not built")
class RealRom(ToolRunner):

    def test_built_rom_passes_check(self):
        r = self.run_tool("--check", REAL_ROM)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
