"""takeover-noreset-qdisk, takeover-noreset-blkback: the ROM quiesced at the loader's
countdown (idle), so an OS whose frontend does not reset found the backend in InitWait,
connected its own ring and read the disk (test/guest/takeover/README.md)."""
from checks import backend_as_configured, ended_by_marker, rom_logged
from takeover_checks import guest_passed, idle_quiesced, noreset_found, os_connected


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + guest_passed(d) + idle_quiesced(d)
            + noreset_found(d, "2") + os_connected(d) + backend_as_configured(d))
