/* The self-test build runs the self-test as soon as the bus is up at POST
 * (rom/bios/services.c); a separate file, so that the host tests, which
 * link rom/variants/selftest.c, keep the ROM's own POST. */
#include "bios/services.h"
#include "variants/selftest.h"

void services_post_selftest(void)
{
    selftest_run();
}
