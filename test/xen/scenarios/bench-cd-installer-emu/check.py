"""bench-cd-installer-emu: the loader phase (SeaBIOS's `Booting from DVD/CD` -> the kernel's
`Linux version`) was logged (test/bench/README.md)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from bench_checks import cd_bench_ok  # noqa: E402


def check(d):
    return cd_bench_ok(d, pv=False)
