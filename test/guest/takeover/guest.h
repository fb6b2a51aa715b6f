/* Shared between the takeover guest's C files (test/guest/takeover/). */
#ifndef TAKEOVER_GUEST_H
#define TAKEOVER_GUEST_H

#include <stdint.h>

/* COM1, 115200 8N1, polled. */
void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);

static inline void outb(uint8_t v, uint16_t port)
{
    __asm__ __volatile__("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* entry.asm: the real-mode bridge.  bios_call() runs INT @vector with the
 * registers in bios_regs and leaves the results (and flags) there. */
struct bregs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, eflags;
    uint16_t ds, es;
} __attribute__((packed));

extern struct bregs bios_regs;
extern uint8_t boot_drive;
extern char rm_iret[];
void bios_call(unsigned int vector);
void rm_halt(void) __attribute__((noreturn));

#endif
