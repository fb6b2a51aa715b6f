"""grants-qdisk, grants-blkback: expectations over the collected OUT/NAME/ directory (test/xen/lib/faults.py)."""
from checks import (backend_as_configured, ended_by_marker, probe_e820, probe_ok, probe_writes_ok, rom_logged,
                    vbds_quiesced)
from faults import bad_inputs_answered, grant_audit_clean, served_after_quiesce
from grants import every_call_clean, final_table_empty


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_writes_ok(d) + probe_e820(d)
            + bad_inputs_answered(d) + served_after_quiesce(d) + grant_audit_clean(d)
            + every_call_clean(d) + final_table_empty(d) + vbds_quiesced(d)
            + backend_as_configured(d))
