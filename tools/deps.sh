#!/bin/sh
# Installs, from Debian's packages, whatever the build and the tests need and
# this machine lacks (as root, or through sudo).  Does nothing when all is
# there already, so every entry point can call it.
set -eu
PACKAGES="gcc gcc-multilib lib32asan8 lib32ubsan1 clang libclang-rt-14-dev
lib32stdc++-12-dev make binutils nasm python3
libxen-dev qemu-system-x86 debootstrap mtools syslinux syslinux-common cpio
xz-utils e2fsprogs tar gzip git"

missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed' ||
        missing="$missing $pkg"
done
[ -n "$missing" ] || exit 0
echo "deps: installing$missing" >&2
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update -q >&2
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing >&2
