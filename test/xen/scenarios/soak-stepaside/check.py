"""soak-stepaside-qdisk, soak-stepaside-blkback: one boot of the step-aside control: the ROM's init ran, stepped
aside, and the probe booted over SeaBIOS's own disk code."""
from checks import backend_as_configured, ended_by_marker, probe_ok
from soak import rom_stepped_aside_at_init


def check(d):
    return ended_by_marker(d) + probe_ok(d) + rom_stepped_aside_at_init(d) + backend_as_configured(d)
