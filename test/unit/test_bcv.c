/* rom/main.c and rom/bcv.c behind the platform seam: c_dispatch() entered as
 * the stub enters it (init, BCV, INT 13h, the quiesce points) against the
 * simulated Xen, backends, PCI bus and SeaBIOS INT 13h (sim.c, sim_bios.c):
 * twin search, drive numbering, and what the BCV leaves behind when a vbd
 * fails. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "sim.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/stub.h"
#include "xen/xenstore.h"
#include "test_disk.h"

#define BUF_SEG     0x1000
#define LOW_BUF     0x9000          /* the stub's low_buf */
#define PREV_INT15  0xf000f859u
#define PREV_INT18  0xf0008666u
#define PREV_INT19  0xf000e6f2u
#define PNP_TABLE   0x40            /* the $PnP slots' offset in the ROM */
#define BCV_ENTRY   0x200           /* BCV k at BCV_ENTRY + 8 k */

void c_dispatch(uint32_t fn, struct stub_frame *frame, struct stub_info *info);

static struct {
    struct stub_frame f;
    struct stub_iret r;
} __attribute__((packed)) call;

static struct stub_info stub;
static uint8_t other_mbr[512];

static uint8_t *low(uint32_t flat)
{
    return phys_to_virt(flat);
}

static uint32_t *ivt(void)
{
    return (uint32_t *)low(0);
}

/* $PnP slot @k of the ROM at stub.rom_seg. */
static uint8_t *slot(int k)
{
    return low(stub.rom_seg * 16u + PNP_TABLE + (uint32_t)k * STUB_PNP_SLOT);
}

/* The $PnP slots as rom/bios/entry.S lays them out before init. */
static void rom_slots(void)
{
    uint16_t name, bcv;
    int k;

    for (k = 0; k < STUB_PNP_SLOTS; k++) {
        uint8_t *h = slot(k);

        name = (uint16_t)(PNP_TABLE + k * STUB_PNP_SLOT + STUB_PNP_NAME);
        bcv = (uint16_t)(BCV_ENTRY + 8 * k);
        memset(h, 0, STUB_PNP_SLOT);
        memcpy(h, "$PnP", 4);
        h[4] = 1;
        h[5] = STUB_PNP_NAME / 16;
        memcpy(h + 0x10, &name, 2);
        memcpy(h + 0x16, &bcv, 2);
    }
    strcpy((char *)slot(0) + STUB_PNP_NAME, "Xen PV block disks (xenpvboot)");
}

/* A machine after SeaBIOS's POST with @emulated emulated hard disks
 * (numbered 80h.. in 40:75), before our init. */
static void bios_setup(unsigned int emulated)
{
    sim_reset();
    sim_bios_reset();
    log_capture_len = 0;
    log_capture[0] = '\0';
    memset(low(0), 0, REAL_MODE_LIMIT);
    *low(BDA_HDCOUNT) = (uint8_t)emulated;
    ivt()[0x13] = SIM_BIOS_INT13;
    ivt()[0x15] = PREV_INT15;
    ivt()[0x18] = PREV_INT18;
    ivt()[0x19] = PREV_INT19;
    memset(&stub, 0, sizeof(stub));
    stub.int13_entry = 0x100;
    stub.int15_entry = 0x120;
    stub.int18_entry = 0x140;
    stub.int19_entry = 0x160;
    stub.rom_seg = 0xca00;
    stub.image_kind = STUB_IMAGE_PMM;
    stub.image_base = 0x07f00000;
    stub.low_buf = LOW_BUF;
    stub.pnp_table = PNP_TABLE;
    rom_slots();
    nr_bdisks = 0;
    memset(other_mbr, 0x5a, sizeof(other_mbr));
}

/* Emulated drive 80h + n is IDE index @ide with sector 0 @mbr. */
static void bios_drive(int ide, const uint8_t *mbr)
{
    sim_bios_drives[sim_bios_nr_drives].ide_index = ide;
    sim_bios_drives[sim_bios_nr_drives].sector0 = mbr;
    sim_bios_nr_drives++;
}

static void dispatch(uint32_t fn, uint16_t ax)
{
    memset(&call, 0, sizeof(call));
    call.f.ax = ax;
    call.r.flags = 0x0202;
    c_dispatch(fn, &call.f, &stub);
}

/* The BCV of $PnP slot @k, entered as the stub enters it (AX = k). */
static void bcv(int k)
{
    dispatch(STUB_FN_BCV, (uint16_t)k);
}

/* How many $PnP headers SeaBIOS finds from the ROM header's chain. */
static int pnp_chain_length(void)
{
    uint16_t next = PNP_TABLE;
    int n = 0;

    while (next && n <= STUB_PNP_SLOTS) {
        const uint8_t *h = low(stub.rom_seg * 16u + next);

        if (memcmp(h, "$PnP", 4))
            break;
        n++;
        memcpy(&next, h + 6, 2);
    }
    return n;
}

/* init then each BCV of the chain, as SeaBIOS runs them by default. */
static void post(void)
{
    int k, n;

    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    n = call.f.al ? 0 : pnp_chain_length();
    for (k = 0; k < n; k++)
        bcv(k);
}

/* INT 13h AH=02h, one sector at CHS 0/0/1 of @drive into BUF_SEG:0. */
static void int13_read_mbr(uint8_t drive)
{
    memset(&call, 0, sizeof(call));
    call.f.ax = 0x0201;
    call.f.cx = 0x0001;
    call.f.dl = drive;
    call.f.es = BUF_SEG;
    call.r.flags = 0x0202;
    c_dispatch(STUB_FN_INT13, &call.f, &stub);
}

/* INT 13h AH=42h of @count sectors at @lba of @drive into BUF_SEG:0. */
static void int13_ext_read(uint8_t drive, uint16_t count, uint32_t lba)
{
    uint8_t *dap = low(0x8000);

    memset(dap, 0, 16);
    dap[0] = 16;
    memcpy(dap + 2, &count, 2);
    dap[6] = BUF_SEG & 0xff;
    dap[7] = BUF_SEG >> 8;
    memcpy(dap + 8, &lba, 4);
    memset(&call, 0, sizeof(call));
    call.f.ax = 0x4200;
    call.f.dl = drive;
    call.f.ds = 0x0800;
    call.r.flags = 0x0202;
    c_dispatch(STUB_FN_INT13, &call.f, &stub);
}

/* Nothing of ours in Xen or the backend for vbd @id (DESIGN.md
 * "Handover"), the bus down. */
static int left_clean(struct sim_vbd *b)
{
    char p[64];

    snprintf(p, sizeof(p), "device/vbd/%u/ring-ref", b->id);
    return !xen_is_up() && sim_front_state(b->id) == XenbusStateInitialising &&
           b->state == XenbusStateInitWait && !sim_xs_exists(p) &&
           !b->mapped && sim_open_ports() == 1 && sim.shinfo_gfn == 0 &&
           sim.gnttab_gfn == 0 && sim_xs_ring_quiescent();
}

/* ---- init: the PCI seam ------------------------------------------------ */

static void test_main_init_finds_device_and_disks(void)
{
    bios_setup(0);
    sim_add_vbd(768, 1000, XenbusStateInitWait);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(call.f.al, 0);                             /* stays resident */
    CHECK(strstr(log_capture, "PCI 00:02.0 5853:0001 class ff8000 rev 01"));
    {
        char want[64];

        snprintf(want, sizeof(want), "BAR1 %08x size 4000",
                 (uint32_t)(uintptr_t)sim_bar);
        CHECK(strstr(log_capture, want));
    }
    CHECK(strstr(log_capture, "vbd 768 (device/vbd/768) backend"));
    CHECK(!xen_is_up());                /* init holds nothing of Xen's */
    CHECK_EQ(sim_open_ports(), 1);
    CHECK_EQ(ivt()[0x13], SIM_BIOS_INT13);  /* hooks come with the BCV */
}

/* ---- BCV: twins and numbering ------------------------------------------ */

static void test_bcv_takes_over_twin_and_numbers_new_drive(void)
{
    struct sim_vbd *hda, *xvde;

    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);          /* IDE 0 */
    xvde = sim_add_vbd(51776, 1000, XenbusStateInitWait);       /* no twin */
    bios_drive(0, hda->disk);
    post();
    CHECK_EQ(nr_bdisks, 2);
    CHECK_EQ(bdisks[0].drive, 0x80);
    CHECK(bdisks[0].twin);
    CHECK_EQ(bdisks[1].drive, 0x81);
    CHECK(!bdisks[1].twin);
    CHECK_EQ(*low(BDA_HDCOUNT), 2);
    CHECK_EQ(ivt()[0x13], 0xca000100);
    CHECK_EQ(ivt()[0x15], 0xca000120);
    CHECK_EQ(stub.prev_int13, SIM_BIOS_INT13);
    CHECK_EQ(stub.prev_int19, PREV_INT19);
    CHECK(left_clean(hda));
    CHECK(left_clean(xvde));
    /* the twin's number reads the PV disk, the new one too */
    int13_read_mbr(0x81);
    CHECK_EQ(call.f.ah, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), xvde->disk, 512));
    int13_ext_read(0x80, 8, 100);
    CHECK_EQ(call.f.ah, 0);
    CHECK(!(call.r.flags & FLAG_CF));
    CHECK(!memcmp(low(BUF_SEG * 16), hda->disk + 100 * 512, 8 * 512));
    CHECK_EQ(call.f.chain, 0);
    /* an E820 walk's first call quiesces and chains to the BIOS */
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK_EQ(call.f.chain, PREV_INT15);
    CHECK(left_clean(hda));
    CHECK(left_clean(xvde));
}

static void test_bcv_twin_with_other_sector0_gets_new_number(void)
{
    struct sim_vbd *hda;

    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bios_drive(0, other_mbr);
    post();
    CHECK_EQ(nr_bdisks, 1);
    CHECK_EQ(bdisks[0].drive, 0x81);
    CHECK(!bdisks[0].twin);
    CHECK_EQ(*low(BDA_HDCOUNT), 2);
    CHECK(strstr(log_capture, "is IDE index 0 but sector 0 differs"));
    CHECK(left_clean(hda));
}

static void test_bcv_twin_search_matches_ide_index(void)
{
    struct sim_vbd *hdc;

    bios_setup(2);
    hdc = sim_add_vbd(5632, 1000, XenbusStateInitWait);         /* hdc: IDE 2 */
    bios_drive(0, other_mbr);                                   /* 80h: hda */
    bios_drive(2, hdc->disk);                                   /* 81h: hdc */
    post();
    CHECK_EQ(nr_bdisks, 1);
    CHECK_EQ(bdisks[0].drive, 0x81);
    CHECK(bdisks[0].twin);
    CHECK_EQ(*low(BDA_HDCOUNT), 2);
    CHECK(left_clean(hdc));
}

static void test_bcv_keep_twins(void)
{
    struct sim_vbd *hda;

    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    sim_xs_set("xenpvboot/twins", "keep");
    post();
    CHECK_EQ(nr_bdisks, 1);
    CHECK_EQ(bdisks[0].drive, 0x81);
    CHECK(!bdisks[0].twin);
    CHECK_EQ(sim_bios_calls, 0);        /* the twins were not even looked for */
    CHECK(left_clean(hda));
}

static void test_bcv_no_disk_no_hooks(void)
{
    struct sim_vbd *hda;

    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    hda->fault = BKF_NEVER_CONNECT;
    post();
    CHECK_EQ(nr_bdisks, 0);
    CHECK_EQ(ivt()[0x13], SIM_BIOS_INT13);
    CHECK_EQ(*low(BDA_HDCOUNT), 1);
    CHECK(strstr(log_capture, "vbd 768: not offered (-110)"));
    CHECK(!xen_is_up());
    CHECK_EQ(sim_open_ports(), 1);
}

/* ---- BCV: a vbd whose first block cannot be read ----- */

/* It connected, so it must be disconnected with the rest, though it never
 * became a drive: neither Connected nor a live ring nor an open port may be
 * left for the OS. */
static void bcv_first_block_fails(enum sim_bk_fault fault)
{
    struct sim_vbd *good, *bad;

    bios_setup(0);
    good = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bad = sim_add_vbd(832, 1000, XenbusStateInitWait);          /* hdb */
    bad->fault = fault;
    post();
    CHECK_EQ(nr_bdisks, 1);
    CHECK_EQ(bdisks[0].vbd->vdev, 768);
    CHECK(strstr(log_capture, "vbd 832: not offered"));
    CHECK_EQ(sim_front_state(832), XenbusStateInitialising);
    CHECK(!bad->mapped);
    CHECK(!sim_xs_exists("device/vbd/832/ring-ref"));
    CHECK(!sim_xs_exists("device/vbd/832/event-channel"));
    CHECK_EQ(sim_open_ports(), 1);
    CHECK(left_clean(good));
    /* and at the next quiesce point too */
    int13_read_mbr(0x80);
    int13_ext_read(0x80, 4, 10);
    CHECK_EQ(call.f.ah, 0);
    dispatch(STUB_FN_INT19, 0);
    CHECK_EQ(call.f.chain, PREV_INT19);
    CHECK(left_clean(good));
    CHECK_EQ(sim_front_state(832), XenbusStateInitialising);
    CHECK_EQ(sim_open_ports(), 1);
}

static void test_bcv_first_block_error_status(void)
{
    bcv_first_block_fails(BKF_STATUS_ERROR);
}

static void test_bcv_first_block_wrong_id(void)
{
    bcv_first_block_fails(BKF_WRONG_ID);
}

static void test_bcv_first_block_no_answer(void)
{
    bcv_first_block_fails(BKF_CLOSE_MIDREQ);
}


/* ---- one $PnP header per disk ------------------------------------------ */

static int header_sums_to_zero(int k)
{
    uint8_t sum = 0;
    int i;

    for (i = 0; i < STUB_PNP_NAME; i++)
        sum += slot(k)[i];
    return sum == 0;
}

static const char *slot_name(int k)
{
    return (const char *)slot(k) + STUB_PNP_NAME;
}

static void test_pnp_header_per_disk(void)
{
    struct sim_vbd *hda, *dead, *xvde;
    uint16_t next;

    bios_setup(0);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    hda->sectors = 32768;               /* what the backend says; block 0 is read */
    dead = sim_add_vbd(832, 1000, XenbusStateInitWait);
    dead->fault = BKF_NEVER_CONNECT;                   /* gets no entry */
    xvde = sim_add_vbd(51776, 1000, XenbusStateInitWait);
    xvde->sectors = 4ull << 21;
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(call.f.al, 0);
    CHECK_EQ(nr_bdisks, 2);
    CHECK_EQ(pnp_chain_length(), 2);
    CHECK_STR(slot_name(0), "Xen PV disk hda 16 MiB (blkback)");
    CHECK_STR(slot_name(1), "Xen PV disk xvde 4 GiB (blkback)");
    memcpy(&next, slot(0) + 6, 2);
    CHECK_EQ(next, PNP_TABLE + STUB_PNP_SLOT);
    memcpy(&next, slot(1) + 6, 2);
    CHECK_EQ(next, 0);
    CHECK(header_sums_to_zero(0));
    CHECK(header_sums_to_zero(1));
    CHECK(strstr(log_capture, "boot entry 1: Xen PV disk hda 16 MiB (blkback)"));
    CHECK(strstr(log_capture, "boot entry 2: Xen PV disk xvde 4 GiB (blkback)"));
    /* init connected each disk once to learn its size, and let go */
    CHECK(left_clean(hda));
    CHECK(left_clean(xvde));
    CHECK_EQ(ivt()[0x13], SIM_BIOS_INT13);
}

/* SeaBIOS's boot menu puts the chosen entry first: its BCV runs before the
 * BIOS numbers its own disks, so that disk is 80h; the emulated disks and
 * the other PV disks follow, twins still taken over where they are found. */
static void test_bcv_chosen_entry_becomes_80h(void)
{
    struct sim_vbd *hda, *hdb;
    static uint8_t ours[512];

    bios_setup(0);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    hdb = sim_add_vbd(832, 1000, XenbusStateInitWait);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(pnp_chain_length(), 2);
    bcv(1);                             /* "2. Xen PV disk hdb ..." chosen */
    CHECK_EQ(bdisks[1].drive, 0x80);
    CHECK(!bdisks[1].twin);
    CHECK_EQ(*low(BDA_HDCOUNT), 1);
    CHECK_EQ(ivt()[0x13], 0xca000100);
    /* SeaBIOS maps its ATA disks after it: hda 81h, hdb 82h */
    bios_drive(3, ours);                /* 80h: ours, never asked */
    bios_drive(0, hda->disk);
    bios_drive(1, hdb->disk);
    *low(BDA_HDCOUNT) = 3;
    bcv(0);
    CHECK_EQ(bdisks[0].drive, 0x81);
    CHECK(bdisks[0].twin);
    CHECK_EQ(*low(BDA_HDCOUNT), 3);
    /* the BIOS's handler stays the one we chain to, hooked once */
    CHECK_EQ(stub.prev_int13, SIM_BIOS_INT13);
    CHECK_EQ(ivt()[0x13], 0xca000100);
    int13_read_mbr(0x80);
    CHECK_EQ(call.f.ah, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), hdb->disk, 512));
    CHECK_EQ(call.f.chain, 0);
    int13_read_mbr(0x81);
    CHECK(!memcmp(low(BUF_SEG * 16), hda->disk, 512));
    int13_read_mbr(0x82);               /* hdb's emulated twin: the BIOS's */
    CHECK_EQ(call.f.chain, SIM_BIOS_INT13);
    dispatch(STUB_FN_INT19, 0);
    CHECK(left_clean(hda));
    CHECK(left_clean(hdb));
}

/* A BCV index from no header of ours, or a disk's BCV run twice, numbers
 * nothing (the BIOS is not ours to trust). */
static void test_bcv_bad_index(void)
{
    bios_setup(0);
    sim_add_vbd(768, 1000, XenbusStateInitWait);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    bcv(3);
    bcv(0xffff);
    CHECK_EQ(*low(BDA_HDCOUNT), 0);
    CHECK_EQ(ivt()[0x13], SIM_BIOS_INT13);
    bcv(0);
    bcv(0);
    CHECK_EQ(bdisks[0].drive, 0x80);
    CHECK_EQ(*low(BDA_HDCOUNT), 1);
    CHECK(strstr(log_capture, "BCV 3: no such disk"));
    CHECK(strstr(log_capture, "BCV 0: no such disk, or numbered already"));
}

/* A slot that is not a header of ours (a stub built otherwise) stops the
 * chain there: the disks before it keep their entries. */
static void test_pnp_foreign_slot(void)
{
    bios_setup(0);
    sim_add_vbd(768, 1000, XenbusStateInitWait);
    sim_add_vbd(832, 1000, XenbusStateInitWait);
    slot(1)[0] = 'X';
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(pnp_chain_length(), 1);
    CHECK(header_sums_to_zero(0));
    CHECK(strstr(log_capture, "$PnP slot 1 is not ours: 1 of 2 disks get a boot entry"));
}

/* ---- xenpvboot/boot ----------------------------------------------------- */

/* Three PV disks, two of them twins: the named one becomes 80h, the drives
 * before it move up one, the one after keeps its number. */
static void test_bootchoice_second_disk(void)
{
    struct sim_vbd *hda, *hdb, *xvde;

    bios_setup(2);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    hdb = sim_add_vbd(832, 1000, XenbusStateInitWait);
    xvde = sim_add_vbd(51776, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    bios_drive(1, hdb->disk);
    sim_xs_set("xenpvboot/boot", "hdb");
    post();
    CHECK_EQ(nr_bdisks, 3);
    CHECK_EQ(bdisks[1].drive, 0x80);
    CHECK_EQ(bdisks[0].drive, 0x81);
    CHECK_EQ(bdisks[2].drive, 0x82);
    CHECK_EQ(*low(BDA_HDCOUNT), 3);
    CHECK(strstr(log_capture, "xenpvboot/boot is \"hdb\""));
    CHECK(strstr(log_capture, "xenpvboot/boot: vbd 832 (hdb) is drive 80, was 81"));
    int13_read_mbr(0x80);
    CHECK(!memcmp(low(BUF_SEG * 16), hdb->disk, 512));
    int13_read_mbr(0x81);
    CHECK(!memcmp(low(BUF_SEG * 16), hda->disk, 512));
    int13_read_mbr(0x82);
    CHECK(!memcmp(low(BUF_SEG * 16), xvde->disk, 512));
    CHECK_EQ(call.f.chain, 0);
}

/* With the twins kept, the BIOS's own drives move too: a call to the
 * number they moved to reaches the BIOS with the number it gave them, and
 * the caller gets its DL back. */
static void test_bootchoice_moves_bios_drives(void)
{
    struct sim_vbd *hda;

    bios_setup(2);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    bios_drive(1, other_mbr);
    sim_xs_set("xenpvboot/twins", "keep");
    sim_xs_set("xenpvboot/boot", "hda");
    post();
    CHECK_EQ(bdisks[0].drive, 0x80);            /* was 82h, a new drive */
    CHECK_EQ(*low(BDA_HDCOUNT), 3);
    int13_read_mbr(0x80);
    CHECK(!memcmp(low(BUF_SEG * 16), hda->disk, 512));
    CHECK_EQ(call.f.chain, 0);
    memset(low(BUF_SEG * 16), 0, 512);
    int13_read_mbr(0x82);                       /* the BIOS's 81h */
    CHECK_EQ(call.f.chain, 0);                  /* answered here */
    CHECK_EQ(call.f.dl, 0x82);
    CHECK(!(call.r.flags & FLAG_CF));
    CHECK(!memcmp(low(BUF_SEG * 16), other_mbr, 512));
    int13_read_mbr(0x81);                       /* the BIOS's 80h: hda emulated */
    CHECK_EQ(call.f.dl, 0x81);
    CHECK(!memcmp(low(BUF_SEG * 16), hda->disk, 512));
    CHECK(!(sim_bios_last_flags & 0x0300));     /* entered as by INT: IF, TF clear */
    memset(&call, 0, sizeof(call));             /* AH=08h answers in DX: the BIOS's DL */
    call.f.ax = 0x0800;
    call.f.dl = 0x82;
    call.r.flags = 0x0202;
    c_dispatch(STUB_FN_INT13, &call.f, &stub);
    CHECK_EQ(call.f.chain, 0);
    CHECK_EQ(call.f.dl, 2);
    int13_read_mbr(0x83);                       /* no such drive: unchanged, on */
    CHECK_EQ(call.f.chain, SIM_BIOS_INT13);
    CHECK_EQ(call.f.dl, 0x83);
}

static void test_bootchoice_already_80h(void)
{
    struct sim_vbd *hda;

    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    sim_add_vbd(51776, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    sim_xs_set("xenpvboot/boot", "hda");
    post();
    CHECK_EQ(bdisks[0].drive, 0x80);
    CHECK_EQ(bdisks[1].drive, 0x81);
    CHECK(strstr(log_capture, "xenpvboot/boot: vbd 768 (hda) is drive 80 already"));
    int13_read_mbr(0x81);
    CHECK_EQ(call.f.chain, 0);                  /* ours, not moved */
}

static void test_bootchoice_unknown_name(void)
{
    struct sim_vbd *hda;

    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    sim_add_vbd(51776, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    sim_xs_set("xenpvboot/boot", "xvdq");
    post();
    CHECK_EQ(bdisks[0].drive, 0x80);
    CHECK_EQ(bdisks[1].drive, 0x81);
    CHECK(strstr(log_capture, "xenpvboot/boot: no PV disk xvdq here: default order"));
}

/* A key longer than any name, or empty, changes nothing. */
static void test_bootchoice_hostile_key(void)
{
    struct sim_vbd *hda;

    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    sim_add_vbd(51776, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    sim_xs_set("xenpvboot/boot", "xvdexvdexvdexvdexvdexvde");
    post();
    CHECK_EQ(bdisks[0].drive, 0x80);
    CHECK_EQ(bdisks[1].drive, 0x81);
    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    sim_add_vbd(51776, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    sim_xs_set("xenpvboot/boot", "");
    post();
    CHECK_EQ(bdisks[0].drive, 0x80);
    CHECK_EQ(bdisks[1].drive, 0x81);
    CHECK(!strstr(log_capture, "xenpvboot/boot"));
}


/* ---- the connection init keeps (rom/bios/quiesce.c) -------------------- */

#define PMM_AT 0xfd0a0u                 /* where SeaBIOS's $PMM header sits */
#define MS     1000000ull

/* SeaBIOS's $PMM header, as its POST leaves it (checksummed, 32 bytes). */
static void pmm_header_put(void)
{
    uint8_t *h = low(PMM_AT), sum = 0;

    memset(h, 0, 32);
    memcpy(h, "$PMM", 4);
    h[4] = 1;
    h[5] = 32;
    for (int i = 0; i < 32; i++)
        sum += h[i];
    h[6] = (uint8_t)-sum;
}

/* The machine of bios_setup() with PMM, and our idle entries. */
static void bios_setup_pmm(unsigned int emulated)
{
    bios_setup(emulated);
    stub.int10_entry = 0x180;
    stub.int16_entry = 0x1a0;
    stub.int1a_entry = 0x1c0;
    ivt()[0x10] = 0xc0000003u;
    ivt()[0x16] = 0xf000e82eu;
    ivt()[0x1a] = 0xf000fe6eu;
    pmm_header_put();
}

/* SeaBIOS's prepareboot: $PMM's signature cleared after the BCVs. */
static void pmm_prepboot(void)
{
    memset(low(PMM_AT), 0, 4);
}

static uint32_t ours(uint16_t entry)
{
    return (uint32_t)stub.rom_seg << 16 | entry;
}

/* Connected as init left it: the ring granted, nothing else. */
static int kept_connected(struct sim_vbd *b)
{
    return xen_is_up() && b->mapped && b->state == XenbusStateConnected &&
           sim_front_state(b->id) == XenbusStateConnected && gnttab_live() == 1;
}

/* Init keeps the connection and hooks the quiesce points that need no BCV;
 * a boot menu's seconds of INT 16h polls do not quiesce before the BCVs;
 * SeaBIOS's own INT 19h and its "Booting from" INT 10h do not either, and
 * the loader's first read needs no handshake. */
static void test_kept_connection_serves_first_read(void)
{
    struct sim_vbd *hda;
    unsigned int xs, reqs;
    grant_ref_t ring;

    bios_setup_pmm(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(call.f.al, 0);
    CHECK(kept_connected(hda));
    CHECK(strstr(log_capture, "stay connected for the first read"));
    CHECK_EQ(ivt()[0x15], ours(stub.int15_entry));
    CHECK_EQ(ivt()[0x18], ours(stub.int18_entry));
    CHECK_EQ(ivt()[0x10], ours(stub.int10_entry));
    CHECK_EQ(ivt()[0x16], ours(stub.int16_entry));
    CHECK_EQ(ivt()[0x1a], ours(stub.int1a_entry));
    CHECK_EQ(ivt()[0x13], SIM_BIOS_INT13);      /* the BCV's */
    CHECK_EQ(ivt()[0x19], PREV_INT19);          /* SeaBIOS would take it back */
    ring = hda->ring_ref;
    for (int i = 0; i < 30; i++) {              /* "Press ESC for boot menu" */
        sim.now += 100 * MS;
        dispatch(STUB_FN_INT16, 0x0100);
        CHECK_EQ(call.f.chain, 0xf000e82eu);
    }
    CHECK(kept_connected(hda));
    bcv(0);
    CHECK_EQ(ivt()[0x13], ours(stub.int13_entry));
    CHECK_EQ(ivt()[0x19], ours(stub.int19_entry));
    pmm_prepboot();
    sim.now += 300 * MS;
    dispatch(STUB_FN_INT19, 0);
    CHECK_EQ(call.f.chain, PREV_INT19);
    CHECK(kept_connected(hda));
    sim.now += 500 * MS;
    dispatch(STUB_FN_INT10, 0x0e42);            /* "Booting from Hard Disk..." */
    CHECK(kept_connected(hda));
    reqs = hda->requests;
    int13_read_mbr(0x80);                       /* block 0: from memory */
    CHECK_EQ(call.f.ah, 0);
    CHECK_EQ(hda->requests, reqs);
    xs = sim.xs_requests;
    int13_ext_read(0x80, 8, 100);
    CHECK_EQ(call.f.ah, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), hda->disk + 100 * 512, 8 * 512));
    CHECK(sim.xs_requests - xs <= 1);           /* one state check, no handshake */
    CHECK_EQ(hda->ring_ref, ring);
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK(left_clean(hda));
}

/* Our BCV never runs (the boot order leaves us out): the first hooked call
 * once SeaBIOS has ended POST lets go -- its "Booting from" line. */
static void test_kept_connection_without_bcv_quiesces_after_post(void)
{
    struct sim_vbd *hda;

    bios_setup_pmm(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK(kept_connected(hda));
    sim.now += 5000 * MS;
    dispatch(STUB_FN_INT16, 0x0100);
    CHECK(kept_connected(hda));                 /* BCVs may still come */
    pmm_prepboot();
    dispatch(STUB_FN_INT10, 0x0e42);
    CHECK_EQ(call.f.chain, 0xc0000003u);
    CHECK(left_clean(hda));
    CHECK(strstr(log_capture, "quiesced at the end of POST with no BCV of ours"));
    /* an E820 walk alone does it too */
    bios_setup_pmm(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK(kept_connected(hda));
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK_EQ(call.f.chain, PREV_INT15);
    CHECK(left_clean(hda));
    /* and INT 18h */
    bios_setup_pmm(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    dispatch(STUB_FN_INT18, 0);
    CHECK_EQ(call.f.chain, PREV_INT18);
    CHECK(left_clean(hda));
}

/* Our BCV ran but SeaBIOS boots something else (a CD or floppy chosen from
 * the menu): its loader's first INT 13h call for its own drive lets go,
 * and a later call of ours connects again and works. */
static void test_kept_connection_bios_boots_other_drive(void)
{
    struct sim_vbd *hda;

    bios_setup_pmm(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bios_drive(0, hda->disk);
    post();
    pmm_prepboot();
    dispatch(STUB_FN_INT19, 0);
    CHECK(kept_connected(hda));
    memset(&call, 0, sizeof(call));
    call.f.ax = 0x4100;
    call.f.bx = 0x55aa;
    call.f.dl = 0xe0;                           /* the emulated CD's loader */
    c_dispatch(STUB_FN_INT13, &call.f, &stub);
    CHECK_EQ(call.f.chain, SIM_BIOS_INT13);
    CHECK(left_clean(hda));
    CHECK(strstr(log_capture, "INT 13h for drive e0, none of ours yet"));
    int13_ext_read(0x80, 4, 12);
    CHECK_EQ(call.f.ah, 0);
    CHECK(!memcmp(low(BUF_SEG * 16), hda->disk + 12 * 512, 4 * 512));
    /* an emulated disk's call after one of ours is just passed on */
    memset(&call, 0, sizeof(call));
    call.f.ax = 0x0800;
    call.f.dl = 0x81;
    c_dispatch(STUB_FN_INT13, &call.f, &stub);
    CHECK(xen_is_up());
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK(left_clean(hda));
}

/* Only SeaBIOS's own INT 19h keeps it: a second one, or one after a call of
 * ours (a loader restarting the boot), quiesces as before. */
static void test_kept_connection_later_int19_quiesces(void)
{
    struct sim_vbd *hda;

    bios_setup_pmm(0);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    post();
    dispatch(STUB_FN_INT19, 0);
    CHECK(kept_connected(hda));
    dispatch(STUB_FN_INT19, 0);
    CHECK(left_clean(hda));
    bios_setup_pmm(0);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    post();
    int13_read_mbr(0x80);
    dispatch(STUB_FN_INT19, 0);
    CHECK(left_clean(hda));
}

/* Past SeaBIOS's INT 19h and a call of ours, the idle rule holds as
 * between any two calls: a second of no disk call, then a key poll. */
static void test_kept_connection_idle_after_boot(void)
{
    struct sim_vbd *hda;

    bios_setup_pmm(0);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    post();
    dispatch(STUB_FN_INT19, 0);
    int13_read_mbr(0x80);
    sim.now += 500 * MS;
    dispatch(STUB_FN_INT16, 0x0100);
    CHECK(kept_connected(hda));
    sim.now += 600 * MS;
    dispatch(STUB_FN_INT16, 0x0100);
    CHECK(left_clean(hda));
}

/* A vbd whose first block cannot be read gets no drive: init's kept
 * connection is the offered disks' only. */
static void test_kept_connection_only_for_offered(void)
{
    struct sim_vbd *good, *bad;

    bios_setup_pmm(0);
    good = sim_add_vbd(768, 1000, XenbusStateInitWait);
    bad = sim_add_vbd(832, 1000, XenbusStateInitWait);
    bad->fault = BKF_STATUS_ERROR;
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(nr_bdisks, 1);
    CHECK(good->mapped && sim_front_state(768) == XenbusStateConnected);
    CHECK(!bad->mapped);
    CHECK_EQ(sim_front_state(832), XenbusStateInitialising);
    CHECK(!sim_xs_exists("device/vbd/832/ring-ref"));
    CHECK_EQ(gnttab_live(), 1);
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK(left_clean(good));
}

/* Without $PMM, or with the image in base memory, init lets go as before
 * (no hook at init). */
static void test_kept_connection_needs_pmm(void)
{
    struct sim_vbd *hda;

    bios_setup_pmm(1);
    stub.image_kind = STUB_IMAGE_BASEMEM;
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK_EQ(call.f.al, 0);
    CHECK(left_clean(hda));
    CHECK_EQ(ivt()[0x15], PREV_INT15);
    bios_setup(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    dispatch(STUB_FN_INIT, SIM_PCI_BDF);
    CHECK(left_clean(hda));
    CHECK_EQ(ivt()[0x15], PREV_INT15);
}

/* The OS took Xen over while init's connection was kept (no BCV, no call
 * of ours): the tripwire at the next entry forgets it all without a word
 * to xenstore. */
static void kept_connection_tripwire(void)
{
    struct sim_vbd *hda;
    unsigned int xs;

    bios_setup_pmm(1);
    hda = sim_add_vbd(768, 1000, XenbusStateInitWait);
    post();
    dispatch(STUB_FN_INT19, 0);
    sim.callback_via = 1;
    xs = sim.xs_requests;
    dispatch(STUB_FN_INT15, 0xe820);
    CHECK_EQ(call.f.chain, PREV_INT15);
    CHECK_EQ(sim.xs_requests, xs);
    CHECK(!xen_is_up());
    CHECK(hda->mapped);                 /* left as it was: the OS's now */
    CHECK(strstr(log_capture, "has taken Xen over"));
}

/* in a child: the tripwire fires once per machine */
static void test_kept_connection_tripwire(void)
{
    CHECK_EQ(td_test_in_child(kept_connection_tripwire), 0);
}

const struct test bcv_tests[] = {
    { "test_kept_connection_serves_first_read", test_kept_connection_serves_first_read },
    { "test_kept_connection_without_bcv_quiesces_after_post",
      test_kept_connection_without_bcv_quiesces_after_post },
    { "test_kept_connection_bios_boots_other_drive",
      test_kept_connection_bios_boots_other_drive },
    { "test_kept_connection_later_int19_quiesces", test_kept_connection_later_int19_quiesces },
    { "test_kept_connection_idle_after_boot", test_kept_connection_idle_after_boot },
    { "test_kept_connection_only_for_offered", test_kept_connection_only_for_offered },
    { "test_kept_connection_needs_pmm", test_kept_connection_needs_pmm },
    { "test_kept_connection_tripwire", test_kept_connection_tripwire },
    { "test_bootchoice_second_disk", test_bootchoice_second_disk },
    { "test_bootchoice_moves_bios_drives", test_bootchoice_moves_bios_drives },
    { "test_bootchoice_already_80h", test_bootchoice_already_80h },
    { "test_bootchoice_unknown_name", test_bootchoice_unknown_name },
    { "test_bootchoice_hostile_key", test_bootchoice_hostile_key },
    { "test_pnp_header_per_disk", test_pnp_header_per_disk },
    { "test_bcv_chosen_entry_becomes_80h", test_bcv_chosen_entry_becomes_80h },
    { "test_bcv_bad_index", test_bcv_bad_index },
    { "test_pnp_foreign_slot", test_pnp_foreign_slot },
    { "test_main_init_finds_device_and_disks", test_main_init_finds_device_and_disks },
    { "test_bcv_takes_over_twin_and_numbers_new_drive",
      test_bcv_takes_over_twin_and_numbers_new_drive },
    { "test_bcv_twin_with_other_sector0_gets_new_number",
      test_bcv_twin_with_other_sector0_gets_new_number },
    { "test_bcv_twin_search_matches_ide_index", test_bcv_twin_search_matches_ide_index },
    { "test_bcv_keep_twins", test_bcv_keep_twins },
    { "test_bcv_no_disk_no_hooks", test_bcv_no_disk_no_hooks },
    { "test_bcv_first_block_error_status", test_bcv_first_block_error_status },
    { "test_bcv_first_block_wrong_id", test_bcv_first_block_wrong_id },
    { "test_bcv_first_block_no_answer", test_bcv_first_block_no_answer },
};
const unsigned int bcv_tests_count = sizeof(bcv_tests) / sizeof(bcv_tests[0]);
