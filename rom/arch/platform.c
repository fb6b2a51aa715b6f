/* rom/arch/platform.h's machine primitives for 32-bit flat protected mode at
 * CPL0, paging off: the ROM's, and any test guest's that plays the OS with
 * the same protocol code.  The debug console is rom/arch/debugport.c, calling a
 * BIOS routine rom/bios/stub.c. */
#include "arch/platform.h"

void platform_cpuid(uint32_t leaf, uint32_t *eax, uint32_t *ebx,
                    uint32_t *ecx, uint32_t *edx)
{
    __asm__ __volatile__("cpuid"
                         : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx)
                         : "a"(leaf), "c"(0));
}

void platform_wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)value),
                         "d"((uint32_t)(value >> 32)));
}

uint64_t platform_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

long platform_hypercall(const void *page, unsigned int op,
                        unsigned long a1, unsigned long a2, unsigned long a3,
                        unsigned long a4, unsigned long a5)
{
    const char *entry = (const char *)page + op * 32;
    long ret;

    /* Debug builds of Xen clobber the argument registers: all are outputs. */
    __asm__ __volatile__("call *%[entry]"
                         : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4),
                           "+D"(a5)
                         : [entry] "m"(entry)
                         : "memory");
    return ret;
}

void platform_outl(uint16_t port, uint32_t value)
{
    __asm__ __volatile__("outl %0, %1" ::"a"(value), "Nd"(port));
}

uint32_t platform_inl(uint16_t port)
{
    uint32_t v;

    __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
