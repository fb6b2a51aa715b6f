"""soak-linux-qdisk, soak-linux-blkback: one boot of the Linux soak (test/xen/README.md "Soak"): linux-*'s
expectations (the ROM's last line, the hand-off to the kernel, is the power-on -> kernel
figure's end)."""
from checks import backend_as_configured, ended_by_marker, rom_logged, linux_ok, frontend_connected, pv_served_boot


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + linux_ok(d) + pv_served_boot(0x80)(d)
            + frontend_connected(d) + backend_as_configured(d))
