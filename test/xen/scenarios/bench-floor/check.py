"""bench-floor-qdisk, -blkback: the INT 13h read benchmark ran to the end through the floor
ROM, which served 81h's reads from the memory it preloaded at BCV (test/bench/README.md)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from bench_checks import bench_ok, floor_served  # noqa: E402


def check(d):
    return bench_ok(d) + floor_served(d, "81", handover=False)
