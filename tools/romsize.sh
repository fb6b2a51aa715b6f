#!/bin/sh
# The sizes a firmware engineer asks about first, printed by every build.
# Usage: romsize.sh rom stub.elf layout.h
set -eu
rom=$1 elf=$2 layout=$3
resident=$(( 0x$(nm "$elf" | awk '$3 == "resident_end" { print $1 }') ))
memsz=$(( $(awk '$2 == "IMAGE_MEMSZ" { print $3 }' "$layout") ))
filesz=$(awk '$2 == "IMAGE_FILESZ" { print $3 }' "$layout")
# with PMM the read-ahead cache follows the image (rom/bios/stub.h)
tail=$(( $(sed -n 's/^#define STUB_PMM_TAIL //p' "$(dirname "$0")/../rom/bios/stub.h") ))
printf '%s: ROM %d bytes, resident after init %d bytes; C image %d bytes, %d in PMM memory (%d without PMM)\n' \
    "$rom" "$(stat -c %s "$rom")" "$resident" "$filesz" $((memsz + tail)) "$memsz"
