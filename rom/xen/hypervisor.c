/* Finding Xen and calling it: CPUID detection, the hypercall page, HVM
 * parameters, physmap changes and Xen's clock.  The leaf of the Xen bus:
 * it knows nothing of grants, event channels or xenstore (rom/xen/xenbus.c
 * brings those up on top of it). */
#include "xen/hypervisor.h"
#include "lib/log.h"

#define XEN_CPUID_FIRST  0x40000000u
#define XEN_CPUID_STRIDE 0x100u
#define XEN_CPUID_TRIES  256u

static uint8_t hypercall_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static int hypercall_ready;

shared_info_t *xen_shinfo;

long xen_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
                   unsigned long a3)
{
    return platform_hypercall(hypercall_page, op, a1, a2, a3, 0, 0);
}

/* Returns the CPUID base of Xen's leaves, or 0.  Xen may sit above other
 * hypervisor leaves (Viridian at 0x40000000), hence the scan. */
static uint32_t xen_detect(void)
{
    uint32_t base, eax, ebx, ecx, edx;
    unsigned int k;

    for (k = 0; k < XEN_CPUID_TRIES; k++) {
        base = XEN_CPUID_FIRST + k * XEN_CPUID_STRIDE;
        platform_cpuid(base, &eax, &ebx, &ecx, &edx);
        if (ebx == 0x566e6558 && ecx == 0x65584d4d && edx == 0x4d4d566e &&
            eax - base >= 2)                 /* "XenVMMXenVMM" */
            return base;
    }
    return 0;
}

/* Writing the MSR makes Xen fill the page; it also latches the
 * shared_info layout from our (32-bit) mode.  Done once: a second write
 * after the OS has installed its own page would re-latch its layout. */
int xen_hypercall_init(void)
{
    uint32_t base, eax, ebx, ecx, edx;

    base = xen_detect();
    if (!base)
        return -XEN_ENODEV;
    if (hypercall_ready)
        return 0;
    platform_cpuid(base + 1, &eax, &ebx, &ecx, &edx);
    log(LOG_INFO, "Xen %u.%u", eax >> 16, eax & 0xffff);
    platform_cpuid(base + 2, &eax, &ebx, &ecx, &edx);
    if (eax < 1)
        return -XEN_ENODEV;
    platform_wrmsr(ebx, virt_to_phys(hypercall_page));
    hypercall_ready = 1;
    return 0;
}

int xen_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc;

    rc = xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param,
                       (unsigned long)&p, 0);
    if (rc)
        return (int)rc;
    *value = p.value;
    return 0;
}

int xen_physmap_add(unsigned int space, unsigned long idx,
                           uint32_t gfn)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gfn,
    };

    return (int)xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
                              (unsigned long)&xatp, 0);
}

void xen_physmap_remove(uint32_t gfn)
{
    struct xen_remove_from_physmap xrfp = { .domid = DOMID_SELF, .gpfn = gfn };
    long rc;

    rc = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
                       (unsigned long)&xrfp, 0);
    if (rc)
        log(LOG_ERR, "remove_from_physmap gfn %x: %ld", gfn, rc);
}

int xen_hypercall_ready(void)
{
    return hypercall_ready;
}

/* (a * b) >> 32 for a 64-bit a, without a 128-bit type or libgcc. */
static uint64_t mul_frac(uint64_t a, uint32_t b)
{
    return (((a & 0xffffffffu) * b) >> 32) + (a >> 32) * b;
}

/* Xen's pvclock: version is odd while Xen updates the record [xen.h,
 * struct vcpu_time_info].  vcpu_info[0] sits at the same offset in the
 * 32- and 64-bit shared_info layouts, so a wrong layout latch cannot bite. */
uint64_t xen_time_ns(void)
{
    volatile struct vcpu_time_info *t = &xen_shinfo->vcpu_info[0].time;
    uint32_t version, mul;
    uint64_t stamp, sys, delta;
    int8_t shift;
    unsigned int tries = 0;

    do {
        version = t->version;
        rmb();
        stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        rmb();
    } while (((version & 1) || version != t->version) && ++tries < 1000);

    delta = platform_rdtsc() - stamp;
    if ((int64_t)delta < 0)
        delta = 0;
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + mul_frac(delta, mul);
}

uint32_t xen_ms_since(uint64_t t0_ns)
{
    /* 2^10 ns units divided by 977 is ms within 0.05%, with no 64-bit
     * division (that would pull in libgcc) */
    return (uint32_t)((xen_time_ns() - t0_ns) >> 10) / 977u;
}

static uint64_t wait_cap;       /* 0: none */

void xen_cap_waits(uint64_t deadline_ns)
{
    wait_cap = deadline_ns;
}

void xen_timeout_start(struct xen_timeout *t, uint32_t ms)
{
    t->deadline = xen_time_ns() + (uint64_t)ms * 1000000u;
    if (wait_cap && t->deadline > wait_cap)
        t->deadline = wait_cap;
    t->polls = 0;
}

int xen_timeout_expired(struct xen_timeout *t)
{
    return xen_time_ns() >= t->deadline || t->polls >= XEN_TIMEOUT_MAX_POLLS;
}
