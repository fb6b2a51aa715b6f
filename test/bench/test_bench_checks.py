"""bench_checks.py's GRUB checks on synthetic scenario directories (suite `bench`)."""
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "xen", "lib"))
sys.path.insert(0, HERE)
import bench_checks  # noqa: E402

FLOOR_OK = """(d3) [    5.000000] xenpvboot: vbd 768 connected
(d3) [    8.000000] xenpvboot: floor: drive 80: 26624 blocks of 512 bytes read to 04000000 in 2900 ms (0)
(d3) [    8.100000] xenpvboot: vbd 768 disconnected
(d3) [    8.200000] xenpvboot: floor: E820 reserves 04000000-04dfffff; reads below it are served from memory
(d3) [    9.000000] Booting from Hard Disk...
(d3) [   12.000000] xenpvboot: floor: 571 reads, 9342464 bytes served from memory
(d3) [   13.000000] [    0.000000] Linux version 6.1.0-50-amd64
"""


class GrubChecks(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.d)

    def write(self, name, text):
        with open(os.path.join(self.d, name), "w") as f:
            f.write(text)

    def test_floor_ok(self):
        self.write("xl-dmesg-guest.txt", FLOOR_OK)
        self.assertEqual(bench_checks.floor_served(self.d), [])

    def test_floor_of_another_drive_fails(self):
        self.write("xl-dmesg-guest.txt", FLOOR_OK)
        self.assertEqual(bench_checks.floor_served(self.d, "81"),
                         ["no successful 'floor: drive 81: N blocks ... read to ... (0)' line in the ROM log"])
        self.write("xl-dmesg-guest.txt", FLOOR_OK.replace("drive 80:", "drive 81:"))
        self.assertEqual(bench_checks.floor_served(self.d, "81"), [])

    def test_floor_without_handover_needs_no_count(self):
        no_count = FLOOR_OK.replace("(d3) [   12.000000] xenpvboot: floor: 571 reads, 9342464 bytes served from memory\n", "")
        self.write("xl-dmesg-guest.txt", no_count)
        self.assertEqual(bench_checks.floor_served(self.d, handover=False), [])
        self.assertEqual(bench_checks.floor_served(self.d),
                         ["no nonzero 'floor: N reads, B bytes served from memory' line"])
        self.write("xl-dmesg-guest.txt", no_count.replace(
            "(d3) [    9.000000]", "(d3) [    8.900000] xenpvboot: vbd 768 connected\n(d3) [    9.000000]"))
        self.assertEqual(bench_checks.floor_served(self.d, handover=False),
                         ["a vbd connected after the preload: some of the loader's reads went over PV"])

    def test_floor_reconnect_after_preload_fails(self):
        self.write("xl-dmesg-guest.txt", FLOOR_OK.replace(
            "(d3) [   12.000000]", "(d3) [   11.000000] xenpvboot: vbd 768 connected\n(d3) [   12.000000]"))
        self.assertIn("a vbd connected after the preload: some of the loader's reads went over PV",
                      bench_checks.floor_served(self.d))

    def test_floor_failed_preload_fails(self):
        self.write("xl-dmesg-guest.txt", FLOOR_OK.replace("ms (0)", "ms (-5)").replace(
            "reads below it are served from memory", "preload failed, reads go over PV"))
        self.assertEqual(len(bench_checks.floor_served(self.d)), 2)

    def test_grub_bench_ends_at_the_banner(self):
        self.write("xl-dmesg-guest.txt", FLOOR_OK)
        self.write("end", "marker\n")
        self.assertEqual(bench_checks.grub_bench_ok(self.d, "floor"), [])
        self.write("xl-dmesg-guest.txt", FLOOR_OK.replace("Linux version", "Linux"))
        self.assertEqual(bench_checks.grub_bench_ok(self.d, "floor"),
                         ["no timestamped 'Linux version' line in the guest's xl dmesg"])

if __name__ == "__main__":
    unittest.main()
