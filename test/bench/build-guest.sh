#!/bin/bash
# Builds a benchmark guest disk: build-guest.sh KIND GUEST_KERNEL_DIR OUT.img
#   bench        test/bench/bench.asm on a 72 MiB disk with a 64 MiB patterned region
#                (mkbench.py); BENCH_SECONDS (default 50) caps each measurement.
#   bench-linux  the Linux guest (test/guest/linux/build.sh) with earlyprintk=xen and
#                loglevel=6 added to its SYSLINUX command line, so the kernel's
#                "Linux version" line reaches xl dmesg with a timestamp (the early
#                console writes to port 0xe9 in an HVM guest; the banner is KERN_NOTICE,
#                which loglevel=5 hides). The linux-* scenarios keep their own disk.
#   bench-grub-kernel, bench-grub-archive, bench-grub-big
#                GRUB 2 booting the Linux guest's kernel + initramfs, + a 48 MiB
#                archive as a second initrd, or one 64 MiB initramfs, from ext2
#                (test/guest/grub/build.sh, earlyprintk=xen loglevel=6 as above)
# test/xen/lib/testbed.py calls this for every GUEST=bench* scenario.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
kind=${1:?usage: build-guest.sh KIND GUEST_KERNEL_DIR OUT.img}
kdir=${2:?usage}
out=${3:?usage}
PART_OFFSET=$((2048 * 512))     # test/guest/linux/build.sh PART_START
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

case "$kind" in
bench)
    nasm -f bin -I"$HERE/../guest/lib/" -DMAX_SECONDS="${BENCH_SECONDS:-50}" -o "$tmp/bench.bin" "$HERE/bench.asm"
    python3 "$HERE/mkbench.py" "$out" --boot "$tmp/bench.bin"
    ;;
bench-linux)
    "$HERE/../guest/linux/build.sh" "$kdir" "$out" >/dev/null
    mtype -i "$out@@$PART_OFFSET" ::syslinux.cfg | tr -d '\r' |
        sed -e '/APPEND/s/loglevel=5/loglevel=6/' -e '/APPEND/s/$/ earlyprintk=xen/' > "$tmp/syslinux.cfg"
    grep -q 'APPEND.*earlyprintk=xen' "$tmp/syslinux.cfg" || { echo "syslinux.cfg not patched" >&2; exit 1; }
    mcopy -o -i "$out@@$PART_OFFSET" "$tmp/syslinux.cfg" ::syslinux.cfg
    ;;
bench-grub-kernel|bench-grub-archive|bench-grub-big)
    "$HERE/../guest/grub/build.sh" "${kind#bench-grub-}" "$kdir" "$out" >/dev/null
    ;;
*)
    echo "unknown bench guest $kind" >&2; exit 1 ;;
esac
