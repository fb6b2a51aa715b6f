"""The grub scenario's read-ahead expectation (checks.readahead_served) on made-up result
directories: it must fail on what a ROM without working read-ahead would leave."""
import os
import tempfile
import unittest

import checks

FIRST_QDISK = "(d3) [ 2.0] xenpvboot: vbd 768: read-ahead from sector 2112: 32 pages in 3 request(s)\n"
FIRST_BLKBACK = "(d3) [ 2.0] xenpvboot: vbd 768: read-ahead from sector 2112: 32 pages in 1 request(s), indirect\n"
REPORT = "(d3) [ 9.0] xenpvboot: read-ahead: 158 batches pushed, 208 reads served from them\n"


class ReadaheadServed(unittest.TestCase):
    def result(self, rom, backend):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        with open(os.path.join(tmp.name, "xl-dmesg-guest.txt"), "w") as f:
            f.write(rom)
        with open(os.path.join(tmp.name, "guest.cfg"), "w") as f:
            f.write(f'disk = [ "format=raw,vdev=xvda,backendtype={backend},target=/x.img" ]\n')
        return tmp.name

    def test_served_on_each_backend(self):
        self.assertEqual(checks.readahead_served(self.result(FIRST_QDISK + REPORT, "qdisk")), [])
        self.assertEqual(checks.readahead_served(self.result(FIRST_BLKBACK + REPORT, "phy")), [])

    def test_indirect_where_not_offered_or_missing_where_offered(self):
        self.assertEqual(len(checks.readahead_served(self.result(FIRST_BLKBACK + REPORT, "qdisk"))), 1)
        self.assertEqual(len(checks.readahead_served(self.result(FIRST_QDISK + REPORT, "phy"))), 1)

    def test_nothing_served_fails(self):
        idle = REPORT.replace("208 reads", "0 reads")
        self.assertEqual(len(checks.readahead_served(self.result(FIRST_QDISK + idle, "qdisk"))), 1)
        self.assertEqual(len(checks.readahead_served(self.result(FIRST_QDISK, "qdisk"))), 1)

    def test_no_batch_fails(self):
        self.assertEqual(len(checks.readahead_served(self.result(REPORT, "qdisk"))), 1)


if __name__ == "__main__":
    unittest.main()
