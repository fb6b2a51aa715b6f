/* libFuzzer: INT 13h register and disk-address-packet decoding.  The input
 * is the caller's registers, then 24 bytes that land at DS:SI (a DAP or an
 * EDD buffer), then an optional byte that aims a flat DAP buffer: low
 * memory, the heap (both the caller's), the ROM's image or BAR, just below
 * 4 GiB and running past it, or a raw 64-bit value past 4 GiB.  Every call must come back
 * with AH and CF agreeing, without a byte touched outside low memory, the
 * heap buffer and the disk (ASan), and a transfer that succeeded must have
 * used a buffer of the caller's: never the ROM's memory, never past 4 GiB,
 * never the (fake) resident stub at CA000h.  Read-ahead is on and its
 * state carries from one input to the next (a byte after the aiming one:
 * bit 0 lets the backend run before the call, so a batch read ahead meets
 * its answers); an AH=42h read that succeeded must hold what the disk does. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/int13.h"
#include "bios/rommem.h"
#include "block/blkfront.h"

#define STUB_FLAT 0xca000u
#define STUB_LEN  0x400u
#define HEAP_LEN  (128 * 512)

struct regs {
    uint16_t ax, bx, cx, dx, si, di, ds, es;
} __attribute__((packed));

extern char __executable_start[], _end[];

static struct vbd vbd[1];
static uint8_t ra_mem[BLKFRONT_RA_MEM] __attribute__((aligned(4096)));
static uint8_t *heap;

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
    blkfront_ra_enable(ra_mem);
    heap = malloc(2 * HEAP_LEN);     /* a 127-sector transfer from any start */
    if (!heap)
        abort();
    /* the harness program stands for the ROM image (rom/bios/rommem.c) */
    rommem_set_rom(&(struct stub_info){ .rom_seg = 0 });
    rommem_set(ROMMEM_STUB, STUB_FLAT, STUB_LEN);
}

/* Aims the DAP's flat buffer by @kind (see the top). */
static void dap_aim(uint8_t *dap, uint8_t kind)
{
    uint64_t flat;
    uint32_t low, len;
    uint16_t count;

    memcpy(&flat, dap + 16, 8);
    low = (uint32_t)flat;
    switch (kind % 6) {
    case 0:
        flat = low % (HOST_LOW_MEMORY - 128 * 512);
        break;
    case 1:
        flat = (uint32_t)(uintptr_t)heap + low % HEAP_LEN;
        break;
    case 2:         /* the image: this program, as rom/bios/rommem.c takes it */
        flat = (uint32_t)(uintptr_t)__executable_start +
               low % (uint32_t)(_end - __executable_start);
        break;
    case 3:
        flat = (uint32_t)(uintptr_t)sim_bar + low % (SIM_BAR_PAGES * 4096u);
        break;
    case 4:         /* below 4 GiB, running past it: must wrap to be refused */
        memcpy(&count, dap + 2, 2);
        len = (uint32_t)(count ? count : 1) * 512;
        flat = (1ull << 32) - len + 1 + low % (len - 1);
        break;
    default:        /* raw, at or past 4 GiB (below it is the caller's) */
        if (!(flat >> 32))
            flat |= (uint64_t)(low | 1) << 32;
        break;
    }
    memcpy(dap + 16, &flat, 8);
}

static int within(uint64_t start, uint64_t len, uint64_t lo, uint64_t hi)
{
    return start >= lo && start + len <= hi;
}

/* An AH=42h read that succeeded returned what the disk holds. */
static void data_check(const struct regs *r, const uint8_t *dap)
{
    uint64_t start, lba;
    uint16_t count, off, seg;

    if (r->ax >> 8 != 0x42)
        return;
    memcpy(&count, dap + 2, 2);
    memcpy(&off, dap + 4, 2);
    memcpy(&seg, dap + 6, 2);
    memcpy(&lba, dap + 8, 8);
    start = (uint32_t)seg * 16 + off;
    if (dap[0] >= 24 && seg == 0xffff && off == 0xffff)
        memcpy(&start, dap + 16, 8);
    /* the answer's 40:74 lands after the data: a buffer over the BDA differs there */
    if (start < BDA_DISK_LAST_STATUS + 1 && BDA_DISK_LAST_STATUS < start + count * 512ull)
        return;
    if (count && memcmp(phys_to_virt((uint32_t)start), sim.vbd[0].disk + lba * 512,
                        (size_t)count * 512))
        abort();
}

/* A transfer that succeeded used the caller's memory only. */
static void buffer_check(const struct regs *r, const uint8_t *dap)
{
    uint8_t ah = r->ax >> 8;
    uint64_t start, len;
    uint16_t count, off, seg;

    if (ah == 0x02 || ah == 0x03) {
        start = (uint32_t)r->es * 16 + r->bx;
        len = (uint64_t)(r->ax & 0xff) * 512;
    } else if (ah == 0x42 || ah == 0x43) {
        memcpy(&count, dap + 2, 2);
        memcpy(&off, dap + 4, 2);
        memcpy(&seg, dap + 6, 2);
        len = (uint64_t)count * 512;
        start = (uint32_t)seg * 16 + off;
        if (dap[0] >= 24 && seg == 0xffff && off == 0xffff)
            memcpy(&start, dap + 16, 8);
    } else {
        return;
    }
    if (!len)
        return;
    if (!(within(start, len, 0, HOST_LOW_MEMORY) ||
          within(start, len, (uintptr_t)heap, (uintptr_t)heap + 2 * HEAP_LEN)))
        abort();
    if (start < STUB_FLAT + STUB_LEN && STUB_FLAT < start + len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct { struct stub_frame f; struct stub_iret r; } call;
    struct regs r;
    uint8_t *at, dap[24];

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
    dap_aim(at, size > sizeof(r) + 24 ? data[sizeof(r) + 24] : 0);
    memcpy(dap, at, 24);
    if (size > sizeof(r) + 25 && (data[sizeof(r) + 25] & 1))
        sim_step();
    if (!int13_service(&call.f, &call.r, 0x10))
        abort();
    if (!(call.r.flags & FLAG_CF)) {
        buffer_check(&r, dap);
        data_check(&r, dap);
    }
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
