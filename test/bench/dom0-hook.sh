#!/bin/sh
# dom0 side of the benchmarks: the HOOK= of every bench-* scenario, as
# test/xen/scenarios/hooks/bench.sh (test/xen/dom0/run.sh calls it as: bench.sh PHASE
# DOMID OUTDIR DISK TARGET, with the scenario's GUEST= in the environment). Writes, into
# OUTDIR:
#   cpu.txt   lines "PHASE what pid comm utime stime" in clock ticks (CLK_TCK per "clk_tck"):
#             the domain's qemu device model at start and at the marker, and every
#             blkback kernel thread of the domain as last seen (blkback's threads live only
#             while a ring is connected and their times die with them, so a sampler
#             reads them every 0.2 s; at most one interval of a thread's time is lost),
#             and dom0's whole-CPU line of /proc/stat at start and marker.
#   raw.txt   (GUEST=bench only, after the guest is gone) dom0 reading the guest's region
#             of its backing image (and of the loop device for phy) with dd, page cache
#             dropped first ("cold") and again right after ("warm").
phase=$1 domid=$2 out=$3 disk=$4 target=$5
REGION_SKIP_MIB=4 REGION_MIB=64          # test/bench/mkbench.py REGION_LBA, REGION_SECTORS
SAMPLER_PID=/tmp/xpvb-bench-sampler.$domid

# stat_line PID: "pid comm utime stime" (none of our processes has a space in its comm)
stat_line() {
    awk '{ print $1, $2, $14, $15 }' "/proc/$1/stat" 2>/dev/null
}

qemu_pid() {
    pgrep -f "qemu-system-i386 .*-xen-domid $domid " | head -n 1
}

# blkback names its ring threads <domid>.<backing dev>-<ring> (e.g. 3.loop0-0)
blkback_sample() {
    for p in $(pgrep "^$domid\.[a-z].*-[0-9]+$"); do
        echo "blkback $(stat_line "$p")"
    done
}

sampler() {
    while :; do
        blkback_sample
        sleep 0.2
    done
}

dom0_cpu() {
    echo "dom0 $(head -n 1 /proc/stat)"
}

raw_read() {
    # $1 label, $2 path
    for cache in cold warm; do
        [ $cache = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
        r=$(dd if="$2" of=/dev/null bs=1M skip=$REGION_SKIP_MIB count=$REGION_MIB 2>&1 | tail -n 1)
        echo "RAW what=$1 cache=$cache dd: $r"
    done
}

case $phase in
start)
    echo "clk_tck $(getconf CLK_TCK)" >> "$out/cpu.txt"
    echo "start uptime $(cut -d' ' -f1 /proc/uptime)" >> "$out/cpu.txt"
    echo "start $(dom0_cpu)" >> "$out/cpu.txt"
    q=$(qemu_pid)
    [ -n "$q" ] && echo "start qemu $(stat_line "$q")" >> "$out/cpu.txt"
    sampler > "$out/blkback-samples.txt" 2>/dev/null &
    echo $! > "$SAMPLER_PID"
    ;;
marker)
    [ -f "$SAMPLER_PID" ] && kill "$(cat "$SAMPLER_PID")" 2>/dev/null
    rm -f "$SAMPLER_PID"
    q=$(qemu_pid)
    {
        echo "marker uptime $(cut -d' ' -f1 /proc/uptime)"
        echo "marker $(dom0_cpu)"
        [ -n "$q" ] && echo "marker qemu $(stat_line "$q")"
        blkback_sample | sed 's/^/marker /'
    } >> "$out/cpu.txt"
    # the last sample of every blkback thread, the ones that had exited included
    awk '{ last[$2] = $0 } END { for (p in last) print "last", last[p] }' \
        "$out/blkback-samples.txt" >> "$out/cpu.txt"
    ;;
after)
    if [ "${GUEST:-}" = bench ]; then
        echo "tmp-fs $(stat -f -c %T "$(dirname "$disk")")" >> "$out/raw.txt"
        raw_read file "$disk" >> "$out/raw.txt"
        case "$target" in /dev/loop*) raw_read loop "$target" >> "$out/raw.txt" ;; esac
    fi
    ;;
esac
