"""bench-qdisk, bench-blkback: the INT 13h read benchmark ran to the end (test/bench/README.md)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from bench_checks import bench_ok  # noqa: E402


def check(d):
    return bench_ok(d)
