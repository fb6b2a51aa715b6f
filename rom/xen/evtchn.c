/* Event channels, polled: the ROM never takes an interrupt.
 *
 * As XTF does [xtf common/xenbus.c]: sleep in SCHEDOP_poll on one port
 * with an absolute timeout (Xen system time, ns) and look at the
 * pending bit in shared_info ourselves.  With IF clear no upcall is ever
 * delivered, so the pending bit is ours to clear -- and must be, or the
 * next poll returns at once.
 */
#include "xen/evtchn.h"
#include "lib/log.h"

/* 2-level ABI with a 32-bit xen_ulong_t: 1024 ports. */
#define EVTCHN_PORTS 1024u

/* The pending bitmap is little-endian, so bit n is in the 32-bit word n/32
 * whether Xen latched the 32- or 64-bit shared_info layout; both start it
 * at the same offset. */
static uint32_t *evtchn_pending_word(evtchn_port_t port)
{
    return (uint32_t *)(void *)xen_shinfo->evtchn_pending + port / 32;
}

static uint32_t *evtchn_mask_word(evtchn_port_t port)
{
    return (uint32_t *)(void *)xen_shinfo->evtchn_mask + port / 32;
}

static int evtchn_test_and_clear(evtchn_port_t port)
{
    uint32_t bit = 1u << (port % 32);

    return (__sync_fetch_and_and(evtchn_pending_word(port), ~bit) & bit) != 0;
}

/* A masked port still wakes SCHEDOP_poll (Xen checks pollers whatever the
 * mask [xen common/event_2l.c]) but never marks an upcall pending, which an
 * OS installing its callback later would be sent the moment it enabled
 * interrupts.  So every port we poll is masked while we use it. */
int evtchn_mask(evtchn_port_t port)
{
    uint32_t bit = 1u << (port % 32);

    return (__sync_fetch_and_or(evtchn_mask_word(port), bit) & bit) != 0;
}

void evtchn_unmask_quiet(evtchn_port_t port)
{
    uint32_t bit = 1u << (port % 32);

    evtchn_test_and_clear(port);
    __sync_fetch_and_and(evtchn_mask_word(port), ~bit);
}

int evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc;

    rc = xen_hypercall(__HYPERVISOR_event_channel_op,
                       EVTCHNOP_alloc_unbound, (unsigned long)&op, 0);
    if (rc)
        return (int)rc;
    if (op.port >= EVTCHN_PORTS) {
        evtchn_close(op.port);
        return -XEN_ENOSPC;
    }
    evtchn_mask(op.port);
    *port = op.port;
    return 0;
}

int evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return (int)xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
                              (unsigned long)&op, 0);
}

/* Leaves the port as a fresh one: not pending, not masked. */
int evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };
    int rc;

    rc = (int)xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_close,
                            (unsigned long)&op, 0);
    if (port < EVTCHN_PORTS)
        evtchn_unmask_quiet(port);
    return rc;
}

int evtchn_wait(evtchn_port_t port, struct xen_timeout *t)
{
    struct sched_poll poll = { .nr_ports = 1, .timeout = t->deadline };

    if (port >= EVTCHN_PORTS)
        return -XEN_EINVAL;
    if (xen_timeout_expired(t))
        return -XEN_ETIMEDOUT;
    t->polls++;
    if (evtchn_test_and_clear(port))
        return 0;
    set_xen_guest_handle(poll.ports, &port);
    xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&poll, 0);
    evtchn_test_and_clear(port);
    return 0;
}
