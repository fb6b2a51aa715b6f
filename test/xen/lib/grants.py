"""Grant hygiene from dom0's side: the checkpoint log grantcheck.py writes (GRANTCHECK=1
scenarios) and Xen's key-g dump the runner takes before destroying every guest.
Each check returns a list of failure reasons for one scenario's directory."""
import os
import re

from checks import _read
from grantcheck import active_refs
from probe_log import parse

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")


def _rom_define(header, name):
    """An integer #define of a rom/ header (decimal, u suffix, or a product like (65 * 4096))."""
    with open(os.path.join(TOP, "rom", header)) as f:
        m = re.search(rf"^#define {name}\s+\(?([0-9u *]+)\)?", f.read(), re.M)
    value = 1
    for factor in m.group(1).replace("u", "").split("*"):
        value *= int(factor)
    return value


# The refs the ROM grants from (rom/xen/grant.h GNTTAB_REF_FIRST, GNTTAB_REF_COUNT); below
# them the toolstack's own (0 console, 1 xenstore) stay mapped by dom0 all along.
_FIRST = _rom_define("xen/grant.h", "GNTTAB_REF_FIRST")
ROM_REFS = set(range(_FIRST, _FIRST + _rom_define("xen/grant.h", "GNTTAB_REF_COUNT")))
# A read may return with one read-ahead batch in flight (rom/block/blkfront.c
# "read-ahead"): its pages and its segment list may be mapped at the checkpoint.
RA_GRANTS = _rom_define("block/blkfront.h", "BLKFRONT_RA_BATCH") + 1
READ_CALL = re.compile(r"\bah=(02|42)\b")
LINE = re.compile(r"n=([0-9A-Fa-f]{4}) active=(\S+) rings=(\S+) call=(.*)$")


def data_grants_allowed(call, extra):
    """May the data grants @extra be mapped after @call?  Only read-ahead's, after a read."""
    return not extra or (READ_CALL.search(call) is not None and len(extra) <= RA_GRANTS)


def _refs(field):
    return set() if field in ("-", "?") else {int(x) for x in field.split(",")}


def checkpoints(d):
    """[(n, active, rings, call)] from grantcheck.log; active None if Xen's dump had no
    section for the guest."""
    out = []
    for line in _read(d, "grantcheck.log").splitlines():
        m = LINE.match(line)
        if m:
            active = None if m.group(2) == "?" else _refs(m.group(2))
            out.append((int(m.group(1), 16), active, _refs(m.group(3)), m.group(4)))
    return out


def every_call_clean(d):
    """Every INT 13h call the probe made was followed by a checkpoint at which no backend
    had any of the ROM's grants mapped but the published rings and, after a read, a
    read-ahead batch's; after each E820 call (the ROM's quiesce) not even those."""
    serial = parse(_read(d, "serial.log"))
    calls = len(serial["int13"]) + len(serial["e820_all"])
    cps, bad = checkpoints(d), []
    if serial["grantcheck_timeout"]:
        bad.append("the probe timed out waiting for a checkpoint answer")
    if len(cps) != calls or serial["grantchecks"] != calls:
        bad.append(f"{len(cps)} checkpoints logged, {serial['grantchecks']} asked, for {calls} calls")
    for n, active, rings, call in cps:
        if active is None:
            bad.append(f"checkpoint {n}: no grant-table section for the guest in Xen's dump")
            continue
        extra = (active & ROM_REFS) - rings
        if call.startswith("E820 ") and (active & ROM_REFS or rings):
            bad.append(f"checkpoint {n} after {call[:40]!r}: grants {sorted(active)} mapped, "
                       f"rings {sorted(rings)} published after the quiesce")
        elif not data_grants_allowed(call, extra):
            bad.append(f"checkpoint {n} after {call[:60]!r}: data grants {sorted(extra)} still mapped")
    return bad[:10]


def final_table_empty(d):
    """Xen's last key-g dump of the run (taken at the end marker, before destroy) shows no
    grant of the ROM's in use."""
    domid = _read(d, "domid").strip()
    dumps = re.split(r"gnttab_usage_print_all \[", _read(d, "xl-dmesg.txt"))
    if not domid or len(dumps) < 2:
        return ["no grant-table dump of the guest (xl debug-keys g) in its xl dmesg"]
    refs = active_refs(dumps[-1].split("gnttab_usage_print_all ] done")[0], int(domid))
    if refs is None:
        return [f"no section for d{domid} in Xen's last grant-table dump"]
    ours = sorted(set(refs) & ROM_REFS)
    return [f"grants {ours} of d{domid} (the ROM's) still in use at the end"] if ours else []
