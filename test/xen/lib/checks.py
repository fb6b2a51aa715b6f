"""Expectations the scenarios' check.py files combine. Each returns a list of failure
reasons (empty = pass) for one scenario's collected directory (OUT/NAME/)."""
import os
import re

from probe_log import parse, calls

PROBE_MIN_READS = 9          # probe.asm: 1 CHS MBR + 7 AH=42 + 2 CHS pattern reads


def _read(d, name):
    try:
        with open(os.path.join(d, name), errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def ended_by_marker(d):
    end = (_read(d, "end").strip().splitlines() or [""])[-1][:60]
    return [] if end == "marker" else [f"guest run ended by {end or 'nothing (no result)'}"]


def rom_logged(d):
    """The ROM's port-0xe9 output shows in the guest's xl dmesg lines."""
    lines = [l for l in _read(d, "xl-dmesg-guest.txt").splitlines() if "xenpvboot" in l]
    return [] if lines else ["no 'xenpvboot' line in the guest's xl dmesg"]


def probe_ok(d):
    p = parse(_read(d, "serial.log"))
    if p["loadfail"]:
        return ["probe could not load its own sectors"]
    if not p["start"]:
        return ["probe never started (no PROBE START on the guest serial)"]
    bad = []
    boot = p["start"].get("bootdrive")
    if boot != 0x80:
        bad.append(f"booted from drive {boot:#x}, expected 0x80")
    reads = [r for r in p["reads"] if r.get("drive") == boot]
    if len(reads) < PROBE_MIN_READS:
        bad.append(f"only {len(reads)} reads on the boot drive")
    bad += [f"read fn={r['fn']:02x} lba={r['lba']} count={r['count']} cf={r['cf']} failed"
            for r in reads if not r["ok"]]
    for ah in (0x08, 0x41):
        c = calls(p, boot, ah)
        if not c or c[0]["cf"]:
            bad.append(f"INT 13h AH={ah:02x} failed on the boot drive")
    if not p["done"]:
        bad.append("no PROBE DONE")
    return bad


def linux_ok(d):
    serial = _read(d, "serial.log")
    bad = []
    if "LINUX RESULT PASS" not in serial:
        m = re.search(r"LINUX RESULT FAIL.*", serial)
        bad.append(m.group(0).strip() if m else "no LINUX RESULT line")
    if not re.search(r"CHECK blkfront-attached ok", serial):
        bad.append("blkfront did not attach")
    if not re.search(r"PLATFORM-PCI .*class=0x[0-9a-f]{6}", serial):
        bad.append("no PLATFORM-PCI line")
    return bad


def payload_arrived(d):
    """The init found the archive's or big initramfs's /payload.bin whole (its md5,
    test/guest/grub/build.sh)."""
    return [] if "CHECK payload ok" in _read(d, "serial.log") else ["no 'CHECK payload ok' on the guest serial"]


def frontend_connected(d):
    """While the Linux guest ran, its vbd's frontend was Connected (4)."""
    before = _read(d, "xenstore-before.txt")
    if re.search(r"/device/vbd/\d+/state = \"4\"", before):
        return []
    return ["vbd frontend not in state 4 (Connected) in xenstore before destroy"]


def backend_as_configured(d):
    """The vbd's backend was the one the scenario asked for (backendtype= in the filled-in
    guest.cfg): blkback ("vbd" in xenstore) for phy, else qdisk."""
    kind = "vbd" if "backendtype=phy" in _read(d, "guest.cfg") else "qdisk"
    before = _read(d, "xenstore-before.txt")
    if re.search(rf"/device/vbd/\d+/backend = \"/local/domain/0/backend/{kind}/", before):
        return []
    return [f"vbd backend is not {kind} (xenstore before destroy)"]


# --- the ROM's own log (port 0xe9 -> the guest's xl dmesg lines) ---

def rom_lines(d):
    """The ROM's messages, in order, without the "(dN) [time] xenpvboot: " prefix."""
    out = []
    for line in _read(d, "xl-dmesg-guest.txt").splitlines():
        m = re.search(r"xenpvboot: (.*)", line)
        if m:
            out.append(m.group(1).strip())
    return out


def readahead_served(d):
    """Read-ahead pushed batches and served reads from them, in indirect requests where the
    backend offers them (blkback) and in several plain ones where it does not (qdisk)."""
    lines, bad = rom_lines(d), []
    m = [re.match(r"read-ahead: (\d+) batches pushed, (\d+) reads served from them", l) for l in lines]
    m = [x for x in m if x]
    if not m or not int(m[-1].group(1)) or not int(m[-1].group(2)):
        bad.append("no nonzero 'read-ahead: N batches pushed, M reads served from them' line")
    first = [l for l in lines if re.match(r"vbd \d+: read-ahead from sector \d+: \d+ pages in \d+ request", l)]
    want_indirect = "backendtype=phy" in _read(d, "guest.cfg")
    if not first:
        bad.append("no 'vbd N: read-ahead from sector ...' line")
    elif first[0].endswith(", indirect") != want_indirect:
        bad.append(f"first read-ahead batch {'not ' if want_indirect else ''}indirect: {first[0]!r}")
    return bad


def pv_served_boot(drive):
    """The boot loader's reads went over PV: the ROM took the emulated twin's number, counted
    reads and bytes, passed no hard-disk call on to SeaBIOS's emulated path, and its last word
    was the E820 hand-over (nothing reconnected after)."""
    def check(d):
        lines, bad = rom_lines(d), []
        if not any(re.match(rf"drive {drive:02x}: .*took over its emulated IDE twin", l) for l in lines):
            bad.append(f"no 'drive {drive:02x}: ... took over' line in the ROM log")
        served = [l for l in lines if re.match(rf"drive {drive:02x}: [1-9]\d* reads, \d+ writes, [1-9]\d* bytes over PV", l)]
        if not served:
            bad.append(f"no nonzero 'drive {drive:02x}: N reads ... bytes over PV' line in the ROM log")
        passed = [l for l in lines if l.startswith("calls for other hard disks passed on to the BIOS:")]
        if not passed or not passed[-1].endswith(": 0"):
            bad.append("the emulated path served hard-disk calls: "
                       f"{passed[-1] if passed else 'no count in the ROM log'}")
        return bad + rom_ended_quiesced(d)
    return check


def rom_ended_quiesced(d):
    """The ROM's last line is the E820 hand-over: nothing reconnected after it."""
    lines = rom_lines(d)
    if lines and lines[-1].startswith("quiesced at E820"):
        return []
    return [f"last ROM line is not 'quiesced at E820': {lines[-1] if lines else 'none'!r}"]


# --- xenstore: the hand-over state every OS driver accepts ---

def _xenstore_keys(text):
    keys = {}
    for line in text.splitlines():
        m = re.match(r'(/\S+) = "(.*)"', line)
        if m:
            keys[m.group(1)] = m.group(2)
    return keys


def vbds_quiesced(d):
    """At the end marker every vbd of the guest is handed back: frontend Initialising (1),
    backend InitWait (2), no ring-ref / event-channel / protocol under the frontend."""
    keys = _xenstore_keys(_read(d, "xenstore-before.txt"))
    fronts = sorted({m.group(1) for k in keys for m in [re.match(r"(/local/domain/\d+/device/vbd/\d+)/", k)] if m})
    if not fronts:
        return ["no vbd frontend in xenstore before destroy"]
    return [r for fe in fronts for r in _handed_back(keys, fe, "")]


def _handed_back(keys, fe, what):
    """Frontend @fe (xenstore keys @keys) as the toolstack made it: frontend Initialising (1),
    backend InitWait (2), no ring-ref / event-channel / protocol; reasons, @what before each."""
    bad = []
    if keys.get(fe + "/state") != "1":
        bad.append(f"{what}{fe} state {keys.get(fe + '/state')}, expected 1")
    be = keys.get(fe + "/backend", "")
    if keys.get(be + "/state") != "2":
        bad.append(f"{what}backend {be or '?'} state {keys.get(be + '/state')}, expected 2")
    left = sorted(k[len(fe) + 1:] for k in keys if k.startswith(fe + "/") and
                  re.search(r"/(ring-ref\d*|event-channel|protocol)$", k))
    if left:
        bad.append(f"{what}{fe} still has {', '.join(left)}")
    return bad


def probe_e820(d):
    """The probe made its E820 call (EBX=0) before PROBE DONE, and it succeeded."""
    e = parse(_read(d, "serial.log"))["e820"]
    if e is None:
        return ["no E820 line from the probe"]
    if e["cf"] or e["eax"] != 0x534d4150:
        return [f"probe's E820 call failed: cf={e['cf']} eax={e['eax']:08x}"]
    return []


# --- the self-test ROM (ROM=selftest, SCRATCH=1) ---

SCRATCH_VDEV = 832          # hdb
SCRATCH_SECTORS = 8192      # dom0/run.sh make_scratch: 4 MiB


def selftest_pattern(lba):
    """rom/variants/selftest.c selftest_pattern(): the sector its write test puts at @lba."""
    s = bytearray((i * 7 + 0x5a) & 0xff for i in range(512))
    s[0:20] = b"XENPVBOOT-WRITE-TEST"
    s[20:28] = lba.to_bytes(8, "little")
    return bytes(s)


def _file(d, name):
    try:
        with open(os.path.join(d, name), "rb") as f:
            return f.read()
    except OSError:
        return b""


def selftest_ok(d):
    """POST self-test: both vbds described, the boot disk's crc32 matches the image the host
    built, the scratch write landed (per the log and per the disk), no grant left."""
    import zlib
    lines, bad = rom_lines(d), []
    head = _file(d, "disk-head.bin")
    vbds = {int(m.group(1)): m for l in lines
            for m in [re.match(r"vbd (\d+) (/local/domain/0/backend/(?:vbd|qdisk)/\d+/\d+) "
                               r"sectors=(\d+) sector-size=(\d+) ro=(\d)", l)] if m}
    for vdev, sectors in ((768, None), (SCRATCH_VDEV, SCRATCH_SECTORS)):
        m = vbds.get(vdev)
        if not m:
            bad.append(f"no 'vbd {vdev} <backend> sectors=... sector-size=...' line")
        elif m.group(4) != "512" or (sectors and int(m.group(3)) != sectors) or m.group(5) != "0":
            bad.append(f"vbd {vdev}: unexpected {m.group(0)!r}")
    crcs = [re.match(r"selftest vbd 768 read sectors 0\.\.63 crc32=([0-9a-f]{8})$", l) for l in lines]
    crcs = [m.group(1) for m in crcs if m]
    want = f"{zlib.crc32(head) & 0xffffffff:08x}" if len(head) == 64 * 512 else None
    if not want:
        bad.append("no disk-head.bin (the host's copy of the guest image's first 64 sectors)")
    elif crcs != [want]:
        bad.append(f"vbd 768 crc32 {crcs or 'not logged'}, image has {want}")
    if f"selftest vbd {SCRATCH_VDEV} write lba 1 ok" not in lines:
        bad.append(f"no 'selftest vbd {SCRATCH_VDEV} write lba 1 ok' line")
    if _file(d, "scratch-head.bin")[512:1024] != selftest_pattern(1):
        bad.append("scratch disk sector 1 is not the self-test pattern after the run")
    if "selftest teardown live-grants=0" not in lines:
        bad.append("no 'selftest teardown live-grants=0' line")
    return bad


def probe_writes_ok(d):
    """The probe's AH=03 and AH=43 writes on the scratch drive read back right."""
    w = parse(_read(d, "serial.log"))["writes"]
    fns = sorted(x["fn"] for x in w if x["ok"])
    if fns != [0x03, 0x43]:
        return [f"probe writes on the scratch drive: {w or 'none'}"]
    return []


# --- SeaBIOS's ATA drive vs the ROM's PV drive on one image (TWINS=keep) ---

def twins_kept(d):
    """With xenpvboot/twins = keep the ROM left 80h to SeaBIOS and added 81h for the vbd."""
    lines, bad = rom_lines(d), []
    if 'xenpvboot/twins is "keep": emulated twins keep their numbers' not in lines:
        bad.append("the ROM did not log that xenpvboot/twins is \"keep\"")
    if not any(re.match(r"drive 81: vbd 768, .*, new drive", l) for l in lines):
        bad.append("no 'drive 81: vbd 768, ... new drive' line in the ROM log")
    start = parse(_read(d, "serial.log"))["start"] or {}
    if start.get("bda75") != 2:
        bad.append(f"40:75 = {start.get('bda75')}, expected 2")
    return bad + twins_key_set(d)


def twins_key_set(d):
    """xenpvboot-xl (tools/, dom0/run.sh) left xenpvboot/ and its twins key dom0's and
    readable by the guest only: "n0 r<domid>" (xenstore-ls -p shows "(n0,r<domid>)")."""
    return keys_set(d, ("twins", "keep"))


def keys_set(d, *keys):
    """xenpvboot/ and each (KEY, VALUE) under it as xenpvboot-xl leaves them: dom0's and
    readable by the guest only, "n0 r<domid>" (xenstore-ls -p shows "(n0,r<domid>)")."""
    domid = _read(d, "domid").strip()
    snap = _read(d, "xenstore-before.txt")
    bad = []
    for key, value in (("xenpvboot", ""),) + tuple(("xenpvboot/" + k, v) for k, v in keys):
        m = re.search(r"^/local/domain/%s/%s = \"%s\".*\(([^()]*)\)\s*$" % (domid, re.escape(key), value),
                      snap, re.M)
        if not m:
            bad.append(f"no /local/domain/{domid}/{key} = \"{value}\" in xenstore-before.txt")
        elif m.group(1) != f"n0,r{domid}":
            bad.append(f"/local/domain/{domid}/{key} has permissions ({m.group(1)}), expected (n0,r{domid})")
    return bad


def seabios_matches_pv(d):
    """Every answer of the PV drive (81h) equals SeaBIOS's (80h) but for ALLOWED ones.
    All differences go to compare.txt, allowed ones with their reason."""
    from probe_compare import differences, fmt, report, why_allowed
    p = parse(_read(d, "serial.log"))
    bad = []
    reads = [r for r in p["reads"] if r["drive"] == 0x81]
    if len(reads) < PROBE_MIN_READS:
        bad.append(f"only {len(reads)} reads on drive 81")
    bad += [f"drive 81 read fn={r['fn']:02x} lba={r['lba']} count={r['count']} cf={r['cf']} failed"
            for r in reads if not r["ok"]]
    diffs = differences(p, 0x80, 0x81)
    with open(os.path.join(d, "compare.txt"), "w") as f:
        f.write("\n".join(report(diffs, 0x80, 0x81)) + "\n")
    bad += [f"80h/81h differ: {k}: {fmt(x)} vs {fmt(y)}" for k, x, y in diffs if not why_allowed(k)]
    return bad


# --- CD-ROMs (rom/bios/cdrom.c): SeaBIOS's El Torito drive served over PV ---

def cd_served_boot(drive=0xe0):
    """The loader's CD reads went over PV: the ROM took over SeaBIOS's CD drive number
    @drive (the ATAPI twin of the CD vbd) and counted nonzero reads and bytes on it."""
    def check(d):
        lines, bad = rom_lines(d), []
        if not any(re.match(rf"drive {drive:02x}: vbd \d+, CD-ROM, .*took over its emulated ATAPI twin", l)
                   for l in lines):
            why = [l for l in lines if "CD-ROM" in l or "sector 16" in l]
            bad.append(f"no 'drive {drive:02x}: ... CD-ROM ... took over' line in the ROM log"
                       + (f" ({why[0]})" if why else ""))
        if not any(re.match(rf"drive {drive:02x}: [1-9]\d* reads, 0 writes, [1-9]\d* bytes over PV", l)
                   for l in lines):
            bad.append(f"no nonzero 'drive {drive:02x}: N reads ... bytes over PV' line in the ROM log")
        return bad
    return check


def cd_vbd_as_found(d):
    """The CD vbd is left exactly as the toolstack made it (Linux's xen-blkfront refuses a
    PV CD in an HVM guest, so nobody else touches it): frontend Initialising (1), backend
    InitWait (2), no ring-ref / event-channel / protocol."""
    keys = _xenstore_keys(_read(d, "xenstore-before.txt"))
    fronts = [k[:-len("/device-type")] for k, v in keys.items()
              if re.match(r"/local/domain/\d+/device/vbd/\d+/device-type$", k) and v == "cdrom"]
    if not fronts:
        return ["no CD-ROM vbd (device-type cdrom) in xenstore before destroy"]
    return [r for fe in fronts for r in _handed_back(keys, fe, "CD ")]
