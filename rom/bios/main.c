/* c_dispatch: where every entry of the stub lands in C. */
#include "arch/pci.h"
#include "arch/platform.h"
#include "bios/quiesce.h"
#include "bios/rommem.h"
#include "bios/services.h"
#include "bios/stub.h"
#include "lib/log.h"

#ifndef XENPVBOOT_VERSION
#define XENPVBOOT_VERSION "unknown"
#endif

static struct stub_info *stub;
static uint16_t platform_bdf;
static uint32_t platform_bar, platform_bar_size;

/* A pointer in initialised data: wrong unless init's relocation loop ran.
 * Read through a volatile so the compiler cannot fold it into code. */
static const char *const relocation_probe = "relocated";
#define RELOCATION_PROBE (*(const char *const volatile *)&relocation_probe)

static void platform_device_find(uint16_t bdf)
{
    uint32_t id = pci_read32(bdf, PCI_VENDOR_ID);
    uint32_t class_rev = pci_read32(bdf, PCI_CLASS_REV);

    platform_bar = pci_mem_bar(bdf, 1);
    platform_bar_size = pci_mem_bar_size(bdf, 1);
    log(LOG_INFO, "PCI %02x:%02x.%x %04x:%04x class %06x rev %02x BAR1 %08x size %x",
        bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, id & 0xffff, id >> 16,
        class_rev >> 8, class_rev & 0xff, platform_bar, platform_bar_size);
}

/* AL = 0 tells the stub to stay resident, nonzero to free the C image and
 * shrink to nothing (rom/bios/entry.S, init_entry). */
static void init(struct stub_frame *f)
{
    platform_bdf = f->ax;
    log(LOG_INFO, "%s: stub at %04x:0000, C image at %08x in %s, %s",
        XENPVBOOT_VERSION, stub->rom_seg, stub->image_base,
        stub->image_kind == STUB_IMAGE_PMM ? "PMM" : "base memory",
        RELOCATION_PROBE);
    platform_device_find(platform_bdf);
    rommem_set_rom(stub);
    f->al = services_init(stub, platform_bar, platform_bar_size) ? 0 : 1;
}

void c_dispatch(uint32_t fn, struct stub_frame *frame, struct stub_info *info)
{
    stub = info;
    switch (fn) {
    case STUB_FN_INIT:
        init(frame);
        break;
    case STUB_FN_BCV:
        services_bcv(frame, stub);
        break;
    case STUB_FN_INT13:
        services_int13(frame, stub, platform_bdf);
        break;
    case STUB_FN_INT15:
        services_leaving(frame, stub, stub->prev_int15, "E820");
        break;
    case STUB_FN_INT18:
        services_leaving(frame, stub, stub->prev_int18, "INT 18h");
        break;
    case STUB_FN_INT19:
        services_int19(frame, stub);
        break;
    case STUB_FN_INT10:
        services_idle(frame, stub, stub->prev_int10, "INT 10h");
        break;
    case STUB_FN_INT16:
        services_idle(frame, stub, stub->prev_int16, "INT 16h");
        break;
    case STUB_FN_INT1A:
        services_idle(frame, stub, stub->prev_int1a, "INT 1Ah");
        break;
    case STUB_FN_INT15_IDLE:
        services_idle(frame, stub, stub->prev_int15, "INT 15h");
        break;
    default:
        log(LOG_ERR, "unknown entry %u", fn);
        break;
    }
    tripwire_arm();
}
