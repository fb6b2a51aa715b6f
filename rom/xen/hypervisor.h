/* Finding Xen and calling it (the leaf of the Xen bus). */
#ifndef XENPVBOOT_HYPERVISOR_H
#define XENPVBOOT_HYPERVISOR_H

#include "xen/xen.h"

/* Detect Xen (CPUID) and install the hypercall page, once: a second MSR
 * write after the OS installed its own page would re-latch its layout.
 * 0 or -XEN_ENODEV (checked on every call). */
int xen_hypercall_init(void);

/* Nonzero once xen_hypercall_init() installed the page. */
int xen_hypercall_ready(void);

long xen_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
                   unsigned long a3);

int xen_get_param(uint32_t index, uint64_t *value);

/* XENMEM_add_to_physmap of (@space, @idx) at @gfn; 0 or Xen's error. */
int xen_physmap_add(unsigned int space, unsigned long idx, uint32_t gfn);
/* XENMEM_remove_from_physmap of @gfn; a failure is logged. */
void xen_physmap_remove(uint32_t gfn);

/* Where Xen put shared_info for us; valid only while xen_is_up()
 * (rom/xen/xenbus.h). */
extern shared_info_t *xen_shinfo;

/* Xen system time in ns (the clock SCHEDOP_poll's timeout is measured in),
 * from vcpu_info[0].time in shared_info. */
uint64_t xen_time_ns(void);
/* Milliseconds since @t0_ns (a xen_time_ns() value), for the log. */
uint32_t xen_ms_since(uint64_t t0_ns);

/* A bounded wait: an absolute deadline in Xen system time, plus a cap on
 * polls so that even a clock that stops cannot make us spin forever. */
struct xen_timeout {
    uint64_t deadline;
    uint32_t polls;
};

#define XEN_TIMEOUT_MAX_POLLS 65536u

void xen_timeout_start(struct xen_timeout *t, uint32_t ms);

/* Until called again with 0, no timeout started ends after @deadline_ns
 * (Xen time): a budget for a run of waits (blkfront_disconnect_all()). */
void xen_cap_waits(uint64_t deadline_ns);
int xen_timeout_expired(struct xen_timeout *t);

#endif
