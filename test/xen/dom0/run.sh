#!/bin/sh
# Runs inside dom0 from the payload (/payload/dom0-run.sh): every scenario named in
# /payload/scenarios.list, one guest at a time, collecting into /results/NAME/, then
# writes /results as a tar stream onto the third disk (/dev/vdc) for the host.
# Console markers (read by test/xen/run): XPVB-SCENARIO START|END, XPVB-DOM0 RESULTS.
P=/payload
R=/results
WORK=/tmp/xpvb
LIVE=$(cat $P/live 2>/dev/null)
REPEAT=$(cat $P/repeat 2>/dev/null || echo 1)     # test/xen/run --repeat N (make soak)
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

# make_scratch OUT KIND: the scratch disk (SCRATCH=1 or reset): 4 MiB, sector 0 starts
# with the marker that alone allows the ROM's self-test and the probe to write to a disk
# (SCRATCH=reset: "-RESET" after it, and the probe resets the guest right after a write);
# the rest zero.
make_scratch() {
    printf 'XENPVBOOT-SCRATCH' > "$1"
    [ "$2" = reset ] && printf -- '-RESET' >> "$1"
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

# --- EXTRA=KIND: one more disk, PV only (libxl emulates IDE for disks 0-3, so xvde has
# no twin and the ROM gives it a new drive number), for the fault scenarios:
#   readonly  access=ro: the probe's write/format/verify rows expect 03h / success
#   soak      the probe reads it in a loop (a HOOK detaches it meanwhile)
#   boot      an unchanged copy of the guest disk: bootable (the boot-menu scenarios)
#   4k        (phy) an empty sparse 2 TiB file on a loop device with 4 KiB logical
#             sectors (losetup --sector-size 4096), so blkback says sector-size 4096
#   soak-dm   the same behind a device-mapper device (a HOOK slows and suspends it)
#   dead      a backend that never reaches Connected: qdisk cannot open its immutable
#             backing file; for phy the hotplug script finds no backing device
#   unreadable  (phy) a device-mapper "error" device: blkback connects, then fails every
#             request, so the BCV's first-block read of it fails
export EXTRA_VDEV=xvde DM_NAME=xpvb-extra       # the hooks use them too
# EXTRA=4k: 4 KiB sectors, as many as reach past 2^29 + 64 (the probe writes at 2^29 + 16)
export FOURK_SECTORS=$(((1 << 29) + 64)) FOURK_LBA=$(((1 << 29) + 16))

# make_extra KIND IMG: a copy of the probe disk (the pattern where the probe reads it)
# whose sector 0 starts with a signature naming the disk's role to the probe; the rest of
# that sector stays the probe's, 55 AA included (the probe checks every disk's MBR).
make_extra() {
    if [ "$1" = 4k ]; then                  # sparse, past 2^29 4 KiB sectors (2 TiB)
        truncate -s $(((FOURK_SECTORS) * 4096)) "$2"
        return
    fi
    cp "$P/guests/probe.img" "$2"
    case "$1" in
    boot) return ;;                     # bootable as it is (EXTRA=boot)
    readonly) sig=XENPVBOOT-READONLY ;;
    soak|soak-dm) sig=XENPVBOOT-SOAK ;;
    *) sig=XENPVBOOT-EXTRA ;;
    esac
    printf %s "$sig" | dd of="$2" conv=notrunc 2>/dev/null
}

# dm_target IMG: a linear device-mapper device over a loop device for IMG; prints its
# path. No udev in this dom0: dmsetup makes the node itself.
dm_target() {
    modprobe dm-mod 2>/dev/null; modprobe dm-delay 2>/dev/null
    loop=$(losetup -f --show "$1") || return 1
    dmsetup create --noudevsync "$DM_NAME" --table "0 $(blockdev --getsz "$loop") linear $loop 0" &&
        dmsetup mknodes "$DM_NAME" && echo "/dev/mapper/$DM_NAME"
}

# dm_error_target IMG: a device-mapper device of IMG's size on which every I/O fails (the
# error target, built into dm-mod); prints its path.
dm_error_target() {
    modprobe dm-mod 2>/dev/null
    dmsetup create --noudevsync "$DM_NAME" --table "0 $(($(stat -c %s "$1") / 512)) error" &&
        dmsetup mknodes "$DM_NAME" && echo "/dev/mapper/$DM_NAME"
}

# dead_disk IMG SPEC: the xl disk spec of a disk whose backend never connects.
dead_disk() {
    if [ "$BACKEND" = phy ]; then
        # a block script whose backing device is gone: it attaches nothing (exit 0, so
        # xl create goes on), and blkback waits in InitWait for a device forever
        printf '#!/bin/sh\n# xenpvboot testbed: no backing device\nexit 0\n' > "$w/nobacking"
        chmod +x "$w/nobacking"
        echo "$2,access=rw,script=$w/nobacking,target=$1"
    else
        # immutable (on ext4: /tmp is tmpfs), so even root's QEMU cannot open it to write
        mkdir -p /var/tmp/xpvb && mv "$1" /var/tmp/xpvb/dead.img && chattr +i /var/tmp/xpvb/dead.img
        echo "$2,access=rw,target=/var/tmp/xpvb/dead.img"
    fi
}

# extra_disk KIND IMG: sets the extra disk up; prints its xl disk spec.
extra_disk() {
    spec="format=raw,vdev=$EXTRA_VDEV,backendtype=$backendtype"
    case "$1" in
    readonly) echo "$spec,access=ro,target=$(backend_target "$2")" ;;
    soak|boot) echo "$spec,access=rw,target=$(backend_target "$2")" ;;
    4k) echo "$spec,access=rw,target=$(losetup --sector-size 4096 -f --show "$2")" ;;
    soak-dm) echo "$spec,access=rw,target=$(dm_target "$2")" ;;
    dead) dead_disk "$2" "$spec" ;;
    unreadable) echo "$spec,access=rw,target=$(dm_error_target "$2")" ;;
    *) say "unknown EXTRA=$1" >&2 ;;
    esac
}

# extra_cleanup: undoes what extra_disk set up (the guest is gone).
extra_cleanup() {
    if dmsetup info "$DM_NAME" >/dev/null 2>&1; then
        loop=$(dmsetup deps -o devname "$DM_NAME" | sed -n 's/.*(\(loop[0-9]*\)).*/\/dev\/\1/p')
        dmsetup resume --noudevsync "$DM_NAME" 2>/dev/null
        dmsetup remove --noudevsync "$DM_NAME"
        [ -n "$loop" ] && losetup -d "$loop"
    fi
    if [ -f /var/tmp/xpvb/dead.img ]; then
        chattr -i /var/tmp/xpvb/dead.img && rm -f /var/tmp/xpvb/dead.img
    fi
}

# --- GRANTCHECK=1: the guest's COM2 is a pipe; after every INT 13h call the probe waits
# there while grantcheck.py looks at Xen's grant table from here (test/xen/README.md).
grantcheck_setup() {
    mkfifo "$2/com2.in" "$2/com2.out"
    sed -i "s|^\(device_model_args_hvm *= *\[.*\)\]|\1, \"-chardev\", \"pipe,id=xpvbgc,path=$2/com2\", \"-device\", \"isa-serial,chardev=xpvbgc,iobase=0x2f8,irq=3\" ]|" "$1"
}

# snapshot_xenstore DOMID OUT: the guest's frontend devices, its xenpvboot keys (if any)
# and dom0's backends for it.
snapshot_xenstore() {
    {
        echo "# frontend /local/domain/$1/device"
        xenstore-ls -f "/local/domain/$1/device" 2>&1
        if xenstore-exists "/local/domain/$1/xenpvboot" 2>/dev/null; then
            echo "# /local/domain/$1/xenpvboot, with permissions"
            xenstore-ls -fp "/local/domain/$1" 2>&1 | grep "^/local/domain/$1/xenpvboot"
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
# DMESG_LOCK: grantcheck.py holds it from its debug key until the dump is in HV_LOG.
DMESG_CAP=$((32 << 20))
DMESG_LOCK=/run/xpvb-dmesg.lock
drain_xl_dmesg() {
    if [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$DMESG_CAP" ]; then
        flock "$DMESG_LOCK" xl dmesg -c >> "$1"
    else
        flock "$DMESG_LOCK" xl dmesg -c > /dev/null
    fi
}

# screen_shows NAME OUT: SCREEN= (an extended regex) is on the guest's VGA text screen, for
# loaders that draw there only (GRUB's rescue ISO); the screen read last is in OUT. Read
# through the device model's QMP socket (vgatext.py), at most every SCREEN_EVERY turns.
SCREEN_EVERY=3
screen_turn=0
screen_shows() {
    screen_turn=$((screen_turn + 1))
    [ $((screen_turn % SCREEN_EVERY)) = 0 ] || return 1
    python3 "$P/vgatext.py" "$(xl domid "$1")" > "$2.new" 2>&1 && mv "$2.new" "$2"
    grep -qE "$SCREEN" "$2" 2>/dev/null
}

# wait_for_end NAME SERIAL MARKER TIMEOUT DMESG: prints why the guest run ended; the marker
# is MARKER on the serial console or DMESG_MARKER in the guest's (d$domid) xl dmesg lines.
wait_for_end() {
    # Wall-clock deadline (dom0 uptime): a busy guest can make each turn take far more than 1 s.
    deadline=$(awk -v u="$(uptime_s)" -v t="$4" 'BEGIN { printf "%d", u + t }') shown=0
    while [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
        if [ "$LIVE" = 1 ] && [ -f "$2" ]; then
            n=$(wc -l < "$2")
            [ "$n" -gt "$shown" ] && tail -n +$((shown + 1)) "$2" | head -n $((n - shown)) | sed 's/^/GUEST| /' >&2
            shown=$n
        fi
        if [ -n "$3" ] && [ -f "$2" ] && grep -q "$3" "$2"; then
            echo "marker $(uptime_s)" >> "$(dirname "$2")/boot-times"
            echo marker; return
        fi
        if [ -n "$DMESG_MARKER" ] && grep -aq "(d$domid) .*$DMESG_MARKER" "$5" 2>/dev/null; then
            echo "marker $(uptime_s)" >> "$(dirname "$2")/boot-times"
            echo marker; return
        fi
        xl domid "$1" >/dev/null 2>&1 || { echo poweroff; return; }
        if [ -n "$SCREEN" ] && screen_shows "$1" "$(dirname "$2")/screen.txt"; then
            echo "marker $(uptime_s)" >> "$(dirname "$2")/boot-times"
            echo marker; return
        fi
        drain_xl_dmesg "$5"
        sleep 1
    done
    echo timeout
}

# run_hook PHASE DOMID OUTDIR DISK TARGET: HOOK= (a script, relative to the scenario's
# directory: ../hooks/ holds the shared ones)
# at "start" (domain created), "marker" (run ended, guest still there) and "after"
# (guest destroyed, disk still there); output to OUTDIR/hook.log. The benchmarks use it.
run_hook() {
    [ -n "$HOOK" ] || return 0
    FAULT=$FAULT GUEST=$GUEST sh "$P/scenarios/$name/$HOOK" "$@" >> "$3/hook.log" 2>&1
}

# create_guest CFG OUTDIR: xl create; with TWINS= or BOOT= through xenpvboot-xl (the packaged
# command: paused, the key written dom0-owned and guest-readable, unpaused). A failure
# there leaves no domain behind. Output in xl-create.log. HOOK= scripts' start phase
# hence runs after the unpause for these scenarios (bench-*: a few ms of guest run
# before the first CPU sample).
create_guest() {
    if [ -z "$TWINS$BOOT" ]; then
        xl create "$1" > "$2/xl-create.log" 2>&1
        return
    fi
    sh "$P/xenpvboot-xl" create "$1" ${TWINS:+--twins "$TWINS"} ${BOOT:+--boot "$BOOT"} \
        > "$2/xl-create.log" 2>&1
    status=$?
    [ $status -eq 0 ] || say "xenpvboot-xl create ${TWINS:+--twins $TWINS }${BOOT:+--boot $BOOT }failed"
    return $status
}

# hung_state DOMID OUT: where a guest that timed out is stuck, for the soak's report:
# Xen's saved HVM context (CPU registers, PIC, PIT, RTC, HPET, PM timer) twice, 5 s apart,
# so whether RIP, the PIT count or the PIC's IRR move tells a halted wait from a loop.
hung_state() {
    for k in 1 2; do
        echo "# xen-hvmctx $1, sample $k at dom0 uptime $(uptime_s)"
        /usr/lib/xen-4.17/bin/xen-hvmctx "$1" 2>&1
        /usr/lib/xen-4.17/bin/xenctx -a "$1" 2>&1
        [ $k = 1 ] && sleep 5
    done > "$2"
}

# run_scenario NAME [RUN]: one boot of scenario NAME into $R/NAME (or, with RUN, into
# $R/NAME/RUN: the soak's repeated boots, test/xen/run --repeat).
run_scenario() {
    name=$1 dom=xpvb-$1 d=$R/$1${2:+/$2} w=$WORK/$1
    label=$name${2:+/$2}
    GUEST="" BACKEND=qdisk TIMEOUT=120 MARKER="" ROM=main SCRATCH=0 TWINS="" BOOT="" DUMP_LBAS="" HOOK=""
    EXTRA="" GRANTCHECK=0 FAULT="" CDROM="" SCREEN="" DMESG_MARKER=""
    . $P/scenarios/$name/scenario.conf
    TIMEOUT=$(awk -v t="$TIMEOUT" -v s="$SCALE" 'BEGIN { printf "%d", t * s + 0.5 }')
    mkdir -p "$d" "$w"
    say "SCENARIO START $label uptime=$(uptime_s)"
    mark "XPVB-SCENARIO START $label"
    start=$(uptime_s)
    cp "$P/guests/$GUEST.img" "$w/disk.img"        # each run gets a fresh disk
    backendtype=qdisk
    [ "$BACKEND" = phy ] && backendtype=phy
    target=$(backend_target "$w/disk.img")
    rom=$P/xenpvboot.rom
    [ "$ROM" = selftest ] && rom=$P/xenpvboot-selftest.rom
    [ "$ROM" = stepaside ] && rom=$P/xenpvboot-stepaside.rom
    [ "$ROM" = floor ] && rom=$P/xenpvboot-floor.rom
    cfg=$P/scenarios/$name/guest.cfg
    [ -f "$cfg" ] || cfg=$P/scenarios/guest.cfg
    fill_template "$cfg" "$d/guest.cfg" "$dom" "$target" "$backendtype" "$d/serial.log" "$rom"
    scratch=""
    if [ "$SCRATCH" != 0 ]; then
        make_scratch "$w/scratch.img" "$SCRATCH"
        scratch=$(backend_target "$w/scratch.img")
        add_disk "$d/guest.cfg" "format=raw,vdev=hdb,access=rw,backendtype=$backendtype,target=$scratch"
    fi
    extra=""
    if [ -n "$EXTRA" ]; then
        make_extra "$EXTRA" "$w/extra.img"
        extra=$(extra_disk "$EXTRA" "$w/extra.img")
        add_disk "$d/guest.cfg" "$extra"
        extra=${extra##*target=}
    fi
    # CDROM=KIND: guests/KIND.img (an ISO) as xl's CD at hdc, on qdisk (libxl 4.17 takes
    # no other backend for an HVM guest's CD): emulated ATAPI twin and PV vbd 5632
    if [ -n "$CDROM" ]; then
        cp "$P/guests/$CDROM.img" "$w/cd.iso"
        add_disk "$d/guest.cfg" "format=raw,vdev=hdc,access=ro,devtype=cdrom,backendtype=qdisk,target=$w/cd.iso"
    fi
    [ "$GRANTCHECK" = 1 ] && grantcheck_setup "$d/guest.cfg" "$w"
    xl dmesg -c > /dev/null
    echo "create $(uptime_s)" > "$d/boot-times"
    if ! create_guest "$d/guest.cfg" "$d"; then
        echo create-failed > "$d/end"
    else
        domid=$(xl domid "$dom")
        echo "$domid" > "$d/domid"
        gc_pid=""
        if [ "$GRANTCHECK" = 1 ]; then
            python3 "$P/grantcheck.py" "$domid" "$d/serial.log" "$w/com2.in" "$d/grantcheck.log" \
                "$HV_LOG" "$DMESG_LOCK" 2> "$d/grantcheck.err" &
            gc_pid=$!
        fi
        run_hook start "$domid" "$d" "$w/disk.img" "$target"
        end=$(wait_for_end "$dom" "$d/serial.log" "$MARKER" "$TIMEOUT" "$d/xl-dmesg.txt")
        echo "$end" > "$d/end"
        [ "$end" = timeout ] && hung_state "$domid" "$d/hung-state.txt"
        [ -n "$gc_pid" ] && kill "$gc_pid" 2>/dev/null && wait "$gc_pid" 2>/dev/null
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
    for t in "$target" "$scratch" "$extra"; do
        case "$t" in /dev/loop*) losetup -d "$t" ;; esac
    done
    extra_cleanup
    # What the guest left in the scratch disk's first sectors (the self-test writes LBA 1,
    # the probe LBAs 2-3 and, before a reset, 8-71).
    [ -f "$w/scratch.img" ] && dd if="$w/scratch.img" of="$d/scratch-head.bin" bs=512 count=80 2>/dev/null
    # DUMP_LBAS="FIRST COUNT": those sectors of the guest's own disk as the run left them.
    [ -n "$DUMP_LBAS" ] && dd if="$w/disk.img" of="$d/disk-lbas.bin" bs=512 skip="${DUMP_LBAS% *}" count="${DUMP_LBAS#* }" 2>/dev/null
    rm -rf "$w"
    echo "$start $(uptime_s)" > "$d/times"
    mark "XPVB-SCENARIO END $label end=$(cat $d/end) seconds=$(echo "$start $(uptime_s)" | awk '{printf "%.1f", $2-$1}')"
}

# log_hv_console: xenconsoled again, now also appending Xen's console ring to HV_LOG as it
# fills (it reads the ring on each VIRQ_CON_RING), before any guest exists. A hook follows a
# guest's firmware lines there within milliseconds; one `xl dmesg` takes ~0.5 s in this dom0
# (scenarios/hooks/bootmenu.py says why that matters). Lines a drain clears before
# xenconsoled reads them are not in HV_LOG, so xl-dmesg.txt comes from the drains, and
# grantcheck.py holds DMESG_LOCK until its dump is in HV_LOG.
export HV_LOG=/run/xpvb-console/hypervisor.log
log_hv_console() {
    start-stop-daemon --stop --quiet --retry=TERM/10/KILL/5 --pidfile /run/xenconsoled.pid
    mkdir -p "${HV_LOG%/*}"
    "$(/usr/lib/xen-common/bin/xen-dir)/bin/xenconsoled" --log=hv --log-dir="${HV_LOG%/*}" \
        --pid-file /run/xenconsoled.pid || say "xenconsoled --log=hv failed"
}

write_results() {
    cp /proc/cmdline "$R/dom0-cmdline.txt"
    tar cf /dev/vdc -C "$R" . && sync
    say "RESULTS written"
}

mkdir -p "$R" "$WORK"
log_hv_console
xl dmesg > "$R/xl-dmesg-boot.txt" 2>&1
xl info > "$R/xl-info.txt" 2>&1
if [ $# -eq 0 ] && [ "$(cat $P/mode 2>/dev/null)" = shell ]; then
    say "payload in $P (ROM: $P/xenpvboot.rom, guest disks: $P/guests/, scenarios: $P/scenarios/)"
    say "run one: /payload/dom0-run.sh NAME ; leave with: echo o > /proc/sysrq-trigger"
    setsid -c sh -i < /dev/hvc0 > /dev/hvc0 2>&1
    exit 0
fi
if [ $# -gt 0 ]; then list="$*"; else list=$(cat $P/scenarios.list); fi
for s in $list; do
    if [ "$REPEAT" -gt 1 ]; then
        for k in $(seq 1 "$REPEAT"); do run_scenario "$s" "$(printf 'boot-%03d' "$k")"; done
    else
        run_scenario "$s"
    fi
done
[ $# -gt 0 ] || write_results
