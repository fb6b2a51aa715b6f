/* The BIOS data area (segment 40h) fields the ROM reads and writes. */
#ifndef XENPVBOOT_BDA_H
#define XENPVBOOT_BDA_H

#include <stdint.h>
#include "arch/platform.h"

#define BDA_DISK_LAST_STATUS 0x474  /* 40:74 status of the last hard-disk call */
#define BDA_HDCOUNT          0x475  /* 40:75 number of hard disks */

/* Another handler (an IRQ, a nested INT) may change these at any time, hence
 * the volatile accesses. */
static inline uint8_t bda_read8(uint32_t addr)
{
    return *(volatile uint8_t *)phys_to_virt(addr);
}

static inline void bda_write8(uint32_t addr, uint8_t v)
{
    *(volatile uint8_t *)phys_to_virt(addr) = v;
}

#endif
