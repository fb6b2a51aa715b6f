/* Finding Xen, calling it, and the two frames we borrow from it. */
#ifndef XENPVBOOT_HYPERVISOR_H
#define XENPVBOOT_HYPERVISOR_H

#include "xen.h"

/* Bring up the bus: detect Xen, install the hypercall page, map shared_info
 * and grant-table frame 0 into the platform device's BAR1 at
 * [@bar_phys, @bar_phys + @bar_size), set grant table v1, and attach to
 * xenstore.  Callable again after xen_teardown() (lazy reconnect).
 * Returns 0 or a negative XEN_E* value; on error nothing stays mapped. */
int xen_init(uint32_t bar_phys, uint32_t bar_size);

/* The exact inverse of xen_init(): revoke what grants remain, remove both
 * frames from the physmap.  The hypercall page stays (Xen keeps no state
 * for it).  Does not touch block devices: blkfront_disconnect() them first. */
void xen_teardown(void);

/* Nonzero between a successful xen_init() and xen_teardown(). */
int xen_is_up(void);

/* Nonzero once the OS has started its own PV drivers (it set the event
 * channel callback).  A read-only check. */
int xen_taken_over(void);

/* Forget the bus without a hypercall or a shared-memory write: after a
 * takeover everything we mapped may be the OS's. */
void xen_abandon(void);

long xen_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
                   unsigned long a3);

int xen_get_param(uint32_t index, uint64_t *value);

/* Where Xen put shared_info for us; valid only while xen_is_up(). */
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
