/* libFuzzer: block responses from a hostile backend, several requests per
 * input, read-ahead on.  The input is a run of requests, each: 4 bytes how
 * far the backend moves rsp_prod (its top bit: let the backend run once
 * before the call, as a loader's time between calls does, so read-ahead
 * pushed by the last call meets its answers at this one's entry), 1 byte
 * read or write and the sector count (bit 7: at the sector after the last
 * call's, a sequential stream; else at 0), 2 bytes how many response bytes
 * follow, then those bytes, which land over the response slots.  blkfront
 * must answer each with an error or the right data, never read or write
 * outside its ring and buffers, get a broken ring back by reconnecting,
 * keep no data grant between calls but read-ahead's, and leave no grant
 * behind once disconnected. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "block/blkfront.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"

#define MAX_REQUESTS 6

static uint8_t buf[88 * 512];
static uint8_t ra_mem[BLKFRONT_RA_MEM] __attribute__((aligned(4096)));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vbd v[1];
    struct sim_vbd *b;
    uint32_t advance, count;
    uint64_t next = 0, sector;
    uint16_t len;
    size_t at = 0;
    int n;

    if (size < 5)
        return 0;
    memset(v, 0, sizeof(v));
    blkfront_abandon(v);    /* no read-ahead state of an earlier input's */
    sim_reset();
    if (xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        abort();
    b = sim_add_vbd(768, SIM_DISK_SECTORS, XenbusStateInitWait);
    if (blkfront_probe(v, 1) != 1 || blkfront_connect(v))
        abort();
    b->fault = BKF_RAW;
    blkfront_ra_enable(ra_mem);
    for (n = 0; n < MAX_REQUESTS && size - at >= 5; n++) {
        uint8_t op = data[at + 4];

        memcpy(&advance, data + at, 4);
        at += 5;
        if (advance & 0x80000000u)
            sim_step();
        advance &= 0x7fffffffu;
        len = 0;
        if (size - at >= 2) {
            memcpy(&len, data + at, 2);
            at += 2;
        }
        if (len > size - at)
            len = (uint16_t)(size - at);
        sim_bk_raw_responses(data + at, len, advance);
        at += len;
        count = 1 + (op >> 1) % 64;
        sector = (op & 0x80) && next + count <= SIM_DISK_SECTORS ? next : 0;
        blkfront_rw(v, op & 1, sector, count, buf);
        next = sector + count;
        /* between calls: the ring's grant and read-ahead's, or what a
         * backend keeps mapped (it is raw: it maps nothing) */
        if (gnttab_live() != (unsigned int)v->connected + blkfront_ra_grants())
            abort();
    }
    blkfront_disconnect(v);
    if (gnttab_live())
        abort();
    xen_teardown();
    return 0;
}
