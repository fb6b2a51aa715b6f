#!/usr/bin/env python3
"""report.py BENCH_DIR OUT.md: the benchmark report from test/bench/run's raw results.

Reads BENCH_DIR/raw/run-*/bench-*/ (one test/xen/run output per testbed boot),
BENCH_DIR/size.txt and BENCH_DIR/machine.txt; writes OUT.md and BENCH_DIR/results.json
(every figure of every run, then the medians). Only figures found in the files appear:
a figure no run produced is listed as missing, never filled in.
"""
import glob
import json
import os
import re
import statistics
import sys

SIZES = (127, 8, 1)
BACKENDS = (("qdisk", "qdisk"), ("blkback", "blkback"))
TS = re.compile(r"^\(d(\d+)\) \[\s*([\d.]+)\] ?(.*)$")


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# ---------- one scenario directory -> figures ----------

def bench_figures(d):
    """INT 13h reads: {"81/127": {...}, ...} from the bench program's BENCH lines."""
    out = {}
    for line in read(os.path.join(d, "serial.log")).splitlines():
        if not line.startswith("BENCH drive="):
            continue
        b = dict(kv.split("=", 1) for kv in line.split()[1:])
        calls, nbytes = int(b["calls"]), int(b["bytes"])
        secs = int(b["cycles"]) / (int(b["tsc_khz"]) * 1000.0)
        if not calls or int(b["errors"]):
            continue                    # a failed measurement posts no figure
        out[f"{b['drive']}/{b['sectors']}"] = {
            "calls": calls, "bytes": nbytes, "seconds": secs,
            "MBps": nbytes / secs / 1e6, "us_per_call": secs / calls * 1e6}
    return out


def raw_figures(d):
    """dom0's dd of the region: {"file/cold": MB/s, ...} from raw.txt."""
    out = {}
    for line in read(os.path.join(d, "raw.txt")).splitlines():
        m = re.match(r"RAW what=(\S+) cache=(\S+) dd: (\d+) bytes .* copied, ([\d.]+) s", line)
        if m:
            out[f"{m.group(1)}/{m.group(2)}"] = {
                "bytes": int(m.group(3)), "seconds": float(m.group(4)),
                "MBps": int(m.group(3)) / float(m.group(4)) / 1e6}
    return out


def guest_lines(d):
    """(time, text) of the guest's (dN) lines of xl dmesg, in order."""
    out = []
    for line in read(os.path.join(d, "xl-dmesg-guest.txt")).splitlines():
        m = TS.match(line)
        if m:
            out.append((float(m.group(2)), m.group(3)))
    return out


def first(lines, pred, start=0):
    """Index of the first line from start on whose text satisfies pred, else None."""
    for i in range(start, len(lines)):
        if pred(lines[i][1]):
            return i
    return None


def first_sector_line(t):
    """The ROM's first sector for the loader: a connect on the first read (the BCV let
    go), or the first call served on the connection init kept (rom/bios/quiesce.c)."""
    return (re.match(r"xenpvboot: vbd \d+ connected", t) is not None or
            t.startswith("xenpvboot: first INT 13h call since the BCV served"))


def boot_figures(d):
    """Seconds between xl dmesg timestamps (see the report's definitions)."""
    lines, out = guest_lines(d), {}
    if not lines:
        return out
    t_on = lines[0][0]
    banner = first(lines, lambda t: "Linux version" in t)
    if banner is not None:
        out["poweron_to_takeover"] = lines[banner][0] - t_on
    boot = first(lines, lambda t: t.startswith("Booting from Hard Disk"))
    if boot is not None and banner is not None and banner > boot:
        out["loader_phase"] = lines[banner][0] - lines[boot][0]
    # The BCV: the ROM's first line after SeaBIOS's "Searching bootorder" that follows
    # the option ROM scan, i.e. after init's last line; init's lines come before
    # "Press ESC" (SeaBIOS prints it after the scan), the BCV's after.
    esc = first(lines, lambda t: t.startswith("Press ESC"))
    if esc is not None and boot is not None:
        bcv = first(lines, lambda t: t.startswith("xenpvboot:"), esc)
        conn = first(lines, first_sector_line, boot)
        if bcv is not None and bcv < boot and conn is not None:
            out["bcv_to_first_sector"] = lines[conn][0] - lines[bcv][0]
            out["bcv_line"] = lines[bcv][1]
            # where it goes: the BCV's own connect/describe/disconnect, SeaBIOS until it
            # boots, then the MBR's first read bringing Xen up and connecting again
            gone = first(lines, lambda t: re.match(r"xenpvboot: vbd \d+ disconnected", t) is not None, bcv)
            if gone is not None and gone < boot:
                out["bcv_own"] = lines[gone][0] - lines[bcv][0]
            out["boot_to_first_connected"] = lines[conn][0] - lines[boot][0]
    # Reconnects: after each "quiesced", the next "xen up" to the next "connected".
    recon, i = [], 0
    while True:
        q = first(lines, lambda t: t.startswith("xenpvboot: quiesced"), i)
        if q is None:
            break
        up = first(lines, lambda t: t.startswith("xenpvboot: xen up"), q)
        conn = first(lines, lambda t: re.match(r"xenpvboot: vbd \d+ connected", t) is not None, up or q)
        nxt = first(lines, lambda t: t.startswith("xenpvboot: quiesced"), q + 1)
        if up is not None and conn is not None and (nxt is None or conn < nxt):
            recon.append(lines[conn][0] - lines[up][0])
        i = q + 1
    if recon:
        out["reconnect"] = statistics.median(recon)
        out["reconnects"] = len(recon)
    # The CD's loader phase: SeaBIOS starts the El Torito boot -> the kernel runs.
    cd = first(lines, lambda t: t.startswith("Booting from DVD/CD"))
    if cd is not None and banner is not None and banner > cd:
        out["cd_loader"] = lines[banner][0] - lines[cd][0]
        # through the ROM, the loader's part of it: to the last hand-over before the kernel
        # (what follows is the kernel's decompression, the same on both paths)
        gone = [i for i in range(cd, banner) if lines[i][1].startswith("xenpvboot: quiesced at E820")]
        if gone:
            out["cd_loader_reads"] = lines[gone[-1]][0] - lines[cd][0]
    cd_served = [re.search(r"drive e0: (\d+) reads, \d+ writes, (\d+) bytes over PV", t) for _, t in lines]
    cd_served = [m for m in cd_served if m]
    if cd_served:
        out["cd_pv_reads"], out["cd_pv_bytes"] = int(cd_served[-1].group(1)), int(cd_served[-1].group(2))
    e820 = first(lines, lambda t: t.startswith("xenpvboot: quiesced at E820"))
    if e820 is not None:
        out["poweron_to_quiesce_e820"] = lines[e820][0] - t_on
    for _, t in lines:
        m = re.match(r"0: 0000000000000000 - ([0-9a-f]+) = 1 RAM", t.strip())
        if m:
            out["base_ram_end"] = int(m.group(1), 16)
            break
    floor = [re.search(r"xenpvboot: floor: (\d+) reads, (\d+) bytes served from memory", t) for _, t in lines]
    floor = [m for m in floor if m]
    if floor:
        out["floor_reads"], out["floor_bytes"] = int(floor[-1].group(1)), int(floor[-1].group(2))
    for _, t in lines:
        m = re.search(r"xenpvboot: floor: drive 80: (\d+) blocks of (\d+) bytes read to \S+ in (\d+) ms \(0\)", t)
        if m:
            out["floor_preload_bytes"] = int(m.group(1)) * int(m.group(2))
            out["floor_preload_s"] = int(m.group(3)) / 1000.0
    served = [re.search(r"drive 80: (\d+) reads, \d+ writes, (\d+) bytes over PV", t) for _, t in lines]
    served = [m for m in served if m]
    if served:
        out["pv_reads"], out["pv_bytes"] = int(served[-1].group(1)), int(served[-1].group(2))
    return out


def cpu_figures(d):
    """dom0 CPU seconds to the marker: the guest's qemu, its blkback threads, dom0 busy."""
    text, out = read(os.path.join(d, "cpu.txt")), {}
    m = re.search(r"^clk_tck (\d+)", text, re.M)
    hz = int(m.group(1)) if m else 100
    m = re.search(r"^marker qemu \d+ \S+ (\d+) (\d+)", text, re.M)
    if m:
        out["qemu_cpu_s"] = (int(m.group(1)) + int(m.group(2))) / hz
    threads = {}
    for m in re.finditer(r"^(?:last|marker) blkback (\d+) \S+ (\d+) (\d+)", text, re.M):
        threads[m.group(1)] = max(threads.get(m.group(1), 0), int(m.group(2)) + int(m.group(3)))
    # qdisk has no blkback; a blkback guest with no thread seen means the sampler missed
    # them (run-1 of 2026-11-25 looked for the wrong name): no figure rather than 0.
    if threads:
        out["blkback_cpu_s"] = sum(threads.values()) / hz
        out["blkback_threads"] = len(threads)
    stats = {}
    for m in re.finditer(r"^(start|marker) dom0 cpu\s+([\d ]+)$", text, re.M):
        v = [int(x) for x in m.group(2).split()]
        stats[m.group(1)] = (sum(v), v[3] + v[4])       # total, idle + iowait
    if "start" in stats and "marker" in stats:
        out["dom0_busy_s"] = ((stats["marker"][0] - stats["marker"][1])
                              - (stats["start"][0] - stats["start"][1])) / hz
    ups = dict(re.findall(r"^(start|marker) uptime ([\d.]+)", text, re.M))
    if "start" in ups and "marker" in ups:
        out["wall_s"] = float(ups["marker"]) - float(ups["start"])
    return out


# ---------- all runs ----------

def collect(bench_dir):
    runs = []
    for run in sorted(glob.glob(os.path.join(bench_dir, "raw", "run-*")),
                      key=lambda p: int(p.rsplit("-", 1)[1])):
        r = {"run": os.path.basename(run), "scenarios": {},
             "rom": "; ".join(read(os.path.join(run, "rom.txt")).split("\n")).strip("; ") or "not recorded"}
        for d in sorted(glob.glob(os.path.join(run, "bench-*"))):
            name = os.path.basename(d)
            r["scenarios"][name] = {
                "verdict": read(os.path.join(d, "verdict.txt")).strip() or "no verdict",
                "bench": bench_figures(d), "raw": raw_figures(d),
                "boot": boot_figures(d), "cpu": cpu_figures(d)}
        runs.append(r)
    return runs


def values(runs, scenario, group, key, field=None):
    out = []
    for r in runs:
        v = r["scenarios"].get(scenario, {}).get(group, {}).get(key)
        if isinstance(v, dict):
            v = v.get(field)
        if v is not None:
            out.append(v)
    return out


def summary(vals):
    return {"n": len(vals), "median": statistics.median(vals), "min": min(vals), "max": max(vals)} if vals else None


def fmt(s, digits=2, unit=""):
    """median (min–max, n runs), or "—" when no run produced the figure."""
    if not s:
        return "— (not measured)"
    f = f"{{:.{digits}f}}"
    if s["n"] == 1:
        return f"{f.format(s['median'])}{unit} (1 run)"
    return f"{f.format(s['median'])}{unit} ({f.format(s['min'])}–{f.format(s['max'])}, n={s['n']})"


# ---------- the report ----------

def kv_file(path):
    out = {}
    for line in read(path).splitlines():
        if " " in line:
            k, v = line.split(" ", 1)
            out[k] = v
    return out


def size_figures(bench_dir):
    out = []
    for line in read(os.path.join(bench_dir, "size.txt")).splitlines():
        m = re.match(r"(\S+): ROM (\d+) bytes, resident after init (\d+) bytes; C image (\d+) bytes, (\d+) in PMM memory", line)
        if m:
            out.append({"rom": m.group(1), "rom_bytes": int(m.group(2)), "resident": int(m.group(3)),
                        "image": int(m.group(4)), "pmm": int(m.group(5))})
    return out


def conventional_memory(runs):
    """What the ROM's init says about where its C image went (PMM or base memory)."""
    for r in runs:
        for s in r["scenarios"]:
            d = os.path.join(BENCH_DIR, "raw", r["run"], s)
            for _, t in guest_lines(d):
                if t.startswith("xenpvboot:") and "C image at" in t:
                    return t[len("xenpvboot: "):]
    return None


def range_of(vals):
    return f"{min(vals)}" if min(vals) == max(vals) else f"{min(vals)}–{max(vals)}"


def throughput_section(runs, L):
    L.append("## INT 13h reads: AH=42h from the bench program (drive 80h emulated, 81h PV or the floor)\n")
    L.append("Same image, same region, same first LBA (8192); MB/s = bytes / seconds, seconds from the "
             "TSC calibrated against the PIT in the guest. `bytes` is exactly what each figure covers per run "
             "(a measurement stops at 64 MiB or after BENCH_SECONDS).\n")
    L.append("| backend | drive | sectors/call | MB/s | µs per call | bytes per run | calls per run |")
    L.append("|---|---|---|---|---|---|---|")
    for be, _ in BACKENDS:
        for sc, drive, what in ((f"bench-{be}", "81", "81h PV"), (f"bench-floor-{be}", "81", "81h floor"),
                                (f"bench-{be}", "80", "80h emulated")):
            for n in SIZES:
                key = f"{drive}/{n}"
                mb = summary(values(runs, sc, "bench", key, "MBps"))
                us = summary(values(runs, sc, "bench", key, "us_per_call"))
                by = values(runs, sc, "bench", key, "bytes")
                ca = values(runs, sc, "bench", key, "calls")
                L.append(f"| {be} | {what} | {n} | {fmt(mb, 3)} | {fmt(us, 0)} | "
                         f"{range_of(by) if by else '—'} | {range_of(ca) if ca else '—'} |")
    L.append("")
    L.append("PV / emulated, per run then median (min–max):\n")
    L.append("| backend | 127 sectors | 8 sectors | 1 sector |")
    L.append("|---|---|---|---|")
    for be, _ in BACKENDS:
        sc, cells = f"bench-{be}", []
        for n in SIZES:
            ratios = []
            for r in runs:
                b = r["scenarios"].get(sc, {}).get("bench", {})
                if f"81/{n}" in b and f"80/{n}" in b:
                    ratios.append(b[f"81/{n}"]["MBps"] / b[f"80/{n}"]["MBps"])
            cells.append(fmt(summary(ratios), 1, "x"))
        L.append(f"| {be} | " + " | ".join(cells) + " |")
    L.append("")
    L.append("### dom0 reading the same 64 MiB of the backing image (dd bs=1M, after the guest)\n")
    L.append("| backend | what | page cache | MB/s | PV 127-sector rate as % of it (per run, median) |")
    L.append("|---|---|---|---|---|")
    for be, _ in BACKENDS:
        sc = f"bench-{be}"
        keys = sorted({k for r in runs for k in r["scenarios"].get(sc, {}).get("raw", {})})
        for k in keys:
            what, cache = k.split("/")
            pct = []
            for r in runs:
                s = r["scenarios"].get(sc, {})
                if k in s.get("raw", {}) and "81/127" in s.get("bench", {}):
                    pct.append(100 * s["bench"]["81/127"]["MBps"] / s["raw"][k]["MBps"])
            L.append(f"| {be} | {what} | {'dropped first' if cache == 'cold' else 'warm'} | "
                     f"{fmt(summary(values(runs, sc, 'raw', k, 'MBps')), 1)} | {fmt(summary(pct), 2, '%')} |")
    fs = {read(p).splitlines()[0].split()[-1] for p in glob.glob(os.path.join(BENCH_DIR, "raw", "run-*", "bench-*", "raw.txt"))
          if read(p).startswith("tmp-fs")}
    if fs:
        L.append(f"\nThe guest's disk image lives in dom0's `/tmp`, file system type {', '.join(sorted(fs))}: "
                 "for a tmpfs, dropping the page cache cannot evict it, so \"dropped first\" is a memory read too.")
    L.append("")


def per_run_ratio(runs, be, key, field, den_scenario, op=lambda a, b: a / b):
    """op(bench-@be's figure, @den_scenario's) per run (both in the same testbed boot),
    summarised; op: the ratio unless given."""
    out = []
    for r in runs:
        num = r["scenarios"].get(f"bench-{be}", {}).get("bench", {}).get(key)
        den = r["scenarios"].get(den_scenario, {}).get("bench", {}).get(key)
        if num and den:
            out.append(op(num[field], den[field]))
    return summary(out)


def floor_raw_pct(runs, be):
    """The floor's 127-sector rate as % of dom0's dd of the region (cache dropped), per run:
    the most any INT 13h path reaches in this testbed, against the raw-rate target."""
    out = []
    for r in runs:
        fl = r["scenarios"].get(f"bench-floor-{be}", {}).get("bench", {}).get("81/127")
        raw = r["scenarios"].get(f"bench-{be}", {}).get("raw", {}).get("file/cold")
        if fl and raw:
            out.append(100 * fl["MBps"] / raw["MBps"])
    return summary(out)


def bounds_section(runs, L):
    """Per call, the ROM's PV path against the floor's: what the Xen side adds."""
    L.append("### What bounds the PV rate\n")
    L.append("The ROM (rom/block/blkfront.c, \"read-ahead\") serves a sequential stream from a cache of "
             "64 pages, filled by one batch of up to 32 pages at a time (one indirect request on blkback, "
             "requests of 11 segments on qdisk), pushed as a call returns and collected at the next "
             "entry; a call the cache does not cover waits for the batch, or reads through the bounce "
             "pages. The floor (`bench-floor-*`: the floor ROM, rom/variants/floor.h, which preloaded 81h "
             "at BCV) answers the same calls by one copy from memory with no Xen call: its time per call "
             "is the INT 13h entry, the mode switches and the copy in this testbed, which no ROM can go "
             "below. PV − floor is what the Xen path adds per call. PV and floor are two guests of one "
             "testbed boot, minutes apart, and an INT 13h call's cost moves between guests by a few hundred "
             "µs: a small difference, or a negative one, is that noise. Per call, medians:\n")
    L.append("| backend | sectors/call | PV µs per call | floor µs per call | PV − floor, µs (per run) | "
             "PV / floor (per run) | floor MB/s |")
    L.append("|---|---|---|---|---|---|---|")
    for be, _ in BACKENDS:
        for n in SIZES:
            key = f"81/{n}"
            pv = summary(values(runs, f"bench-{be}", "bench", key, "us_per_call"))
            fl = summary(values(runs, f"bench-floor-{be}", "bench", key, "us_per_call"))
            diff = per_run_ratio(runs, be, key, "us_per_call", f"bench-floor-{be}", lambda a, b: a - b)
            ratio = per_run_ratio(runs, be, key, "us_per_call", f"bench-floor-{be}")
            L.append(f"| {be} | {n} | {fmt(pv, 0)} | {fmt(fl, 0)} | {fmt(diff, 0)} | {fmt(ratio, 2, 'x')} | "
                     f"{fmt(summary(values(runs, f'bench-floor-{be}', 'bench', key, 'MBps')), 3)} |")
    L.append("")
    L.append("| backend | the floor's 127-sector rate as % of dom0's raw rate (cache dropped), per run |")
    L.append("|---|---|")
    for be, _ in BACKENDS:
        L.append(f"| {be} | {fmt(floor_raw_pct(runs, be), 2, '%')} |")
    L.append("")


def baseline_section(runs, base_dir, L, pair=None):
    """The same figures from a baseline ROM measured on the same machine state (BENCH_BASELINE);
    @pair: the names of this ROM's runs made in the baseline's sitting (BENCH_BASELINE_PAIR),
    the only ones set against it; all runs when not given."""
    base = collect(base_dir)
    if not base:
        return
    if pair:
        runs = [r for r in runs if r["run"] in pair]
    bm = kv_file(os.path.join(base_dir, "machine.txt"))
    L.append("## Against the baseline (same machine, same sitting)\n")
    L.append(f"Baseline: `{base_dir}` ({len(base)} run(s), tree `{bm.get('git', '?')}`, "
             f"{bm.get('date', '?')}) against {', '.join(r['run'] for r in runs) or 'no run'} of this ROM; "
             "ratio = this ROM / the baseline, medians.\n")
    L.append("| figure | baseline | this ROM | ratio |")
    L.append("|---|---|---|---|")
    rows = []
    for be, _ in BACKENDS:
        for n in SIZES:
            rows.append((f"{be}, 81h PV, {n} sectors/call, MB/s", f"bench-{be}", "bench", f"81/{n}", "MBps", 3))
    for be, _ in BACKENDS:
        # the control: SeaBIOS's emulated path, which no ROM change touches, shows how much
        # the machine's load moved between the two boots
        rows.append((f"{be}, 80h emulated (control), 8 sectors/call, MB/s", f"bench-{be}", "bench", "80/8", "MBps", 3))
    for be, _ in BACKENDS:
        rows.append((f"{be}, loader phase (`Booting from Hard Disk` → `Linux version`), s",
                     f"bench-linux-pv-{be}", "boot", "loader_phase", None, 2))
        rows.append((f"{be}, BCV → first sector served, s",
                     f"bench-linux-pv-{be}", "boot", "bcv_to_first_sector", None, 3))
        rows.append((f"{be}, power-on → takeover, s",
                     f"bench-linux-pv-{be}", "boot", "poweron_to_takeover", None, 2))
    for label, sc, group, key, field, digits in rows:
        b = summary(values(base, sc, group, key, field))
        t = summary(values(runs, sc, group, key, field))
        ratio = f"{t['median'] / b['median']:.2f}x" if b and t and b["median"] else "—"
        L.append(f"| {label} | {fmt(b, digits)} | {fmt(t, digits)} | {ratio} |")

    def call_ratio(rs, be):
        """127-sector call time / 8-sector call time, per run: the extra cost of the bigger call,
        measured within one boot, so less sensitive to the machine's load than MB/s across boots."""
        out = []
        for r in rs:
            b = r["scenarios"].get(f"bench-{be}", {}).get("bench", {})
            if "81/127" in b and "81/8" in b:
                out.append(b["81/127"]["us_per_call"] / b["81/8"]["us_per_call"])
        return summary(out)
    for be, _ in BACKENDS:
        b, t = call_ratio(base, be), call_ratio(runs, be)
        ratio = f"{t['median'] / b['median']:.2f}x" if b and t else "—"
        L.append(f"| {be}, 127-sector call time / 8-sector call time (same boot) | {fmt(b, 2)} | {fmt(t, 2)} | {ratio} |")
    L.append("")


def boot_section(runs, L):
    L.append("## Boot cost (guest xl dmesg timestamps, `console_timestamps=boot`)\n")
    L.append("* power-on: the guest's first `(dN)` line (hvmloader); OS takeover: the kernel's `Linux version` "
             "line (earlyprintk=xen, loglevel=6 on the bench Linux guest's command line);")
    L.append("* BCV → first sector: the ROM's first line after SeaBIOS's option-ROM scan (its BCV) to its first "
             "`vbd N connected` (the first read connects) or `first INT 13h call since the BCV served` (on "
             "the connection init kept) after `Booting from Hard Disk`;")
    L.append("* reconnect: `xen up` → `vbd N connected` after a `quiesced` line (a read after a hand-over).\n")
    L.append("| figure | qdisk | blkback |")
    L.append("|---|---|---|")
    rows = [("power-on → takeover, PV (ROM), s", "linux-pv", "boot", "poweron_to_takeover", 2),
            ("power-on → takeover, emulated (no ROM), s", "linux-emu", "boot", "poweron_to_takeover", 2),
            ("BCV → first sector served, s", "linux-pv", "boot", "bcv_to_first_sector", 3),
            ("  of which the BCV itself (first line → `disconnected`), s", "linux-pv", "boot", "bcv_own", 3),
            ("  of which `Booting from Hard Disk` → first `connected`, s", "linux-pv", "boot", "boot_to_first_connected", 3),
            ("reconnect after quiesce, s", "linux-pv", "boot", "reconnect", 3),
            ("loader phase, PV (`Booting from Hard Disk` → `Linux version`), s", "linux-pv", "boot", "loader_phase", 2),
            ("loader phase, emulated, s", "linux-emu", "boot", "loader_phase", 2),
            ("power-on → `quiesced at E820`, PV, s", "linux-pv", "boot", "poweron_to_quiesce_e820", 2),
            ("boot loader's PV reads (ROM count)", "linux-pv", "boot", "pv_reads", 0),
            ("boot loader's bytes over PV", "linux-pv", "boot", "pv_bytes", 0)]
    for label, kind, group, key, dg in rows:
        cells = [fmt(summary(values(runs, f"bench-{kind}-{be}", group, key)), dg) for be, _ in BACKENDS]
        L.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, fn in (("takeover emulated / PV (per run)", lambda p, e: e / p),
                      ("BCV → first sector as % of power-on → takeover (PV)", None)):
        cells = []
        for be, _ in BACKENDS:
            out = []
            for r in runs:
                pv = r["scenarios"].get(f"bench-linux-pv-{be}", {}).get("boot", {})
                em = r["scenarios"].get(f"bench-linux-emu-{be}", {}).get("boot", {})
                if fn and "poweron_to_takeover" in pv and "poweron_to_takeover" in em:
                    out.append(fn(pv["poweron_to_takeover"], em["poweron_to_takeover"]))
                if not fn and "poweron_to_takeover" in pv and "bcv_to_first_sector" in pv:
                    out.append(100 * pv["bcv_to_first_sector"] / pv["poweron_to_takeover"])
            cells.append(fmt(summary(out), 2, "x" if fn else "%"))
        L.append(f"| {label} | " + " | ".join(cells) + " |")
    L.append("")


CD_ISOS = (("ISOLINUX + the test kernel and initramfs", "isolinux"),
           ("Debian 12 installer (ISOLINUX, netboot kernel + initrd.gz)", "installer"))


def ran_any(runs, prefix):
    return any(s.startswith(prefix) for r in runs for s in r["scenarios"])


def cd_section(runs, L):
    """Install media on xl's CD (qdisk): the loader phase through the ROM vs SeaBIOS's ATAPI."""
    if not ran_any(runs, "bench-cd-"):
        return
    L.append("## Install media: the CD's loader phase (qdisk)\n")
    L.append("* from SeaBIOS's `Booting from DVD/CD` to the kernel's `Linux version` (earlyprintk=xen), "
             "xl dmesg timestamps; PV: through the ROM (E0h served over the CD's vbd), emulated: no ROM "
             "(SeaBIOS's ATAPI); target: emulated / PV >= 5x (issue 15).\n")
    L.append("* PV, to the hand-over: `Booting from DVD/CD` to the ROM's last `quiesced at E820` before the "
             "kernel, i.e. the loader's reads; the rest of the phase is the kernel's decompression and early "
             "start, which no boot path shortens.\n")
    L.append("| ISO | PV, s | of which to the hand-over, s | emulated, s | emulated / PV (per run) | "
             "CD reads over PV | bytes over PV |")
    L.append("|---|---|---|---|---|---|---|")
    for label, iso in CD_ISOS:
        pv_s, emu_s = f"bench-cd-{iso}-pv", f"bench-cd-{iso}-emu"
        ratios = []
        for r in runs:
            pv = r["scenarios"].get(pv_s, {}).get("boot", {})
            em = r["scenarios"].get(emu_s, {}).get("boot", {})
            if "cd_loader" in pv and "cd_loader" in em:
                ratios.append(em["cd_loader"] / pv["cd_loader"])
        L.append(f"| {label} | {fmt(summary(values(runs, pv_s, 'boot', 'cd_loader')), 1)} | "
                 f"{fmt(summary(values(runs, pv_s, 'boot', 'cd_loader_reads')), 1)} | "
                 f"{fmt(summary(values(runs, emu_s, 'boot', 'cd_loader')), 1)} | {fmt(summary(ratios), 1, 'x')} | "
                 f"{fmt(summary(values(runs, pv_s, 'boot', 'cd_pv_reads')), 0)} | "
                 f"{fmt(summary(values(runs, pv_s, 'boot', 'cd_pv_bytes')), 0)} |")
    L.append("")


# ---------- GRUB's loader phase (issue 14): PV, the floor, emulated ----------

GRUB_PAYLOADS = (("kernel", "(a) kernel + xz initramfs"),
                 ("archive", "(b) (a) + a 48 MiB archive as a second initrd"),
                 ("big", "(c) kernel + one 64 MiB initramfs"))
# issue 14: 3x the marginal rate measured at 8d56588 (5.4 / 6.1 MB/s)
MARGINAL_TARGET = {"qdisk": 16, "blkback": 18}
FLOOR_TARGET = 2.0          # loader phase through the ROM within 2x of the floor


def grub_boot(scenarios, payload, rom, be):
    return scenarios.get(f"bench-grub-{payload}-{rom}-{be}", {}).get("boot", {})


def grub_per_run(runs, fn):
    """fn(scenarios of one run) for every run where it gives a figure: per-run values."""
    return [v for v in (fn(r["scenarios"]) for r in runs) if v is not None]


def grub_ratio(payload, be, num, den):
    """loader phase of rom @num / rom @den, within one run."""
    def fn(sc):
        a, b = grub_boot(sc, payload, num, be), grub_boot(sc, payload, den, be)
        if "loader_phase" in a and b.get("loader_phase"):
            return a["loader_phase"] / b["loader_phase"]
        return None
    return fn


def grub_marginal(be, rom="pv"):
    """(b) - (a) through @rom, within one run: the extra bytes the loader read (the ROM's count
    over PV, or the floor's from memory) per extra second of loader phase, MB/s."""
    key = "floor_bytes" if rom == "floor" else "pv_bytes"

    def fn(sc):
        a, b = grub_boot(sc, "kernel", rom, be), grub_boot(sc, "archive", rom, be)
        if not all(k in x for x in (a, b) for k in ("loader_phase", key)):
            return None
        dt = b["loader_phase"] - a["loader_phase"]
        return (b[key] - a[key]) / dt / 1e6 if dt > 0 else None
    return fn


def grub_emu_big(be):
    """(c) over emulated IDE, extrapolated within one run: (a)'s emulated loader phase scaled by
    the bytes the loader read for (c) / for (a) (both counted by the ROM over PV)."""
    def fn(sc):
        emu = grub_boot(sc, "kernel", "emu", be)
        a, c = grub_boot(sc, "kernel", "pv", be), grub_boot(sc, "big", "pv", be)
        if "loader_phase" in emu and a.get("pv_bytes") and "pv_bytes" in c:
            return emu["loader_phase"] * c["pv_bytes"] / a["pv_bytes"]
        return None
    return fn


def grub_section(runs, L):
    if not ran_any(runs, "bench-grub-"):
        return
    L.append("## GRUB's loader phase: through the ROM (PV), the floor, emulated\n")
    L.append("* loader phase: SeaBIOS's `Booting from Hard Disk` to the kernel's `Linux version` (earlyprintk=xen), "
             "xl dmesg timestamps; GRUB 2 (Debian's grub-pc-bin, core.img with an embedded config) from ext2 "
             "(test/guest/grub/build.sh);")
    L.append("* PV: the ROM; floor: the floor ROM (rom/variants/floor.h), which read the whole disk into reserved "
             "memory at BCV (before the phase) and served every loader read from there with no Xen call; "
             "emulated: no ROM, SeaBIOS's ATA over qemu's IDE (payload (a) only);")
    L.append("* ratios and rates are per run (same testbed boot), then the median.\n")
    L.append("| payload | backend | PV, s | floor, s | PV / floor | emulated, s | bytes over PV | "
             "floor: reads served from memory | floor: preload at BCV, s |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for payload, label in GRUB_PAYLOADS:
        for be, _ in BACKENDS:
            def v(rom, key, p=payload, b=be):
                return summary(grub_per_run(runs, lambda sc: grub_boot(sc, p, rom, b).get(key)))
            emu = fmt(v("emu", "loader_phase"), 2) if payload == "kernel" else "(not run)"
            L.append(f"| {label} | {be} | {fmt(v('pv', 'loader_phase'), 2)} | {fmt(v('floor', 'loader_phase'), 2)} | "
                     f"{fmt(summary(grub_per_run(runs, grub_ratio(payload, be, 'pv', 'floor'))), 2, 'x')} | {emu} | "
                     f"{fmt(v('pv', 'pv_bytes'), 0)} | {fmt(v('floor', 'floor_reads'), 0)} | "
                     f"{fmt(v('floor', 'floor_preload_s'), 2)} |")
    L.append("")
    L.append("| figure | qdisk | blkback |")
    L.append("|---|---|---|")
    rows = [("marginal GRUB read rate, (b) − (a) through the ROM, MB/s", grub_marginal, 2, ""),
            ("marginal GRUB read rate, (b) − (a) through the floor, MB/s",
             lambda be: grub_marginal(be, "floor"), 2, ""),
            ("(c) 64 MiB initramfs, emulated, extrapolated from (a)'s emulated phase by bytes read, s",
             grub_emu_big, 1, ""),
            ("(c) 64 MiB initramfs, emulated (extrapolated) / PV",
             lambda be: (lambda sc: (grub_emu_big(be)(sc) / grub_boot(sc, "big", "pv", be)["loader_phase"])
                         if grub_emu_big(be)(sc) and grub_boot(sc, "big", "pv", be).get("loader_phase") else None),
             1, "x")]
    for label, fn, dg, unit in rows:
        L.append(f"| {label} | " + " | ".join(fmt(summary(grub_per_run(runs, fn(be))), dg, unit)
                                             for be, _ in BACKENDS) + " |")
    L.append("\nThe extrapolation scales a phase that also holds the kernel's early start (the same on every "
             "path), so it overstates the emulated (c) a little.\n")


def grub_target_rows(runs):
    """issue 14's GRUB targets: (label, measured, met)."""
    for be, _ in BACKENDS:
        s = summary(grub_per_run(runs, grub_marginal(be)))
        want = MARGINAL_TARGET[be]
        yield (f"marginal GRUB read rate (b) − (a) ≥ {want} MB/s ({be})", fmt(s, 2, " MB/s"),
               "—" if not s else ("yes" if s["median"] >= want else "no"))
        yield (f"(report) the floor's marginal GRUB read rate ({be}): what any ROM could reach here",
               fmt(summary(grub_per_run(runs, grub_marginal(be, "floor"))), 2, " MB/s"), "")
    for be, _ in BACKENDS:
        cells, met = [], []
        for payload in ("kernel", "archive"):
            s = summary(grub_per_run(runs, grub_ratio(payload, be, "pv", "floor")))
            cells.append(f"{'(a)' if payload == 'kernel' else '(b)'} {fmt(s, 2, 'x')}")
            met.append(None if not s else s["median"] <= FLOOR_TARGET)
        yield (f"GRUB loader phase within {FLOOR_TARGET:g}x of the floor ({be}, both payloads)", "; ".join(cells),
               "—" if None in met else ("yes" if all(met) else "no"))
    for be, _ in BACKENDS:
        pv = summary(grub_per_run(runs, grub_ratio("big", be, "pv", "floor")))
        emu = summary(grub_per_run(runs, lambda sc, b=be: (grub_emu_big(b)(sc) / grub_boot(sc, "big", "pv", b)["loader_phase"])
                                   if grub_emu_big(b)(sc) and grub_boot(sc, "big", "pv", b).get("loader_phase") else None))
        yield (f"(report) 64 MiB initramfs loader phase ({be}): PV / floor; emulated (extrapolated) / PV",
               f"{fmt(pv, 2, 'x')}; {fmt(emu, 1, 'x')}", "")


def cpu_section(runs, L):
    L.append("## dom0 CPU for the Linux guest's boot, xl create → `LINUX RESULT` (seconds)\n")
    L.append("qemu: utime+stime of the domain's qemu-system-i386 at the marker; blkback: every "
             "blkback ring thread (`<domid>.<dev>-<ring>`) as last seen by a 0.2 s sampler (they exit at each "
             "disconnect; up to one interval per thread is lost); dom0 busy: /proc/stat, all of dom0 "
             "(1 vCPU) over the same span, our own sampling included.\n")
    L.append("| backend | path | qemu | blkback (threads) | dom0 busy | wall |")
    L.append("|---|---|---|---|---|---|")
    for be, _ in BACKENDS:
        for kind, label in (("linux-pv", "PV (ROM)"), ("linux-emu", "emulated")):
            sc = f"bench-{kind}-{be}"
            th = values(runs, sc, "cpu", "blkback_threads")
            bb = (f"{fmt(summary(values(runs, sc, 'cpu', 'blkback_cpu_s')))} ({range_of(th) if th else '—'})"
                  if be == "blkback" else "n/a (qdisk is in qemu)")
            L.append(f"| {be} | {label} | {fmt(summary(values(runs, sc, 'cpu', 'qemu_cpu_s')))} | {bb} | "
                     f"{fmt(summary(values(runs, sc, 'cpu', 'dom0_busy_s')))} | "
                     f"{fmt(summary(values(runs, sc, 'cpu', 'wall_s')), 1)} |")
    L.append("")


# issue 14: blkback >= 50%, qdisk >= 20% of dom0's own dd of the image
RAW_TARGET_PCT = {"qdisk": 20, "blkback": 50}


def targets_section(runs, sizes, L):
    L.append("## Against the targets\n")
    L.append("| target | measured | met? |")
    L.append("|---|---|---|")

    def ratio_rows():
        for be, _ in BACKENDS:
            rs = []
            for r in runs:
                b = r["scenarios"].get(f"bench-{be}", {}).get("bench", {})
                if "81/127" in b and "80/127" in b:
                    rs.append(b["81/127"]["MBps"] / b["80/127"]["MBps"])
            s = summary(rs)
            yield (f"bulk read ≥ 10x emulated ({be}, 127 sectors)", fmt(s, 1, "x"),
                   "—" if not s else ("yes" if s["median"] >= 10 else "no"))
            pct = []
            for r in runs:
                sc = r["scenarios"].get(f"bench-{be}", {})
                if "81/127" in sc.get("bench", {}) and "file/cold" in sc.get("raw", {}):
                    pct.append(100 * sc["bench"]["81/127"]["MBps"] / sc["raw"]["file/cold"]["MBps"])
            s = summary(pct)
            want = RAW_TARGET_PCT[be]
            yield (f"127-sector reads ≥ {want}% of dom0's raw rate ({be}, cache dropped)", fmt(s, 2, "%"),
                   "—" if not s else ("yes" if s["median"] >= want else "no"))
            yield (f"(report) the floor's 127-sector reads as % of dom0's raw rate ({be}): what any ROM "
                   "could reach here", fmt(floor_raw_pct(runs, be), 2, "%"), "")
            share = []
            for r in runs:
                pv = r["scenarios"].get(f"bench-linux-pv-{be}", {}).get("boot", {})
                if "poweron_to_takeover" in pv and "bcv_to_first_sector" in pv:
                    share.append(100 * pv["bcv_to_first_sector"] / pv["poweron_to_takeover"])
            s = summary(share)
            yield (f"BCV → first sector ≤ 2% of power-on → handover ({be})", fmt(s, 2, "%"),
                   "—" if not s else ("yes" if s["median"] <= 2 else "no"))
    for row in ratio_rows():
        L.append("| " + " | ".join(row) + " |")
    for row in grub_target_rows(runs):
        L.append("| " + " | ".join(row) + " |")
    main = next((s for s in sizes if s["rom"] == "build/xenpvboot.rom"), None)
    if main:
        L.append(f"| ROM ≤ 16 KiB (16384 bytes) | {main['rom_bytes']} bytes | {'yes' if main['rom_bytes'] <= 16384 else 'no'} |")
        L.append(f"| resident ≤ 2 KiB | {main['resident']} bytes | {'yes' if main['resident'] <= 2048 else 'no'} |")
    ends = {}
    for kind in ("linux-pv", "linux-emu"):
        for be, _ in BACKENDS:
            ends.setdefault(kind, set()).update(values(runs, f"bench-{kind}-{be}", "boot", "base_ram_end"))
    if ends.get("linux-pv") and ends.get("linux-emu"):
        same = ends["linux-pv"] == ends["linux-emu"]
        L.append("| 0 bytes of conventional memory with PMM | SeaBIOS's E820 base RAM ends at "
                 f"{', '.join(hex(x) for x in sorted(ends['linux-pv']))} with the ROM, "
                 f"{', '.join(hex(x) for x in sorted(ends['linux-emu']))} without | {'yes' if same else 'no'} |")
    conv = conventional_memory(runs)
    if conv:
        L.append(f"| (where the C image went) | ROM log: `{conv}` | |")
    L.append("")


def main():
    global BENCH_DIR
    BENCH_DIR, out_md = sys.argv[1], sys.argv[2]
    runs = collect(BENCH_DIR)
    machine = kv_file(os.path.join(BENCH_DIR, "machine.txt"))
    sizes = size_figures(BENCH_DIR)
    with open(os.path.join(BENCH_DIR, "results.json"), "w") as f:
        json.dump({"machine": machine, "sizes": sizes, "runs": runs}, f, indent=1)
    L = ["# Benchmarks\n",
         f"Made by `{machine.get('command', 'make bench')}` (test/bench/run) on "
         f"{machine.get('date', '?')}: {machine.get('nproc', '?')} CPUs, {machine.get('cpu', '?')}, "
         f"{machine.get('qemu', '?')}, tree `{machine.get('git', '?')}`. "
         f"Raw results: `build/bench/raw/run-N/` (one testbed boot each), every figure in `build/bench/results.json`.\n",
         "**Caveat:** everything ran in the nested testbed — Xen 4.17 and dom0 under QEMU TCG (software "
         "emulation), the guest under Xen's emulated SVM — so absolute times and rates say little about real "
         "hardware; the PV / emulated ratios are what carries over.\n",
         f"Figures are median (min–max, n = runs that produced them) over {len(runs)} testbed boot(s), "
         f"each running every scenario once; ROM built with LOG_LEVEL=3 (build/bench/rom/) for its "
         f"connect lines; each INT 13h measurement capped at {machine.get('bench_seconds', '?')} s.\n"]
    L.append("Runs and verdicts: " + "; ".join(
        f"{r['run']} (ROM {r['rom']}): " + ", ".join(f"{n} {'PASS' if s['verdict'] == 'PASS' else 'FAIL'}"
                                     for n, s in r["scenarios"].items()) for r in runs) + "\n")
    targets_section(runs, sizes, L)
    if os.environ.get("BENCH_BASELINE"):
        baseline_section(runs, os.environ["BENCH_BASELINE"], L, os.environ.get("BENCH_BASELINE_PAIR", "").split())
    throughput_section(runs, L)
    bounds_section(runs, L)
    boot_section(runs, L)
    cd_section(runs, L)
    grub_section(runs, L)
    cpu_section(runs, L)
    L.append("## Size (as the build prints it)\n")
    for s in sizes:
        L.append(f"* `{s['rom']}`: ROM {s['rom_bytes']} bytes, resident after init {s['resident']} bytes; "
                 f"C image {s['image']} bytes, {s['pmm']} bytes of PMM memory")
    L.append("")
    os.makedirs(os.path.dirname(os.path.abspath(out_md)), exist_ok=True)
    with open(out_md, "w") as f:
        f.write("\n".join(L))
    print(f"report: {out_md}, {os.path.join(BENCH_DIR, 'results.json')} ({len(runs)} runs)")


if __name__ == "__main__":
    main()
