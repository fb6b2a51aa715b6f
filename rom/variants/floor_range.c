/* The floor variant's range logic (rom/variants/floor.h): no platform
 * access, so the host tests (test/variants/) take it as it is. */
#include "variants/floor.h"

uint64_t floor_pick(const struct floor_e820 *map, int n, uint64_t bytes)
{
    uint64_t base, end;
    int i;

    if (!bytes)
        return 0;
    for (i = 0; i < n; i++) {
        if (map[i].type != E820_RAM || map[i].len < FLOOR_TOP_GAP + bytes)
            continue;
        end = map[i].base + map[i].len;
        if (end < map[i].base || end > (1ull << 32))
            continue;                   /* the ROM runs with 32-bit pointers */
        base = map[i].base > FLOOR_LOW ? map[i].base : FLOOR_LOW;
        base = (base + FLOOR_ALIGN - 1) & ~(FLOOR_ALIGN - 1);
        if (base < end && end - base >= FLOOR_TOP_GAP + bytes)
            return base;
    }
    return 0;
}

int floor_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

int floor_split(const struct floor_e820 *in, uint64_t base, uint64_t len,
                struct floor_e820 out[3])
{
    uint64_t end = in->base + in->len, rend = base + len;
    int n = 0;

    if (in->type != E820_RAM || !floor_overlaps(in->base, in->len, base, len)) {
        out[0] = *in;
        return 1;
    }
    if (in->base < base)
        out[n++] = (struct floor_e820){ in->base, base - in->base, E820_RAM };
    out[n].base = in->base > base ? in->base : base;
    out[n].len = (end < rend ? end : rend) - out[n].base;
    out[n++].type = E820_RESERVED;
    if (rend < end)
        out[n++] = (struct floor_e820){ rend, end - rend, E820_RAM };
    return n;
}

int floor_holds(uint64_t held, uint64_t lba, uint32_t count)
{
    return count && lba < held && count <= held - lba;
}
