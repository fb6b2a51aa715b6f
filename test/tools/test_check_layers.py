"""tools/check-layers.py: the real tree passes; a tree with an upward include
or an include circle fails, naming the culprit."""
import os
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(TOP, "tools", "check-layers.py")
LAYERS = ["arch", "lib", "xen", "block", "bios", "variants"]


def run(rom):
    return subprocess.run([sys.executable, TOOL, rom], capture_output=True, text=True)


def make_tree(root, files):
    for layer in LAYERS:
        os.makedirs(os.path.join(root, layer), exist_ok=True)
    for path, text in files.items():
        with open(os.path.join(root, path), "w") as f:
            f.write(text)


class CheckLayers(unittest.TestCase):
    def test_repository_tree_passes(self):
        r = run(os.path.join(TOP, "rom"))
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertRegex(r.stdout, r"\d+ passed, 0 failed")

    def test_upward_include_fails(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, {"xen/grant.c": '#include "bios/disk.h"\n',
                             "bios/disk.h": "\n"})
            r = run(root)
        self.assertEqual(r.returncode, 1)
        self.assertIn("xen/grant.c: layer xen includes bios/disk.h", r.stdout)

    def test_circle_fails(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, {"xen/a.c": '#include "xen/b.h"\n', "xen/a.h": "\n",
                             "xen/b.c": '#include "xen/a.h"\n', "xen/b.h": "\n"})
            r = run(root)
        self.assertEqual(r.returncode, 1)
        self.assertIn("include circle: xen/a -> xen/b -> xen/a", r.stdout)

    def test_missing_header_fails(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, {"lib/log.c": '#include "lib/nothere.h"\n'})
            r = run(root)
        self.assertEqual(r.returncode, 1)
        self.assertIn("does not exist", r.stdout)


if __name__ == "__main__":
    unittest.main()
