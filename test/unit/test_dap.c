/* Caller buffers that wrap past 4 GiB or overlap the ROM's
 * own memory (image: drive table, bounce pages, rings; the resident stub;
 * BAR1: shared_info and the grant frame) are refused with 01h in the flat
 * and segment:offset DAP forms and for CHS ES:BX, before a byte moves.
 * Each call runs in a child process: before the fix the transfer lands on
 * unmapped memory or on the ROM's own state, and a crash must fail the
 * test, not end the run. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_disk.h"
#include "bios/rommem.h"

#define STUB_SEG     0xca00
#define STUB_RUNTIME 1024           /* the fake stub's PCIR runtime length */

static struct stub_info stub = { .rom_seg = STUB_SEG };

/* A resident stub at STUB_SEG:0 as init leaves it: header, PCIR pointer,
 * PCIR with its runtime length; then the regions from it. */
static void rom_regions(void)
{
    uint8_t *rom = td_low(STUB_SEG * 16);
    uint16_t pcir = 0x20, units = STUB_RUNTIME / 512;

    rom[0] = 0x55;
    rom[1] = 0xaa;
    rom[2] = units;
    memcpy(rom + 0x18, &pcir, 2);
    memcpy(rom + pcir, "PCIR", 4);
    memcpy(rom + pcir + 0x10, &units, 2);
    memset(rom + 0x100, 0x5a, STUB_RUNTIME - 0x100);
    rommem_set_rom(&stub);
}

/* The answer of a refused transfer: 01h, CF, 40:74, count 0. */
static int refused(void)
{
    return td_call.f.ah == 0x01 && td_cf() && *td_low(0x474) == 0x01;
}

static uint8_t ivt_before[1024];

static int read_wrapping_flat(void)
{
    memcpy(ivt_before, td_low(0), sizeof(ivt_before));
    td_dap(24, 2, 0xffff, 0xffff, 3, 0xfffffe00u);
    if (!td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0))
        return 2;
    if (!refused() || td_dap_count() != 0)
        return 3;
    return memcmp(ivt_before, td_low(0), sizeof(ivt_before)) ? 4 : 0;
}

static void test_dap_flat_wrapping_refused(void)
{
    CHECK(!td_setup(512, SIM_DISK_SECTORS));
    CHECK_EQ(td_in_child(read_wrapping_flat), 0);
    td_done();
}

static struct bdisk bdisk_before;

static int read_over_drive_table(void)
{
    memcpy(&bdisk_before, &bdisks[0], sizeof(bdisk_before));
    td_dap(24, 1, 0xffff, 0xffff, 9, (uint32_t)(uintptr_t)&bdisks[0]);
    td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0);
    if (!refused())
        return 3;
    return memcmp(&bdisk_before, &bdisks[0], sizeof(bdisk_before)) ? 4 : 0;
}

static int read_over_ring(void)
{
    static uint8_t ring_before[4096];

    memcpy(ring_before, td_vbd->ring.sring, 4096);
    td_dap(24, 8, 0xffff, 0xffff, 9, (uint32_t)(uintptr_t)td_vbd->ring.sring);
    td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0);
    if (!refused())
        return 3;
    return memcmp(ring_before, td_vbd->ring.sring, 4096) ? 4 : 0;
}

/* A write from the BAR would send shared_info or our grant entries to the
 * backend's disk. */
static int write_from_bar_tail(void)
{
    static uint8_t disk_before[4 * 512];
    uint32_t end = (uint32_t)(uintptr_t)sim_bar + SIM_BAR_PAGES * 4096u;

    memcpy(disk_before, td_backend->disk + 20 * 512, sizeof(disk_before));
    td_dap(24, 4, 0xffff, 0xffff, 20, end - 512);   /* its last 512 bytes */
    td_int13(0x4300, 0, 0x0080, TD_DAP_SEG, 0);
    if (!refused())
        return 3;
    return memcmp(disk_before, td_backend->disk + 20 * 512, sizeof(disk_before)) ? 4 : 0;
}

static void test_dap_flat_over_rom_refused(void)
{
    uint8_t *heap = malloc(8 * 512);

    CHECK(heap);
    CHECK(!td_setup(512, SIM_DISK_SECTORS));
    rom_regions();
    CHECK_EQ(td_in_child(read_over_drive_table), 0);
    CHECK_EQ(td_in_child(read_over_ring), 0);
    CHECK_EQ(td_in_child(write_from_bar_tail), 0);
    /* memory that is not ours still works, flat and high */
    td_dap(24, 8, 0xffff, 0xffff, 9, (uint32_t)(uintptr_t)heap);
    CHECK(td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0));
    CHECK(!td_cf());
    CHECK(!memcmp(heap, td_backend->disk + 9 * 512, 8 * 512));
    td_done();
    free(heap);
}

static uint8_t stub_before[STUB_RUNTIME];

static int stub_unchanged(void)
{
    return !memcmp(stub_before, td_low(STUB_SEG * 16), STUB_RUNTIME);
}

static int segoff_over_stub(void)
{
    memcpy(stub_before, td_low(STUB_SEG * 16), STUB_RUNTIME);
    /* the DAP's buffer: the stub's last 512 bytes and beyond */
    td_dap(16, 2, STUB_SEG, STUB_RUNTIME - 512, 1, 0);
    td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0);
    if (!refused() || td_dap_count() != 0 || !stub_unchanged())
        return 3;
    /* CHS: ES:BX below the stub, running into it */
    td_int13(0x0202, 0x0001, 0x0080, STUB_SEG - 0x20, 0x0100);
    if (!refused() || td_call.f.al != 0 || !stub_unchanged())
        return 4;
    /* the DAP itself inside the stub: not the caller's to have us write */
    td_int13(0x4200, 0, 0x0080, STUB_SEG, 0x100);
    if (!refused() || !stub_unchanged())
        return 5;
    /* AH=48h's buffer inside the stub */
    memset(td_low(STUB_SEG * 16 + 0x100), 74, 1);
    memcpy(stub_before, td_low(STUB_SEG * 16), STUB_RUNTIME);
    td_int13(0x4800, 0, 0x0080, STUB_SEG, 0x100);
    if (!refused() || !stub_unchanged())
        return 6;
    return 0;
}

static void test_dap_segoff_over_stub_refused(void)
{
    CHECK(!td_setup(512, SIM_DISK_SECTORS));
    rom_regions();
    CHECK_EQ(td_in_child(segoff_over_stub), 0);
    /* right after the stub's runtime length is the caller's again */
    td_dap(16, 2, STUB_SEG, STUB_RUNTIME, 1, 0);
    CHECK(td_int13(0x4200, 0, 0x0080, TD_DAP_SEG, 0));
    CHECK(!td_cf());
    CHECK(!memcmp(td_low(STUB_SEG * 16 + STUB_RUNTIME), td_backend->disk + 512, 1024));
    td_int13(0x0201, 0x0001, 0x0080, STUB_SEG - 0x20, 0);  /* ends at the stub */
    CHECK(!td_cf());
    td_done();
}

/* The arithmetic at the edges: a buffer may end at 4 GiB exactly. */
static void test_rommem_bounds(void)
{
    rommem_set(ROMMEM_STUB, 0xca000, 0x400);
    CHECK(rommem_buffer_ok(0xfffffe00u, 512));
    CHECK(!rommem_buffer_ok(0xfffffe00u, 1024));
    CHECK(!rommem_buffer_ok(0xfffffffffffffe00ull, 1024));
    CHECK(!rommem_buffer_ok(0x100000000ull, 512));
    CHECK(rommem_buffer_ok(0xc9e00, 0x200));
    CHECK(!rommem_buffer_ok(0xc9e00, 0x201));
    CHECK(!rommem_buffer_ok(0xca3ff, 1));
    CHECK(rommem_buffer_ok(0xca400, 0x10000));
    CHECK(rommem_buffer_ok(0xca000, 0));
    rommem_set(ROMMEM_STUB, 0, 0);
}

/* The image's allocation as rom/bios/entry.S image_alloc makes it: PMM rounds
 * the image + 4 KiB + STUB_PMM_TAIL up to 16 bytes and the image starts at
 * the block's first page boundary; base memory takes whole KiB from
 * image_base, the image alone. */
static void test_rommem_image_alloc(void)
{
    uint32_t start, len, size = 19336, memsz = size + 4096, block;
    uint32_t pmm = memsz + STUB_PMM_TAIL;   /* the read-ahead cache follows */

    for (block = 0x7ff00000; block < 0x7ff00000 + 4096; block += 16) {
        uint32_t base = (block + 4095) & ~4095u;

        rommem_image_alloc(STUB_IMAGE_PMM, base, size, &start, &len);
        CHECK(start <= block);
        CHECK(start + len >= block + ((pmm + 15) & ~15u));
        CHECK(start + len <= base + size + STUB_PMM_TAIL + 2 * 4096 + 16);
    }
    rommem_image_alloc(STUB_IMAGE_BASEMEM, 0x9a000, size, &start, &len);
    CHECK_EQ(start, 0x9a000);
    CHECK_EQ(len, (memsz + 1023) / 1024 * 1024);
}

const struct test dap_tests[] = {
    { "test_rommem_image_alloc", test_rommem_image_alloc },
    { "test_dap_flat_wrapping_refused", test_dap_flat_wrapping_refused },
    { "test_dap_flat_over_rom_refused", test_dap_flat_over_rom_refused },
    { "test_dap_segoff_over_stub_refused", test_dap_segoff_over_stub_refused },
    { "test_rommem_bounds", test_rommem_bounds },
};
const unsigned int dap_tests_count = sizeof(dap_tests) / sizeof(dap_tests[0]);
