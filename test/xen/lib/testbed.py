"""Host side of the Xen testbed: build the inputs, boot Xen + dom0 in QEMU TCG once,
follow dom0's console for markers, bring the results back. Used by run, demo, shell."""
import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zlib

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))      # test/xen
TOP = os.path.dirname(os.path.dirname(HERE))
GUEST_DIR = os.path.join(TOP, "test", "guest")
XENPVBOOT_XL = os.path.join(TOP, "tools", "xenpvboot-xl")     # the scenarios set TWINS= with it
SCENARIOS = os.path.join(HERE, "scenarios")
RESULTS_DISK_BYTES = 128 << 20
DISK_HEAD_BYTES = 64 * 512        # what the self-test ROM's crc32 covers
# Slower machines: XENPVBOOT_TIMEOUT_SCALE=2 doubles every timeout (host and dom0 side).
TIMEOUT_SCALE = float(os.environ.get("XENPVBOOT_TIMEOUT_SCALE", "1"))
XEN_ARGS = ("console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 "
            "loglvl=all guest_loglvl=all iommu=0 console_timestamps=boot conring_size=1M")
DOM0_ARGS = "root=/dev/vda rw console=hvc0 earlyprintk=xen loglevel=4 init=/sbin/xpvb-init"


def log(msg):
    print(msg, flush=True)


def ensure_deps():
    subprocess.run([os.path.join(HERE, "deps.sh")], check=True)


def as_root(cmd):
    """CMD as root: itself for root, else through sudo (the rule of tools/deps.sh), keeping
    the cache settings sudo would drop. Only what writes the shared cache needs it."""
    if os.geteuid() == 0:
        return cmd
    if not shutil.which("sudo"):
        raise SystemExit(f"testbed: not root and no sudo: {os.path.basename(cmd[0])} writes the root-owned "
                         f"cache ({os.environ.get('XENPVBOOT_CACHE', '/var/cache/xenpvboot')}); run as root")
    keep = [f"{k}={os.environ[k]}" for k in ("XENPVBOOT_CACHE", "XENPVBOOT_MIRROR", "XENPVBOOT_SUITE")
            if k in os.environ]
    return ["sudo", "env"] + keep + cmd


def build_dom0():
    """Returns the cache directory mkdom0.sh printed (its timing goes to stderr). Also
    fetches the Linux guest's busybox-static into the cache, as root like the image."""
    out = subprocess.run(as_root([os.path.join(HERE, "mkdom0.sh")]), check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    if os.geteuid() != 0:
        subprocess.run(as_root([os.path.join(GUEST_DIR, "linux", "build.sh"), "--fetch"]), check=True,
                       stdout=subprocess.DEVNULL)
    return out.strip().splitlines()[-1]


# A scenario folder runs on one backend (BACKEND=) or on several (BACKENDS=), each an
# instance named FOLDER-qdisk / FOLDER-blkback.
BACKEND_SUFFIX = {"qdisk": "qdisk", "phy": "blkback"}
# Guest config keys a scenario.conf may set instead of carrying a guest.cfg of its own.
GUEST_KEYS = ("MEMORY", "NOROM", "XL_BOOT")


def _parse_conf(path):
    conf = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if "=" in line:
                k, v = line.split("=", 1)
                conf[k.strip()] = v.strip().strip('"')
    return conf


def scenario_index():
    """{instance name: (folder, backend or None)} for every scenario."""
    index = {}
    for folder in sorted(os.listdir(SCENARIOS)):
        path = os.path.join(SCENARIOS, folder, "scenario.conf")
        if not os.path.isfile(path):
            continue
        backends = _parse_conf(path).get("BACKENDS", "").split()
        for b in backends:
            if b not in BACKEND_SUFFIX:
                raise SystemExit(f"{path}: unknown backend {b} in BACKENDS")
            index[f"{folder}-{BACKEND_SUFFIX[b]}"] = (folder, b)
        if not backends:
            index[folder] = (folder, None)
    return index


def scenario_dir(name):
    """The folder holding instance @name's check.py and files."""
    return os.path.join(SCENARIOS, scenario_index()[name][0])


def read_conf(name):
    folder, backend = scenario_index()[name]
    conf = _parse_conf(os.path.join(SCENARIOS, folder, "scenario.conf"))
    if backend:
        conf.pop("BACKENDS")
        conf["BACKEND"] = backend
    conf["TIMEOUT"] = int(conf.get("TIMEOUT", 120))
    return conf


def conf_text(conf):
    """scenario.conf for dom0, which sources it."""
    lines = ["# Made by test/xen/lib/testbed.py from the scenario's folder."]
    for k, v in conf.items():
        if k not in GUEST_KEYS:
            lines.append(f'{k}="{v}"')
    return "\n".join(lines) + "\n"


def guest_cfg(conf):
    """The xl template with the scenario's GUEST_KEYS applied, or None to use it as is."""
    if not any(k in conf for k in GUEST_KEYS):
        return None
    with open(os.path.join(SCENARIOS, "guest.cfg")) as f:
        text = f.read()
    if "MEMORY" in conf:
        text, n = re.subn(r"^memory = \d+$", f"memory = {int(conf['MEMORY'])}", text, flags=re.M)
        assert n == 1, "scenarios/guest.cfg has no memory line"
    if "XL_BOOT" in conf:                       # xl boot=: "dc" boots the CD first
        assert re.fullmatch(r"[acdn]+", conf["XL_BOOT"]), "XL_BOOT= takes xl's boot letters"
        text, n = re.subn(r'^boot = "\w+"$', f'boot = "{conf["XL_BOOT"]}"', text, flags=re.M)
        assert n == 1, "scenarios/guest.cfg has no boot line"
    if conf.get("NOROM") == "1":
        text, n = re.subn(r"^device_model_args_hvm = .*romfile=@ROM@.*\n", "", text, flags=re.M)
        assert n == 1, "scenarios/guest.cfg has no romfile line"
    return text


def write_instances(pdir, names):
    """payload/scenarios/NAME/ for each instance: its folder's files, the scenario.conf
    with its one BACKEND, and the guest config its keys make."""
    for name in names:
        folder, _ = scenario_index()[name]
        src, dst = os.path.join(SCENARIOS, folder), os.path.join(pdir, "scenarios", name)
        if dst != os.path.join(pdir, "scenarios", folder):
            shutil.copytree(src, dst)
        conf = read_conf(name)
        with open(os.path.join(dst, "scenario.conf"), "w") as f:
            f.write(conf_text(conf))
        cfg = guest_cfg(conf)
        if cfg is not None:
            with open(os.path.join(dst, "guest.cfg"), "w") as f:
                f.write(cfg)


def build_guest(kind, dom0dir, out):
    t = time.time()
    if kind == "probe":
        cmd = [os.path.join(GUEST_DIR, "probe", "build.sh"), out]
    elif kind == "chain":
        cmd = [os.path.join(GUEST_DIR, "chain", "build.sh"), out]
    elif kind == "linux":
        cmd = [os.path.join(GUEST_DIR, "linux", "build.sh"), os.path.join(dom0dir, "guest-kernel"), out]
    elif kind.startswith("bench"):             # bench, bench-linux: test/bench/build-guest.sh
        cmd = [os.path.join(TOP, "test", "bench", "build-guest.sh"), kind, os.path.join(dom0dir, "guest-kernel"), out]
    elif kind.startswith("grub-"):             # grub-PAYLOAD: test/guest/grub/build.sh, no early console
        cmd = [os.path.join(GUEST_DIR, "grub", "build.sh"), "--no-xen-console", kind[len("grub-"):],
               os.path.join(dom0dir, "guest-kernel"), out]
    elif kind.startswith("cd-"):               # cd-KIND: an ISO, test/guest/cd/build.sh
        cmd = [os.path.join(GUEST_DIR, "cd", "build.sh"), kind[len("cd-"):],
               os.path.join(dom0dir, "guest-kernel"), out]
    elif kind.startswith("takeover-"):         # takeover-MODE: test/guest/takeover/README.md
        cmd = [os.path.join(GUEST_DIR, "takeover", "build.sh"), out, kind[len("takeover-"):]]
    else:
        raise SystemExit(f"unknown guest kind {kind}")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    log(f"guest disk {kind}: built in {time.time() - t:.1f} s")


def make_payload(work, rom, names, dom0dir, mode="suite", live=False, rom_selftest=None,
                 xenpvboot_xl=XENPVBOOT_XL, rom_stepaside=None, rom_floor=None, repeat=1):
    """The tar stream dom0 unpacks from its second disk: ROMs, xenpvboot-xl, guest disks,
    scenarios. rom_selftest (optional) becomes xenpvboot-selftest.rom, for scenarios with
    ROM=selftest; rom_stepaside xenpvboot-stepaside.rom, for ROM=stepaside; rom_floor
    xenpvboot-floor.rom, for ROM=floor. repeat: boots
    per scenario."""
    pdir = os.path.join(work, "payload")
    shutil.rmtree(pdir, ignore_errors=True)
    os.makedirs(os.path.join(pdir, "guests"))
    shutil.copy(os.path.join(HERE, "dom0", "run.sh"), os.path.join(pdir, "dom0-run.sh"))
    for f in ("grantcheck.py", "xs_wire.py"):
        shutil.copy(os.path.join(HERE, "lib", f), os.path.join(pdir, f))
    shutil.copy(os.path.join(HERE, "lib", "vgatext.py"), os.path.join(pdir, "vgatext.py"))
    shutil.copy(rom, os.path.join(pdir, "xenpvboot.rom"))
    shutil.copy(xenpvboot_xl, os.path.join(pdir, "xenpvboot-xl"))
    if rom_selftest and os.path.isfile(rom_selftest):
        shutil.copy(rom_selftest, os.path.join(pdir, "xenpvboot-selftest.rom"))
    if rom_stepaside and os.path.isfile(rom_stepaside):
        shutil.copy(rom_stepaside, os.path.join(pdir, "xenpvboot-stepaside.rom"))
    if rom_floor and os.path.isfile(rom_floor):
        shutil.copy(rom_floor, os.path.join(pdir, "xenpvboot-floor.rom"))
    # the guests' disks, and the CDs (CDROM=cd-KIND) some scenarios add at hdc
    kinds = sorted({read_conf(n)[k] for n in names for k in ("GUEST", "CDROM")
                    if k in read_conf(n)}) if names else ["probe", "linux"]
    if any(read_conf(n).get("EXTRA") for n in names) and "probe" not in kinds:
        kinds.append("probe")               # EXTRA= disks are copies of the probe's (dom0/run.sh)
    for kind in kinds:
        build_guest(kind, dom0dir, os.path.join(pdir, "guests", kind + ".img"))
    shutil.copytree(SCENARIOS, os.path.join(pdir, "scenarios"))
    write_instances(pdir, names)
    with open(os.path.join(pdir, "scenarios.list"), "w") as f:
        f.write("\n".join(names) + "\n")
    with open(os.path.join(pdir, "mode"), "w") as f:
        f.write(mode + "\n")
    with open(os.path.join(pdir, "timeout-scale"), "w") as f:
        f.write(f"{TIMEOUT_SCALE}\n")
    with open(os.path.join(pdir, "live"), "w") as f:
        f.write("1\n" if live else "0\n")
    with open(os.path.join(pdir, "repeat"), "w") as f:
        f.write(f"{repeat}\n")
    img = os.path.join(work, "payload.img")
    subprocess.run(["tar", "-c", "--sparse", "-f", img, "-C", pdir, "."], check=True)
    return img


def save_disk_heads(work, names, out):
    """Copies the first 64 sectors of each scenario's guest disk, as the host built it, to
    OUT/NAME/disk-head.bin: the reference for the self-test ROM's logged crc32."""
    for name in names:     # NAME, or NAME/boot-NNN (test/xen/run --repeat)
        img = os.path.join(work, "payload", "guests", read_conf(name.split("/", 1)[0])["GUEST"] + ".img")
        if not (os.path.isfile(img) and os.path.isdir(os.path.join(out, name))):
            continue        # no results came back: leave "no results" to the judge
        with open(img, "rb") as f:
            head = f.read(DISK_HEAD_BYTES)
        with open(os.path.join(out, name, "disk-head.bin"), "wb") as f:
            f.write(head)


def crc32(data):
    return zlib.crc32(data) & 0xffffffff


def make_results_disk(work, repeat=1):
    """Sparse; room for about 4 boots' results per RESULTS_DISK_BYTES (a Linux boot's
    xl dmesg with its grant and event-channel dumps is a few MiB at most)."""
    img = os.path.join(work, "results.img")
    with open(img, "wb") as f:
        f.truncate(RESULTS_DISK_BYTES * max(1, (repeat + 3) // 4))
    return img


def qemu_command(dom0dir, payload, results, serial, status=None):
    return ["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-cpu", "max,-smap,-smep",
            "-smp", "2", "-m", "4096", "-display", "none", "-monitor", "none",
            "-serial", serial, "-no-reboot",
            "-kernel", os.path.join(dom0dir, "xen"), "-append", XEN_ARGS,
            "-initrd", f"{dom0dir}/vmlinuz {DOM0_ARGS},{dom0dir}/initrd.img",
            # snapshot=on keeps the cached dom0 image pristine.
            "-drive", f"file={dom0dir}/dom0.img,format=raw,if=virtio,cache=unsafe,snapshot=on",
            "-drive", f"file={payload},format=raw,if=virtio,readonly=on",
            "-drive", f"file={results},format=raw,if=virtio,cache=unsafe"] + (
        # dom0's markers also come out here, safe from a guest flooding the Xen console.
        ["-device", "virtio-serial-pci,id=vs", "-chardev", f"file,id=xpvbstatus,path={status}",
         "-device", "virtserialport,bus=vs.0,chardev=xpvbstatus,name=xpvb.status"] if status else [])


class Qemu:
    """One QEMU process, always ended by its own PID (exit, signal or timeout)."""

    def __init__(self, cmd, interactive=False):
        kw = {} if interactive else {"stdin": subprocess.DEVNULL}
        self.started = time.time()
        self.proc = subprocess.Popen(cmd, **kw)
        atexit.register(self.stop)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, frame):
        self.stop()
        sys.exit(128 + signum)

    def running(self):
        return self.proc.poll() is None

    def stop(self, grace=0):
        if self.proc.poll() is None and grace:
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


class ConsoleFollower:
    """Reads the Xen serial log as it grows and hands whole lines to a callback."""

    def __init__(self, path):
        self.path, self.pos, self.partial = path, 0, ""

    def lines(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
                self.pos = f.tell()
        except FileNotFoundError:
            return []
        text = self.partial + data.decode("utf-8", "replace")
        parts = text.split("\n")
        self.partial = parts.pop()
        return [p.rstrip("\r") for p in parts]


def extract_results(results_img, out):
    try:
        with tarfile.open(results_img) as t:
            t.extractall(out)
        return True
    except (tarfile.TarError, OSError):
        return False
