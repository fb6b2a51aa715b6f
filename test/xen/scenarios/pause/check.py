"""pause-qdisk, pause-blkback: expectations over the collected OUT/NAME/ directory (test/xen/lib/faults.py)."""
from checks import backend_as_configured, ended_by_marker, probe_e820, probe_ok, rom_logged
from faults import served_after_quiesce, soak_fault_answered, stalled_grants_accounted


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_e820(d)
            + soak_fault_answered((0x80, 0x20), min_secs=29)(d)
            + served_after_quiesce(d) + stalled_grants_accounted(d)
            + backend_as_configured(d))
