/* The floor's plain-QEMU test build (test/qemu/): no Xen, so its preload
 * fails and nothing is served from memory, but the range is carved out of
 * SeaBIOS's E820 map and answered as reserved exactly as in the bench build:
 * the stub's every-E820 path (XENPVBOOT_E820_ALL), call16 to SeaBIOS's
 * INT 15h at BCV and at run time, and the split answers run on a real BIOS.
 * It stands in for the ROM functions rom/variants/floor.c wraps; INT 13h is
 * left to the BIOS. */
#include "bios/disk.h"
#include "bios/services.h"
#include "lib/log.h"

#define FLOOR_QEMU_BLOCKS (20u << 11)   /* a 20 MiB disk of 512-byte blocks */

static struct vbd qemu_vbd;

/* What bcv_register and hooks_install would leave: drive 80h, INT 15h ours. */
void rom_services_bcv(struct stub_frame *f, struct stub_info *stub)
{
    uint32_t *ivt15 = phys_to_virt(0x15 * 4);

    (void)f;
    if (stub->prev_int15)
        return;
    stub->prev_int15 = *ivt15;
    *ivt15 = farptr(stub->rom_seg, stub->int15_entry);
    bdisks[0].vbd = &qemu_vbd;
    bdisks[0].drive = 0x80;
    bdisks[0].block_shift = 9;
    bdisks[0].blocks = FLOOR_QEMU_BLOCKS;
    nr_bdisks = 1;
    log(LOG_INFO, "floor test build: INT 15h hooked, previous handler %04x:%04x",
        stub->prev_int15 >> 16, stub->prev_int15 & 0xffff);
}

void rom_services_leaving(struct stub_frame *f, struct stub_info *stub,
                          uint32_t prev, const char *where)
{
    (void)stub;
    (void)where;
    f->chain = prev;
}

void services_int13(struct stub_frame *f, struct stub_info *stub, uint16_t bdf)
{
    (void)bdf;
    f->chain = stub->prev_int13;    /* not hooked in this build */
}

void services_idle(struct stub_frame *f, struct stub_info *stub,
                   uint32_t prev, const char *where)
{
    rom_services_leaving(f, stub, prev, where);
}

void services_int19(struct stub_frame *f, struct stub_info *stub)
{
    rom_services_leaving(f, stub, stub->prev_int19, "INT 19h");
}
