"""probe-qdisk, probe-blkback: expectations over the collected OUT/NAME/ directory."""
from checks import (backend_as_configured, ended_by_marker, probe_e820, probe_ok, pv_served_boot, rom_logged,
                    vbds_quiesced)
from faults import bad_inputs_answered, served_after_quiesce


def check(d):
    # The probe's reads go over PV (the ROM took 80h over); its last call is E820, where
    # the ROM must hand the vbd back.
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_e820(d) + pv_served_boot(0x80)(d)
            + vbds_quiesced(d) + bad_inputs_answered(d) + served_after_quiesce(d)
            + backend_as_configured(d))
