"""bootmenu-qdisk, bootmenu-blkback: SeaBIOS's boot menu lists each PV disk under its own
name, and the entry chosen (xvde, PV only) boots as drive 80h while hda still takes over
its emulated twin, now 81h."""
import re

from checks import (_read, backend_as_configured, ended_by_marker, probe_ok, rom_ended_quiesced,
                    rom_lines, rom_logged, vbds_quiesced)
from probe_log import parse


def menu_lines(d):
    """SeaBIOS's menu as its debug port printed it: the lines after "Select boot device:"."""
    out, seen = [], False
    for line in _read(d, "xl-dmesg-guest.txt").splitlines():
        text = re.sub(r"^\(d\d+\) (\[[^\]]*\] )?", "", line).strip()
        if text == "Select boot device:":
            seen = True
        elif seen and re.match(r"\d+\. ", text):
            out.append(text)
        elif seen and out:
            break
    return out


def menu_lists_each_disk(d):
    kind = "blkback" if "backendtype=phy" in _read(d, "guest.cfg") else "qdisk"
    menu, bad = menu_lines(d), []
    if not menu:
        said = [l for l in _read(d, "hook.log").splitlines() if l.startswith("hook: ")]
        return [f"no 'Select boot device:' menu in the guest's xl dmesg; the hook: {said}"]
    for disk in ("hda", "xvde"):
        want = f"Xen PV disk {disk} 16 MiB ({kind})"
        if not any(re.fullmatch(rf"\d+\. {re.escape(want)}", l) for l in menu):
            bad.append(f"no menu entry '{want}' in {menu}")
    if any("Xen PV block disks" in l for l in menu):
        bad.append("the ROM's build-time entry is still listed")
    return bad


def chosen_disk_is_80h(d):
    lines, bad = rom_lines(d), []
    if not any(re.match(r"drive 80: vbd 51776, .*, new drive", l) for l in lines):
        bad.append("no 'drive 80: vbd 51776 ... new drive' line: the chosen disk is not 80h")
    if not any(re.match(r"drive 81: vbd 768, .*took over its emulated IDE twin", l) for l in lines):
        bad.append("no 'drive 81: vbd 768 ... took over' line in the ROM log")
    if not any(re.match(r"drive 80: [1-9]\d* reads, \d+ writes, [1-9]\d* bytes over PV", l) for l in lines):
        bad.append("no nonzero 'drive 80: N reads ... bytes over PV' line: the boot was not over PV")
    start = parse(_read(d, "serial.log"))["start"] or {}
    if start.get("bda75") != 2:
        bad.append(f"40:75 = {start.get('bda75')}, expected 2")
    return bad


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + menu_lists_each_disk(d)
            + chosen_disk_is_80h(d) + rom_ended_quiesced(d) + vbds_quiesced(d)
            + backend_as_configured(d))
