"""Host tests of tools/deps.sh's three paths: root (apt-get directly), a user with sudo
(apt-get through sudo) and a user without it (a clear failure naming the command to
run as root), on a PATH of fakes only: id, dpkg-query, apt-get and sudo record their
calls, and dpkg-query reports the packages in $MISSING as not installed."""
import os
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPS = os.path.join(TOP, "tools", "deps.sh")

FAKES = {
    "id": '#!/bin/sh\n[ "$1" = -u ] && echo "$FAKE_UID"\n',
    "dpkg-query": '#!/bin/sh\nfor p in $MISSING; do [ "$p" = "$3" ] && exit 1; done\n'
                  'echo "install ok installed"\n',
    "apt-get": '#!/bin/sh\necho "apt-get $*" >> "$CALLS"\n',
    "sudo": '#!/bin/sh\necho "sudo $*" >> "$CALLS"\nexec "$@"\n',
}


class Deps(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="xenpvboot-deps-test.")
        self.bin = os.path.join(self.dir, "bin")
        os.makedirs(self.bin)
        for name, text in FAKES.items():
            path = os.path.join(self.bin, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o755)
        for tool in ("sh", "grep", "env"):         # the real ones deps.sh needs besides
            os.symlink(shutil.which(tool), os.path.join(self.bin, tool))
        self.calls = os.path.join(self.dir, "calls")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def deps(self, uid, missing="", sudo=True):
        if not sudo:
            os.remove(os.path.join(self.bin, "sudo"))
        env = {"PATH": self.bin, "FAKE_UID": str(uid), "MISSING": missing, "CALLS": self.calls}
        r = subprocess.run(["/bin/sh", DEPS], env=env, capture_output=True, text=True, timeout=30)
        calls = open(self.calls).read().splitlines() if os.path.exists(self.calls) else []
        return r, calls

    def test_nothing_missing_does_nothing(self):
        for uid in (0, 1000):
            r, calls = self.deps(uid)
            self.assertEqual((r.returncode, calls, r.stderr), (0, [], ""))

    def test_root_installs_without_sudo_and_says_what(self):
        r, calls = self.deps(0, missing="nasm lintian")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("installing from Debian's packages: nasm lintian", r.stderr)
        self.assertEqual(calls, [
            "apt-get update -q",
            "apt-get install -y -q --no-install-recommends nasm lintian"])

    def test_user_with_sudo_installs_through_sudo(self):
        r, calls = self.deps(1000, missing="debhelper")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("using sudo", r.stderr)
        self.assertEqual(calls, [
            "sudo apt-get update -q",
            "apt-get update -q",
            "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debhelper",
            "apt-get install -y -q --no-install-recommends debhelper"])

    def test_user_without_sudo_fails_clearly(self):
        r, calls = self.deps(1000, missing="nasm", sudo=False)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(calls, [])
        self.assertIn("not root and no sudo: as root, run: apt-get install nasm", r.stderr)

    def test_package_build_tools_are_on_the_list(self):
        for pkg in ("dpkg-dev", "debhelper", "lintian"):
            r, calls = self.deps(0, missing=pkg)
            self.assertIn(f"--no-install-recommends {pkg}", calls[-1])
            os.remove(self.calls)


if __name__ == "__main__":
    unittest.main()
