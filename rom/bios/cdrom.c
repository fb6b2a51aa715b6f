/* CD-ROM vbds: the El Torito drive SeaBIOS booted, served over PV.
 *
 * SeaBIOS boots a CD itself: it reads the boot catalog and the boot image
 * over emulated ATAPI and numbers the CD E0h (the first; the number it
 * passes in DL).  Everything the loader reads after that goes through
 * INT 13h, so the ROM takes over that drive number as it does a disk's
 * twin: the BIOS drive whose DPTE names the vbd's IDE position (hdc =
 * vdev 5632 = secondary master) and whose sector 16, the primary volume
 * descriptor, is the vbd's.  A CD-ROM with no twin (no emulated CD, or not
 * yet numbered at the BCV: SeaBIOS numbers CDs in boot order, so one
 * booted after the disks is numbered after our BCV ran) stays unoffered;
 * nothing can boot it through us without a BEV (docs/design.md).
 *
 * The answers are those SeaBIOS 1.16's disk.c, block.c and ATAPI driver
 * give for a CD drive, so a loader sees no difference but speed; where
 * they differ on purpose the function says so.  Linux's xen-blkfront
 * refuses CD vbds in HVM guests, so the OS goes on with the emulated CD:
 * the handover leaves the vbd as it was found (rom/bios/quiesce.c). */
#include "bios/cdrom.h"
#include "bios/bda.h"
#include "xen/hypervisor.h"
#include "lib/libc.h"
#include "lib/log.h"
#include "bios/rommem.h"

#define CD_SECTOR        (1u << CDROM_SHIFT)
#define CD_PVD_LBA       16     /* ISO 9660 primary volume descriptor */
#define CD_UNITS         (CD_SECTOR / 512)
/* SeaBIOS refuses a request of more than 64 KiB with 09h */
#define CD_MAX_COUNT     (65536 / CD_SECTOR)

/* ---- the twin ------------------------------------------------------- */

/* 2048-byte sectors whatever the backend's sector-size (qdisk may say
 * 512): blocks from sectors, which the backend gives in 512-byte units. */
static void cdrom_set_format(struct bdisk *d)
{
    d->block_shift = CDROM_SHIFT;
    d->blocks = d->vbd->sectors / CD_UNITS;
}

/* IDE index (channel * 2 + slave) of the ATAPI device behind BIOS drive
 * @drive, from the DPTE its AH=48h answer points to, or -1.  SeaBIOS's
 * device path cannot say: in the 66-byte form it masks the PCI channel out
 * of the interface path (SeaBIOS 1.16); its DPTE
 * has the channel's I/O base, the slave bit and the ATAPI option. */
static int bios_cd_ide_index(struct bios_query *q, uint8_t drive)
{
    uint8_t *p = phys_to_virt(q->low), *dpte;
    uint16_t off, seg, iobase, options;
    uint32_t flat;

    if (bios_edd_params(q, drive, 30))
        return -1;                      /* no such drive */
    memcpy(&off, p + 26, 2);
    memcpy(&seg, p + 28, 2);
    flat = (uint32_t)seg * 16 + off;
    if ((off == 0xffff && seg == 0xffff) || !flat || flat > 0x100000 - 16) {
        log(LOG_DEBUG, "drive %02x: no DPTE in its EDD answer", drive);
        return -1;
    }
    dpte = phys_to_virt(flat);
    memcpy(&iobase, dpte, 2);
    memcpy(&options, dpte + 10, 2);
    if (!(options & 0x40) || (iobase != 0x1f0 && iobase != 0x170)) {
        log(LOG_DEBUG, "drive %02x: DPTE io %04x options %04x: not ATAPI on IDE",
            drive, iobase, options);
        return -1;
    }
    return (iobase == 0x170) * 2 + !!(dpte[4] & 0x10);
}

/* Sector @lba of BIOS drive @drive through the previous handler (AH=42h)
 * into the first 2 KiB of the low page, its packet after it. */
static int bios_cd_read(struct bios_query *q, uint8_t drive, uint32_t lba)
{
    uint32_t at = q->low + CD_SECTOR;
    struct dap *dap = phys_to_virt(at);
    struct stub_frame r;

    memset(dap, 0, sizeof(*dap));
    dap->size = 16;
    dap->count = 1;
    dap->off = q->low & 15;
    dap->seg = (uint16_t)(q->low >> 4);
    dap->lba = lba;
    memset(&r, 0, sizeof(r));
    r.ah = 0x42;
    r.dl = drive;
    r.ds = (uint16_t)(at >> 4);
    r.si = at & 15;
    return bios_call(q, &r);
}

/* The BIOS CD drive that is @d's emulated twin (its sector 16 is @pvd),
 * or 0. */
static uint8_t cdrom_twin_find(struct bios_query *q, struct bdisk *d,
                               const uint8_t *pvd)
{
    int want = vdev_ide_index(d->vbd->vdev), i;
    uint8_t drive;

    if (want < 0 || !q->low)
        return 0;
    for (i = 0; i < CDROM_MAX; i++) {
        drive = CDROM_FIRST + i;
        if (disk_lookup(drive) || bios_cd_ide_index(q, drive) != want)
            continue;
        if (bios_cd_read(q, drive, CD_PVD_LBA)) {
            log(LOG_INFO, "vbd %u: drive %02x is IDE index %d but the BIOS cannot read its sector 16: kept emulated",
                d->vbd->vdev, drive, want);
            return 0;
        }
        if (memcmp(phys_to_virt(q->low), pvd, CD_SECTOR)) {
            log(LOG_INFO, "vbd %u: drive %02x is IDE index %d but sector 16 differs: kept emulated",
                d->vbd->vdev, drive, want);
            return 0;
        }
        return drive;
    }
    log(LOG_INFO, "vbd %u: CD-ROM with no emulated twin among drives %02x-%02x: not offered",
        d->vbd->vdev, CDROM_FIRST, CDROM_FIRST + CDROM_MAX - 1);
    return 0;
}

/* Connect @v and read its volume descriptor into @d's block cache (which
 * for a CD holds sector 16 and is never served as block 0). */
static int cdrom_describe(struct bdisk *d, struct vbd *v)
{
    int rc = blkfront_connect(v);

    memset(d, 0, sizeof(*d));
    d->vbd = v;
    if (rc)
        return rc;
    if (v->sector_size > CD_SECTOR)
        return -XEN_EOPNOTSUPP;
    cdrom_set_format(d);
    if (d->blocks <= CD_PVD_LBA)
        return -XEN_ENOENT;             /* no media, or no ISO 9660 on it */
    return blkfront_rw(v, 0, CD_PVD_LBA * CD_UNITS, CD_UNITS, d->block0);
}

int cdrom_offer(struct bios_query *q, struct bdisk *d, struct vbd *v)
{
    int rc;

    if (q->keep_twins) {
        log(LOG_INFO, "vbd %u: CD-ROM left to its emulated twin (twins kept)", v->vdev);
        return -XEN_ENOENT;
    }
    rc = cdrom_describe(d, v);
    if (rc) {
        log(LOG_INFO, "vbd %u: CD-ROM not offered (%d%s)", v->vdev, rc,
            rc == -XEN_ENOENT ? ": no media" : "");
        return rc;
    }
    d->drive = cdrom_twin_find(q, d, d->block0);
    if (!d->drive)
        return -XEN_ENOENT;
    d->twin = 1;
    log(LOG_INFO, "drive %02x: vbd %u, CD-ROM, %llu x %u bytes, took over its emulated ATAPI twin",
        d->drive, v->vdev, d->blocks, CD_SECTOR);
    return 0;
}

/* ---- INT 13h -------------------------------------------------------- */

/* Reads @count sectors at @lba over PV into flat @buf.  Returns the status;
 * SeaBIOS answers every failed ATAPI command 0Ch, no media and a read past
 * its end included, and so do we.  The media may have changed since the
 * last connect (xl cd-insert/cd-eject): the size is the backend's now. */
static uint8_t cdrom_pv_read(struct bdisk *d, uint64_t lba, uint32_t count,
                             uint32_t buf)
{
    int rc = pv_up();

    if (!rc)
        rc = blkfront_connect(d->vbd);
    if (!rc)
        cdrom_set_format(d);
    if (!rc && (lba >= d->blocks || count > d->blocks - lba))
        rc = -XEN_EINVAL;
    if (!rc)
        rc = blkfront_rw(d->vbd, 0, lba * CD_UNITS, count * CD_UNITS,
                         phys_to_virt(buf));
    if (rc) {
        log(LOG_DEBUG, "drive %02x: read of %u at %llu failed (%d)", d->drive,
            count, lba, rc);
        return DISK_RET_EBADTRACK;
    }
    d->reads++;
    d->bytes += (uint64_t)count << CDROM_SHIFT;
    return DISK_RET_SUCCESS;
}

/* AH=00h reset, 09h, 0Ch, 0Dh, 10h, 11h, 14h: SeaBIOS answers success
 * without asking the drive (10h included: its ATAPI driver has no
 * "is ready" command). */
static int cd_ok(struct int13_call *c)
{
    (void)c;
    return DISK_RET_SUCCESS;
}

/* AH=01h status of last operation: 40:74, CF set if nonzero. */
static int cd_status(struct int13_call *c)
{
    (void)c;
    return fail(bda_read8(BDA_DISK_LAST_STATUS));
}

/* AH=02h-05h (CHS), 08h, 16h: SeaBIOS's CD drive has no CHS geometry. */
static int cd_no_chs(struct int13_call *c)
{
    (void)c;
    return fail(DISK_RET_EPARAM);
}

/* AH=15h drive type: AH 01h (no change line reported), CF clear, as
 * SeaBIOS answers for CDs; CX:DX untouched. */
static int cd_type(struct int13_call *c)
{
    (void)c;
    return 1;
}

/* AH=41h EDD installation check.  In: BX 55AAh.  Out: BX AA55h, AH 30h,
 * CX 0007h (SeaBIOS's: extended access, removable-media functions, EDD).
 * SeaBIOS does not check BX; we do, as for disks. */
static int cd_edd_check(struct int13_call *c)
{
    if (c->f->bx != 0x55aa)
        return fail(DISK_RET_EPARAM);
    c->f->bx = 0xaa55;
    c->f->cx = 0x0007;
    return 0x30;
}

/* The buffer of packet @dap into @buf: seg:off, or the 64-bit flat address
 * of a 24-byte packet whose seg:off is FFFF:FFFF.  -1 when that is past
 * 4 GiB. */
static int dap_buffer(const struct dap *dap, uint64_t *buf)
{
    *buf = seg_flat(dap->seg, dap->off);
    if (dap->size < 24 || dap->seg != 0xffff || dap->off != 0xffff)
        return 0;
    *buf = dap->flat;
    return dap->flat >> 32 ? -1 : 0;
}

/* The status of an AH=42h/43h/44h/47h call on packet @dap, in SeaBIOS's
 * order: nothing to do for count 0, 09h past 64 KiB, 03h for a write,
 * success for verify and seek (SeaBIOS does not know the size), then the
 * read. */
static uint8_t cd_ext_status(struct int13_call *c, struct dap *dap)
{
    uint64_t buf;

    if (dap->size < 16 || dap->reserved || dap_buffer(dap, &buf))
        return DISK_RET_EPARAM;
    if (!dap->count)
        return DISK_RET_SUCCESS;
    if (dap->count > CD_MAX_COUNT)
        return DISK_RET_EBOUNDARY;
    if (c->op == DISK_WRITE)
        return DISK_RET_EWRITEPROT;
    if (c->op != DISK_READ)
        return DISK_RET_SUCCESS;
    if (!rommem_buffer_ok(buf, (uint64_t)dap->count << CDROM_SHIFT))
        return DISK_RET_EPARAM;
    return cdrom_pv_read(c->d, dap->lba, dap->count, (uint32_t)buf);
}

/* AH=42h read, 43h write, 44h verify, 47h seek; DS:SI the disk address
 * packet, in 2048-byte sectors.  Out: AH status, CF; on failure the
 * packet's count is 0 (SeaBIOS: no sector done).  A packet in the ROM's
 * memory, a malformed one (size < 16, reserved set) or a buffer past
 * 4 GiB or in the ROM's memory is refused 01h, as for disks (SeaBIOS
 * trusts the caller). */
static int cd_ext(struct int13_call *c)
{
    uint32_t at = seg_flat(c->f->ds, c->f->si);
    struct dap *dap = phys_to_virt(at);
    uint8_t status;

    if (rommem_overlaps(at, sizeof(*dap)))
        return fail(DISK_RET_EPARAM);   /* not a packet of the caller's */
    status = cd_ext_status(c, dap);
    if (status)
        dap->count = 0;
    return fail(status);
}

/* AH=48h drive parameters.  DS:SI buffer, its word 0 the caller's size (at
 * least 26).  Out as SeaBIOS fills it for a CD: flags 74h (removable,
 * change line, lockable, maximum CHS), CHS all FFFFFFFFh, sectors
 * all ones (the media may change), 2048 bytes per sector; DPTE FFFF:FFFF
 * (we have none); the EDD 3.0 path names the vbd as for disks.  The size
 * word says what was filled (SeaBIOS leaves 26 or 30 there). */
static int cd_edd_params(struct int13_call *c)
{
    uint32_t at = seg_flat(c->f->ds, c->f->si);
    uint8_t *p = phys_to_virt(at);
    uint16_t size, give, flags = 0x74, bps = CD_SECTOR;

    memcpy(&size, p, 2);
    give = size >= 74 ? 74 : size >= 66 ? 66 : size >= 30 ? 30 : 26;
    if (size < 26 || rommem_overlaps(at, give))
        return fail(DISK_RET_EPARAM);
    memset(p, 0, give);
    memcpy(p, &give, 2);
    memcpy(p + 2, &flags, 2);
    memset(p + 4, 0xff, 20);            /* cylinders, heads, spt, sectors */
    memcpy(p + 24, &bps, 2);
    if (give >= 30)
        memset(p + 26, 0xff, 4);
    if (give >= 66)
        int13_edd_device_path(p + 30, give == 74, c->d, c->bdf);
    return DISK_RET_SUCCESS;
}

static const struct int13_handler cdrom_handlers[] = {
    { 0x00, 0,           cd_ok },
    { 0x01, 0,           cd_status },
    { 0x02, 0,           cd_no_chs },
    { 0x03, 0,           cd_no_chs },
    { 0x04, 0,           cd_no_chs },
    { 0x05, 0,           cd_no_chs },
    { 0x08, 0,           cd_no_chs },
    { 0x09, 0,           cd_ok },
    { 0x0c, 0,           cd_ok },
    { 0x0d, 0,           cd_ok },
    { 0x10, 0,           cd_ok },
    { 0x11, 0,           cd_ok },
    { 0x14, 0,           cd_ok },
    { 0x15, 0,           cd_type },
    { 0x16, 0,           cd_no_chs },
    { 0x41, 0,           cd_edd_check },
    { 0x42, DISK_READ,   cd_ext },
    { 0x43, DISK_WRITE,  cd_ext },
    { 0x44, DISK_VERIFY, cd_ext },
    { 0x47, DISK_SEEK,   cd_ext },
    { 0x48, 0,           cd_edd_params },
};

const struct int13_handler *cdrom_int13_handler(uint8_t cmd)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cdrom_handlers); i++)
        if (cdrom_handlers[i].cmd == cmd)
            return &cdrom_handlers[i];
    return NULL;
}

/* 45h lock, 46h eject, 49h media changed, 4Eh hardware configuration: the
 * lock counts and the eject are SeaBIOS's; 4Bh (El Torito status /
 * terminate) returns SeaBIOS's own boot record of the CD, which it
 * answers for any drive number. */
int cdrom_int13_chains(uint8_t cmd)
{
    return cmd == 0x45 || cmd == 0x46 || cmd == 0x49 || cmd == 0x4b ||
           cmd == 0x4e;
}
