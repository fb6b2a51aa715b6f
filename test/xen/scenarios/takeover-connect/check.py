"""takeover-connect-qdisk, takeover-connect-blkback: expectations over the collected OUT/NAME/ directory (test/guest/takeover/README.md)."""
from checks import backend_as_configured, ended_by_marker, rom_logged
from takeover_checks import guest_passed, os_connected


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + guest_passed(d) + os_connected(d)
            + backend_as_configured(d))
