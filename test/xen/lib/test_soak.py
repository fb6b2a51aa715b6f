"""Host tests of soak.py (make soak's report) over made-up boot directories."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import soak  # noqa: E402

HVMLOADER = "(d3) [  100.000000] HVM Loader"
BOOTING = "(d3) [  103.500000] Booting from Hard Disk..."
E820_EARLY = "(d3) [  102.000000] xenpvboot: quiesced at E820"
E820_LAST = "(d3) [  110.250000] xenpvboot: quiesced at E820"
SCAN = "(d3) [  100.500000] Scan for option roms"
ESC = "(d3) [  101.000000] Press ESC for boot menu."
HALT = "(d3) [  103.250000] Searching bootorder for: HALT"


def boot(root, name, run, k, dmesg, end="marker", verdict="PASS", times=(50.0, 70.5)):
    d = os.path.join(root, f"dom0-{run}", "run", name, f"boot-{k:03d}")
    os.makedirs(d)
    files = {"xl-dmesg-guest.txt": "\n".join(dmesg) + "\n", "end": end + "\n",
             "verdict.txt": verdict + "\n",
             "boot-times": f"create {times[0]}\n" + (f"marker {times[1]}\n" if end == "marker" else "")}
    for fname, text in files.items():
        with open(os.path.join(d, fname), "w") as f:
            f.write(text)
    return d


class Figures(unittest.TestCase):
    def test_linux_boot(self):
        with tempfile.TemporaryDirectory() as t:
            d = boot(t, "soak-linux-qdisk", 1, 1, [HVMLOADER, E820_EARLY, SCAN, ESC, "(d3) [  101.1] ", HALT, BOOTING, E820_LAST])
            f = soak.boot_figures(d)
            self.assertAlmostEqual(f["post"], 3.5)
            self.assertAlmostEqual(f["kernel"], 10.25)
            self.assertAlmostEqual(f["scan"], 0.5)
            self.assertAlmostEqual(f["menu"], 2.25)
            self.assertAlmostEqual(f["marker"], 20.5)

    def test_hang_has_no_marker_figure(self):
        with tempfile.TemporaryDirectory() as t:
            d = boot(t, "soak-takeover-qdisk", 1, 1, [HVMLOADER, ESC], end="timeout",
                     verdict="FAIL: guest run ended by timeout")
            self.assertEqual(soak.boot_figures(d), {})       # no line after Press ESC: no menu figure
            self.assertEqual(soak.last_guest_line(d), "Press ESC for boot menu.")


class RomLines(unittest.TestCase):
    def test_norom_refuses_any_rom_line(self):
        with tempfile.TemporaryDirectory() as t:
            clean = boot(t, "soak-norom-qdisk", 1, 1, [HVMLOADER, BOOTING])
            dirty = boot(t, "soak-norom-qdisk", 1, 2, [HVMLOADER, "(d3) [  102.0] xenpvboot: Xen 4.17"])
            self.assertEqual(soak.no_rom_ran(clean), [])
            self.assertNotEqual(soak.no_rom_ran(dirty), [])

    def test_stepaside_wants_its_line_and_nothing_more(self):
        line = "(d3) [  102.0] xenpvboot: step-aside build; leaving INT 13h, 40:13 and 40:75 untouched"
        with tempfile.TemporaryDirectory() as t:
            ok = boot(t, "soak-stepaside-qdisk", 1, 1, [HVMLOADER, line, BOOTING])
            missing = boot(t, "soak-stepaside-qdisk", 1, 2, [HVMLOADER, BOOTING])
            more = boot(t, "soak-stepaside-qdisk", 1, 3, [HVMLOADER, line, "(d3) [  102.1] xenpvboot: vbd 768"])
            self.assertEqual(soak.rom_stepped_aside_at_init(ok), [])
            self.assertNotEqual(soak.rom_stepped_aside_at_init(missing), [])
            self.assertNotEqual(soak.rom_stepped_aside_at_init(more), [])


class Report(unittest.TestCase):
    def test_counts_hangs_as_failed_boots(self):
        with tempfile.TemporaryDirectory() as t:
            raw = os.path.join(t, "raw")
            for k in (1, 2):
                boot(raw, "soak-takeover-qdisk", 1, k, [HVMLOADER, ESC, BOOTING], times=(0, 20 + k))
            boot(raw, "soak-takeover-qdisk", 2, 1, [HVMLOADER, ESC], end="timeout",
                 verdict="FAIL: guest run ended by timeout")
            boot(raw, "soak-norom-qdisk", 1, 1, [HVMLOADER, BOOTING], verdict="FAIL: no PROBE DONE",
                 times=(0, 30))
            out = os.path.join(t, "report.md")
            total, bad = soak.report(raw, out, ["soak-takeover-qdisk", "soak-norom-qdisk"])
            with open(out) as f:
                text = f.read()
            self.assertEqual((total, bad), (4, 2))
            self.assertIn("| soak-takeover-qdisk | 2 | 3 | 1 | 1 | - | 2.5 / 2.5 / 2.5 | 3.5 / 3.5 / 3.5 | - | 21.0 / 21.5 / 22.0 |", text)
            self.assertIn("| soak-norom-qdisk | 1 | 1 | 0 | 1 |", text)
            self.assertIn("stopped after `Press ESC for boot menu.`", text)
            self.assertIn("no PROBE DONE", text)
            self.assertTrue(text.rstrip().endswith("2 passed, 2 failed"))
            self.assertEqual(soak.sets_present(raw), ["soak-takeover-qdisk", "soak-norom-qdisk"])

    def test_unjudged_boot_is_a_failure(self):
        with tempfile.TemporaryDirectory() as t:
            d = boot(t, "soak-linux-qdisk", 1, 1, [HVMLOADER])
            os.remove(os.path.join(d, "verdict.txt"))
            total, bad = soak.report(t, os.path.join(t, "r.md"), ["soak-linux-qdisk"])
            self.assertEqual((total, bad), (1, 1))


if __name__ == "__main__":
    unittest.main()
