/* POST self-test for the testbed (the xenpvboot-selftest build links it).
 *
 * Everything is logged in a fixed form the host side greps for and
 * compares with the backing images: the CRC-32 is zlib's, so
 * `zlib.crc32(image[0:64*512])` must match.  Writing is done only on a
 * disk that says it is a scratch disk (sector 0 starts with
 * "XENPVBOOT-SCRATCH"), and only at LBA 1.
 */
#include "variants/selftest.h"
#include "block/blkfront.h"
#include "xen/grant.h"
#include "lib/libc.h"
#include "lib/log.h"

#define SELFTEST_SECTORS 64u
#define SCRATCH_MARKER   "XENPVBOOT-SCRATCH"
#define WRITE_MARKER     "XENPVBOOT-WRITE-TEST"
#define WRITE_LBA        1u

/* +1: reads land at an odd address, to exercise bouncing */
static uint8_t selftest_buf[SELFTEST_SECTORS * 512 + 1];
static struct vbd selftest_vbds[BLKFRONT_MAX_VBD];

uint32_t selftest_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    int k;

    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (k = 0; k < 8; k++)     /* bitwise: no 1 KiB table in the ROM */
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

void selftest_pattern(uint8_t *sector, uint64_t lba)
{
    unsigned int i;

    for (i = 0; i < 512; i++)
        sector[i] = (uint8_t)(i * 7 + 0x5a);
    memcpy(sector, WRITE_MARKER, 20);
    for (i = 0; i < 8; i++)
        sector[20 + i] = (uint8_t)(lba >> (8 * i));
}

static int selftest_write(struct vbd *v)
{
    uint8_t *pat = selftest_buf + 1, *back = selftest_buf + 1 + 512;
    int rc;

    if (v->readonly || v->sector_size != 512)
        return -XEN_EOPNOTSUPP;
    selftest_pattern(pat, WRITE_LBA);
    rc = blkfront_rw(v, 1, WRITE_LBA, 1, pat);
    if (!rc)
        rc = blkfront_flush(v);
    if (!rc) {
        memset(back, 0, 512);
        rc = blkfront_rw(v, 0, WRITE_LBA, 1, back);
    }
    if (!rc && memcmp(pat, back, 512))
        rc = -XEN_EIO;
    return rc;
}

static void selftest_vbd(struct vbd *v)
{
    uint8_t *buf = selftest_buf + 1;
    uint32_t n;
    int rc;

    rc = blkfront_connect(v);
    if (rc) {
        log(LOG_INFO, "selftest vbd %u connect FAILED %d", v->vdev, rc);
        return;
    }
    log(LOG_INFO, "vbd %u %s sectors=%llu sector-size=%u ro=%u", v->vdev,
        v->backend, (unsigned long long)v->sectors, v->sector_size,
        v->readonly);
    n = v->sectors < SELFTEST_SECTORS ? (uint32_t)v->sectors : SELFTEST_SECTORS;
    n &= ~(v->sector_size / 512 - 1);
    rc = blkfront_rw(v, 0, 0, n, buf);
    if (rc)
        log(LOG_INFO, "selftest vbd %u read sectors 0..%u FAILED %d",
            v->vdev, n - 1, rc);
    else
        log(LOG_INFO, "selftest vbd %u read sectors 0..%u crc32=%08x",
            v->vdev, n - 1, selftest_crc32(0, buf, n * 512));
    if (!rc && !memcmp(buf, SCRATCH_MARKER, strlen(SCRATCH_MARKER))) {
        rc = selftest_write(v);
        log(LOG_INFO, "selftest vbd %u write lba %u %s", v->vdev,
            WRITE_LBA, rc ? "FAILED" : "ok");
    }
    blkfront_disconnect(v);
}

void selftest_run(void)
{
    int i, n;

    n = blkfront_probe(selftest_vbds, BLKFRONT_MAX_VBD);
    log(LOG_INFO, "selftest: %d vbd(s)", n);
    for (i = 0; i < n; i++)
        selftest_vbd(&selftest_vbds[i]);
    log(LOG_INFO, "selftest teardown live-grants=%u", gnttab_live());
}
