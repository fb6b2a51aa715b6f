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


def frontend_connected(d):
    """While the Linux guest ran, its vbd's frontend was Connected (4)."""
    before = _read(d, "xenstore-before.txt")
    if re.search(r"/device/vbd/\d+/state = \"4\"", before):
        return []
    return ["vbd frontend not in state 4 (Connected) in xenstore before destroy"]


def backend_is(kind):
    """The vbd's backend was the one the scenario asked for: "vbd" (blkback) or "qdisk"."""
    def check(d):
        before = _read(d, "xenstore-before.txt")
        if re.search(rf"/device/vbd/\d+/backend = \"/local/domain/0/backend/{kind}/", before):
            return []
        return [f"vbd backend is not {kind} (xenstore before destroy)"]
    return check
