"""Expectations for the takeover guest's scenarios (takeover-*, handover-*): its serial
lines (test/guest/takeover/README.md) and the vbd's xenstore state dom0 saw before destroy.
Each returns a list of failure reasons, as in checks.py.  `python3 takeover_checks.py DIR`
prints the end state of one collected scenario directory."""
import os
import re
import struct
import sys

from checks import _read

SCRATCH_FIRST, SCRATCH_RUN = 2 ** 12, 32      # main.c SCRATCH_FIRST, SCRATCH_RUN
ROM_TOOK_OVER = "the OS has taken Xen over"   # rom/bios/quiesce.c tripwire()


def vbd_state(d, name="xenstore-before.txt", vdev="768"):
    """{'frontend': {key: value}, 'backend': {key: value}} of vbd @vdev in a snapshot."""
    st = {"frontend": {}, "backend": {}}
    for line in _read(d, name).splitlines():
        m = re.match(r'/local/domain/(\d+)/(device/vbd|backend/(?:vbd|qdisk)/\d+)/(\d+)/([\w-]+) = "(.*)"', line)
        if m and m.group(3) == vdev:
            side = "frontend" if m.group(2) == "device/vbd" else "backend"
            st[side][m.group(4)] = m.group(5)
    return st


def describe(st):
    f, b = st["frontend"], st["backend"]
    return ("frontend state=%s ring-ref=%s event-channel=%s protocol=%s; backend state=%s"
            % (f.get("state", "-"), f.get("ring-ref", "-"), f.get("event-channel", "-"),
               f.get("protocol", "-"), b.get("state", "-")))


def guest_passed(d):
    serial = _read(d, "serial.log")
    if "TAKEOVER START" not in serial:
        return ["takeover guest never started (no TAKEOVER START on its serial)"]
    bad = ["guest " + l.strip() for l in serial.splitlines() if re.match(r"CHECK \S+ fail", l)]
    if "TAKEOVER RESULT PASS" not in serial:
        m = re.search(r"TAKEOVER RESULT .*", serial)
        bad.append(m.group(0).strip() if m else "no TAKEOVER RESULT line")
    return bad


def guest_failed_at(d, name):
    """The guest's check @name failed (a negative control: the fault it models bit)."""
    serial = _read(d, "serial.log")
    if re.search(rf"^CHECK {re.escape(name)} fail", serial, re.M):
        return []
    return [f"expected the guest's CHECK {name} to fail"]


def idle_quiesced(d):
    """The ROM quiesced at a non-disk BIOS call after the disks were idle
    (rom/bios/quiesce.c quiesce_if_idle)."""
    dmesg = _read(d, "xl-dmesg-guest.txt")
    if re.search(r"quiesced at INT (10|16|1A|15)h after \d+ ms idle", dmesg):
        return []
    return ["no 'quiesced at INT ..h after N ms idle' in the ROM's log"]


def noreset_found(d, state):
    """The non-resetting frontend found the backend in @state when it started."""
    m = re.search(r"NORESET found backend-state=(-?\d+)", _read(d, "serial.log"))
    if not m:
        return ["no NORESET line"]
    return [] if m.group(1) == state else [f"backend state {m.group(1)} at the OS's connect, expected {state}"]


def rom_stepped_aside(d):
    """The ROM's tripwire fired: it saw the OS's callback and passed its calls on."""
    dmesg = _read(d, "xl-dmesg-guest.txt")
    return [] if ROM_TOOK_OVER in dmesg else [f"no '{ROM_TOOK_OVER}' in the ROM's log"]


def left_connected(d):
    """takeover-sim: the ROM was connected at takeover and must not tear anything down
    afterwards (no hypercalls): the frontend it connected stays Connected."""
    st = vbd_state(d)
    f, b = st["frontend"], st["backend"]
    if f.get("state") == "4" and b.get("state") == "4" and "ring-ref" in f:
        return []
    return ["expected the ROM's connection left as it was (frontend 4 with ring-ref, backend 4): "
            + describe(st)]


def clean_end_state(d):
    """The handover state every OS driver accepts: frontend 1, backend 2, no keys."""
    st = vbd_state(d)
    f, b = st["frontend"], st["backend"]
    bad = [k for k in ("ring-ref", "event-channel", "protocol") if k in f]
    if f.get("state") == "1" and b.get("state") == "2" and not bad:
        return []
    return ["expected the clean end state (frontend 1, backend 2, no ring keys): " + describe(st)]


def os_connected(d):
    """takeover-connect / handover-write: xenstore shows the OS's own connection, i.e. the
    ring-ref and event channel the guest printed in its OSRING line."""
    m = re.search(r"OSRING ring-ref=(\d+) event-channel=(\d+)", _read(d, "serial.log"))
    if not m:
        return ["no OSRING line: the OS part did not connect"]
    st = vbd_state(d)
    f, b = st["frontend"], st["backend"]
    if (f.get("state") == "4" and b.get("state") == "4" and f.get("ring-ref") == m.group(1)
            and f.get("event-channel") == m.group(2)):
        return []
    return [f"expected the OS's connection (frontend 4, ring-ref {m.group(1)}, "
            f"event-channel {m.group(2)}, backend 4): " + describe(st)]


def scratch_sector(lba):
    """main.c scratch_make(): b"XPVW" + LBA (LE32), then (LBA * 7 + 1) & 0xff."""
    head = b"XPVW" + struct.pack("<I", lba)
    return head + bytes([(lba * 7 + 1) & 0xff]) * (512 - len(head))


def scratch_on_disk(d):
    """handover-write: dom0 read the scratch LBAs from the backing image after the run."""
    try:
        with open(os.path.join(d, "disk-lbas.bin"), "rb") as f:
            got = f.read()
    except OSError:
        return ["no disk-lbas.bin (dom0 did not dump the scratch LBAs)"]
    want = b"".join(scratch_sector(SCRATCH_FIRST + i) for i in range(SCRATCH_RUN))
    if got == want:
        return []
    bad = [i for i in range(SCRATCH_RUN) if got[i * 512:(i + 1) * 512] != want[i * 512:(i + 1) * 512]]
    return [f"backing image differs at scratch LBAs {[SCRATCH_FIRST + i for i in bad][:8]} "
            f"({len(got)} bytes dumped)"]


if __name__ == "__main__":
    for d in sys.argv[1:]:
        print(d)
        for snap in ("xenstore-before.txt", "xenstore-after.txt"):
            print(f"  {snap}: {describe(vbd_state(d, snap))}")
