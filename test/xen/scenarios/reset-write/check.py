"""reset-write-qdisk, reset-write-blkback: expectations over the collected OUT/NAME/ directory (test/xen/lib/faults.py).
The guest is gone before the runner looks, so xenstore says nothing here."""
from checks import rom_logged
from faults import written_before_reset


def check(d):
    return rom_logged(d) + written_before_reset(d)
