/* Failure paths: what one backend may see of another's data,
 * a ring a backend keeps mapped, remembered connect failures, the total a
 * disconnect may wait, and the xenstore ring after a timeout. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "sim.h"
#include "test_disk.h"
#include "block/blkfront.h"
#include "bios/disk.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "xen/xenstore.h"

#define BAR ((uint32_t)(uintptr_t)sim_bar)
#define BAR_SIZE (SIM_BAR_PAGES * 4096u)
#define MS 1000000ull

/* rom/ of 8d56588 has none of these: the fallbacks let this file build
 * against it, where its tests must fail. */
#ifndef BLKFRONT_BACKOFF_MS
#define BLKFRONT_BACKOFF_MS 60000u
#endif
#ifndef BLKFRONT_DOWN_BUDGET_MS
#define BLKFRONT_DOWN_BUDGET_MS 20000u
#endif
#ifndef XENSTORE_STALL_MS
#define XENSTORE_STALL_MS 30000u
#endif

static struct vbd v[BLKFRONT_MAX_VBD];
static struct sim_vbd *b[SIM_MAX_VBD];
static uint8_t buf[16 * 4096];

/* @n vbds (ids 768, 832, 5632), probed, connected and in the drive table. */
static int up_with(unsigned int n)
{
    if (td_connect_vbds(v, b, n, 0))
        return -1;
    for (unsigned int i = 0; i < n; i++)
        bdisks[i].vbd = &v[i];      /* pv_down() takes them down */
    nr_bdisks = (int)n;
    return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* ---- item 1: bounce pages carry nothing across backends ---------------- */

/* A 1-sector write to B after an 8-sector read from A: the page B's backend
 * is granted holds B's sector and zeros, none of A's sectors 1-7. */
static void test_bounce_write_shows_no_other_vbd_data(void)
{
    CHECK_EQ(up_with(2), 0);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), 0);
    memset(buf, 0xb5, 512);
    CHECK_EQ(blkfront_rw(&v[1], 1, 40, 1, buf), 0);
    CHECK_EQ(b[1]->nseen, 1);
    CHECK(!memcmp(b[1]->seen[0], buf, 512));
    CHECK(all_zero(b[1]->seen[0] + 512, 4096 - 512));
    pv_down();
}

/* A read grants the page writable, and the backend may read it before it
 * writes: B must find nothing of A's in it. */
static void test_bounce_read_shows_no_other_vbd_data(void)
{
    CHECK_EQ(up_with(2), 0);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 88, buf), 0);    /* all 11 pages */
    CHECK_EQ(blkfront_rw(&v[1], 0, 0, 1, buf), 0);
    CHECK_EQ(b[1]->nseen, 1);
    CHECK(all_zero(b[1]->seen[0], 4096));
    CHECK(!memcmp(buf, b[1]->disk, 512));
    /* and back to A: the page B had is cleared again, the others hold
     * A's own sectors from its first read (page i: sectors 8i..8i+7) */
    CHECK_EQ(blkfront_rw(&v[0], 0, 8, 16, buf), 0);
    CHECK_EQ(b[0]->nseen, 2);
    for (unsigned int i = 0; i < b[0]->nseen; i++)
        CHECK(all_zero(b[0]->seen[i], 4096) ||
              !memcmp(b[0]->seen[i], b[0]->disk + i * 4096, 4096));
    CHECK(all_zero(b[0]->seen[0], 4096));
    pv_down();
}

/* One disk read over and over pays nothing for it: its pages are its own
 * already (the bytes it could see are its own earlier sectors). */
static void test_bounce_same_vbd_not_cleared(void)
{
    CHECK_EQ(up_with(1), 0);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), 0);
    CHECK_EQ(blkfront_rw(&v[0], 0, 100, 1, buf), 0);
    CHECK(!memcmp(b[0]->seen[0], b[0]->disk, 4096));   /* A's sectors 0-7 */
    pv_down();
}

/* ---- item 3: a ring the backend keeps mapped --------------------------- */

/* A backend that keeps every ring mapped, and a frontend that is made to
 * disconnect after every call (as one whose backend leaves Connected each
 * time): the old page is never granted again, the vbd waits for the backend
 * to let go, and the other disk keeps working -- 40 rounds would use up
 * the 32 refs if each reconnect took a new one. */
static void test_ring_kept_mapped_is_held_not_regranted(void)
{
    int rc;

    CHECK_EQ(up_with(2), 0);
    b[0]->fault = BKF_HOLD_RING;
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), 0);
    for (unsigned int i = 0; i < 40; i++) {
        blkfront_disconnect(&v[0]);
        rc = blkfront_rw(&v[0], 0, 0, 8, buf);
        CHECK_EQ(rc, -XEN_EBUSY);
        CHECK_EQ(blkfront_rw(&v[1], 0, i, 8, buf), 0);
        CHECK(!memcmp(buf, b[1]->disk + i * 512, 8 * 512));
    }
    CHECK_EQ(b[0]->nheld_rings, 1);     /* one mapping, never a second */
    CHECK_EQ(gnttab_live(), 2);         /* B's ring, A's held one */
    CHECK(strstr(log_capture, "backend keeps ring-ref"));
    /* the backend lets go: the old grant is revoked, A connects again */
    sim_release_rings(b[0]);
    b[0]->fault = BKF_NONE;
    CHECK_EQ(blkfront_rw(&v[0], 0, 16, 8, buf), 0);
    CHECK(!memcmp(buf, b[0]->disk + 16 * 512, 8 * 512));
    CHECK_EQ(gnttab_live(), 2);         /* both rings, the old one revoked */
    pv_down();
    CHECK_EQ(gnttab_live(), 0);
}

/* Held over a bus teardown and up again (a quiesce between two calls): the
 * held ref stays counted and the page stays out of use. */
static void test_ring_kept_mapped_survives_quiesce(void)
{
    CHECK_EQ(up_with(1), 0);
    b[0]->fault = BKF_HOLD_RING;
    pv_down();
    CHECK(!v[0].connected);
    CHECK_EQ(pv_up(), 0);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), -XEN_EBUSY);
    CHECK_EQ(b[0]->nheld_rings, 1);
    sim_release_rings(b[0]);
    b[0]->fault = BKF_NONE;
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), 0);
    pv_down();
    CHECK_EQ(gnttab_live(), 0);
}

/* ---- item 4: failures remembered, disconnects bounded ------------------ */

/* A backend that stops connecting after the BCV costs one handshake
 * timeout, then every call is answered at once for the back-off period,
 * then it is tried again. */
static void test_failed_connect_backs_off(void)
{
    unsigned int reqs;
    uint64_t t0;

    CHECK_EQ(up_with(1), 0);
    blkfront_disconnect(&v[0]);
    b[0]->fault = BKF_NEVER_CONNECT;
    t0 = xen_time_ns();
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), -XEN_ETIMEDOUT);
    CHECK(xen_time_ns() - t0 >= BLKFRONT_STATE_TIMEOUT_MS * MS);
    for (unsigned int i = 0; i < 20; i++) {
        reqs = sim.xs_requests;
        t0 = xen_time_ns();
        CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), -XEN_ETIMEDOUT);
        CHECK(xen_time_ns() - t0 < 1 * MS);
        CHECK_EQ(sim.xs_requests, reqs);    /* not even a xenstore read */
    }
    CHECK_EQ(sim_open_ports(), 1);
    /* after the back-off it is tried again, and a mended backend works */
    sim.now += BLKFRONT_BACKOFF_MS * MS;
    b[0]->fault = BKF_NONE;
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), 0);
    CHECK(!memcmp(buf, b[0]->disk, 8 * 512));
    pv_down();
}

/* Three vbds connected, and xenstored stops answering: one disconnect of
 * all of them (a quiesce point) costs one xenstore timeout, not ~70 s each. */
static void test_disconnect_all_bounded_silent_xenstored(void)
{
    uint64_t t0;

    CHECK_EQ(up_with(3), 0);
    sim.xs_fault = XSF_SILENT;
    t0 = sim.now;                       /* the bus goes down: Xen's clock */
    pv_down();
    /* one xenstore timeout in all: the rest fail at once, and no backend
     * state is waited for without a xenstored to read it from */
    CHECK(sim.now - t0 <= (XENSTORE_TIMEOUT_MS + 100) * MS);
    CHECK(!xen_is_up());
    for (int i = 0; i < 3; i++)
        CHECK(!v[i].connected);
    CHECK_EQ(sim_open_ports(), 1);      /* our ports closed all the same */
    nr_bdisks = 0;
}

/* Three backends that never answer a close: the budget is shared, so each
 * gets its turn and the total stays bounded. */
static void test_disconnect_all_bounded_stuck_backends(void)
{
    uint64_t t0;

    CHECK_EQ(up_with(3), 0);
    for (int i = 0; i < 3; i++)
        b[i]->fault = BKF_IGNORE_CLOSE;
    t0 = sim.now;                       /* the bus goes down: Xen's clock */
    pv_down();
    CHECK(sim.now - t0 <= (BLKFRONT_DOWN_BUDGET_MS + 100) * MS);
    for (int i = 0; i < 3; i++) {
        CHECK(!v[i].connected);
        /* every one was at least told to close */
        CHECK(sim_front_state(v[i].vdev) != XenbusStateConnected);
    }
    CHECK_EQ(sim_open_ports(), 1);
    nr_bdisks = 0;
}

/* ---- item 5: the xenstore ring after a timeout ------------------------- */

static void test_xenstore_timeout_never_leaves_partial_request(void)
{
    struct xenstore_domain_interface *r;
    struct xsd_sockmsg m;
    XENSTORE_RING_IDX i;
    uint64_t pfn;
    char value[61], out[16];
    int rc, written = 0;

    CHECK_EQ(up_with(0), 0);
    CHECK_EQ(xen_get_param(HVM_PARAM_STORE_PFN, &pfn), 0);
    r = phys_to_virt((uint32_t)pfn << 12);
    memset(value, 'v', 60);
    value[60] = '\0';
    sim.xs_fault = XSF_SILENT;
    for (int k = 0; k < 30; k++) {
        rc = xenstore_write("data/key", value);
        CHECK_EQ(rc, -XEN_ETIMEDOUT);
        sim.now += XENSTORE_STALL_MS * MS;  /* so that the next one is tried */
    }
    /* what sits in the request ring parses as whole requests */
    for (i = r->req_cons; i != r->req_prod; i += sizeof(m) + m.len) {
        CHECK(r->req_prod - i >= sizeof(m));
        for (size_t j = 0; j < sizeof(m); j++)
            ((char *)&m)[j] = r->req[MASK_XENSTORE_IDX(i + j)];
        CHECK(m.type == XS_WRITE && m.len == 9 + 60);
        CHECK(r->req_prod - i >= sizeof(m) + m.len);
        written++;
    }
    CHECK(written >= 10);               /* the ring did fill up */
    /* xenstored wakes: it answers them all, and the next request works */
    sim.xs_fault = XSF_NONE;
    sim.now += XENSTORE_STALL_MS * MS;
    CHECK_EQ(xenstore_read("name", out, sizeof(out)), 5);
    CHECK(!strcmp(out, "guest"));
    CHECK(!strcmp(sim_xs_get("data/key"), value));
    CHECK(sim_xs_ring_quiescent());
    xen_teardown();
}

/* After one timeout, requests fail at once instead of each waiting again,
 * until xenstored answers or the bus comes up again. */
static void test_xenstore_stalled_fails_fast(void)
{
    uint64_t t0;
    char out[16];

    CHECK_EQ(up_with(0), 0);
    sim.xs_fault = XSF_SILENT;
    t0 = xen_time_ns();
    CHECK_EQ(xenstore_read("name", out, sizeof(out)), -XEN_ETIMEDOUT);
    CHECK(xen_time_ns() - t0 >= XENSTORE_TIMEOUT_MS * MS);
    t0 = xen_time_ns();
    for (int k = 0; k < 10; k++)
        CHECK_EQ(xenstore_read("name", out, sizeof(out)), -XEN_ETIMEDOUT);
    CHECK(xen_time_ns() - t0 < 1 * MS);
    /* a new bus attach tries again */
    sim.xs_fault = XSF_NONE;
    xen_teardown();
    CHECK_EQ(xen_init(BAR, BAR_SIZE), 0);
    CHECK_EQ(xenstore_read("name", out, sizeof(out)), 5);
    xen_teardown();
}

/* fuzz_xenstore's crash-adc83b19 (input 0a): a xenstored that read the
 * request and dropped it is alive, so the next request is sent and works
 * (the stall latch is for one that stops reading). */
static void test_xenstore_dropped_request_not_stalled(void)
{
    static const uint8_t nothing[1];
    char out[16];

    CHECK_EQ(up_with(0), 0);
    sim_xs_raw_reply(nothing, 0, 0);    /* answers the next request with nothing */
    CHECK_EQ(xenstore_directory("device/vbd", out, sizeof(out)), -XEN_ETIMEDOUT);
    CHECK_EQ(xenstore_write("data/fuzz", "ok"), 0);
    CHECK_EQ(xenstore_read("data/fuzz", out, sizeof(out)), 2);
    xen_teardown();
}

const struct test reliability_tests[] = {
    { "test_bounce_write_shows_no_other_vbd_data", test_bounce_write_shows_no_other_vbd_data },
    { "test_bounce_read_shows_no_other_vbd_data", test_bounce_read_shows_no_other_vbd_data },
    { "test_bounce_same_vbd_not_cleared", test_bounce_same_vbd_not_cleared },
    { "test_ring_kept_mapped_is_held_not_regranted",
      test_ring_kept_mapped_is_held_not_regranted },
    { "test_ring_kept_mapped_survives_quiesce", test_ring_kept_mapped_survives_quiesce },
    { "test_failed_connect_backs_off", test_failed_connect_backs_off },
    { "test_disconnect_all_bounded_silent_xenstored",
      test_disconnect_all_bounded_silent_xenstored },
    { "test_disconnect_all_bounded_stuck_backends",
      test_disconnect_all_bounded_stuck_backends },
    { "test_xenstore_timeout_never_leaves_partial_request",
      test_xenstore_timeout_never_leaves_partial_request },
    { "test_xenstore_stalled_fails_fast", test_xenstore_stalled_fails_fast },
    { "test_xenstore_dropped_request_not_stalled", test_xenstore_dropped_request_not_stalled },
};
const unsigned int reliability_tests_count =
    sizeof(reliability_tests) / sizeof(reliability_tests[0]);
