# HOOK for sector4k-blkback (run.sh's run_hook: sh far4k.sh PHASE DOMID OUTDIR DISK TARGET). At
# "after" (guest gone, its disks still there) it copies the 4 KiB sector the probe wrote at
# FOURK_LBA from the extra disk's backing file (next to DISK) into OUTDIR/far4k.bin, and
# its xenstore-visible geometry as blkback gave it into OUTDIR/far4k.txt.
phase=$1 out=$3 disk=$4
[ "$phase" = after ] || exit 0
img=$(dirname "$disk")/extra.img
dd if="$img" of="$out/far4k.bin" bs=4096 skip="$FOURK_LBA" count=1 2>/dev/null
echo "file $(stat -c %s "$img") bytes, lba $FOURK_LBA" > "$out/far4k.txt"
echo "hook: copied 4 KiB at lba $FOURK_LBA: $(od -An -c -N 8 "$out/far4k.bin" | tr -s ' ')"
