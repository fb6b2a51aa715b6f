/* The ROM's services behind each entry: find the disks at POST, number and
 * hook them at the BCV, serve INT 13h, and let go where the boot leaves the
 * BIOS. */
#include "bios/bcv.h"
#include "bios/bootchoice.h"
#include "bios/disk.h"
#include "bios/int13.h"
#include "bios/pnp.h"
#include "bios/quiesce.h"
#include "bios/rommem.h"
#include "bios/services.h"
#include "block/blkfront.h"
#include "xen/xenbus.h"
#include "arch/platform.h"
#include "lib/log.h"

_Static_assert(BLKFRONT_RA_MEM <= STUB_PMM_TAIL, "the read-ahead cache fits the PMM tail");

static struct vbd vbds[BLKFRONT_MAX_VBD];
static int nr_vbds;

/* A vbd init connected but offers no drive for (its first block could not
 * be read) has nothing to keep its connection for. */
static void vbds_not_offered_disconnect(void)
{
    int i, j, offered;

    for (i = 0; i < nr_vbds; i++) {
        for (offered = 0, j = 0; j < nr_bdisks; j++)
            offered |= bdisks[j].vbd == &vbds[i];
        if (!offered)
            blkfront_disconnect(&vbds[i]);
    }
}

/* Find the disks; keep their connection for the loader's first read where
 * the quiesce points can be hooked already (rom/bios/quiesce.c), else let
 * go of Xen again. */
int services_init(struct stub_info *stub, uint32_t bar, uint32_t bar_size)
{
    int i, rc;

    pv_set_bar(bar, bar_size);
    /* read-ahead only where the OS never reuses the cache's pages: PMM,
     * which SeaBIOS takes from ZoneHigh and reserves in E820; base memory
     * below 40:13 is not known to be reserved on every BIOS */
    blkfront_ra_enable(rommem_pmm_tail(stub));
    if (blkfront_ra_cache())
        log(LOG_INFO, "read-ahead: %u pages at %08x, batches of %u",
            BLKFRONT_RA_PAGES, virt_to_phys(blkfront_ra_cache()), BLKFRONT_RA_BATCH);
    rc = pv_up();
    if (rc) {
        log(LOG_ERR, "Xen bus setup failed (%d): no PV disks", rc);
        return 0;
    }
    if (services_post_selftest)
        services_post_selftest();
    nr_vbds = blkfront_probe(vbds, BLKFRONT_MAX_VBD);
    if (nr_vbds < 0) {
        log(LOG_ERR, "xenstore: cannot list device/vbd (%d)", nr_vbds);
        nr_vbds = 0;
    }
    for (i = 0; i < nr_vbds; i++)
        log(LOG_INFO, "vbd %u (%s) backend %s domain %u", vbds[i].vdev,
            vbds[i].node, vbds[i].backend, vbds[i].backend_id);
    /* Each disk's boot entry names its size, which only a connect tells:
     * the disks are described now, while the ROM is writable. */
    bcv_describe(vbds, nr_vbds);
    if (!nr_bdisks) {
        pv_down();
        log(LOG_INFO, "no PV disk to offer: not staying resident");
        return 0;
    }
    pnp_headers_write(stub, bdisks, nr_bdisks);
    if (quiesce_keep_connection(stub)) {
        vbds_not_offered_disconnect();
        log(LOG_INFO, "init: PV disks stay connected for the first read");
    } else {
        pv_down();
    }
    return 1;
}

/* The BIOS calls the BCV of each $PnP header; the stub put its index in AX. */
void services_bcv(struct stub_frame *f, struct stub_info *stub)
{
    bcv_register(f, stub, f->ax);
}

void services_int13(struct stub_frame *f, struct stub_info *stub, uint16_t bdf)
{
    if (tripwire(stub))
        f->chain = stub->prev_int13;
    else if (int13_service(f, (struct stub_iret *)(f + 1), bdf))
        quiesce_disk_served();
    else {
        quiesce_other_drive(f->dl);
        if (!bootchoice_pass_on(f, stub))
            f->chain = stub->prev_int13;
    }
}

void services_idle(struct stub_frame *f, struct stub_info *stub,
                   uint32_t prev, const char *where)
{
    /* Only a connected ROM has anything to let go of; idle, a loader's
     * every character and key poll costs no hypercall (the tripwire's
     * checks are one multicall), and a takeover is seen at the next disk call. */
    if (xen_is_up() && !tripwire(stub))
        quiesce_if_idle(where);
    f->chain = prev;
}

/* The boot leaving the BIOS: let go, then let the BIOS do its part. */
void services_leaving(struct stub_frame *f, struct stub_info *stub,
                      uint32_t prev, const char *where)
{
    if (!tripwire(stub))
        quiesce(where);
    f->chain = prev;
}

void services_int19(struct stub_frame *f, struct stub_info *stub)
{
    if (!tripwire(stub))
        quiesce_int19();
    f->chain = stub->prev_int19;
}
