#!/usr/bin/env python3
"""Assemble guest disk images from parts, with no loop mounts.

  mkdisk.py probe OUT --boot PROBE.BIN --sectors N
      the probe program at LBA 0, the XPVB pattern on the LBAs pattern_lbas() names.
  mkdisk.py linux OUT --mbr MBR.BIN --part PART.IMG --part-start LBA --sectors N
      boot code + one bootable FAT partition + the XPVB pattern in the marker region
      (the MARKER_RUN sectors after the partition).

Pattern sector k: b"XPVB" + k as little-endian uint32, then (k & 0xff) filling the rest.
The probe (probe.asm), the Linux guest's init and test/xen/lib/checks.py all rely on it.
"""
import argparse
import struct

SECTOR = 512
PROBE_RUN = (32, 64)                      # probe.asm PATTERN_FIRST, PATTERN_RUN
PROBE_FAR = (1000, 4095, 20000, 32767)    # probe.asm far_lbas
MARKER_RUN = 64


def pattern_sector(lba):
    head = b"XPVB" + struct.pack("<I", lba)
    return head + bytes([lba & 0xff]) * (SECTOR - len(head))


def write_pattern(f, lbas):
    for lba in lbas:
        f.seek(lba * SECTOR)
        f.write(pattern_sector(lba))


def chs(lba, heads=255, spt=63):
    """CHS tuple bytes for a partition entry; the 1023/254/63 cap when out of reach."""
    c, rest = divmod(lba, heads * spt)
    if c > 1023:
        return bytes([254, 0xff, 0xff])
    h, s = divmod(rest, spt)
    return bytes([h, ((c >> 2) & 0xc0) | (s + 1), c & 0xff])


def partition_entry(start, count, ptype, bootable):
    return (bytes([0x80 if bootable else 0]) + chs(start) + bytes([ptype])
            + chs(start + count - 1) + struct.pack("<II", start, count))


def build_probe(a):
    boot = open(a.boot, "rb").read()
    with open(a.out, "wb") as f:
        f.truncate(a.sectors * SECTOR)
        f.write(boot)
        first, run = PROBE_RUN
        write_pattern(f, list(range(first, first + run)) +
                      [x for x in PROBE_FAR if x < a.sectors])


def build_linux(a):
    mbr = open(a.mbr, "rb").read()[:440]
    part = open(a.part, "rb").read()
    count = len(part) // SECTOR
    marker = a.part_start + count
    if marker + MARKER_RUN > a.sectors:
        raise SystemExit("disk too small for partition + marker region")
    with open(a.out, "wb") as f:
        f.truncate(a.sectors * SECTOR)
        f.write(mbr)
        f.seek(446)
        # FAT16 (LBA) partition, bootable, so mbr.bin chains to SYSLINUX.
        f.write(partition_entry(a.part_start, count, 0x0e, True))
        f.seek(510)
        f.write(b"\x55\xaa")
        f.seek(a.part_start * SECTOR)
        f.write(part)
        write_pattern(f, range(marker, marker + MARKER_RUN))
    print(marker)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="kind", required=True)
    pp = sub.add_parser("probe")
    pp.add_argument("out")
    pp.add_argument("--boot", required=True)
    pp.add_argument("--sectors", type=int, default=32768)
    pl = sub.add_parser("linux")
    pl.add_argument("out")
    pl.add_argument("--mbr", required=True)
    pl.add_argument("--part", required=True)
    pl.add_argument("--part-start", type=int, default=2048)
    pl.add_argument("--sectors", type=int, required=True)
    a = p.parse_args()
    build_probe(a) if a.kind == "probe" else build_linux(a)


if __name__ == "__main__":
    main()
