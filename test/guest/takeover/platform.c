/* The takeover guest's debug console for rom/arch/platform.h (the rest is the
 * ROM's own rom/arch/platform.c: same machine model): COM1, prefixed "os| ", so
 * the guest's own protocol log sits in serial.log next to its results and
 * `xl dmesg` keeps only the ROM's lines. */
#include "arch/platform.h"
#include "guest.h"

void platform_debug_putc(char c)
{
    static int line_start = 1;

    if (line_start)
        uart_puts("os| ");
    uart_putc(c);
    line_start = c == '\n';
}
