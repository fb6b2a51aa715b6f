/* Read-ahead (rom/block/blkfront.c "read-ahead", issue 14 items 1, 4, 5):
 * a sequential stream is read ahead in one batch per window half, served
 * from the cache only when all of it is there, and every rule that keeps
 * the handover clean -- grants live between calls only on the cache's
 * pages and only while a batch is in flight; writes, flushes, resets,
 * calls for another drive, quiesce points drain first; after a takeover
 * nothing is touched -- against the simulated backend's faults. */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "test_disk.h"
#include "sim.h"
#include "block/blkfront.h"
#include "bios/disk.h"
#include "bios/quiesce.h"
#include "bios/rommem.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"

#define MS 1000000ull
#define CALL 32u                /* sectors per call: GRUB's 16 KiB */
#define BATCH_SECT (BLKFRONT_RA_BATCH * 8u)

static struct vbd v[BLKFRONT_MAX_VBD];
static struct sim_vbd *b[SIM_MAX_VBD];
static uint8_t buf[256 * 512];
/* the cache, as init gives it from the PMM tail (rom/bios/rommem.c) */
static uint8_t ra_mem[BLKFRONT_RA_MEM] __attribute__((aligned(4096)));

/* @n vbds (768, 832), connected, in the drive table, read-ahead on; the
 * backends offer @indirect segments per indirect request (0: qdisk). */
static int up(unsigned int n, unsigned int indirect)
{
    blkfront_abandon(&v[0]);            /* whatever a failed test left */
    xen_abandon();
    if (td_connect_vbds(v, b, n, indirect))
        return -1;
    for (unsigned int i = 0; i < n; i++) {
        memset(&bdisks[i], 0, sizeof(bdisks[i]));
        bdisks[i].vbd = &v[i];
        bdisks[i].drive = (uint8_t)(0x80 + i);
        disk_set_format(&bdisks[i], &v[i]);
    }
    nr_bdisks = (int)n;
    blkfront_ra_enable(ra_mem);
    return 0;
}

static void down(void)
{
    pv_down();
    blkfront_ra_enable(NULL);
    nr_bdisks = 0;
}

/* A read of @count at @sector of vbd @i that must return the disk's bytes. */
static int read_ok(unsigned int i, uint64_t sector, uint32_t count)
{
    memset(buf, 0xee, count * 512);
    return blkfront_rw(&v[i], 0, sector, count, buf) == 0 &&
           !memcmp(buf, b[i]->disk + sector * 512, count * 512);
}

/* Two sequential reads at @at: the second starts the stream's batch. */
static int stream_start(uint64_t at)
{
    return read_ok(0, at, CALL) && read_ok(0, at + CALL, CALL) &&
           blkfront_ra_in_flight() == &v[0];
}

/* ---- item 1: the stream ------------------------------------------------ */

/* qdisk (11 segments, no indirect): the second read of a stream pushes one
 * batch of BLKFRONT_RA_BATCH pages as 3 requests with one notify; its
 * grants (the cache's pages, writable) are the only ones besides the ring
 * when the call returns; with the backend given time between calls, the
 * next reads are served from the cache with no request, each the disk's
 * bytes, and the batch answered with one event. */
static void test_ra_stream_served_from_cache(void)
{
    unsigned int reqs, kicks;

    CHECK_EQ(up(1, 0), 0);
    CHECK(read_ok(0, 100, CALL));
    CHECK(!blkfront_ra_in_flight());    /* one read is not a stream */
    kicks = b[0]->kicks;
    CHECK(read_ok(0, 132, CALL));
    CHECK(blkfront_ra_in_flight() == &v[0]);
    CHECK_EQ(b[0]->kicks - kicks, 2);   /* the call's batch, then read-ahead's */
    CHECK_EQ(blkfront_ra_grants(), BLKFRONT_RA_BATCH);
    CHECK_EQ(gnttab_live(), 1 + BLKFRONT_RA_BATCH);
    CHECK_EQ(disk_data_grants_live(), 0);
    for (int i = 0; i < 8; i++)
        sim_step();                     /* the loader works; the backend too */
    reqs = b[0]->requests;
    CHECK_EQ(reqs, 2 + 3);
    for (uint64_t s = 164; s < 160 + BATCH_SECT - CALL; s += CALL) {
        unsigned int polls = sim.polls;

        CHECK(read_ok(0, s, CALL));
        CHECK_EQ(sim.polls, polls);     /* no wait: the data was there */
        sim_step();
    }
    CHECK(b[0]->requests > reqs);       /* the next batch went out meanwhile */
    CHECK(!v[0].broken);
    down();
    CHECK_EQ(gnttab_live(), 0);
}

/* One event per batch: the backend pushes each answer on its own, and
 * rsp_event names the batch's last. */
static void test_ra_one_event_per_batch(void)
{
    CHECK_EQ(up(1, 0), 0);
    b[0]->slow = 1;
    CHECK(stream_start(0));
    b[0]->events = 0;
    for (int i = 0; i < 8; i++)
        sim_step();
    CHECK_EQ(b[0]->events, 1);
    down();
}

/* blkback (256 indirect segments): a batch is one indirect request of
 * BLKFRONT_RA_BATCH segments, its list granted read-only. */
static void test_ra_indirect_one_request(void)
{
    unsigned int reqs;

    CHECK_EQ(up(1, 256), 0);
    CHECK_EQ(v[0].ra_indirect, BLKFRONT_RA_BATCH);
    CHECK(read_ok(0, 0, CALL));
    reqs = b[0]->requests;
    CHECK(read_ok(0, CALL, CALL));
    CHECK_EQ(blkfront_ra_grants(), BLKFRONT_RA_BATCH + 1);
    sim_step();
    CHECK_EQ(b[0]->requests - reqs, 2);
    CHECK_EQ(b[0]->max_segs, BLKFRONT_RA_BATCH);
    CHECK(b[0]->indirect_ro);
    for (uint64_t s = 2 * CALL; s < BATCH_SECT; s += CALL)
        CHECK(read_ok(0, s, CALL));
    down();
    CHECK_EQ(gnttab_live(), 0);
}

/* The next read comes before the backend answered: it waits for the batch
 * and is served from it. */
static void test_ra_waits_for_batch(void)
{
    unsigned int reqs;

    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(0));
    reqs = b[0]->requests;
    CHECK(read_ok(0, 2 * CALL, CALL));
    CHECK_EQ(b[0]->requests, reqs + 3);  /* the batch, nothing of its own */
    down();
}

/* Out-of-order answers land in the right pages. */
static void test_ra_out_of_order(void)
{
    CHECK_EQ(up(1, 0), 0);
    b[0]->reverse = 1;
    CHECK(stream_start(40));
    for (uint64_t s = 40 + 2 * CALL; s < 40 + 2 * CALL + BATCH_SECT; s += CALL)
        CHECK(read_ok(0, s, CALL));
    CHECK(!v[0].broken);
    down();
}

/* Small reads elsewhere (metadata) between a file's reads do not end the
 * stream, and are right themselves. */
static void test_ra_small_reads_elsewhere_keep_stream(void)
{
    unsigned int reqs;

    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(200));
    sim_step();
    CHECK(read_ok(0, 3, 1));
    CHECK(read_ok(0, 1500, 8));
    reqs = b[0]->requests;
    CHECK(read_ok(0, 264, CALL));
    CHECK(read_ok(0, 296, CALL));
    CHECK_EQ(b[0]->requests, reqs);      /* both from the cache */
    down();
}

/* Sector-by-sector reads (GRUB's diskboot loading core.img) away from the
 * stream become a stream of their own from their second read; the first
 * block's read (the BCV's) is such a stream's start too. */
static void test_ra_single_sector_stream(void)
{
    unsigned int polls;

    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(1000));
    sim_step();
    CHECK(read_ok(0, 1, 1));
    CHECK(read_ok(0, 2, 1));            /* the second: read ahead from here */
    CHECK(blkfront_ra_in_flight() == &v[0]);
    sim_step();
    polls = sim.polls;
    for (uint64_t s = 3; s < 60; s++)
        CHECK(read_ok(0, s, 1));
    CHECK_EQ(sim.polls, polls);         /* every one from the cache */
    CHECK(blkfront_ra_in_flight() == &v[0]);   /* and the next batch out */
    down();
}

/* A read partly in the cache reads all of it from the backend, right. */
static void test_ra_read_partly_in_cache(void)
{
    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(0));
    sim_step();
    /* the cache holds sectors 64..64+BATCH_SECT */
    CHECK(read_ok(0, 64 + BATCH_SECT - 16, 64));
    CHECK(read_ok(0, 60, 16));
    down();
}

/* The stream reaches the disk's end: the batch stops there, and the last
 * (partial) page serves right. */
static void test_ra_disk_end(void)
{
    uint64_t end = SIM_DISK_SECTORS;

    CHECK_EQ(up(1, 256), 0);
    CHECK(read_ok(0, end - 100, 8));
    CHECK(read_ok(0, end - 92, 8));
    sim_step();
    CHECK(read_ok(0, end - 84, 84));
    CHECK(!v[0].broken);
    down();
}

/* A loader's pattern over the whole disk: @per sectors a call, a small
 * metadata read elsewhere every 8th call, the backend given the time
 * between two calls to answer.  Returns how many of the stream's calls
 * needed no wait (no poll), or -1 on a wrong answer. */
static int loader_pattern(uint32_t per, unsigned int *calls)
{
    unsigned int nowait = 0, polls;
    uint64_t s;

    *calls = 0;
    for (s = 64; s + per <= SIM_DISK_SECTORS; s += per) {
        if (*calls % 8 == 7 && !read_ok(0, 2 + *calls % 50, 2))
            return -1;
        polls = sim.polls;
        if (!read_ok(0, s, per))
            return -1;
        nowait += sim.polls == polls;
        ++*calls;
        sim_step();
    }
    return (int)nowait;
}

/* GRUB's 16 KiB calls and SYSLINUX's 127 sectors, on qdisk (11 segments)
 * and blkback (indirect): after the stream's first two calls, nearly every
 * call finds its data in the cache and costs no round trip. */
static void test_ra_loader_patterns(void)
{
    static const uint32_t per[] = { 32, 127 };
    unsigned int calls;
    int nowait;

    for (unsigned int i = 0; i < 4; i++) {
        CHECK_EQ(up(1, i & 1 ? 256 : 0), 0);
        nowait = loader_pattern(per[i / 2], &calls);
        CHECK(nowait >= 0);
        printf("    %u sectors a call, %s: %d of %u calls without a wait\n",
               per[i / 2], i & 1 ? "indirect" : "11 segments", nowait, calls);
        CHECK((unsigned int)nowait * 10 >= calls * 8);
        down();
    }
}

/* ---- item 5: cache correctness against faults ------------------------- */

/* An error answer to a read-ahead request is told to no call: the reads of
 * the other requests' sectors come from the cache, and a read of its
 * sectors goes to the backend and succeeds. */
static void test_ra_error_not_reported(void)
{
    unsigned int reqs;

    CHECK_EQ(up(1, 0), 0);
    CHECK(read_ok(0, 0, CALL));
    CHECK(read_ok(0, CALL, CALL));
    /* the batch: sectors 64.. in requests of 88 sectors: fail the second */
    b[0]->fail_req = 2 + 2;
    sim_step();
    reqs = b[0]->requests;
    CHECK(read_ok(0, 64, 88));          /* request 1's: cached */
    CHECK_EQ(b[0]->requests, reqs);
    CHECK(strstr(log_capture, "left to a later read"));
    CHECK(read_ok(0, 152, 88));         /* request 2's: read again, fine */
    CHECK(b[0]->requests > reqs);
    CHECK(!v[0].broken);
    down();
    CHECK_EQ(gnttab_live(), 0);
}

/* A write over cached pages: the write drains the batch first, returns
 * with its data on the backend, and later reads return what was written. */
static void test_ra_write_invalidates(void)
{
    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(0));
    sim_step();
    for (unsigned int i = 0; i < 12 * 512; i++)
        buf[i] = (uint8_t)(i * 3 + 7);
    CHECK_EQ(blkfront_rw(&v[0], 1, 100, 12, buf), 0);
    CHECK(!memcmp(b[0]->disk + 100 * 512, buf, 12 * 512));
    CHECK(read_ok(0, 64, CALL));        /* from the cache, around it */
    CHECK(read_ok(0, 96, 24));
    CHECK(read_ok(0, 96, CALL));
    down();
}

/* A write while the batch is in flight waits for it: no read-ahead grant
 * is live when the write is pushed, nor when it returns. */
static void test_ra_write_drains_in_flight(void)
{
    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(0));
    memset(buf, 0x5c, 8 * 512);
    CHECK_EQ(blkfront_rw(&v[0], 1, 70, 8, buf), 0);
    CHECK(!blkfront_ra_in_flight());
    CHECK_EQ(blkfront_ra_grants(), 0);
    CHECK_EQ(gnttab_live(), 1);
    CHECK(read_ok(0, 64, CALL));
    down();
}

/* A flush and AH=00h reset drain it too. */
static void test_ra_flush_reset_drain(void)
{
    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(0));
    CHECK_EQ(blkfront_flush(&v[0]), 0);
    CHECK(!blkfront_ra_in_flight());
    CHECK(read_ok(0, 3 * CALL, CALL));
    CHECK(read_ok(0, 4 * CALL, CALL));
    CHECK(blkfront_ra_in_flight());
    *td_low(BDA_HDCOUNT) = 1;
    td_int13(0x0000, 0, 0x0080, 0, 0);  /* AH=00h reset of 80h */
    CHECK(!blkfront_ra_in_flight());
    CHECK_EQ(gnttab_live(), 1);
    down();
}

/* A backend that never answers the batch: the next read waits a batch's
 * timeout, no longer, fails, and the vbd is broken; its pages are revoked
 * (it never mapped them) and its late answers, after that, are taken for
 * no data: after the quiesce and a reconnect everything reads right. */
static void test_ra_never_answers_then_late(void)
{
    uint64_t t0;

    CHECK_EQ(up(1, 0), 0);
    CHECK(read_ok(0, 0, CALL));
    b[0]->stall_at = b[0]->requests + 2;  /* the batch after the next read */
    CHECK(read_ok(0, CALL, CALL));
    t0 = xen_time_ns();
    CHECK_EQ(blkfront_rw(&v[0], 0, 2 * CALL, CALL, buf), -XEN_ETIMEDOUT);
    CHECK(xen_time_ns() - t0 >= BLKFRONT_IO_TIMEOUT_MS * MS);
    CHECK(xen_time_ns() - t0 <= (BLKFRONT_IO_TIMEOUT_MS + 2 * BLKFRONT_IO_SLICE_MS) * MS);
    CHECK(v[0].broken);
    CHECK(!blkfront_ra_in_flight());
    CHECK_EQ(blkfront_ra_grants(), 0);
    CHECK_EQ(gnttab_live(), 1);
    sim_answer_stalled(b[0]);           /* late, into a drained batch */
    CHECK_EQ(blkfront_rw(&v[0], 0, 2 * CALL, CALL, buf), -XEN_EIO);  /* fast */
    CHECK(b[0]->bad_grants > 0);        /* it found nothing granted */
    down();
    CHECK_EQ(gnttab_live(), 0);
    CHECK_EQ(pv_up(), 0);
    CHECK(read_ok(0, 2 * CALL, CALL));
    down();
}

/* Responses that are not the batch's: a wrong id, a wrong operation, the
 * same request answered twice.  Each breaks the vbd; no page of the bad
 * answer is served; after a reconnect the data is right. */
static void ra_bad_answer(unsigned int *field)
{
    CHECK_EQ(up(1, 0), 0);
    CHECK(read_ok(0, 0, CALL));
    CHECK(read_ok(0, CALL, CALL));
    CHECK(b[0] == &sim.vbd[0]);         /* @field is one of its */
    *field = b[0]->requests + 1;        /* the batch's first request */
    sim_step();
    CHECK(blkfront_rw(&v[0], 0, 2 * CALL, CALL, buf) == -XEN_EIO);
    CHECK(v[0].broken);
    CHECK(strstr(log_capture, "read-ahead failed"));
    CHECK_EQ(disk_data_grants_live(), 0);
    *field = 0;
    down();
    CHECK_EQ(gnttab_live(), 0);
    CHECK_EQ(pv_up(), 0);
    CHECK(read_ok(0, 2 * CALL, CALL));
    down();
}

static void test_ra_wrong_id(void)
{
    ra_bad_answer(&sim.vbd[0].bad_id_req);
}

static void test_ra_wrong_op(void)
{
    ra_bad_answer(&sim.vbd[0].bad_op_req);
}

static void test_ra_answered_twice(void)
{
    ra_bad_answer(&sim.vbd[0].dup_req);
}

/* A backend keeping the batch's pages mapped: they are held, never served
 * nor granted again, and let go at the disconnect. */
static void test_ra_pages_kept_mapped(void)
{
    CHECK_EQ(up(1, 256), 0);
    CHECK(stream_start(0));
    b[0]->fault = BKF_HOLD_GRANT;
    sim_step();
    CHECK(blkfront_rw(&v[0], 0, 2 * CALL, CALL, buf) != 0 ||
          !memcmp(buf, b[0]->disk + 2 * CALL * 512, CALL * 512));
    CHECK(disk_data_grants_live() >= BLKFRONT_RA_BATCH);
    b[0]->fault = BKF_NONE;
    down();
    CHECK_EQ(gnttab_live(), 0);
}

/* The backend leaves Connected with the batch in flight (xl block-detach):
 * the next read fails at once, broken, nothing granted after the close. */
static void test_ra_backend_leaves(void)
{
    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(0));
    b[0]->fault = BKF_CLOSE_MIDREQ;
    sim_step();
    sim.now += BLKFRONT_CHECK_MS * MS;
    CHECK(blkfront_rw(&v[0], 0, 2 * CALL, CALL, buf) < 0);
    CHECK(!blkfront_ra_in_flight());
    b[0]->fault = BKF_NONE;
    down();
    CHECK_EQ(gnttab_live(), 0);
    CHECK(!b[0]->mapped);
}

/* ---- item 4: the handover rules ---------------------------------------- */

/* A call for another drive (ours, or one we pass on) drains first: the
 * other backend never sees a request while read-ahead is live. */
static void test_ra_other_drive_drains(void)
{
    CHECK_EQ(up(2, 0), 0);
    CHECK(stream_start(0));
    CHECK(read_ok(1, 0, 8));
    CHECK(!blkfront_ra_in_flight());
    CHECK_EQ(gnttab_live(), 2);         /* the two rings */
    CHECK(read_ok(0, 2 * CALL, CALL));  /* the drained batch serves it */
    CHECK(read_ok(0, 3 * CALL, CALL));
    CHECK(blkfront_ra_in_flight());
    *td_low(BDA_HDCOUNT) = 3;
    CHECK_EQ(td_int13(0x0800, 0, 0x0082, 0, 0), 0);  /* the BIOS's 82h */
    CHECK(!blkfront_ra_in_flight());
    CHECK_EQ(disk_data_grants_live(), 0);
    down();
}

/* A quiesce with the batch in flight: drained, then everything let go. */
static void test_ra_quiesce_drains(void)
{
    char p[64];

    CHECK_EQ(up(1, 256), 0);
    CHECK(stream_start(0));
    quiesce("E820");
    CHECK(!xen_is_up());
    CHECK(!blkfront_ra_in_flight());
    CHECK_EQ(gnttab_live(), 0);
    CHECK(!b[0]->mapped);
    CHECK_EQ(sim_front_state(768), XenbusStateInitialising);
    snprintf(p, sizeof(p), "device/vbd/%u/ring-ref", 768);
    CHECK(!sim_xs_exists(p));
    for (unsigned int i = 0; i < 512; i++)
        CHECK(!(sim.gnttab ? sim.gnttab[i].flags : 0));
    /* and the cache does not outlive the connection */
    CHECK_EQ(pv_up(), 0);
    b[0]->disk[2 * CALL * 512] ^= 0xff;  /* the toolstack changed the disk */
    CHECK(read_ok(0, 2 * CALL, CALL));
    down();
}

/* The OS took Xen over with the batch in flight: the tripwire forgets it
 * without a hypercall past its own reads, without xenstore, and leaves the
 * grant entries as they were (the OS's table now). */
static void ra_tripwire(void)
{
    struct stub_info stub;
    unsigned int xs, hc, live;
    uint16_t flags[512];

    memset(&stub, 0, sizeof(stub));
    CHECK_EQ(up(1, 0), 0);
    CHECK(stream_start(0));
    live = gnttab_live();
    CHECK(live > 1);
    for (unsigned int i = 0; i < 512; i++)
        flags[i] = sim.gnttab[i].flags;
    sim.callback_via = 1;
    xs = sim.xs_requests;
    hc = sim.hypercalls;
    CHECK(tripwire(&stub));
    CHECK_EQ(sim.xs_requests, xs);
    CHECK(sim.hypercalls - hc <= 2);    /* the signals' reads */
    CHECK(!blkfront_ra_in_flight());
    for (unsigned int i = 0; i < 512; i++)
        CHECK_EQ(sim.gnttab[i].flags, flags[i]);
    hc = sim.hypercalls;
    CHECK(tripwire(&stub));
    CHECK_EQ(sim.hypercalls, hc);
}

static void test_ra_tripwire(void)
{
    CHECK_EQ(td_test_in_child(ra_tripwire), 0);
}

/* A caller's buffer over the cache (any part of it) is refused before a
 * byte moves: the cache is the image's (bss, within __image_end in
 * rom/rom32.lds; here the test program stands for the image). */
static void test_ra_buffer_over_cache_refused(void)
{
    static const int32_t at[] = { 0, 4096 * 17, 4096 * BLKFRONT_RA_PAGES - 512,
                                  -8 * 512 + 1 };
    uint32_t cache;

    CHECK_EQ(td_setup(512, SIM_DISK_SECTORS), 0);
    rommem_set_rom(&(struct stub_info){ .rom_seg = 0 });
    blkfront_ra_enable(ra_mem);
    cache = virt_to_phys(blkfront_ra_cache());
    for (unsigned int i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        unsigned int reqs = td_backend->requests;

        td_dap(24, 8, 0xffff, 0xffff, 100, (uint64_t)(cache + at[i]));
        CHECK(td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0));
        CHECK(td_cf());
        CHECK_EQ(td_call.f.ah, 0x01);
        CHECK_EQ(td_dap_count(), 0);
        CHECK_EQ(td_backend->requests, reqs);
    }
    blkfront_ra_enable(NULL);
    td_done();
}

/* Off (the image in base memory: no PMM tail): no read-ahead, nothing
 * granted between calls. */
static void test_ra_off_without_pmm(void)
{
    CHECK_EQ(up(1, 0), 0);
    blkfront_ra_enable(NULL);
    for (uint64_t s = 0; s < 8 * CALL; s += CALL)
        CHECK(read_ok(0, s, CALL));
    CHECK(!blkfront_ra_in_flight());
    CHECK_EQ(gnttab_live(), 1);
    down();
}

const struct test readahead_tests[] = {
    { "test_ra_stream_served_from_cache", test_ra_stream_served_from_cache },
    { "test_ra_one_event_per_batch", test_ra_one_event_per_batch },
    { "test_ra_indirect_one_request", test_ra_indirect_one_request },
    { "test_ra_waits_for_batch", test_ra_waits_for_batch },
    { "test_ra_out_of_order", test_ra_out_of_order },
    { "test_ra_loader_patterns", test_ra_loader_patterns },
    { "test_ra_small_reads_elsewhere_keep_stream", test_ra_small_reads_elsewhere_keep_stream },
    { "test_ra_single_sector_stream", test_ra_single_sector_stream },
    { "test_ra_read_partly_in_cache", test_ra_read_partly_in_cache },
    { "test_ra_disk_end", test_ra_disk_end },
    { "test_ra_error_not_reported", test_ra_error_not_reported },
    { "test_ra_write_invalidates", test_ra_write_invalidates },
    { "test_ra_write_drains_in_flight", test_ra_write_drains_in_flight },
    { "test_ra_flush_reset_drain", test_ra_flush_reset_drain },
    { "test_ra_never_answers_then_late", test_ra_never_answers_then_late },
    { "test_ra_wrong_id", test_ra_wrong_id },
    { "test_ra_wrong_op", test_ra_wrong_op },
    { "test_ra_answered_twice", test_ra_answered_twice },
    { "test_ra_pages_kept_mapped", test_ra_pages_kept_mapped },
    { "test_ra_backend_leaves", test_ra_backend_leaves },
    { "test_ra_other_drive_drains", test_ra_other_drive_drains },
    { "test_ra_quiesce_drains", test_ra_quiesce_drains },
    { "test_ra_tripwire", test_ra_tripwire },
    { "test_ra_buffer_over_cache_refused", test_ra_buffer_over_cache_refused },
    { "test_ra_off_without_pmm", test_ra_off_without_pmm },
};
const unsigned int readahead_tests_count =
    sizeof(readahead_tests) / sizeof(readahead_tests[0]);
