"""Host tests of scenarios/hooks/bootmenu.py, the bootmenu scenarios' hook, against a log
file written here and a fake QMP socket: which keys it presses, when, and what it says when
SeaBIOS never prompts or lists no entry for the disk."""
import os
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)                        # vgatext, as /payload holds it in dom0
sys.path.insert(0, os.path.join(HERE, "..", "scenarios", "hooks"))
import bootmenu  # noqa: E402

SEABIOS = """\
(d3) [ 20.001] xenpvboot: boot entry 1: Xen PV disk xvde 16 MiB (qdisk)
(d2) [ 20.002] Press ESC for boot menu.
(d3) [ 20.100] Press ESC for boot menu.
(d3) [ 20.101]
(d3) [ 21.200] Select boot device:
(d3) [ 21.201]
(d3) [ 21.500] 1. ata0-0: QEMU HARDDISK ATA-7 Hard-Disk (16 MiBytes)
(d3) [ 21.600] 2. Xen PV disk hda 16 MiB (qdisk)
(d3) [ 21.700] 3. Xen PV disk xvde 16 MiB (qdisk)
(d3) [ 22.000]
(d3) [ 22.010] Searching bootorder for: HALT
"""


class FakeQMP:
    def __init__(self):
        self.keys = []

    def __call__(self, path):
        self.path = path
        return None, self.ask

    def ask(self, cmd, **args):
        assert cmd == "send-key", cmd
        self.keys += [k["data"] for k in args["keys"]]
        return {"return": {}}


class Hook(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.log = os.path.join(self.dir.name, "hypervisor.log")
        self.qmp = FakeQMP()
        patch = mock.patch.object(bootmenu, "qmp", self.qmp)
        patch.start()
        self.addCleanup(patch.stop)
        self.addCleanup(self.dir.cleanup)

    def run_hook(self, text, vdev="xvde"):
        with open(self.log, "w") as f:
            f.write(text)
        with mock.patch("builtins.print") as out:
            bootmenu.choose(3, vdev, self.log)
        return [c.args[0] for c in out.call_args_list]

    def test_presses_esc_then_the_entry_of_the_disk(self):
        said = self.run_hook(SEABIOS)
        self.assertEqual(self.qmp.keys, ["esc", "3"])
        self.assertEqual(self.qmp.path, "/var/run/xen/qmp-libxl-3")
        self.assertTrue(said[-1].startswith("hook: chose entry 3 at "), said)
        self.assertIn("menu: 2. Xen PV disk hda 16 MiB (qdisk)", said)

    def test_other_domains_prompt_is_not_this_ones(self):
        text = SEABIOS.replace("(d3) [ 20.100] Press ESC", "(d4) [ 20.100] Press ESC")
        with mock.patch.object(bootmenu, "PROMPT_WAIT", 0.2):
            said = self.run_hook(text)
        self.assertEqual(self.qmp.keys, [])
        self.assertIn("no 'Press ESC for boot menu'", said[-1])

    def test_no_entry_for_the_disk_presses_no_digit(self):
        said = self.run_hook(SEABIOS, vdev="xvdf")
        self.assertEqual(self.qmp.keys, ["esc"])
        self.assertTrue(said[-1].startswith("hook: no entry for xvdf in the menu"), said)

    def test_no_menu_after_esc_is_said(self):
        text = SEABIOS[:SEABIOS.index("(d3) [ 21.200]")]
        with mock.patch.object(bootmenu, "MENU_WAIT", 0.2):
            said = self.run_hook(text)
        self.assertEqual(self.qmp.keys, ["esc"])
        self.assertIn("no 'Select boot device:' within", said[-1])

    def test_lines_are_whole_as_xenconsoled_appends_them(self):
        lines = bootmenu.guest_lines(self.log, 3)
        self.assertIsNone(next(lines))              # no log yet
        with open(self.log, "w") as f:
            f.write("(d3) [ 1.0] Press ESC fo")
        self.assertIsNone(next(lines))              # half a line is not a line
        with open(self.log, "a") as f:
            f.write("r boot menu.\n(d3) Select boot device:\n")
        self.assertEqual(next(lines), "Press ESC for boot menu.")
        self.assertEqual(next(lines), "Select boot device:")
        self.assertIsNone(next(lines))


if __name__ == "__main__":
    unittest.main()
