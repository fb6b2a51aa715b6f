"""cd-probe-pv: the CD probe's calls on E0h served by the ROM over PV, answered as SeaBIOS's
ATAPI answered them in cd-probe-emu (the sibling results folder), field by field, but for
the intended differences in lib/cd_probe.py ALLOWED; all differences go to compare.txt.
The probe's last call is E820: the CD vbd must be left as found."""
from cd_probe import matches_emulated
from checks import cd_served_boot, cd_vbd_as_found, ended_by_marker, rom_ended_quiesced, rom_logged


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + cd_served_boot(0xe0)(d) + matches_emulated(d)
            + rom_ended_quiesced(d) + cd_vbd_as_found(d))
