"""The CD INT 13h probe (test/guest/cdprobe/cdprobe.asm): its serial log parsed, one run
checked on its own, and two runs on one ISO (cd-probe-emu: SeaBIOS's ATAPI, NOROM=1;
cd-probe-pv: the ROM serving E0h over PV) compared case by case, field by field.

parse(text) -> {
  "start": {"drive": 0xe0, "ivt13": "f000:e3fe"} or None,
  "cases": {name: {"cf", "ax", "bx", "cx", "dx", "st", "dap"?, "sum"?, "head"?, "data"?}},
           (ints but head and data, which are bytes),
  "order": [name...] (as the log gave them), "dups": [name...] (a name seen twice),
  "e820": {"cf"} or None, "done": bool }

differences(emu, pv) -> [(key, value_emu, value_pv)], key "CASE FIELD", e.g.
"check41-badbx ah", "params48-66 dpte", "spec4b01 media", "read-dap8 sum".
ALLOWED: (regex over the key, why); anything else is a finding.
"""
import os
import re

from probe_compare import EDD_FIELDS

_KV = re.compile(r"(\w+)=(\S+)")
_BYTES = ("head", "data")
MASK = 0xffffffff

# El Torito specification packet (AH=4Bh): 19 bytes, and the one after (the probe fills
# the buffer with CCh first, so "beyond" shows a write past the packet).
SPEC_FIELDS = [
    ("size", 0, 1), ("media", 1, 2), ("drive", 2, 3), ("controller", 3, 4), ("lba", 4, 8),
    ("device-spec", 8, 10), ("buffer-segment", 10, 12), ("load-segment", 12, 14),
    ("sector-count", 14, 16), ("chs", 16, 19), ("beyond", 19, 20),
]

# Reads inside the ISO: each must succeed with its whole count on either path.
GOOD_READS = {"read-pvd": 1, "read-lba0": 1, "read-lba16-4": 4, "read-lba16-32": 32,
              "read-lba17": 1, "read-mid-1": 1, "read-mid-32": 32, "read-last-1": 1,
              "read-end-32": 32, "read-dap24": 1, "read-segwrap": 2, "read-phys64k": 2,
              "read-after-4b00": 1}
# Reads whose first block is in the ISO's file of numbered blocks (build.sh: "XPVBCD" + k).
BLOCK_READS = ("read-mid-1", "read-mid-32", "read-last-1", "read-end-32")
PVD_HEAD = bytes.fromhex("0143443030310100")    # type 1, "CD001", version 1
EMULATED = "cd-probe-emu"

# (regex over the difference's key, why it is intended). Anything else is a finding.
ALLOWED = [
    (r"^check41-badbx (cf|ah|bx|cx|st)$",
     "AH=41h with BX other than 55AAh: SeaBIOS does not check BX (answers 3000h, AA55h, "
     "0007h); ours answers 01h, as for disks"),
    (r"^params48-(30|66|74) dpte$",
     "EDD 2.x DPTE pointer: SeaBIOS points at its ATAPI DPTE; ours FFFF:FFFF (no ATA ports)"),
    (r"^params48-(66|74) size$",
     "size word: SeaBIOS leaves 001Eh after filling 66 or 74 bytes; ours says what it filled"),
    (r"^params48-(66|74) (host-bus|iface|iface-path|dev-path|reserved2|checksum|beyond-66)$",
     "EDD 3.0 device path: SeaBIOS \"PCI\"/\"ATA\", the IDE controller's bus/slot/fn and "
     "the channel's master/slave; ours \"XENVBD\", the platform device's bus/slot/fn and "
     "the vdev (5632), so the checksum differs too"),
    (r"^read-(dap8|dap-reserved) (cf|ah|st|dap|sum|head)$",
     "a malformed DAP (size 8, reserved byte set): SeaBIOS reads; ours refuses it with 01h "
     "and a count of 0, as for disks"),
    (r"^read-dap24-flat (sum|head)$",
     "a 24-byte DAP with FFFF:FFFF and a 64-bit buffer address: SeaBIOS ignores the address "
     "and reads to FFFF:FFFF (about 1 MiB); ours reads to the 64-bit address (EDD 3.0)"),
]


def _hexfields(line):
    out = {}
    for k, v in _KV.findall(line):
        try:
            out[k] = bytes.fromhex(v) if k in _BYTES else int(v, 16)
        except ValueError:
            out[k] = None           # a garbled field never equals a good one
    return out


def parse(text):
    out = {"start": None, "cases": {}, "order": [], "dups": [], "e820": None, "done": False}
    for raw in text.splitlines():
        line = raw.strip("\r\n\x00 ")
        if line.startswith("CDPROBE START"):
            f = dict(_KV.findall(line))
            out["start"] = {"drive": int(f.get("drive", "0"), 16), "ivt13": f.get("ivt13")}
        elif line.startswith("CD "):
            parts = line.split(None, 2)
            if len(parts) < 3:
                continue
            name = parts[1]
            if name in out["cases"]:
                out["dups"].append(name)
            out["cases"][name] = _hexfields(parts[2])
            out["order"].append(name)
        elif line.startswith("E820 "):
            out["e820"] = _hexfields(line)
        elif line == "CDPROBE DONE":
            out["done"] = True
    return out


def region_sum(data):
    """cdprobe.asm's sum_region over @data (a multiple of 4 bytes): a << 32 | b, for
    a += d, b += a over its dwords d, mod 2^32 (b weighs each dword by its place)."""
    a = b = 0
    for i in range(0, len(data), 4):
        a = (a + int.from_bytes(data[i:i + 4], "little")) & MASK
        b = (b + a) & MASK
    return a << 32 | b


def run_problems(p, label):
    """What is wrong with one run on its own: it must have started on E0h, reached its
    end, and read the ISO's blocks where they are (the volume descriptor at 16, the
    numbered blocks in the middle and at the end), each with its whole count."""
    if not p["start"]:
        return [f"{label}: the CD probe never started (no CDPROBE START on the serial)"]
    bad = []
    if p["start"]["drive"] != 0xe0:
        bad.append(f"{label}: the CD probe booted as drive {p['start']['drive']:02x}, not e0")
    if not p["done"]:
        bad.append(f"{label}: no CDPROBE DONE")
    bad += [f"{label}: case {n} twice" for n in sorted(set(p["dups"]))]
    for name, count in GOOD_READS.items():
        c = p["cases"].get(name)
        if c is None:
            bad.append(f"{label}: no {name} line")
        elif c.get("cf") != 0 or c.get("dap") != count:
            bad.append(f"{label}: {name} cf={c.get('cf')} ax={c.get('ax', 0):04x} "
                       f"dap={c.get('dap')}, wanted cf=0 dap={count}")
    for name in ("read-pvd", "read-lba16-4", "read-after-4b00"):
        head = p["cases"].get(name, {}).get("head")
        if head is not None and head != PVD_HEAD:
            bad.append(f"{label}: {name} head {head.hex()}: not the primary volume descriptor")
    for name in BLOCK_READS:
        head = p["cases"].get(name, {}).get("head")
        if head is not None and not head.startswith(b"XPVBCD"):
            bad.append(f"{label}: {name} head {head.hex()}: not one of the ISO's numbered blocks")
    sums = {p["cases"].get(n, {}).get("sum") for n in ("read-pvd", "read-dap24", "read-after-4b00")}
    if len(sums) != 1:
        bad.append(f"{label}: the volume descriptor read three ways summed differently")
    return bad


def _split(name, c):
    """A case's answer as named fields: registers, and the buffer it filled by field."""
    ax = c.get("ax") or 0
    f = {k: c.get(k) for k in ("cf", "bx", "cx", "dx", "st", "dap", "sum", "head") if k in c}
    f["ah"], f["al"] = ax >> 8, ax & 0xff
    data = c.get("data")
    if data is not None:
        table = EDD_FIELDS if name.startswith("params48") else SPEC_FIELDS
        f.update({k: data[lo:hi] for k, lo, hi in table if hi <= len(data)})
    return f


def differences(emu, pv):
    out = []
    for name in emu["order"] + [n for n in pv["order"] if n not in emu["cases"]]:
        if name not in emu["cases"] or name not in pv["cases"]:
            out.append((f"{name} case", name in emu["cases"], name in pv["cases"]))
            continue
        fe, fp = _split(name, emu["cases"][name]), _split(name, pv["cases"][name])
        out += [(f"{name} {k}", fe.get(k), fp.get(k)) for k in fe if fe.get(k) != fp.get(k)]
        out += [(f"{name} {k}", None, fp[k]) for k in fp if k not in fe]
    return out


def why_allowed(key):
    for pattern, why in ALLOWED:
        if re.search(pattern, key):
            return why
    return None


def fmt(v):
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:016x}" if v > 0xffff else f"{v:04x}"    # sums are two dwords
    return str(v)


def report(diffs):
    """Lines for compare.txt: every difference, allowed ones with their reason."""
    lines = [f"# E0h through SeaBIOS's ATAPI ({EMULATED}) vs through the ROM over PV: "
             f"{len(diffs)} difference(s)"]
    for key, x, y in diffs:
        why = why_allowed(key)
        lines.append(f"{'ALLOWED' if why else 'FINDING'} {key}: {fmt(x)} vs {fmt(y)}"
                     + (f"  ({why})" if why else ""))
    return lines


def _read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return None


def emulated_run(d):
    """cd-probe-emu's collected serial.log from the sibling folder of this scenario's
    results (one test/xen/run invocation), or None."""
    return _read(os.path.join(os.path.dirname(os.path.abspath(d)), EMULATED, "serial.log"))


def matches_emulated(d):
    """cd-probe-pv's check: this run's answers against cd-probe-emu's, all differences
    into compare.txt, those not in ALLOWED failures."""
    emu_text = emulated_run(d)
    if emu_text is None:
        return [f"no {EMULATED} results next to this run: run {EMULATED} before it in the "
                f"same test/xen/run invocation (test/xen/run {EMULATED} cd-probe-pv)"]
    emu, pv = parse(emu_text), parse(_read(os.path.join(d, "serial.log")) or "")
    bad = run_problems(emu, EMULATED) + run_problems(pv, "this run")
    diffs = differences(emu, pv)
    with open(os.path.join(d, "compare.txt"), "w") as f:
        f.write("\n".join(report(diffs)) + "\n")
    return bad + [f"emulated/PV differ: {k}: {fmt(x)} vs {fmt(y)}"
                  for k, x, y in diffs if not why_allowed(k)]


def probe_ran(d):
    """cd-probe-emu's check of its own run."""
    return run_problems(parse(_read(os.path.join(d, "serial.log")) or ""), "this run")
