"""Expectations of the robustness scenarios: the bad-input table as the probe
runs it on the ROM's drives, read-only vbds, backends that never connect, go away, or
stall, and writes that must survive a reset. Each returns a list of failure reasons for
one scenario's collected directory (OUT/NAME/)."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "guest"))
from checks import PROBE_MIN_READS, _file, _read, rom_lines
from mkdisk import pattern_sector
from probe_log import parse

EXTRA_VDEV = 51776              # xvde: dom0/run.sh EXTRA_VDEV
# rom/block/blkfront.h: BLKFRONT_IO_TIMEOUT_MS 30 s per request; the probe's clock is the
# RTC (1 s steps), so one more second either side.
IO_TIMEOUT_S = 30

# case -> (CF, AH, 40:74) the ROM must answer on its own drives; rom/bios/int13.c, the same
# rows as test/unit/test_int13.c's bad-input table. "dap": the DAP's count must read 0.
BAD_INPUTS = {
    "unknown": 0x01, "count0": 0x01, "sector0": 0x01, "cyl-past-end": 0x01,
    "count129": 0x01, "sector-past-track": 0x01, "head-past-end": 0x01,
    "dma-boundary": 0x09, "dap-size8": 0x01, "dap-reserved": 0x01, "count128": 0x01,
    "lba-past-end": 0x01, "lba-count-past-end": 0x01, "write-al3": 0x01,
    "flat-wrap": 0x01, "flat-rom": 0x01,
}
READ_ONLY = {"ro-write03": 0x03, "ro-format05": 0x03, "ro-write43": 0x03,
             "ro-verify04": 0x00, "ro-verify44": 0x00}


def rom_drives(d):
    """{drive: line} for every drive the ROM offered (its "drive XX: vbd N, ..." lines)."""
    out = {}
    for line in rom_lines(d):
        m = re.match(r"drive ([0-9a-f]{2}): vbd \d+, ", line)
        if m:
            out[int(m.group(1), 16)] = line
    return out


def _answer(c):
    return f"cf={c['cf']} ah={c['ax'] >> 8:02x} st={c.get('st', -1):02x}"


def _rows_answered(p, drive, table):
    bad = []
    seen = {c["case"]: c for c in p["int13"] if c.get("drive") == drive and "case" in c}
    for case, want in table.items():
        c = seen.get(case)
        if c is None:
            continue            # a row the drive does not get (scratch-only, geometry)
        ok = c["cf"] == (want != 0) and c["ax"] >> 8 == want and c.get("st") == want
        if ok and want and "dap" in c and case not in ("unknown",):
            ok = c["dap"] == 0
        if not ok:
            bad.append(f"drive {drive:02x} {case}: {_answer(c)}"
                       + (f" dap={c['dap']}" if "dap" in c else "") + f", expected ah={want:02x}")
    return bad


def bad_inputs_answered(d):
    """Every bad-input row the probe made on a drive of the ROM's got the table's answer
    (CF, AH and 40:74); the flat-address DAP read the right sector; AH=01h reports the
    unknown function's status; a drive number past 40:75 is refused (by the BIOS)."""
    p, bad = parse(_read(d, "serial.log")), []
    drives = rom_drives(d)
    if not drives:
        return ["the ROM offered no drive"]
    for drive in drives:
        rows = [c for c in p["int13"] if c.get("drive") == drive and c.get("case") in BAD_INPUTS]
        if len(rows) < 10:
            bad.append(f"drive {drive:02x}: only {len(rows)} bad-input rows in the probe's log")
        bad += _rows_answered(p, drive, BAD_INPUTS)
        after = [c for c in p["int13"] if c.get("drive") == drive and c.get("case") == "after-unknown"]
        if not after or after[0]["ax"] >> 8 != 0x01 or not after[0]["cf"]:
            bad.append(f"drive {drive:02x}: AH=01h after an unknown function: "
                       f"{_answer(after[0]) if after else 'not called'}, expected ah=01")
        # the flat read must find the pattern where the drive has it (not on a scratch disk)
        flat = [f for f in p["flat"] if f["drive"] == drive]
        patterned = any(r["ok"] for r in p["reads"] if r["drive"] == drive and r["lba"] == 32)
        if not flat or flat[0]["cf"] or flat[0]["ok"] != patterned:
            bad.append(f"drive {drive:02x}: flat-address DAP read {flat or 'not made'}")
    unknown = [c for c in p["int13"] if c.get("case") == "unknown-drive"]
    if not unknown or not unknown[0]["cf"]:
        bad.append(f"a drive past 40:75 was not refused: {unknown or 'not called'}")
    return bad


def served_after_quiesce(d):
    """The read the probe makes after its E820 call (the ROM has quiesced) is served right
    (the ROM reconnects), and the second E820 quiesces again."""
    p, bad = parse(_read(d, "serial.log")), []
    if p["after_e820"] is None:
        return ["no 'AFTER E820' in the probe's log"]
    calls = p["int13"][p["after_e820"]:]
    if not calls or calls[0]["cf"]:
        bad.append(f"read after the quiesce: {_answer(calls[0]) if calls else 'not made'}")
    reads = [r for r in p["reads"] if r["lba"] == 34]      # PATTERN_FIRST + 2
    if not reads or not reads[-1]["ok"]:
        bad.append("the read after the quiesce did not return the pattern")
    if len(p["e820_all"]) != 2:
        bad.append(f"{len(p['e820_all'])} E820 lines, expected 2")
    quiesced = [l for l in rom_lines(d) if l.startswith("quiesced at E820")]
    if len(quiesced) < 2:
        bad.append(f"the ROM quiesced {len(quiesced)} times at E820, expected 2 or more")
    return bad


def grant_audit_clean(d):
    """The ROM's own count: every INT 13h call it served returned with no data grant live."""
    lines = [l for l in rom_lines(d) if re.match(r"INT 13h: \d+ calls served", l)]
    if not lines:
        return ["no 'INT 13h: N calls served, ...' line in the ROM log"]
    bad = [l for l in lines if not l.endswith(", 0 returned with data grants live")]
    return [f"ROM log: {bad[0]}"] if bad else []


def read_only_answered(d):
    """The read-only vbd is offered as read-only; writes and format get 03h (write
    protected) in AH and 40:74, verifies and reads succeed."""
    p, bad = parse(_read(d, "serial.log")), []
    ro = [dr for dr, line in rom_drives(d).items() if line.endswith(", read-only")]
    if len(ro) != 1:
        return [f"expected one read-only drive in the ROM log, got {ro}"]
    drive = ro[0]
    rows = [c for c in p["int13"] if c.get("drive") == drive and c.get("case") in READ_ONLY]
    if len(rows) != len(READ_ONLY):
        bad.append(f"drive {drive:02x}: {len(rows)} read-only rows in the probe's log")
    bad += _rows_answered(p, drive, READ_ONLY)
    reads = [r for r in p["reads"] if r["drive"] == drive]
    if len(reads) < PROBE_MIN_READS or not all(r["ok"] for r in reads):
        bad.append(f"drive {drive:02x}: reads {reads}")
    return bad


def not_offered(d, bound_ms=45000):
    """The vbd whose backend never connects was given up within the bound, got no drive
    number (40:75 counts the boot disk only), and left nothing published."""
    lines, bad = rom_lines(d), []
    m = [re.match(rf"vbd {EXTRA_VDEV}: not offered \((-?\d+)\), gave up after (\d+) ms$", l)
         for l in lines]
    m = [x for x in m if x]
    if not m:
        bad.append(f"no 'vbd {EXTRA_VDEV}: not offered (...), gave up after N ms' line")
    elif int(m[0].group(2)) > bound_ms:
        bad.append(f"gave up after {m[0].group(2)} ms, bound {bound_ms} ms")
    if any(re.match(rf"drive [0-9a-f]{{2}}: vbd {EXTRA_VDEV},", l) for l in lines):
        bad.append(f"vbd {EXTRA_VDEV} was offered as a drive")
    start = parse(_read(d, "serial.log"))["start"] or {}
    if start.get("bda75") != 1:
        bad.append(f"40:75 = {start.get('bda75')}, expected 1")
    left = re.findall(rf"/device/vbd/{EXTRA_VDEV}/(ring-ref|event-channel)\b",
                      _read(d, "xenstore-before.txt"))
    if left:
        bad.append(f"vbd {EXTRA_VDEV} frontend still has {sorted(set(left))}")
    return bad


def soak_fault_answered(want_ah, min_secs=0):
    """The probe's soak loop on the extra disk read the pattern right until the fault, then
    got errors (AH in @want_ah; at least one taking @min_secs or more) each within the
    I/O timeout, never wrong data, and the probe went on to the end."""
    def check(d):
        p, bad = parse(_read(d, "serial.log")), []
        soak = p["soak"]
        if not soak:
            return ["no SOAK END line: the soak loop did not finish"]
        s = soak[0]
        if s["corrupt"]:
            bad.append(f"{s['corrupt']} soak reads returned wrong data")
        if not s["ok"]:
            bad.append("no soak read succeeded before the fault")
        if not s["failed"]:
            bad.append("no soak read failed: the fault did not reach the ROM")
        if s["maxsecs"] > IO_TIMEOUT_S + 1:
            bad.append(f"a soak read took {s['maxsecs']} s, bound {IO_TIMEOUT_S + 1} s")
        fails = p["soakfail"]
        odd = [f for f in fails if f["ah"] not in want_ah]
        if odd:
            bad.append(f"soak errors {[hex(f['ah']) for f in odd]}, expected {[hex(a) for a in want_ah]}")
        if fails and max(f["secs"] for f in fails) < min_secs:
            bad.append(f"no failed soak read took {min_secs} s or more: {fails}")
        if not p["done"]:
            bad.append("no PROBE DONE after the fault")
        return bad
    return check


def toolstack_removed(d):
    """xl block-detach succeeded (the ROM closed its side, so libxl could remove the vbd)
    and no frontend node of the vbd is left (nor re-created by the ROM)."""
    bad = []
    if not re.search(r"block-detach returned 0\b", _read(d, "hook.log")):
        bad.append("xl block-detach did not succeed (hook.log)")
    if f"/device/vbd/{EXTRA_VDEV}/" in _read(d, "xenstore-before.txt"):
        bad.append(f"device/vbd/{EXTRA_VDEV} still in xenstore after the detach")
    return bad


def stalled_grants_accounted(d):
    """A stalled backend may keep our pages mapped past the handover; every such grant in
    Xen's final dump is one the ROM's log owned up to ("teardown: N grants still live")."""
    from grants import final_table_empty
    left = final_table_empty(d)
    if not left:
        return []
    m = re.search(r"grants \[([\d, ]+)\] of d\d+", left[0])
    owned = [int(x) for l in rom_lines(d) for x in re.findall(r"^teardown: (\d+) grants still live$", l)]
    if m and owned and len(m.group(1).split(",")) <= owned[-1]:
        return []
    return [f"{left[0]}; the ROM's log owned up to {owned[-1] if owned else 'none'}"]


def written_before_reset(d):
    """The 64 sectors the probe wrote with AH=43h right before resetting the guest are on
    the scratch disk's backing file (read in dom0 after the domain was gone), the guest
    really reset, and the ROM had not quiesced (so nothing but the write itself put the
    data there)."""
    p, bad = parse(_read(d, "serial.log")), []
    rw = p["resetwrite"]
    if not rw or rw["cf"]:
        bad.append(f"RESETWRITE {rw or 'missing'}")
    end = (_read(d, "end").strip().splitlines() or [""])[-1]
    if end != "poweroff":
        bad.append(f"guest run ended by {end or 'nothing'}, expected the reset (poweroff)")
    if not re.search(r"shut down, reason code 1\b|reboot", _read(d, "xl.log")):
        bad.append("xl's log does not show a reboot of the guest")
    head = _file(d, "scratch-head.bin")
    want = b"".join(pattern_sector(lba) for lba in range(8, 72))
    if head[8 * 512:72 * 512] != want:
        bad.append("scratch sectors 8-71 on the backing file are not what the probe wrote")
    if any(l.startswith("quiesced") for l in rom_lines(d)):
        bad.append("the ROM quiesced before the reset")
    return bad
