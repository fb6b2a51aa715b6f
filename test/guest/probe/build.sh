#!/bin/bash
# Build the INT 13h probe disk: build.sh OUT.img (16 MiB, probe at LBA 0, pattern).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT.img}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
nasm -f bin -I"$HERE/../lib/" -o "$tmp/probe.bin" "$HERE/probe.asm"
python3 "$HERE/../mkdisk.py" probe "$out" --boot "$tmp/probe.bin" --sectors 32768
