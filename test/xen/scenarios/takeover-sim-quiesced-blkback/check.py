"""takeover-sim-quiesced-blkback: expectations over the collected OUT/takeover-sim-quiesced-blkback/ directory (test/guest/takeover/README.md)."""
from checks import backend_is, ended_by_marker, rom_logged
from takeover_checks import clean_end_state, guest_passed, rom_stepped_aside


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + guest_passed(d) + rom_stepped_aside(d) + clean_end_state(d)
            + backend_is("vbd")(d))
