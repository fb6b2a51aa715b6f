"""The CD scenarios' expectations (checks.cd_served_boot, checks.cd_vbd_as_found) on made-up
result directories: each must fail on what a broken ROM would leave."""
import os
import tempfile
import unittest

import checks

ROM_OK = """(d3) [ 1.0] xenpvboot: drive 80: vbd 768, 2048 x 512 bytes, CHS 2/32/32, took over its emulated IDE twin
(d3) [ 1.1] xenpvboot: drive e0: vbd 5632, CD-ROM, 4720 x 2048 bytes, took over its emulated ATAPI twin
(d3) [ 9.0] xenpvboot: drive e0: 41 reads, 0 writes, 9437184 bytes over PV
(d3) [ 9.0] xenpvboot: quiesced at E820: PV disks disconnected, bus down
"""
CD = "/local/domain/3/device/vbd/5632"
BE = "/local/domain/0/backend/qdisk/3/5632"


def xenstore(front_state="1", back_state="2", extra=""):
    return (f'{CD}/device-type = "cdrom"\n{CD}/state = "{front_state}"\n'
            f'{CD}/backend = "{BE}"\n{BE}/state = "{back_state}"\n' + extra)


class CdChecks(unittest.TestCase):
    def result(self, rom, store):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        d = tmp.name
        with open(os.path.join(d, "xl-dmesg-guest.txt"), "w") as f:
            f.write(rom)
        with open(os.path.join(d, "xenstore-before.txt"), "w") as f:
            f.write(store)
        return d

    def test_served_and_as_found(self):
        d = self.result(ROM_OK, xenstore())
        self.assertEqual(checks.cd_served_boot(0xe0)(d), [])
        self.assertEqual(checks.cd_vbd_as_found(d), [])

    def test_kept_emulated_is_a_failure_with_the_reason(self):
        rom = "(d3) xenpvboot: vbd 5632: drive e0 is IDE index 2 but sector 16 differs: kept emulated\n"
        bad = checks.cd_served_boot(0xe0)(self.result(rom, xenstore()))
        self.assertEqual(len(bad), 2)
        self.assertIn("sector 16 differs", bad[0])

    def test_no_reads_is_a_failure(self):
        rom = ROM_OK.replace("41 reads", "0 reads").replace("9437184 bytes", "0 bytes")
        self.assertEqual(len(checks.cd_served_boot(0xe0)(self.result(rom, xenstore()))), 1)

    def test_connected_or_keys_left_fail(self):
        self.assertEqual(len(checks.cd_vbd_as_found(self.result(ROM_OK, xenstore("4", "4")))), 2)
        left = xenstore(extra=f'{CD}/ring-ref = "8"\n{CD}/event-channel = "5"\n')
        bad = checks.cd_vbd_as_found(self.result(ROM_OK, left))
        self.assertEqual(bad, [f"CD {CD} still has event-channel, ring-ref"])

    def test_no_cd_vbd_fails(self):
        self.assertEqual(len(checks.cd_vbd_as_found(self.result(ROM_OK, ""))), 1)


if __name__ == "__main__":
    unittest.main()
