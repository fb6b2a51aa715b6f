"""readonly-blkback: expectations over the collected OUT/readonly-blkback/ directory (test/xen/lib/faults.py)."""
from checks import backend_as_configured, ended_by_marker, probe_e820, probe_ok, rom_logged, vbds_quiesced
from faults import bad_inputs_answered, grant_audit_clean, read_only_answered
from grants import final_table_empty


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_e820(d) + read_only_answered(d)
            + bad_inputs_answered(d) + grant_audit_clean(d) + final_table_empty(d) + vbds_quiesced(d)
            + backend_as_configured(d))
