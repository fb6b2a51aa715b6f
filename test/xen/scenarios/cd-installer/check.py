"""cd-installer: ISOLINUX reads the installer's kernel and initrd from drive E0h over PV,
the installer reaches its first screen (language) on serial, the ROM handed over at
Linux's E820 walk and left the CD vbd as found."""
from checks import ended_by_marker, rom_logged, cd_served_boot, cd_vbd_as_found, rom_ended_quiesced


def check(d):
    return (ended_by_marker(d) + rom_logged(d) + cd_served_boot(0xe0)(d)
            + rom_ended_quiesced(d) + cd_vbd_as_found(d))
