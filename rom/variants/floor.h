/* The floor variant (bench only, issue 14 item 6): at the boot disk's BCV
 * it reads the disk's first FLOOR_MAX_MIB MiB (all of a smaller disk) over
 * PV into memory of its own, disconnects, and serves every later read in
 * that range from memory with no Xen call, so a loader's phase with it is
 * the floor any INT 13h path can reach.  The memory is carved out of a RAM
 * range of the E820 map and answered as reserved to every E820 call, so
 * neither the loader nor the OS puts anything there
 * (rom/variants/floor.c; test/bench/README.md). */
#ifndef XENPVBOOT_FLOOR_H
#define XENPVBOOT_FLOOR_H

#include <stdint.h>

/* The preload's cap: the bench payloads' disks are 13 to 79 MiB. */
#ifndef FLOOR_MAX_MIB
#define FLOOR_MAX_MIB 96
#endif
/* Where the carved range may lie in a RAM entry: not below FLOOR_LOW (the
 * kernel's default load addresses, 1 and 16 MiB, stay free), at least
 * FLOOR_TOP_GAP below the entry's end (SeaBIOS's temporary high memory,
 * where its own POST code runs while the BCVs do, is allocated downwards
 * from there), FLOOR_ALIGN aligned. */
#define FLOOR_LOW      (64ull << 20)
#define FLOOR_TOP_GAP  (32ull << 20)
#define FLOOR_ALIGN    (2ull << 20)

#define E820_RAM      1
#define E820_RESERVED 2

struct floor_e820 {
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

/* A base for @bytes of memory in one of the @n RAM entries of @map (the
 * lowest that fits the rules above), or 0 when none fits. */
uint64_t floor_pick(const struct floor_e820 *map, int n, uint64_t bytes);

/* @in as the E820 answer with [@base, @base + @len) reserved: writes 1 to 3
 * entries into @out, in address order, and returns how many.  Only a RAM
 * entry that overlaps the range changes: the parts below and above it stay
 * RAM, the overlap becomes E820_RESERVED. */
int floor_split(const struct floor_e820 *in, uint64_t base, uint64_t len,
                struct floor_e820 out[3]);

/* Blocks [@lba, @lba + @count) lie within the first @held blocks. */
int floor_holds(uint64_t held, uint64_t lba, uint32_t count);

/* [@a, @a + @alen) and [@b, @b + @blen) overlap. */
int floor_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen);

#endif
