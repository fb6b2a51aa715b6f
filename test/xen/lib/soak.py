"""The soak (make soak, test/xen/soak): per-boot expectations of its control scenarios, each
boot's figures, and the report over every set's boots.

    python3 soak.py report RAW OUT.md [SET...]   the table of RAW/dom0-K/run/SET/boot-NNN/ -> OUT.md

A hang is a boot that did not end by its marker (dom0's `end` file says `timeout`); every
boot that fails its scenario's check.py counts as failed, a hang included."""
import os
import re
import statistics
import sys

from checks import _read

TS = re.compile(r"^\(d\d+\) \[\s*([\d.]+)\] ?(.*)$")
STEPASIDE_LINE = "xenpvboot: step-aside build"      # rom/entry.S msg_stepaside
FIGURES = ("scan", "menu", "post", "kernel", "marker")
SET_ORDER = [f"soak-{kind}-{b}" for kind in ("takeover", "linux", "norom", "stepaside") for b in ("qdisk", "blkback")]


def no_rom_ran(d):
    """Nothing on the platform device printed: the no-ROM control had no ROM."""
    lines = [l for l in _read(d, "xl-dmesg-guest.txt").splitlines() if "xenpvboot" in l]
    return ["a xenpvboot line in the no-ROM control: " + lines[0]] if lines else []


def rom_stepped_aside_at_init(d):
    """The step-aside ROM's init printed its one line, and nothing else of the ROM ran."""
    lines = [l for l in _read(d, "xl-dmesg-guest.txt").splitlines() if "xenpvboot" in l]
    if not any(STEPASIDE_LINE in l for l in lines):
        return [f"no '{STEPASIDE_LINE}' line in the guest's xl dmesg"]
    others = [l for l in lines if STEPASIDE_LINE not in l]
    return ["the step-aside ROM did more than step aside: " + others[0]] if others else []


def guest_lines(d):
    """(seconds, text) of the guest's (dN) lines in xl dmesg (console_timestamps=boot)."""
    out = []
    for line in _read(d, "xl-dmesg-guest.txt").splitlines():
        m = TS.match(line)
        if m:
            out.append((float(m.group(1)), m.group(2)))
    return out


def _first(lines, pred):
    return next((t for t, text in lines if pred(text)), None)


def _menu_figures(lines):
    """scan: SeaBIOS's "Scan for option roms" -> "Press ESC for boot menu." (the option ROMs'
    init, ours included); menu: "Press ESC" -> the next line, the boot-menu wait that item 9
    hung in (SeaBIOS waits 2.5 s of IRQ 0 ticks there)."""
    out = {}
    scan = _first(lines, lambda t: t.startswith("Scan for option roms"))
    for i, (t, text) in enumerate(lines):
        if text.startswith("Press ESC for boot menu"):
            if scan is not None and scan <= t:
                out["scan"] = t - scan
            nxt = next((u for u, x in lines[i + 1:] if x.strip()), None)
            if nxt is not None:
                out["menu"] = nxt - t
            break
    return out


def _dom0_times(d):
    """{"create": s, "marker": s}: dom0 uptimes at xl create and when dom0 saw the marker
    on the guest's serial (it looks once a second)."""
    out = {}
    for line in _read(d, "boot-times").splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = float(parts[1])
    return out


def boot_figures(d):
    """Seconds, where the boot got that far:
      scan, menu  see _menu_figures
      post    power-on (the guest's first xl dmesg line, hvmloader's) -> SeaBIOS's
              "Booting from Hard Disk": POST with the ROM's init and BCV, where item 9 hung
      kernel  power-on -> the ROM's last "quiesced at E820" after the boot started: the boot
              loader's hand-off to the kernel (the last E820 walk, SYSLINUX's or the
              kernel's real-mode setup's, comes right before or at the kernel's start)
      marker  xl create -> the guest's marker on its serial (dom0 uptime, +-1 s)"""
    lines, out = guest_lines(d), {}
    if lines:
        on = lines[0][0]
        boot = _first(lines, lambda t: t.startswith("Booting from Hard Disk"))
        handoff = [t for t, text in lines if text.startswith("xenpvboot: quiesced at E820")]
        if boot is not None:
            out["post"] = boot - on
        out.update(_menu_figures(lines))
        if handoff and boot is not None and handoff[-1] > boot:
            out["kernel"] = handoff[-1] - on
    times = _dom0_times(d)
    if "create" in times and "marker" in times:
        out["marker"] = times["marker"] - times["create"]
    return out


def last_guest_line(d):
    """Where a boot stopped: the guest's last xl dmesg line."""
    lines = guest_lines(d)
    return lines[-1][1].strip() if lines else "(no guest line in xl dmesg)"


def set_boots(raw, name):
    """Every boot directory of set @name (RAW/dom0-K/run/NAME/boot-NNN/), in dom0 boot then
    boot order."""
    def key(run):
        m = re.match(r"dom0-(\d+)$", run)
        return (int(m.group(1)) if m else 0, run)
    out = []
    for run in sorted(os.listdir(raw), key=key) if os.path.isdir(raw) else []:
        sdir = os.path.join(raw, run, "run", name)
        if os.path.isdir(sdir):
            out += [os.path.join(sdir, b) for b in sorted(os.listdir(sdir)) if b.startswith("boot-")]
    return out


def sets_present(raw):
    """The sets RAW holds boots of, in SET_ORDER."""
    names = {n for run in os.listdir(raw) if os.path.isdir(os.path.join(raw, run, "run"))
             for n in os.listdir(os.path.join(raw, run, "run")) if set_boots(raw, n)}
    return sorted(names, key=lambda n: (SET_ORDER.index(n) if n in SET_ORDER else 99, n))


def verdict(bdir):
    v = _read(bdir, "verdict.txt").strip()
    return v or "FAIL: no verdict (not judged)"


def _stats(values):
    if not values:
        return "-"
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def set_row(raw, name):
    """(row text, boots, failed, hang notes, failure notes) of one set."""
    boots = set_boots(raw, name)
    figs = [boot_figures(b) for b in boots]
    hangs = [b for b in boots if _read(b, "end").strip() == "timeout"]
    failed = [b for b in boots if not verdict(b).startswith("PASS")]
    runs = len({os.path.dirname(os.path.dirname(os.path.dirname(b))) for b in boots})
    row = (f"| {name} | {runs} | {len(boots)} | {len(hangs)} | {len(failed)} | "
           + " | ".join(_stats([f[k] for f in figs if k in f]) for k in FIGURES) + " |")
    hang_notes = [f"{name} {os.path.relpath(b, raw)}: stopped after `{last_guest_line(b)}`" for b in hangs]
    fail_notes = [f"{name} {os.path.relpath(b, raw)}: {verdict(b)[:300]}" for b in failed if b not in hangs]
    return row, len(boots), len(failed), hang_notes, fail_notes


def report(raw, out_md, sets):
    L = ["# Soak report (make soak)", "",
         "Each boot is one `xl create` of the set's scenario on a dom0 booted for about 25 boots in a row",
         "(test/xen/README.md, \"Soak\"). A boot passes when its scenario's check.py passes; a hang is a",
         "boot that never reached its marker (timeout) and counts as failed.", "",
         "Figures in seconds, min / median / max over the boots that got that far:",
         "* scan: SeaBIOS's `Scan for option roms` -> `Press ESC for boot menu.` (the option ROMs' init);",
         "* menu: `Press ESC for boot menu.` -> SeaBIOS's next line: its 2.5 s boot-menu wait on IRQ 0",
         "  ticks, where the POST hang was seen;",
         "* post: power-on (the guest's first xl dmesg line, hvmloader) -> SeaBIOS's `Booting from Hard Disk`",
         "  (POST, with the ROM's init and BCV where the set has the ROM);",
         "* kernel: power-on -> the ROM's last `quiesced at E820` (sets with the ROM): the boot loader's",
         "  hand-off to the kernel, the last E820 walk before or at the kernel's start (xl dmesg timestamps);",
         "* marker: `xl create` -> the guest's marker on its serial (dom0 uptime, polled once a second).", "",
         "| set | dom0 boots | boots | hangs | failed | scan | menu | post | kernel | marker |",
         "|---|---|---|---|---|---|---|---|---|---|"]
    total = bad = 0
    hang_notes, fail_notes = [], []
    for name in sets:
        row, n, f, h, fl = set_row(raw, name)
        L.append(row)
        total, bad = total + n, bad + f
        hang_notes += h
        fail_notes += fl
    L += ["", "Hangs (the guest's last xl dmesg line; hung-state.txt in the boot's directory has Xen's",
          "HVM context, twice, 5 s apart):", ""]
    L += [f"* {n}" for n in hang_notes] or ["* none"]
    L += ["", "Other failed boots:", ""]
    L += [f"* {n}" for n in fail_notes] or ["* none"]
    L += ["", "Built from (git describe at each dom0 boot):", ""]
    runs = sorted({os.path.relpath(os.path.dirname(os.path.dirname(os.path.dirname(b))), raw)
                   for name in sets for b in set_boots(raw, name)})
    L += [f"* {r}: {_read(os.path.join(raw, r), 'built-from.txt').strip() or 'unknown'}" for r in runs] or ["* no boots"]
    L += ["", f"{total - bad} passed, {bad} failed"]
    with open(out_md, "w") as f:
        f.write("\n".join(L) + "\n")
    return total, bad


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "report":
        sys.exit("usage: soak.py report RAW OUT.md [SET...]")
    raw, out_md = sys.argv[2], sys.argv[3]
    sets = sys.argv[4:] or sets_present(raw)
    total, bad = report(raw, out_md, sets)
    with open(out_md) as f:
        sys.stdout.write(f.read())
    sys.exit(1 if bad or not total else 0)


if __name__ == "__main__":
    main()
