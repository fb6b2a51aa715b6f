#!/bin/bash
# Build (or find in the cache) the dom0 disk image for the Xen testbed, from Debian
# packages alone. Prints the cache directory holding it as the last line of stdout:
#   DIR/dom0.img      ext4 root filesystem (made with mke2fs -d, no loop mount)
#   DIR/xen           the Xen hypervisor (multiboot ELF that QEMU -kernel loads)
#   DIR/vmlinuz DIR/initrd.img        dom0 kernel + initramfs
#   DIR/guest-kernel/{vmlinuz,modules/...}  same kernel + modules the Linux guest needs
# The cache key hashes every input, so a changed input means a fresh build.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${XENPVBOOT_CACHE:-/var/cache/xenpvboot}
SUITE=${XENPVBOOT_SUITE:-bookworm}
MIRROR=${XENPVBOOT_MIRROR:-http://deb.debian.org/debian}
PACKAGES="xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils qemu-system-xen seabios
linux-image-amd64 initramfs-tools busybox kmod iproute2 procps e2fsprogs util-linux mount tar dmsetup"
IMAGE_SIZE=3G

cache_key() {
    { echo "$SUITE"; echo $PACKAGES; cat "$0" "$HERE/dom0/init"; } | sha256sum | cut -c1-16
}

bootstrap_rootfs() {
    local root=$1
    # Its chatter goes to a log, shown only when it fails.
    if ! debootstrap --variant=minbase --include="$(echo $PACKAGES | tr ' ' ,)" \
            "$SUITE" "$root" "$MIRROR" > "$root.debootstrap.log" 2>&1; then
        tail -n 30 "$root.debootstrap.log" >&2
        return 1
    fi
    install -m 0755 "$HERE/dom0/init" "$root/sbin/xpvb-init"
    echo dom0 > "$root/etc/hostname"
    # Package caches are dead weight in the image.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
}

extract_boot_files() {
    local root=$1 out=$2 kver
    gunzip -c "$root"/boot/xen-4.17-amd64.gz > "$out/xen"
    kver=$(basename "$(ls -d "$root"/lib/modules/* | head -n1)")
    cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
    cp "$root/boot/initrd.img-$kver" "$out/initrd.img"
    # The Linux guest runs the same kernel; keep its xen drivers and module index.
    mkdir -p "$out/guest-kernel/modules"
    cp "$root/boot/vmlinuz-$kver" "$out/guest-kernel/vmlinuz"
    echo "$kver" > "$out/guest-kernel/version"
    (cd "$root/lib/modules/$kver" && tar cf - modules.dep modules.builtin kernel/drivers/block kernel/drivers/xen) \
        | tar xf - -C "$out/guest-kernel/modules"
    cp "$root/boot/config-$kver" "$out/guest-kernel/config"
}

build() {
    local dir=$1
    tmp=$1.tmp.$$               # global: the EXIT trap needs it after build returns
    rm -rf "$tmp"; mkdir -p "$tmp"
    trap 'rm -rf "$tmp"' EXIT
    bootstrap_rootfs "$tmp/rootfs"
    extract_boot_files "$tmp/rootfs" "$tmp"
    mke2fs -q -t ext4 -L dom0 -d "$tmp/rootfs" "$tmp/dom0.img" "$IMAGE_SIZE" >&2
    rm -rf "$tmp/rootfs" "$tmp/rootfs.debootstrap.log"
    rm -rf "$dir"; mv "$tmp" "$dir"
    trap - EXIT
}

elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

main() {
    local start dir
    start=$(date +%s%N)
    dir="$CACHE/dom0-$(cache_key)"
    mkdir -p "$CACHE"
    # One build at a time per cache; a second caller waits, then finds the image.
    exec 9> "$CACHE/.lock"
    flock -n 9 || { echo "mkdom0: waiting for another build in $CACHE" >&2; flock 9; }
    if [ -s "$dir/dom0.img" ] && [ -s "$dir/xen" ] && [ -s "$dir/guest-kernel/vmlinuz" ]; then
        echo "mkdom0: cached $dir (check took $(elapsed_ms "$start") ms)" >&2
    else
        echo "mkdom0: building $dir (debootstrap $SUITE from $MIRROR)" >&2
        build "$dir"
        # Older keys' finished images are dead weight (~1 GB each); other builds'
        # dom0-KEY.tmp.PID directories are left alone.
        find "$CACHE" -maxdepth 1 -name 'dom0-????????????????' ! -name "${dir##*/}" -exec rm -rf {} +
        echo "mkdom0: built $dir in $(( $(elapsed_ms "$start") / 1000 )) s" >&2
    fi
    echo "$dir"
}

main "$@"
