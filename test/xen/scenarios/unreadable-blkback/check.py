"""unreadable-blkback: expectations over the collected OUT/unreadable-blkback/ directory.

The extra vbd connects (blkback over a device-mapper error device) and fails its first
read, so the ROM offers no drive for it; at the probe's end marker (past its E820 quiesce)
every vbd, that one included, must be handed back clean: frontend Initialising, backend
InitWait, no ring-ref / event-channel / protocol."""
import re

from checks import (backend_as_configured, ended_by_marker, probe_e820, probe_ok, pv_served_boot, rom_lines,
                    rom_logged, vbds_quiesced)
from faults import EXTRA_VDEV, not_offered
from grants import final_table_empty


def read_failed(d):
    """Init connected the vbd and its first read failed with an I/O error (-5)."""
    if any(re.match(rf"vbd {EXTRA_VDEV}: not offered \(-5\)", l) for l in rom_lines(d)):
        return []
    return [f"no 'vbd {EXTRA_VDEV}: not offered (-5)': its first read did not fail as an I/O error"]


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_e820(d) + pv_served_boot(0x80)(d)
            + not_offered(d) + read_failed(d) + vbds_quiesced(d) + final_table_empty(d)
            + backend_as_configured(d))
