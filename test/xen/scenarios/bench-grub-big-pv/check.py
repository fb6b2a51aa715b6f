"""bench-grub-big-pv-qdisk, -blkback: GRUB started the Linux guest's kernel through the ROM (PV), and
the loader phase's two ends were logged; its `Linux version` in xl dmesg ends the run
(test/bench/README.md)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from bench_checks import grub_bench_ok  # noqa: E402


def check(d):
    return grub_bench_ok(d, "pv")
