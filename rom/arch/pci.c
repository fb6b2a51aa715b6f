#include "arch/pci.h"
#include "arch/platform.h"

#define PCI_CONFIG_ADDR 0xcf8
#define PCI_CONFIG_DATA 0xcfc

uint32_t pci_read32(uint16_t bdf, uint8_t reg)
{
    platform_outl(PCI_CONFIG_ADDR, 0x80000000u | (uint32_t)bdf << 8 | (reg & 0xfc));
    return platform_inl(PCI_CONFIG_DATA);
}

void pci_write32(uint16_t bdf, uint8_t reg, uint32_t value)
{
    platform_outl(PCI_CONFIG_ADDR, 0x80000000u | (uint32_t)bdf << 8 | (reg & 0xfc));
    platform_outl(PCI_CONFIG_DATA, value);
}

uint32_t pci_mem_bar_size(uint16_t bdf, int n)
{
    uint8_t reg = PCI_BAR0 + 4 * n;
    uint32_t command = pci_read32(bdf, PCI_COMMAND);
    uint32_t bar = pci_read32(bdf, reg), mask;

    if (bar & 1)
        return 0;
    pci_write32(bdf, PCI_COMMAND, command & ~PCI_COMMAND_MEMORY & 0xffff);
    pci_write32(bdf, reg, ~0u);
    mask = pci_read32(bdf, reg) & ~0xfu;
    pci_write32(bdf, reg, bar);
    pci_write32(bdf, PCI_COMMAND, command & 0xffff);
    return mask ? ~mask + 1 : 0;
}

uint32_t pci_mem_bar(uint16_t bdf, int n)
{
    uint32_t bar = pci_read32(bdf, PCI_BAR0 + 4 * n);

    if (bar & 1)
        return 0;
    return bar & ~0xfu;
}
