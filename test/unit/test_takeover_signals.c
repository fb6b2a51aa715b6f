/* The tripwire's other takeover signals.  Each is seen
 * without a hypercall or write that changes anything: the xenstore ring
 * used by another client since our last entry, shared_info moved off our
 * gfn (it reads as zeros, or as the OS's grant table), the grant table
 * version changed.  And our own traffic (reads, a quiesce, a reconnect)
 * never trips it.  Each case runs in a child (the tripwire fires once per
 * boot). */
#include <string.h>

#include "test.h"
#include "test_disk.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/quiesce.h"

static struct stub_info stub = {
    .int13_entry = 0x100, .int15_entry = 0x120, .int18_entry = 0x140,
    .int19_entry = 0x160, .rom_seg = 0xca00,
};

/* Drive 80h hooked and read once, each entry closed as c_dispatch does. */
static int hooked_and_read(void)
{
    if (td_setup(512, SIM_DISK_SECTORS))
        return -1;
    hooks_install(&stub);
    tripwire_arm();
    if (tripwire(&stub) || !td_int13(0x0201, 0x0001, 0x0080, TD_BUF_SEG, 0) || td_cf())
        return -1;
    tripwire_arm();
    return 0;
}

static struct xenstore_domain_interface *store_ring(void)
{
    uint64_t pfn = 0;

    xen_get_param(HVM_PARAM_STORE_PFN, &pfn);
    return phys_to_virt((uint32_t)pfn << 12);
}

/* Fired, and touched nothing: no physmap change, no port closed, the
 * call passed on. */
static int fired_quietly(const char *why)
{
    unsigned int removes = sim.physmap_removes, ports = sim_open_ports();

    if (!tripwire(&stub))
        return 10;
    if (sim.physmap_removes != removes || sim_open_ports() != ports || xen_is_up())
        return 11;
    if (td_int13(0x0201, 0x0001, 0x0080, TD_BUF_SEG, 0))
        return 12;
    return strstr(log_capture, why) ? 0 : 13;
}

static int os_used_xenstore(void)
{
    static const char req[] = "\\x02\\0\\0\\0";
    struct xenstore_domain_interface *r;

    if (hooked_and_read())
        return 1;
    r = store_ring();
    /* the OS's xenbus writes a request header and publishes it */
    memcpy(r->req + MASK_XENSTORE_IDX(r->req_prod), req, 4);
    r->req_prod += 16;
    return fired_quietly("xenstore ring used by another client");
}

static int os_drained_xenstore(void)
{
    struct xenstore_domain_interface *r;

    if (hooked_and_read())
        return 1;
    r = store_ring();
    r->rsp_prod += 8;      /* an answer to the OS's request ... */
    r->rsp_cons += 8;      /* ... that the OS consumed */
    return fired_quietly("xenstore ring used by another client");
}

static void test_takeover_xenstore_ring(void)
{
    log_capture_len = 0;
    CHECK_EQ(td_in_child(os_used_xenstore), 0);
    CHECK_EQ(td_in_child(os_drained_xenstore), 0);
}

/* Our gfn a hole the device model answers: zeros. */
static int shinfo_hole(void)
{
    if (hooked_and_read() || !xen_is_up())
        return 1;
    memset(sim_bar, 0, 4096);
    return fired_quietly("shared_info moved");
}

/* Our gfn the OS's grant table (Linux maps it at BAR1's start): entries 0
 * (console) and 1 (xenstore) in use, 2-7 reserved. */
static int shinfo_became_gnttab(void)
{
    struct grant_entry_v1 *e = (void *)sim_bar;

    if (hooked_and_read() || !xen_is_up())
        return 1;
    memset(sim_bar, 0, 4096);
    e[0].flags = GTF_permit_access;
    e[0].frame = 0xfeffc;
    e[1].flags = GTF_permit_access;
    e[1].frame = 0xfeffd;
    memset(&e[8], 0x5a, 4096 - 8 * sizeof(*e));
    return fired_quietly("shared_info moved");
}

/* Our gfn unclaimed MMIO: every read all ones. */
static int shinfo_unclaimed(void)
{
    if (hooked_and_read() || !xen_is_up())
        return 1;
    memset(sim_bar, 0xff, 4096);
    return fired_quietly("shared_info moved");
}

static void test_takeover_shinfo_moved(void)
{
    CHECK_EQ(td_in_child(shinfo_hole), 0);
    CHECK_EQ(td_in_child(shinfo_unclaimed), 0);
    CHECK_EQ(td_in_child(shinfo_became_gnttab), 0);
}

static int os_set_gnttab_v2(void)
{
    if (hooked_and_read())
        return 1;
    sim.gnttab_version = 2;
    return fired_quietly("grant table version changed");
}

/* After a quiesce shared_info is gone from our gfn by our own hand: only
 * the hypercall and xenstore signals apply, and still fire. */
static int os_set_gnttab_v2_quiesced(void)
{
    if (hooked_and_read())
        return 1;
    quiesce("E820");
    tripwire_arm();
    if (xen_is_up() || tripwire(&stub))
        return 2;
    sim.gnttab_version = 2;
    return fired_quietly("grant table version changed");
}

static void test_takeover_gnttab_version(void)
{
    CHECK_EQ(td_in_child(os_set_gnttab_v2), 0);
    CHECK_EQ(td_in_child(os_set_gnttab_v2_quiesced), 0);
}

/* Our own traffic between entries: reads, quiesce, reconnect, a flush, a
 * backend state re-check after 100 ms: never a takeover. */
static int our_own_traffic(void)
{
    int i;

    if (hooked_and_read())
        return 1;
    for (i = 0; i < 20; i++) {
        if (tripwire(&stub))
            return 2;
        td_int13(i == 5 ? 0x0d00 : 0x0202, 0x0001 + (i & 7), 0x0080, TD_BUF_SEG, 0);
        if (td_cf())
            return 3;
        tripwire_arm();
        sim.now += 200000000ull;        /* past the 100 ms state check */
        if (i == 10) {
            if (tripwire(&stub))
                return 4;
            quiesce("E820");
            tripwire_arm();
        }
    }
    return tripwire(&stub) ? 5 : 0;
}

static void test_takeover_not_by_our_traffic(void)
{
    CHECK_EQ(td_in_child(our_own_traffic), 0);
}

/* The tripwire's two hypercall reads are one trip into Xen (a multicall),
 * and see what they saw one by one: the callback, then the v2 table. */
static int one_trip(void)
{
    unsigned int hc;

    if (hooked_and_read())
        return 1;
    hc = sim.hypercalls;
    if (xen_takeover_signal() || sim.hypercalls - hc != 1)
        return 2;
    sim.gnttab_version = 2;
    hc = sim.hypercalls;
    if (!xen_takeover_signal() || sim.hypercalls - hc != 1 ||
        !strstr(xen_takeover_signal(), "grant table version"))
        return 3;
    sim.gnttab_version = 1;
    sim.callback_via = 1;
    if (!xen_takeover_signal() || !strstr(xen_takeover_signal(), "callback"))
        return 4;
    sim.callback_via = 0;
    return tripwire(&stub) ? 5 : 0;     /* nothing set now: no takeover */
}

static void test_tripwire_one_trip(void)
{
    CHECK_EQ(td_in_child(one_trip), 0);
}

/* A Xen that refuses the multicall: one call each from then on, the same
 * answers. */
static int no_multicall(void)
{
    unsigned int hc;

    if (td_setup(512, SIM_DISK_SECTORS))
        return 1;
    sim.no_multicall = 1;
    hc = sim.hypercalls;
    if (xen_takeover_signal() || sim.hypercalls - hc != 3)
        return 2;               /* the refused one, then each */
    hc = sim.hypercalls;
    if (xen_takeover_signal() || sim.hypercalls - hc != 2)
        return 3;
    sim.callback_via = 1;
    return xen_takeover_signal() && strstr(xen_takeover_signal(), "callback") ? 0 : 4;
}

static void test_tripwire_without_multicall(void)
{
    CHECK_EQ(td_in_child(no_multicall), 0);
}

const struct test takeover_signal_tests[] = {
    { "test_tripwire_one_trip", test_tripwire_one_trip },
    { "test_tripwire_without_multicall", test_tripwire_without_multicall },
    { "test_takeover_xenstore_ring", test_takeover_xenstore_ring },
    { "test_takeover_shinfo_moved", test_takeover_shinfo_moved },
    { "test_takeover_gnttab_version", test_takeover_gnttab_version },
    { "test_takeover_not_by_our_traffic", test_takeover_not_by_our_traffic },
};
const unsigned int takeover_signal_tests_count =
    sizeof(takeover_signal_tests) / sizeof(takeover_signal_tests[0]);
