"""dead-qdisk, dead-blkback: expectations over the collected OUT/NAME/ directory (test/xen/lib/faults.py)."""
from checks import backend_as_configured, ended_by_marker, probe_e820, probe_ok, pv_served_boot, rom_logged
from faults import not_offered
from grants import final_table_empty


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_e820(d) + pv_served_boot(0x80)(d)
            + not_offered(d) + final_table_empty(d)
            + backend_as_configured(d))
