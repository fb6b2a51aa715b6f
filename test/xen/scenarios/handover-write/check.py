"""handover-write-qdisk, handover-write-blkback: expectations over the collected OUT/NAME/ directory (test/guest/takeover/README.md)."""
from checks import backend_as_configured, ended_by_marker, rom_logged
from takeover_checks import guest_passed, os_connected, scratch_on_disk


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + guest_passed(d) + os_connected(d) + scratch_on_disk(d)
            + backend_as_configured(d))
