"""soak-takeover-qdisk, soak-takeover-blkback: one boot of the takeover soak: takeover-sim-*'s expectations."""
from checks import backend_as_configured, ended_by_marker, rom_logged
from takeover_checks import guest_passed, left_connected, rom_stepped_aside


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + guest_passed(d) + rom_stepped_aside(d) + left_connected(d)
            + backend_as_configured(d))
