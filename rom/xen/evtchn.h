/* Event channels, polled: the ROM never takes an interrupt. */
#ifndef XENPVBOOT_EVTCHN_H
#define XENPVBOOT_EVTCHN_H

#include "xen/xen.h"
#include "xen/hypervisor.h"

/* Allocates a port for @remote, masked (see evtchn_mask()). */
int evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int evtchn_send(evtchn_port_t port);
/* Closes @port and leaves it unmasked and not pending, as found. */
int evtchn_close(evtchn_port_t port);

/* Masks @port; returns whether it was masked already. */
int evtchn_mask(evtchn_port_t port);
/* Clears @port's pending bit (the event was ours), then its mask bit,
 * without the unmask hypercall that would re-deliver it. */
void evtchn_unmask_quiet(evtchn_port_t port);

/* Sleeps in SCHEDOP_poll until @port is pending or @t's deadline, and
 * clears the pending bit.  Returns 0 after any wake-up (the caller
 * rechecks its condition) or -XEN_ETIMEDOUT once @t has expired. */
int evtchn_wait(evtchn_port_t port, struct xen_timeout *t);

#endif
