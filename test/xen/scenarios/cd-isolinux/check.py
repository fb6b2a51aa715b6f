"""cd-isolinux: SeaBIOS boots the ISO's El Torito image over ATAPI, ISOLINUX then reads the
kernel and initramfs from drive E0h over PV, Linux boots, and the CD vbd is left as found."""
from checks import (ended_by_marker, rom_logged, linux_ok, cd_served_boot, cd_vbd_as_found,
                    rom_ended_quiesced)


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + linux_ok(d) + cd_served_boot(0xe0)(d)
            + rom_ended_quiesced(d) + cd_vbd_as_found(d))
