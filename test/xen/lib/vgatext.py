#!/usr/bin/env python3
"""Runs in dom0 (copied into the payload): prints the 80x25 VGA text screen of HVM domain
DOMID, read from its device model over QMP (libxl's socket /var/run/xen/qmp-libxl-DOMID):
the monitor's `xp` reads guest-physical B8000h, which for the emulated VGA is the device's
own memory, so the screen is what the guest drew there (a boot loader's menu, no serial).

  vgatext.py DOMID
"""
import json
import re
import socket
import sys

COLS, ROWS = 80, 25


def qmp(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    f = s.makefile("rw")

    def answer():
        while True:
            line = f.readline()
            if not line:
                raise SystemExit("QMP: connection closed")
            msg = json.loads(line)
            if "return" in msg or "error" in msg:
                return msg

    def ask(cmd, **args):
        f.write(json.dumps({"execute": cmd, "arguments": args} if args else {"execute": cmd}) + "\n")
        f.flush()
        return answer()

    json.loads(f.readline())            # the greeting
    ask("qmp_capabilities")
    return s, ask


def screen(domid):
    s, ask = qmp(f"/var/run/xen/qmp-libxl-{domid}")
    try:
        msg = ask("human-monitor-command", **{"command-line": f"xp /{COLS * ROWS * 2}xb 0xb8000"})
    finally:
        s.close()
    if "error" in msg:
        raise SystemExit(f"QMP: {msg['error']}")
    data = [int(b, 16) for b in re.findall(r"0x([0-9a-f]{2})\b", msg["return"])]
    chars = "".join(chr(c) if 32 <= c < 127 else " " for c in data[0::2])
    return [chars[r * COLS:(r + 1) * COLS].rstrip() for r in range(ROWS)]


if __name__ == "__main__":
    print("\n".join(screen(int(sys.argv[1]))))
