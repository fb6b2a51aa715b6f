"""bench-linux-pv-qdisk, bench-linux-pv-blkback: the Linux guest booted and every boot-cost figure was logged (test/bench/README.md)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from bench_checks import linux_pv_ok  # noqa: E402


def check(d):
    return linux_pv_ok(d)
