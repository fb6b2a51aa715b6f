"""bootkey-qdisk, bootkey-blkback: xenpvboot/boot = hdc makes the second of three PV disks
drive 80h; the other two keep their order (hdb 81h, xvde 82h) and 40:75 counts three."""
import re

from checks import (_read, backend_as_configured, ended_by_marker, keys_set, probe_ok,
                    rom_ended_quiesced, rom_lines, rom_logged, vbds_quiesced)
from probe_log import parse


def chosen_by_key(d):
    lines, bad = rom_lines(d), []
    for want in ('xenpvboot/boot is "hdc"',
                 "xenpvboot/boot: vbd 5632 (hdc) is drive 80, was 81; drives 80-80 moved up one"):
        if want not in lines:
            bad.append(f"no '{want}' line in the ROM log")
    # as numbered by each BCV, before the key moved them
    for drive, vbd, how in (("80", 832, "took over"), ("81", 5632, "took over"), ("82", 51776, "new drive")):
        if not any(re.match(rf"drive {drive}: vbd {vbd}, .*{how}", l) for l in lines):
            bad.append(f"no 'drive {drive}: vbd {vbd} ... {how}' line in the ROM log")
    if not any(re.match(r"drive 80: [1-9]\d* reads, \d+ writes, [1-9]\d* bytes over PV", l) for l in lines):
        bad.append("no nonzero 'drive 80: N reads ... bytes over PV' line: the boot was not over PV")
    start = parse(_read(d, "serial.log"))["start"] or {}
    if start.get("bda75") != 3:
        bad.append(f"40:75 = {start.get('bda75')}, expected 3")
    return bad


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + chosen_by_key(d)
            + keys_set(d, ("boot", "hdc")) + rom_ended_quiesced(d) + vbds_quiesced(d)
            + backend_as_configured(d))
