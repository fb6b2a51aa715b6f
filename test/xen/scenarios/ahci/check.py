"""ahci-qdisk, ahci-blkback: with hdtype = "ahci" the PV disk takes over no twin (new drive
81h); xenpvboot/boot = hda makes it 80h over PV, and the AHCI disk, moved to 81h, is
still SeaBIOS's: the probe's calls on 81h reach it (the ROM counts them) and answer."""
import re

from checks import (_read, backend_as_configured, ended_by_marker, keys_set, probe_ok,
                    rom_ended_quiesced, rom_lines, rom_logged, vbds_quiesced)
from probe_log import parse


def ahci_twin_left_alone(d):
    lines, bad = rom_lines(d), []
    if 'hdtype = "ahci"' not in _read(d, "guest.cfg"):
        bad.append("guest.cfg does not ask for hdtype = \"ahci\"")
    if "AHCI" not in _read(d, "xl-dmesg-guest.txt"):
        bad.append("SeaBIOS logged no AHCI disk")
    if not any(re.match(r"drive 81: vbd 768, .*, new drive", l) for l in lines):
        bad.append("no 'drive 81: vbd 768 ... new drive' line: the ROM took an AHCI twin over?")
    if "xenpvboot/boot: vbd 768 (hda) is drive 80, was 81; drives 80-80 moved up one" not in lines:
        bad.append("no 'xenpvboot/boot: vbd 768 (hda) is drive 80, was 81' line in the ROM log")
    if not any(re.match(r"drive 80: [1-9]\d* reads, \d+ writes, [1-9]\d* bytes over PV", l) for l in lines):
        bad.append("no nonzero 'drive 80: N reads ... bytes over PV' line: the boot was not over PV")
    p = parse(_read(d, "serial.log"))
    start = p["start"] or {}
    if start.get("bda75") != 2:
        bad.append(f"40:75 = {start.get('bda75')}, expected 2")
    on81 = [c for c in p["int13"] if c.get("drive") == 0x81]
    if not on81:
        bad.append("the probe made no call on 81h (the AHCI disk)")
    # SeaBIOS's fill_edd gives an AHCI disk the EDD 1.x answer alone: no device path
    # (the size word the BIOS left at the buffer's start, whatever size was asked for)
    sizes = [int.from_bytes(e["data"][:2], "little") for e in p["edd"]
             if e.get("drive") == 0x81 and e.get("cf") == 0 and len(e["data"]) >= 2]
    if not sizes or any(n != 26 for n in sizes):
        bad.append(f"81h's AH=48h answers are not all the 26-byte form: {sizes}")
    passed = [l for l in lines if l.startswith("calls for other hard disks passed on to the BIOS:")]
    if not passed or passed[-1].endswith(": 0"):
        bad.append(f"no call passed on to SeaBIOS's AHCI disk: {passed[-1] if passed else 'no count'}")
    return bad


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + ahci_twin_left_alone(d)
            + keys_set(d, ("boot", "hda")) + rom_ended_quiesced(d) + vbds_quiesced(d)
            + backend_as_configured(d))
