/* Several requests per call (rom/block/blkfront.c blkfront_submit): one
 * batch pushed with one notify, one event back however the backend pushes
 * its responses, completions in any order, a request failing inside a
 * batch, responses that do not fit the batch; indirect requests where the
 * backend offers them. */
#include <string.h>

#include "test.h"
#include "sim.h"
#include "block/blkfront.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"

#define BAR ((uint32_t)(uintptr_t)sim_bar)
#define BAR_SIZE (SIM_BAR_PAGES * 4096u)
#define PER_REQ (BLKIF_MAX_SEGMENTS_PER_REQUEST * 8u)   /* sectors */

static struct vbd v[BLKFRONT_MAX_VBD];
static uint8_t buf[256 * 512];

/* One vbd (768), connected, its disk filled with a pattern; its backend
 * offers @indirect segments per indirect request (0: none, as qdisk). */
static struct sim_vbd *up_indirect(unsigned int indirect)
{
    struct sim_vbd *b;

    sim_reset();
    memset(v, 0, sizeof(v));
    if (xen_init(BAR, BAR_SIZE))
        return NULL;
    b = sim_add_vbd(768, SIM_DISK_SECTORS, XenbusStateInitWait);
    for (unsigned int i = 0; i < SIM_DISK_SECTORS * 512; i++)
        b->disk[i] = (uint8_t)(i * 7 + i / 512);
    b->max_indirect = indirect;
    if (blkfront_probe(v, BLKFRONT_MAX_VBD) != 1 || blkfront_connect(&v[0]))
        return NULL;
    return b;
}

static struct sim_vbd *up_one(void)
{
    return up_indirect(0);
}

static void down(void)
{
    blkfront_disconnect(&v[0]);
    xen_teardown();
}

/* A 127-sector read is two requests (11 + 5 segments) on the ring at once:
 * one notify from us, and one event back although the backend pushes each
 * response on its own (rsp_event names the last one). */
static void test_batch_one_notify_one_event(void)
{
    struct sim_vbd *b = up_one();
    unsigned int reqs;

    CHECK(b);
    reqs = b->requests;
    b->kicks = b->events = 0;
    CHECK_EQ(blkfront_rw(&v[0], 0, 100, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk + 100 * 512, 127 * 512));
    CHECK_EQ(b->requests - reqs, 2);
    CHECK_EQ(b->kicks, 1);
    CHECK_EQ(b->events, 1);
    CHECK_EQ(gnttab_live(), 1);         /* the ring: every data grant revoked */
    /* a backend that completes them one at a time still sends one event:
     * none for the first, which we find when we look again */
    b->slow = 1;
    b->kicks = b->events = 0;
    CHECK_EQ(blkfront_rw(&v[0], 0, 300, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk + 300 * 512, 127 * 512));
    CHECK_EQ(b->kicks, 1);
    CHECK_EQ(b->events, 1);
    down();
}

/* More sectors than the bounce pages hold: one batch per BLKFRONT_PAGES
 * pages, each one notify. */
static void test_batch_larger_than_pages(void)
{
    struct sim_vbd *b = up_one();
    uint32_t n = BLKFRONT_PAGES * 8 + 72;

    CHECK(b);
    b->kicks = 0;
    CHECK_EQ(blkfront_rw(&v[0], 0, 3, n, buf), 0);
    CHECK(!memcmp(buf, b->disk + 3 * 512, n * 512));
    CHECK_EQ(b->kicks, 2);
    CHECK_EQ(gnttab_live(), 1);
    down();
}

/* The backend answers a batch last request first: reads land in the right
 * place, and a write is all on the backend when the call returns. */
static void test_batch_out_of_order(void)
{
    struct sim_vbd *b = up_one();

    CHECK(b);
    b->reverse = 1;
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk, 127 * 512));
    for (unsigned int i = 0; i < 127 * 512; i++)
        buf[i] = (uint8_t)(i ^ 0x5a);
    CHECK_EQ(blkfront_rw(&v[0], 1, 500, 127, buf), 0);
    CHECK(!memcmp(b->disk + 500 * 512, buf, 127 * 512));
    CHECK(!v[0].broken);
    CHECK_EQ(gnttab_live(), 1);
    down();
}

/* One request of a batch fails: the call fails, but only once every other
 * request of the batch is answered and every grant revoked; the vbd is not
 * broken (the backend kept the protocol) and the next call works.  Either
 * position in the batch, either order of completion. */
static void test_batch_partial_failure(void)
{
    struct sim_vbd *b;

    for (unsigned int which = 1; which <= 2; which++)
        for (int rev = 0; rev <= 1; rev++) {
            b = up_one();
            CHECK(b);
            b->reverse = rev;
            /* requests are counted in the order the backend answers them */
            b->fail_req = b->requests + which;
            memset(buf, 0, sizeof(buf));
            CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), -XEN_EIO);
            CHECK_EQ(b->requests, b->fail_req + (which == 1));  /* both answered */
            CHECK(!v[0].broken);
            CHECK_EQ(gnttab_live(), 1);
            CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), 0);    /* retried: fine */
            CHECK(!memcmp(buf, b->disk, 127 * 512));
            down();
        }
}

/* Two responses carrying the same id of a 2-request batch: the second
 * cannot be ours, so the vbd is broken and the call fails (never a success
 * with the other request's sectors unread). */
static void test_batch_duplicate_response(void)
{
    struct sim_vbd *b = up_one();
    union blkif_sring_entry e[2];

    CHECK(b);
    memset(e, 0, sizeof(e));
    e[0].rsp.id = e[1].rsp.id = v[0].req_id + 1;
    e[0].rsp.operation = e[1].rsp.operation = BLKIF_OP_READ;
    b->fault = BKF_RAW;
    sim_bk_raw_responses((const uint8_t *)e, sizeof(e), 2);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), -XEN_EIO);
    CHECK(v[0].broken);
    b->fault = BKF_NONE;
    down();
    CHECK_EQ(gnttab_live(), 0);
}

/* A response naming an id just past the batch (the next call's) is not
 * taken for one of it. */
static void test_batch_foreign_id(void)
{
    struct sim_vbd *b = up_one();
    union blkif_sring_entry e[2];

    CHECK(b);
    memset(e, 0, sizeof(e));
    e[0].rsp.id = v[0].req_id + 1;
    e[1].rsp.id = v[0].req_id + 3;
    e[0].rsp.operation = e[1].rsp.operation = BLKIF_OP_READ;
    b->fault = BKF_RAW;
    sim_bk_raw_responses((const uint8_t *)e, sizeof(e), 2);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), -XEN_EIO);
    CHECK(v[0].broken);
    b->fault = BKF_NONE;
    down();
    CHECK_EQ(gnttab_live(), 0);
}


/* The backend answers the first request of a batch and never the second:
 * the call times out once, after BLKFRONT_IO_TIMEOUT_MS for the batch, and
 * the vbd is broken; the page the backend never answered for is revoked
 * (it does not map it) and nothing stays granted after the disconnect. */
static void test_batch_stalls_midway(void)
{
    struct sim_vbd *b = up_one();
    uint64_t t0;

    CHECK(b);
    b->stall_at = b->requests + 2;
    t0 = xen_time_ns();
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), -XEN_ETIMEDOUT);
    CHECK(xen_time_ns() - t0 >= BLKFRONT_IO_TIMEOUT_MS * 1000000ull);
    CHECK(xen_time_ns() - t0 <= (BLKFRONT_IO_TIMEOUT_MS + 2 * BLKFRONT_IO_SLICE_MS) * 1000000ull);
    CHECK(v[0].broken);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), -XEN_EIO);   /* until a reconnect */
    b->stall_at = 0;
    down();
    CHECK_EQ(gnttab_live(), 0);
}

/* ---- indirect descriptors ---------------------------------------------- */

/* Blkback offers 256 segments per indirect request (Linux 6.1): a
 * 127-sector read or write is one request of 16 segments, its segment list
 * granted read-only, every grant revoked when the call returns. */
static void test_indirect_one_request_per_call(void)
{
    struct sim_vbd *b = up_indirect(256);
    unsigned int reqs;

    CHECK(b);
    CHECK_EQ(v[0].indirect, BLKFRONT_PAGES);
    reqs = b->requests;
    CHECK_EQ(blkfront_rw(&v[0], 0, 40, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk + 40 * 512, 127 * 512));
    CHECK_EQ(b->requests - reqs, 1);
    CHECK_EQ(b->indirect_reqs, 1);
    CHECK_EQ(b->max_segs, 16);
    CHECK(b->indirect_ro);
    CHECK_EQ(gnttab_live(), 1);
    for (unsigned int i = 0; i < 127 * 512; i++)
        buf[i] = (uint8_t)(i * 13 + 1);
    CHECK_EQ(blkfront_rw(&v[0], 1, 900, 127, buf), 0);
    CHECK(!memcmp(b->disk + 900 * 512, buf, 127 * 512));
    CHECK(b->last_write_ro);            /* a write's pages: read-only */
    CHECK_EQ(b->indirect_reqs, 2);
    CHECK_EQ(gnttab_live(), 1);
    /* up to 11 pages a direct request is enough */
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 88, buf), 0);
    CHECK_EQ(b->indirect_reqs, 2);
    down();
}

/* A backend offering no more than a direct request carries gets direct
 * requests only. */
static void test_indirect_small_offer_unused(void)
{
    struct sim_vbd *b = up_indirect(BLKIF_MAX_SEGMENTS_PER_REQUEST);

    CHECK(b);
    CHECK_EQ(v[0].indirect, 0);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk, 127 * 512));
    CHECK_EQ(b->indirect_reqs, 0);
    down();
}

/* An offer of 12 segments: a 16-page batch does not fit one indirect
 * request, so it goes direct; 12 pages go as one indirect request. */
static void test_indirect_offer_bounds_use(void)
{
    struct sim_vbd *b = up_indirect(12);

    CHECK(b);
    CHECK_EQ(v[0].indirect, 12);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), 0);
    CHECK_EQ(b->indirect_reqs, 0);
    CHECK_EQ(blkfront_rw(&v[0], 0, 8, 96, buf), 0);
    CHECK(!memcmp(buf, b->disk + 8 * 512, 96 * 512));
    CHECK_EQ(b->indirect_reqs, 1);
    down();
}

/* A backend that keeps the pages of an indirect request mapped, its segment
 * list included: all held, counted, never reused; the next call finds no
 * page free; at Closed it lets go and everything is revoked. */
static void test_indirect_page_held(void)
{
    struct sim_vbd *b = up_indirect(256);

    CHECK(b);
    b->fault = BKF_HOLD_GRANT;
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk, 127 * 512));
    CHECK_EQ(gnttab_live(), 1 + 16 + 1);    /* ring, data, segment list */
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 8, buf), -XEN_EBUSY);
    b->fault = BKF_NONE;
    blkfront_disconnect(&v[0]);             /* backend unmaps at Closed */
    CHECK_EQ(gnttab_live(), 0);
    /* and it is used again */
    CHECK_EQ(blkfront_rw(&v[0], 0, 16, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk + 16 * 512, 127 * 512));
    CHECK_EQ(b->indirect_reqs, 2);
    down();
    CHECK_EQ(gnttab_live(), 0);
}

/* The indirect request fails by status: the call fails, nothing stays
 * granted, the next call works. */
static void test_indirect_error(void)
{
    struct sim_vbd *b = up_indirect(256);

    CHECK(b);
    b->fail_req = b->requests + 1;
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), -XEN_EIO);
    CHECK(!v[0].broken);
    CHECK_EQ(gnttab_live(), 1);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), 0);
    CHECK(!memcmp(buf, b->disk, 127 * 512));
    down();
}

/* A response to an indirect request naming another operation is not ours. */
static void test_indirect_wrong_op(void)
{
    struct sim_vbd *b = up_indirect(256);
    union blkif_sring_entry e;

    CHECK(b);
    memset(&e, 0, sizeof(e));
    e.rsp.id = v[0].req_id + 1;
    e.rsp.operation = BLKIF_OP_WRITE;
    b->fault = BKF_RAW;
    sim_bk_raw_responses((const uint8_t *)&e, sizeof(e), 1);
    CHECK_EQ(blkfront_rw(&v[0], 0, 0, 127, buf), -XEN_EIO);
    CHECK(v[0].broken);
    b->fault = BKF_NONE;
    down();
    CHECK_EQ(gnttab_live(), 0);
}

const struct test batch_tests[] = {
    { "test_batch_one_notify_one_event", test_batch_one_notify_one_event },
    { "test_batch_larger_than_pages", test_batch_larger_than_pages },
    { "test_batch_out_of_order", test_batch_out_of_order },
    { "test_batch_partial_failure", test_batch_partial_failure },
    { "test_batch_duplicate_response", test_batch_duplicate_response },
    { "test_batch_foreign_id", test_batch_foreign_id },
    { "test_batch_stalls_midway", test_batch_stalls_midway },
    { "test_indirect_one_request_per_call", test_indirect_one_request_per_call },
    { "test_indirect_small_offer_unused", test_indirect_small_offer_unused },
    { "test_indirect_offer_bounds_use", test_indirect_offer_bounds_use },
    { "test_indirect_page_held", test_indirect_page_held },
    { "test_indirect_error", test_indirect_error },
    { "test_indirect_wrong_op", test_indirect_wrong_op },
};
const unsigned int batch_tests_count = sizeof(batch_tests) / sizeof(batch_tests[0]);
