#!/usr/bin/env python3
"""mkbench.py OUT --boot BENCH.BIN: the bench guest's disk.

The bench program at LBA 0; the XPVB pattern (test/guest/mkdisk.py's pattern_sector)
on every sector of the REGION_SECTORS from REGION_LBA, so the reads the program times
hit real data (not holes a backend could skip) and it can check each one.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "guest"))
from mkdisk import SECTOR, pattern_sector  # noqa: E402

REGION_LBA = 8192                # bench.asm REGION_LBA: 4 MiB in
REGION_SECTORS = 131072          # 64 MiB
DISK_SECTORS = 147456            # 72 MiB: the region plus 4 MiB either side


def write_region(f, first, count, batch=2048):
    """Writes the pattern in batches: 64 MiB sector by sector would take seconds."""
    f.seek(first * SECTOR)
    for base in range(first, first + count, batch):
        n = min(batch, first + count - base)
        f.write(b"".join(pattern_sector(lba) for lba in range(base, base + n)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--boot", required=True)
    a = p.parse_args()
    boot = open(a.boot, "rb").read()
    if len(boot) > REGION_LBA * SECTOR:
        raise SystemExit("bench program overlaps the region")
    with open(a.out, "wb") as f:
        f.truncate(DISK_SECTORS * SECTOR)
        f.write(boot)
        write_region(f, REGION_LBA, REGION_SECTORS)


if __name__ == "__main__":
    main()
