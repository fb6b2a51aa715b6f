#!/bin/bash
# Build a takeover guest disk: build.sh OUT.img MODE  (MODE: sim, sim-quiesced, connect, write, noreset, noreset-early)
# The program links the ROM's own protocol code (rom/sources.mk, unmodified) with
# this directory's platform.c, main.c and entry.asm; see README.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
out=${1:?usage: build.sh OUT.img MODE}
mode=${2:?usage: build.sh OUT.img MODE}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The ROM's flags and protocol sources (rom/sources.mk), minus PIE: the
# program runs where it is linked.
romvar() { make -s -C "$TOP" -f rom/sources.mk "print-$1"; }
read -r -a CFLAGS <<< "$(romvar ROM_CFLAGS_BASE) -fno-pie -I$TOP/rom -I$HERE -DLOG_LEVEL=3"
read -r -a ROM_SRCS <<< "$(romvar ROM_PROTOCOL_SRCS) $(romvar ROM_LIB_SRCS) rom/arch/platform.c rom/arch/pci.c"

objs=()
for s in "${ROM_SRCS[@]}"; do
    o="$tmp/rom-$(basename "$s" .c).o"
    gcc "${CFLAGS[@]}" -c -o "$o" "$TOP/$s"
    objs+=("$o")
done
for s in platform main; do
    gcc "${CFLAGS[@]}" -c -o "$tmp/$s.o" "$HERE/$s.c"
    objs+=("$tmp/$s.o")
done
nasm -f elf32 -o "$tmp/entry.o" "$HERE/entry.asm"
ld -m elf_i386 -static --gc-sections --no-warn-rwx-segments -z noexecstack \
    -T "$HERE/link.lds" -o "$tmp/prog.elf" "$tmp/entry.o" "${objs[@]}"
objcopy -O binary "$tmp/prog.elf" "$tmp/prog.bin"
nasm -f bin -I"$HERE/../lib/" -o "$tmp/mbr.bin" "$HERE/boot.asm"
python3 "$HERE/mkimage.py" "$out" --mbr "$tmp/mbr.bin" --prog "$tmp/prog.bin" --mode "$mode"
