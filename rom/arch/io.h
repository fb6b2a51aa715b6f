/* Port I/O for the ROM's own hardware access (PCI configuration space). */
#ifndef XENPVBOOT_IO_H
#define XENPVBOOT_IO_H

#include <stdint.h>

static inline void outl(uint32_t v, uint16_t port)
{
    __asm__ __volatile__("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

#endif
