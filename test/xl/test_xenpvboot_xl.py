"""Host tests of tools/xenpvboot-xl's argument handling and failure paths, against a
fake xl, xenstore-write and xenstore-chmod first on PATH.

The fakes keep state in a directory: `domains/NAME` (content: the domid) exists while
a domain does, `paused/NAME` while it is paused, `xs/<path>` holds a written key's
value and `perm/<path>` its permissions; every call is appended to `calls`.
FAIL=<what> (create, domid: junk for an existing domain, unpause, write, chmod, dmesg, create-leaves) makes that
step fail."""
import os
import shutil
import subprocess
import tempfile
import textwrap
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.environ.get("XENPVBOOT_XL_UNDER_TEST", os.path.join(TOP, "tools", "xenpvboot-xl"))

FAKE_XL = r"""#!/bin/sh
S=$FAKE_STATE
echo "xl $*" >> "$S/calls"
fail() { [ "$FAIL" = "$1" ]; }
case "$1" in
create)
    shift; paused=0
    [ "$1" = -p ] && { paused=1; shift; }
    name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$1")
    for a in "$@"; do case "$a" in name=*) name=$(echo "${a#name=}" | tr -d '"');; esac; done
    fail create-leaves && { echo 7 > "$S/domains/$name"; touch "$S/paused/$name"; exit 1; }
    fail create && exit 1
    echo 7 > "$S/domains/$name"
    [ $paused = 1 ] && touch "$S/paused/$name"
    exit 0 ;;
domid)
    [ -f "$S/domains/$2" ] || { echo "Can't get domid of domain name '$2'" >&2; exit 1; }
    fail domid && { echo "junk"; exit 0; }
    cat "$S/domains/$2" ;;
unpause)
    fail unpause && exit 1
    for f in "$S"/domains/*; do [ "$(cat "$f")" = "$2" ] && rm -f "$S/paused/${f##*/}"; done
    exit 0 ;;
destroy)
    for f in "$S"/domains/*; do
        [ -f "$f" ] || continue
        if [ "$(cat "$f")" = "$2" ] || [ "${f##*/}" = "$2" ]; then
            rm -f "$f" "$S/paused/${f##*/}"; exit 0
        fi
    done
    exit 1 ;;
dmesg)
    fail dmesg && exit 1
    cat "$S/dmesg" ;;
esac
"""

FAKE_WRITE = r"""#!/bin/sh
echo "xenstore-write $*" >> "$FAKE_STATE/calls"
[ "$FAIL" = write ] && exit 1
mkdir -p "$FAKE_STATE/xs$(dirname "$1")"
printf %s "$2" > "$FAKE_STATE/xs$1"
"""

FAKE_CHMOD = r"""#!/bin/sh
echo "xenstore-chmod $*" >> "$FAKE_STATE/calls"
[ "$FAIL" = chmod ] && exit 1
p=$1; shift
mkdir -p "$FAKE_STATE/perm$p"
echo "$*" > "$FAKE_STATE/perm$p/.perm"
"""

CFG = 'builder = "hvm"\nname = "guest1"\nmemory = 512\n'

DMESG = textwrap.dedent("""\
    (XEN) HVM7 save: CPU
    (d7) [  10.1] HVM Loader
    (d7) [  10.2] xenpvboot: xenpvboot 1.0: stub at c800:0000
    (d17) [  11.0] xenpvboot: another domain's line
    (d7) [  12.0] xenpvboot: drive 80: vbd 768 took over its emulated IDE twin
    (d70) [  13.0] xenpvboot: yet another domain
    """)


class XenpvbootXl(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="xenpvboot-xl-test.")
        self.state = os.path.join(self.dir, "state")
        bindir = os.path.join(self.dir, "bin")
        for d in (bindir, self.state, os.path.join(self.state, "domains"),
                  os.path.join(self.state, "paused")):
            os.makedirs(d)
        for name, text in (("xl", FAKE_XL), ("xenstore-write", FAKE_WRITE),
                           ("xenstore-chmod", FAKE_CHMOD)):
            path = os.path.join(bindir, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o755)
        with open(os.path.join(self.state, "dmesg"), "w") as f:
            f.write(DMESG)
        self.cfg = os.path.join(self.dir, "guest.cfg")
        with open(self.cfg, "w") as f:
            f.write(CFG)
        self.env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"],
                        FAKE_STATE=self.state, FAIL="")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_tool(self, *args, fail=""):
        env = dict(self.env, FAIL=fail)
        return subprocess.run([TOOL, *args], env=env, capture_output=True, text=True, timeout=30)

    def calls(self):
        path = os.path.join(self.state, "calls")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return f.read().splitlines()

    def domains(self):
        return sorted(os.listdir(os.path.join(self.state, "domains")))

    def paused(self):
        return sorted(os.listdir(os.path.join(self.state, "paused")))

    def key(self, path):
        with open(self.state + "/xs" + path) as f:
            return f.read()

    def perm(self, path):
        with open(self.state + "/perm" + path + "/.perm") as f:
            return f.read().strip()

    # --- create ---

    def test_create_twins_keep_writes_key_before_unpause(self):
        r = self.run_tool("create", self.cfg, "--twins", "keep")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.key("/local/domain/7/xenpvboot/twins"), "keep")
        self.assertEqual(self.perm("/local/domain/7/xenpvboot"), "n0 r7")
        self.assertEqual(self.perm("/local/domain/7/xenpvboot/twins"), "n0 r7")
        calls = self.calls()
        create = calls.index("xl create -p %s" % self.cfg)
        write = calls.index("xenstore-write /local/domain/7/xenpvboot/twins keep")
        unpause = calls.index("xl unpause 7")
        self.assertLess(create, write)
        self.assertLess(write, unpause)
        self.assertEqual(self.domains(), ["guest1"])
        self.assertEqual(self.paused(), [])
        self.assertIn("id 7", r.stdout)

    def test_create_twins_equals_form(self):
        r = self.run_tool("create", "--twins=keep", self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.key("/local/domain/7/xenpvboot/twins"), "keep")

    def test_create_without_options_writes_no_key_still_paused_first(self):
        r = self.run_tool("create", self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(any(c.startswith("xenstore-") for c in self.calls()))
        self.assertIn("xl create -p %s" % self.cfg, self.calls())
        self.assertEqual(self.paused(), [])

    def test_xl_args_pass_through_in_order(self):
        r = self.run_tool("create", self.cfg, "memory=1024", "--twins", "keep", "--", "-q", "vcpus=2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("xl create -p %s memory=1024 -q vcpus=2" % self.cfg, self.calls())

    def test_name_override_finds_the_domain(self):
        r = self.run_tool("create", self.cfg, 'name="other"', "--twins", "keep")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.domains(), ["other"])
        self.assertIn("xl domid other", self.calls())

    def test_unknown_twins_value_is_a_usage_error(self):
        r = self.run_tool("create", self.cfg, "--twins", "yes")
        self.assertEqual(r.returncode, 2)
        self.assertIn("only 'keep'", r.stderr)
        self.assertEqual(self.calls(), [])

    def test_create_boot_writes_key_before_unpause(self):
        r = self.run_tool("create", self.cfg, "--boot", "xvdf", "--twins", "keep")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.key("/local/domain/7/xenpvboot/boot"), "xvdf")
        self.assertEqual(self.key("/local/domain/7/xenpvboot/twins"), "keep")
        self.assertEqual(self.perm("/local/domain/7/xenpvboot"), "n0 r7")
        self.assertEqual(self.perm("/local/domain/7/xenpvboot/boot"), "n0 r7")
        calls = self.calls()
        write = calls.index("xenstore-write /local/domain/7/xenpvboot/boot xvdf")
        self.assertLess(calls.index("xl create -p %s" % self.cfg), write)
        self.assertLess(write, calls.index("xl unpause 7"))
        self.assertIn("xenpvboot/boot=xvdf", r.stdout)

    def test_create_boot_equals_form(self):
        r = self.run_tool("create", self.cfg, "--boot=hdb")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.key("/local/domain/7/xenpvboot/boot"), "hdb")

    def test_boot_names_only_vdevs(self):
        for bad in ("", "xvd", "/dev/xvdb", "xvdb;reboot", "XVDB", "nvme0n1", "xvdabcdefgh"):
            r = self.run_tool("create", self.cfg, "--boot=" + bad)
            self.assertEqual(r.returncode, 2, bad)
        r = self.run_tool("create", self.cfg, "--boot")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(self.calls(), [])

    def test_boot_key_failure_destroys_the_domain(self):
        r = self.run_tool("create", self.cfg, "--boot", "xvdb", fail="write")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.domains(), [])
        self.assertIn("cannot set xenpvboot/boot", r.stderr)
        self.assertNotIn("xl unpause 7", self.calls())

    def test_options_the_rom_does_not_read_are_refused(self):
        for opt in (["--log-level", "3"], ["--bootorder", "xvdb"]):
            r = self.run_tool("create", self.cfg, *opt)
            self.assertEqual(r.returncode, 2, opt)
            self.assertIn("unknown option", r.stderr)
        self.assertEqual(self.calls(), [])

    def test_twins_without_value(self):
        r = self.run_tool("create", self.cfg, "--twins")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(self.calls(), [])

    def test_no_config(self):
        r = self.run_tool("create", "--twins", "keep")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no xl config", r.stderr)

    def test_unreadable_config(self):
        r = self.run_tool("create", os.path.join(self.dir, "missing.cfg"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.calls(), [])

    def test_config_without_name(self):
        with open(self.cfg, "w") as f:
            f.write('builder = "hvm"\n')
        r = self.run_tool("create", self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("sets no name", r.stderr)
        self.assertFalse(any(c.startswith("xl create") for c in self.calls()))

    def test_blocking_xl_options_are_refused(self):
        for opt in ("-c", "-F", "-V", "-qc", "-fother.cfg"):
            r = self.run_tool("create", self.cfg, "--", opt)
            self.assertEqual(r.returncode, 2, opt)
        self.assertEqual(self.calls(), [])

    def test_existing_domain_of_that_name_is_left_alone(self):
        with open(os.path.join(self.state, "domains", "guest1"), "w") as f:
            f.write("3\n")
        r = self.run_tool("create", self.cfg, "--twins", "keep")
        self.assertEqual(r.returncode, 1)
        self.assertIn("exists already", r.stderr)
        self.assertEqual(self.domains(), ["guest1"])
        self.assertFalse(any(c.startswith(("xl create", "xl destroy")) for c in self.calls()))

    def test_create_failure(self):
        r = self.run_tool("create", self.cfg, "--twins", "keep", fail="create")
        self.assertEqual(r.returncode, 1)
        self.assertFalse(any(c.startswith(("xenstore-", "xl unpause")) for c in self.calls()))

    def test_create_failure_that_leaves_a_domain_destroys_it(self):
        r = self.run_tool("create", self.cfg, "--twins", "keep", fail="create-leaves")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.domains(), [])

    def assert_destroyed_never_unpaused(self, fail):
        r = self.run_tool("create", self.cfg, "--twins", "keep", fail=fail)
        self.assertEqual(r.returncode, 1, fail)
        self.assertEqual(self.domains(), [], fail)
        self.assertIn("destroying", r.stderr)
        return r

    def test_write_failure_destroys_the_paused_domain(self):
        self.assert_destroyed_never_unpaused("write")
        self.assertNotIn("xl unpause 7", self.calls())

    def test_chmod_failure_destroys_the_paused_domain(self):
        self.assert_destroyed_never_unpaused("chmod")
        self.assertNotIn("xl unpause 7", self.calls())

    def test_unpause_failure_destroys_the_domain(self):
        self.assert_destroyed_never_unpaused("unpause")

    def test_bad_domid_destroys_by_name(self):
        self.assert_destroyed_never_unpaused("domid")
        self.assertIn("xl destroy guest1", self.calls())

    # --- log ---

    def test_log_by_name_prints_only_that_domains_rom_lines(self):
        with open(os.path.join(self.state, "domains", "guest1"), "w") as f:
            f.write("7\n")
        r = self.run_tool("log", "guest1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), [
            "(d7) [  10.2] xenpvboot: xenpvboot 1.0: stub at c800:0000",
            "(d7) [  12.0] xenpvboot: drive 80: vbd 768 took over its emulated IDE twin"])

    def test_log_by_id_of_a_gone_domain(self):
        r = self.run_tool("log", "17")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["(d17) [  11.0] xenpvboot: another domain's line"])

    def test_log_no_lines(self):
        r = self.run_tool("log", "5")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no xenpvboot lines", r.stderr)

    def test_log_unknown_domain(self):
        r = self.run_tool("log", "nosuch")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no domain", r.stderr)

    def test_log_dmesg_failure(self):
        r = self.run_tool("log", "7", fail="dmesg")
        self.assertEqual(r.returncode, 1)

    def test_log_needs_one_domain(self):
        self.assertEqual(self.run_tool("log").returncode, 2)
        self.assertEqual(self.run_tool("log", "1", "2").returncode, 2)

    # --- usage ---

    def test_help_names_only_what_exists(self):
        r = self.run_tool("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--twins keep", r.stdout)
        self.assertIn("--boot VDEV", r.stdout)
        self.assertNotIn("--log-level", r.stdout)

    def test_no_command_and_unknown_command(self):
        self.assertEqual(self.run_tool().returncode, 2)
        self.assertEqual(self.run_tool("start").returncode, 2)


if __name__ == "__main__":
    unittest.main()
