/* c_dispatch: where every entry of the stub lands in C. */
#include "bcv.h"
#include "blkfront.h"
#include "disk.h"
#include "hypervisor.h"
#include "int13.h"
#include "libc.h"
#include "log.h"
#include "pci.h"
#include "platform.h"
#include "quiesce.h"
#include "selftest.h"
#include "stub.h"

#ifndef XENPVBOOT_VERSION
#define XENPVBOOT_VERSION "unknown"
#endif

#define IVT_INT13 (0x13 * 4)

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

#ifndef XENPVBOOT_TEST_NOXEN
static struct vbd vbds[BLKFRONT_MAX_VBD];
static int nr_vbds;

/* Find the disks, then let go of Xen again: nothing is held between
 * entries, so nothing is left behind if no entry of ours runs again. */
static void disks_find(void)
{
    int i, rc;

    pv_set_bar(platform_bar, platform_bar_size);
    rc = pv_up();
    if (rc) {
        log(LOG_ERR, "Xen bus setup failed (%d): no PV disks", rc);
        return;
    }
#ifdef XENPVBOOT_SELFTEST
    selftest_run();
#endif
    nr_vbds = blkfront_probe(vbds, BLKFRONT_MAX_VBD);
    if (nr_vbds < 0) {
        log(LOG_ERR, "xenstore: cannot list device/vbd (%d)", nr_vbds);
        nr_vbds = 0;
    }
    for (i = 0; i < nr_vbds; i++)
        log(LOG_INFO, "vbd %u (%s) backend %s domain %u", vbds[i].vdev,
            vbds[i].node, vbds[i].backend, vbds[i].backend_id);
    pv_down();
}
#endif

static void init(struct stub_frame *f)
{
    platform_bdf = f->ax;
    log(LOG_INFO, "%s: stub at %04x:0000, C image at %08x in %s, %s",
        XENPVBOOT_VERSION, stub->rom_seg, stub->image_base,
        stub->image_kind == STUB_IMAGE_PMM ? "PMM" : "base memory",
        RELOCATION_PROBE);
    platform_device_find(platform_bdf);
#ifndef XENPVBOOT_TEST_NOXEN
    disks_find();
#endif
    f->al = 0;      /* stay resident */
}

#ifdef XENPVBOOT_TEST_NOXEN
/* Test build only: hook INT 13h as a pure pass-through, so plain QEMU
 * exercises the whole real -> C -> real path on every disk call. */
static unsigned int int13_calls;

/* Ask the BIOS's own INT 13h for drive 80h's parameters and its LBA 1
 * through call16, the way the PV code will ask for the emulated twin. */
static void bcv_try_call16(struct stub_frame *f)
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

static void bcv(struct stub_frame *f)
{
    uint32_t *ivt13 = phys_to_virt(IVT_INT13);

    bcv_try_call16(f);
    stub->prev_int13 = *ivt13;
    *ivt13 = farptr(stub->rom_seg, stub->int13_entry);
    log(LOG_INFO, "test build: INT 13h hooked, previous handler %04x:%04x",
        stub->prev_int13 >> 16, stub->prev_int13 & 0xffff);
}

static void int13(struct stub_frame *f)
{
    if (++int13_calls <= 4 || int13_calls % 64 == 0)
        log(LOG_INFO, "test build: INT 13h #%u ax=%04x dx=%04x passed on",
            int13_calls, f->ax, f->dx);
    f->chain = stub->prev_int13;
}
#else
static void bcv(struct stub_frame *f)
{
    bcv_register(f, stub, vbds, nr_vbds);
}

static void int13(struct stub_frame *f)
{
    if (tripwire(stub) ||
        !int13_service(f, (struct stub_iret *)(f + 1), platform_bdf))
        f->chain = stub->prev_int13;
}

/* The boot leaving the BIOS: let go, then let the BIOS do its part. */
static void leaving(struct stub_frame *f, uint32_t prev, const char *where)
{
    if (!tripwire(stub))
        quiesce(where);
    f->chain = prev;
}
#endif

void c_dispatch(uint32_t fn, struct stub_frame *frame, struct stub_info *info)
{
    stub = info;
    switch (fn) {
    case STUB_FN_INIT:
        init(frame);
        break;
    case STUB_FN_BCV:
        bcv(frame);
        break;
    case STUB_FN_INT13:
        int13(frame);
        break;
#ifndef XENPVBOOT_TEST_NOXEN
    case STUB_FN_INT15:
        leaving(frame, stub->prev_int15, "E820");
        break;
    case STUB_FN_INT18:
        leaving(frame, stub->prev_int18, "INT 18h");
        break;
    case STUB_FN_INT19:
        leaving(frame, stub->prev_int19, "INT 19h");
        break;
#endif
    default:
        log(LOG_ERR, "unknown entry %u", fn);
        break;
    }
}
