"""linux-qdisk: expectations over the collected OUT/linux-qdisk/ directory."""
from checks import backend_is, ended_by_marker, rom_logged, linux_ok, frontend_connected


def check(d):
    return ended_by_marker(d) + rom_logged(d) + linux_ok(d) + frontend_connected(d) + backend_is("qdisk")(d)
