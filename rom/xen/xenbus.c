/* The Xen bus as a whole: brings up, in order, the hypercall page, the two
 * frames we borrow from Xen, the grant table and xenstore, and takes them
 * down again in the reverse order.  The one file that knows all of
 * rom/xen/; each of those owns its own resources.
 *
 * Where the frames go matters: XENMEM_add_to_physmap over a RAM gfn frees
 * that RAM page, and when the OS later maps the same frame elsewhere the old
 * gfn is left a hole [xen arch/x86/mm/p2m.c].  So shared_info and grant
 * frame 0 live in the xen-platform device's MMIO BAR1, as in iPXE [hvm.c]
 * and Linux [drivers/xen/platform-pci.c], and are removed again on teardown.
 */
#include "xen/xenbus.h"
#include "xen/evtchn.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenstore.h"
#include "lib/log.h"

/* Page offsets inside BAR1.  Linux's platform-pci hands BAR1 out from its
 * start too, but only after we have removed ours. */
#define XEN_BAR_SHINFO 0
#define XEN_BAR_GNTTAB 1
#define XEN_BAR_PAGES  2

static uint32_t bar_gfn;
static int xen_up;
static evtchn_port_t store_port_ours;
static int store_port_was_masked;

int xen_init(uint32_t bar_phys, uint32_t bar_size)
{
    uint64_t store_pfn, store_port;
    int rc;

    if (xen_up)
        return 0;
    if ((bar_phys & (PAGE_SIZE - 1)) || !bar_phys ||
        bar_size < XEN_BAR_PAGES * PAGE_SIZE)
        return -XEN_EINVAL;
    rc = xen_hypercall_init();
    if (rc)
        return rc;
    rc = xen_get_param(HVM_PARAM_STORE_PFN, &store_pfn);
    if (rc)
        return rc;
    rc = xen_get_param(HVM_PARAM_STORE_EVTCHN, &store_port);
    if (rc)
        return rc;
    if (!store_pfn || store_pfn >= (1u << 20) || store_port >= 1024)
        return -XEN_ENODEV;

    bar_gfn = bar_phys >> PAGE_SHIFT;
    rc = xen_physmap_add(XENMAPSPACE_shared_info, 0, bar_gfn + XEN_BAR_SHINFO);
    if (rc)
        goto err_shinfo;
    xen_shinfo = phys_to_virt((bar_gfn + XEN_BAR_SHINFO) << PAGE_SHIFT);
    rc = xen_physmap_add(XENMAPSPACE_grant_table, 0, bar_gfn + XEN_BAR_GNTTAB);
    if (rc)
        goto err_gnttab_map;
    rc = gnttab_init(phys_to_virt((bar_gfn + XEN_BAR_GNTTAB) << PAGE_SHIFT));
    if (rc)
        goto err_gnttab_init;
    /* Polled like our own ports, masked like them (evtchn_mask()); put
     * back as found at teardown. */
    store_port_ours = (evtchn_port_t)store_port;
    store_port_was_masked = evtchn_mask(store_port_ours);
    rc = xenstore_init((uint32_t)store_pfn, store_port_ours);
    if (rc)
        goto err_xenstore;
    xen_up = 1;
    log(LOG_DEBUG, "xen up: bar gfn %x store pfn %x port %u", bar_gfn,
        (uint32_t)store_pfn, (uint32_t)store_port);
    return 0;

err_xenstore:
    if (!store_port_was_masked)
        evtchn_unmask_quiet(store_port_ours);
err_gnttab_init:
    xen_physmap_remove(bar_gfn + XEN_BAR_GNTTAB);
err_gnttab_map:
    xen_physmap_remove(bar_gfn + XEN_BAR_SHINFO);
    xen_shinfo = NULL;
err_shinfo:
    log(LOG_ERR, "xen_init failed: %d", rc);
    return rc;
}

void xen_teardown(void)
{
    unsigned int live;

    if (!xen_up)
        return;
    live = gnttab_teardown();
    if (live)
        log(LOG_ERR, "teardown: %u grants still live", live);
    if (!store_port_was_masked)
        evtchn_unmask_quiet(store_port_ours);
    xen_physmap_remove(bar_gfn + XEN_BAR_GNTTAB);
    xen_physmap_remove(bar_gfn + XEN_BAR_SHINFO);
    xen_shinfo = NULL;
    xen_up = 0;
}

int xen_is_up(void)
{
    return xen_up;
}

/* After a takeover our BAR pages may hold the OS's own frames (Linux puts
 * its grant table at the start of BAR1), so forget them without the
 * remove_from_physmap that would tear the OS's mapping out. */
void xen_abandon(void)
{
    gnttab_abandon();
    xen_shinfo = NULL;
    xen_up = 0;
}
