/* c_dispatch: where every entry of the stub lands in C. */
#include "bcv.h"
#include "blkfront.h"
#include "disk.h"
#include "hypervisor.h"
#include "int13.h"
#include "libc.h"
#include "log.h"
#include "noxen.h"
#include "pci.h"
#include "platform.h"
#include "quiesce.h"
#include "rommem.h"
#include "selftest.h"
#include "stub.h"

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
    rommem_set_rom(stub);
#ifndef XENPVBOOT_TEST_NOXEN
    disks_find();
#endif
    f->al = 0;      /* stay resident */
}

#ifdef XENPVBOOT_TEST_NOXEN
static void bcv(struct stub_frame *f)
{
    noxen_bcv(f, stub);
}

static void int13(struct stub_frame *f)
{
    noxen_int13(f, stub);
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
#ifndef XENPVBOOT_TEST_NOXEN
    tripwire_arm();
#endif
}
