/* Host tests of the floor variant (rom/variants/floor.h): its range logic,
 * then the variant as the stub calls it: a BCV that preloads a disk into a
 * range it carves out of a SeaBIOS-like E820 map, reads served from there,
 * writes kept in step, and E820 walks that see the range reserved.  The last
 * line is "N passed, N failed". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "variants/floor.h"
#include "bios/disk.h"
#include "bios/int13_call.h"
#include "bios/services.h"
#include "lib/log.h"

static int failed_now, passed, failed;
#define CHECK(c) do { if (!(c)) { printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); \
                                  failed_now = 1; } } while (0)

/* ---- what floor.c calls ---- */
uint8_t *host_real_mode_memory;
struct bdisk bdisks[MAX_BDISKS];
int nr_bdisks;
static struct vbd vbd0;
static int xen_up, pv_ups, disk_calls, leaving_calls, fail_next_write;
static char last_log[256];

#define PREV15 0xf000f859u          /* the BIOS's INT 15h handler, as a far pointer */
#define LOW_BUF 0x7000u
#define SMAP 0x534d4150u
#define MIB (1u << 20)

/* SeaBIOS's answers for a 512 MiB Xen guest, ZoneHigh at the top of RAM. */
static const struct floor_e820 bios_map[] = {
    { 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
    { 0x100000, 0x1f000000 - 0x100000, 1 }, { 0x1f000000, 0x1000000, 2 },
    { 0xfc000000, 0x4000000, 2 },
};
#define BIOS_ENTRIES (int)(sizeof(bios_map) / sizeof(bios_map[0]))

uint16_t stub_call16(const struct stub_info *info, struct stub_frame *r,
                     uint32_t target, uint16_t flags, const struct stub_frame *frame)
{
    (void)info; (void)frame;
    if (target != PREV15 || r->eax != 0xe820 || r->edx != SMAP || r->ebx >= BIOS_ENTRIES)
        return flags | FLAG_CF;
    memcpy(phys_to_virt(seg_flat(r->es, r->di)), &bios_map[r->ebx], 20);
    if (r->ecx >= 24)               /* an ACPI 3.0 BIOS: the attributes too */
        memcpy(phys_to_virt(seg_flat(r->es, r->di) + 20), &(uint32_t){ 1 }, 4);
    r->ebx = r->ebx + 1 < BIOS_ENTRIES ? r->ebx + 1 : 0;
    r->eax = SMAP;
    r->ecx = r->ecx >= 24 ? 24 : 20;
    return flags & ~FLAG_CF;
}

/* The disk: block k holds k in every 32-bit word (plus what writes put there). */
#define DISK_BLOCKS (40u * 2048)        /* 40 MiB, under FLOOR_MAX_MIB: held whole */
static uint32_t *disk;

int rom_disk_io(struct bdisk *d, int write, uint64_t lba, uint32_t count, uint32_t buf)
{
    (void)d;
    disk_calls++;
    if (!xen_up || lba + count > DISK_BLOCKS)
        return -1;
    if (write && fail_next_write) {
        fail_next_write = 0;
        return -5;
    }
    if (write)
        memcpy(disk + lba * 128, phys_to_virt(buf), count * 512);
    else
        memcpy(phys_to_virt(buf), disk + lba * 128, count * 512);
    return 0;
}

void rom_services_bcv(struct stub_frame *f, struct stub_info *stub)
{
    CHECK(f->ax == 0);
    bdisks[0].drive = 0x80;         /* bcv_register numbered it and hooked INT 15h */
    stub->prev_int15 = PREV15;
}

void rom_services_leaving(struct stub_frame *f, struct stub_info *stub, uint32_t prev,
                          const char *where)
{
    (void)stub; (void)where;
    leaving_calls++;
    xen_up = 0;                      /* quiesce */
    f->chain = prev;
}

int pv_up(void) { pv_ups++; xen_up = 1; return 0; }
void pv_down(void) { xen_up = 0; }
uint64_t xen_time_ns(void) { return 0; }
uint32_t xen_ms_since(uint64_t t0) { (void)t0; return 1; }

void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_log, sizeof(last_log), fmt, ap);
    va_end(ap);
    printf("    log: %s\n", last_log);
}

/* ---- helpers ---- */
static struct stub_info stub = { .low_buf = LOW_BUF };
static uint8_t frame_mem[sizeof(struct stub_frame) + sizeof(struct stub_iret)];
static struct stub_frame *f = (struct stub_frame *)frame_mem;
static struct stub_iret *ret = (struct stub_iret *)(frame_mem + sizeof(struct stub_frame));

/* One E820 call as a loader makes it, through the variant; 0 or -1 (CF). */
static int e820_call(uint32_t *ebx, struct floor_e820 *e, uint32_t ecx)
{
    memset(frame_mem, 0, sizeof(frame_mem));
    f->eax = 0xe820;
    f->ebx = *ebx;
    f->ecx = ecx;
    f->edx = SMAP;
    f->es = 0x0800;
    f->di = 0x10;
    ret->flags = 0x0202;
    services_leaving(f, &stub, stub.prev_int15, "E820");
    CHECK(f->chain == 0);            /* answered by us, not chained */
    if ((ret->flags & FLAG_CF) || f->eax != SMAP)
        return -1;
    memcpy(e, phys_to_virt(0x8010), 20);
    *ebx = f->ebx;
    return 0;
}

static int e820_walk(struct floor_e820 *out, int max)
{
    uint32_t ebx = 0;
    int n = 0;

    do {
        if (e820_call(&ebx, &out[n], 20))
            return -1;
        n++;
    } while (ebx && n < max);
    return n;
}

static uint8_t *caller_buf(void) { return phys_to_virt(0x10000); }

static int block_is(const uint8_t *p, uint32_t k)
{
    uint32_t w;
    int i;

    for (i = 0; i < 128; i++) {
        memcpy(&w, p + 4 * i, 4);
        if (w != k)
            return 0;
    }
    return 1;
}

/* ---- the tests ---- */
static void test_pick(void)
{
    struct floor_e820 small[] = { { 0x100000, 90 * MIB, 1 } };
    struct floor_e820 high[] = { { 0x100000000ull, 1ull << 32, 1 }, { 0x100000, 200 * MIB, 1 } };
    struct floor_e820 odd[] = { { 0x100000, 0x10000, 1 }, { 0x4100001, 200 * MIB, 1 } };

    CHECK(floor_pick(bios_map, BIOS_ENTRIES, 96 * MIB) == FLOOR_LOW);
    CHECK(floor_pick(bios_map, BIOS_ENTRIES, 0) == 0);
    /* 64 MiB + 16 MiB + the top gap does not fit in 90 MiB */
    CHECK(floor_pick(small, 1, 16 * MIB) == 0);
    CHECK(floor_pick(small, 1, 8 * MIB) == 0);
    CHECK(floor_pick(high, 2, 16 * MIB) == FLOOR_LOW);   /* above 4 GiB: not for us */
    CHECK(floor_pick(odd, 2, 16 * MIB) == 0x4200000);    /* aligned up */
    CHECK(floor_pick(bios_map, BIOS_ENTRIES, 0x1f000000ull) == 0);
}

static void test_split(void)
{
    struct floor_e820 out[3], ram = { 0x100000, 0x1ef00000, 1 }, res = { 0xf0000, 0x10000, 2 };
    struct floor_e820 inside = { 70 * MIB, 4 * MIB, 1 }, low = { 0, 0x9fc00, 1 };

    CHECK(floor_split(&ram, 64 * MIB, 20 * MIB, out) == 3);
    CHECK(out[0].base == 0x100000 && out[0].len == 63 * MIB && out[0].type == 1);
    CHECK(out[1].base == 64 * MIB && out[1].len == 20 * MIB && out[1].type == 2);
    CHECK(out[2].base == 84 * MIB && out[2].base + out[2].len == 0x1f000000 && out[2].type == 1);
    CHECK(floor_split(&res, 64 * MIB, 20 * MIB, out) == 1 && out[0].type == 2);
    CHECK(floor_split(&low, 64 * MIB, 20 * MIB, out) == 1 && out[0].len == 0x9fc00);
    /* an entry wholly inside the range is all reserved */
    CHECK(floor_split(&inside, 64 * MIB, 20 * MIB, out) == 1);
    CHECK(out[0].base == 70 * MIB && out[0].len == 4 * MIB && out[0].type == 2);
    /* the range at an entry's start or end: two parts */
    CHECK(floor_split(&ram, 0x100000, MIB, out) == 2 && out[0].type == 2 && out[1].base == 2 * MIB);
}

static void test_holds(void)
{
    CHECK(floor_holds(100, 0, 100));
    CHECK(floor_holds(100, 99, 1));
    CHECK(!floor_holds(100, 99, 2));
    CHECK(!floor_holds(100, 100, 1));
    CHECK(!floor_holds(100, 5, 0));
    CHECK(!floor_holds(100, ~0ull - 1, 4));             /* no wrap */
    CHECK(floor_overlaps(10, 5, 14, 1) && !floor_overlaps(10, 5, 15, 1) && !floor_overlaps(10, 0, 10, 5));
}

static uint8_t *region;

static void test_bcv_preloads(void)
{
    int calls = disk_calls;

    vbd0.sectors = DISK_BLOCKS;
    vbd0.sector_size = 512;
    bdisks[0].vbd = &vbd0;
    bdisks[0].block_shift = 9;
    bdisks[0].blocks = DISK_BLOCKS;
    bdisks[0].reads = 7;
    nr_bdisks = 1;
    memset(frame_mem, 0, sizeof(frame_mem));
    f->ax = 0;
    services_bcv(f, &stub);
    CHECK(disk_calls - calls == (int)(DISK_BLOCKS / 128));
    CHECK(!xen_up);                                        /* let go after the preload */
    CHECK(bdisks[0].reads == 7);                           /* the loader's counters kept */
    CHECK(block_is(region, 0) && block_is(region + 512 * 12345, 12345) &&
          block_is(region + 512 * (DISK_BLOCKS - 1), DISK_BLOCKS - 1));
}

static void test_reads_from_memory(void)
{
    int calls = disk_calls, ups = pv_ups;

    CHECK(disk_io(&bdisks[0], 0, 2048, 32, 0x10000) == 0);
    CHECK(block_is(caller_buf(), 2048) && block_is(caller_buf() + 31 * 512, 2079));
    CHECK(disk_io(&bdisks[0], 0, DISK_BLOCKS - 1, 1, 0x10000) == 0);
    CHECK(block_is(caller_buf(), DISK_BLOCKS - 1));
    CHECK(disk_calls == calls && pv_ups == ups && !xen_up); /* no Xen call */
    /* past the end: the ROM's own answer (here the fake's error) */
    CHECK(disk_io(&bdisks[0], 0, DISK_BLOCKS - 1, 2, 0x10000) != 0 && disk_calls == calls + 1);
}

static void test_e820_walk(void)
{
    struct floor_e820 m[16];
    int n = e820_walk(m, 16), i;
    uint64_t end = 0;

    CHECK(n == BIOS_ENTRIES + 2);
    for (i = 0; i < n; i++) {                 /* in order, no overlap */
        CHECK(m[i].base >= end);
        end = m[i].base + m[i].len;
    }
    CHECK(m[3].base == 0x100000 && m[3].len == 63 * MIB && m[3].type == 1);
    CHECK(m[4].base == 64 * MIB && m[4].len == 40 * MIB && m[4].type == 2);
    CHECK(m[5].base == 104 * MIB && m[5].base + m[5].len == 0x1f000000 && m[5].type == 1);
    CHECK(m[n - 1].base == 0xfc000000);
    CHECK(leaving_calls == 1);                /* the ROM let go at the walk's first call only */
    /* where the BIOS answers 24 bytes, so do our parts, "enabled" */
    {
        uint32_t ebx = 3, attr;
        struct floor_e820 e;

        CHECK(e820_call(&ebx, &e, 24) == 0 && e.base == 0x100000 && ebx == 0x58504200u + 1);
        memset(phys_to_virt(0x8010), 0xee, 24);
        CHECK(e820_call(&ebx, &e, 24) == 0 && e.base == 64 * MIB && ebx == 0x58504200u + 2);
        memcpy(&attr, phys_to_virt(0x8010 + 20), 4);
        CHECK(attr == 1 && f->ecx == 24);
        /* a 20-byte buffer gets 20 bytes, whatever the BIOS can do */
        ebx = 0x58504200u + 2;
        memset(phys_to_virt(0x8010), 0xee, 24);
        CHECK(e820_call(&ebx, &e, 20) == 0 && e.base == 104 * MIB && ebx == 4 && f->ecx == 20);
        CHECK(*(uint8_t *)phys_to_virt(0x8010 + 20) == 0xee);
    }
    /* a continuation of ours with nothing pending, or one past the parts, is the BIOS's to refuse */
    {
        uint32_t ebx = 0x58504200u + 3;
        struct floor_e820 e;

        CHECK(e820_call(&ebx, &e, 20) == -1);
    }
}

static void test_writes_kept_in_step(void)
{
    uint32_t k;
    int i, calls;

    for (i = 0; i < 128; i++) {
        k = 0xabcd0000u + i;
        memcpy(caller_buf() + 4 * i, &k, 4);
    }
    for (i = 1; i < 4; i++)
        memcpy(caller_buf() + 512 * i, caller_buf(), 512);
    xen_up = 1;
    /* a write across the held range's end: the backend gets all of it, the copy its part */
    CHECK(disk_io(&bdisks[0], 1, 100, 4, 0x10000) == 0);
    calls = disk_calls;
    memset(caller_buf(), 0, 2048);
    CHECK(disk_io(&bdisks[0], 0, 100, 4, 0x10000) == 0 && disk_calls == calls);
    CHECK(!memcmp(caller_buf(), disk + 100 * 128, 2048));
    /* a failed write may have changed the backend: no more reads from memory */
    fail_next_write = 1;
    CHECK(disk_io(&bdisks[0], 1, 200, 1, 0x10000) != 0);
    CHECK(disk_io(&bdisks[0], 0, 2048, 1, 0x10000) == 0 && disk_calls == calls + 2);
    CHECK(block_is(caller_buf(), 2048));
}

static const struct { const char *name; void (*fn)(void); } tests[] = {
    { "floor_pick: lowest fitting RAM range above FLOOR_LOW, top gap kept", test_pick },
    { "floor_split: the range reserved, RAM around it", test_split },
    { "floor_holds / floor_overlaps: bounds, no wrap", test_holds },
    { "BCV: whole disk preloaded into the carved range, then Xen let go", test_bcv_preloads },
    { "reads in range served from memory, no Xen call", test_reads_from_memory },
    { "E820 walk: the range reserved, the rest as the BIOS said", test_e820_walk },
    { "writes reach the backend and the held copy; a failed one drops the floor", test_writes_kept_in_step },
};

int main(void)
{
    unsigned int i;

    host_real_mode_memory = calloc(1, HOST_LOW_MEMORY);
    disk = malloc(DISK_BLOCKS * 512);
    for (i = 0; i < DISK_BLOCKS * 128; i++)
        disk[i] = i / 128;
    /* guest memory at the range floor_pick chooses in bios_map */
    region = mmap((void *)(uintptr_t)FLOOR_LOW, 40 * MIB, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (region != (void *)(uintptr_t)FLOOR_LOW) {
        printf("cannot map guest memory at %#llx\n0 passed, 1 failed\n", FLOOR_LOW);
        return 1;
    }
    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        failed_now = 0;
        tests[i].fn();
        printf("%s: %s\n", failed_now ? "FAIL" : "ok", tests[i].name);
        failed_now ? failed++ : passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
