/* libFuzzer: xenstore replies from a hostile or broken xenstored.  Byte 0
 * picks the request and whether the reply's header matches it; the rest is
 * the reply as it lands in the ring.  Whatever comes, the client must not
 * touch memory outside the ring and its buffer (ASan), must never consume
 * more than was produced, and must come back (bounded waits).  A xenstored
 * that keeps sending garbage cannot be talked to; one that sent one bad
 * reply can, so when the garbage fit in the ring the next request works. */
#include <stdlib.h>

#include "sim.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "xen/xenstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[64];

    if (size < 1)
        return 0;
    sim_reset();
    if (xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        abort();
    sim_xs_raw_reply(data + 1, size - 1, data[0] & 1);
    switch (data[0] >> 1 & 3) {
    case 0:
        xenstore_read("device/vbd/768/state", buf, sizeof(buf));
        break;
    case 1:
        xenstore_directory("device/vbd", buf, sizeof(buf));
        break;
    case 2:
        xenstore_write("device/vbd/768/state", "1");
        break;
    default:
        xenstore_rm("device/vbd/768/ring-ref");
        break;
    }
    if (sim_xs_rsp_unread() > XENSTORE_RING_SIZE)
        abort();
    if (size - 1 <= XENSTORE_RING_SIZE &&
        (xenstore_write("data/fuzz", "ok") ||
         xenstore_read("data/fuzz", buf, sizeof(buf)) != 2))
        abort();
    xen_teardown();
    return 0;
}
