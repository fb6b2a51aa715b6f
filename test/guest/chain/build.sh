#!/bin/bash
# Build the chain-load guest disk: build.sh OUT.img.  SYSLINUX (Debian's syslinux and
# syslinux-common) on a FAT partition whose only entry runs chain.c32 with "hd1": it
# loads the MBR of BIOS drive 81h and jumps to it with DL = 81h, as a user's menu entry
# for a second disk does.  The chainload scenarios put the INT 13h probe there.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT.img}
PART_START=2048
PART_SECTORS=8192           # 4 MiB: SYSLINUX and three modules
DISK_SECTORS=10304          # partition + mkdisk.py's 64 marker sectors + slack
MBR_BIN=/usr/lib/syslinux/mbr/mbr.bin
MODULES=/usr/lib/syslinux/modules/bios
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

part=$tmp/part.img
mformat -i "$part" -C -T $PART_SECTORS -h 64 -s 32 -H $PART_START -v XPVBCHAIN ::
syslinux --install "$part"
cat > "$tmp/syslinux.cfg" <<CFG
SERIAL 0 115200
DEFAULT chain
PROMPT 0
TIMEOUT 0
LABEL chain
  COM32 chain.c32
  APPEND hd1
CFG
mcopy -i "$part" "$MODULES/chain.c32" "$MODULES/libcom32.c32" "$MODULES/libutil.c32" \
    "$tmp/syslinux.cfg" ::
python3 "$HERE/../mkdisk.py" linux "$out" --mbr "$MBR_BIN" --part "$part" \
    --part-start $PART_START --sectors $DISK_SECTORS >/dev/null
