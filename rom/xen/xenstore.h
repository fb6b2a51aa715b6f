/* xenstore over the shared ring: synchronous, one request at a time. */
#ifndef XENPVBOOT_XENSTORE_H
#define XENPVBOOT_XENSTORE_H

#include "xen/xen.h"

/* How long one request may take before we give up on xenstored. */
#define XENSTORE_TIMEOUT_MS 5000u
/* After a timeout, requests fail at once for this long unless xenstored
 * answers meanwhile or the bus comes up again (rom/xenstore.c). */
#define XENSTORE_STALL_MS 30000u

int xenstore_init(uint32_t pfn, evtchn_port_t port);

/* Reads @path into @buf as a NUL-terminated string; returns its length,
 * or -XEN_E2BIG if it (plus the NUL) does not fit in @size, or another
 * negative XEN_E* value (-XEN_ENOENT for a missing node). */
int xenstore_read(const char *path, char *buf, size_t size);

/* Reads a decimal unsigned value; -XEN_EINVAL if it is not one. */
int xenstore_read_u64(const char *path, uint64_t *value);

int xenstore_write(const char *path, const char *value);

/* Lists the children of @path into @buf as consecutive NUL-terminated
 * names; returns the bytes used (0 for no children) or a negative XEN_E*
 * value (-XEN_E2BIG if they do not fit). */
int xenstore_directory(const char *path, char *buf, size_t size);

int xenstore_rm(const char *path);

/* Nonzero when both rings are empty: all requests consumed, all
 * responses read.  For tests and for the handover check. */
int xenstore_quiescent(void);

#endif
