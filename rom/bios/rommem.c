/* The ROM's own memory.  A caller's INT 13h buffer over it would have the
 * read land on the drive table, the bounce pages or the ring in the middle
 * of the very call that uses them (or a write send our own memory to the
 * backend), so int13.c refuses such buffers before touching a byte.  The
 * regions: the C image with its allocation slack (rom/bios/entry.S image_alloc),
 * the resident stub (its PCIR runtime length), and BAR1 (shared_info and
 * the grant frame, rom/xen/hypervisor.c). */
#include "bios/rommem.h"
#include "arch/platform.h"
#include "lib/libc.h"

#define PCIR_PTR_OFF     0x18
#define PCIR_RUNTIME_OFF 0x10   /* maximum runtime length, 512-byte units */
#define KIB              1024u

static struct { uint32_t start, len; } regions[ROMMEM_REGIONS];

void rommem_set(enum rommem_region r, uint32_t start, uint32_t len)
{
    regions[r].start = start;
    regions[r].len = len;
}

/* rom/bios/entry.S image_alloc: PMM gives a block of the image size + 4 KiB
 * + STUB_PMM_TAIL, 16-byte granular, and the image starts at its first 4 KiB
 * boundary, so the block lies within 4 KiB either side of the image and its
 * tail; base memory is the image size + 4 KiB, rounded up to a KiB, from
 * image_base. */
void rommem_image_alloc(uint32_t kind, uint32_t base, uint32_t size,
                        uint32_t *start, uint32_t *len)
{
    if (kind == STUB_IMAGE_PMM) {
        *start = base - PAGE_SIZE;
        *len = size + STUB_PMM_TAIL + 2 * PAGE_SIZE + 16;
    } else {
        *start = base;
        *len = (size + PAGE_SIZE + KIB - 1) & ~(KIB - 1);
    }
}

#if __STDC_HOSTED__
/* Host tests: the test program stands for the image (its statics are the
 * drive table, bounce pages and rings), [__executable_start, _end) by GNU
 * ld's default script. */
extern char __executable_start[], _end[];

static void rommem_set_image(const struct stub_info *stub)
{
    (void)stub;
    rommem_set(ROMMEM_IMAGE, (uint32_t)(uintptr_t)__executable_start,
               (uint32_t)(_end - __executable_start));
}

/* ...and a static buffer of it the PMM tail. */
void *rommem_pmm_tail(const struct stub_info *stub)
{
    static uint8_t tail[STUB_PMM_TAIL] __attribute__((aligned(PAGE_SIZE)));

    return stub->image_kind == STUB_IMAGE_PMM ? tail : NULL;
}
#else
extern char __image_end[] __attribute__((visibility("hidden")));

static void rommem_set_image(const struct stub_info *stub)
{
    uint32_t start, len;

    rommem_image_alloc(stub->image_kind, stub->image_base,
                       (uint32_t)(uintptr_t)__image_end - stub->image_base,
                       &start, &len);
    rommem_set(ROMMEM_IMAGE, start, len);
}

void *rommem_pmm_tail(const struct stub_info *stub)
{
    return stub->image_kind == STUB_IMAGE_PMM ? __image_end : NULL;
}
#endif

static void rommem_set_stub(const struct stub_info *stub)
{
    const uint8_t *rom = phys_to_virt((uint32_t)stub->rom_seg << 4);
    uint16_t pcir, units;

    memcpy(&pcir, rom + PCIR_PTR_OFF, 2);
    memcpy(&units, rom + pcir + PCIR_RUNTIME_OFF, 2);
    rommem_set(ROMMEM_STUB, (uint32_t)stub->rom_seg << 4, (uint32_t)units * 512);
}

void rommem_set_rom(const struct stub_info *stub)
{
    rommem_set_image(stub);
    rommem_set_stub(stub);
}

int rommem_overlaps(uint64_t start, uint64_t len)
{
    unsigned int i;

    if (!len)
        return 0;
    for (i = 0; i < ROMMEM_REGIONS; i++)
        if (regions[i].len && start < (uint64_t)regions[i].start + regions[i].len &&
            regions[i].start < start + len)
            return 1;
    return 0;
}

int rommem_buffer_ok(uint64_t start, uint64_t len)
{
    return start + len <= (1ull << 32) && start + len >= start &&
           !rommem_overlaps(start, len);
}
