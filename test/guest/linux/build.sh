#!/bin/bash
# Build the Linux guest disk: build.sh GUEST_KERNEL_DIR OUT.img
# (build.sh --fetch: only puts busybox-static into the cache; the testbed runs that as
# root for a user whose builds cannot write the root-owned cache.
# build.sh --payload GUEST_KERNEL_DIR DIR MARKER_LBA: only the boot payload, for the other
# loaders' disks (test/guest/grub/build.sh): DIR/vmlinuz, DIR/initrd.xz whose init looks for
# the marker region at MARKER_LBA, and DIR/cmdline, the kernel arguments.)
# GUEST_KERNEL_DIR is mkdom0.sh's guest-kernel/ (the dom0's own Debian kernel + modules).
# Layout: mbr.bin (syslinux-common) | FAT16 partition at LBA 2048 with SYSLINUX, the
# kernel and an xz initramfs (busybox-static + xen-blkfront + init) | MARKER_RUN
# sectors of XPVB pattern right after the partition. Prints "MARKER_LBA=<n>".
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MODE=build
if [ "${1:-}" = --fetch ]; then
    MODE=fetch
elif [ "${1:-}" = --payload ]; then
    MODE=payload
    kdir=${2:?usage: build.sh --payload GUEST_KERNEL_DIR DIR MARKER_LBA}
    pdir=${3:?usage: build.sh --payload GUEST_KERNEL_DIR DIR MARKER_LBA}
    MARKER_LBA=${4:?usage: build.sh --payload GUEST_KERNEL_DIR DIR MARKER_LBA}
else
    kdir=${1:?usage: build.sh GUEST_KERNEL_DIR OUT.img}
    out=${2:?usage: build.sh GUEST_KERNEL_DIR OUT.img}
fi
CACHE=${XENPVBOOT_CACHE:-/var/cache/xenpvboot}
PART_START=2048
PART_SECTORS=32768          # 16 MiB: kernel (~8 MiB) + initramfs + SYSLINUX
DISK_SECTORS=36864          # partition + 64 marker sectors + slack
[ "$MODE" = payload ] || MARKER_LBA=$((PART_START + PART_SECTORS))
MBR_BIN=/usr/lib/syslinux/mbr/mbr.bin
KERNEL_ARGS="console=ttyS0,115200 loglevel=5 panic=-1"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

apt_download() { apt-get -q -o APT::Sandbox::User=root download "$@" >&2; }

# cached_busybox_deb: prints the busybox-static .deb in CACHE/debs/, downloaded once.
cached_busybox_deb() {
    local debs=$CACHE/debs deb
    deb=$(ls "$debs"/busybox-static_*.deb 2>/dev/null | head -n1 || true)
    if [ -z "$deb" ]; then
        mkdir -p "$debs"
        # As root into a root-owned cache: apt's _apt sandbox user could not write there.
        (cd "$debs" && { apt_download busybox-static || { apt-get update -q >&2 && apt_download busybox-static; }; })
        deb=$(ls "$debs"/busybox-static_*.deb | head -n1)
    fi
    echo "$deb"
}

# busybox-static from the Debian archive, unpacked (not installed) on the host.
fetch_busybox_static() {
    local deb
    deb=$(cached_busybox_deb)
    dpkg-deb -x "$deb" "$tmp/bb"
    echo "$tmp/bb/bin/busybox"
}

make_initramfs() {
    local root=$tmp/initramfs busybox
    busybox=$(fetch_busybox_static)
    mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
    cp "$busybox" "$root/bin/busybox"
    ln -s busybox "$root/bin/sh"
    sed "s/@MARKER_LBA@/$MARKER_LBA/" "$HERE/init" > "$root/init"
    chmod +x "$root/init"
    # xen-blkfront (no module dependencies); the platform-pci driver is built in.
    cp "$kdir/modules/kernel/drivers/block/xen-blkfront.ko"* "$root/lib/modules/"
    for z in "$root"/lib/modules/*.xz; do [ -e "$z" ] && xz -d "$z"; done
    (cd "$root" && find . | cpio -o -H newc --quiet -R 0:0) | xz --check=crc32 -9 > "$tmp/initrd.xz"
}

make_fat_partition() {
    local part=$tmp/part.img
    mformat -i "$part" -C -T $PART_SECTORS -h 64 -s 32 -H $PART_START -v XPVBLINUX ::
    syslinux --install "$part"
    cat > "$tmp/syslinux.cfg" <<CFG
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL vmlinuz
  INITRD initrd.xz
  APPEND $KERNEL_ARGS
CFG
    mcopy -i "$part" "$kdir/vmlinuz" "$tmp/initrd.xz" "$tmp/syslinux.cfg" ::
}

if [ "$MODE" = fetch ]; then
    cached_busybox_deb > /dev/null
    exit 0
fi
if [ "$MODE" = payload ]; then
    make_initramfs
    cp "$kdir/vmlinuz" "$tmp/initrd.xz" "$pdir/"
    echo "$KERNEL_ARGS" > "$pdir/cmdline"
    exit 0
fi
make_initramfs
make_fat_partition
python3 "$HERE/../mkdisk.py" linux "$out" --mbr "$MBR_BIN" --part "$tmp/part.img" \
    --part-start $PART_START --sectors $DISK_SECTORS >/dev/null
echo "MARKER_LBA=$MARKER_LBA"
