#!/usr/bin/env python3
"""Runs in dom0 for the bootmenu scenarios (bootmenu.sh starts it at the hook's "start"):
opens SeaBIOS's boot menu of domain DOMID and picks the entry of the PV disk VDEV.

  bootmenu.py DOMID VDEV HV_LOG

SeaBIOS flushes the keyboard, prints "Press ESC for boot menu." and waits 2.5 s for ESC
(interactive_bootmenu). One `xl dmesg` takes ~0.5 s in the testbed's dom0, and a hook that
polled it and then started a QMP client answered 1.0-1.35 s after the prompt, which a
loaded machine stretched past the 2.5 s. So the guest's lines are followed in HV_LOG, which
xenconsoled appends to as Xen's console ring fills (dom0/run.sh starts it so), and the QMP
connection is open before the prompt: ESC goes out milliseconds after the line is written.
Each step is printed with dom0's uptime (hook.log).
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from vgatext import qmp  # noqa: E402  (the payload's copy: /payload/vgatext.py)

PROMPT_WAIT = 240       # s: create -> SeaBIOS's prompt is ~20 s in the testbed
MENU_WAIT = 30          # s: ESC -> the entry's line is ~1 s


def uptime():
    with open("/proc/uptime") as f:
        return f.read().split()[0]


def step(text):
    print(f"hook: {text} at {uptime()}", flush=True)


def guest_lines(path, domid):
    """The text of DOMID's lines in PATH, from its start, as they are appended; None each
    time nothing new came in 20 ms (the caller's chance to give up)."""
    tag = re.compile(rf"^\(d{domid}\) (\[[^\]]*\] ?)?")
    while not os.path.exists(path):
        yield None
        time.sleep(0.05)
    with open(path, "rb") as f:
        part = b""
        while True:
            data = f.read()
            if not data:
                yield None
                time.sleep(0.02)
                continue
            *whole, part = (part + data).split(b"\n")
            for raw in whole:
                line = raw.decode("ascii", "replace")
                m = tag.match(line)
                if m:
                    yield line[m.end():].strip()


def lines_for(lines, seconds):
    """LINES' lines until SECONDS have passed."""
    deadline = time.monotonic() + seconds
    for line in lines:
        if time.monotonic() > deadline:
            return
        if line is not None:
            yield line


def wait_for(lines, pattern, seconds):
    """The first of LINES matching PATTERN (a regex) within SECONDS, or None."""
    for line in lines_for(lines, seconds):
        m = re.match(pattern, line)
        if m:
            return m
    return None


def press(ask, key):
    msg = ask("send-key", keys=[{"type": "qcode", "data": key}])
    if "error" in msg:
        raise SystemExit(f"hook: QMP send-key {key}: {msg['error']}")


def choose(domid, vdev, hv_log):
    _, ask = qmp(f"/var/run/xen/qmp-libxl-{domid}")
    step("QMP connected")
    lines = guest_lines(hv_log, domid)
    if not wait_for(lines, r"Press ESC for boot menu", PROMPT_WAIT):
        return step(f"no 'Press ESC for boot menu' in {hv_log} within {PROMPT_WAIT} s")
    press(ask, "esc")
    step("boot menu offered, ESC pressed")
    if not wait_for(lines, r"Select boot device:", MENU_WAIT):
        return step(f"no 'Select boot device:' within {MENU_WAIT} s of ESC")
    for line in lines_for(lines, MENU_WAIT):
        print(f"menu: {line}", flush=True)
        m = re.match(rf"([1-9])\. Xen PV disk {re.escape(vdev)} ", line)
        if m:
            press(ask, m.group(1))
            return step(f"chose entry {m.group(1)}")
        if line and not re.match(r"\d+\. ", line):
            break
    return step(f"no entry for {vdev} in the menu")


if __name__ == "__main__":
    choose(int(sys.argv[1]), sys.argv[2], sys.argv[3])
