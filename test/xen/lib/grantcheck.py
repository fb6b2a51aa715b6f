#!/usr/bin/env python3
"""Grant checkpoints for GRANTCHECK=1 scenarios; runs in dom0 beside the guest.

  grantcheck.py DOMID SERIAL PIPE_IN LOG HV_LOG LOCK

After every INT 13h call returns, the probe prints "GRANTCHECK n" on COM1 and waits for
a byte on COM2 (QEMU reads it from PIPE_IN).  Meanwhile the guest is parked in its own
code, so what Xen shows now is what the ROM left behind.  For each checkpoint this
  - presses debug key g (Xen's grant-table usage: every entry a backend has pinned),
  - reads the dump from HV_LOG, where xenconsoled copies Xen's console ring (dom0/run.sh),
    holding LOCK meanwhile so that the runner's drain into xl-dmesg.txt (which clears the
    ring) cannot take the dump before xenconsoled has it,
  - reads the guest's published ring-refs from xenstore (xs_wire.py, one open socket),
appends one line to LOG and answers on COM2:
  n=000c active=480 rings=480 call=INT13 drive=80 ah=42 cf=0 ...
(active: the guest's grant refs some domain has mapped; rings: the refs the frontends
publish as ring-ref).  The host's checks (grants.py beside this file) judge the lines and reuse
active_refs() on the runner's final dump; the runner copies this file into the payload.
Runs until the guest is gone or it is killed.
"""
import fcntl
import os
import re
import subprocess
import sys
import time

from xs_wire import Xenstore, XenstoreError


def run(*cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, errors="replace").stdout


def active_refs(dump, domid):
    """Refs of @domid's grant table in use by some domain, from the last key-g dump in
    @dump (Xen 4.17: "grant-table for remote dN (v1)" then "[0x1e0]  0 ..." lines;
    older Xens wrote "remote domain:    N" and decimal "[480]")."""
    refs, section = None, False
    for line in dump.splitlines():
        line = re.sub(r"^\(XEN\)\s*(\[\s*\d+\.\d+\]\s*)?", "", line.strip())
        m = re.match(r"grant-table for remote (?:d|domain:\s*)(\d+)", line)
        if m:
            section = int(m.group(1)) == domid
            if section:
                refs = []
            continue
        if "gnttab_usage_print_all ] done" in line:
            section = False
        m = re.match(r"\[\s*(0x[0-9a-fA-F]+|\d+)\]\s+\d+", line)
        if section and m:
            refs.append(int(m.group(1), 0))
    return refs


def ring_refs(xs, domid):
    base, refs = f"/local/domain/{domid}/device/vbd", []
    try:
        vbds = xs.directory(base)
    except XenstoreError:
        return refs
    for vbd in vbds:
        try:
            refs.append(int(xs.read(f"{base}/{vbd}/ring-ref")))
        except (XenstoreError, ValueError):
            pass
    return sorted(refs)


DUMP_END = "gnttab_usage_print_all ] done"
DUMP_WAIT = 30          # s: the dump reaches HV_LOG within milliseconds of the key


def grant_dump(hv_log):
    """Presses debug key g and returns the console text from the key to the dump's last
    line, as xenconsoled appended it to HV_LOG; "" when it did not within DUMP_WAIT."""
    start = os.path.getsize(hv_log) if os.path.exists(hv_log) else 0
    run("xl", "debug-keys", "g")
    deadline, text = time.monotonic() + DUMP_WAIT, ""
    while time.monotonic() < deadline:
        with open(hv_log, errors="replace") as f:
            f.seek(start)
            text = f.read()
        if DUMP_END in text:
            return text
        time.sleep(0.02)
    return ""


def checkpoint(xs, domid, hv_log, lock):
    with open(lock, "a") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        text = grant_dump(hv_log)
    return active_refs(text, domid), ring_refs(xs, domid)


def answer(pipe_in):
    fd = os.open(pipe_in, os.O_WRONLY | os.O_NONBLOCK)
    try:
        os.write(fd, b"g")
    finally:
        os.close(fd)


def guest_alive(xs, domid):
    return xs.exists(f"/local/domain/{domid}")


def fmt(refs):
    return ",".join(map(str, refs)) if refs else "-"


def main():
    domid, serial, pipe_in, logname, hv_log, lock = sys.argv[1:7]
    domid = int(domid)
    pos, partial, last_call = 0, "", ""
    xs = Xenstore()
    with open(logname, "a") as log:
        while guest_alive(xs, domid):
            try:
                with open(serial, errors="replace") as f:
                    f.seek(pos)
                    chunk = f.read()
                    pos = f.tell()
            except OSError:
                chunk = ""
            partial += chunk
            *lines, partial = partial.split("\n")
            for raw in lines:
                line = raw.strip("\r\x00 ")
                m = re.match(r"GRANTCHECK ([0-9A-Fa-f]{4})$", line)
                if not m:
                    if line:
                        last_call = line
                    continue
                active, rings = checkpoint(xs, domid, hv_log, lock)
                log.write(f"n={m.group(1)} active={'?' if active is None else fmt(active)} "
                          f"rings={fmt(rings)} call={last_call}\n")
                log.flush()
                answer(pipe_in)
            if not chunk:
                time.sleep(0.05)


if __name__ == "__main__":
    main()
