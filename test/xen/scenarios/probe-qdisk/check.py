"""probe-qdisk: expectations over the collected OUT/probe-qdisk/ directory."""
from checks import backend_is, ended_by_marker, rom_logged, probe_ok


def check(d):
    return ended_by_marker(d) + rom_logged(d) + probe_ok(d) + backend_is("qdisk")(d)
