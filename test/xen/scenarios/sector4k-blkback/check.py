"""sector4k-blkback: a vbd with 4 KiB logical sectors (loop device, losetup --sector-size
4096, 2 TiB sparse). blkback says sector-size 4096; the ROM presents 4 KiB sectors (AH=48h
bytes per sector 4096, the sector count in 4 KiB units); the probe's AH=43 write and AH=42
read at LBA 2^29 + 16 (512-byte sector 2^32 + 128) succeed and the bytes read back are the
ones written; dom0 finds them in the backing file at that offset."""
import re
import struct

from checks import (_read, backend_as_configured, ended_by_marker, probe_ok, pv_served_boot,
                    rom_lines, rom_logged, vbds_quiesced)
from probe_log import parse

FOURK_LBA = (1 << 29) + 16
FOURK_SECTORS = (1 << 29) + 64


def expected_sector():
    """What the probe's fill_pattern writes: eight 512-byte runs "XPVB" + LBA + LBA & 0xff."""
    return b"".join(b"XPVB" + struct.pack("<I", FOURK_LBA + i) + bytes([(FOURK_LBA + i) & 0xff]) * 504
                    for i in range(8))


def fourk_disk(d):
    bad, p = [], parse(_read(d, "serial.log"))
    edd = [e for e in p["edd"] if e.get("drive") == 0x81 and e.get("cf") == 0 and len(e["data"]) >= 26]
    if not edd:
        return ["no AH=48h answer for drive 81h (the 4 KiB disk)"]
    data = edd[0]["data"]
    sectors, bps = struct.unpack_from("<QH", data, 16)
    if bps != 4096:
        bad.append(f"AH=48h bytes per sector {bps}, expected 4096")
    if sectors != FOURK_SECTORS:
        bad.append(f"AH=48h sectors {sectors}, expected {FOURK_SECTORS} (4 KiB units)")
    line = [l for l in _read(d, "serial.log").splitlines() if l.startswith("FOURK ")]
    want = f"FOURK drive=81 lba={FOURK_LBA:08x} wcf=0 cf=0 ok"
    if not line or line[0].strip() != want:
        bad.append(f"probe line {line[0].strip() if line else 'missing'!r}, expected {want!r}")
    try:
        got = open(f"{d}/far4k.bin", "rb").read()
    except OSError:
        got = b""
    if got != expected_sector():
        bad.append(f"backing file at lba {FOURK_LBA}: {got[:12]!r}..., not the sector the probe wrote")
    lines = rom_lines(d)
    if not any(re.match(r"drive 81: vbd 51776, \d+ x 4096 bytes, .*new drive", l) for l in lines):
        bad.append("no 'drive 81: vbd 51776, N x 4096 bytes ... new drive' line in the ROM log")
    if not re.search(r"/backend/vbd/\d+/51776/sector-size = \"4096\"", _read(d, "xenstore-before.txt")):
        bad.append("blkback's sector-size for xvde is not 4096 (xenstore before destroy)")
    return bad


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + probe_ok(d) + pv_served_boot(0x80)(d)
            + fourk_disk(d) + vbds_quiesced(d) + backend_as_configured(d))
