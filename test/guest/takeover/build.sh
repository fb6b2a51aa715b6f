#!/bin/bash
# Build a takeover guest disk: build.sh OUT.img MODE  (MODE: sim, sim-quiesced, connect, write)
# The program links the ROM's own protocol code (rom/*.c, unmodified) with
# this directory's platform.c, main.c and entry.asm; see README.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
out=${1:?usage: build.sh OUT.img MODE}
mode=${2:?usage: build.sh OUT.img MODE}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

XEN_INCLUDE_PARENT=${XEN_INCLUDE_PARENT:-/usr/include}
# As rom/rom.mk, minus PIE: the program runs where it is linked.
CFLAGS=(-m32 -march=i686 -ffreestanding -fno-pie -Os -std=gnu11 -fno-builtin
        -mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables
        -fno-unwind-tables -fno-jump-tables -fno-common -ffunction-sections
        -fdata-sections -nostdinc -isystem "$(gcc -print-file-name=include)"
        -idirafter "$XEN_INCLUDE_PARENT" -I"$TOP/rom" -I"$HERE"
        -Wall -Wextra -Werror -Wno-array-bounds -DLOG_LEVEL=3)
ROM_SRCS=(platform hypervisor grant evtchn xenstore blkfront log string pci)

objs=()
for s in "${ROM_SRCS[@]}"; do
    gcc "${CFLAGS[@]}" -c -o "$tmp/rom-$s.o" "$TOP/rom/$s.c"
    objs+=("$tmp/rom-$s.o")
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
