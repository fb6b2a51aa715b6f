"""cd-grub: GRUB's rescue ISO boots from the CD, reads its modules and grub.cfg from drive
E0h over PV and shows the grub.cfg's menu; the CD vbd is left as found."""
import os

from checks import ended_by_marker, rom_logged, cd_served_boot, cd_vbd_as_found


def menu_shown(d):
    try:
        with open(os.path.join(d, "screen.txt"), errors="replace") as f:
            screen = f.read()
    except OSError:
        return ["no screen.txt (the VGA text screen read over QMP)"]
    bad = []
    if "GNU GRUB" not in screen:
        bad.append("GRUB's header is not on the screen")
    if "GNU/Linux" not in screen:           # the ISO's grub.cfg's first entry
        bad.append("the menu of the ISO's grub.cfg is not on the screen")
    return bad


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + menu_shown(d) + cd_served_boot(0xe0)(d)
            + cd_vbd_as_found(d))
