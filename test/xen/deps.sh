#!/bin/bash
# Install the host tools the Xen testbed needs, only those missing.
# Called by run/demo/shell; safe to call again (does nothing when all are present).
set -euo pipefail

needed_packages() {
    local pkg
    for pkg in qemu-system-x86 debootstrap nasm mtools syslinux syslinux-common \
               cpio xz-utils e2fsprogs python3 tar gzip; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed' \
            || echo "$pkg"
    done
}

missing=$(needed_packages)
if [ -n "$missing" ]; then
    echo "deps: installing:" $missing >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >&2
fi
