#!/bin/sh
# Installs, from Debian's packages, whatever the build, the tests and the
# Debian package build need and this machine lacks: as root directly, as any
# other user through sudo.  Does nothing when all is there already, so every
# entry point (make demo, make check, make deb, test/xen/*) can call it.
set -eu
PACKAGES="gcc gcc-multilib lib32asan8 lib32ubsan1 clang libclang-rt-14-dev
lib32stdc++-12-dev make binutils nasm python3
libxen-dev qemu-system-x86 debootstrap mtools syslinux syslinux-common cpio
xz-utils e2fsprogs tar gzip git
isolinux xorriso grub-rescue-pc grub-pc-bin debian-installer-12-netboot-amd64
dpkg-dev debhelper lintian"

missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed' ||
        missing="$missing $pkg"
done
[ -n "$missing" ] || exit 0
echo "deps: installing from Debian's packages:$missing" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "deps: not root and no sudo: as root, run: apt-get install$missing" >&2
        exit 1
    fi
    echo "deps: not root: using sudo" >&2
    sudo=sudo
fi
$sudo apt-get update -q >&2
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
