"""takeover-noreset-early-qdisk, takeover-noreset-early-blkback: with no BIOS call after
the loader's last read the ROM stays Connected, and the OS whose frontend does not reset
gets no answer on its ring: what takeover-noreset would show without the idle quiesce."""
from checks import backend_as_configured, ended_by_marker, rom_logged
from takeover_checks import guest_failed_at, idle_quiesced, noreset_found


def check(d):
    never_idle = [] if idle_quiesced(d) else ["the ROM quiesced on idle, yet no call came"]
    return (ended_by_marker(d) + rom_logged(d) + never_idle + noreset_found(d, "4")
            + guest_failed_at(d, "noreset-read") + backend_as_configured(d))
