"""Host tests of grants.py: the ROM's grant refs and read-ahead allowance come from rom/."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grants  # noqa: E402


class RomRefs(unittest.TestCase):
    def test_refs_are_grant_h_range(self):
        self.assertEqual(min(grants.ROM_REFS), 448)
        self.assertEqual(max(grants.ROM_REFS), 511)
        self.assertEqual(len(grants.ROM_REFS), 64)

    def test_read_may_leave_one_batch_mapped(self):
        batch = set(range(470, 470 + grants.RA_GRANTS))
        self.assertTrue(grants.data_grants_allowed("INT13 drive=80 ah=42 cf=0", batch))
        self.assertTrue(grants.data_grants_allowed("INT13 drive=80 ah=02 cf=0", {480}))
        self.assertFalse(grants.data_grants_allowed("INT13 drive=80 ah=42 cf=0",
                                                    batch | {511}))

    def test_write_and_others_leave_nothing(self):
        self.assertTrue(grants.data_grants_allowed("INT13 drive=80 ah=43 cf=0", set()))
        self.assertFalse(grants.data_grants_allowed("INT13 drive=80 ah=43 cf=0", {470}))
        self.assertFalse(grants.data_grants_allowed("INT13 drive=80 ah=08 cf=0", {470}))
        self.assertFalse(grants.data_grants_allowed("INT13 drive=80 ah=420 cf=0", {470}))


if __name__ == "__main__":
    unittest.main()
