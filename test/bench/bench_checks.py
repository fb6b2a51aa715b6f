"""Expectations of the bench-* scenarios (test/xen/scenarios/bench-*/check.py): that a
run produced every figure test/bench/report.py reads, with no failed or wrong reads.
Each returns a list of failure reasons, as test/xen/lib/checks.py's do."""
import os
import re

from checks import _read, ended_by_marker, rom_logged, rom_lines, linux_ok, cd_served_boot

SIZES = (127, 8, 1)


def bench_lines(d):
    """The bench program's BENCH lines as dicts (drive as a string: "80", "81")."""
    out = []
    for line in _read(d, "serial.log").splitlines():
        if line.startswith("BENCH drive="):
            out.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
    return out


def twins_kept_rom(d):
    """xenpvboot/twins = keep: 80h stays SeaBIOS's ATA disk, the vbd is the new 81h."""
    lines = rom_lines(d)
    if any(re.match(r"drive 81: vbd 768, .*, new drive", l) for l in lines):
        return []
    return ["no 'drive 81: vbd 768, ... new drive' line in the ROM log"]


def bench_ok(d):
    bad = ended_by_marker(d) + rom_logged(d) + twins_kept_rom(d)
    got = {(b["drive"], int(b["sectors"])): b for b in bench_lines(d)}
    for drive in ("81", "80"):
        for n in SIZES:
            b = got.get((drive, n))
            if not b:
                bad.append(f"no BENCH line for drive {drive}, {n} sectors")
            elif int(b["errors"]) or not int(b["calls"]):
                bad.append(f"drive {drive}, {n} sectors: {b['calls']} calls, {b['errors']} errors")
    if "BENCH ERROR" in _read(d, "serial.log"):
        bad.append("BENCH ERROR on the guest serial")
    if "RAW what=file" not in _read(d, "raw.txt"):
        bad.append("no dom0 raw read figures (raw.txt)")
    return bad


def banner_seen(d):
    """The guest kernel's "Linux version" line reached xl dmesg (earlyprintk=xen)."""
    ok = re.search(r"\(d\d+\) \[ *[\d.]+\] .*Linux version", _read(d, "xl-dmesg-guest.txt"))
    return [] if ok else ["no timestamped 'Linux version' line in the guest's xl dmesg"]


def cpu_sampled(d):
    return [] if re.search(r"^marker qemu ", _read(d, "cpu.txt"), re.M) else ["no qemu CPU sample at the marker"]


def loader_over_pv(d):
    """The boot loader's reads went over PV (80h taken over, a nonzero count). Only what
    the figures need: the correctness checks of a PV boot are linux-qdisk's and -blkback's."""
    lines, bad = rom_lines(d), []
    if not any(re.match(r"drive 80: .*took over its emulated IDE twin", l) for l in lines):
        bad.append("no 'drive 80: ... took over' line in the ROM log")
    if not any(re.match(r"drive 80: [1-9]\d* reads, \d+ writes, [1-9]\d* bytes over PV", l) for l in lines):
        bad.append("no nonzero 'drive 80: N reads ... bytes over PV' line in the ROM log")
    return bad


def linux_pv_ok(d):
    return (ended_by_marker(d) + rom_logged(d) + linux_ok(d) + loader_over_pv(d)
            + banner_seen(d) + cpu_sampled(d))


def linux_emu_ok(d):
    rom = [l for l in _read(d, "xl-dmesg-guest.txt").splitlines() if "xenpvboot" in l]
    return (ended_by_marker(d) + linux_ok(d) + banner_seen(d) + cpu_sampled(d)
            + (["the ROM ran though no ROM was attached"] if rom else []))


def cd_booted_seen(d):
    """SeaBIOS's El Torito boot started (its `Booting from DVD/CD` line, timestamped)."""
    ok = re.search(r"\(d\d+\) \[ *[\d.]+\] Booting from DVD/CD", _read(d, "xl-dmesg-guest.txt"))
    return [] if ok else ["no timestamped 'Booting from DVD/CD' line in the guest's xl dmesg"]


def cd_bench_ok(d, pv):
    """bench-cd-*: the loader phase's two ends were logged; through the ROM the CD's reads
    went over PV, without it no ROM line at all."""
    bad = ended_by_marker(d) + cd_booted_seen(d) + banner_seen(d)
    if pv:
        return bad + rom_logged(d) + cd_served_boot(0xe0)(d)
    rom = [l for l in _read(d, "xl-dmesg-guest.txt").splitlines() if "xenpvboot" in l]
    return bad + (["the ROM ran though no ROM was attached"] if rom else [])


def hard_disk_boot_seen(d):
    """SeaBIOS booted the hard disk (its `Booting from Hard Disk` line, timestamped)."""
    ok = re.search(r"\(d\d+\) \[ *[\d.]+\] Booting from Hard Disk", _read(d, "xl-dmesg-guest.txt"))
    return [] if ok else ["no timestamped 'Booting from Hard Disk' line in the guest's xl dmesg"]


def floor_served(d, drive="80", handover=True):
    """The floor ROM preloaded @drive's disk at BCV, reserved its range in E820, and served
    the reads from memory with no connect after the preload (rom/variants/floor.c); with
    @handover, its count of them, which it logs at the hand-over (the bench program never
    hands over: its BENCH lines have the reads)."""
    lines, bad = rom_lines(d), []
    pre = [i for i, l in enumerate(lines)
           if re.match(rf"floor: drive {drive}: [1-9]\d* blocks .* read to [0-9a-f]{{8}} in \d+ ms \(0\)", l)]
    if not pre:
        bad.append(f"no successful 'floor: drive {drive}: N blocks ... read to ... (0)' line in the ROM log")
    if not any(re.match(r"floor: E820 reserves [0-9a-f]{8}-[0-9a-f]{8}; reads below it are served from memory", l)
               for l in lines):
        bad.append("no 'floor: E820 reserves ...; reads below it are served from memory' line")
    served = [l for l in lines if re.match(r"floor: [1-9]\d* reads, [1-9]\d* bytes served from memory", l)]
    if handover and not served:
        bad.append("no nonzero 'floor: N reads, B bytes served from memory' line")
    if pre and any(re.match(r"vbd \d+ connected", l) for l in lines[pre[0] + 1:]):
        bad.append("a vbd connected after the preload: some of the loader's reads went over PV")
    return bad


def grub_bench_ok(d, rom):
    """bench-grub-*: GRUB started the kernel, whose `Linux version` in xl dmesg (earlyprintk=xen)
    ends the run (DMESG_MARKER): the loader phase's two ends were logged; rom: "pv" (the
    loader's reads over PV), "floor" (served from memory) or "emu" (no ROM at all). That the
    payload arrives whole and Linux's blkfront takes over after the hand-over is the grub
    scenario's check (test/xen/scenarios/grub/), in make check, without earlyprintk."""
    bad = ended_by_marker(d) + hard_disk_boot_seen(d) + banner_seen(d)
    if rom == "pv":
        return bad + rom_logged(d) + loader_over_pv(d)
    if rom == "floor":
        return bad + rom_logged(d) + floor_served(d)
    rom_seen = [l for l in _read(d, "xl-dmesg-guest.txt").splitlines() if "xenpvboot" in l]
    return bad + (["the ROM ran though no ROM was attached"] if rom_seen else [])
