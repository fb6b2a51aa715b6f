/* POST self-test for the testbed (the xenpvboot-selftest build links it). */
#ifndef XENPVBOOT_SELFTEST_H
#define XENPVBOOT_SELFTEST_H

#include <stdint.h>
#include <stddef.h>

/* Call after a successful xen_init(); leaves every vbd disconnected and
 * Xen itself up (xen_teardown() is the caller's). */
void selftest_run(void);

/* CRC-32/IEEE, continuing from @crc (0 to start): zlib.crc32's. */
uint32_t selftest_crc32(uint32_t crc, const void *data, size_t len);

/* The test sector written at @lba: "XENPVBOOT-WRITE-TEST" (20 bytes), the
 * LBA as 8 bytes little-endian, then byte i = (uint8_t)(i * 7 + 0x5a). */
void selftest_pattern(uint8_t *sector, uint64_t lba);

#endif
