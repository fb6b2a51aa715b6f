#!/usr/bin/env python3
"""Sign and validate a PCI expansion ROM image (xenpvboot).

  romsign.py [--vendor 0xVVVV] [--device 0xDDDD] [--output OUT] IN
  romsign.py --check FILE

Signing pads the image with zeros to whole 512-byte blocks, fills in the size
byte and the PCIR image length, optionally restamps the PCIR vendor/device IDs
(so a test can attach the ROM to another PCI device), fixes every $PnP header
checksum and finally makes the whole image sum to zero by writing its LAST
byte.  The result is then validated as --check would, and written only if it
passes.

The ROM must leave that last byte free.  It counts as free when padding
supplied it, when it is zero, or when the input is already a signed image
(size byte matches the length and the bytes sum to zero), so re-signing, e.g.
to restamp the IDs, keeps the size.  Otherwise the image grows by one block,
which is refused past the 255-block limit rather than clobbering ROM bytes.

Validation makes the checks a BIOS makes (SeaBIOS, PCI Firmware 3.0, PnP BIOS
1.0a) and reports every failure, naming the field, its offset and its value.
Exit status: 0 OK, 1 failed check or I/O error, 2 usage error.
"""

import argparse
import os
import sys

BLOCK = 512
MAX_BLOCKS = 255
MAX_LEN = BLOCK * MAX_BLOCKS

# Option ROM header.
SIZE_BYTE = 0x02
ENTRY = 0x03
PCIR_PTR = 0x18
PNP_PTR = 0x1A
HEADER_LEN = 0x1C

# PCI data structure ("PCIR"), offsets relative to its start.
PCIR_VENDOR = 0x04
PCIR_DEVICE = 0x06
PCIR_STRUCT_LEN = 0x0A
PCIR_REVISION = 0x0C
PCIR_CLASS = 0x0D
PCIR_IMAGE_LEN = 0x10
PCIR_CODE_TYPE = 0x14
PCIR_INDICATOR = 0x15
PCIR_MAX_RUNTIME = 0x16
PCIR_CONFIG_UTIL = 0x18
PCIR_CLP_ENTRY = 0x1A
PCIR_MIN_LEN = 0x18
PCIR3_LEN = 0x1C
PCIR_LAST_IMAGE = 0x80

# PnP expansion header ("$PnP"), offsets relative to its start.
PNP_REVISION = 0x04
PNP_LENGTH = 0x05
PNP_NEXT = 0x06
PNP_CHECKSUM = 0x09
PNP_MANUFACTURER = 0x0E
PNP_PRODUCT = 0x10
PNP_BCV = 0x16
PNP_DV = 0x18
PNP_BEV = 0x1A
PNP_MIN_LEN = 0x20


class SignError(Exception):
    """The image cannot be signed at all (as opposed to failing a check)."""


def u16(img, off):
    return int.from_bytes(img[off:off + 2], "little")


def put16(img, off, value):
    img[off:off + 2] = value.to_bytes(2, "little")


def hexoff(value):
    # Jump targets can be negative; "-0x7b" reads better than a huge number.
    return f"-0x{-value:x}" if value < 0 else f"0x{value:x}"


def show_bytes(raw):
    """A signature as text, escaping bytes that would garble the terminal."""
    text = "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x27 else f"\\x{b:02x}"
                   for b in raw)
    return f"'{text}'"


def outside(img, off):
    return f"0x{off:x}, outside the image (0x{len(img):x} bytes)"


# --------------------------------------------------------------------------
# Checks: each returns a list of error strings, empty when all is well.

def check_signature(img):
    if len(img) < 2:
        return [f"signature at 0x0: missing (file is {len(img)} bytes), "
                "expected 0x55 0xaa"]
    if img[0:2] != b"\x55\xaa":
        return [f"signature at 0x0: 0x{img[0]:02x} 0x{img[1]:02x}, "
                "expected 0x55 0xaa"]
    return []


def check_length(img):
    n = len(img)
    errors = []
    if n % BLOCK:
        errors.append(f"file length: {n} bytes, expected a multiple of {BLOCK}")
    if n > MAX_LEN:
        errors.append(f"file length: {n} bytes, expected at most {MAX_LEN} "
                      f"({MAX_BLOCKS} x {BLOCK})")
    return errors


def check_size_byte(img):
    n = len(img)
    if n <= SIZE_BYTE:
        return [f"size byte at 0x{SIZE_BYTE:x}: missing (file is {n} bytes)"]
    size = img[SIZE_BYTE]
    if size == 0:
        return [f"size byte at 0x{SIZE_BYTE:x}: 0, expected 1..{MAX_BLOCKS}"]
    if size * BLOCK != n:
        return [f"size byte at 0x{SIZE_BYTE:x}: {size} ({size * BLOCK} bytes), "
                f"file is {n} bytes"]
    return []


def jump_target(img):
    """Where the init entry jumps to, or None if it is not a jump."""
    opcode = img[ENTRY]
    if opcode == 0xE9:
        disp = int.from_bytes(img[ENTRY + 1:ENTRY + 3], "little", signed=True)
        return ENTRY + 3 + disp
    if opcode == 0xEB:
        disp = int.from_bytes(img[ENTRY + 1:ENTRY + 2], "little", signed=True)
        return ENTRY + 2 + disp
    return None


def check_entry(img):
    target = jump_target(img)
    if target is None:
        return [f"init entry at 0x{ENTRY:x}: opcode 0x{img[ENTRY]:02x}, "
                "expected a jump (0xe9 rel16 or 0xeb rel8)"]
    if not 0 <= target < len(img):
        return [f"init entry jump target at 0x{ENTRY:x}: {hexoff(target)}, "
                f"outside the image (0x{len(img):x} bytes)"]
    return []


def find_pcir(img):
    """Offset of a PCIR structure we can safely read, or None."""
    ptr = u16(img, PCIR_PTR)
    if ptr + PCIR_MIN_LEN > len(img) or img[ptr:ptr + 4] != b"PCIR":
        return None
    return ptr


def check_pcir(img):
    ptr = u16(img, PCIR_PTR)
    if ptr + PCIR_MIN_LEN > len(img):
        return [f"PCIR pointer at 0x{PCIR_PTR:x}: {outside(img, ptr)}"]
    errors = []
    if ptr % 4:
        errors.append(f"PCIR pointer at 0x{PCIR_PTR:x}: 0x{ptr:x}, "
                      "expected 4-byte (DWORD) alignment")
    if img[ptr:ptr + 4] != b"PCIR":
        # The rest would be garbage read from whatever is there.
        errors.append(f"PCIR signature at 0x{ptr:x}: "
                      f"{show_bytes(img[ptr:ptr + 4])}, expected 'PCIR'")
        return errors
    return errors + check_pcir_fields(img, ptr)


def check_pcir_fields(img, ptr):
    errors = []
    length = u16(img, ptr + PCIR_STRUCT_LEN)
    at = ptr + PCIR_STRUCT_LEN
    if length < PCIR_MIN_LEN:
        errors.append(f"PCIR structure length at 0x{at:x}: 0x{length:x}, "
                      f"expected at least 0x{PCIR_MIN_LEN:x}")
    elif ptr + length > len(img):
        errors.append(f"PCIR structure length at 0x{at:x}: 0x{length:x}, "
                      "runs past the end of the image")

    revision = img[ptr + PCIR_REVISION]
    if revision != 3:
        errors.append(f"PCIR revision at 0x{ptr + PCIR_REVISION:x}: "
                      f"{revision}, expected 3")

    image_len = u16(img, ptr + PCIR_IMAGE_LEN)
    if image_len != img[SIZE_BYTE]:
        errors.append(f"PCIR image length at 0x{ptr + PCIR_IMAGE_LEN:x}: "
                      f"{image_len}, expected {img[SIZE_BYTE]} (the size byte)")

    code_type = img[ptr + PCIR_CODE_TYPE]
    if code_type != 0:
        errors.append(f"PCIR code type at 0x{ptr + PCIR_CODE_TYPE:x}: "
                      f"{code_type}, expected 0 (x86)")

    indicator = img[ptr + PCIR_INDICATOR]
    if not indicator & PCIR_LAST_IMAGE:
        errors.append(f"PCIR indicator at 0x{ptr + PCIR_INDICATOR:x}: "
                      f"0x{indicator:02x}, expected bit 7 set (last image)")

    if revision == 3:
        errors += check_pcir3_fields(img, ptr, length, image_len)
    return errors


def check_pcir3_fields(img, ptr, length, image_len):
    errors = []
    at = ptr + PCIR_MAX_RUNTIME
    runtime = u16(img, at)
    if runtime == 0:
        errors.append(f"PCIR max runtime length at 0x{at:x}: 0, "
                      f"expected 1..{image_len}")
    elif runtime > image_len:
        errors.append(f"PCIR max runtime length at 0x{at:x}: {runtime}, "
                      f"expected at most {image_len} (the image length)")

    # These two exist only in a 3.0-sized structure.
    if length < PCIR3_LEN or ptr + PCIR3_LEN > len(img):
        return errors
    for name, field in (("config utility code header", PCIR_CONFIG_UTIL),
                        ("DMTF CLP entry point", PCIR_CLP_ENTRY)):
        value = u16(img, ptr + field)
        if value >= len(img):
            errors.append(f"PCIR {name} at 0x{ptr + field:x}: "
                          f"{outside(img, value)}")
    return errors


def pnp_chain(img):
    """Walk the $PnP headers: (offsets of readable headers, link errors).

    Only the links are judged here (bounds, alignment, signature, loops);
    check_pnp_header() judges each header's own fields."""
    headers, errors = [], []
    link = f"$PnP pointer at 0x{PNP_PTR:x}"
    ptr = u16(img, PNP_PTR)
    while ptr:
        if ptr in headers:
            errors.append(f"{link}: 0x{ptr:x}, loops back to the $PnP header "
                          f"at 0x{ptr:x}")
            break
        if ptr + PNP_MIN_LEN > len(img):
            errors.append(f"{link}: {outside(img, ptr)}")
            break
        if ptr % 16:
            errors.append(f"{link}: 0x{ptr:x}, expected 16-byte alignment")
        if img[ptr:ptr + 4] != b"$PnP":
            errors.append(f"$PnP signature at 0x{ptr:x}: "
                          f"{show_bytes(img[ptr:ptr + 4])}, expected '$PnP'")
            break
        headers.append(ptr)
        link = f"$PnP next header offset at 0x{ptr + PNP_NEXT:x}"
        ptr = u16(img, ptr + PNP_NEXT)
    return headers, errors


def pnp_span(img, off):
    """Bytes covered by the header's checksum, or None if unusable."""
    units = img[off + PNP_LENGTH]
    if units * 16 < PNP_MIN_LEN or off + units * 16 > len(img):
        return None
    return units * 16


def check_pnp_checksum(img, off):
    span = pnp_span(img, off)
    at = off + PNP_LENGTH
    units = img[at]
    if units * 16 < PNP_MIN_LEN:
        return [f"$PnP length at 0x{at:x}: {units}, expected at least 2 "
                "(32 bytes)"]
    if span is None:
        return [f"$PnP length at 0x{at:x}: {units} ({units * 16} bytes), "
                "runs past the end of the image"]
    total = sum(img[off:off + span]) & 0xFF
    if total:
        byte = img[off + PNP_CHECKSUM]
        return [f"$PnP checksum at 0x{off + PNP_CHECKSUM:x}: 0x{byte:02x}, "
                f"expected 0x{(byte - total) & 0xFF:02x} "
                f"(header at 0x{off:x} sums to 0x{total:02x})"]
    return []


def check_string(img, field_at, name):
    ptr = u16(img, field_at)
    if ptr == 0:
        return []
    if ptr >= len(img):
        return [f"{name} pointer at 0x{field_at:x}: {outside(img, ptr)}"]
    end = img.find(b"\0", ptr)
    if end < 0:
        return [f"{name} at 0x{ptr:x} (pointer at 0x{field_at:x}): "
                "not NUL-terminated before the end of the image"]
    for at in range(ptr, end):
        if not 0x20 <= img[at] < 0x7F:
            return [f"{name} at 0x{ptr:x} (pointer at 0x{field_at:x}): "
                    f"byte 0x{img[at]:02x} at 0x{at:x} is not printable ASCII"]
    return []


def check_pnp_header(img, off):
    errors = []
    revision = img[off + PNP_REVISION]
    if revision != 1:
        errors.append(f"$PnP revision at 0x{off + PNP_REVISION:x}: "
                      f"{revision}, expected 1")
    errors += check_pnp_checksum(img, off)
    errors += check_string(img, off + PNP_MANUFACTURER,
                           "$PnP manufacturer string")
    errors += check_string(img, off + PNP_PRODUCT, "$PnP product name string")
    for name, field in (("BCV", PNP_BCV), ("DV", PNP_DV), ("BEV", PNP_BEV)):
        vector = u16(img, off + field)
        if vector >= len(img):
            errors.append(f"$PnP {name} at 0x{off + field:x}: "
                          f"{outside(img, vector)}")
    return errors


def check_pnp(img):
    headers, errors = pnp_chain(img)
    for off in headers:
        errors += check_pnp_header(img, off)
    return errors


def check_image_checksum(img):
    if not img:
        return []
    total = sum(img) & 0xFF
    if total:
        last = len(img) - 1
        return [f"image checksum at 0x{last:x}: 0x{img[last]:02x}, "
                f"expected 0x{(img[last] - total) & 0xFF:02x} "
                f"(image sums to 0x{total:02x})"]
    return []


def validate(img):
    """Every failure a BIOS could trip over, as a list of messages."""
    img = bytes(img)
    errors = check_signature(img) + check_length(img) + check_size_byte(img)
    if len(img) < HEADER_LEN:
        errors.append(f"file length: {len(img)} bytes, too short for the "
                      f"0x{HEADER_LEN:x}-byte option ROM header")
        return errors
    errors += check_entry(img)
    errors += check_pcir(img)
    errors += check_pnp(img)
    errors += check_image_checksum(img)
    return errors


# --------------------------------------------------------------------------
# Signing.

def already_signed(data):
    n = len(data)
    return (n > SIZE_BYTE and n % BLOCK == 0
            and data[SIZE_BYTE] * BLOCK == n and sum(data) % 256 == 0)


def make_room(data):
    """Pad to whole blocks, leaving the last byte free for the checksum."""
    n = len(data)
    if n > MAX_LEN:
        raise SignError(f"image is {n} bytes, more than the {MAX_LEN}-byte "
                        f"({MAX_BLOCKS} x {BLOCK}) option ROM limit")
    if already_signed(data):
        return bytearray(data)
    padded = bytearray(data) + bytes(-n % BLOCK if n else BLOCK)
    if padded[-1] == 0:
        return padded
    # The input ends on a block boundary with a byte the ROM may be using.
    if len(padded) + BLOCK > MAX_LEN:
        raise SignError(
            f"image is {n} bytes and its last byte (0x{data[-1]:02x} at "
            f"0x{n - 1:x}) is in use: the checksum byte would need another "
            f"{BLOCK}-byte block, past the {MAX_LEN}-byte ({MAX_BLOCKS} x "
            f"{BLOCK}) limit; the ROM must leave its last byte free (zero)")
    return padded + bytes(BLOCK)


def fix_pnp_checksum(img, off):
    span = pnp_span(img, off)
    if span is None:
        return
    img[off + PNP_CHECKSUM] = 0
    img[off + PNP_CHECKSUM] = -sum(img[off:off + span]) & 0xFF


def fix_image_checksum(img):
    img[-1] = 0
    img[-1] = -sum(img) & 0xFF


def sign(data, vendor=None, device=None):
    """Return the signed image; structures too broken to fill in are left
    alone for validate() to report."""
    img = make_room(data)
    blocks = len(img) // BLOCK
    img[SIZE_BYTE] = blocks
    pcir = find_pcir(img)
    if pcir is not None:
        put16(img, pcir + PCIR_IMAGE_LEN, blocks)
        if vendor is not None:
            put16(img, pcir + PCIR_VENDOR, vendor)
        if device is not None:
            put16(img, pcir + PCIR_DEVICE, device)
    for off in pnp_chain(img)[0]:
        fix_pnp_checksum(img, off)
    # Last: every byte before it must be final.
    fix_image_checksum(img)
    return bytes(img)


def summary(img):
    n = len(img)
    parts = [f"{n} bytes ({n // BLOCK} x {BLOCK})"]
    pcir = find_pcir(img)
    if pcir is None:
        parts.append("no PCIR")
    else:
        vendor = u16(img, pcir + PCIR_VENDOR)
        device = u16(img, pcir + PCIR_DEVICE)
        progif, sub, base = img[pcir + PCIR_CLASS:pcir + PCIR_CLASS + 3]
        parts.append(f"{vendor:04x}:{device:04x}")
        parts.append(f"class {base:02x}{sub:02x}{progif:02x}")
    count = len(pnp_chain(img)[0])
    parts.append(f"{count} $PnP header{'' if count == 1 else 's'}")
    if n:
        parts.append(f"checksum byte 0x{img[-1]:02x} at 0x{n - 1:x}")
    return ", ".join(parts)


# --------------------------------------------------------------------------
# Command line.

def pci_id(text):
    # IDs are always written in hex, with or without 0x.
    try:
        value = int(text, 16)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a hex ID: {text!r}")
    if not 0 <= value <= 0xFFFF:
        raise argparse.ArgumentTypeError(f"not a 16-bit ID: {text!r}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="romsign",
        description="Sign (pad, size, checksum) or check a PCI option ROM.")
    parser.add_argument("--check", action="store_true",
                        help="only validate FILE, write nothing")
    parser.add_argument("--vendor", type=pci_id, help="PCI vendor ID to stamp")
    parser.add_argument("--device", type=pci_id, help="PCI device ID to stamp")
    parser.add_argument("--output", "-o", metavar="OUT",
                        help="signed image (default: IN, in place)")
    parser.add_argument("input", metavar="IN")
    args = parser.parse_args(argv)
    if args.check and (args.vendor is not None or args.device is not None
                       or args.output is not None):
        parser.error("--check takes no --vendor, --device or --output")
    return args


def report(name, errors):
    for error in errors:
        print(f"romsign: {name}: {error}", file=sys.stderr)


def write_atomically(path, data):
    # A half-written ROM must never look like a finished one to make.
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def run_check(name, img):
    errors = validate(img)
    if errors:
        report(name, errors)
        return 1
    print(f"romsign: {name}: OK: {summary(img)}")
    return 0


def run_sign(name, data, args):
    output = args.output or name
    try:
        img = sign(data, args.vendor, args.device)
    except SignError as e:
        report(name, [f"cannot sign: {e}"])
        return 1
    errors = validate(img)
    if errors:
        report(name, errors + [f"signed image fails the checks, "
                               f"{output} not written"])
        return 1
    try:
        write_atomically(output, img)
    except OSError as e:
        report(output, [f"cannot write: {e.strerror}"])
        return 1
    print(f"romsign: {output}: signed: {summary(img)}")
    return 0


def main(argv=None):
    args = parse_args(argv)
    try:
        with open(args.input, "rb") as f:
            data = f.read()
    except OSError as e:
        report(args.input, [f"cannot read: {e.strerror}"])
        return 1
    if args.check:
        return run_check(args.input, data)
    return run_sign(args.input, data, args)


if __name__ == "__main__":
    sys.exit(main())
