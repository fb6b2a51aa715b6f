"""Parse the INT 13h probe's serial log (test/guest/probe/probe.asm) into dicts.

parse(text) -> {
  "start": {"bootdrive": 0x80, "ivt13": "f000:e3fe", "bda75": 1, "bda13": 0x27f} or None,
  "int13": [{"drive", "ah", "cf", "ax", "bx", "cx", "dx", "dap"?, "case"?}...]
           (dap: the DAP's block count after an AH=42/43/44/47 call; case: what a
           deliberately odd call was, e.g. "count0", "lba-past-end"),
  "edd":   [{"drive", "size", "cf", "data": bytes}...],
  "reads": [{"drive", "fn", "lba", "count", "cf", "ok"}...],
  "writes": [{"drive", "fn", "lba", "count", "cf", "ok"}...]  (scratch drives only),
  "e820": {"cf", "eax", "ebx", "ecx"} or None,
  "done": bool, "loadfail": bool }
All numbers are ints (the log prints them in hex).
"""
import re

_KV = re.compile(r"(\w+)=(\S+)")


def _fields(line):
    return dict(_KV.findall(line))


def _hex(d, *keys):
    return {k: int(d[k], 16) for k in keys if k in d}


def parse(text):
    out = {"start": None, "int13": [], "edd": [], "reads": [], "writes": [], "e820": None,
           "done": False, "loadfail": False}
    for raw in text.splitlines():
        line = raw.strip("\r\n\x00 ")
        f = _fields(line)
        if line.startswith("PROBE START"):
            s = _hex(f, "bootdrive", "bda75", "bda13")
            s["ivt13"] = f.get("ivt13")
            out["start"] = s
        elif line.startswith("INT13 "):
            c = _hex(f, "drive", "ah", "cf", "ax", "bx", "cx", "dx", "dap")
            if "case" in f:
                c["case"] = f["case"]
            out["int13"].append(c)
        elif line.startswith("EDD "):
            e = _hex(f, "drive", "size", "cf")
            e["data"] = bytes.fromhex(f.get("data", ""))
            out["edd"].append(e)
        elif line.startswith(("READ ", "WRITE ")):
            r = _hex(f, "drive", "fn", "lba", "count", "cf")
            r["ok"] = line.endswith(" ok")
            out["reads" if line.startswith("READ") else "writes"].append(r)
        elif line.startswith("E820 "):
            out["e820"] = _hex(f, "cf", "eax", "ebx", "ecx")
        elif line == "PROBE DONE":
            out["done"] = True
        elif line == "PROBE LOADFAIL":
            out["loadfail"] = True
    return out


def calls(parsed, drive, ah):
    return [c for c in parsed["int13"] if c.get("drive") == drive and c.get("ah") == ah]


if __name__ == "__main__":
    import json, sys
    p = parse(open(sys.argv[1], errors="replace").read())
    for e in p["edd"]:
        e["data"] = e["data"].hex()
    json.dump(p, sys.stdout, indent=1)
