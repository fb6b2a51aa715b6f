/* The BCV: offer the PV disks as BIOS drives and hook INT 13h.
 *
 * SeaBIOS numbers its own disks in boot order and then calls BCVs.  A vbd
 * with an emulated IDE twin (xl makes both for hda-hdd / xvda-xvdd) is
 * already a BIOS drive: the PV disk takes over that drive's number, so the
 * boot order the user set boots through PV with no configuration.  The twin
 * is found by asking the previous INT 13h handler (AH=48h) for each hard
 * disk's EDD device path, ATA channel and master/slave <-> the vbd's disk
 * index, and confirmed by comparing sector 0.  Other vbds get new numbers
 * and 40:75 grows with them.  Emulated devices are never unplugged: an OS
 * without PV drivers still needs them.
 *
 * An administrator can keep the twins on the emulated path (the PV disks
 * then get new numbers: for comparisons and benchmarks) by writing "keep"
 * to the domain's xenstore key xenpvboot/twins before the guest runs. */
#include "bios/bcv.h"
#include "bios/bda.h"
#include "bios/bootchoice.h"
#include "bios/cdrom.h"
#include "bios/prevbios.h"
#include "bios/disk.h"
#include "xen/hypervisor.h"
#include "lib/libc.h"
#include "lib/log.h"
#include "bios/quiesce.h"
#include "xen/xenstore.h"

#define IVT_INT13    (0x13 * 4)
#define SECTOR       512

/* xenpvboot/twins said "keep" at init. */
static int keep_twins;
/* The CD vbds found at init: offered at the first BCV (they get no boot
 * entry of their own: SeaBIOS boots a CD itself, El Torito). */
static struct vbd *cd_vbds[CDROM_MAX];
static int nr_cd_vbds;

/* The IDE disk index libxl gives vdev @vdev, or -1 when it makes no
 * emulated twin (index >= 4, or not a disk name it emulates). */
int vdev_ide_index(uint32_t vdev)
{
    uint32_t major = vdev >> 8, minor = vdev & 0xff;
    int idx;

    if (vdev & (1u << 28))                  /* extended xvd: 1 << 28 | idx << 8 */
        idx = (vdev >> 8) & 0xfffff;
    else if (major == 202)                  /* xvd: idx << 4 */
        idx = minor >> 4;
    else if (major == 3)                    /* hda, hdb */
        idx = minor >> 6;
    else if (major == 22)                   /* hdc, hdd */
        idx = 2 + (minor >> 6);
    else
        return -1;
    return idx < 4 ? idx : -1;
}

int bios_call(struct bios_query *q, struct stub_frame *r)
{
    uint16_t flags = stub_call16(q->stub, r, q->prev, 0x0002, q->frame);

    return (flags & FLAG_CF) || r->ah ? -1 : 0;
}

int bios_edd_params(struct bios_query *q, uint8_t drive, uint8_t size)
{
    uint8_t *p = phys_to_virt(q->low);
    struct stub_frame r;

    memset(p, 0, size);
    p[0] = size;
    memset(&r, 0, sizeof(r));
    r.ah = 0x48;
    r.dl = drive;
    r.ds = (uint16_t)(q->low >> 4);
    r.si = q->low & 15;
    return bios_call(q, &r);
}

/* IDE index (channel * 2 + slave) of BIOS drive @drive from its EDD 3.0
 * device path, or -1 when it is not an ATA disk or does not say. */
static int bios_drive_ide_index(struct bios_query *q, uint8_t drive)
{
    uint8_t *p = phys_to_virt(q->low);
    uint32_t path;
    int channel;

    /* SeaBIOS puts the channel of a PCI IDE disk (interface path byte 3)
     * only into the 74-byte T13 form (device path length 44), not into the
     * 66-byte Phoenix one, and leaves 30 in the size word either way: the
     * key in the zeroed buffer says whether it filled the path. */
    if (bios_edd_params(q, drive, 74)) {
        log(LOG_DEBUG, "drive %02x: AH=48h failed", drive);
        return -1;
    }
    if (p[30] != 0xdd || p[31] != 0xbe || memcmp(p + 40, "ATA", 3)) {
        log(LOG_DEBUG, "drive %02x: no ATA device path in its EDD answer", drive);
        return -1;
    }
    memcpy(&path, p + 48, 4);
    if (!memcmp(p + 36, "PCI", 3) && p[32] == 44)
        channel = p[51];                /* T13: bus, dev, fn, channel */
    else if (!memcmp(p + 36, "ISA", 3))
        channel = (path & 0xffff) == 0x170;  /* the channel's I/O base */
    else {
        log(LOG_DEBUG, "drive %02x: EDD device path names no IDE channel", drive);
        return -1;
    }
    log(LOG_DEBUG, "drive %02x: ATA on %c%c%c path %08x channel %d device %u",
        drive, p[36], p[37], p[38], path, channel, p[56]);
    return channel * 2 + (p[56] & 1);
}

/* Sector 0 of BIOS drive @drive through the previous handler into @low. */
static int bios_read_mbr(struct bios_query *q, uint8_t drive)
{
    struct stub_frame r;

    memset(&r, 0, sizeof(r));
    r.ax = 0x0201;
    r.cx = 0x0001;
    r.dl = drive;
    r.es = (uint16_t)(q->low >> 4);
    r.bx = q->low & 15;
    return bios_call(q, &r);
}

/* "keep" in xenpvboot/twins: leave the emulated twins their numbers. */
static int twins_kept(void)
{
    char v[8];

    return xenstore_read("xenpvboot/twins", v, sizeof(v)) >= 0 &&
           !strcmp(v, "keep");
}

/* The BIOS drive that is @d's emulated twin, or 0. */
static uint8_t twin_find(struct bios_query *q, struct bdisk *d,
                         const uint8_t *mbr)
{
    int want = vdev_ide_index(d->vbd->vdev), count, i;
    uint8_t drive;

    if (want < 0 || !q->low || q->keep_twins)
        return 0;
    count = bda_read8(BDA_HDCOUNT);
    for (i = 0; i < count; i++) {
        drive = 0x80 + i;
        if (disk_lookup(drive) || bios_drive_ide_index(q, drive) != want)
            continue;
        if (bios_read_mbr(q, drive) ||
            memcmp(phys_to_virt(q->low), mbr, SECTOR)) {
            log(LOG_INFO, "vbd %u: drive %02x is IDE index %d but sector 0 differs",
                d->vbd->vdev, drive, want);
            return 0;
        }
        return drive;
    }
    return 0;
}

/* Connect @v, read its first block into @d's cache, fill in @d.  0 or
 * negative. */
static int disk_describe(struct bdisk *d, struct vbd *v)
{
    uint8_t *mbr = d->block0;
    int rc = blkfront_connect(v);

    if (rc)
        return rc;
    d->vbd = v;
    disk_set_format(d, v);
    rc = blkfront_rw(v, 0, 0, v->sector_size / 512, mbr);
    if (rc)
        return rc;
    d->block0_valid = 1;
    geometry_choose(&d->chs, mbr, d->blocks);
    return 0;
}

static void disk_number(struct bios_query *q, struct bdisk *d, const uint8_t *mbr)
{
    uint8_t count = bda_read8(BDA_HDCOUNT);

    d->drive = twin_find(q, d, mbr);
    d->twin = d->drive != 0;
    if (!d->twin) {
        d->drive = 0x80 + count;
        bda_write8(BDA_HDCOUNT, count + 1);
    }
    log(LOG_INFO, "drive %02x: vbd %u, %llu x %u bytes, CHS %u/%u/%u%s%s",
        d->drive, d->vbd->vdev, d->blocks, 1u << d->block_shift,
        d->chs.cylinders, d->chs.heads, d->chs.sectors,
        d->twin ? ", took over its emulated IDE twin" : ", new drive",
        d->vbd->readonly ? ", read-only" : "");
}

/* Init: read the twins key, connect every vbd and describe it (size,
 * first block), in xenstore order; the disks that answer become bdisks[],
 * not yet numbered, each with a boot entry of its own (rom/bios/pnp.c).
 * The bus must be up; the caller takes it down. */
int bcv_describe(struct vbd *vbds, int nr_vbds)
{
    struct bdisk *d;
    uint64_t t0;
    int i, rc;

    keep_twins = twins_kept();
    bootchoice_read();
    if (keep_twins)
        log(LOG_INFO, "xenpvboot/twins is \"keep\": emulated twins keep their numbers");
    nr_bdisks = 0;
    nr_cd_vbds = 0;
    for (i = 0; i < nr_vbds && nr_bdisks < MAX_BDISKS; i++) {
        d = &bdisks[nr_bdisks];
        if (vbds[i].cdrom) {
            if (nr_cd_vbds < CDROM_MAX)
                cd_vbds[nr_cd_vbds++] = &vbds[i];
            continue;
        }
        t0 = xen_time_ns();
        rc = disk_describe(d, &vbds[i]);
        if (rc) {
            log(LOG_ERR, "vbd %u: not offered (%d), gave up after %u ms",
                vbds[i].vdev, rc, xen_ms_since(t0));
            continue;
        }
        d->drive = 0;
        nr_bdisks++;
    }
    if (nr_cd_vbds && !nr_bdisks)
        log(LOG_INFO, "CD-ROM vbds but no PV disk: no BCV to offer them from, left emulated");
    return nr_bdisks;
}

/* At the first BCV, before any hook: the CD vbds whose emulated twin
 * SeaBIOS numbered at POST (E0h..) join bdisks[] after the disks, so the
 * disks keep their $PnP slot indices. */
static void cdroms_offer(struct bios_query *q)
{
    int i, rc;

    if (!nr_cd_vbds)
        return;
    rc = pv_up();
    if (rc) {
        log(LOG_ERR, "BCV: Xen bus setup failed (%d): CD-ROMs left emulated", rc);
        return;
    }
    for (i = 0; i < nr_cd_vbds && nr_bdisks < MAX_BDISKS; i++)
        nr_bdisks += cdrom_offer(q, &bdisks[nr_bdisks], cd_vbds[i]) == 0;
    if (!quiesce_connection_kept())
        pv_down();
}

void bcv_register(struct stub_frame *f, struct stub_info *stub, unsigned int k)
{
    static uint8_t low_page[4096];
    uint32_t *ivt13 = phys_to_virt(IVT_INT13);
    struct bios_query q = { stub, *ivt13, stub->low_buf, f, keep_twins };

    if (k >= (unsigned int)nr_bdisks || bdisks[k].drive) {
        log(LOG_ERR, "BCV %u: no such disk, or numbered already", k);
        return;
    }
    if (stub->prev_int13)               /* hooked: the BIOS's handler is before us */
        q.prev = stub->prev_int13;
    if (stub->image_kind == STUB_IMAGE_BASEMEM && !q.low)
        q.low = virt_to_phys(low_page);  /* below 1 MiB already */
    if (!stub->prev_int13)
        cdroms_offer(&q);
    disk_number(&q, &bdisks[k], bdisks[k].block0);
    bootchoice_apply();
    hooks_install(stub);
}
