"""test/xen's scenario folders: every name a suite or the benchmarks run resolves to one
folder and one backend, and the copy dom0 gets says exactly that."""
import os
import re
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "test", "xen", "lib"))
sys.path.insert(0, os.path.join(TOP, "test", "bench"))
import testbed as tb  # noqa: E402


def suite_names():
    """The names test/xen/run's suites, test/bench/run and test/xen/soak name."""
    src = open(os.path.join(TOP, "test", "xen", "run")).read()
    ns = {}
    exec(src.split("BOOT_TIMEOUT")[0].split("import testbed as tb  # noqa: E402")[1], {"tb": tb}, ns)
    bench = re.search(r'SCENARIOS=\$\{BENCH_SCENARIOS:-"([^"]+)"\}',
                      open(os.path.join(TOP, "test", "bench", "run")).read()).group(1).split()
    soak = re.search(r'SETS=\$\{SOAK_SETS:-"([^"]+)"\}',
                     open(os.path.join(TOP, "test", "xen", "soak")).read()).group(1).split()
    return set(ns["SUITES"]["all"]) | set(bench) | set(soak)


class Scenarios(unittest.TestCase):
    def test_every_run_name_resolves(self):
        index = tb.scenario_index()
        missing = suite_names() - set(index)
        self.assertFalse(missing, "names no folder provides: %s" % sorted(missing))

    def test_instance_backend_follows_its_name(self):
        for name in tb.scenario_index():
            conf = tb.read_conf(name)
            self.assertNotIn("BACKENDS", conf, name)
            want = "phy" if name.endswith("-blkback") else "qdisk"
            self.assertEqual(conf.get("BACKEND", "qdisk"), want, name)

    def test_every_check_loads(self):
        # A check.py that cannot be imported fails only after a whole testbed run.
        import importlib.util
        for name in tb.scenario_index():
            path = os.path.join(tb.scenario_dir(name), "check.py")
            spec = importlib.util.spec_from_file_location("check_" + name.replace("-", "_"), path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            self.assertTrue(callable(getattr(mod, "check", None)), path)

    def test_payload_copies(self):
        names = ["linux-qdisk", "linux-blkback", "bench-linux-emu-blkback", "probe-qdisk"]
        with tempfile.TemporaryDirectory() as pdir:
            import shutil
            shutil.copytree(tb.SCENARIOS, os.path.join(pdir, "scenarios"))
            tb.write_instances(pdir, names)
            conf = open(os.path.join(pdir, "scenarios", "linux-blkback", "scenario.conf")).read()
            self.assertIn('BACKEND="phy"', conf)
            self.assertNotIn("BACKENDS", conf)
            cfg = open(os.path.join(pdir, "scenarios", "linux-qdisk", "guest.cfg")).read()
            self.assertRegex(cfg, r"(?m)^memory = 256$")
            self.assertIn("romfile=@ROM@", cfg)
            emu = open(os.path.join(pdir, "scenarios", "bench-linux-emu-blkback", "guest.cfg")).read()
            self.assertNotIn("romfile", emu)
            self.assertTrue(os.path.isfile(os.path.join(pdir, "scenarios", "probe-qdisk", "check.py")))
            self.assertFalse(os.path.exists(os.path.join(pdir, "scenarios", "probe-qdisk", "guest.cfg")))


if __name__ == "__main__":
    unittest.main()
