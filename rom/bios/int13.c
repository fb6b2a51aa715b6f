/* INT 13h for the PV disks: one function per subfunction, each with its
 * register contract, answering the way SeaBIOS's disk.c does for ATA disks
 * so a boot loader sees no difference but speed.  Where we differ on
 * purpose, the function's comment says so.
 *
 * Each handler returns its answer, and int13_answer() alone writes AH, CF
 * and 40:74 from it: 0 or more is success with that AH (40:74 and CF
 * cleared), a negative value is the failure status -value (in AH and
 * 40:74, CF set). */
#include "bios/int13.h"
#include "bios/int13_call.h"
#include "bios/cdrom.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "lib/libc.h"
#include "lib/log.h"
#include "bios/rommem.h"

#define EXT_MAX_COUNT 127   /* Phoenix EDD: blocks per AH=42h/43h call */
#define CHS_MAX_COUNT 128   /* SeaBIOS accepts AL up to 128 */

/* The functions we answer (AH). */
enum int13_cmd {
    INT13_RESET      = 0x00,
    INT13_STATUS     = 0x01,
    INT13_READ       = 0x02,
    INT13_WRITE      = 0x03,
    INT13_VERIFY     = 0x04,
    INT13_FORMAT     = 0x05,
    INT13_PARAMS     = 0x08,
    INT13_SEEK       = 0x0c,
    INT13_ALT_RESET  = 0x0d,
    INT13_READY      = 0x10,
    INT13_TYPE       = 0x15,
    INT13_EXT_CHECK  = 0x41,
    INT13_EXT_READ   = 0x42,
    INT13_EXT_WRITE  = 0x43,
    INT13_EXT_VERIFY = 0x44,
    INT13_EXT_SEEK   = 0x47,
    INT13_EXT_PARAMS = 0x48,
};

/* Sets AH, CF and 40:74 as a BIOS does, from a handler's answer. */
static void int13_answer(struct int13_call *c, int answer)
{
    uint8_t status = answer < 0 ? (uint8_t)-answer : 0;

    bda_write8(BDA_DISK_LAST_STATUS, status);
    c->f->ah = answer < 0 ? status : (uint8_t)answer;
    if (status)
        c->ret->flags |= FLAG_CF;
    else
        c->ret->flags &= ~FLAG_CF;
}

uint8_t int13_status_of(int rc)
{
    switch (rc) {
    case 0:
        return DISK_RET_SUCCESS;
    case -XEN_EROFS:
        return DISK_RET_EWRITEPROT;
    case -XEN_EINVAL:
        return DISK_RET_EPARAM;
    case -XEN_ETIMEDOUT:
        return DISK_RET_ETIMEOUT;
    case -XEN_ENODEV:
        return DISK_RET_ENOTREADY;
    default:
        return DISK_RET_ECONTROLLER;
    }
}

/* The one place a read, write or verify reaches the disk.  Returns the
 * status.  A buffer that ends
 * past 4 GiB (a flat address would wrap onto the IVT) or touches the ROM's
 * own memory is refused with 01h before a byte moves (SeaBIOS, which
 * trusts the caller, has no answer of its own for it). */
static uint8_t disk_transfer(struct bdisk *d, enum disk_op op, uint64_t lba,
                             uint32_t count, uint64_t buf)
{
    if (lba >= d->blocks || count > d->blocks - lba)
        return DISK_RET_EPARAM;
    if (op == DISK_VERIFY)
        return DISK_RET_SUCCESS;     /* a virtual disk has no media to check */
    if (!rommem_buffer_ok(buf, (uint64_t)count << d->block_shift))
        return DISK_RET_EPARAM;
    if (op == DISK_WRITE && d->vbd->readonly)
        return DISK_RET_EWRITEPROT;
    return int13_status_of(disk_io(d, op == DISK_WRITE, lba, count, (uint32_t)buf));
}

/* AH=00h reset.  In: DL drive.  Out: AH status, CF.  Read-ahead in
 * flight is drained: a loader resetting a drive is done with its stream. */
static int int13_reset(struct int13_call *c)
{
    (void)c;
    blkfront_ra_drain();
    return DISK_RET_SUCCESS;
}

/* AH=01h status of last operation.  Out: AH = 40:74 (left as it is), CF set
 * if nonzero. */
static int int13_status(struct int13_call *c)
{
    (void)c;
    return fail(bda_read8(BDA_DISK_LAST_STATUS));
}

/* AH=02h read, 03h write, 04h verify, CHS.  In: AL count (1..128), CH
 * cylinder low, CL sector (bits 0-5) and cylinder bits 8-9 (bits 6-7), DH
 * head, ES:BX buffer.  Out: AL sectors done, AH status, CF.  A buffer that
 * would run past ES:FFFF is refused with 09h (DMA boundary), as IBM BIOSes
 * do; SeaBIOS wraps silently instead. */
static int int13_chs(struct int13_call *c)
{
    struct stub_frame *f = c->f;
    struct chs *g = &c->d->chs;
    uint32_t count = f->al, cyl = f->ch | (uint32_t)(f->cl & 0xc0) << 2;
    uint32_t sector = f->cl & 0x3f, head = f->dh, lba;
    uint8_t status;

    f->al = 0;
    if (!count || count > CHS_MAX_COUNT || !sector || cyl >= g->cylinders ||
        head >= g->heads || sector > g->sectors)
        return fail(DISK_RET_EPARAM);
    if (c->op != DISK_VERIFY && f->bx + (count << c->d->block_shift) > 0x10000)
        return fail(DISK_RET_EBOUNDARY);
    lba = (cyl * g->heads + head) * g->sectors + sector - 1;
    status = disk_transfer(c->d, c->op, lba, count, seg_flat(f->es, f->bx));
    if (!status)
        f->al = count;
    return fail(status);
}

/* AH=05h format track.  A PV disk has no tracks to format: write-protected
 * on a read-only vbd, else "invalid function". */
static int int13_format(struct int13_call *c)
{
    return fail(c->d->vbd->readonly ? DISK_RET_EWRITEPROT : DISK_RET_EPARAM);
}

/* AH=08h drive parameters.  Out: CH/CL last cylinder and sector, DH last
 * head, DL number of hard disks (40:75), AX 0, BL 0.  Like SeaBIOS, the
 * last cylinder is reserved (reported count is cylinders - 1). */
static int int13_params(struct int13_call *c)
{
    struct stub_frame *f = c->f;
    struct chs *g = &c->d->chs;
    uint32_t last_cyl = g->cylinders > 1 ? g->cylinders - 2 : 0;

    f->al = 0;
    f->bl = 0;
    f->ch = last_cyl & 0xff;
    f->cl = ((last_cyl >> 2) & 0xc0) | (g->sectors & 0x3f);
    f->dh = g->heads - 1;
    f->dl = bda_read8(BDA_HDCOUNT);
    return DISK_RET_SUCCESS;
}

/* AH=0Ch seek.  In: CX, DH as for AH=02h.  Out: AH status, CF. */
static int int13_seek(struct int13_call *c)
{
    struct stub_frame *f = c->f;
    uint32_t cyl = f->ch | (uint32_t)(f->cl & 0xc0) << 2;

    if (cyl < c->d->chs.cylinders && f->dh < c->d->chs.heads)
        return DISK_RET_SUCCESS;
    return fail(DISK_RET_EPARAM);
}

/* AH=0Dh alternate reset: flush the backend's write cache when it has one,
 * so a loader that resets before handing over leaves nothing volatile. */
static int int13_alt_reset(struct int13_call *c)
{
    int rc = pv_up();

    if (!rc && c->d->vbd->connected)
        rc = blkfront_flush(c->d->vbd);
    return fail(int13_status_of(rc));
}

/* AH=10h test drive ready.  Out: AH 00h, or AAh when the backend cannot be
 * reached. */
static int int13_ready(struct int13_call *c)
{
    int rc = pv_up();

    if (!rc)
        rc = blkfront_connect(c->d->vbd);
    return rc ? fail(DISK_RET_ENOTREADY) : DISK_RET_SUCCESS;
}

/* AH=15h drive type.  Out: AH 03h (hard disk), CX:DX sectors reachable by
 * CHS (SeaBIOS's count: cylinders - 1 of them), CF clear. */
#define INT13_TYPE_HARD_DISK 3

static int int13_type(struct int13_call *c)
{
    struct chs *g = &c->d->chs;
    uint32_t n = (uint32_t)(g->cylinders - 1) * g->heads * g->sectors;

    c->f->cx = n >> 16;
    c->f->dx = n & 0xffff;
    return INT13_TYPE_HARD_DISK;
}

/* AH=41h EDD installation check.  In: BX 55AAh.  Out: BX AA55h, AH 30h
 * (EDD 3.0), CX 0005h: fixed-disk access (42h-44h, 47h, 48h) and EDD (48h);
 * not bit 1, since we have no removable-media functions (SeaBIOS says 7). */
#define EDD_VERSION_3_0 0x30

static int int13_edd_check(struct int13_call *c)
{
    if (c->f->bx != 0x55aa)
        return fail(DISK_RET_EPARAM);
    c->f->bx = 0xaa55;
    c->f->cx = 0x0005;
    return EDD_VERSION_3_0;
}

/* AH=42h read, 43h write (AL 0-2), 44h verify, 47h seek; DS:SI is the disk
 * address packet: size (16, or 24 with a 64-bit flat buffer used when the
 * segment:offset is FFFF:FFFF), reserved 0, count (at most 127), buffer,
 * LBA.  Out: AH status, CF; on failure the packet's count is the number of
 * blocks done (0).  SeaBIOS leaves the count alone on a bad LBA. */
static int int13_ext(struct int13_call *c)
{
    struct stub_frame *f = c->f;
    struct dap *dap = phys_to_virt(seg_flat(f->ds, f->si));
    uint64_t buf;
    uint8_t status;

    if (rommem_overlaps(seg_flat(f->ds, f->si), sizeof(*dap)))
        return fail(DISK_RET_EPARAM);   /* not a packet of the caller's */
    buf = seg_flat(dap->seg, dap->off);
    if (dap->size < 16 || dap->reserved || (c->op == DISK_WRITE && f->al > 2) ||
        dap->count > EXT_MAX_COUNT) {
        status = DISK_RET_EPARAM;
        goto out;
    }
    if (dap->size >= 24 && dap->seg == 0xffff && dap->off == 0xffff) {
        if (dap->flat >> 32) {
            status = DISK_RET_EPARAM;
            goto out;
        }
        buf = dap->flat;
    }
    if (c->op == DISK_SEEK || !dap->count)
        status = dap->lba < c->d->blocks ? DISK_RET_SUCCESS : DISK_RET_EPARAM;
    else
        status = disk_transfer(c->d, c->op, dap->lba, dap->count, buf);
out:
    if (status)
        dap->count = 0;     /* blocks transferred: none */
    return fail(status);
}

/* EDD 3.0 device path: the platform PCI device, then the vbd.  There is no
 * EDD interface type for a Xen vbd; "XENVBD" names it, the interface path
 * is the platform device's bus/slot/function, the device path its vdev and
 * backend domain. */
void int13_edd_device_path(uint8_t *p, int long_form, const struct bdisk *d,
                           uint16_t bdf)
{
    uint8_t sum = 0;
    int len = long_form ? 44 : 36, i;

    p[0] = 0xdd;
    p[1] = 0xbe;
    p[2] = len;
    memcpy(p + 6, "PCI ", 4);
    memcpy(p + 10, "XENVBD  ", 8);
    p[18] = bdf >> 8;
    p[19] = (bdf >> 3) & 0x1f;
    p[20] = bdf & 7;
    memcpy(p + 26, &d->vbd->vdev, 4);
    memcpy(p + 30, &d->vbd->backend_id, 2);
    for (i = 0; i < len - 1; i++)
        sum += p[i];
    p[len - 1] = -sum;
}

/* AH=48h drive parameters.  DS:SI buffer, its word 0 the caller's size:
 * 26 (EDD 1.x), 30 (+DPTE pointer: FFFF:FFFF, we have none), 66 or 74
 * (EDD 3.0 device path, short or T13 long form).  Out: buffer filled, its
 * size word set to what was filled, AH status, CF. */
static int int13_edd_params(struct int13_call *c)
{
    struct stub_frame *f = c->f;
    uint8_t *p = phys_to_virt(seg_flat(f->ds, f->si));
    uint16_t size, give, flags = 0;
    uint32_t v;

    memcpy(&size, p, 2);
    give = size >= 74 ? 74 : size >= 66 ? 66 : size >= 30 ? 30 : 26;
    if (size < 26 || rommem_overlaps(seg_flat(f->ds, f->si), give))
        return fail(DISK_RET_EPARAM);
    memset(p, 0, give);
    memcpy(p, &give, 2);
    if (c->d->chs.cylinders < 1024 ||
        (uint64_t)c->d->chs.cylinders * c->d->chs.heads * c->d->chs.sectors >= c->d->blocks)
        flags |= 0x02;                  /* CHS information valid */
    if (c->d->vbd->readonly)
        flags |= 0x40;                  /* write-protected (removable bit unset) */
    memcpy(p + 2, &flags, 2);
    v = c->d->chs.cylinders;
    memcpy(p + 4, &v, 4);
    v = c->d->chs.heads;
    memcpy(p + 8, &v, 4);
    v = c->d->chs.sectors;
    memcpy(p + 12, &v, 4);
    memcpy(p + 16, &c->d->blocks, 8);
    v = 1u << c->d->block_shift;
    memcpy(p + 24, &v, 2);
    if (give >= 30)
        memset(p + 26, 0xff, 4);
    if (give >= 66)
        int13_edd_device_path(p + 30, give == 74, c->d, c->bdf);
    return DISK_RET_SUCCESS;
}

static const struct int13_handler int13_handlers[] = {
    { INT13_RESET,      0,           int13_reset },
    { INT13_STATUS,     0,           int13_status },
    { INT13_READ,       DISK_READ,   int13_chs },
    { INT13_WRITE,      DISK_WRITE,  int13_chs },
    { INT13_VERIFY,     DISK_VERIFY, int13_chs },
    { INT13_FORMAT,     0,           int13_format },
    { INT13_PARAMS,     0,           int13_params },
    { INT13_SEEK,       0,           int13_seek },
    { INT13_ALT_RESET,  0,           int13_alt_reset },
    { INT13_READY,      0,           int13_ready },
    { INT13_TYPE,       0,           int13_type },
    { INT13_EXT_CHECK,  0,           int13_edd_check },
    { INT13_EXT_READ,   DISK_READ,   int13_ext },
    { INT13_EXT_WRITE,  DISK_WRITE,  int13_ext },
    { INT13_EXT_VERIFY, DISK_VERIFY, int13_ext },
    { INT13_EXT_SEEK,   DISK_SEEK,   int13_ext },
    { INT13_EXT_PARAMS, 0,           int13_edd_params },
};

static const struct int13_handler *int13_handler(uint8_t cmd)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(int13_handlers); i++)
        if (int13_handlers[i].cmd == cmd)
            return &int13_handlers[i];
    return NULL;
}

/* Calls for an existing hard disk that is not ours, left to the BIOS (its
 * emulated path): with every disk taken over, none, which is how the log
 * shows that path served nothing.  Probes of drive numbers past 40:75
 * (Linux's EDD scan asks until a drive is missing) do not count. */
static unsigned int passed_on_hd;

unsigned int int13_passed_on_hd(void)
{
    return passed_on_hd;
}

/* Calls we answered, and how many of them returned while a backend still
 * had one of our data pages: the log's proof that nothing stays granted
 * between calls. */
static unsigned int served, served_granted;

static void int13_grant_audit(void)
{
    unsigned int live = disk_data_grants_live();

    served++;
    if (!live)
        return;
    if (!served_granted++)
        log(LOG_ERR, "int13: returning with %u data grants live", live);
}

void int13_report(void)
{
    log(LOG_INFO, "INT 13h: %u calls served, %u returned with data grants live",
        served, served_granted);
    log(LOG_INFO, "calls for other hard disks passed on to the BIOS: %u",
        passed_on_hd);
}

int int13_service(struct stub_frame *f, struct stub_iret *ret, uint16_t bdf)
{
    struct int13_call c = { f, ret, disk_lookup(f->dl), DISK_READ, bdf };
    const struct int13_handler *h;
    uint8_t cmd = f->ah;
    int answer;

    disk_ra_settle(c.d);
    if (!c.d) {
        passed_on_hd += f->dl >= 0x80 &&
                        f->dl < 0x80 + bda_read8(BDA_HDCOUNT);
        return 0;
    }
    if (c.d->vbd->cdrom && cdrom_int13_chains(cmd))
        return 0;       /* the BIOS's removable-media state: its answer */
    h = c.d->vbd->cdrom ? cdrom_int13_handler(cmd) : int13_handler(cmd);
    if (h) {
        c.op = h->op;
        answer = h->fn(&c);
    } else {
        log(LOG_DEBUG, "int13: function %02x unsupported", cmd);
        answer = fail(DISK_RET_EPARAM);
    }
    int13_answer(&c, answer);
    log(LOG_TRACE, "int13 ah=%02x dl=%02x -> ah=%02x cf=%u", cmd, f->dl, f->ah,
        ret->flags & FLAG_CF);
    int13_grant_audit();
    return 1;
}
