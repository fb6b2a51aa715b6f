/* Grant table v1: lending our pages to a backend. */
#ifndef XENPVBOOT_GRANT_H
#define XENPVBOOT_GRANT_H

#include "xen/xen.h"

/* The refs we use: the top 64 of frame 0 (see grant.c for why).  The
 * budget (rom/block/blkfront.h): 4 rings, 16 bounce pages and their
 * indirect page, the read-ahead batch (BLKFRONT_RA_BATCH pages and its
 * indirect page), and what a stalled backend keeps mapped.  Linux and
 * Windows hand refs out lowest first after the ones they reserve (Linux
 * from 8, its free list built in ascending order; Windows' xenbus from 32,
 * a range set popped from its start), so these are the last they reach,
 * and no ref of ours is live after a quiesce. */
#define GNTTAB_REF_FIRST 448u
#define GNTTAB_REF_COUNT 64u

/* @table is grant frame 0, already in our physmap.  Sets version 1. */
int gnttab_init(struct grant_entry_v1 *table);

/* Lets @domid map @gfn (read-only if @readonly).  Returns the ref, or
 * -XEN_ENOSPC when our range is used up. */
int gnttab_grant(domid_t domid, uint32_t gfn, int readonly);

/* Revokes @ref.  Returns 0, or -XEN_EBUSY while the backend still has it
 * mapped (the ref then stays live and counted: call again later). */
int gnttab_end(grant_ref_t ref);

/* @ref is live and grants @gfn: a held page's ref may have been revoked
 * (and handed out again) by gnttab_teardown() meanwhile. */
int gnttab_grants(grant_ref_t ref, uint32_t gfn);

/* Grants we hold right now. */
unsigned int gnttab_live(void);

/* Forget every grant without touching the table (see xen_abandon()). */
void gnttab_abandon(void);

/* Revokes every ref still live; returns how many could not be. */
unsigned int gnttab_teardown(void);

#endif
