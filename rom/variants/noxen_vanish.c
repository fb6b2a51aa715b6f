/* The test-vanish build's init: declines to stay, as the ROM does on a Xen
 * guest with no PV disk, so plain QEMU sees init free the C image's memory
 * and shrink the ROM to nothing (rom/bios/entry.S, image_free). */
#include "bios/services.h"
#include "lib/log.h"

int services_init(struct stub_info *stub, uint32_t bar, uint32_t bar_size)
{
    (void)stub;
    (void)bar;
    (void)bar_size;
    log(LOG_INFO, "test build: nothing to serve, not staying resident");
    return 0;
}
