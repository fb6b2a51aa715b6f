#!/bin/sh
# Installs, from Debian's packages, whatever the build and the tests need and
# this machine lacks.  Runs as root or through sudo; does nothing when all is
# there already.
set -eu
need=""
want() { # want COMMAND-OR-FILE PACKAGE
    case "$1" in
    /*) [ -e "$1" ] || need="$need $2" ;;
    *) command -v "$1" >/dev/null 2>&1 || need="$need $2" ;;
    esac
}
want gcc gcc
want make make
want ld binutils
want nasm nasm
want python3 python3
want qemu-system-x86_64 qemu-system-x86
want /usr/include/xen/io/blkif.h libxen-dev
want /usr/lib32/libc.so gcc-multilib
want debootstrap debootstrap
want mformat mtools
want /usr/lib/syslinux/mbr/mbr.bin syslinux-common
want syslinux syslinux
want cpio cpio
want xz xz-utils
want mke2fs e2fsprogs
[ -n "$need" ] || exit 0
echo "deps: installing$need"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need
