#!/usr/bin/env python3
"""Grant checkpoints for GRANTCHECK=1 scenarios; runs in dom0 beside the guest.

  grantcheck.py DOMID SERIAL PIPE_IN LOG DMESG LOCK

After every INT 13h call returns, the probe prints "GRANTCHECK n" on COM1 and waits for
a byte on COM2 (QEMU reads it from PIPE_IN).  Meanwhile the guest is parked in its own
code, so what Xen shows now is what the ROM left behind.  For each checkpoint this
  - presses debug key g (Xen's grant-table usage: every entry a backend has pinned),
  - moves Xen's console ring into DMESG (under LOCK, the runner drains it too),
  - reads the guest's published ring-refs from xenstore,
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


def ring_refs(domid):
    out = run("xenstore-ls", "-f", f"/local/domain/{domid}/device/vbd")
    return sorted(int(v) for v in re.findall(r'/ring-ref = "(\d+)"', out))


def checkpoint(domid, dmesg, lock):
    with open(lock, "a") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        run("xl", "debug-keys", "g")
        text = run("xl", "dmesg", "-c")
        with open(dmesg, "a") as f:
            f.write(text)
    return active_refs(text, domid), ring_refs(domid)


def answer(pipe_in):
    fd = os.open(pipe_in, os.O_WRONLY | os.O_NONBLOCK)
    try:
        os.write(fd, b"g")
    finally:
        os.close(fd)


def guest_alive(domid):
    return subprocess.run(["xl", "list", str(domid)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def fmt(refs):
    return ",".join(map(str, refs)) if refs else "-"


def main():
    domid, serial, pipe_in, logname, dmesg, lock = sys.argv[1:7]
    domid = int(domid)
    pos, partial, last_call = 0, "", ""
    with open(logname, "a") as log:
        while guest_alive(domid):
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
                active, rings = checkpoint(domid, dmesg, lock)
                log.write(f"n={m.group(1)} active={'?' if active is None else fmt(active)} "
                          f"rings={fmt(rings)} call={last_call}\n")
                log.flush()
                answer(pipe_in)
            if not chunk:
                time.sleep(0.05)


if __name__ == "__main__":
    main()
