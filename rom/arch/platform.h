/* The seam between the Xen/PV protocol code and the machine it runs on.
 *
 * Everything in rom/ that talks to Xen goes through these few primitives and
 * plain memory.  In the ROM they are real instructions (rom/arch/platform.c, 32-bit
 * flat protected mode, paging off); in the host unit tests (test/unit/) a
 * simulated hypervisor, xenstored and blkback implement them.  Both builds are
 * -m32, so a pointer *is* a guest-physical address in either: virt_to_phys()
 * is the identity and the simulation can read a granted frame at gfn << 12.
 */
#ifndef XENPVBOOT_PLATFORM_H
#define XENPVBOOT_PLATFORM_H

#include <stdint.h>
#include <stddef.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u

/* CPUID, MSR and TSC: the ROM executes the instruction, the host simulates. */
void platform_cpuid(uint32_t leaf, uint32_t *eax, uint32_t *ebx,
                    uint32_t *ecx, uint32_t *edx);
void platform_wrmsr(uint32_t msr, uint64_t value);
uint64_t platform_rdtsc(void);

/* Call hypercall @op through @page, the hypercall page Xen filled after the
 * MSR write (32 bytes per entry).  Arguments follow Xen's 32-bit register
 * convention (ebx, ecx, edx, esi, edi); pointer arguments are flat physical
 * addresses, which with paging off are our pointers. */
long platform_hypercall(const void *page, unsigned int op,
                        unsigned long a1, unsigned long a2, unsigned long a3,
                        unsigned long a4, unsigned long a5);

/* One character to the debug console (I/O port 0xe9: `xl dmesg` on Xen,
 * isa-debugcon in plain QEMU). */
void platform_debug_putc(char c);

/* 32-bit port I/O, for PCI configuration space through 0xcf8/0xcfc
 * (rom/pci.c): the ROM executes in/out, the host simulates one PCI bus
 * holding the Xen platform device. */
void platform_outl(uint16_t port, uint32_t value);
uint32_t platform_inl(uint16_t port);

/* The last primitive is stub_call16() (rom/stub.h): calling a real-mode
 * routine of the BIOS's (the previous INT 13h handler, for the BCV's twin
 * search).  rom/stub.c enters the stub's call16; the host tests answer as
 * SeaBIOS would (test/unit/sim_bios.c). */

#define REAL_MODE_LIMIT 0x100000u

#if __STDC_HOSTED__
/* Host unit tests: low memory (IVT, BDA, callers' buffers, which reach
 * FFFF:FFFF plus a 127-sector transfer) is a buffer of the test program's,
 * since a process cannot map page 0. */
#define HOST_LOW_MEMORY 0x200000u
extern uint8_t *host_real_mode_memory;

static inline uint32_t virt_to_phys(const void *p)
{
    const uint8_t *q = p;

    if (q >= host_real_mode_memory && q < host_real_mode_memory + HOST_LOW_MEMORY)
        return (uint32_t)(q - host_real_mode_memory);
    return (uint32_t)(uintptr_t)p;
}

static inline void *phys_to_virt(uint32_t pa)
{
    if (pa < HOST_LOW_MEMORY)
        return host_real_mode_memory + pa;
    return (void *)(uintptr_t)pa;
}
#else
static inline uint32_t virt_to_phys(const void *p)
{
    return (uint32_t)(uintptr_t)p;
}

static inline void *phys_to_virt(uint32_t pa)
{
    return (void *)(uintptr_t)pa;
}
#endif

/* x86 is TSO: only stores followed by loads need a real fence.  The shared
 * ring and xenstore protocols need all three in the usual places. */
#define barrier() __asm__ __volatile__("" ::: "memory")
#define rmb()     barrier()
#define wmb()     barrier()
#define mb()      __asm__ __volatile__("lock; addl $0,0(%%esp)" ::: "memory", "cc")

#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif
