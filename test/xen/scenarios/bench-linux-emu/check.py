"""bench-linux-emu-qdisk, bench-linux-emu-blkback: the Linux guest booted and every boot-cost figure was logged (test/bench/README.md)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from bench_checks import linux_emu_ok  # noqa: E402


def check(d):
    return linux_emu_ok(d)
