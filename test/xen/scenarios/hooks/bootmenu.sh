# HOOK for the bootmenu scenarios (run.sh's run_hook: sh bootmenu.sh PHASE DOMID OUTDIR
# DISK TARGET). At "start" it opens SeaBIOS's boot menu and picks the entry of the PV disk
# EXTRA_VDEV, pressing keys through the device model's QMP socket (send-key reaches the
# guest's PS/2 keyboard): ESC once SeaBIOS says "Press ESC for boot menu." (it flushes
# the keyboard right before, and waits 2.5 s), then the digit of the line
# "N. Xen PV disk EXTRA_VDEV ..." it printed. SeaBIOS's printf also goes to its debug
# port, so both lines are in xl dmesg (the check reads them from xl-dmesg-guest.txt).
# perl-base (in every Debian) speaks QMP here: dom0 has no socat or python.
phase=$1 domid=$2
[ "$phase" = start ] || exit 0

now() { cut -d' ' -f1 /proc/uptime; }
step() { echo "hook: $* at $(now)"; }
guest_dmesg() { xl dmesg | grep -a "(d$domid)"; }

# wait_for TEXT TENTHS: until the guest's xl dmesg shows TEXT.
wait_for() {
    i=0
    while ! guest_dmesg | grep -q -- "$1"; do
        i=$((i + 1)); [ "$i" -gt "$2" ] && { step "no '$1' in xl dmesg"; return 1; }
        sleep 0.1
    done
}

# press QCODE...: one QMP send-key per key; prints QEMU's answers.
press() {
    perl -e '
        use IO::Socket::UNIX;
        my $s = IO::Socket::UNIX->new(Peer => shift, Type => SOCK_STREAM) or die "qmp: $!\n";
        sub answer { while (my $l = <$s>) { print "qmp: $l"; return if $l =~ /"(return|error)"|QMP/; } die "qmp: closed\n"; }
        answer();
        print $s "{\"execute\":\"qmp_capabilities\"}\n"; answer();
        for my $k (@ARGV) {
            print $s "{\"execute\":\"send-key\",\"arguments\":{\"keys\":[{\"type\":\"qcode\",\"data\":\"$k\"}]}}\n";
            answer();
        }' "/var/run/xen/qmp-libxl-$domid" "$@"
}

wait_for "Press ESC for boot menu" 1800 || exit 0
step "boot menu offered"
press esc
wait_for "Select boot device" 100 || exit 0
sleep 1                                 # the entries follow in one go
guest_dmesg | sed -n '/Select boot device/,$p' | sed 's/^/menu: /'
n=$(guest_dmesg | sed -n "s/.*\] \([1-9]\)\. Xen PV disk $EXTRA_VDEV .*/\1/p" | head -n 1)
[ -n "$n" ] || { step "no entry for $EXTRA_VDEV"; exit 0; }
step "choosing entry $n"
press "$n"
