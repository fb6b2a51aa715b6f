"""soak-norom-qdisk, soak-norom-blkback: one boot of the no-ROM control: the probe booted and ran over SeaBIOS's
own disk code, and nothing of the ROM ran."""
from checks import backend_as_configured, ended_by_marker, probe_ok
from soak import no_rom_ran


def check(d):
    return ended_by_marker(d) + probe_ok(d) + no_rom_ran(d) + backend_as_configured(d)
