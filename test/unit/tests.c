/* Unit tests for rom/: the Xen bus and the block frontend against the
 * simulation in sim.c. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "sim.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "xen/grant.h"
#include "xen/evtchn.h"
#include "xen/xenstore.h"
#include "block/blkfront.h"
#include "variants/selftest.h"
#include "bios/geometry.h"

int test_failed_now;
static struct vbd vbds[BLKFRONT_MAX_VBD];
static uint8_t buf[64 * 4096 + 1], ref[64 * 4096];

#define BAR ((uint32_t)(uintptr_t)sim_bar)
#define BAR_SIZE (SIM_BAR_PAGES * 4096u)

static int up(void)
{
    sim_reset();
    log_capture_len = 0;
    log_capture[0] = '\0';
    memset(vbds, 0, sizeof(vbds));
    return xen_init(BAR, BAR_SIZE);
}

/* One vbd, probed and connected. */
static struct sim_vbd *up_connected(void)
{
    struct sim_vbd *b;

    if (up())
        return NULL;
    b = sim_add_vbd(768, 1000, XenbusStateInitWait);
    if (blkfront_probe(vbds, BLKFRONT_MAX_VBD) != 1 || blkfront_connect(&vbds[0]))
        return NULL;
    return b;
}

static int has_key(uint32_t id, const char *key)
{
    char p[64];
    snprintf(p, sizeof(p), "device/vbd/%u/%s", id, key);
    return sim_xs_exists(p);
}

/* The clean end state of docs/design.md "Handover", for vbd @id. */
static int clean_end_state(uint32_t id, struct sim_vbd *b)
{
    return gnttab_live() == 0 && sim_front_state(id) == XenbusStateInitialising &&
           b->state == XenbusStateInitWait && !has_key(id, "ring-ref") &&
           !has_key(id, "event-channel") && !has_key(id, "protocol") &&
           sim_open_ports() == 1 && sim_xs_ring_quiescent();
}

/* ---- hypervisor ------------------------------------------------------ */

static void test_init_teardown(void)
{
    CHECK_EQ(up(), 0);
    CHECK_EQ(sim.msr, 0x40000000);
    CHECK(sim.msr_value && !(sim.msr_value & 0xfff));
    CHECK_EQ(sim.shinfo_gfn, BAR >> 12);
    CHECK_EQ(sim.gnttab_gfn, (BAR >> 12) + 1);
    CHECK_EQ(sim.gnttab_version, 1);
    CHECK(xen_is_up());
    xen_teardown();
    CHECK_EQ(sim.shinfo_gfn, 0);
    CHECK_EQ(sim.gnttab_gfn, 0);
    CHECK_EQ(sim.physmap_removes, 2);
    CHECK(!xen_is_up());
    /* and up again, as after an E820 quiesce */
    CHECK_EQ(xen_init(BAR, BAR_SIZE), 0);
    CHECK_EQ(sim.shinfo_gfn, BAR >> 12);
    xen_teardown();
}

static void test_init_rejects(void)
{
    sim_reset();
    CHECK_EQ(xen_init(BAR + 12, BAR_SIZE), -XEN_EINVAL);
    CHECK_EQ(xen_init(BAR, 4096), -XEN_EINVAL);
    CHECK_EQ(xen_init(0, BAR_SIZE), -XEN_EINVAL);
    sim.no_xen = 1;
    CHECK_EQ(xen_init(BAR, BAR_SIZE), -XEN_ENODEV);
    CHECK_EQ(sim.physmap_adds, 0);
}

static void test_time_and_poll_timeout(void)
{
    struct xen_timeout t;
    uint64_t t0;

    CHECK_EQ(up(), 0);
    t0 = xen_time_ns();
    CHECK(t0 >= 1000000000ull);
    CHECK(xen_time_ns() > t0);
    xen_timeout_start(&t, 250);
    while (evtchn_wait(SIM_STORE_PORT, &t) == 0)
        ;
    CHECK(xen_time_ns() - t0 >= 250000000ull);
    CHECK(xen_time_ns() - t0 < 260000000ull);
    xen_teardown();
}

/* ---- grants ---------------------------------------------------------- */

static void test_grant_alloc_revoke(void)
{
    int refs[GNTTAB_REF_COUNT];
    struct grant_entry_v1 *e;

    CHECK_EQ(up(), 0);
    for (unsigned int i = 0; i < GNTTAB_REF_COUNT; i++) {
        refs[i] = gnttab_grant(0, 0x1234 + i, i & 1);
        CHECK(refs[i] >= 8 && refs[i] < 512);
    }
    CHECK_EQ(gnttab_grant(0, 1, 0), -XEN_ENOSPC);
    CHECK_EQ(gnttab_live(), GNTTAB_REF_COUNT);
    e = &sim.gnttab[refs[3]];
    CHECK_EQ(e->frame, 0x1234 + 3);
    CHECK_EQ(e->flags, GTF_permit_access | GTF_readonly);
    e->flags |= GTF_reading;                    /* backend has it mapped */
    CHECK_EQ(gnttab_end(refs[3]), -XEN_EBUSY);
    CHECK_EQ(e->flags & GTF_permit_access, GTF_permit_access);
    e->flags &= ~GTF_reading;
    CHECK_EQ(gnttab_end(refs[3]), 0);
    CHECK_EQ(e->flags, 0);
    CHECK_EQ(gnttab_end(refs[3]), -XEN_EINVAL);   /* not ours any more */
    CHECK_EQ(gnttab_end(5), -XEN_EINVAL);         /* never ours */
    CHECK_EQ(gnttab_teardown(), 0);
    CHECK_EQ(gnttab_live(), 0);
    xen_teardown();
}

/* ---- xenstore -------------------------------------------------------- */

static void test_xenstore_basic(void)
{
    char b[64];

    CHECK_EQ(up(), 0);
    CHECK_EQ(xenstore_write("data/x", "hello"), 0);
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), 5);
    CHECK(!strcmp(b, "hello"));
    CHECK_EQ(xenstore_read("/local/domain/7/data/x", b, sizeof(b)), 5);
    CHECK_EQ(xenstore_write("data/y", "1"), 0);
    CHECK_EQ(xenstore_directory("data", b, sizeof(b)), 4);
    CHECK(!memcmp(b, "x\0y\0", 4));
    CHECK_EQ(xenstore_rm("data/x"), 0);
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), -XEN_ENOENT);
    CHECK(xenstore_quiescent() && sim_xs_ring_quiescent());
    xen_teardown();
}

static void test_xenstore_error_reply(void)
{
    char b[64];

    CHECK_EQ(up(), 0);
    sim_xs_set("data/x", "v");
    sim.xs_fault = XSF_ERROR;
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), -XEN_EACCES);
    CHECK(sim_xs_ring_quiescent());
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), 1);
    xen_teardown();
}

static void test_xenstore_oversize_reply(void)
{
    char b[64];

    CHECK_EQ(up(), 0);
    sim_xs_set("data/x", "v");
    memset(b, 0x55, sizeof(b));
    sim.xs_fault = XSF_OVERSIZE;                /* 3000 bytes, 3 ringfuls */
    CHECK_EQ(xenstore_read("data/x", b, 16), -XEN_E2BIG);
    CHECK_EQ((uint8_t)b[16], 0x55);             /* nothing past the buffer */
    CHECK(sim_xs_ring_quiescent());
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), 1);
    CHECK(sim_xs_ring_quiescent());
    xen_teardown();
}

static void test_xenstore_garbled_reply(void)
{
    char b[64];

    CHECK_EQ(up(), 0);
    sim_xs_set("data/x", "v");
    sim.xs_fault = XSF_GARBLED;
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), -XEN_EIO);
    CHECK(sim_xs_ring_quiescent());
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), 1);
    xen_teardown();
}

static void test_xenstore_stray_replies(void)
{
    char b[64];

    CHECK_EQ(up(), 0);
    sim_xs_set("data/x", "v");
    sim.xs_fault = XSF_STRAY;       /* a watch event and a wrong req_id */
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), 1);
    CHECK(!strcmp(b, "v"));
    CHECK(sim_xs_ring_quiescent());
    xen_teardown();
}

/* Found by fuzz_xenstore: a reply with bytes after it.  The trailing bytes
 * must not be taken for the next request's reply. */
static void test_xenstore_trailing_garbage(void)
{
    uint8_t raw[sizeof(struct xsd_sockmsg) + 6] = { 0 };
    char b[64];

    CHECK_EQ(up(), 0);
    sim_xs_raw_reply(raw, sizeof(raw), 1);     /* empty reply + 6 junk bytes */
    CHECK_EQ(xenstore_write("data/x", "1"), 0);
    sim_xs_set("data/y", "v");
    CHECK_EQ(xenstore_read("data/y", b, sizeof(b)), 1);
    CHECK(!strcmp(b, "v"));
    CHECK(sim_xs_ring_quiescent());
    xen_teardown();
}

static void test_xenstore_timeout(void)
{
    char b[64];
    uint64_t t0;

    CHECK_EQ(up(), 0);
    sim.xs_fault = XSF_SILENT;
    t0 = xen_time_ns();
    CHECK_EQ(xenstore_read("data/x", b, sizeof(b)), -XEN_ETIMEDOUT);
    CHECK(xen_time_ns() - t0 < (XENSTORE_TIMEOUT_MS + 100) * 1000000ull);
    xen_teardown();
}

/* ---- blkfront -------------------------------------------------------- */

static void test_probe(void)
{
    struct sim_vbd *cd;

    CHECK_EQ(up(), 0);
    CHECK_EQ(blkfront_probe(vbds, BLKFRONT_MAX_VBD), 0);   /* no device/vbd */
    sim_add_vbd(768, 1000, XenbusStateInitWait);
    cd = sim_add_vbd(5632, 100, XenbusStateInitWait);
    sim_xs_set("device/vbd/5632/device-type", "cdrom");
    cd->cdrom = 1;
    sim_add_vbd(51728, 100, XenbusStateInitWait);
    CHECK_EQ(blkfront_probe(vbds, BLKFRONT_MAX_VBD), 3);
    CHECK_EQ(vbds[0].vdev, 768);
    CHECK(!strcmp(vbds[0].node, "device/vbd/768"));
    CHECK(!strcmp(vbds[0].backend, "/local/domain/0/backend/vbd/7/768"));
    CHECK_EQ(vbds[0].backend_id, 0);
    CHECK(!vbds[0].cdrom);
    CHECK_EQ(vbds[1].vdev, 5632);
    CHECK(vbds[1].cdrom);               /* the CD-ROM, marked as one */
    CHECK_EQ(vbds[2].vdev, 51728);
    CHECK_EQ(vbds[2].index, 2);
    CHECK(!vbds[2].cdrom);
    CHECK_EQ(blkfront_probe(vbds, 1), 1);
    xen_teardown();
}

static void test_handshake(void)
{
    struct sim_vbd *b = up_connected();
    char p[16];

    CHECK(b);
    CHECK_EQ(b->state, XenbusStateConnected);
    CHECK_EQ(sim_front_state(768), XenbusStateConnected);
    CHECK(!strcmp(sim_xs_get("device/vbd/768/protocol"), "x86_32-abi"));
    snprintf(p, sizeof(p), "%u", vbds[0].ring_ref);
    CHECK(!strcmp(sim_xs_get("device/vbd/768/ring-ref"), p));
    CHECK_EQ(b->port, vbds[0].port);
    CHECK_EQ(sim.ports[b->port].remote, 0);
    CHECK(!has_key(768, "feature-persistent"));
    CHECK_EQ(vbds[0].sectors, 1000);
    CHECK_EQ(vbds[0].sector_size, 512);
    CHECK_EQ(vbds[0].readonly, 0);
    CHECK_EQ(vbds[0].flush, 1);
    CHECK_EQ(gnttab_live(), 1);                 /* the ring */
    CHECK(sim_xs_ring_quiescent());
    CHECK_EQ(blkfront_connect(&vbds[0]), 0);    /* no-op when connected */
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

static void test_multisegment_read(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    memset(buf, 0, sizeof(buf));
    /* 120 sectors from LBA 7 into an odd address: 88 + 32, two requests */
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 7, 120, buf + 1), 0);
    CHECK(!memcmp(buf + 1, b->disk + 7 * 512, 120 * 512));
    CHECK_EQ(b->requests, 2);
    CHECK_EQ(b->max_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
    CHECK_EQ(gnttab_live(), 1);                 /* data grants revoked */
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 999, 1, buf), 0);   /* the last one */
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

static void test_multisegment_write(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    for (unsigned int i = 0; i < 100 * 512; i++)
        ref[i] = (uint8_t)(i * 13 + 1);
    memcpy(buf + 3, ref, 100 * 512);
    CHECK_EQ(blkfront_rw(&vbds[0], 1, 200, 100, buf + 3), 0);
    CHECK(!memcmp(b->disk + 200 * 512, ref, 100 * 512));
    CHECK_EQ(b->max_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
    CHECK_EQ(b->last_write_ro, 1);              /* write grants read-only */
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 200, 100, buf), 0);
    CHECK(!memcmp(buf, ref, 100 * 512));
    CHECK_EQ(blkfront_flush(&vbds[0]), 0);
    CHECK_EQ(b->flushes, 1);
    CHECK_EQ(gnttab_live(), 1);
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

static void test_rw_checks(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 999, 2, buf), -XEN_EINVAL);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 1001, 0, buf), -XEN_EINVAL);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, ~0ull, 2, buf), -XEN_EINVAL);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 0, buf), 0);
    CHECK_EQ(b->requests, 0);
    blkfront_disconnect(&vbds[0]);
    xen_teardown();

    /* read-only, 4 KiB sectors, no flush */
    CHECK_EQ(up(), 0);
    b = sim_add_vbd(832, 1024, XenbusStateInitWait);
    b->readonly = 1;
    b->sector_size = 4096;
    b->flush = 0;
    CHECK_EQ(blkfront_probe(vbds, BLKFRONT_MAX_VBD), 1);
    /* rw connects lazily */
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 8, 16, buf), 0);
    CHECK(!memcmp(buf, b->disk + 8 * 512, 16 * 512));
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 4, 8, buf), -XEN_EINVAL);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 8, 4, buf), -XEN_EINVAL);
    CHECK_EQ(blkfront_rw(&vbds[0], 1, 8, 8, buf), -XEN_EROFS);
    CHECK_EQ(blkfront_flush(&vbds[0]), 0);
    CHECK_EQ(b->flushes, 0);
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(832, b));
    xen_teardown();
}

static void test_backend_error_status(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    b->fault = BKF_STATUS_ERROR;
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 16, buf), -XEN_EIO);
    CHECK_EQ(gnttab_live(), 1);
    CHECK(!vbds[0].broken);         /* an I/O error, not a protocol one */
    b->fault = BKF_NONE;
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 16, buf), 0);
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

static void test_backend_never_connects(void)
{
    struct sim_vbd *b;
    uint64_t t0;

    CHECK_EQ(up(), 0);
    b = sim_add_vbd(768, 1000, XenbusStateInitWait);
    b->fault = BKF_NEVER_CONNECT;
    CHECK_EQ(blkfront_probe(vbds, BLKFRONT_MAX_VBD), 1);
    t0 = xen_time_ns();
    CHECK_EQ(blkfront_connect(&vbds[0]), -XEN_ETIMEDOUT);
    /* the connect wait, then at most the three teardown waits */
    CHECK(xen_time_ns() - t0 <= 4 * (BLKFRONT_STATE_TIMEOUT_MS + 100) * 1000000ull);
    CHECK(!vbds[0].connected);
    CHECK_EQ(gnttab_live(), 0);
    CHECK_EQ(sim_front_state(768), XenbusStateInitialising);
    CHECK(!has_key(768, "ring-ref") && !has_key(768, "event-channel") &&
          !has_key(768, "protocol"));
    CHECK_EQ(sim_open_ports(), 1);
    CHECK(sim_xs_ring_quiescent());
    xen_teardown();
}

static void test_backend_closes_midrequest(void)
{
    struct sim_vbd *b = up_connected();
    uint64_t t0;

    CHECK(b);
    b->fault = BKF_CLOSE_MIDREQ;
    t0 = xen_time_ns();
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_ENODEV);
    CHECK(xen_time_ns() - t0 <= (BLKFRONT_IO_SLICE_MS + 200) * 1000000ull);
    CHECK_EQ(gnttab_live(), 1);     /* data grant was never mapped: revoked */
    CHECK(vbds[0].broken);
    /* the next call sees the backend Closing and closes our side too */
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_ENODEV);
    CHECK(!vbds[0].connected);
    b->fault = BKF_NONE;
    CHECK(clean_end_state(768, b));
    /* and it can be used again */
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), 0);
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

static void test_wrong_response_id(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    b->fault = BKF_WRONG_ID;
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_EIO);
    CHECK(vbds[0].broken);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_EIO);
    CHECK_EQ(b->requests, 1);       /* no second request to a broken ring */
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

static void test_response_flood(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    b->fault = BKF_RSP_FLOOD;
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_EIO);
    CHECK(vbds[0].broken);
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

/* A stalled backend keeps some bounce pages mapped: requests go on through
 * the others (for every vbd) until none is left. */
static void test_backend_holds_grants(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    b->fault = BKF_HOLD_GRANT;
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 16, buf), 0);
    CHECK_EQ(gnttab_live(), 3);     /* ring + 2 pages the backend kept */
    /* the other pages go on serving, then none is left */
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 16, (BLKFRONT_PAGES - 2) * 8, buf), 0);
    CHECK(!memcmp(buf, b->disk + 16 * 512, (BLKFRONT_PAGES - 2) * 8 * 512));
    CHECK_EQ(gnttab_live(), 1 + BLKFRONT_PAGES);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_EBUSY);
    blkfront_disconnect(&vbds[0]);  /* backend unmaps at Closed */
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

/* A vbd removed under us: the request fails with "no device", and neither
 * the teardown nor a reconnect attempt re-creates the frontend's node. */
static void test_backend_removed(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    sim_remove_vbd(b);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_ENODEV);
    blkfront_disconnect(&vbds[0]);
    CHECK(!sim_xs_exists("device/vbd/768"));
    CHECK_EQ(blkfront_connect(&vbds[0]), -XEN_ENODEV);
    CHECK(!sim_xs_exists("device/vbd/768"));
    CHECK_EQ(gnttab_live(), 0);
    xen_teardown();
}

/* xl block-detach while connected: we notice within BLKFRONT_CHECK_MS,
 * close, leave the frontend Closed for the toolstack to delete, and never
 * connect it again. */
static void test_toolstack_detach(void)
{
    struct sim_vbd *b = up_connected();

    CHECK(b);
    sim_detach_vbd(b);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), 0);   /* not looked yet */
    sim.now += (BLKFRONT_CHECK_MS + 1) * 1000000ull;
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_ENODEV);
    CHECK(!vbds[0].connected);
    CHECK_EQ(sim_front_state(768), XenbusStateClosed);
    CHECK_EQ(b->state, XenbusStateClosed);
    CHECK(!has_key(768, "ring-ref"));
    CHECK_EQ(gnttab_live(), 0);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), -XEN_ENODEV);
    CHECK_EQ(sim_front_state(768), XenbusStateClosed);  /* no new attempt */
    xen_teardown();
}

static void test_reset_stale_backend(void)
{
    struct sim_vbd *b;

    CHECK_EQ(up(), 0);
    /* an earlier user left the backend Connected */
    b = sim_add_vbd(768, 1000, XenbusStateConnected);
    sim_xs_set("device/vbd/768/state", "4");
    CHECK_EQ(blkfront_probe(vbds, BLKFRONT_MAX_VBD), 1);
    CHECK_EQ(blkfront_connect(&vbds[0]), 0);
    CHECK_EQ(b->state, XenbusStateConnected);
    CHECK_EQ(blkfront_rw(&vbds[0], 0, 0, 8, buf), 0);
    blkfront_disconnect(&vbds[0]);
    CHECK(clean_end_state(768, b));
    xen_teardown();
}

static void test_teardown_state(void)
{
    struct sim_vbd *b = up_connected();
    grant_ref_t ring;

    CHECK(b);
    ring = vbds[0].ring_ref;
    CHECK_EQ(blkfront_rw(&vbds[0], 1, 0, 8, buf), 0);
    blkfront_disconnect(&vbds[0]);
    CHECK_EQ(gnttab_live(), 0);
    CHECK_EQ(sim.gnttab[ring].flags, 0);
    CHECK_EQ(sim_front_state(768), XenbusStateInitialising);
    CHECK_EQ(b->state, XenbusStateInitWait);
    CHECK(!has_key(768, "ring-ref"));
    CHECK(!has_key(768, "event-channel"));
    CHECK(!has_key(768, "protocol"));
    CHECK(has_key(768, "backend"));
    CHECK_EQ(sim_open_ports(), 1);
    CHECK(sim_xs_ring_quiescent());
    blkfront_disconnect(&vbds[0]);  /* idempotent */
    xen_teardown();
    CHECK_EQ(sim.shinfo_gfn, 0);
    CHECK_EQ(sim.gnttab_gfn, 0);
}

/* ---- selftest -------------------------------------------------------- */

static void test_crc32(void)
{
    CHECK_EQ(selftest_crc32(0, "123456789", 9), 0xcbf43926u);
    CHECK_EQ(selftest_crc32(selftest_crc32(0, "1234", 4), "56789", 5),
             0xcbf43926u);
    CHECK_EQ(selftest_crc32(0, "", 0), 0);
}

static void test_selftest_run(void)
{
    struct sim_vbd *a, *s;
    char want[128];
    uint8_t pat[512];
    uint32_t crc_s;

    CHECK_EQ(up(), 0);
    a = sim_add_vbd(768, 2048, XenbusStateInitWait);
    s = sim_add_vbd(832, 40, XenbusStateInitWait);
    memcpy(s->disk, "XENPVBOOT-SCRATCH", 17);
    crc_s = selftest_crc32(0, s->disk, 40 * 512);     /* before the write */
    selftest_run();
    snprintf(want, sizeof(want), "xenpvboot: vbd 768 /local/domain/0/backend/"
             "vbd/7/768 sectors=2048 sector-size=512 ro=0\n");
    CHECK(strstr(log_capture, want));
    snprintf(want, sizeof(want), "xenpvboot: selftest vbd 768 read sectors "
             "0..63 crc32=%08x\n", selftest_crc32(0, a->disk, 64 * 512));
    CHECK(strstr(log_capture, want));
    snprintf(want, sizeof(want), "xenpvboot: selftest vbd 832 read sectors "
             "0..39 crc32=%08x\n", crc_s);
    CHECK(strstr(log_capture, want));
    CHECK(strstr(log_capture, "xenpvboot: selftest vbd 832 write lba 1 ok\n"));
    CHECK(!strstr(log_capture, "selftest vbd 768 write"));
    selftest_pattern(pat, 1);
    CHECK(!memcmp(s->disk + 512, pat, 512));
    CHECK(!memcmp(pat, "XENPVBOOT-WRITE-TEST\x01\0\0\0\0\0\0\0", 28));
    CHECK(strstr(log_capture, "xenpvboot: selftest teardown live-grants=0\n"));
    CHECK(clean_end_state(768, a) && clean_end_state(832, s));
    xen_teardown();
}

/* ---- geometry -------------------------------------------------------- */

/* An MBR with one partition from @start for @count sectors, its CHS fields
 * computed for @heads x @spt. */
static void mbr_with_partition(uint8_t *mbr, uint32_t start, uint32_t count,
                               uint32_t heads, uint32_t spt)
{
    uint8_t *p = mbr + 446;
    uint32_t ends[2] = { start, start + count - 1 }, c, h, s, lba;
    int i;

    memset(mbr, 0, 512);
    for (i = 0; i < 2; i++) {
        lba = ends[i];
        c = lba / (heads * spt);
        h = (lba / spt) % heads;
        s = lba % spt + 1;
        if (c > 1023)
            c = 1023, h = heads - 1, s = spt;
        p[1 + 4 * i] = h;
        p[2 + 4 * i] = s | (c >> 2 & 0xc0);
        p[3 + 4 * i] = c & 0xff;
    }
    p[4] = 0x83;
    memcpy(p + 8, &start, 4);
    memcpy(p + 12, &count, 4);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
}

static void test_geometry_lba_assist(void)
{
    struct chs g;

    geometry_choose(&g, NULL, 64 * 2048);          /* 64 MiB */
    CHECK_EQ(g.heads, 16);
    CHECK_EQ(g.sectors, 63);
    CHECK_EQ(g.cylinders, 64 * 2048 / (16 * 63));
    geometry_choose(&g, NULL, 2000 * 2048);        /* 2000 MiB: 64 heads */
    CHECK_EQ(g.heads, 64);
    geometry_choose(&g, NULL, 100ull << 21);       /* 100 GiB: capped */
    CHECK_EQ(g.heads, 255);
    CHECK_EQ(g.cylinders, 1024);
    geometry_choose(&g, NULL, 10);                 /* tiny: at least 1 cylinder */
    CHECK_EQ(g.cylinders, 1);
}

static void test_geometry_from_mbr(void)
{
    uint8_t mbr[512];
    struct chs g;

    mbr_with_partition(mbr, 63, 200000, 255, 63);  /* classic DOS layout */
    geometry_choose(&g, mbr, 204800);
    CHECK_EQ(g.heads, 255);
    CHECK_EQ(g.sectors, 63);
    CHECK_EQ(g.cylinders, 204800 / (255 * 63));
    mbr_with_partition(mbr, 2048, 100000, 32, 32); /* 32/32 geometry */
    geometry_choose(&g, mbr, 204800);
    CHECK_EQ(g.heads, 32);
    CHECK_EQ(g.sectors, 32);
}

static void test_geometry_rejects_inconsistent_mbr(void)
{
    uint8_t mbr[512];
    struct chs g;

    mbr_with_partition(mbr, 2048, 100000, 255, 63);
    memcpy(mbr + 446 + 8, &(uint32_t){ 4096 }, 4);  /* LBA no longer matches */
    geometry_choose(&g, mbr, 204800);
    CHECK_EQ(g.heads, 16);                         /* fell back to LBA assist */
    mbr_with_partition(mbr, 2048, 100000, 255, 63);
    mbr[511] = 0;                                  /* no signature */
    geometry_choose(&g, mbr, 204800);
    CHECK_EQ(g.heads, 16);
}

/* ---- runner ---------------------------------------------------------- */

#define T(f) { #f, f }
static const struct test tests[] = {
    T(test_init_teardown),
    T(test_init_rejects),
    T(test_time_and_poll_timeout),
    T(test_grant_alloc_revoke),
    T(test_xenstore_basic),
    T(test_xenstore_error_reply),
    T(test_xenstore_oversize_reply),
    T(test_xenstore_garbled_reply),
    T(test_xenstore_stray_replies),
    T(test_xenstore_trailing_garbage),
    T(test_xenstore_timeout),
    T(test_probe),
    T(test_handshake),
    T(test_multisegment_read),
    T(test_multisegment_write),
    T(test_rw_checks),
    T(test_backend_error_status),
    T(test_backend_never_connects),
    T(test_backend_closes_midrequest),
    T(test_wrong_response_id),
    T(test_response_flood),
    T(test_backend_holds_grants),
    T(test_backend_removed),
    T(test_toolstack_detach),
    T(test_reset_stale_backend),
    T(test_teardown_state),
    T(test_crc32),
    T(test_selftest_run),
    T(test_geometry_lba_assist),
    T(test_geometry_from_mbr),
    T(test_geometry_rejects_inconsistent_mbr),
};

static void run(const struct test *t, unsigned int *passed, unsigned int *failed)
{
    test_failed_now = 0;
    t->fn();
    if (!test_failed_now && xen_is_up()) {
        printf("    left Xen up\n");
        test_failed_now = 1;
    }
    if (xen_is_up()) {          /* contain the damage */
        gnttab_teardown();
        xen_teardown();
    }
    printf("%s %s\n", test_failed_now ? "FAIL" : "ok  ", t->name);
    if (test_failed_now)
        (*failed)++;
    else
        (*passed)++;
}

int main(int argc, char **argv)
{
    const struct { const struct test *t; unsigned int n; } tables[] = {
        { tests, sizeof(tests) / sizeof(tests[0]) },
        { reliability_tests, reliability_tests_count },
        { batch_tests, batch_tests_count },
        { readahead_tests, readahead_tests_count },
        { bcv_tests, bcv_tests_count },
        { cdrom_tests, cdrom_tests_count },
        { pnp_tests, pnp_tests_count },
        /* last: its final test is a takeover, which lasts (quiesce.c) */
        { int13_tests, int13_tests_count },
        { string_tests, string_tests_count },
        { dap_tests, dap_tests_count },
        { format_tests, format_tests_count },
        { geometry_tests, geometry_tests_count },
        { takeover_signal_tests, takeover_signal_tests_count },
    };
    unsigned int passed = 0, failed = 0;

    for (size_t k = 0; k < sizeof(tables) / sizeof(tables[0]); k++)
        for (size_t i = 0; i < tables[k].n; i++)
            if (argc <= 1 || strstr(tables[k].t[i].name, argv[1]))
                run(&tables[k].t[i], &passed, &failed);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
