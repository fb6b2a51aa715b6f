/* libFuzzer: INT 13h register and disk-address-packet decoding.  The input
 * is the caller's registers, then 24 bytes that land at DS:SI (a DAP or an
 * EDD buffer).  Every call must come back with AH and CF agreeing, and
 * without a byte touched outside low memory and the disk (ASan). */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "bios/disk.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/int13.h"

struct regs {
    uint16_t ax, bx, cx, dx, si, di, ds, es;
} __attribute__((packed));

static struct vbd vbd[1];

static void disk_once(void)
{
    struct bdisk *d = &bdisks[0];

    sim_reset();
    if (xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        abort();
    pv_set_bar((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u);
    sim_add_vbd(768, SIM_DISK_SECTORS, XenbusStateInitWait);
    if (blkfront_probe(vbd, 1) != 1 || blkfront_connect(vbd))
        abort();
    d->vbd = vbd;
    d->drive = 0x80;
    d->block_shift = 9;
    d->blocks = vbd->sectors;
    geometry_choose(&d->chs, NULL, d->blocks);
    nr_bdisks = 1;
}

/* A flat DAP buffer must be memory the caller owns: keep it in low memory
 * (the ROM trusts it, as every BIOS does). */
static void dap_tame(uint8_t *dap)
{
    uint32_t flat;

    memcpy(&flat, dap + 16, 4);
    flat %= HOST_LOW_MEMORY - 128 * 512;
    memcpy(dap + 16, &flat, 4);
    memset(dap + 20, 0, 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct { struct stub_frame f; struct stub_iret r; } call;
    struct regs r;
    uint8_t *at;

    if (size < sizeof(r) + 24)
        return 0;
    if (!ready) {
        disk_once();
        ready = 1;
    }
    memcpy(&r, data, sizeof(r));
    memset(&call, 0, sizeof(call));
    call.f.ax = r.ax;
    call.f.bx = r.bx;
    call.f.cx = r.cx;
    call.f.dx = (r.dx & 0xff00) | 0x80;     /* our drive: the decoding is the target */
    call.f.si = r.si;
    call.f.di = r.di;
    call.f.ds = r.ds;
    call.f.es = r.es;
    at = phys_to_virt((uint32_t)r.ds * 16 + r.si);
    memcpy(at, data + sizeof(r), 24);
    dap_tame(at);
    if (!int13_service(&call.f, &call.r, 0x10))
        abort();
    /* CF set exactly when AH reports an error, except the functions whose
     * AH carries a result: 15h (drive type), 41h (EDD version), and 01h
     * (which reports the last status with CF). */
    switch (r.ax >> 8) {
    case 0x01: case 0x15: case 0x41:
        break;
    default:
        if (!!(call.r.flags & FLAG_CF) != !!call.f.ah)
            abort();
    }
    return 0;
}
