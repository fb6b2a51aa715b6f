/* PCI configuration space through the legacy 0xcf8/0xcfc mechanism, which
 * every BIOS that runs option ROMs provides. */
#ifndef XENPVBOOT_PCI_H
#define XENPVBOOT_PCI_H

#include <stdint.h>

#define PCI_VENDOR_ID  0x00
#define PCI_CLASS_REV  0x08
#define PCI_BAR0       0x10

uint32_t pci_read32(uint16_t bdf, uint8_t reg);
/* Base of memory BAR @n (0..5), 0 when it is unset or an I/O BAR. */
uint32_t pci_mem_bar(uint16_t bdf, int n);

#endif
