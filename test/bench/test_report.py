"""report.py on synthetic raw results (make check-quick's 'bench' suite): the GRUB rows'
arithmetic, per run then the median, and that a figure no run produced stays "not measured".
The figures here are made up for the test; docs/benchmarks.md only ever gets real ones."""
import io
import os
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

KERNEL_BYTES = 9342464
ARCHIVE_BYTES = KERNEL_BYTES + 50331648 + 4096
BIG_BYTES = 7 * KERNEL_BYTES


def dmesg(boot, banner, pv_bytes=None, floor=None):
    """An xl dmesg of the guest: power-on at 1 s, `Booting from Hard Disk` at @boot, the
    kernel's banner at @banner; the ROM's counts (PV) or the floor ROM's lines."""
    L = ["(d7) [    1.000000] HVM Loader",
         "(d7) [    2.000000] Press ESC for boot menu.",
         f"(d7) [ {boot - 3:11.6f}] xenpvboot: floor: drive 80: 26624 blocks of 512 bytes read to 04000000 in 2500 ms (0)"
         if floor else f"(d7) [ {boot - 3:11.6f}] xenpvboot: vbd 768 disconnected",
         f"(d7) [ {boot:11.6f}] Booting from Hard Disk..."]
    if pv_bytes is not None:
        L.append(f"(d7) [ {banner - 1:11.6f}] xenpvboot: drive 80: 300 reads, 0 writes, {pv_bytes} bytes over PV")
        L.append(f"(d7) [ {banner - 1:11.6f}] xenpvboot: quiesced at E820")
    if floor:
        L.append(f"(d7) [ {banner - 1:11.6f}] xenpvboot: floor: {floor[0]} reads, {floor[1]} bytes served from memory")
    L.append(f"(d7) [ {banner:11.6f}] [    0.000000] Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org)")
    return "\n".join(L) + "\n"


class GrubReport(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        report.BENCH_DIR = self.dir

    def tearDown(self):
        shutil.rmtree(self.dir)

    def scenario(self, run, name, text, verdict="PASS"):
        d = os.path.join(self.dir, "raw", f"run-{run}", name)
        os.makedirs(d)
        with open(os.path.join(d, "xl-dmesg-guest.txt"), "w") as f:
            f.write(text)
        with open(os.path.join(d, "verdict.txt"), "w") as f:
            f.write(verdict + "\n")

    def two_runs(self):
        # run 1: (a) 7 s PV, 3.5 s floor; (b) 16.4 s PV, 4.1 s floor; (c) 20 s PV, 5 s floor;
        # (a) emulated 110 s.  run 2: everything 10% slower except (a) PV.
        for run, k in ((1, 1.0), (2, 1.1)):
            self.scenario(run, "bench-grub-kernel-pv-qdisk", dmesg(10, 17, KERNEL_BYTES))
            self.scenario(run, "bench-grub-archive-pv-qdisk", dmesg(10, 10 + 16.4 * k, ARCHIVE_BYTES))
            self.scenario(run, "bench-grub-big-pv-qdisk", dmesg(10, 10 + 20 * k, BIG_BYTES))
            self.scenario(run, "bench-grub-kernel-floor-qdisk", dmesg(10, 10 + 3.5 * k, floor=(570, KERNEL_BYTES)))
            self.scenario(run, "bench-grub-archive-floor-qdisk", dmesg(10, 10 + 4.1 * k, floor=(3600, ARCHIVE_BYTES)))
            self.scenario(run, "bench-grub-big-floor-qdisk", dmesg(10, 10 + 5 * k, floor=(4000, BIG_BYTES)))
            self.scenario(run, "bench-grub-kernel-emu-qdisk", dmesg(10, 120 * k))
        return report.collect(self.dir)

    def test_boot_figures_read_the_floor_lines(self):
        runs = self.two_runs()
        b = runs[0]["scenarios"]["bench-grub-kernel-floor-qdisk"]["boot"]
        self.assertAlmostEqual(b["loader_phase"], 3.5)
        self.assertEqual((b["floor_reads"], b["floor_bytes"]), (570, KERNEL_BYTES))
        self.assertEqual(b["floor_preload_s"], 2.5)
        self.assertEqual(b["floor_preload_bytes"], 26624 * 512)
        self.assertNotIn("pv_bytes", b)

    def test_marginal_rate_per_run_then_median(self):
        runs = self.two_runs()
        per_run = report.grub_per_run(runs, report.grub_marginal("qdisk"))
        extra = ARCHIVE_BYTES - KERNEL_BYTES
        self.assertEqual(len(per_run), 2)
        self.assertAlmostEqual(per_run[0], extra / 9.4 / 1e6)
        self.assertAlmostEqual(per_run[1], extra / (16.4 * 1.1 - 7) / 1e6)
        self.assertEqual(report.grub_per_run(runs, report.grub_marginal("blkback")), [])
        floor = report.grub_per_run(runs, report.grub_marginal("qdisk", "floor"))
        self.assertAlmostEqual(floor[0], (ARCHIVE_BYTES - KERNEL_BYTES) / 0.6 / 1e6)
        self.assertAlmostEqual(floor[1], (ARCHIVE_BYTES - KERNEL_BYTES) / (0.6 * 1.1) / 1e6)

    def test_floor_ratio_and_targets(self):
        runs = self.two_runs()
        ratios = report.grub_per_run(runs, report.grub_ratio("kernel", "qdisk", "pv", "floor"))
        self.assertAlmostEqual(ratios[0], 2.0)
        self.assertAlmostEqual(ratios[1], 7 / 3.85)
        rows = {r[0]: r for r in report.grub_target_rows(runs)}
        marg = rows["marginal GRUB read rate (b) − (a) ≥ 16 MB/s (qdisk)"]
        self.assertEqual(marg[2], "no")                      # ~5 MB/s
        floor = rows["GRUB loader phase within 2x of the floor (qdisk, both payloads)"]
        self.assertEqual(floor[2], "no")                     # (b) is 4x
        self.assertIn("(a) 1.91x (1.82–2.00, n=2)", floor[1])
        # blkback ran nothing: no figure, no verdict
        self.assertEqual(rows["marginal GRUB read rate (b) − (a) ≥ 18 MB/s (blkback)"][1:], ("— (not measured)", "—"))
        self.assertEqual(rows["GRUB loader phase within 2x of the floor (blkback, both payloads)"][2], "—")

    def test_floor_target_met(self):
        self.scenario(1, "bench-grub-kernel-pv-qdisk", dmesg(10, 16, KERNEL_BYTES))
        self.scenario(1, "bench-grub-kernel-floor-qdisk", dmesg(10, 13.5, floor=(570, KERNEL_BYTES)))
        self.scenario(1, "bench-grub-archive-pv-qdisk", dmesg(10, 18, ARCHIVE_BYTES))
        self.scenario(1, "bench-grub-archive-floor-qdisk", dmesg(10, 14.1, floor=(3600, ARCHIVE_BYTES)))
        rows = {r[0]: r for r in report.grub_target_rows(report.collect(self.dir))}
        self.assertEqual(rows["GRUB loader phase within 2x of the floor (qdisk, both payloads)"][2], "yes")
        self.assertEqual(rows["marginal GRUB read rate (b) − (a) ≥ 16 MB/s (qdisk)"][2], "yes")   # 25 MB/s

    def test_emulated_big_extrapolated_from_its_rate(self):
        runs = self.two_runs()
        est = report.grub_per_run(runs, report.grub_emu_big("qdisk"))
        self.assertAlmostEqual(est[0], 110 * 7)
        self.assertAlmostEqual(est[1], (120 * 1.1 - 10) * 7)

    def test_report_written(self):
        self.two_runs()
        out = os.path.join(self.dir, "bench.md")
        sys.argv = ["report.py", self.dir, out]
        with redirect_stdout(io.StringIO()):
            report.main()
        with open(out) as f:
            text = f.read()
        self.assertIn("## GRUB's loader phase: through the ROM (PV), the floor, emulated", text)
        self.assertIn("| (a) kernel + xz initramfs | qdisk | 7.00 (7.00–7.00, n=2) |", text)
        self.assertIn("| (b) (a) + a 48 MiB archive as a second initrd | blkback | — (not measured) |", text)
        self.assertIn("| (c) kernel + one 64 MiB initramfs | qdisk |", text)


class FirstSector(unittest.TestCase):
    """BCV -> first sector: a connect at the first read, or the first call served on the
    connection init kept (no connect line at all then)."""

    def figures(self, text):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        with open(os.path.join(d, "xl-dmesg-guest.txt"), "w") as f:
            f.write(text)
        return report.boot_figures(d)

    HEAD = ["(d7) [    1.000000] HVM Loader",
            "(d7) [    2.000000] Press ESC for boot menu.",
            "(d7) [    5.000000] xenpvboot: drive 80: vbd 768, 32768 x 512 bytes",
            "(d7) [    5.500000] Booting from Hard Disk..."]

    def test_reconnect_at_first_read(self):
        b = self.figures("\n".join(self.HEAD + [
            "(d7) [    6.250000] xenpvboot: vbd 768 connected, 32768 sectors"]) + "\n")
        self.assertAlmostEqual(b["bcv_to_first_sector"], 1.25)

    def test_kept_connection(self):
        b = self.figures("\n".join(self.HEAD + [
            "(d7) [    5.600000] xenpvboot: INT 19h: the BIOS boots, connection kept for its first read",
            "(d7) [    5.750000] xenpvboot: first INT 13h call since the BCV served on init's connection"]) + "\n")
        self.assertAlmostEqual(b["bcv_to_first_sector"], 0.75)

    def test_no_first_sector_no_figure(self):
        self.assertNotIn("bcv_to_first_sector", self.figures("\n".join(self.HEAD) + "\n"))


def bench_serial(us_per_call):
    """The bench program's BENCH lines: 81h at @us_per_call {sectors: µs}, 80h at 100 ms a
    call, 100 calls each, on a 1 GHz TSC."""
    L = []
    for drive, us in (("81", us_per_call), ("80", {n: 100000 for n in report.SIZES})):
        for n in report.SIZES:
            L.append(f"BENCH drive={drive} sectors={n} calls=100 bytes={100 * n * 512} "
                     f"cycles={int(us[n] * 100 * 1000)} tsc_khz=1000000 errors=0")
    return "\n".join(L + ["BENCH DONE"]) + "\n"


class Baseline(unittest.TestCase):
    """BENCH_BASELINE_PAIR: only the runs of the baseline's sitting are set against it."""

    def test_pair_selects_the_runs(self):
        top = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, top)
        report.BENCH_DIR = top
        for where, run, us in (("this", 1, 2000), ("this", 2, 4000), ("base", 1, 8000)):
            d = os.path.join(top, where, "raw", f"run-{run}", "bench-qdisk")
            os.makedirs(d)
            with open(os.path.join(d, "serial.log"), "w") as f:
                f.write(bench_serial({n: us for n in report.SIZES}))
        runs = report.collect(os.path.join(top, "this"))
        L = []
        report.baseline_section(runs, os.path.join(top, "base"), L, ["run-2"])
        text = "\n".join(L)
        self.assertIn("against run-2 of this ROM", text)
        row = next(l for l in L if l.startswith("| qdisk, 81h PV, 127 sectors/call"))
        self.assertTrue(row.endswith("| 2.00x |"), row)     # run-2's 4000 µs a call against 8000; both runs: 3x
        L = []
        report.baseline_section(runs, os.path.join(top, "base"), L)
        self.assertIn("against run-1, run-2 of this ROM", "\n".join(L))


class FloorBounds(unittest.TestCase):
    """bench-floor-*: PV per call against the floor's, and the floor's share of dom0's rate."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        report.BENCH_DIR = self.dir

    def scenario(self, run, name, serial, raw=None):
        d = os.path.join(self.dir, "raw", f"run-{run}", name)
        os.makedirs(d)
        with open(os.path.join(d, "serial.log"), "w") as f:
            f.write(serial)
        if raw:
            with open(os.path.join(d, "raw.txt"), "w") as f:
                f.write(f"RAW what=file cache=cold dd: 67108864 bytes (67 MB, 64 MiB) copied, {raw} s, 1 GB/s\n")

    def test_pv_against_the_floor(self):
        # run 1: PV 127 sectors 4000 µs a call, the floor 2000; run 2 both 10% slower;
        # dom0 reads 64 MiB in 0.5 s (134 MB/s)
        for run, k in ((1, 1.0), (2, 1.1)):
            self.scenario(run, "bench-qdisk", bench_serial({127: 4000 * k, 8: 2500 * k, 1: 2200 * k}), raw=0.5)
            self.scenario(run, "bench-floor-qdisk", bench_serial({127: 2000 * k, 8: 1500 * k, 1: 1400 * k}))
        runs = report.collect(self.dir)
        self.assertAlmostEqual(report.per_run_ratio(runs, "qdisk", "81/127", "us_per_call",
                                                    "bench-floor-qdisk")["median"], 2.0)
        floor_mbps = 127 * 512 / 2000e-6 / 1e6
        pct = report.floor_raw_pct(runs, "qdisk")
        self.assertEqual(pct["n"], 2)
        self.assertAlmostEqual(pct["max"], 100 * floor_mbps / (67108864 / 0.5 / 1e6))
        self.assertIsNone(report.floor_raw_pct(runs, "blkback"))
        L = []
        report.bounds_section(runs, L)
        text = "\n".join(L)
        self.assertIn("| qdisk | 127 | 4200 (4000–4400, n=2) | 2100 (2000–2200, n=2) | 2100 (2000–2200, n=2) | "
                      "2.00x (2.00–2.00, n=2) |", text)
        self.assertIn("| blkback | 127 | — (not measured) | — (not measured) | — (not measured) |", text)

    def test_no_floor_run_no_ratio(self):
        self.scenario(1, "bench-qdisk", bench_serial({127: 4000, 8: 2500, 1: 2200}), raw=0.5)
        runs = report.collect(self.dir)
        self.assertIsNone(report.per_run_ratio(runs, "qdisk", "81/127", "us_per_call", "bench-floor-qdisk"))
        self.assertIsNone(report.floor_raw_pct(runs, "qdisk"))


if __name__ == "__main__":
    unittest.main()
