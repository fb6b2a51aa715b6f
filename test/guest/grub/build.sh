#!/bin/bash
# GRUB 2 hard-disk guests for the loader benchmarks and the grub-* scenarios:
#   build.sh [--no-xen-console] PAYLOAD GUEST_KERNEL_DIR OUT.img
# PAYLOAD (what GRUB loads, besides the Linux test guest's kernel; test/bench/README.md):
#   kernel   the Linux test guest's kernel + xz initramfs (~9.3 MB)
#   archive  the same, plus a 48 MiB cpio of incompressible data as a second initrd
#   big      one 64 MiB initramfs: the test initramfs with that cpio (grown to fill it) appended
# The init (test/guest/linux/init) checks the payload's md5 (CHECK payload) besides the vbd.
# Layout, with no loop device and no root: GRUB's boot.img (Debian's grub-pc-bin) at LBA 0,
# its core.img at LBA 1 (biosdisk, part_msdos, ext2, linux and an embedded config that boots
# the kernel: no module or grub.cfg is read from the disk), an ext2 partition at LBA 2048
# sized to the files, the XPVB marker region right after it (mkdisk.py). The kernel runs with
# earlyprintk=xen loglevel=6 (test/bench/build-guest.sh bench-linux: its `Linux version`
# line reaches xl dmesg); --no-xen-console leaves earlyprintk=xen out: for a boot in plain QEMU
# (outside Xen that early console hangs the kernel before its first line) and for the grub-*
# scenarios (on Xen it makes the kernel's boot ~4x slower). Prints "MARKER_LBA=<n> DISK_SECTORS=<n>".
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
XEN_CONSOLE=" earlyprintk=xen"
if [ "${1:-}" = --no-xen-console ]; then XEN_CONSOLE=""; shift; fi
payload=${1:?usage: build.sh kernel|archive|big GUEST_KERNEL_DIR OUT.img}
kdir=${2:?usage: build.sh kernel|archive|big GUEST_KERNEL_DIR OUT.img}
out=${3:?usage: build.sh kernel|archive|big GUEST_KERNEL_DIR OUT.img}
GRUB_DIR=/usr/lib/grub/i386-pc
PART_START=2048
ARCHIVE_BYTES=$((48 << 20))
BIG_INITRD_BYTES=$((64 << 20))
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/files"

# payload_cpio BYTES OUT: a newc cpio holding /payload.bin (incompressible, the same bytes at
# every build: SHAKE-256 of a fixed seed) and /payload.md5, BYTES long in all (to 512 bytes).
payload_cpio() {
    python3 "$HERE/mkpayload.py" "$1" "$2"
}

# part_sectors DIR: an ext2 partition that holds DIR's files, in 1 MiB steps: the files'
# bytes, plus 1/32 for ext2's own blocks, plus 2 MiB.
part_sectors() {
    local bytes
    bytes=$(du -sb "$1" | cut -f1)
    echo $(( (bytes + bytes / 32 + (2 << 20) + (1 << 20) - 1) / (1 << 20) * 2048 ))
}

grub_config() {   # grub_config INITRDS...: the embedded config, the rescue parser's commands
    cat <<CFG
set root=(hd0,msdos1)
linux /vmlinuz $(cat "$tmp/cmdline")
initrd $*
boot
CFG
}

core_image() {
    grub-mkimage -O i386-pc -d "$GRUB_DIR" -o "$tmp/core.img" -c "$tmp/grub.cfg" \
        -p "(hd0,msdos1)/boot/grub" biosdisk part_msdos ext2 linux boot
    python3 "$HERE/../mkdisk.py" grub-check "$GRUB_DIR/boot.img" "$tmp/core.img"
}

# The init inside the initramfs names the marker's LBA, right after the partition, whose size
# depends on the files: size them with a placeholder first (the number's digits change the
# xz initramfs by a few bytes, well within part_sectors's slack).
layout() {   # layout MARKER_LBA: $tmp/files, $tmp/cmdline and $initrds for $payload
    rm -rf "$tmp/files" && mkdir -p "$tmp/files"
    "$HERE/../linux/build.sh" --payload "$kdir" "$tmp/files" "$1"
    sed -e 's/loglevel=5/loglevel=6/' -e "s/\$/$XEN_CONSOLE/" "$tmp/files/cmdline" > "$tmp/cmdline"
    rm "$tmp/files/cmdline"
    case "$payload" in
    kernel) initrds="/initrd.xz" ;;
    archive)
        payload_cpio $ARCHIVE_BYTES "$tmp/files/archive.cpio"
        initrds="/initrd.xz /archive.cpio" ;;
    big)
        # GRUB pads each initrd to 4 bytes before the next; in one file that is ours to do
        local base pad
        base=$(stat -c %s "$tmp/files/initrd.xz")
        pad=$(( (4 - base % 4) % 4 ))
        head -c $pad /dev/zero >> "$tmp/files/initrd.xz"
        payload_cpio $(( (BIG_INITRD_BYTES - base - pad) / 512 * 512 )) "$tmp/big.cpio"
        cat "$tmp/files/initrd.xz" "$tmp/big.cpio" > "$tmp/files/initrd64"
        rm "$tmp/files/initrd.xz" "$tmp/big.cpio"
        initrds="/initrd64" ;;
    *) echo "build.sh: unknown payload $payload" >&2; exit 1 ;;
    esac
}

layout 0
part_sz=$(part_sectors "$tmp/files")
marker=$((PART_START + part_sz))
layout $marker
grub_config $initrds > "$tmp/grub.cfg"
# 4 KiB blocks, few inodes, no reserved blocks: the files' data in long runs
mke2fs -q -F -t ext2 -b 4096 -N 64 -m 0 -L XPVBGRUB -d "$tmp/files" "$tmp/part.img" $((part_sz / 8)) >/dev/null
core_image
disk_sectors=$((marker + 2048))      # the marker region, then slack to the next MiB
python3 "$HERE/../mkdisk.py" linux "$out" --mbr "$GRUB_DIR/boot.img" --core "$tmp/core.img" \
    --ptype 0x83 --part "$tmp/part.img" --part-start $PART_START --sectors $disk_sectors >/dev/null
echo "MARKER_LBA=$marker DISK_SECTORS=$disk_sectors"
