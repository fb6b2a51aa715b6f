/* BIOS drives over PV: the table, lazy bring-up of the bus, and I/O in
 * presented sectors. */
#include "bios/disk.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "lib/libc.h"
#include "lib/log.h"
#include "bios/rommem.h"

struct bdisk bdisks[MAX_BDISKS];
int nr_bdisks;

static uint32_t pv_bar, pv_bar_size;

void pv_set_bar(uint32_t bar, uint32_t size)
{
    pv_bar = bar;
    pv_bar_size = size;
    rommem_set(ROMMEM_BAR, bar, size);
}

struct bdisk *disk_lookup(uint8_t drive)
{
    int i;

    if (drive < 0x80)                   /* 0: a disk its BCV has not numbered */
        return NULL;
    for (i = 0; i < nr_bdisks; i++)
        if (bdisks[i].drive == drive)
            return &bdisks[i];
    return NULL;
}

int pv_up(void)
{
    if (xen_is_up())
        return 0;
    return xen_init(pv_bar, pv_bar_size);
}

void pv_down(void)
{
    if (!xen_is_up())
        return;
    blkfront_disconnect_all(BLKFRONT_DOWN_BUDGET_MS);
    xen_teardown();
}

unsigned int disk_data_grants_live(void)
{
    unsigned int rings = 0;
    int i;

    for (i = 0; i < nr_bdisks; i++)
        rings += bdisks[i].vbd->connected;
    return gnttab_live() - rings - blkfront_ra_grants();
}

void disk_ra_settle(const struct bdisk *d)
{
    const struct vbd *v = blkfront_ra_in_flight();

    if (v && (!d || d->vbd != v))
        blkfront_ra_drain();
}

/* Present @v's sectors as they are: 512, 1K, 2K or 4K bytes (blkfront
 * accepts only powers of two in 512..4096).  Presenting 1K or 2K as 512
 * would make every odd LBA unaddressable and AH=48h lie about the size. */
void disk_set_format(struct bdisk *d, const struct vbd *v)
{
    uint8_t shift = 9;

    while ((1u << shift) < v->sector_size && shift < 12)
        shift++;
    d->block_shift = shift;
    d->blocks = v->sectors >> (shift - 9);
}

/* Block 0 from the cache: a read of exactly that block needs no backend. */
static int disk_block0_read(struct bdisk *d, uint64_t lba, uint32_t count,
                            uint32_t buf)
{
    if (lba || count != 1 || !d->block0_valid)
        return 0;
    memcpy(phys_to_virt(buf), d->block0, 1u << d->block_shift);
    d->reads++;
    return 1;
}

static void disk_block0_update(struct bdisk *d, uint64_t lba, uint32_t buf)
{
    if (!lba)
        memcpy(d->block0, phys_to_virt(buf), 1u << d->block_shift);
}

int disk_io(struct bdisk *d, int write, uint64_t lba, uint32_t count,
            uint32_t buf)
{
    unsigned int shift = d->block_shift - 9;
    int rc;

    if (!write && disk_block0_read(d, lba, count, buf))
        return 0;
    rc = pv_up();
    if (rc)
        return rc;
    rc = blkfront_rw(d->vbd, write, lba << shift, count << shift,
                     phys_to_virt(buf));
    if (!rc) {
        if (write) {
            disk_block0_update(d, lba, buf);
            d->writes++;
        } else {
            d->reads++;
        }
        d->bytes += (uint64_t)count << d->block_shift;
    } else if (write && !lba) {
        d->block0_valid = 0;        /* the backend may hold part of it */
    }
    return rc;
}
