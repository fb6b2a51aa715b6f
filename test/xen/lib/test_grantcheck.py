"""Host tests of grantcheck.py's dom0 side with the Xen tools faked: where a checkpoint
takes Xen's grant dump from (the HV_LOG xenconsoled appends to) and the ring-refs from
(xenstore), and what it reports when either is missing."""
import os
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grantcheck  # noqa: E402
from xs_wire import XenstoreError  # noqa: E402

OLD = """\
(XEN) [  1.0] gnttab_usage_print_all [ key 'g' pressed
(XEN) [  1.0] grant-table for remote d5 (v1)
(XEN) [  1.0] [0x009]      0 0x12346 0x00000001          5 0x00ff 0x19
(XEN) [  1.1] gnttab_usage_print_all ] done
"""
DUMP = """\
(XEN) [  2.0] gnttab_usage_print_all [ key 'g' pressed
(XEN) [  2.0]       -------- active --------       -------- shared --------
(XEN) [  2.0] [ref] localdom mfn      pin          localdom gmfn     flags
(XEN) [  2.0] grant-table for remote d5 (v1)
(XEN) [  2.0]   nr_grant_entries: 32
(XEN) [  2.0] [0x008]      0 0x12345 0x00000001          5 0x00fe 0x19
(XEN) [  2.0] gnttab_usage_print_all ] done
"""


class FakeXs:
    def __init__(self, tree):
        self.tree = tree

    def directory(self, path):
        if not isinstance(self.tree.get(path), list):
            raise XenstoreError("ENOENT")
        return self.tree[path]

    def read(self, path):
        if path not in self.tree:
            raise XenstoreError("ENOENT")
        return self.tree[path]


class Checkpoint(unittest.TestCase):
    def setUp(self):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        self.hv_log = os.path.join(d.name, "hypervisor.log")
        self.lock = os.path.join(d.name, "lock")
        with open(self.hv_log, "w") as f:
            f.write(OLD)                # an earlier checkpoint's dump: not this one's

    def key_appends(self, text):
        def run(*cmd):
            self.assertEqual(cmd, ("xl", "debug-keys", "g"))
            with open(self.hv_log, "a") as f:
                f.write(text)
            return ""
        return mock.patch.object(grantcheck, "run", run)

    def test_dump_after_the_key_is_the_checkpoints(self):
        xs = FakeXs({"/local/domain/5/device/vbd": ["768"],
                     "/local/domain/5/device/vbd/768/ring-ref": "8"})
        with self.key_appends(DUMP):
            self.assertEqual(grantcheck.checkpoint(xs, 5, self.hv_log, self.lock), ([8], [8]))

    def test_no_dump_within_the_wait_is_unknown_not_empty(self):
        with self.key_appends(DUMP.replace("] done", "] half")), \
                mock.patch.object(grantcheck, "DUMP_WAIT", 0.2):
            active, rings = grantcheck.checkpoint(FakeXs({}), 5, self.hv_log, self.lock)
        self.assertIsNone(active)               # logged "active=?": the check fails it
        self.assertEqual(rings, [])

    def test_ring_refs_skip_vbds_without_one(self):
        xs = FakeXs({"/local/domain/5/device/vbd": ["768", "832", "5632"],
                     "/local/domain/5/device/vbd/768/ring-ref": "8",
                     "/local/domain/5/device/vbd/5632/ring-ref": "junk"})
        self.assertEqual(grantcheck.ring_refs(xs, 5), [8])
        self.assertEqual(grantcheck.ring_refs(FakeXs({}), 5), [])


if __name__ == "__main__":
    unittest.main()
