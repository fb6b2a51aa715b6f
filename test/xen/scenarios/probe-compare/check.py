"""probe-compare-qdisk, probe-compare-blkback: SeaBIOS's INT 13h answers (80h, ATA) against the ROM's (81h, PV)
on the same image, call by call; intended differences are in lib/probe_compare.py ALLOWED."""
from checks import (backend_as_configured, ended_by_marker, probe_e820, probe_ok, rom_logged,
                    rom_ended_quiesced, seabios_matches_pv, twins_kept,
                    vbds_quiesced)
from faults import bad_inputs_answered


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + probe_e820(d) + twins_kept(d)
            + seabios_matches_pv(d) + rom_ended_quiesced(d) + vbds_quiesced(d) + bad_inputs_answered(d)
            + backend_as_configured(d))
