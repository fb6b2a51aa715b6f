#!/usr/bin/env python3
"""mkpayload.py BYTES OUT: a newc cpio of exactly BYTES bytes (a multiple of 512) holding
/payload.bin, incompressible and the same at every build (SHAKE-256 of a fixed seed), and
/payload.md5 (`md5sum -c` input for the Linux test guest's init), then the trailer and zeros
(the kernel's initramfs unpacker skips zeros between and after archives)."""
import hashlib
import sys

SEED = b"xenpvboot bench payload"
SLACK = 4096          # headers, names, the md5 file and the trailer fit in it


def newc(name, data, ino):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join(f"{v:08x}" for v in (
        ino, 0o100644 if data is not None else 0, 0, 0, 1, 0, len(data or b""),
        0, 0, 0, 0, len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    if data:
        out += data + b"\0" * (-len(data) % 4)
    return out


def main():
    total, path = int(sys.argv[1]), sys.argv[2]
    if total % 512 or total < 2 * SLACK:
        raise SystemExit("mkpayload.py: BYTES must be a multiple of 512, at least 8 KiB")
    data = hashlib.shake_256(SEED).digest(total - SLACK)
    md5 = f"{hashlib.md5(data).hexdigest()}  payload.bin\n".encode()
    cpio = newc("payload.bin", data, 1) + newc("payload.md5", md5, 2) + newc("TRAILER!!!", None, 0)
    assert len(cpio) <= total
    with open(path, "wb") as f:
        f.write(cpio + b"\0" * (total - len(cpio)))


if __name__ == "__main__":
    main()
