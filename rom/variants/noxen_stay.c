/* The test-noxen build's init: stays resident, so the BCV and every INT 13h
 * call run through the stub (rom/variants/noxen.c). */
#include "bios/services.h"

int services_init(struct stub_info *stub, uint32_t bar, uint32_t bar_size)
{
    (void)stub;
    (void)bar;
    (void)bar_size;
    return 1;
}
