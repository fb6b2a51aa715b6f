#!/bin/sh
# Runs inside dom0 from the payload (/payload/dom0-run.sh): every scenario named in
# /payload/scenarios.list, one guest at a time, collecting into /results/NAME/, then
# writes /results as a tar stream onto the third disk (/dev/vdc) for the host.
# Console markers (read by test/xen/run): XPVB-SCENARIO START|END, XPVB-DOM0 RESULTS.
P=/payload
R=/results
WORK=/tmp/xpvb
LIVE=$(cat $P/live 2>/dev/null)
SCALE=$(cat $P/timeout-scale 2>/dev/null || echo 1)     # XENPVBOOT_TIMEOUT_SCALE on the host

# mark LINE: a marker for the host, on the console and on the status port (see init).
mark() {
    echo "$*"
    [ -n "$XPVB_STATUS" ] && echo "$*" > "$XPVB_STATUS"
}
say() { mark "XPVB-DOM0 $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# fill_template IN OUT NAME DISK BACKENDTYPE SERIAL ROMFILE
fill_template() {
    sed -e "s|@NAME@|$3|g" -e "s|@DISK@|$4|g" -e "s|@BACKENDTYPE@|$5|g" \
        -e "s|@SERIAL@|$6|g" -e "s|@ROM@|$7|g" "$1" > "$2"
}

# add_disk CFG SPEC: appends one disk to the xl config's `disk = [ ... ]` line.
add_disk() {
    sed -i "s|^\(disk *= *\[.*\)\]|\1, \"$2\" ]|" "$1"
}

# make_scratch OUT: the scratch disk (SCRATCH=1): 4 MiB, sector 0 starts with the marker
# that alone allows the ROM's self-test and the probe to write to a disk; the rest zero.
make_scratch() {
    printf 'XENPVBOOT-SCRATCH' > "$1"
    truncate -s 4M "$1"
}

# backend_target IMG: prints the xl target for IMG; for phy a loop device, since
# blkback needs a block device and libxl's own loop set-up fails in this dom0.
backend_target() {
    if [ "$BACKEND" = phy ]; then
        losetup -f --show "$1" || say "losetup $1 failed" >&2
    else
        echo "$1"
    fi
}

# set_twins DOMID VALUE: xenpvboot/twins for a guest created paused; dom0 owns the key
# and the guest may only read it (the ROM reads it at BCV).
set_twins() {
    k=/local/domain/$1/xenpvboot
    xenstore-write "$k/twins" "$2" &&
        xenstore-chmod "$k" n0 "r$1" && xenstore-chmod "$k/twins" n0 "r$1"
}

# snapshot_xenstore DOMID OUT: the guest's frontend devices, its xenpvboot keys (if any)
# and dom0's backends for it.
snapshot_xenstore() {
    {
        echo "# frontend /local/domain/$1/device"
        xenstore-ls -f "/local/domain/$1/device" 2>&1
        if xenstore-exists "/local/domain/$1/xenpvboot" 2>/dev/null; then
            echo "# /local/domain/$1/xenpvboot"
            xenstore-ls -fp "/local/domain/$1/xenpvboot" 2>&1
        fi
        for kind in vbd qdisk; do
            echo "# backend /local/domain/0/backend/$kind/$1"
            xenstore-ls -f "/local/domain/0/backend/$kind/$1" 2>&1
        done
    } > "$2"
}

# drain_xl_dmesg OUT: moves Xen's console ring into OUT (read and clear), so a chatty guest
# cannot push its early lines (hvmloader, SeaBIOS, the ROM) out of the 1 MiB ring.
# OUT keeps its first DMESG_CAP bytes; the ring is cleared either way.
DMESG_CAP=$((32 << 20))
drain_xl_dmesg() {
    if [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$DMESG_CAP" ]; then
        xl dmesg -c >> "$1"
    else
        xl dmesg -c > /dev/null
    fi
}

# wait_for_end NAME SERIAL MARKER TIMEOUT DMESG: prints why the guest run ended.
wait_for_end() {
    # Wall-clock deadline (dom0 uptime): a busy guest can make each turn take far more than 1 s.
    deadline=$(awk -v u="$(uptime_s)" -v t="$4" 'BEGIN { printf "%d", u + t }') shown=0
    while [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
        if [ "$LIVE" = 1 ] && [ -f "$2" ]; then
            n=$(wc -l < "$2")
            [ "$n" -gt "$shown" ] && tail -n +$((shown + 1)) "$2" | head -n $((n - shown)) | sed 's/^/GUEST| /' >&2
            shown=$n
        fi
        if [ -f "$2" ] && grep -q "$3" "$2"; then echo marker; return; fi
        xl domid "$1" >/dev/null 2>&1 || { echo poweroff; return; }
        drain_xl_dmesg "$5"
        sleep 1
    done
    echo timeout
}

# run_hook PHASE DOMID OUTDIR DISK TARGET: HOOK= (a script in the scenario's directory)
# at "start" (domain created), "marker" (run ended, guest still there) and "after"
# (guest destroyed, disk still there); output to OUTDIR/hook.log. The benchmarks use it.
run_hook() {
    [ -n "$HOOK" ] || return 0
    sh "$P/scenarios/$name/$HOOK" "$@" >> "$3/hook.log" 2>&1
}

run_scenario() {
    name=$1 dom=xpvb-$1 d=$R/$1 w=$WORK/$1
    GUEST="" BACKEND=qdisk TIMEOUT=120 MARKER="" ROM=main SCRATCH=0 TWINS="" DUMP_LBAS="" HOOK=""
    . $P/scenarios/$name/scenario.conf
    TIMEOUT=$(awk -v t="$TIMEOUT" -v s="$SCALE" 'BEGIN { printf "%d", t * s + 0.5 }')
    mkdir -p "$d" "$w"
    say "SCENARIO START $name uptime=$(uptime_s)"
    mark "XPVB-SCENARIO START $name"
    start=$(uptime_s)
    cp "$P/guests/$GUEST.img" "$w/disk.img"        # each run gets a fresh disk
    backendtype=qdisk
    [ "$BACKEND" = phy ] && backendtype=phy
    target=$(backend_target "$w/disk.img")
    rom=$P/xenpvboot.rom
    [ "$ROM" = selftest ] && rom=$P/xenpvboot-selftest.rom
    fill_template "$P/scenarios/$name/guest.cfg" "$d/guest.cfg" "$dom" "$target" "$backendtype" "$d/serial.log" "$rom"
    scratch=""
    if [ "$SCRATCH" = 1 ]; then
        make_scratch "$w/scratch.img"
        scratch=$(backend_target "$w/scratch.img")
        add_disk "$d/guest.cfg" "format=raw,vdev=hdb,access=rw,backendtype=$backendtype,target=$scratch"
    fi
    # TWINS=: the key must be there before the ROM runs, so create the guest paused.
    paused=""
    [ -n "$TWINS" ] && paused=-p
    xl dmesg -c > /dev/null
    if ! xl create $paused "$d/guest.cfg" > "$d/xl-create.log" 2>&1; then
        echo create-failed > "$d/end"
    else
        domid=$(xl domid "$dom")
        echo "$domid" > "$d/domid"
        run_hook start "$domid" "$d" "$w/disk.img" "$target"
        if [ -n "$TWINS" ]; then
            set_twins "$domid" "$TWINS" > "$d/twins.log" 2>&1 || say "setting xenpvboot/twins failed"
            xl unpause "$dom"
        fi
        end=$(wait_for_end "$dom" "$d/serial.log" "$MARKER" "$TIMEOUT" "$d/xl-dmesg.txt")
        echo "$end" > "$d/end"
        run_hook marker "$domid" "$d" "$w/disk.img" "$target"
        snapshot_xenstore "$domid" "$d/xenstore-before.txt"
        xl list > "$d/xl-list.txt" 2>&1
        # Grant table and event channel state, best effort: dumped into the Xen console.
        xl debug-keys g; xl debug-keys e
        sleep 1
        drain_xl_dmesg "$d/xl-dmesg.txt"
        grep -a "(d$domid)" "$d/xl-dmesg.txt" > "$d/xl-dmesg-guest.txt"
        xl destroy "$dom" 2>/dev/null
        sleep 2
        snapshot_xenstore "$domid" "$d/xenstore-after.txt"
        run_hook after "$domid" "$d" "$w/disk.img" "$target"
    fi
    cp /var/log/xen/qemu-dm-$dom.log "$d/qemu-dm.log" 2>/dev/null
    cp /var/log/xen/xl-$dom.log "$d/xl.log" 2>/dev/null
    for t in "$target" "$scratch"; do
        case "$t" in /dev/loop*) losetup -d "$t" ;; esac
    done
    # What the guest left in the scratch disk's first sectors (the self-test writes LBA 1).
    [ -f "$w/scratch.img" ] && dd if="$w/scratch.img" of="$d/scratch-head.bin" bs=512 count=2 2>/dev/null
    # DUMP_LBAS="FIRST COUNT": those sectors of the guest's own disk as the run left them.
    [ -n "$DUMP_LBAS" ] && dd if="$w/disk.img" of="$d/disk-lbas.bin" bs=512 skip="${DUMP_LBAS% *}" count="${DUMP_LBAS#* }" 2>/dev/null
    rm -rf "$w"
    echo "$start $(uptime_s)" > "$d/times"
    mark "XPVB-SCENARIO END $name end=$(cat $d/end) seconds=$(echo "$start $(uptime_s)" | awk '{printf "%.1f", $2-$1}')"
}

write_results() {
    cp /proc/cmdline "$R/dom0-cmdline.txt"
    tar cf /dev/vdc -C "$R" . && sync
    say "RESULTS written"
}

mkdir -p "$R" "$WORK"
xl dmesg > "$R/xl-dmesg-boot.txt" 2>&1
xl info > "$R/xl-info.txt" 2>&1
if [ $# -eq 0 ] && [ "$(cat $P/mode 2>/dev/null)" = shell ]; then
    say "payload in $P (ROM: $P/xenpvboot.rom, guest disks: $P/guests/, scenarios: $P/scenarios/)"
    say "run one: /payload/dom0-run.sh NAME ; leave with: echo o > /proc/sysrq-trigger"
    setsid -c sh -i < /dev/hvc0 > /dev/hvc0 2>&1
    exit 0
fi
if [ $# -gt 0 ]; then list="$*"; else list=$(cat $P/scenarios.list); fi
for s in $list; do run_scenario "$s"; done
[ $# -gt 0 ] || write_results
