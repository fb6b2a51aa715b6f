/* rom/arch/platform.h's debug console for the ROM: I/O port 0xe9, which Xen
 * shows in `xl dmesg` as the guest's lines and QEMU's isa-debugcon writes
 * to a file. */
#include "arch/platform.h"

#define DEBUG_PORT 0xe9

void platform_debug_putc(char c)
{
    __asm__ __volatile__("outb %0, %1" ::"a"(c), "Nd"((uint16_t)DEBUG_PORT));
}
