/* libFuzzer: a backend's connect keys and states, as the BCV meets them.
 * The input is five newline-separated strings, then bytes: `sectors`,
 * `sector-size` and `info` as the backend writes them at connect, the
 * backend `state` the frontend finds before connecting and the one it
 * re-reads during a request (values past 8 too), then sector 0.  Whatever
 * they say, the drive the ROM builds must be one a BIOS can describe
 * (sector size 512..4096, geometry in range, blocks = sectors in presented
 * units), its INT 13h answers must agree with CF, and nothing of ours may
 * stay granted once it is disconnected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "bios/disk.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/int13.h"

#define BK "/local/domain/0/backend/vbd/7/768/"

static char keys[5][40];

static void keys_over(struct sim_vbd *b)
{
    (void)b;
    sim_xs_set(BK "sectors", keys[0]);
    sim_xs_set(BK "sector-size", keys[1]);
    sim_xs_set(BK "info", keys[2]);
}

/* Splits @data into keys[] and returns where sector 0 starts. */
static size_t keys_parse(const uint8_t *data, size_t size)
{
    size_t at = 0, n;
    int k;

    for (k = 0; k < 5; k++) {
        for (n = 0; at + n < size && data[at + n] != '\n' && n < sizeof(keys[k]) - 1; n++)
            ;
        memcpy(keys[k], data + at, n);
        keys[k][n] = '\0';
        at += n + (at + n < size);
    }
    return at;
}

static void drive_check(const struct bdisk *d)
{
    const struct chs *g = &d->chs;

    if (d->block_shift < 9 || d->block_shift > 12 ||
        (1u << d->block_shift) != d->vbd->sector_size ||
        d->blocks != d->vbd->sectors >> (d->block_shift - 9))
        abort();
    if (g->heads < 1 || g->heads > 255 || g->sectors < 1 || g->sectors > 63 ||
        g->cylinders < 1 || g->cylinders > 1024)
        abort();
}

static void int13_check(uint16_t ax, uint16_t cx, uint16_t es, uint16_t bx)
{
    struct { struct stub_frame f; struct stub_iret r; } call;

    memset(&call, 0, sizeof(call));
    call.f.ax = ax;
    call.f.cx = cx;
    call.f.dx = 0x80;
    call.f.es = call.f.ds = es;
    call.f.bx = call.f.si = bx;
    if (!int13_service(&call.f, &call.r, 0x10))
        abort();
    if ((ax >> 8) != 0x15 && !!(call.r.flags & FLAG_CF) != !!call.f.ah)
        abort();
    if ((ax >> 8) == 0x08 && call.f.dh == 0xff)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vbd vbd[1];
    struct bdisk *d = &bdisks[0];
    struct sim_vbd *b;
    size_t at = keys_parse(data, size);
    uint8_t *edd = phys_to_virt(0x8000);

    sim_reset();
    memset(vbd, 0, sizeof(vbd));
    if (xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        abort();
    pv_set_bar((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u);
    b = sim_add_vbd(768, SIM_DISK_SECTORS, XenbusStateInitWait);
    b->on_connect = keys_over;
    memcpy(b->disk, data + at, size - at > 4096 ? 4096 : size - at);
    if (keys[3][0])
        sim_xs_set(BK "state", keys[3]);
    if (blkfront_probe(vbd, 1) != 1)
        abort();
    /* what bcv.c's disk_describe does */
    memset(d, 0, sizeof(*d));
    if (!blkfront_connect(vbd)) {
        d->vbd = vbd;
        disk_set_format(d, vbd);
        if (!blkfront_rw(vbd, 0, 0, vbd->sector_size / 512, d->block0))
            d->block0_valid = 1;
        geometry_choose(&d->chs, d->block0_valid ? d->block0 : NULL, d->blocks);
        drive_check(d);
        d->drive = 0x80;
        nr_bdisks = 1;
        if (keys[4][0])
            sim_xs_set(BK "state", keys[4]);
        sim.now += 200000000ull;         /* the next request re-reads state */
        int13_check(0x0201, 0x0002, 0x1000, 0);
        int13_check(0x0800, 0, 0, 0);
        int13_check(0x1500, 0, 0, 0);
        memset(edd, 0, 74);
        edd[0] = 74;
        int13_check(0x4800, 0, 0x0800, 0);
        nr_bdisks = 0;
    }
    blkfront_disconnect(vbd);
    if (gnttab_live())
        abort();
    xen_teardown();
    return 0;
}
