# HOOK for the fault scenarios (run.sh's run_hook: sh soak-fault.sh PHASE DOMID OUTDIR
# DISK TARGET, with FAULT=detach|pause from scenario.conf in the environment).
# At "start" it waits in the background until the probe's soak loop reads the extra
# disk (EXTRA_VDEV), then:
#   detach  xl block-detach: the toolstack closes the backend under the ROM, and
#           after its own timeout removes the vbd outright
#   pause   the device-mapper device under the backend (DM_NAME) is slowed to 1 s per
#           I/O for 5 s, then suspended for 35 s (a request waits in the backend past
#           the ROM's 30 s timeout), then resumed as it was
# Every step is logged with dom0's uptime to OUTDIR/hook.log. At "marker" and
# "after" a step still running is stopped (the guest's run is over).
phase=$1 domid=$2 out=$3

now() { cut -d' ' -f1 /proc/uptime; }
step() { echo "hook: $* at $(now)"; }

wait_for_soak() {
    i=0
    while ! grep -q "SOAK START" "$out/serial.log" 2>/dev/null; do
        i=$((i + 1)); [ $i -gt 1500 ] && { step "no SOAK START"; return 1; }
        sleep 0.2
    done
}

detach() {
    step "block-detach $EXTRA_VDEV"
    timeout 90 xl block-detach "$domid" "$EXTRA_VDEV"
    step "block-detach returned $?"
}

pause() {
    table=$(dmsetup table "$DM_NAME")          # "0 SIZE linear MAJ:MIN 0"
    set -- $table
    dmsetup reload --noudevsync "$DM_NAME" --table "0 $2 delay $4 0 1000" &&
        dmsetup resume --noudevsync "$DM_NAME" && echo 3 > /proc/sys/vm/drop_caches &&
        step "slow (1 s per I/O)"
    sleep 5
    # qdisk reads through dom0's page cache, which would serve the soak's few sectors
    # through the suspend (and this QEMU build cannot do direct-io-safe's aio=native)
    dmsetup suspend --noudevsync "$DM_NAME" && sync && echo 3 > /proc/sys/vm/drop_caches &&
        step "suspended, page cache dropped"
    sleep 35
    dmsetup reload --noudevsync "$DM_NAME" --table "$table" &&
        dmsetup resume --noudevsync "$DM_NAME" && step "resumed"
}

case $phase in
start)
    ( wait_for_soak && sleep 2 && $FAULT ) &
    echo $! > "$out/hook.pid"
    ;;
marker|after)
    pid=$(cat "$out/hook.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        step "stopping the $FAULT step still running"
        pkill -P "$pid"; kill "$pid"
        [ "$FAULT" = pause ] && dmsetup resume --noudevsync "$DM_NAME" && step "resumed"
    fi
    rm -f "$out/hook.pid"
    ;;
esac
