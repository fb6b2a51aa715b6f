#!/bin/sh
# tools/mkdeb.sh [OUT]: builds the Debian package with Debian's own tools
# (dpkg-buildpackage -b -us -uc) into OUT (default build/deb/) and prints the
# .deb's path last.  It builds in a copy of the tree, OUT/xenpvboot-VERSION/,
# so dpkg-buildpackage's outputs (written to the parent of the source directory)
# land in OUT and not beside the clone, and writes the copy's debian/changelog
# with the version of tools/version.sh: the one the ROM logs.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TOP/build/deb}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
VERSION=$("$TOP/tools/version.sh")
SRC=$OUT/xenpvboot-$VERSION

# copy_tree DIR: the tracked and the new (not ignored) files of the tree, build/ never.
copy_tree() {
    if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
        git -C "$TOP" ls-files -z --cached --others --exclude-standard |
            tar -C "$TOP" --null -T - --ignore-failed-read -cf - | tar -C "$1" -xf -
    else
        tar -C "$TOP" --exclude=./build -cf - . | tar -C "$1" -xf -
    fi
}

# write_changelog FILE: one entry, dated by the last commit (reproducible builds).
write_changelog() {
    when=$(git -C "$TOP" log -1 --format=%ct 2>/dev/null || date +%s)
    who=$(sed -n 's/^Maintainer: //p' "$TOP/debian/control")
    [ -n "${DEBEMAIL:-}" ] && who="${DEBFULLNAME:-$DEBEMAIL} <$DEBEMAIL>"
    cat > "$1" <<END
xenpvboot ($VERSION) unstable; urgency=medium

  * Built from the xenpvboot tree at $VERSION (tools/version.sh).

 -- $who  $(date -u -R -d "@$when")
END
}

rm -rf "$OUT"/xenpvboot-* "$OUT"/xenpvboot_*
mkdir -p "$SRC"
copy_tree "$SRC"
write_changelog "$SRC/debian/changelog"
echo "mkdeb: building xenpvboot $VERSION in $SRC" >&2
(cd "$SRC" && dpkg-buildpackage -b -us -uc) >&2
echo "$OUT/xenpvboot_${VERSION}_all.deb"
