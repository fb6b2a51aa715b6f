#!/bin/bash
# Build a CD image (ISO 9660, El Torito) for the CD scenarios:
#   build.sh KIND GUEST_KERNEL_DIR OUT.iso
# KIND:
#   isolinux     ISOLINUX (Debian's isolinux package) booting the Linux test guest's
#                kernel + initramfs (test/guest/linux/build.sh makes them; its init checks
#                the hda vbd through xen-blkfront and prints LINUX RESULT)
#   grub-rescue  Debian's GRUB rescue ISO as it is (grub-rescue-pc): GRUB's menu on VGA
#   installer    ISOLINUX booting Debian 12's installer (debian-installer-12-netboot-amd64:
#                its kernel and its 40 MB initrd.gz) with its console on the serial port
#   probe        the CD INT 13h probe (test/guest/cdprobe/build.sh; GUEST_KERNEL_DIR unused)
# Built with xorriso, no-emulation boot, 4 x 512-byte boot image, boot info table.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
kind=${1:?usage: build.sh KIND GUEST_KERNEL_DIR OUT.iso}
kdir=${2:?usage: build.sh KIND GUEST_KERNEL_DIR OUT.iso}
out=${3:?usage: build.sh KIND GUEST_KERNEL_DIR OUT.iso}
ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
LDLINUX=/usr/lib/syslinux/modules/bios/ldlinux.c32
# earlyprintk=xen: the kernel's "Linux version" line also goes to xl dmesg, timestamped
# like SeaBIOS's "Booting from DVD/CD": the loader phase the benchmarks measure
KERNEL_ARGS="console=ttyS0,115200 earlyprintk=xen loglevel=5 panic=-1"
PART_OFFSET=$((2048 * 512))     # test/guest/linux/build.sh's FAT partition

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The Linux test guest's kernel and initramfs, from the disk its build.sh makes.
linux_payload() {
    "$HERE/../linux/build.sh" "$kdir" "$tmp/linux.img" >/dev/null
    mcopy -n -i "$tmp/linux.img@@$PART_OFFSET" ::vmlinuz ::initrd.xz "$1/"
}

isolinux_tree() {
    local root=$tmp/iso
    mkdir -p "$root/isolinux"
    cp "$ISOLINUX_BIN" "$LDLINUX" "$root/isolinux/"
    linux_payload "$root"
    isolinux_cfg "$root" /vmlinuz /initrd.xz "$KERNEL_ARGS"
    echo "$root"
}

DI=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64
GRUB_RESCUE=/usr/lib/grub-rescue/grub-rescue-cdrom.iso

# isolinux_cfg ROOT KERNEL INITRD ARGS: boot KERNEL with INITRD, no prompt, on serial.
isolinux_cfg() {
    cat > "$1/isolinux/isolinux.cfg" <<CFG
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL $2
  INITRD $3
  APPEND $4
CFG
}

installer_tree() {
    local root=$tmp/iso
    mkdir -p "$root/isolinux" "$root/install"
    cp "$ISOLINUX_BIN" "$LDLINUX" "$root/isolinux/"
    cp "$DI/linux" "$DI/initrd.gz" "$root/install/"
    isolinux_cfg "$root" /install/linux /install/initrd.gz "console=ttyS0,115200n8 earlyprintk=xen --- console=ttyS0,115200n8"
    echo "$root"
}

make_iso() {   # make_iso TREE VOLID
    xorriso -as mkisofs -quiet -o "$out" -V "$2" -R -J \
        -b isolinux/isolinux.bin -c isolinux/boot.cat \
        -no-emul-boot -boot-load-size 4 -boot-info-table "$1"
}

case "$kind" in
isolinux) make_iso "$(isolinux_tree)" XPVB_ISOLINUX ;;
grub-rescue) cp "$GRUB_RESCUE" "$out" ;;
installer) make_iso "$(installer_tree)" XPVB_DEBIAN_INSTALLER ;;
probe) "$HERE/../cdprobe/build.sh" "$out" ;;
*) echo "build.sh: unknown CD kind $kind" >&2; exit 1 ;;
esac
