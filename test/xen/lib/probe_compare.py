"""Compare the probe's INT 13h answers for two drives on one image: SeaBIOS's own ATA
drive (0x80) and the ROM's PV drive (0x81, xenpvboot/twins = "keep"). The probe makes the
same calls in the same order on every drive, so the answers pair up call by call.

differences(parsed, a, b) -> [(key, value_a, value_b)], key naming the call and field,
e.g. "int13 ah=41 cx", "int13 ah=42 case=dap-size8 ah", "edd size=66 dpte".
ALLOWED is the list of intended differences: (regex over key, one line of why).
"""
import re

# (regex over the difference's key, why it is intended). Anything else is a finding.
ALLOWED = [
    (r"^int13 ah=41 cx$",
     "EDD support bits: SeaBIOS 0007 (adds removable-media functions 45h-49h), ours 0005"),
    (r"^edd size=(30|66|74) dpte$",
     "EDD 2.x DPTE pointer: SeaBIOS points at its ATA DPTE, ours FFFF:FFFF (no ATA ports)"),
    (r"^edd size=(66|74) (iface|iface-path|dev-path|checksum|beyond-66)$",
     "EDD 3.0 device path: SeaBIOS \"ATA\" channel/device, ours \"XENVBD\", the platform "
     "device's bus/slot/fn and the vdev (so the checksum differs too)"),
    (r"^edd size=(66|74) size$",
     "size word: SeaBIOS leaves 001E after filling 66 or 74 bytes; ours says what it filled"),
    (r"^int13 ah=42 case=(dap-size8|count128|dap-reserved) (cf|ah|st)$",
     "DAP checks: SeaBIOS checks neither the DAP size, count > 127 nor the reserved byte; "
     "ours answers 01h"),
    (r"^int13 ah=42 case=(dap-size8|count128|dap-reserved|lba-past-end|lba-count-past-end) dap$",
     "a refused DAP: ours writes back 0 blocks transferred; SeaBIOS leaves the count "
     "(or transfers what it can)"),
    (r"^int13 ah=42 case=lba-count-past-end (ah|st)$",
     "a transfer running past the end: SeaBIOS reads up to the end and answers 0Ch; ours "
     "refuses it whole with 01h"),
    (r"^int13 ah=02 case=(sector0|cyl-past-end|count129|head-past-end|dma-boundary) al$",
     "a refused CHS read: ours returns AL = 0 sectors transferred; SeaBIOS leaves the "
     "requested count in AL"),
    (r"^int13 ah=42 case=(flat-wrap|flat-rom) (cf|ah|st|dap)$",
     "a flat DAP buffer past 4 GiB or on the ROM's own stub: SeaBIOS ignores the 64-bit "
     "address (it reads to FFFF:FFFF); ours refuses it with 01h"),
    (r"^int13 ah=02 case=dma-boundary (cf|ah|st)$",
     "a CHS buffer running past ES:FFFF: SeaBIOS reads on across the segment's end; ours "
     "answers 09h (DMA boundary) as IBM's BIOS did"),
]

# AH=48 result buffer, EDD 3.0 (Phoenix), plus what a 74-byte buffer has past 66 bytes.
EDD_FIELDS = [
    ("size", 0, 2), ("flags", 2, 4), ("cylinders", 4, 8), ("heads", 8, 12), ("spt", 12, 16),
    ("sectors", 16, 24), ("bps", 24, 26), ("dpte", 26, 30), ("key", 30, 32),
    ("pathlen", 32, 33), ("reserved", 33, 36), ("host-bus", 36, 40), ("iface", 40, 48),
    ("iface-path", 48, 56), ("dev-path", 56, 64), ("reserved2", 64, 65), ("checksum", 65, 66),
    ("beyond-66", 66, 74),
]


def _call_key(c):
    return f"int13 ah={c['ah']:02x}" + (f" case={c['case']}" if "case" in c else "")


def _int13_fields(c, drive):
    """The answer of one call as named fields; DL is the drive itself on most returns,
    which says nothing, so it is folded to "drive" then."""
    ax, dx = c.get("ax", 0), c.get("dx", 0)
    f = {"cf": c.get("cf"), "ah": ax >> 8, "al": ax & 0xff, "bx": c.get("bx"),
         "cx": c.get("cx"), "dh": dx >> 8, "dl": "drive" if dx & 0xff == drive else dx & 0xff,
         "st": c.get("st")}
    if "dap" in c:
        f["dap"] = c["dap"]
    return f


def _edd_fields(e):
    data = e["data"]
    return {name: data[lo:hi].hex() for name, lo, hi in EDD_FIELDS if hi <= len(data)}


def _pairs(parsed, kind, a, b):
    return zip([x for x in parsed[kind] if x.get("drive") == a],
               [x for x in parsed[kind] if x.get("drive") == b])


def differences(parsed, a, b):
    """Over the calls before the probe's first E820 (after it, only the boot drive is
    read again)."""
    out = []
    calls = parsed["int13"][:parsed["after_e820"]]
    ca = [c for c in calls if c.get("drive") == a]
    cb = [c for c in calls if c.get("drive") == b]
    if [_call_key(c) for c in ca] != [_call_key(c) for c in cb]:
        out.append(("call sequence", len(ca), len(cb)))
    for x, y in zip(ca, cb):
        fx, fy = _int13_fields(x, a), _int13_fields(y, b)
        out += [(f"{_call_key(x)} {k}", fx.get(k), fy.get(k)) for k in fx if fx.get(k) != fy.get(k)]
    for x, y in _pairs(parsed, "edd", a, b):
        key = f"edd size={x['size']}"
        if x["cf"] != y["cf"]:
            out.append((f"{key} cf", x["cf"], y["cf"]))
        fx, fy = _edd_fields(x), _edd_fields(y)
        out += [(f"{key} {k}", fx.get(k), fy.get(k)) for k in fx if fx.get(k) != fy.get(k)]
    for x, y in _pairs(parsed, "reads", a, b):
        if (x["ok"], x["cf"]) != (y["ok"], y["cf"]):
            out.append((f"read fn={x['fn']:02x} lba={x['lba']} count={x['count']} ok",
                        x["ok"], y["ok"]))
    return out


def why_allowed(key):
    for pattern, why in ALLOWED:
        if re.search(pattern, key):
            return why
    return None


def fmt(v):
    return f"{v:04x}" if isinstance(v, int) and not isinstance(v, bool) else str(v)


def report(diffs, a, b):
    """Lines for compare.txt: every difference, allowed ones with their reason."""
    lines = [f"# drive {a:02x} (SeaBIOS) vs {b:02x} (xenpvboot): {len(diffs)} difference(s)"]
    for key, x, y in diffs:
        why = why_allowed(key)
        lines.append(f"{'ALLOWED' if why else 'FINDING'} {key}: {fmt(x)} vs {fmt(y)}"
                     + (f"  ({why})" if why else ""))
    return lines
