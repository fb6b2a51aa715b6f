# HOOK for the bootmenu scenarios (run.sh's run_hook: sh bootmenu.sh PHASE DOMID OUTDIR
# DISK TARGET). At "start", bootmenu.py opens SeaBIOS's boot menu and picks the entry of the
# PV disk EXTRA_VDEV through the device model's QMP socket (send-key reaches the guest's
# PS/2 keyboard): ESC once SeaBIOS says "Press ESC for boot menu.", then the digit of the
# line "N. Xen PV disk EXTRA_VDEV ..." it printed. It reads those lines from HV_LOG
# (dom0/run.sh); SeaBIOS's printf also goes to its debug port, so the check finds them in
# xl-dmesg-guest.txt.
[ "$1" = start ] || exit 0
exec python3 "$(dirname "$0")/bootmenu.py" "$2" "$EXTRA_VDEV" "$HV_LOG"
