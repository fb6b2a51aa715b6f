/* The floor variant (rom/variants/floor.h): the ROM with the boot disk
 * preloaded at its BCV and served from memory.  It wraps three of the
 * ROM's functions, which rom/rom.mk compiles renamed rom_* for this variant:
 * services_bcv (preload after numbering), disk_io (reads in range from
 * memory, writes kept in step) and services_leaving (every E820 call, which
 * the stub passes to C in this variant, answered with the range reserved).
 * Everything else, the handover included, is the ROM's own code. */
#include "variants/floor.h"
#include "bios/disk.h"
#include "bios/int13_call.h"
#include "bios/services.h"
#include "bios/stub.h"
#include "xen/hypervisor.h"
#include "lib/libc.h"
#include "lib/log.h"

void rom_services_bcv(struct stub_frame *f, struct stub_info *stub);
void rom_services_leaving(struct stub_frame *f, struct stub_info *stub,
                          uint32_t prev, const char *where);
int rom_disk_io(struct bdisk *d, int write, uint64_t lba, uint32_t count,
                uint32_t buf);

#define SMAP          0x534d4150u   /* "SMAP", E820's signature */
#define E820_ENTRY    20
/* Continuation values of ours in EBX: SeaBIOS's are indices into its table. */
#define FLOOR_EBX     0x58504200u
#define FLOOR_MAP_MAX 32
#define FLOOR_CHUNK   128u          /* presented blocks per preload read */

static struct {
    struct bdisk *d;        /* the preloaded disk; NULL once dropped */
    uint32_t base, bytes;   /* the reserved range (flat) */
    uint64_t blocks;        /* blocks [0, blocks) are held */
    uint32_t reads;         /* reads served from memory */
    uint64_t served;
} fl;

/* The rest of an E820 entry we answer in parts (floor_split). */
static struct {
    struct floor_e820 piece[3];
    int n;
    uint32_t next_ebx;      /* the BIOS's continuation after the last part */
    uint32_t ecx;           /* the BIOS's answer's length: 20, or 24 (ACPI 3.0) */
} pend;

/* One E820 call to the BIOS's handler @prev into the flat buffer @low. */
static int e820_bios(struct stub_info *stub, struct stub_frame *frame,
                     uint32_t prev, uint32_t low, uint32_t *ebx,
                     struct floor_e820 *e)
{
    struct stub_frame r;
    uint16_t flags;

    memset(&r, 0, sizeof(r));
    r.eax = 0xe820;
    r.ebx = *ebx;
    r.ecx = E820_ENTRY;
    r.edx = SMAP;
    r.es = (uint16_t)(low >> 4);
    r.di = low & 15;
    flags = stub_call16(stub, &r, prev, 0x0002, frame);
    if ((flags & FLAG_CF) || r.eax != SMAP || r.ecx < E820_ENTRY)
        return -1;
    memcpy(e, phys_to_virt(low), E820_ENTRY);
    *ebx = r.ebx;
    return 0;
}

static int e820_map(struct stub_info *stub, struct stub_frame *f,
                    struct floor_e820 *map)
{
    uint32_t ebx = 0;
    int n = 0;

    do {
        if (e820_bios(stub, f, stub->prev_int15, stub->low_buf, &ebx, &map[n]))
            break;
        log(LOG_DEBUG, "floor: E820 %016llx +%016llx type %u", map[n].base,
            map[n].len, map[n].type);
        n++;
    } while (ebx && n < FLOOR_MAP_MAX);
    return n;
}

/* Read blocks [0, fl.blocks) of @d to fl.base, then let go of Xen as the
 * BCV always does; the counters keep to the loader's own reads. */
static int preload(struct bdisk *d)
{
    unsigned int shift = d->block_shift;
    uint32_t reads = d->reads;
    uint64_t bytes = d->bytes, lba, t0;
    uint32_t n;
    int rc = pv_up();

    if (rc)
        return rc;
    t0 = xen_time_ns();
    for (lba = 0; lba < fl.blocks && !rc; lba += n) {
        n = (uint32_t)MIN((uint64_t)FLOOR_CHUNK, fl.blocks - lba);
        rc = rom_disk_io(d, 0, lba, n, fl.base + (uint32_t)(lba << shift));
    }
    log(LOG_INFO, "floor: drive %02x: %llu blocks of %u bytes read to %08x in %u ms (%d)",
        d->drive, fl.blocks, 1u << shift, fl.base, xen_ms_since(t0), rc);
    d->reads = reads;
    d->bytes = bytes;
    pv_down();
    return rc;
}

static void floor_setup(struct bdisk *d, struct stub_info *stub, struct stub_frame *f)
{
    static struct floor_e820 map[FLOOR_MAP_MAX];
    uint64_t blocks = MIN(d->blocks, ((uint64_t)FLOOR_MAX_MIB << 20) >> d->block_shift);
    uint64_t bytes = (blocks << d->block_shift) + FLOOR_ALIGN - 1;
    uint64_t base;
    int n, rc;

    if (!stub->low_buf || !stub->prev_int15) {
        log(LOG_ERR, "floor: no low buffer or no INT 15h to ask for the memory map");
        return;
    }
    bytes &= ~(FLOOR_ALIGN - 1);
    n = e820_map(stub, f, map);
    base = floor_pick(map, n, bytes);
    if (!base) {
        log(LOG_ERR, "floor: no RAM range for %llu bytes in the %d E820 entries", bytes, n);
        return;
    }
    fl.base = (uint32_t)base;
    fl.bytes = (uint32_t)bytes;     /* reserved from here on, even if the read fails */
    fl.blocks = blocks;
    rc = preload(d);
    fl.d = rc ? NULL : d;
    if (rc)
        log(LOG_INFO, "floor: E820 reserves %08x-%08x; preload failed (%d), reads go over PV",
            fl.base, fl.base + fl.bytes - 1, rc);
    else
        log(LOG_INFO, "floor: E820 reserves %08x-%08x; reads below it are served from memory",
            fl.base, fl.base + fl.bytes - 1);
}

void services_bcv(struct stub_frame *f, struct stub_info *stub)
{
    unsigned int k = f->ax;

    rom_services_bcv(f, stub);
    if (!fl.bytes && k < (unsigned int)nr_bdisks && bdisks[k].drive &&
        !bdisks[k].vbd->cdrom)
        floor_setup(&bdisks[k], stub, f);
}

static void floor_drop(const char *why)
{
    log(LOG_ERR, "floor: %s: reads go over PV from now on", why);
    fl.d = NULL;
}

/* After a write of ours reached the backend: the held copy of its blocks. */
static void floor_written(struct bdisk *d, uint64_t lba, uint32_t count, uint32_t buf)
{
    uint64_t end = MIN(lba + count, fl.blocks);

    if (lba < end)
        memcpy(phys_to_virt(fl.base + (uint32_t)(lba << d->block_shift)),
               phys_to_virt(buf), (uint32_t)((end - lba) << d->block_shift));
}

int disk_io(struct bdisk *d, int write, uint64_t lba, uint32_t count, uint32_t buf)
{
    uint64_t len = (uint64_t)count << d->block_shift;
    int rc;

    if (!fl.d || d != fl.d)
        return rom_disk_io(d, write, lba, count, buf);
    if (floor_overlaps(buf, len, fl.base, fl.bytes)) {
        floor_drop("a caller's buffer lies in the preloaded range");
        return rom_disk_io(d, write, lba, count, buf);
    }
    if (!write && floor_holds(fl.blocks, lba, count)) {
        memcpy(phys_to_virt(buf), phys_to_virt(fl.base + (uint32_t)(lba << d->block_shift)),
               (uint32_t)len);
        fl.reads++;
        fl.served += len;
        return 0;
    }
    rc = rom_disk_io(d, write, lba, count, buf);
    if (write && floor_overlaps(lba, count, 0, fl.blocks)) {
        if (rc)
            floor_drop("a write to preloaded blocks failed");
        else
            floor_written(d, lba, count, buf);
    }
    return rc;
}

/* An E820 entry into the caller's buffer, as long as the BIOS made it (20
 * bytes, or 24 with the ACPI 3.0 attributes: "enabled"). */
static void e820_put(uint8_t *buf, const struct floor_e820 *e, uint32_t ecx)
{
    uint32_t attr = 1;

    memcpy(buf, e, E820_ENTRY);
    if (ecx >= 24)
        memcpy(buf + E820_ENTRY, &attr, 4);
}

/* The next part of an entry answered in parts, as long as the BIOS's own
 * answers and the caller's buffer allow. */
static void e820_pending(struct stub_frame *f, struct stub_iret *ret)
{
    uint32_t i = f->ebx - FLOOR_EBX;

    uint32_t len = f->ecx >= 24 && pend.ecx >= 24 ? 24 : E820_ENTRY;

    e820_put(phys_to_virt(seg_flat(f->es, f->di)), &pend.piece[i], len);
    f->ebx = i + 1 < (uint32_t)pend.n ? FLOOR_EBX + i + 1 : pend.next_ebx;
    f->eax = SMAP;
    f->ecx = len;
    ret->flags &= ~FLAG_CF;
}

/* The BIOS's answer, with the preloaded range cut out of the RAM it names. */
static void e820_answer(struct stub_frame *f, struct stub_info *stub, uint32_t prev)
{
    struct stub_iret *ret = (struct stub_iret *)(f + 1);
    struct stub_frame r = *f;
    struct floor_e820 e;
    uint8_t *buf;
    uint16_t flags;

    if (pend.n && f->ebx - FLOOR_EBX - 1 < (uint32_t)pend.n - 1) {
        e820_pending(f, ret);
        return;
    }
    r.chain = 0;
    flags = stub_call16(stub, &r, prev, ret->flags & ~0x0300, f);
    *f = r;
    ret->flags = (ret->flags & ~FLAG_CF) | (flags & FLAG_CF);
    if ((flags & FLAG_CF) || r.eax != SMAP || r.ecx < E820_ENTRY)
        return;
    buf = phys_to_virt(seg_flat(r.es, r.di));
    memcpy(&e, buf, E820_ENTRY);
    pend.n = floor_split(&e, fl.base, fl.bytes, pend.piece);
    e820_put(buf, &pend.piece[0], r.ecx);
    if (pend.n > 1) {
        pend.next_ebx = r.ebx;
        pend.ecx = r.ecx;
        f->ebx = FLOOR_EBX + 1;
    }
}

static void floor_report(void)
{
    if (fl.bytes)
        log(LOG_INFO, "floor: %u reads, %llu bytes served from memory", fl.reads, fl.served);
}

/* This variant's stub passes every E820 call to C (XENPVBOOT_E820_ALL); the
 * first of a walk (EBX 0) is where the ROM lets go, as it always does. */
void services_leaving(struct stub_frame *f, struct stub_info *stub,
                      uint32_t prev, const char *where)
{
    if (prev != stub->prev_int15 || f->eax != 0xe820) {
        rom_services_leaving(f, stub, prev, where);
        return;
    }
    if (!f->ebx) {
        floor_report();
        rom_services_leaving(f, stub, prev, where);
    }
    f->chain = prev;
    if (fl.bytes) {
        f->chain = 0;
        e820_answer(f, stub, prev);
    }
}
