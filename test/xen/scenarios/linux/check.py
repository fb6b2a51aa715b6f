"""linux-qdisk, linux-blkback: expectations over the collected OUT/NAME/ directory."""
from checks import backend_as_configured, ended_by_marker, rom_logged, linux_ok, frontend_connected, pv_served_boot


def check(d):
    # The boot loader's reads over PV and the hand-over at E820, then Linux's own blkfront
    # connects (state 4 before destroy is Linux's, not ours).
    return (ended_by_marker(d) + rom_logged(d) + linux_ok(d) + pv_served_boot(0x80)(d)
            + frontend_connected(d) + backend_as_configured(d))
