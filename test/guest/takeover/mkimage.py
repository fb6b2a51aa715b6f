#!/usr/bin/env python3
"""Assemble the takeover guest's disk: mkimage.py OUT --mbr MBR.BIN --prog PROG.BIN --mode MODE

  LBA 0              boot.asm's MBR, with MODE at 0x1a0 and the program's sector count at 0x1b0
  LBA 1..            the program (entry.asm + main.c + the ROM's protocol code)
  LBA 2048..2111     mkdisk.py's XPVB pattern (main.c PAT_FIRST, PAT_RUN)
  LBA 30000          one more pattern sector (PAT_FAR)
  LBA 4096..4127     left zero: handover-write's scratch range (SCRATCH_FIRST, SCRATCH_RUN)
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from mkdisk import SECTOR, write_pattern  # noqa: E402

PAT_FIRST, PAT_RUN, PAT_FAR = 2048, 64, 30000
SECTORS = 32768
MODES = ("sim", "sim-quiesced", "connect", "write", "noreset", "noreset-early")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--mbr", required=True)
    p.add_argument("--prog", required=True)
    p.add_argument("--mode", required=True, choices=MODES)
    a = p.parse_args()
    mbr = bytearray(open(a.mbr, "rb").read())
    prog = open(a.prog, "rb").read()
    nsect = (len(prog) + SECTOR - 1) // SECTOR
    if len(mbr) != SECTOR or mbr[510:] != b"\x55\xaa":
        raise SystemExit("MBR must be one signed sector")
    if 1 + nsect > PAT_FIRST:
        raise SystemExit(f"program too large: {nsect} sectors")
    mbr[0x1a0:0x1b0] = a.mode.encode().ljust(16, b"\0")
    mbr[0x1b0:0x1b2] = struct.pack("<H", nsect)
    with open(a.out, "wb") as f:
        f.truncate(SECTORS * SECTOR)
        f.write(mbr)
        f.write(prog)
        write_pattern(f, list(range(PAT_FIRST, PAT_FIRST + PAT_RUN)) + [PAT_FAR])
    print(f"{a.out}: mode {a.mode}, program {nsect} sectors")


if __name__ == "__main__":
    main()
