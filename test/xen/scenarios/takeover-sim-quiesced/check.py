"""takeover-sim-quiesced-qdisk, takeover-sim-quiesced-blkback: expectations over the collected OUT/NAME/ directory (test/guest/takeover/README.md)."""
from checks import backend_as_configured, ended_by_marker, rom_logged
from takeover_checks import clean_end_state, guest_passed, rom_stepped_aside


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + guest_passed(d) + rom_stepped_aside(d) + clean_end_state(d)
            + backend_as_configured(d))
