/* CD-ROM vbds (rom/bios/cdrom.c) behind the platform seam, entered as the
 * stub enters c_dispatch(): the BCV's twin search (IDE index from the
 * BIOS's DPTE, sector 16 compared), no media, the INT 13h answers for the
 * CD drive (SeaBIOS's, function by function), bad input, media changes,
 * and the handover leaving the vbd as found. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "sim.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/stub.h"
#include "xen/xenstore.h"

#define BUF_SEG     0x1000
#define DAP_FLAT    0x8000
#define LOW_BUF     0x9000
#define PREV_INT15  0xf000f859u
#define CD_VDEV     5632            /* hdc: IDE index 2 */
#define CD_SECTORS  (SIM_DISK_SECTORS / 4)

void c_dispatch(uint32_t fn, struct stub_frame *frame, struct stub_info *info);

static struct {
    struct stub_frame f;
    struct stub_iret r;
} __attribute__((packed)) call;

static struct stub_info stub;
static struct sim_vbd *hda, *cd;
static uint8_t other_cd[SIM_DISK_SECTORS * 512];

static uint8_t *low(uint32_t flat)
{
    return phys_to_virt(flat);
}

/* SeaBIOS after POST: hard disk 80h (hda's twin), no CD drive yet; the
 * vbds hda and hdc (a CD-ROM, 2048-byte sectors, read-only). */
static void cd_setup(uint32_t sector_size, uint32_t sectors)
{
    sim_reset();
    sim_bios_reset();
    log_capture_len = 0;
    log_capture[0] = '\0';
    memset(low(0), 0, REAL_MODE_LIMIT);
    *low(BDA_HDCOUNT) = 1;
    ((uint32_t *)low(0))[0x13] = SIM_BIOS_INT13;
    ((uint32_t *)low(0))[0x15] = PREV_INT15;
    memset(&stub, 0, sizeof(stub));
    stub.int13_entry = 0x100;
    stub.int15_entry = 0x120;
    stub.int18_entry = 0x140;
    stub.int19_entry = 0x160;
    stub.rom_seg = 0xca00;
    stub.image_kind = STUB_IMAGE_PMM;
    stub.image_base = 0x07f00000;
    stub.low_buf = LOW_BUF;
    nr_bdisks = 0;
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    cd = sim_add_vbd(CD_VDEV, sectors, XenbusStateInitWait);
    sim_xs_set("device/vbd/5632/device-type", "cdrom");
    cd->cdrom = 1;
    cd->readonly = 1;
    cd->flush = 0;
    cd->sector_size = sector_size;
    sim_bios_drives[0].ide_index = 0;
    sim_bios_drives[0].sector0 = hda->disk;
    sim_bios_nr_drives = 1;
}

/* SeaBIOS's CD drive E0h: IDE index @ide, 2048-byte sectors @data. */
static void bios_cd(int ide, const uint8_t *data)
{
    sim_bios_cds[sim_bios_nr_cds].ide_index = ide;
    sim_bios_cds[sim_bios_nr_cds].data = data;
    sim_bios_cds[sim_bios_nr_cds].sectors = CD_SECTORS;
    sim_bios_nr_cds++;
}

static void dispatch(uint32_t fn, uint16_t ax)
{
    memset(&call, 0, sizeof(call));
    call.f.ax = ax;
    call.r.flags = 0x0202;
    c_dispatch(fn, &call.f, &stub);
}

static void post(void)
{
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    dispatch(STUB_FN_BCV, 0);
}

static void int13(uint16_t ax, uint16_t bx, uint8_t dl)
{
    memset(&call, 0, sizeof(call));
    call.f.ax = ax;
    call.f.bx = bx;
    call.f.dl = dl;
    call.f.ds = DAP_FLAT >> 4;
    call.f.es = BUF_SEG;
    call.r.flags = 0x0202;
    c_dispatch(STUB_FN_INT13, &call.f, &stub);
}

/* The packet at DAP_FLAT: @size, @count sectors at @lba into BUF_SEG:0. */
static uint8_t *dap(uint8_t size, uint16_t count, uint32_t lba)
{
    uint8_t *p = low(DAP_FLAT);
    uint16_t seg = BUF_SEG;

    memset(p, 0, 24);
    p[0] = size;
    memcpy(p + 2, &count, 2);
    memcpy(p + 6, &seg, 2);
    memcpy(p + 8, &lba, 4);
    return p;
}

static uint16_t dap_count(void)
{
    uint16_t n;

    memcpy(&n, low(DAP_FLAT) + 2, 2);
    return n;
}

static int cf(void)
{
    return !!(call.r.flags & FLAG_CF);
}

/* AH=42h of @count at @lba on E0h. */
static void cd_read(uint16_t count, uint32_t lba)
{
    dap(16, count, lba);
    int13(0x4200, 0, 0xe0);
}

/* The CD vbd as the ROM must leave it: frontend Initialising, backend
 * InitWait, none of our keys, nothing mapped, the bus down. */
static int cd_as_found(void)
{
    return !xen_is_up() && sim_front_state(CD_VDEV) == XenbusStateInitialising &&
           cd->state == XenbusStateInitWait &&
           !sim_xs_exists("device/vbd/5632/ring-ref") &&
           !sim_xs_exists("device/vbd/5632/event-channel") &&
           !sim_xs_exists("device/vbd/5632/protocol") && !cd->mapped &&
           sim_open_ports() == 1;
}

static struct bdisk *cd_drive(void)
{
    return disk_lookup(0xe0);
}

/* ---- the BCV ---------------------------------------------------------- */

static void test_cd_twin_taken_over(void)
{
    struct bdisk *d;

    cd_setup(2048, SIM_DISK_SECTORS);
    bios_cd(2, cd->disk);
    post();
    d = cd_drive();
    CHECK(d != NULL);
    CHECK(d && d->twin && d->vbd->vdev == CD_VDEV);
    CHECK(d && d->blocks == CD_SECTORS && d->block_shift == 11);
    CHECK_EQ(*low(BDA_HDCOUNT), 1);         /* CDs are not hard disks */
    CHECK(disk_lookup(0x80) != NULL);
    CHECK(strstr(log_capture, "drive e0: vbd 5632, CD-ROM") != NULL);
    CHECK(cd_as_found());
    /* the loader's reads: over PV, counted */
    cd_read(4, 20);
    CHECK_EQ(call.f.ah, 0);
    CHECK(!cf());
    CHECK_EQ(call.f.chain, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), cd->disk + 20 * 2048, 4 * 2048));
    CHECK(cd->requests > 0);
    CHECK(d && d->reads == 1 && d->bytes == 4 * 2048);
    /* the handover: the E820 walk quiesces, the CD vbd as found */
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK_EQ(call.f.chain, PREV_INT15);
    CHECK(cd_as_found());
    CHECK(strstr(log_capture, "drive e0: 1 reads, 0 writes, 8192 bytes over PV") != NULL);
}

static void test_cd_backend_512_byte_sectors(void)
{
    cd_setup(512, SIM_DISK_SECTORS);        /* as qdisk may say */
    bios_cd(2, cd->disk);
    post();
    CHECK(cd_drive() != NULL);
    cd_read(3, 7);                          /* odd 2048-byte sectors */
    CHECK_EQ(call.f.ah, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), cd->disk + 7 * 2048, 3 * 2048));
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK(cd_as_found());
}

static void test_cd_sector16_differs_kept_emulated(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    memcpy(other_cd, cd->disk, sizeof(other_cd));
    other_cd[16 * 2048 + 40] ^= 1;          /* another volume */
    bios_cd(2, other_cd);
    post();
    CHECK(cd_drive() == NULL);
    CHECK(strstr(log_capture, "sector 16 differs: kept emulated") != NULL);
    CHECK(cd_as_found());
    int13(0x4200, 0, 0xe0);                 /* the emulated drive's */
    CHECK_EQ(call.f.chain, SIM_BIOS_INT13);
}

static void test_cd_other_ide_index_not_offered(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    bios_cd(3, cd->disk);                   /* hdd, not hdc */
    post();
    CHECK(cd_drive() == NULL);
    CHECK(strstr(log_capture, "CD-ROM with no emulated twin") != NULL);
    CHECK(cd_as_found());
}

static void test_cd_twin_not_atapi_not_offered(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    bios_cd(2, cd->disk);
    sim_bios_cds[0].not_atapi = 1;
    post();
    CHECK(cd_drive() == NULL);
}

static void test_cd_second_cd_drive_is_the_twin(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    bios_cd(3, other_cd);                   /* E0h: another drive */
    bios_cd(2, cd->disk);                   /* E1h: ours */
    post();
    CHECK(cd_drive() == NULL);
    CHECK(disk_lookup(0xe1) != NULL);
}

static void test_cd_no_media_not_offered(void)
{
    cd_setup(2048, 0);                      /* params empty: sectors 0 */
    bios_cd(2, cd->disk);
    sim_bios_cds[0].sectors = 0;
    post();
    CHECK(cd_drive() == NULL);
    CHECK(strstr(log_capture, "vbd 5632: CD-ROM not offered") != NULL);
    CHECK(strstr(log_capture, "no media") != NULL);
    CHECK(disk_lookup(0x80) != NULL);       /* the disk is still ours */
    CHECK(cd_as_found());
}

static void test_cd_twins_kept(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    bios_cd(2, cd->disk);
    sim_xs_set("/local/domain/7/xenpvboot/twins", "keep");
    sim_xs_set("xenpvboot/twins", "keep");
    post();
    CHECK(cd_drive() == NULL);
    CHECK(strstr(log_capture, "CD-ROM left to its emulated twin") != NULL);
}

/* ---- INT 13h: every function, as SeaBIOS answers for a CD ------------- */

static void cd_booted(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    bios_cd(2, cd->disk);
    post();
}

static void test_cd_int13_simple_functions(void)
{
    static const uint8_t ok[] = { 0x00, 0x09, 0x0c, 0x0d, 0x10, 0x11, 0x14 };
    static const uint8_t no_chs[] = { 0x02, 0x03, 0x04, 0x05, 0x08, 0x16 };
    size_t i;

    cd_booted();
    CHECK(cd_drive() != NULL);
    for (i = 0; i < sizeof(ok); i++) {
        *low(0x474) = 0x55;
        int13((uint16_t)(ok[i] << 8 | 1), 0, 0xe0);
        CHECK_EQ(call.f.ah, 0);
        CHECK(!cf());
        CHECK_EQ(*low(0x474), 0);
    }
    for (i = 0; i < sizeof(no_chs); i++) {
        int13((uint16_t)(no_chs[i] << 8 | 1), 0, 0xe0);
        CHECK_EQ(call.f.ah, 0x01);
        CHECK(cf());
        CHECK_EQ(*low(0x474), 0x01);
    }
    int13(0x0100, 0, 0xe0);                 /* last status: 01h */
    CHECK_EQ(call.f.ah, 0x01);
    CHECK(cf());
    int13(0x1500, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0x01);              /* SeaBIOS: AH 1, CF clear */
    CHECK(!cf());
    CHECK_EQ(*low(0x474), 0);
    int13(0x4100, 0x55aa, 0xe0);
    CHECK_EQ(call.f.ah, 0x30);
    CHECK_EQ(call.f.bx, 0xaa55);
    CHECK_EQ(call.f.cx, 0x0007);
    CHECK(!cf());
    int13(0x4100, 0x1234, 0xe0);
    CHECK_EQ(call.f.ah, 0x01);
    CHECK(cf());
    int13(0x5000, 0, 0xe0);                 /* unknown */
    CHECK_EQ(call.f.ah, 0x01);
    CHECK(cf());
    CHECK_EQ(call.f.chain, 0);
}

static void test_cd_int13_bios_state_functions_chain(void)
{
    static const uint16_t chained[] = { 0x4b01, 0x4b00, 0x4500, 0x4600, 0x4900, 0x4e01 };
    size_t i;

    cd_booted();
    for (i = 0; i < sizeof(chained) / sizeof(chained[0]); i++) {
        int13(chained[i], 0, 0xe0);
        CHECK_EQ(call.f.chain, SIM_BIOS_INT13);
    }
}

static void test_cd_int13_ext_reads(void)
{
    cd_booted();
    cd_read(0, 3);                          /* nothing to do */
    CHECK_EQ(call.f.ah, 0);
    CHECK(!cf());
    cd_read(32, 0);                         /* 64 KiB: SeaBIOS's limit */
    CHECK_EQ(call.f.ah, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), cd->disk, 32 * 2048));
    cd_read(33, 0);
    CHECK_EQ(call.f.ah, 0x09);
    CHECK(cf());
    CHECK_EQ(dap_count(), 0);
    cd_read(4, CD_SECTORS - 2);             /* count past the end */
    CHECK_EQ(call.f.ah, 0x0c);
    CHECK(cf());
    CHECK_EQ(dap_count(), 0);
    cd_read(1, CD_SECTORS);                 /* LBA past the end */
    CHECK_EQ(call.f.ah, 0x0c);
    CHECK_EQ(*low(0x474), 0x0c);
    cd_read(1, CD_SECTORS - 1);             /* the last sector */
    CHECK_EQ(call.f.ah, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), cd->disk + (CD_SECTORS - 1) * 2048, 2048));
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK(cd_as_found());
}

static void test_cd_int13_write_verify_seek(void)
{
    unsigned int before;

    cd_booted();
    before = cd->requests;
    dap(16, 2, 5);
    int13(0x4300, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0x03);
    CHECK(cf());
    CHECK_EQ(dap_count(), 0);
    dap(16, 0, 5);
    int13(0x4300, 0, 0xe0);                 /* nothing to write */
    CHECK_EQ(call.f.ah, 0);
    dap(16, 2, 5);
    int13(0x4400, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0);
    CHECK(!cf());
    dap(16, 1, CD_SECTORS + 100);
    int13(0x4700, 0, 0xe0);                 /* SeaBIOS knows no size */
    CHECK_EQ(call.f.ah, 0);
    CHECK_EQ(cd->requests, before);         /* none reached the backend */
    CHECK(cd->last_write_ro == 0);
}

static void test_cd_int13_bad_packets(void)
{
    uint8_t *p;
    uint64_t flat;

    cd_booted();
    p = dap(8, 1, 0);                       /* too short */
    int13(0x4200, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0x01);
    CHECK_EQ(dap_count(), 0);
    p = dap(16, 1, 0);
    p[1] = 1;                               /* reserved */
    int13(0x4200, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0x01);
    p = dap(24, 1, 0);                      /* flat past 4 GiB */
    memset(p + 4, 0xff, 4);
    flat = 0x100000000ull;
    memcpy(p + 16, &flat, 8);
    int13(0x4200, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0x01);
    CHECK(cf());
    p = dap(24, 1, 0);                      /* flat onto BAR1's pages */
    memset(p + 4, 0xff, 4);
    flat = (uint32_t)(uintptr_t)sim_bar;
    memcpy(p + 16, &flat, 8);
    int13(0x4200, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0x01);
    CHECK_EQ(dap_count(), 0);
}

static void test_cd_int13_edd_params(void)
{
    uint8_t *p = low(DAP_FLAT);
    uint16_t w;
    uint32_t v;
    uint64_t n;
    uint8_t sum = 0;
    int i;

    cd_booted();
    memset(p, 0xcc, 80);
    w = 26;
    memcpy(p, &w, 2);
    int13(0x4800, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0);
    memcpy(&w, p + 2, 2);
    CHECK_EQ(w, 0x74);
    memcpy(&v, p + 4, 4);
    CHECK_EQ(v, 0xffffffffu);
    memcpy(&n, p + 16, 8);
    CHECK(n == ~0ull);
    memcpy(&w, p + 24, 2);
    CHECK_EQ(w, 2048);
    CHECK_EQ(p[26], 0xcc);                  /* nothing past 26 */
    memset(p, 0, 80);
    w = 66;
    memcpy(p, &w, 2);
    int13(0x4800, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0);
    memcpy(&w, p, 2);
    CHECK_EQ(w, 66);
    CHECK(p[30] == 0xdd && p[31] == 0xbe);
    CHECK(!memcmp(p + 40, "XENVBD", 6));
    memcpy(&v, p + 56, 4);
    CHECK_EQ(v, CD_VDEV);
    for (i = 30; i < 66; i++)
        sum += p[i];
    CHECK_EQ(sum, 0);
    w = 20;
    memcpy(p, &w, 2);
    int13(0x4800, 0, 0xe0);
    CHECK_EQ(call.f.ah, 0x01);
    CHECK(cf());
}

static void test_cd_media_change(void)
{
    cd_booted();
    dispatch(STUB_FN_INT15, 0xe820);        /* disconnected */
    CHECK(cd_as_found());
    cd->sectors = 0;                        /* xl cd-eject */
    cd_read(1, 16);
    CHECK_EQ(call.f.ah, 0x0c);              /* SeaBIOS: no media */
    CHECK(cf());
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK(cd_as_found());
    cd->sectors = SIM_DISK_SECTORS / 2;     /* xl cd-insert: a smaller one */
    cd_read(1, CD_SECTORS / 2 - 1);
    CHECK_EQ(call.f.ah, 0);
    cd_read(1, CD_SECTORS / 2);
    CHECK_EQ(call.f.ah, 0x0c);
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK(cd_as_found());
}

/* A guest whose only vbd is a CD: no disk, so no $PnP slot and no BCV to
 * offer it from; the ROM says so and leaves it emulated, as found. */
static void test_cd_only_left_emulated(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    sim_remove_vbd(hda);
    bios_cd(2, cd->disk);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(nr_bdisks, 0);
    CHECK(strstr(log_capture, "CD-ROM vbds but no PV disk") != NULL);
    CHECK(cd_drive() == NULL);
    CHECK(cd_as_found());
}

/* xenpvboot/boot names disks only: a CD's vdev moves nothing (SeaBIOS's
 * El Torito boot decides about the CD). */
static void test_cd_boot_key_ignores_cd(void)
{
    cd_setup(2048, SIM_DISK_SECTORS);
    sim_xs_set("xenpvboot/boot", "hdc");
    bios_cd(2, cd->disk);
    post();
    CHECK(cd_drive() != NULL);
    CHECK(disk_lookup(0x80) != NULL && disk_lookup(0x80)->vbd->vdev == 768);
    CHECK(strstr(log_capture, "no PV disk hdc here") != NULL);
}

const struct test cdrom_tests[] = {
    { "test_cd_only_left_emulated", test_cd_only_left_emulated },
    { "test_cd_boot_key_ignores_cd", test_cd_boot_key_ignores_cd },
    { "test_cd_twin_taken_over", test_cd_twin_taken_over },
    { "test_cd_backend_512_byte_sectors", test_cd_backend_512_byte_sectors },
    { "test_cd_sector16_differs_kept_emulated", test_cd_sector16_differs_kept_emulated },
    { "test_cd_other_ide_index_not_offered", test_cd_other_ide_index_not_offered },
    { "test_cd_twin_not_atapi_not_offered", test_cd_twin_not_atapi_not_offered },
    { "test_cd_second_cd_drive_is_the_twin", test_cd_second_cd_drive_is_the_twin },
    { "test_cd_no_media_not_offered", test_cd_no_media_not_offered },
    { "test_cd_twins_kept", test_cd_twins_kept },
    { "test_cd_int13_simple_functions", test_cd_int13_simple_functions },
    { "test_cd_int13_bios_state_functions_chain", test_cd_int13_bios_state_functions_chain },
    { "test_cd_int13_ext_reads", test_cd_int13_ext_reads },
    { "test_cd_int13_write_verify_seek", test_cd_int13_write_verify_seek },
    { "test_cd_int13_bad_packets", test_cd_int13_bad_packets },
    { "test_cd_int13_edd_params", test_cd_int13_edd_params },
    { "test_cd_media_change", test_cd_media_change },
};
const unsigned int cdrom_tests_count = sizeof(cdrom_tests) / sizeof(cdrom_tests[0]);
