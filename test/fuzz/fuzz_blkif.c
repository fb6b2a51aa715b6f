/* libFuzzer: block responses from a hostile backend.  Bytes 0-3: how far
 * the backend moves rsp_prod; byte 4: read or write and the sector count;
 * the rest lands over the response slots.  blkfront must answer with an
 * error or the right data, never read or write outside its ring and
 * buffers, and leave no grant behind once disconnected. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "block/blkfront.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"

static uint8_t buf[88 * 512];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vbd v[1];
    struct sim_vbd *b;
    uint32_t advance;

    if (size < 5)
        return 0;
    memcpy(&advance, data, 4);
    sim_reset();
    memset(v, 0, sizeof(v));
    if (xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        abort();
    b = sim_add_vbd(768, SIM_DISK_SECTORS, XenbusStateInitWait);
    if (blkfront_probe(v, 1) != 1 || blkfront_connect(v))
        abort();
    b->fault = BKF_RAW;
    sim_bk_raw_responses(data + 5, size - 5, advance);
    blkfront_rw(v, data[4] & 1, 8, 1 + (data[4] >> 1) % 88, buf);
    blkfront_disconnect(v);
    if (gnttab_live())
        abort();
    xen_teardown();
    return 0;
}
