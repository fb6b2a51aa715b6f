/* Vbds with 1K and 2K sectors are presented with their
 * real sector size, as 4K ones are: AH=48h reports it, every block is
 * addressable (an odd LBA too), CHS covers no more than the disk, and
 * nothing is read or written out of place. */
#include <string.h>

#include "test.h"
#include "test_disk.h"

static void edd_params(uint16_t *bytes_per_sector, uint64_t *sectors)
{
    uint8_t *p = td_low(TD_BUF_SEG * 16);

    memset(p, 0, 74);
    p[0] = 30;
    td_int13(0x4800, 0, 0x0080, TD_BUF_SEG, 0);
    memcpy(sectors, p + 16, 8);
    memcpy(bytes_per_sector, p + 24, 2);
}

static void check_sector_size(uint32_t size)
{
    uint32_t units = SIM_DISK_SECTORS;      /* 512-byte units */
    uint64_t blocks;
    uint16_t bps;
    uint8_t *buf = td_low(TD_BUF_SEG * 16);
    struct chs *g;

    CHECK(!td_setup(size, units));
    CHECK_EQ(bdisks[0].blocks, units / (size / 512));
    edd_params(&bps, &blocks);
    CHECK(!td_cf());
    CHECK_EQ(bps, size);
    CHECK_EQ(blocks, units / (size / 512));
    /* one block at LBA 1, and at the last LBA */
    td_dap(16, 1, TD_BUF_SEG, 0, 1, 0);
    CHECK(td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0));
    CHECK_EQ(td_call.f.ah, 0);
    CHECK(!memcmp(buf, td_backend->disk + size, size));
    td_dap(16, 1, TD_BUF_SEG, 0, blocks - 1, 0);
    CHECK(td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0));
    CHECK_EQ(td_call.f.ah, 0);
    CHECK(!memcmp(buf, td_backend->disk + (blocks - 1) * size, size));
    td_dap(16, 1, TD_BUF_SEG, 0, blocks, 0);    /* past the end */
    CHECK(td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0));
    CHECK_EQ(td_call.f.ah, 1);
    /* a write of block 3 lands at byte 3 * size */
    memset(buf, 0xc3, size);
    td_dap(16, 1, TD_BUF_SEG, 0, 3, 0);
    CHECK(td_int13(0x4300, 0, 0x0080, TD_DAP_SEG, 0));
    CHECK_EQ(td_call.f.ah, 0);
    CHECK(!memcmp(td_backend->disk + 3 * size, buf, size));
    CHECK(td_backend->disk[3 * size - 1] != 0xc3 || td_backend->disk[4 * size] != 0xc3);
    /* CHS addresses no block the disk lacks; AH=02h reads real blocks */
    g = &bdisks[0].chs;
    CHECK((uint64_t)g->cylinders * g->heads * g->sectors <= blocks ||
          g->cylinders == 1);           /* a disk smaller than a cylinder */
    CHECK(td_int13(0x0201, 0x0002, 0x0080, TD_BUF_SEG, 0));
    CHECK_EQ(td_call.f.ah, 0);
    CHECK(!memcmp(buf, td_backend->disk + size, size));
    td_done();
}

static void test_format_1k_sectors(void)
{
    check_sector_size(1024);
}

static void test_format_2k_sectors(void)
{
    check_sector_size(2048);
}

static void test_format_512_and_4k_unchanged(void)
{
    CHECK(!td_setup(512, SIM_DISK_SECTORS));
    CHECK_EQ(bdisks[0].block_shift, 9);
    td_done();
    CHECK(!td_setup(4096, SIM_DISK_SECTORS));
    CHECK_EQ(bdisks[0].block_shift, 12);
    CHECK_EQ(bdisks[0].blocks, SIM_DISK_SECTORS / 8);
    td_done();
}

const struct test format_tests[] = {
    { "test_format_1k_sectors", test_format_1k_sectors },
    { "test_format_2k_sectors", test_format_2k_sectors },
    { "test_format_512_and_4k_unchanged", test_format_512_and_4k_unchanged },
};
const unsigned int format_tests_count = sizeof(format_tests) / sizeof(format_tests[0]);
