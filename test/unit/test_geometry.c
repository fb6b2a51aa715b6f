/* The geometry taken from an MBR never has more than 255
 * heads (AH=08h returns the last head in DH), whatever the partition
 * entries' CHS bytes say: a GPT protective MBR written by older
 * partitioners ends at a saturated FF FF FF (head 255). */
#include <string.h>

#include "test.h"
#include "test_disk.h"
#include "bios/geometry.h"

/* Sector 0 with one partition: @start_chs/@end_chs as on disk
 * (head, sector | cylinder bits 8-9 << 6, cylinder low). */
static void mbr_one(uint8_t *mbr, const uint8_t start_chs[3], const uint8_t end_chs[3],
                    uint8_t type, uint32_t start_lba, uint32_t nr_sects)
{
    uint8_t *p = mbr + 446;

    memset(mbr, 0, 512);
    memcpy(p + 1, start_chs, 3);
    p[4] = type;
    memcpy(p + 5, end_chs, 3);
    memcpy(p + 8, &start_lba, 4);
    memcpy(p + 12, &nr_sects, 4);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
}

static const uint8_t start_002[3] = { 0x00, 0x02, 0x00 };
static const uint8_t end_ffffff[3] = { 0xff, 0xff, 0xff };

static int chs_sane(const struct chs *g)
{
    return g->heads >= 1 && g->heads <= 255 && g->sectors >= 1 &&
           g->sectors <= 63 && g->cylinders >= 1 && g->cylinders <= 1024;
}

static void test_geometry_protective_mbr(void)
{
    static const uint64_t sizes[] = { 2048, 1u << 20, 41943040, 1ull << 33 };
    uint8_t mbr[512];
    struct chs g;
    unsigned int i;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint64_t n = sizes[i] - 1;

        mbr_one(mbr, start_002, end_ffffff, 0xee, 1,
                n > 0xffffffffu ? 0xffffffffu : (uint32_t)n);
        geometry_choose(&g, mbr, sizes[i]);
        CHECK(chs_sane(&g));
        CHECK_EQ(g.heads, 255);
        CHECK_EQ(g.sectors, 63);
    }
}

/* And what a boot loader sees: AH=08h's DH is the last head, at most FEh. */
static void test_geometry_protective_mbr_ah08(void)
{
    CHECK(!td_setup(512, SIM_DISK_SECTORS));
    mbr_one(bdisks[0].block0, start_002, end_ffffff, 0xee, 1, SIM_DISK_SECTORS - 1);
    geometry_choose(&bdisks[0].chs, bdisks[0].block0, bdisks[0].blocks);
    CHECK(td_int13(0x0800, 0, 0x0080, 0, 0));
    CHECK(!td_cf());
    CHECK(td_call.f.dh <= 0xfe);
    CHECK_EQ(td_call.f.dh + 1, bdisks[0].chs.heads);
    CHECK_EQ(td_call.f.cl & 0x3f, bdisks[0].chs.sectors);
    td_done();
}

/* Every saturated end (cylinder 1023) with every head and sector byte: the
 * entry fits any geometry, so the end's head + 1 is tried first. */
static void test_geometry_saturated_ends(void)
{
    uint8_t mbr[512], end[3];
    struct chs g;
    unsigned int h, s;

    for (h = 0; h < 256; h++)
        for (s = 0; s < 64; s++) {
            end[0] = h;
            end[1] = 0xc0 | s;
            end[2] = 0xff;
            mbr_one(mbr, start_002, end, 0x83, 1, 16000000);
            geometry_choose(&g, mbr, 16000001);
            CHECK(chs_sane(&g));
        }
}

const struct test geometry_tests[] = {
    { "test_geometry_protective_mbr", test_geometry_protective_mbr },
    { "test_geometry_protective_mbr_ah08", test_geometry_protective_mbr_ah08 },
    { "test_geometry_saturated_ends", test_geometry_saturated_ends },
};
const unsigned int geometry_tests_count = sizeof(geometry_tests) / sizeof(geometry_tests[0]);
