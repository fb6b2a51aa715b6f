"""cd-probe-emu: the CD probe's calls on E0h answered by SeaBIOS's own ATAPI code (no ROM):
the reference cd-probe-pv is compared with."""
from cd_probe import probe_ran
from checks import ended_by_marker
from soak import no_rom_ran


def check(d):
    return ended_by_marker(d) + probe_ran(d) + no_rom_ran(d)
