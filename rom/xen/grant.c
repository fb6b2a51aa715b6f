/* Grant table v1: lending our pages to a backend.
 *
 * Which refs: 0-7 are reserved by convention (0 console, 1 xenstore);
 * Linux's gnttab hands out from 8 upwards and overwrites entries without
 * looking [linux drivers/xen/grant-table.c]; Windows' xenbus reserves 0-31.
 * Our grants live only while we run -- every one is revoked before an
 * INT 13h call returns, apart from the ring of a connected vbd, which
 * quiesce revokes -- so any block the OS does not use *first* would do.
 * We take the top GNTTAB_REF_COUNT refs of frame 0 (grant.h: how many and
 * why): frame 0 is the one frame every
 * domain has (so one add_to_physmap suffices), and an OS filling its
 * table from the bottom reaches them last, which limits the damage if
 * the ROM is never re-entered to quiesce.
 *
 * Revoking follows the safe rule [xen grant_table.h, "GTF_reading"]:
 * while the backend has the frame mapped (GTF_reading|GTF_writing) we must
 * not reuse it; otherwise clear flags with one cmpxchg so that a mapping
 * racing with us either sees the grant or fails.
 */
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "lib/libc.h"
#include "lib/log.h"

static struct grant_entry_v1 *gnttab;
/* bit i % 32 of word i / 32: ref GNTTAB_REF_FIRST + i */
static uint32_t gnttab_used[GNTTAB_REF_COUNT / 32];

_Static_assert(GNTTAB_REF_COUNT % 32 == 0, "gnttab_used is 32-bit words");
_Static_assert((GNTTAB_REF_FIRST + GNTTAB_REF_COUNT) * sizeof(struct grant_entry_v1)
               <= PAGE_SIZE, "our refs must sit in frame 0");

static int gnttab_is_used(unsigned int i)
{
    return (gnttab_used[i / 32] >> (i % 32)) & 1;
}

int gnttab_init(struct grant_entry_v1 *table)
{
    struct gnttab_set_version sv = { .version = 1 };
    long rc;

    rc = xen_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_set_version,
                       (unsigned long)&sv, 1);
    if (rc)
        return (int)rc;
    gnttab = table;
    return 0;
}

int gnttab_grant(domid_t domid, uint32_t gfn, int readonly)
{
    struct grant_entry_v1 *e;
    unsigned int i;

    for (i = 0; i < GNTTAB_REF_COUNT; i++)
        if (!gnttab_is_used(i))
            break;
    if (i == GNTTAB_REF_COUNT)
        return -XEN_ENOSPC;
    gnttab_used[i / 32] |= 1u << (i % 32);

    e = &gnttab[GNTTAB_REF_FIRST + i];
    e->domid = domid;
    e->frame = gfn;
    wmb();          /* domid and frame before the flags that publish them */
    e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
    return GNTTAB_REF_FIRST + i;
}

int gnttab_end(grant_ref_t ref)
{
    uint16_t *flags, old, seen;
    unsigned int i = ref - GNTTAB_REF_FIRST;

    if (i >= GNTTAB_REF_COUNT || !gnttab_is_used(i))
        return -XEN_EINVAL;
    flags = &gnttab[ref].flags;
    old = READ_ONCE(*flags);
    for (;;) {
        if (old & (GTF_reading | GTF_writing))
            return -XEN_EBUSY;
        seen = __sync_val_compare_and_swap(flags, old, 0);
        if (seen == old)
            break;
        old = seen;
    }
    gnttab_used[i / 32] &= ~(1u << (i % 32));
    return 0;
}

int gnttab_grants(grant_ref_t ref, uint32_t gfn)
{
    unsigned int i = ref - GNTTAB_REF_FIRST;

    return gnttab && i < GNTTAB_REF_COUNT && gnttab_is_used(i) &&
           gnttab[ref].frame == gfn;
}

unsigned int gnttab_live(void)
{
    unsigned int n = 0, w;
    uint32_t m;

    for (w = 0; w < GNTTAB_REF_COUNT / 32; w++)
        for (m = gnttab_used[w]; m; m &= m - 1)  /* no popcnt: libgcc */
            n++;
    return n;
}

void gnttab_abandon(void)
{
    gnttab = NULL;
    memset(gnttab_used, 0, sizeof(gnttab_used));
}

unsigned int gnttab_teardown(void)
{
    unsigned int i;

    for (i = 0; i < GNTTAB_REF_COUNT; i++)
        if (gnttab_is_used(i))
            gnttab_end(GNTTAB_REF_FIRST + i);
    return gnttab_live();
}
