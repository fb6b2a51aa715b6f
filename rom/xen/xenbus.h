/* The Xen bus as a whole (rom/xen/xenbus.c). */
#ifndef XENPVBOOT_XENBUS_H
#define XENPVBOOT_XENBUS_H

#include "xen/xen.h"

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

/* Nonzero once the OS has started its own PV drivers: it set the event
 * channel callback, used the xenstore ring since our last entry, moved
 * shared_info off our gfn or changed the grant table version.  Read-only
 * checks; xen_takeover_signal() names the first one seen, or NULL. */
int xen_taken_over(void);
const char *xen_takeover_signal(void);

/* Remember the xenstore ring as we leave it, at the end of every entry;
 * forget it (a fresh machine: the host tests' sim_reset()). */
void xen_note_quiet(void);
void xen_note_forget(void);

/* Forget the bus without a hypercall or a shared-memory write: after a
 * takeover everything we mapped may be the OS's. */
void xen_abandon(void);

/* xenstore under a device directory @dir (a frontend's "device/vbd/768", a
 * backend's absolute path).  Each returns 0 or a negative XEN_E* value. */

/* @dir/@key into @buf; -XEN_E2BIG if it does not fit. */
int xenbus_path(char *buf, size_t size, const char *dir, const char *key);
int xenbus_read(const char *dir, const char *key, char *buf, size_t size);
/* An optional number: @def when the key is absent. */
int xenbus_read_u64(const char *dir, const char *key, uint64_t def,
                    uint64_t *val);
int xenbus_write_u32(const char *dir, const char *key, uint32_t val);
/* Removes @dir/@key; an absent key is fine. */
void xenbus_rm(const char *dir, const char *key);
/* @dir's "state" (enum xenbus_state), a vanished or nonsense one read as
 * Unknown; or a negative XEN_E* value when xenstore did not answer. */
int xenbus_state_of(const char *dir);

#endif
