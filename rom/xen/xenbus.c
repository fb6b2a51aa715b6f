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
#include "lib/libc.h"
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
/* The xenstore ring's guest-side indexes as our last entry left them. */
static struct xenstore_domain_interface *store_ring;
static XENSTORE_RING_IDX store_req_prod, store_rsp_cons;
static int store_noted;

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
    store_ring = phys_to_virt((uint32_t)store_pfn << PAGE_SHIFT);
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

/* The takeover signals (README "How it runs"), each a read that changes
 * nothing in Xen or the guest.  The hypercall page is not one: the OS has
 * Xen fill a page of its own and the MSR cannot be read back (RDMSR of it
 * faults), so ours never changes. */

/* An OS's PV drivers set the event-channel callback when they start
 * (Linux's platform-pci or vector callback, Windows' xenbus); we never do. */
static int callback_set(void)
{
    uint64_t via = 0;

    return xen_get_param(HVM_PARAM_CALLBACK_IRQ, &via) == 0 && via != 0;
}

/* We set v1 in gnttab_init() and never change it; Xen refuses to change it
 * while a grant beyond the first 8 is in use, so v2 means the OS set it. */
static int gnttab_version_changed(void)
{
    struct gnttab_get_version gv = { .dom = DOMID_SELF };

    return xen_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_get_version,
                         (unsigned long)&gv, 1) == 0 && gv.version != 1;
}

/* Mapping shared_info at another gfn unmaps it from ours, which then reads
 * as unclaimed MMIO (all ones) or the device model's BAR (zeros), or as
 * whatever frame the OS mapped there (Linux puts its grant table at BAR1's
 * start, whose entries 4-7, at the offsets read here, are reserved and
 * zero).  Xen keeps vcpu 0's time record in the real page current: never
 * version 0 or multiplier 0, and the version is odd only while Xen writes
 * the record, which it does for vcpu 0 only while vcpu 0 (we) is not in
 * guest mode. */
static int shinfo_moved(void)
{
    volatile struct vcpu_time_info *t;
    uint32_t version;

    if (!xen_up)
        return 0;
    t = &xen_shinfo->vcpu_info[0].time;
    version = t->version;
    return !version || (version & 1) || !t->tsc_to_system_mul;
}

/* Only the guest writes req_prod and rsp_cons; between our entries nobody
 * of ours does, so a change means another xenstore client in the guest. */
static int store_ring_moved(void)
{
    return store_noted && (READ_ONCE(store_ring->req_prod) != store_req_prod ||
                           READ_ONCE(store_ring->rsp_cons) != store_rsp_cons);
}

void xen_note_quiet(void)
{
    if (!store_ring)
        return;
    store_req_prod = READ_ONCE(store_ring->req_prod);
    store_rsp_cons = READ_ONCE(store_ring->rsp_cons);
    store_noted = 1;
}

void xen_note_forget(void)
{
    store_noted = 0;
}

/* The two signals that need Xen, read in one trip into it: a multicall
 * of the same two reads (Xen's hypercall table has multicall for hvm32
 * callers, and both ops in it: xen/include/hypercall-defs.c).  Where Xen
 * refuses the multicall, one call each from then on.  Every entry runs
 * these, so the trip saved is one per INT 13h call. */
static int no_multicall;

static void hypercall_signals(int *callback, int *v2)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    multicall_entry_t mc[2] = {
        { .op = __HYPERVISOR_hvm_op,
          .args = { HVMOP_get_param, (unsigned long)&p } },
        { .op = __HYPERVISOR_grant_table_op,
          .args = { GNTTABOP_get_version, (unsigned long)&gv, 1 } },
    };

    if (!no_multicall &&
        xen_hypercall(__HYPERVISOR_multicall, (unsigned long)mc, 2, 0) == 0) {
        *callback = mc[0].result == 0 && p.value != 0;
        *v2 = mc[1].result == 0 && gv.version != 1;
        return;
    }
    no_multicall = 1;
    *callback = callback_set();
    *v2 = gnttab_version_changed();
}

const char *xen_takeover_signal(void)
{
    int callback, v2;

    if (!xen_hypercall_ready())
        return NULL;
    hypercall_signals(&callback, &v2);
    if (callback)
        return "event-channel callback set";
    if (store_ring_moved())
        return "xenstore ring used by another client";
    if (shinfo_moved())
        return "shared_info moved from our gfn";
    if (v2)
        return "grant table version changed";
    return NULL;
}

int xen_taken_over(void)
{
    return xen_takeover_signal() != NULL;
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

/* ---- xenstore paths and states ------------------------------------------ */

int xenbus_path(char *buf, size_t size, const char *dir, const char *key)
{
    size_t dlen = strlen(dir), klen = strlen(key);

    if (dlen + 1 + klen + 1 > size)
        return -XEN_E2BIG;
    memcpy(buf, dir, dlen);
    buf[dlen] = '/';
    memcpy(buf + dlen + 1, key, klen + 1);
    return 0;
}

int xenbus_read(const char *dir, const char *key, char *buf, size_t size)
{
    char path[96];
    int rc = xenbus_path(path, sizeof(path), dir, key);

    return rc ? rc : xenstore_read(path, buf, size);
}

int xenbus_read_u64(const char *dir, const char *key, uint64_t def,
                    uint64_t *val)
{
    char path[96];
    int rc = xenbus_path(path, sizeof(path), dir, key);

    if (rc)
        return rc;
    rc = xenstore_read_u64(path, val);
    if (rc == -XEN_ENOENT) {
        *val = def;
        rc = 0;
    }
    return rc;
}

static void format_u32(char *buf, uint32_t v)
{
    char tmp[10];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *buf++ = tmp[--n];
    *buf = '\0';
}

int xenbus_write_u32(const char *dir, const char *key, uint32_t val)
{
    char path[96], num[12];
    int rc = xenbus_path(path, sizeof(path), dir, key);

    if (rc)
        return rc;
    format_u32(num, val);
    return xenstore_write(path, num);
}

void xenbus_rm(const char *dir, const char *key)
{
    char path[96];

    if (!xenbus_path(path, sizeof(path), dir, key))
        xenstore_rm(path);      /* absent is fine */
}

int xenbus_state_of(const char *dir)
{
    uint64_t st;
    int rc = xenbus_read_u64(dir, "state", XenbusStateUnknown, &st);

    if (rc)
        return rc;
    return st > XenbusStateReconfigured ? XenbusStateUnknown : (int)st;
}
