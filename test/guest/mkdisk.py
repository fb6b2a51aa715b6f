#!/usr/bin/env python3
"""Assemble guest disk images from parts, with no loop mounts.

  mkdisk.py probe OUT --boot PROBE.BIN --sectors N
      the probe program at LBA 0, the XPVB pattern on the LBAs pattern_lbas() names.
  mkdisk.py linux OUT --mbr MBR.BIN --part PART.IMG --part-start LBA --sectors N
      boot code + one bootable FAT partition + the XPVB pattern in the marker region
      (the MARKER_RUN sectors after the partition).
      --core CORE.IMG puts a boot loader's core image at LBA 1 (before the partition);
      --ptype sets the partition type (default 0x0e, FAT16 LBA; 0x83 for Linux).

  mkdisk.py grub-check BOOT.IMG CORE.IMG
      checks that GRUB's boot.img and grub-mkimage's core.img need no patching at LBA 1:
      boot.img's kernel sector (offset 0x5c, grub-core/boot/i386/pc/boot.S) is 1 and its boot
      drive (0x64) 0xff, "the drive the BIOS passed in DL"; core.img's first sector
      (diskboot.S) ends in the blocklist {start 2, the rest of core.img's sectors, segment
      0x820}, which grub-mkimage fills in for a core image read from the sectors after it.

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
    core = open(a.core, "rb").read() if a.core else b""
    if SECTOR + len(core) > a.part_start * SECTOR:
        raise SystemExit("core image does not fit before the partition")
    with open(a.out, "wb") as f:
        f.truncate(a.sectors * SECTOR)
        f.write(mbr)
        f.seek(446)
        # bootable, so mbr.bin chains to SYSLINUX (GRUB's boot.img ignores the flag)
        f.write(partition_entry(a.part_start, count, a.ptype, True))
        f.seek(SECTOR)
        f.write(core)
        f.seek(510)
        f.write(b"\x55\xaa")
        f.seek(a.part_start * SECTOR)
        f.write(part)
        write_pattern(f, range(marker, marker + MARKER_RUN))
    print(marker)


def grub_check(a):
    boot, core = open(a.boot_img, "rb").read(), open(a.core_img, "rb").read()
    bad = []
    if struct.unpack_from("<Q", boot, 0x5c)[0] != 1:
        bad.append("boot.img: kernel sector is not 1")
    if boot[0x64] != 0xff:
        bad.append("boot.img: boot drive is not 0xff (use DL)")
    start, count, seg = struct.unpack_from("<QHH", core, SECTOR - 12)
    if (start, count, seg) != (2, -(-len(core) // SECTOR) - 1, 0x820):
        bad.append(f"core.img: blocklist is {start}/{count}/{seg:#x}")
    if bad:
        raise SystemExit("mkdisk.py grub-check: " + "; ".join(bad))


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
    pl.add_argument("--core")
    pl.add_argument("--ptype", type=lambda v: int(v, 0), default=0x0e)
    pg = sub.add_parser("grub-check")
    pg.add_argument("boot_img")
    pg.add_argument("core_img")
    a = p.parse_args()
    {"probe": build_probe, "linux": build_linux, "grub-check": grub_check}[a.kind](a)


if __name__ == "__main__":
    main()
