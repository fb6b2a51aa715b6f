/* PCI configuration space through the legacy 0xcf8/0xcfc mechanism, which
 * every BIOS that runs option ROMs provides. */
#ifndef XENPVBOOT_PCI_H
#define XENPVBOOT_PCI_H

#include <stdint.h>

#define PCI_VENDOR_ID  0x00
#define PCI_COMMAND    0x04
#define PCI_CLASS_REV  0x08
#define PCI_BAR0       0x10

#define PCI_COMMAND_MEMORY 0x2

uint32_t pci_read32(uint16_t bdf, uint8_t reg);
void pci_write32(uint16_t bdf, uint8_t reg, uint32_t value);
/* Base of memory BAR @n (0..5), 0 when it is unset or an I/O BAR. */
uint32_t pci_mem_bar(uint16_t bdf, int n);
/* Size of memory BAR @n, found the standard way (all ones, read back) with
 * memory decode off meanwhile; 0 for an I/O or unimplemented BAR. */
uint32_t pci_mem_bar_size(uint16_t bdf, int n);

#endif
