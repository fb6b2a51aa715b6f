"""chainload-qdisk, chainload-blkback: SYSLINUX's chain.c32, loaded over PV from 80h,
chain-loads drive 81h (the PV-only xvde): the probe starts there with DL = 81h, 40:75 = 2,
and its reads on 81h go over PV."""
import re

from checks import (_read, backend_as_configured, ended_by_marker, rom_ended_quiesced, rom_lines,
                    rom_logged, vbds_quiesced)
from probe_log import parse


def chained_to_81h(d):
    p, bad = parse(_read(d, "serial.log")), []
    start = p["start"] or {}
    if start.get("bootdrive") != 0x81:
        bad.append(f"probe started from drive {start.get('bootdrive')}, expected 0x81")
    if start.get("bda75") != 2:
        bad.append(f"40:75 = {start.get('bda75')}, expected 2")
    reads = [r for r in p["reads"] if r.get("drive") == 0x81]
    if not reads:
        bad.append("the probe read nothing from 81h")
    bad += [f"read fn={r['fn']:02x} lba={r['lba']} count={r['count']} failed" for r in reads if not r["ok"]]
    lines = rom_lines(d)
    if not any(re.match(r"drive 80: vbd 768, .*took over its emulated IDE twin", l) for l in lines):
        bad.append("no 'drive 80: vbd 768 ... took over' line in the ROM log")
    if not any(re.match(r"drive 81: vbd 51776, .*new drive", l) for l in lines):
        bad.append("no 'drive 81: vbd 51776 ... new drive' line in the ROM log")
    for drive in ("80", "81"):                 # SYSLINUX and chain.c32; the probe
        if not any(re.match(rf"drive {drive}: [1-9]\d* reads, \d+ writes, [1-9]\d* bytes over PV", l)
                   for l in lines):
            bad.append(f"no nonzero 'drive {drive}: N reads ... bytes over PV' line in the ROM log")
    return bad


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + chained_to_81h(d) + rom_ended_quiesced(d)
            + vbds_quiesced(d) + backend_as_configured(d))
