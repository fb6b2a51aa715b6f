#!/bin/sh
# Prints the version of this tree, from `git describe`: the string the ROM logs
# ("xenpvboot VERSION", rom/rom.mk) and the Debian package's version
# (tools/mkdeb.sh), so the two always agree.  Debian versions must start with a
# digit and a native package's may hold no '-', so describe's separators
# become '+':  v1.2 -> 1.2,  v1.2-5-gabc1234-dirty -> 1.2+5.gabc1234+dirty,
# and with no tag yet: 0+<commits>.g<abbrev>[+dirty].
set -eu
cd "$(dirname "$0")/.."
if ! git rev-parse --git-dir >/dev/null 2>&1; then
    echo "0+unknown"
    exit 0
fi
if d=$(git describe --tags --match '[v0-9]*' --dirty 2>/dev/null); then
    d=${d#v}
else
    d=0-$(git rev-list --count HEAD)-g$(git describe --always --dirty)
fi
# TAG-N-gHASH[-dirty] -> TAG+N.gHASH[+dirty]
echo "$d" | sed -e 's/-dirty$/+dirty/' -e 's/-\([0-9]*\)-g\([0-9a-f]*\)/+\1.g\2/'
