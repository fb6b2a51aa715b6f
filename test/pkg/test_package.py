"""The Debian package, as a user gets it: `make deb`'s tools/mkdeb.sh builds it,
`dpkg -x` installs it into a scratch root, and the tests check what is there, run
lintian, and boot guests in the real-Xen testbed with the installed ROM and the
installed xenpvboot-xl (test/xen/run --rom / --xenpvboot-xl).

The testbed part takes the shared testbed lock (test/xen/README.md) unless an
ancestor process holds it already (`flock LOCK make check`), which would deadlock."""
import gzip
import os
import re
import shutil
import subprocess
import sys
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(TOP, "build", "pkg-test")
LOCK = "/tmp/xenpvboot-testbed.lock"
LIB = "usr/lib/xenpvboot"
ROMS = ("xenpvboot.rom", "xenpvboot-debug.rom")
EXPECTED_FILES = {
    "usr/bin/xenpvboot-xl",
    f"{LIB}/xenpvboot.rom",
    f"{LIB}/xenpvboot-debug.rom",
    "usr/share/doc/xenpvboot/README.md.gz",
    "usr/share/doc/xenpvboot/changelog.gz",
    "usr/share/doc/xenpvboot/copyright",
    "usr/share/doc/xenpvboot/examples/xl-example.cfg",
    "usr/share/man/man1/xenpvboot-xl.1.gz",
}
# A LOG_LEVEL=3 (LOG_DEBUG) format string of rom/block/blkfront.c: only the debug ROM has it.
DEBUG_ONLY = b"vbd %u connected: ring-ref %u port %u"


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=TOP, check=True, capture_output=True, text=True, **kw)


def lock_held_by_ancestor(path):
    """True when one of our ancestors holds a flock on PATH (/proc/locks names the
    process that took it: flock(1) itself, which then runs its command)."""
    try:
        st = os.stat(path)
        with open("/proc/locks") as f:
            locks = f.read().splitlines()
    except OSError:
        return False
    dev = "%02x:%02x:%d" % (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)
    holders = {int(l.split()[4]) for l in locks
               if len(l.split()) > 5 and l.split()[1] == "FLOCK" and l.split()[5] == dev}
    pid = os.getpid()
    while pid > 1:
        if pid in holders:
            return True
        with open(f"/proc/{pid}/stat") as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
    return False


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(OUT, ignore_errors=True)
        os.makedirs(OUT)
        build = subprocess.run([os.path.join(TOP, "tools", "mkdeb.sh"), os.path.join(OUT, "deb")],
                               cwd=TOP, capture_output=True, text=True)
        with open(os.path.join(OUT, "mkdeb.log"), "w") as f:
            f.write(build.stderr)
        if build.returncode != 0:
            sys.stdout.write(build.stderr[-4000:])
            raise AssertionError(f"tools/mkdeb.sh failed ({build.returncode}), log in {OUT}/mkdeb.log")
        cls.deb = build.stdout.strip().splitlines()[-1]
        cls.root = os.path.join(OUT, "root")
        run(["dpkg", "-x", cls.deb, cls.root])
        cls.version = run(["dpkg-deb", "-f", cls.deb, "Version"]).stdout.strip()

    def path(self, rel):
        return os.path.join(self.root, rel)

    def rom(self, name):
        with open(self.path(f"{LIB}/{name}"), "rb") as f:
            return f.read()

    def test_contents(self):
        files = set()
        for d, _, names in os.walk(self.root):
            files |= {os.path.relpath(os.path.join(d, n), self.root) for n in names}
        self.assertEqual(files, EXPECTED_FILES)
        self.assertTrue(os.access(self.path("usr/bin/xenpvboot-xl"), os.X_OK))

    def test_package_fields(self):
        fields = run(["dpkg-deb", "-f", self.deb, "Package", "Architecture"]).stdout
        self.assertIn("Package: xenpvboot", fields)
        self.assertIn("Architecture: all", fields)

    def test_version_is_the_trees(self):
        self.assertEqual(self.version, run([os.path.join(TOP, "tools", "version.sh")]).stdout.strip())
        self.assertRegex(self.version, r"^[0-9][A-Za-z0-9.+~]*$")     # a valid native version

    def test_roms_pass_romsign_check(self):
        for name in ROMS:
            r = subprocess.run([sys.executable, os.path.join(TOP, "tools", "romsign.py"), "--check",
                                self.path(f"{LIB}/{name}")], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, f"{name}: {r.stdout}{r.stderr}")

    def test_roms_log_the_package_version(self):
        for name in ROMS:
            found = re.findall(rb"xenpvboot [0-9][^\0\s]*\0", self.rom(name))
            self.assertEqual(found, [b"xenpvboot " + self.version.encode() + b"\0"], name)

    def test_debug_rom_logs_protocol_detail(self):
        self.assertIn(DEBUG_ONLY, self.rom("xenpvboot-debug.rom"))
        self.assertNotIn(DEBUG_ONLY, self.rom("xenpvboot.rom"))

    def test_installed_command_and_docs_are_the_trees(self):
        for installed, tree in (("usr/bin/xenpvboot-xl", "tools/xenpvboot-xl"),
                                ("usr/share/doc/xenpvboot/examples/xl-example.cfg", "docs/xl-example.cfg")):
            with open(self.path(installed), "rb") as a, open(os.path.join(TOP, tree), "rb") as b:
                self.assertEqual(a.read(), b.read(), installed)
        for installed, tree in (("usr/share/man/man1/xenpvboot-xl.1.gz", "docs/xenpvboot-xl.1"),
                                ("usr/share/doc/xenpvboot/README.md.gz", "README.md")):
            with gzip.open(self.path(installed)) as a, open(os.path.join(TOP, tree), "rb") as b:
                self.assertEqual(a.read(), b.read(), installed)
        r = subprocess.run([self.path("usr/bin/xenpvboot-xl"), "--help"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertIn("create CFG [--twins keep]", r.stdout)

    def test_example_names_the_installed_rom(self):
        with open(self.path("usr/share/doc/xenpvboot/examples/xl-example.cfg")) as f:
            self.assertIn("xen-platform.romfile=/usr/lib/xenpvboot/xenpvboot.rom", f.read())

    def test_lintian_clean(self):
        changes = [os.path.join(os.path.dirname(self.deb), n) for n in os.listdir(os.path.dirname(self.deb))
                   if n.endswith(".changes")]
        self.assertEqual(len(changes), 1)
        r = subprocess.run(["lintian", "-I", "--pedantic", changes[0]], capture_output=True, text=True)
        tags = [l for l in (r.stdout + r.stderr).splitlines() if re.match(r"^[EWIPX]: ", l)]
        print("\nlintian -I --pedantic: %s" % ("\n".join(tags) or "no tags"), flush=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(tags, [])

    def run_testbed(self, out, *args):
        """test/xen/run with the installed ROM and xenpvboot-xl; its output, prefixed (so
        run-suites counts this suite's tests, not the testbed's closing line), and status."""
        cmd = [os.path.join(TOP, "test", "xen", "run"), "--out", out,
               "--xenpvboot-xl", self.path("usr/bin/xenpvboot-xl"), *args]
        if not lock_held_by_ancestor(LOCK):
            cmd = ["flock", LOCK] + cmd
        print("\n" + " ".join(cmd), flush=True)
        proc = subprocess.Popen(cmd, cwd=TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
        lines = []
        with proc.stdout:
            for line in proc.stdout:
                sys.stdout.write("  xen| " + line)
                sys.stdout.flush()
                lines.append(line)
        return proc.wait(), "".join(lines)

    def test_installed_rom_boots_demo_guest_and_twins_keep(self):
        """linux-qdisk (the demo) and probe-compare-qdisk (TWINS=keep through the installed
        xenpvboot-xl) with the installed release ROM, which logs the package's version."""
        out = os.path.join(OUT, "xen")
        status, text = self.run_testbed(out, "--rom", self.path(f"{LIB}/xenpvboot.rom"),
                                    "linux-qdisk", "probe-compare-qdisk")
        self.assertEqual(status, 0, "testbed failed: see " + out)
        self.assertRegex(text, r"(?m)^2 passed, 0 failed")
        with open(os.path.join(out, "linux-qdisk", "xl-dmesg-guest.txt"), errors="replace") as f:
            logged = re.findall(r"xenpvboot: xenpvboot (\S+): stub at", f.read())
        self.assertEqual(logged, [self.version])

    def test_installed_debug_rom_boots_probe(self):
        """probe-qdisk with the installed debug ROM: it serves the probe and logs detail."""
        out = os.path.join(OUT, "xen-debug")
        status, text = self.run_testbed(out, "--rom", self.path(f"{LIB}/xenpvboot-debug.rom"), "probe-qdisk")
        self.assertEqual(status, 0, "testbed failed: see " + out)
        self.assertRegex(text, r"(?m)^1 passed, 0 failed")
        with open(os.path.join(out, "probe-qdisk", "xl-dmesg-guest.txt"), errors="replace") as f:
            self.assertRegex(f.read(), r"xenpvboot: vbd 768 connected: ring-ref \d+ port \d+")


if __name__ == "__main__":
    unittest.main()
