/* INT 13h (rom/bios/int13.c) against the simulated blkback: every function's
 * answer, and the bad-input table, with the exact AH/CF/40:74 a BIOS gives. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "sim.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/int13.h"
#include "bios/quiesce.h"
#include "xen/grant.h"
#include "test_disk.h"

#define SECTORS    SIM_DISK_SECTORS
#define BDA_STATUS 0x474
#define BUF_SEG    0x1000           /* real-mode buffer at 10000h */
#define DAP_SEG    0x0800           /* disk address packet at 8000h */

static struct { struct stub_frame f; struct stub_iret r; } call;
static struct vbd vbd[1];
static struct sim_vbd *backend;
static uint8_t high_buf[128 * 512];

static uint8_t *low(uint32_t flat)
{
    return phys_to_virt(flat);
}

/* One PV disk as drive 80h, connected through the simulation. */
static int disk_setup(int readonly)
{
    struct bdisk *d = &bdisks[0];

    sim_reset();
    memset(low(0), 0, REAL_MODE_LIMIT);
    *low(BDA_HDCOUNT) = 1;
    if (xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        return -1;
    pv_set_bar((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u);
    backend = sim_add_vbd(768, SECTORS, XenbusStateInitWait);
    backend->readonly = readonly;
    if (blkfront_probe(vbd, 1) != 1 || blkfront_connect(vbd))
        return -1;
    memset(d, 0, sizeof(*d));
    d->vbd = vbd;
    d->drive = 0x80;
    d->block_shift = 9;
    d->blocks = vbd->sectors;
    geometry_choose(&d->chs, NULL, d->blocks);
    memcpy(d->block0, backend->disk, 512);
    d->block0_valid = 1;
    nr_bdisks = 1;
    return 0;
}

static void disk_done(void)
{
    pv_down();
    nr_bdisks = 0;
}

/* INT 13h with AX, CX, DX, ES:BX (or DS:SI for the EDD calls). */
static int int13(uint16_t ax, uint16_t cx, uint16_t dx, uint16_t seg, uint16_t off)
{
    memset(&call, 0, sizeof(call));
    call.f.ax = ax;
    call.f.cx = cx;
    call.f.dx = dx;
    call.f.es = call.f.ds = seg;
    call.f.bx = call.f.si = off;
    call.r.flags = 0x0202;
    return int13_service(&call.f, &call.r, 0x0010);
}

static int cf(void)
{
    return call.r.flags & FLAG_CF;
}

/* The DAP at DAP_SEG:0 (test_disk.c's, which is at the same place). */
#define dap td_dap
_Static_assert(DAP_SEG == TD_DAP_SEG, "one DAP address for both");

static uint16_t dap_count(void)
{
    uint16_t n;

    memcpy(&n, low(DAP_SEG * 16 + 2), 2);
    return n;
}

/* The CHS registers for @lba under the disk's geometry. */
static uint16_t chs_cx(uint32_t lba)
{
    struct chs *g = &bdisks[0].chs;
    uint32_t cyl = lba / (g->heads * g->sectors), s = lba % g->sectors + 1;

    return (cyl & 0xff) << 8 | (cyl >> 2 & 0xc0) | s;
}

static uint8_t chs_dh(uint32_t lba)
{
    struct chs *g = &bdisks[0].chs;

    return (lba / g->sectors) % g->heads;
}

static void test_int13_not_our_drive(void)
{
    unsigned int passed = int13_passed_on_hd();

    CHECK(!disk_setup(0));
    CHECK(!int13(0x0201, 0x0001, 0x0081, BUF_SEG, 0));
    CHECK_EQ(call.f.ax, 0x0201);
    CHECK(!int13(0x0800, 0, 0x0000, 0, 0));     /* floppy: not ours either */
    CHECK_EQ(int13_passed_on_hd(), passed);     /* 81h does not exist: a probe */
    *low(BDA_HDCOUNT) = 2;
    CHECK(!int13(0x0201, 0x0001, 0x0081, BUF_SEG, 0));
    CHECK_EQ(int13_passed_on_hd(), passed + 1); /* an emulated disk's call */
    disk_done();
}

static void test_int13_chs_read(void)
{
    CHECK(!disk_setup(0));
    CHECK(int13(0x0203, 0x0001, 0x0080, BUF_SEG, 0));
    CHECK(!cf());
    CHECK_EQ(call.f.ah, 0);
    CHECK_EQ(call.f.al, 3);
    CHECK(!memcmp(low(BUF_SEG * 16), backend->disk, 3 * 512));
    disk_done();
}

static void test_int13_chs_and_lba_agree(void)
{
    uint32_t lba = 1000;

    CHECK(!disk_setup(0));
    CHECK(int13(0x0201, chs_cx(lba), chs_dh(lba) << 8 | 0x80, BUF_SEG, 0));
    CHECK(!cf());
    dap(16, 1, BUF_SEG, 512, lba, 0);
    CHECK(int13(0x4200, 0, 0x0080, DAP_SEG, 0));
    CHECK(!cf());
    CHECK(!memcmp(low(BUF_SEG * 16), low(BUF_SEG * 16 + 512), 512));
    CHECK(!memcmp(low(BUF_SEG * 16), backend->disk + lba * 512, 512));
    disk_done();
}

static void test_int13_ext_read_127_and_flat(void)
{
    CHECK(!disk_setup(0));
    dap(16, 127, BUF_SEG, 0, 5, 0);
    CHECK(int13(0x4200, 0, 0x0080, DAP_SEG, 0));
    CHECK(!cf());
    CHECK_EQ(dap_count(), 127);
    CHECK(!memcmp(low(BUF_SEG * 16), backend->disk + 5 * 512, 127 * 512));
    dap(24, 128 - 1, 0xffff, 0xffff, 7, (uint32_t)(uintptr_t)high_buf);
    CHECK(int13(0x4200, 0, 0x0080, DAP_SEG, 0));
    CHECK(!cf());
    CHECK(!memcmp(high_buf, backend->disk + 7 * 512, 127 * 512));
    disk_done();
}

static void test_int13_ext_write(void)
{
    uint8_t *src = low(BUF_SEG * 16);

    CHECK(!disk_setup(0));
    for (int i = 0; i < 3 * 512; i++)
        src[i] = (uint8_t)(i * 13 + 1);
    dap(16, 3, BUF_SEG, 0, 100, 0);
    CHECK(int13(0x4300, 0, 0x0080, DAP_SEG, 0));
    CHECK(!cf());
    CHECK(!memcmp(backend->disk + 100 * 512, src, 3 * 512));
    CHECK(int13(0x0302, chs_cx(200), chs_dh(200) << 8 | 0x80, BUF_SEG, 0));
    CHECK(!cf());
    CHECK_EQ(call.f.al, 2);
    CHECK(!memcmp(backend->disk + 200 * 512, src, 2 * 512));
    disk_done();
}

static void test_int13_params_and_type(void)
{
    struct chs *g;
    uint32_t last_cyl, n;

    CHECK(!disk_setup(0));
    g = &bdisks[0].chs;
    CHECK(int13(0x0800, 0, 0x0080, 0, 0));
    CHECK(!cf());
    last_cyl = g->cylinders - 2;
    CHECK_EQ(call.f.ch, last_cyl & 0xff);
    CHECK_EQ(call.f.cl, (last_cyl >> 2 & 0xc0) | g->sectors);
    CHECK_EQ(call.f.dh, g->heads - 1);
    CHECK_EQ(call.f.dl, 1);
    CHECK_EQ(call.f.ax, 0);
    CHECK(int13(0x1500, 0, 0x0080, 0, 0));
    CHECK(!cf());
    CHECK_EQ(call.f.ah, 3);
    n = (uint32_t)(g->cylinders - 1) * g->heads * g->sectors;
    CHECK_EQ((uint32_t)call.f.cx << 16 | call.f.dx, n);
    disk_done();
}

static void test_int13_edd(void)
{
    uint8_t *p = low(DAP_SEG * 16), sum = 0;
    uint64_t sectors;
    uint16_t sizes[] = { 26, 30, 66, 74 }, got;

    CHECK(!disk_setup(0));
    memset(&call, 0, sizeof(call));
    call.f.ah = 0x41;
    call.f.bx = 0x55aa;
    call.f.dl = 0x80;
    CHECK(int13_service(&call.f, &call.r, 0x10));
    CHECK(!cf());
    CHECK_EQ(call.f.bx, 0xaa55);
    CHECK_EQ(call.f.ah, 0x30);
    CHECK_EQ(call.f.cx, 0x0005);
    for (unsigned int i = 0; i < 4; i++) {
        memset(p, 0xcc, 80);
        memcpy(p, &sizes[i], 2);
        CHECK(int13(0x4800, 0, 0x0080, DAP_SEG, 0));
        CHECK(!cf());
        memcpy(&got, p, 2);
        CHECK_EQ(got, sizes[i]);
        memcpy(&sectors, p + 16, 8);
        CHECK_EQ(sectors, SECTORS);
        CHECK_EQ(p[24] | p[25] << 8, 512);
        CHECK_EQ(p[got], 0xcc);                 /* nothing past its size */
    }
    CHECK_EQ(p[30] | p[31] << 8, 0xbedd);
    CHECK(!memcmp(p + 36, "PCI ", 4));
    for (int i = 30; i < 74; i++)
        sum += p[i];
    CHECK_EQ(sum, 0);
    CHECK_EQ(p[56] | p[57] << 8, 768);          /* vdev */
    disk_done();
}

/* The per-call grant audit: a well-behaved backend leaves no data grant
 * live when the call returns; one that keeps our pages mapped is counted
 * and named in the log. */
static void test_int13_grant_audit(void)
{
    CHECK(!disk_setup(0));
    CHECK(int13(0x0201, chs_cx(3), chs_dh(3) << 8 | 0x80, BUF_SEG, 0));
    CHECK_EQ(disk_data_grants_live(), 0);
    backend->fault = BKF_HOLD_GRANT;
    log_capture_len = 0;
    log_capture[0] = '\0';
    CHECK(int13(0x0201, chs_cx(4), chs_dh(4) << 8 | 0x80, BUF_SEG, 0));
    CHECK(!cf());
    CHECK_EQ(disk_data_grants_live(), 1);
    /* (the one-time "int13: returning with N data grants live" line may
     * have come from an earlier test's held grant: the count is per boot) */
    int13_report();
    CHECK(strstr(log_capture, " returned with data grants live\n"));
    CHECK(!strstr(log_capture, ", 0 returned with data grants live\n"));
    disk_done();
    CHECK_EQ(gnttab_live(), 0);     /* the backend let go at Closed */
}

/* The bad-input table: each row an INT 13h call and the AH it must get. */
struct bad_row {
    const char *what;
    uint16_t ax, cx, dh;
    uint16_t off;
    int use_dap;
    uint8_t dap_size, dap_reserved;
    uint16_t dap_count;
    uint64_t dap_lba;
    uint8_t want;
};

static void test_int13_bad_input_table(void)
{
    const struct bad_row rows[] = {
        { "count 0", 0x0200, 0x0001, 0, 0, 0, 0, 0, 0, 0, 0x01 },
        { "count 129", 0x0281, 0x0001, 0, 0, 0, 0, 0, 0, 0, 0x01 },
        { "sector 0", 0x0201, 0x0000, 0, 0, 0, 0, 0, 0, 0, 0x01 },
        { "sector past track", 0x0201, 0x0040 | 63, 0, 0, 0, 0, 0, 0, 0, 0x01 },
        { "cylinder out of range", 0x0201, 0xffc1, 0, 0, 0, 0, 0, 0, 0, 0x01 },
        { "head out of range", 0x0201, 0x0001, 200, 0, 0, 0, 0, 0, 0, 0x01 },
        { "buffer crosses 64 KiB", 0x0202, 0x0001, 0, 0xfe00, 0, 0, 0, 0, 0, 0x09 },
        { "unknown function", 0x2000, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 },
        { "DAP too small", 0x4200, 0, 0, 0, 1, 8, 0, 1, 0, 0x01 },
        { "DAP reserved byte", 0x4200, 0, 0, 0, 1, 16, 1, 1, 0, 0x01 },
        { "DAP count 128", 0x4200, 0, 0, 0, 1, 16, 0, 128, 0, 0x01 },
        { "LBA past the end", 0x4200, 0, 0, 0, 1, 16, 0, 1, SECTORS, 0x01 },
        { "LBA + count past the end", 0x4200, 0, 0, 0, 1, 16, 0, 4, SECTORS - 2, 0x01 },
        { "write with AL=3", 0x4303, 0, 0, 0, 1, 16, 0, 1, 0, 0x01 },
        { "seek past the end", 0x4700, 0, 0, 0, 1, 16, 0, 0, SECTORS, 0x01 },
    };

    CHECK(!disk_setup(0));
    for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct bad_row *r = &rows[i];

        if (r->use_dap) {
            dap(r->dap_size, r->dap_count, BUF_SEG, 0, r->dap_lba, 0);
            low(DAP_SEG * 16)[1] = r->dap_reserved;
            CHECK(int13(r->ax, 0, 0x0080, DAP_SEG, 0));
        } else {
            CHECK(int13(r->ax, r->cx, r->dh << 8 | 0x80, BUF_SEG, r->off));
        }
        if (!cf() || call.f.ah != r->want || *low(BDA_STATUS) != r->want)
            printf("    row \"%s\": cf=%d ah=%02x 40:74=%02x, expected ah=%02x\n",
                   r->what, cf(), call.f.ah, *low(BDA_STATUS), r->want);
        CHECK(cf());
        CHECK_EQ(call.f.ah, r->want);
        CHECK_EQ(*low(BDA_STATUS), r->want);
        if (r->use_dap && r->dap_count)
            CHECK_EQ(dap_count(), 0);
        if (!r->use_dap && (r->ax >> 8) == 2)
            CHECK_EQ(call.f.al, 0);
    }
    /* AH=01h reports the last status, with CF. */
    CHECK(int13(0x0100, 0, 0x0080, 0, 0));
    CHECK(cf());
    CHECK_EQ(call.f.ah, 0x01);
    disk_done();
}

static void test_int13_read_only(void)
{
    CHECK(!disk_setup(1));
    CHECK(int13(0x0301, 0x0001, 0x0080, BUF_SEG, 0));
    CHECK(cf());
    CHECK_EQ(call.f.ah, 0x03);
    dap(16, 1, BUF_SEG, 0, 0, 0);
    CHECK(int13(0x4300, 0, 0x0080, DAP_SEG, 0));
    CHECK(cf());
    CHECK_EQ(call.f.ah, 0x03);
    CHECK(int13(0x0501, 0x0001, 0x0080, BUF_SEG, 0));
    CHECK(cf());
    CHECK_EQ(call.f.ah, 0x03);
    CHECK(int13(0x0201, 0x0001, 0x0080, BUF_SEG, 0));   /* reads still work */
    CHECK(!cf());
    CHECK(int13(0x0401, 0x0001, 0x0080, BUF_SEG, 0));   /* and verifies */
    CHECK(!cf());
    dap(16, 1, BUF_SEG, 0, 0, 0);
    CHECK(int13(0x4400, 0, 0x0080, DAP_SEG, 0));
    CHECK(!cf());
    CHECK(int13(0x0d00, 0, 0x0080, 0, 0));              /* no flush to fail */
    CHECK(!cf());
    disk_done();
}

/* After a quiesce, block 0 comes from the cache without reconnecting, and
 * our own writes keep that cache current. */
static void test_int13_block0_without_backend(void)
{
    uint8_t *buf = low(BUF_SEG * 16);
    unsigned int requests;

    CHECK(!disk_setup(0));
    pv_down();
    CHECK(!xen_is_up());
    CHECK(int13(0x0201, 0x0001, 0x0080, BUF_SEG, 0));
    CHECK(!cf());
    CHECK(!xen_is_up());
    CHECK(!memcmp(buf, backend->disk, 512));
    memset(buf, 0xa5, 512);
    CHECK(int13(0x0301, 0x0001, 0x0080, BUF_SEG, 0));   /* reconnects */
    CHECK(!cf());
    CHECK(xen_is_up());
    CHECK(!memcmp(backend->disk, buf, 512));
    pv_down();
    requests = backend->requests;
    memset(buf, 0, 512);
    CHECK(int13(0x0201, 0x0001, 0x0080, BUF_SEG, 0));
    CHECK(!cf());
    CHECK_EQ(backend->requests, requests);
    CHECK_EQ(buf[0], 0xa5);
    CHECK(int13(0x0202, 0x0001, 0x0080, BUF_SEG, 0));   /* two blocks: backend */
    CHECK(!cf());
    CHECK(xen_is_up());
    disk_done();
}

static int port_bit(const xen_ulong_t *bitmap, evtchn_port_t port)
{
    return (((const uint32_t *)bitmap)[port / 32] >> (port % 32)) & 1;
}

/* A non-disk BIOS call quiesces only once the disks have been idle for
 * QUIESCE_IDLE_MS, and then leaves the same clean state as E820 does. */
static void test_quiesce_on_idle(void)
{
    CHECK(!disk_setup(0));
    CHECK(int13(0x0202, 0x0001, 0x0080, BUF_SEG, 0));   /* connected now */
    CHECK(!cf());
    quiesce_disk_used();
    sim.now += (QUIESCE_IDLE_MS - 50) * 1000000ull;
    quiesce_if_idle("INT 10h");                         /* a loader still reading */
    CHECK(xen_is_up());
    CHECK(vbd->connected);
    sim.now += 100 * 1000000ull;
    quiesce_if_idle("INT 10h");
    CHECK(!xen_is_up());
    CHECK(strstr(log_capture, "quiesced at INT 10h after "));
    CHECK_EQ(sim_front_state(768), XenbusStateInitialising);
    CHECK_EQ(backend->state, XenbusStateInitWait);
    CHECK(!sim_xs_exists("device/vbd/768/ring-ref"));
    CHECK_EQ(gnttab_live(), 0);
    CHECK_EQ(sim.shinfo_gfn, 0);
    quiesce_if_idle("INT 16h");                         /* idle and down: nothing */
    CHECK(!xen_is_up());
    /* a read reconnects, and a call right after it leaves it connected */
    CHECK(int13(0x0202, 0x0001, 0x0080, BUF_SEG, 0));
    CHECK(!cf());
    quiesce_disk_used();
    quiesce_if_idle("INT 1Ah");
    CHECK(xen_is_up());
    disk_done();
}

/* Quiesce leaves the clean end state of docs/design.md "Handover". */
static void test_quiesce_clean_end_state(void)
{
    CHECK(!disk_setup(0));
    CHECK(int13(0x0202, 0x0001, 0x0080, BUF_SEG, 0));   /* connected now */
    CHECK(!cf());
    /* the ports we poll are masked, so no upcall is ever marked pending */
    CHECK(port_bit(sim.shinfo->evtchn_mask, vbd->port));
    CHECK(port_bit(sim.shinfo->evtchn_mask, SIM_STORE_PORT));
    CHECK(!sim.shinfo->vcpu_info[0].evtchn_upcall_pending);
    quiesce("E820");
    /* and are left as found: unmasked, nothing pending */
    CHECK(!port_bit(sim.shinfo->evtchn_mask, vbd->port));
    CHECK(!port_bit(sim.shinfo->evtchn_pending, vbd->port));
    CHECK(!port_bit(sim.shinfo->evtchn_mask, SIM_STORE_PORT));
    CHECK(!port_bit(sim.shinfo->evtchn_pending, SIM_STORE_PORT));
    CHECK(!xen_is_up());
    CHECK_EQ(sim_front_state(768), XenbusStateInitialising);
    CHECK_EQ(backend->state, XenbusStateInitWait);
    CHECK(!sim_xs_exists("device/vbd/768/ring-ref"));
    CHECK(!sim_xs_exists("device/vbd/768/event-channel"));
    CHECK(!sim_xs_exists("device/vbd/768/protocol"));
    CHECK_EQ(gnttab_live(), 0);
    CHECK_EQ(sim_open_ports(), 1);                       /* xenstore's only */
    CHECK_EQ(sim.shinfo_gfn, 0);
    CHECK_EQ(sim.gnttab_gfn, 0);
    CHECK(sim_xs_ring_quiescent());
    /* and the next read reconnects */
    CHECK(int13(0x0202, 0x0001, 0x0080, BUF_SEG, 0));
    CHECK(!cf());
    CHECK(!memcmp(low(BUF_SEG * 16), backend->disk, 1024));
    disk_done();
}

/* Once the OS has set its event-channel callback, the ROM drops everything
 * without a hypercall that changes anything, puts back the vectors that are
 * still its own, gives back the drive numbers it added and passes calls on. */
static void tripwire_takeover(void)
{
    static struct stub_info stub = {
        .int13_entry = 0x100, .int15_entry = 0x120, .int18_entry = 0x140,
        .int19_entry = 0x160, .rom_seg = 0xca00, .int10_entry = 0x180,
        .int16_entry = 0x1a0, .int1a_entry = 0x1c0,
    };
    uint32_t *ivt = (uint32_t *)low(0);
    unsigned int removes, ports;

    CHECK(!disk_setup(0));
    bdisks[0].drive = 0x81;                 /* a new drive, not a twin */
    *low(BDA_HDCOUNT) = 2;
    ivt[0x13] = 0xf000e3fe;
    ivt[0x15] = 0xf000f859;
    ivt[0x18] = 0xf0008666;
    ivt[0x19] = 0xf000e6f2;
    ivt[0x10] = 0xc0000123;
    ivt[0x16] = 0xf000e82e;
    ivt[0x1a] = 0xf000fe6e;
    hooks_install(&stub);
    CHECK_EQ(ivt[0x13], 0xca000100);
    CHECK_EQ(ivt[0x10], 0xca000180);
    CHECK_EQ(ivt[0x16], 0xca0001a0);
    CHECK_EQ(ivt[0x1a], 0xca0001c0);
    CHECK_EQ(stub.prev_int10, 0xc0000123);
    ivt[0x16] = 0x87654321;                 /* and INT 16h */
    ivt[0x18] = 0x12345678;                 /* someone hooked INT 18h after us */
    CHECK(int13(0x0201, 0x0001, 0x0081, BUF_SEG, 0));   /* connected */
    CHECK(!tripwire(&stub));                /* nothing taken over yet */
    sim.callback_via = 1;                   /* the OS's PV drivers start */
    removes = sim.physmap_removes;
    ports = sim_open_ports();
    CHECK(tripwire(&stub));
    CHECK_EQ(sim.physmap_removes, removes);
    CHECK_EQ(sim_open_ports(), ports);
    CHECK(!xen_is_up());
    CHECK_EQ(ivt[0x13], 0xf000e3fe);
    CHECK_EQ(ivt[0x15], 0xf000f859);
    CHECK_EQ(ivt[0x18], 0x12345678);        /* not ours: left alone */
    CHECK_EQ(ivt[0x19], 0xf000e6f2);
    CHECK_EQ(ivt[0x10], 0xc0000123);
    CHECK_EQ(ivt[0x16], 0x87654321);        /* not ours: left alone */
    CHECK_EQ(ivt[0x1a], 0xf000fe6e);
    CHECK_EQ(*low(BDA_HDCOUNT), 1);
    CHECK(!int13(0x0201, 0x0001, 0x0081, BUF_SEG, 0));  /* passed on */
    CHECK(tripwire(&stub));
    sim.callback_via = 0;
}

/* In a child: the tripwire fires once per boot, and later tests
 * (test_takeover_signals.c) need it unfired. */
static void test_tripwire_takeover(void)
{
    CHECK_EQ(td_test_in_child(tripwire_takeover), 0);
}

const struct test int13_tests[] = {
    { "test_quiesce_clean_end_state", test_quiesce_clean_end_state },
    { "test_int13_block0_without_backend", test_int13_block0_without_backend },
    { "test_int13_not_our_drive", test_int13_not_our_drive },
    { "test_int13_chs_read", test_int13_chs_read },
    { "test_int13_chs_and_lba_agree", test_int13_chs_and_lba_agree },
    { "test_int13_ext_read_127_and_flat", test_int13_ext_read_127_and_flat },
    { "test_int13_ext_write", test_int13_ext_write },
    { "test_int13_params_and_type", test_int13_params_and_type },
    { "test_int13_edd", test_int13_edd },
    { "test_int13_grant_audit", test_int13_grant_audit },
    { "test_int13_bad_input_table", test_int13_bad_input_table },
    { "test_int13_read_only", test_int13_read_only },
    { "test_quiesce_on_idle", test_quiesce_on_idle },
    /* last: a takeover is for the rest of the boot (quiesce.c's state) */
    { "test_tripwire_takeover", test_tripwire_takeover },
};
const unsigned int int13_tests_count = sizeof(int13_tests) / sizeof(int13_tests[0]);
