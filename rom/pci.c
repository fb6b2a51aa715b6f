#include "pci.h"
#include "io.h"

#define PCI_CONFIG_ADDR 0xcf8
#define PCI_CONFIG_DATA 0xcfc

uint32_t pci_read32(uint16_t bdf, uint8_t reg)
{
    outl(0x80000000u | (uint32_t)bdf << 8 | (reg & 0xfc), PCI_CONFIG_ADDR);
    return inl(PCI_CONFIG_DATA);
}

uint32_t pci_mem_bar(uint16_t bdf, int n)
{
    uint32_t bar = pci_read32(bdf, PCI_BAR0 + 4 * n);

    if (bar & 1)
        return 0;
    return bar & ~0xfu;
}
