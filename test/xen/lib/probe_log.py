"""Parse the INT 13h probe's serial log (test/guest/probe/probe.asm) into dicts.

parse(text) -> {
  "start": {"bootdrive": 0x80, "ivt13": "f000:e3fe", "bda75": 1, "bda13": 0x27f} or None,
  "int13": [{"drive", "ah", "cf", "ax", "bx", "cx", "dx", "st", "dap"?, "case"?}...]
           (st: the status byte at 40:74 right after the call; dap: the DAP's block
           count after an AH=42/43/44/47 call; case: what a deliberately odd call was,
           e.g. "count0", "lba-past-end", "ro-write03", "unknown-drive"),
  "edd":   [{"drive", "size", "cf", "data": bytes}...],
  "reads": [{"drive", "fn", "lba", "count", "cf", "ok"}...],
  "writes": [{"drive", "fn", "lba", "count", "cf", "ok"}...]  (scratch drives only),
  "flat":  [{"drive", "cf", "ok"}...]  (the AH=42 with a 64-bit flat buffer address),
  "soak_started": [drive...]  (SOAK START: a soak drive's read loop began),
  "soak":  [{"drive", "reads", "ok", "failed", "corrupt", "maxsecs"}...]  (SOAK END),
  "soakfail": [{"drive", "n", "ah", "secs"}...]  (a soak read with CF set, n its 0-based
              index, secs how long it took; the first 8),
  "soakbad": [{"drive", "n"}...]  (a soak read with CF clear but wrong data; the first 8),
  "grantchecks": int  (GRANTCHECK n lines: checkpoints offered, a timed-out one included),
  "grantcheck_timeout": bool,
  "resetwrite": {"drive", "cf"} or None  (the write right before the probe resets),
  "after_e820": len(int13) when "AFTER E820" came (the calls from there on followed the
                hand-over) or None,
  "e820": {"cf", "eax", "ebx", "ecx"} or None  (the last E820 line),
  "e820_all": [{"cf", "eax", "ebx", "ecx"}...]  (every E820 line, in order),
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
    out = {"start": None, "int13": [], "edd": [], "reads": [], "writes": [], "flat": [],
           "soak_started": [], "soak": [], "soakfail": [], "soakbad": [], "grantchecks": 0,
           "grantcheck_timeout": False, "resetwrite": None, "after_e820": None,
           "e820": None, "e820_all": [], "done": False, "loadfail": False}
    for raw in text.splitlines():
        line = raw.strip("\r\n\x00 ")
        f = _fields(line)
        if line.startswith("PROBE START"):
            s = _hex(f, "bootdrive", "bda75", "bda13")
            s["ivt13"] = f.get("ivt13")
            out["start"] = s
        elif line.startswith("INT13 "):
            c = _hex(f, "drive", "ah", "cf", "ax", "bx", "cx", "dx", "st", "dap")
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
        elif line.startswith("FLAT "):
            r = _hex(f, "drive", "cf")
            r["ok"] = line.endswith(" ok")
            out["flat"].append(r)
        elif line.startswith("SOAK START "):
            out["soak_started"].append(_hex(f, "drive").get("drive"))
        elif line.startswith("SOAK END "):
            out["soak"].append(_hex(f, "drive", "reads", "ok", "failed", "corrupt",
                                    "maxsecs"))
        elif line.startswith("SOAKFAIL "):
            out["soakfail"].append(_hex(f, "drive", "n", "ah", "secs"))
        elif line.startswith("SOAKBAD "):
            out["soakbad"].append(_hex(f, "drive", "n"))
        elif line == "GRANTCHECK TIMEOUT":
            out["grantcheck_timeout"] = True
        elif line.startswith("GRANTCHECK "):
            out["grantchecks"] += 1
        elif line.startswith("RESETWRITE "):
            out["resetwrite"] = _hex(f, "drive", "cf")
        elif line == "AFTER E820":
            out["after_e820"] = len(out["int13"])
        elif line.startswith("E820 "):
            out["e820"] = _hex(f, "cf", "eax", "ebx", "ecx")
            out["e820_all"].append(out["e820"])
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
