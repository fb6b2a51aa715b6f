#!/bin/bash
# Build the CD INT 13h probe's ISO: build.sh OUT.iso (see cdprobe.asm).
# ISO 9660 with the probe as its El Torito no-emulation boot image (all 8 KiB loaded),
# a 2 MiB file of numbered blocks so reads in the middle have data to compare, and no
# padding (-no-pad), so the volume space size the probe reads is the vbd's size.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT.iso}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/iso"
nasm -f bin -I"$HERE/../lib/" -o "$tmp/iso/cdprobe.bin" "$HERE/cdprobe.asm"
python3 - "$tmp/iso/blocks.bin" <<'PY'
import struct, sys
with open(sys.argv[1], "wb") as f:
    for k in range(1024):           # block k: "XPVBCD" + k, then k's bytes repeated
        f.write((b"XPVBCD" + struct.pack("<I", k)).ljust(2048, bytes([k & 0xff])))
PY
xorriso -as mkisofs -quiet -o "$out" -V XPVB_CDPROBE -no-pad \
    -b cdprobe.bin -c boot.cat -no-emul-boot -boot-load-size 16 "$tmp/iso"
