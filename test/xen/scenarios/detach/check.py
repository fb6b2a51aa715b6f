"""detach-qdisk, detach-blkback: expectations over the collected OUT/NAME/ directory (test/xen/lib/faults.py)."""
from checks import backend_as_configured, ended_by_marker, probe_e820, probe_ok, rom_logged
from faults import soak_fault_answered, toolstack_removed
from grants import final_table_empty


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_e820(d)
            + soak_fault_answered((0xaa,))(d) + toolstack_removed(d) + final_table_empty(d)
            + backend_as_configured(d))
