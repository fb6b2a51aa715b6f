/* The test-noxen build's services (plain QEMU only; rom/sources.mk links
 * this file instead of rom/bios/services.c): INT 13h hooked as a pure
 * pass-through and the BIOS asked through call16, so the loader, both mode
 * transitions and call16 run on every disk call of a real boot sector
 * without Xen (test/qemu/). */
#include "lib/libc.h"
#include "lib/log.h"
#include "bios/services.h"
#include "arch/platform.h"

#define IVT_INT13 (0x13 * 4)

static unsigned int int13_calls;

/* Ask the BIOS's own INT 13h for drive 80h's parameters and its LBA 1
 * through call16, the way the PV code will ask for the emulated twin. */
static void bcv_try_call16(struct stub_frame *f, struct stub_info *stub)
{
    uint32_t buf = (virt_to_phys(f) - 2048) & ~15u;
    const uint32_t *sector = phys_to_virt(buf);
    struct stub_frame r;
    uint16_t flags;

    memset(&r, 0, sizeof(r));
    r.ah = 0x08;
    r.dl = 0x80;
    flags = stub_call16(stub, &r, *(uint32_t *)phys_to_virt(IVT_INT13), 0x0002, f);
    log(LOG_INFO, "test build: call16 int13 ah=08 dl=80: cf=%u ah=%02x cx=%04x dx=%04x",
        flags & FLAG_CF, r.ah, r.cx, r.dx);

    memset(&r, 0, sizeof(r));
    r.ax = 0x0201;
    r.cx = 0x0002;
    r.dx = 0x0080;
    r.es = (uint16_t)(buf >> 4);
    r.bx = 0;
    flags = stub_call16(stub, &r, *(uint32_t *)phys_to_virt(IVT_INT13), 0x0002, f);
    log(LOG_INFO, "test build: call16 int13 ah=02 lba 1: cf=%u ah=%02x data %08x %08x",
        flags & FLAG_CF, r.ah, sector[0], sector[1]);
}

void services_bcv(struct stub_frame *f, struct stub_info *stub)
{
    uint32_t *ivt13 = phys_to_virt(IVT_INT13);

    bcv_try_call16(f, stub);
    stub->prev_int13 = *ivt13;
    *ivt13 = farptr(stub->rom_seg, stub->int13_entry);
    log(LOG_INFO, "test build: INT 13h hooked, previous handler %04x:%04x",
        stub->prev_int13 >> 16, stub->prev_int13 & 0xffff);
}

void services_int13(struct stub_frame *f, struct stub_info *stub, uint16_t bdf)
{
    (void)bdf;
    if (++int13_calls <= 4 || int13_calls % 64 == 0)
        log(LOG_INFO, "test build: INT 13h #%u ax=%04x dx=%04x passed on",
            int13_calls, f->ax, f->dx);
    f->chain = stub->prev_int13;
}

/* The stub hooks INT 15h, 18h, 19h and the idle triggers only when C asks
 * (hooks_install), which this build never does. */
void services_leaving(struct stub_frame *f, struct stub_info *stub,
                      uint32_t prev, const char *where)
{
    (void)stub;
    (void)where;
    f->chain = prev;
}

void services_idle(struct stub_frame *f, struct stub_info *stub,
                   uint32_t prev, const char *where)
{
    services_leaving(f, stub, prev, where);
}

void services_int19(struct stub_frame *f, struct stub_info *stub)
{
    services_leaving(f, stub, stub->prev_int19, "INT 19h");
}
