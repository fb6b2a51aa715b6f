"""The CD probe's parser and the emulated/PV compare (lib/cd_probe.py), on a real log:
cd_probe_seabios.log is the probe's serial output under plain QEMU's SeaBIOS (its ATAPI
CD, no ROM). Each check must fail on what a broken ROM or a broken probe would leave."""
import os
import re
import tempfile
import unittest

import cd_probe

HERE = os.path.dirname(os.path.abspath(__file__))
ASM = os.path.join(HERE, "..", "..", "guest", "cdprobe", "cdprobe.asm")


def text_of(path):
    with open(path) as f:
        return f.read()


def seabios_log():
    return text_of(os.path.join(HERE, "cd_probe_seabios.log"))


def edit(text, case, field, value):
    """@text with case @case's @field= replaced by @value."""
    pat = re.compile(rf"^(CD {re.escape(case)} .*\b{field}=)\S+", re.M)
    out, n = pat.subn(rf"\g<1>{value}", text)
    assert n == 1, (case, field)
    return out


class Parse(unittest.TestCase):
    def test_every_case_of_the_probe_is_in_the_log_once(self):
        asm = text_of(ASM)
        names = set(re.findall(r"^\s+(?:simple|ext|edd|spec) '([\w-]+)'", asm, re.M))
        names |= set(re.findall(r"^c_\w+\s+db '([\w-]+)', 0", asm, re.M))
        p = cd_probe.parse(seabios_log())
        self.assertEqual(set(p["order"]), names)
        self.assertEqual(len(p["order"]), len(names))
        self.assertEqual(p["dups"], [])

    def test_fields(self):
        p = cd_probe.parse(seabios_log())
        self.assertEqual(p["start"], {"drive": 0xe0, "ivt13": "f000:e3fe"})
        self.assertTrue(p["done"])
        self.assertEqual(p["e820"], {"cf": 0})
        c = p["cases"]["check41"]
        self.assertEqual((c["cf"], c["ax"], c["bx"], c["cx"], c["dx"]), (0, 0x3000, 0xaa55, 7, 0xe0))
        self.assertEqual(p["cases"]["read-count33"]["ax"], 0x0900)
        self.assertEqual(p["cases"]["read-pvd"]["head"], cd_probe.PVD_HEAD)
        self.assertEqual(len(p["cases"]["params48-74"]["data"]), 74)
        self.assertEqual(len(p["cases"]["spec4b01"]["data"]), 20)

    def test_a_garbled_field_is_none(self):
        p = cd_probe.parse("CD reset cf=0 ax=00zz bx=0000\nCD x\n")
        self.assertIsNone(p["cases"]["reset"]["ax"])
        self.assertNotIn("x", p["cases"])

    def test_region_sum_weighs_places(self):
        self.assertEqual(cd_probe.region_sum(bytes(8)), 0)
        self.assertEqual(cd_probe.region_sum(b"\1\0\0\0\1\0\0\0"), 2 << 32 | 3)
        # two 2048-byte sectors swapped, or one moved by 128 bytes, do not sum alike
        x, y = bytes([1]) * 2048, bytes([2]) * 2048
        self.assertNotEqual(cd_probe.region_sum(x + y), cd_probe.region_sum(y + x))
        self.assertNotEqual(cd_probe.region_sum(x + bytes(128)), cd_probe.region_sum(bytes(128) + x))

    def test_region_sum_is_the_probes(self):
        # The ISO's last blocks are build.sh's numbered ones (1024 of them, block k
        # "XPVBCD" + k, then k's low byte), read into 10000h and summed over 10000h-3FFFFh.
        def blocks(first, n):
            return b"".join((b"XPVBCD" + k.to_bytes(4, "little")).ljust(2048, bytes([k & 0xff]))
                            for k in range(first, first + n))
        c = cd_probe.parse(seabios_log())["cases"]
        region = 0x30000
        self.assertEqual(c["read-lba0"]["sum"], cd_probe.region_sum(bytes(region)))
        last = blocks(1023, 1)
        self.assertEqual(c["read-last-1"]["sum"], cd_probe.region_sum(last + bytes(region - len(last))))
        end = blocks(992, 32)
        self.assertEqual(c["read-end-32"]["sum"], cd_probe.region_sum(end + bytes(region - len(end))))


class OneRun(unittest.TestCase):
    def problems(self, text):
        return cd_probe.run_problems(cd_probe.parse(text), "run")

    def test_seabios_run_is_good(self):
        self.assertEqual(self.problems(seabios_log()), [])

    def test_failed_or_short_read_is_a_problem(self):
        bad = self.problems(edit(seabios_log(), "read-mid-32", "dap", "0010"))
        self.assertEqual(len(bad), 1)
        self.assertIn("read-mid-32", bad[0])
        self.assertEqual(len(self.problems(edit(seabios_log(), "read-end-32", "cf", "1"))), 1)

    def test_wrong_data_is_a_problem(self):
        bad = self.problems(edit(seabios_log(), "read-lba16-4", "head", "0000000000000000"))
        self.assertIn("primary volume descriptor", bad[0])
        bad = self.problems(edit(seabios_log(), "read-last-1", "head", "0143443030310100"))
        self.assertIn("numbered blocks", bad[0])
        bad = self.problems(edit(seabios_log(), "read-after-4b00", "sum", "12345678"))
        self.assertIn("summed differently", bad[0])

    def test_no_start_no_end_wrong_drive(self):
        self.assertIn("never started", self.problems("")[0])
        text = seabios_log().replace("CDPROBE DONE", "")
        self.assertEqual(self.problems(text), ["run: no CDPROBE DONE"])
        text = seabios_log().replace("START drive=e0", "START drive=e1")
        self.assertIn("not e0", self.problems(text)[0])


class Compare(unittest.TestCase):
    def diffs(self, pv_text):
        return cd_probe.differences(cd_probe.parse(seabios_log()), cd_probe.parse(pv_text))

    def test_alike_has_no_difference(self):
        self.assertEqual(self.diffs(seabios_log()), [])

    def test_intended_differences_are_allowed(self):
        text = edit(seabios_log(), "check41-badbx", "ax", "0100")
        data = cd_probe.parse(seabios_log())["cases"]["params48-30"]["data"]
        text = edit(text, "params48-30", "data", (data[:26] + b"\xff" * 4).hex())
        d = self.diffs(text)
        self.assertEqual(sorted(k for k, _, _ in d), ["check41-badbx ah", "params48-30 dpte"])
        self.assertTrue(all(cd_probe.why_allowed(k) for k, _, _ in d))

    def test_anything_else_is_a_finding(self):
        data = cd_probe.parse(seabios_log())["cases"]["params48-26"]["data"]
        text = edit(seabios_log(), "params48-26", "data", (data[:24] + b"\0\2").hex())
        text = edit(text, "read-lba16-4", "sum", "00000001")
        text = edit(text, "status-after-past", "st", "00")
        text = edit(text, "spec4b01", "data", "13" * 20)
        keys = [k for k, _, _ in self.diffs(text)]
        self.assertIn("params48-26 bps", keys)
        self.assertIn("read-lba16-4 sum", keys)
        self.assertIn("status-after-past st", keys)
        self.assertIn("spec4b01 media", keys)
        self.assertFalse(any(cd_probe.why_allowed(k) for k in keys), keys)

    def test_a_case_missing_on_either_side_is_a_finding(self):
        text = "\n".join(l for l in seabios_log().splitlines() if not l.startswith("CD seek47 "))
        d = self.diffs(text + "\nCD extra cf=0 ax=0000\n")
        self.assertEqual(d, [("seek47 case", True, False), ("extra case", False, True)])
        self.assertIsNone(cd_probe.why_allowed("seek47 case"))


class MatchesEmulated(unittest.TestCase):
    def results(self, emu=None, pv=None):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        for name, text in (("cd-probe-emu", emu), ("cd-probe-pv", pv)):
            if text is not None:
                os.makedirs(os.path.join(tmp.name, name))
                with open(os.path.join(tmp.name, name, "serial.log"), "w") as f:
                    f.write(text)
        return os.path.join(tmp.name, "cd-probe-pv")

    def test_without_the_emulated_run_it_fails_naming_it(self):
        bad = cd_probe.matches_emulated(self.results(pv=seabios_log()))
        self.assertEqual(len(bad), 1)
        self.assertIn("run cd-probe-emu before it", bad[0])

    def test_alike_passes_and_writes_compare(self):
        d = self.results(seabios_log(), seabios_log())
        self.assertEqual(cd_probe.matches_emulated(d), [])
        self.assertIn("0 difference(s)", text_of(os.path.join(d, "compare.txt")))

    def test_findings_fail_and_allowed_ones_are_written(self):
        pv = edit(edit(seabios_log(), "check41-badbx", "cf", "1"), "seek0c", "ax", "0100")
        d = self.results(seabios_log(), pv)
        self.assertEqual(cd_probe.matches_emulated(d), ["emulated/PV differ: seek0c ah: 0000 vs 0001"])
        text = text_of(os.path.join(d, "compare.txt"))
        self.assertIn("ALLOWED check41-badbx cf", text)
        self.assertIn("FINDING seek0c ah", text)

    def test_a_broken_emulated_run_fails(self):
        d = self.results(seabios_log().replace("CDPROBE DONE", ""), seabios_log())
        self.assertEqual(cd_probe.matches_emulated(d), ["cd-probe-emu: no CDPROBE DONE"])


if __name__ == "__main__":
    unittest.main()
