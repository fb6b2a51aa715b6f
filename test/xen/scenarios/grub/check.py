"""grub-qdisk, grub-blkback: GRUB read the kernel, initramfs and archive through the ROM with
read-ahead serving its calls, the archive arrived whole, and Linux's blkfront connected after
the hand-over."""
from checks import (backend_as_configured, ended_by_marker, frontend_connected, linux_ok,
                    payload_arrived, pv_served_boot, readahead_served, rom_logged)


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + linux_ok(d) + payload_arrived(d)
            + pv_served_boot(0x80)(d) + readahead_served(d) + frontend_connected(d)
            + backend_as_configured(d))
