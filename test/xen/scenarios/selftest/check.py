"""selftest-qdisk, selftest-blkback: the POST self-test ROM's log against the images, the probe's writes on
the scratch drive, and the hand-over state at the end marker (after the probe's E820)."""
from checks import (backend_as_configured, ended_by_marker, probe_e820, probe_ok, probe_writes_ok,
                    pv_served_boot, rom_logged, selftest_ok, vbds_quiesced)
from faults import bad_inputs_answered, served_after_quiesce


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + selftest_ok(d) + probe_ok(d) + probe_writes_ok(d)
            + probe_e820(d) + pv_served_boot(0x80)(d) + vbds_quiesced(d) + bad_inputs_answered(d) + served_after_quiesce(d)
            + backend_as_configured(d))
