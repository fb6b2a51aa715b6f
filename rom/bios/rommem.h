/* The ROM's own memory, which no caller's buffer may overlap. */
#ifndef XENPVBOOT_ROMMEM_H
#define XENPVBOOT_ROMMEM_H

#include <stdint.h>
#include "bios/stub.h"

enum rommem_region {
    ROMMEM_IMAGE,       /* the C image: code, stack, drive table, bounce pages,
                           rings; with PMM the read-ahead cache after it */
    ROMMEM_STUB,        /* the resident real-mode stub in the option ROM area */
    ROMMEM_BAR,         /* platform BAR1: shared_info and the grant frame */
    ROMMEM_REGIONS
};

/* Region @r is [@start, @start + @len) (flat); len 0 forgets it. */
void rommem_set(enum rommem_region r, uint32_t start, uint32_t len);

/* The ROM: the image's whole allocation (PMM block or base memory) and the
 * stub's runtime length, as init left them in @stub. */
void rommem_set_rom(const struct stub_info *stub);

/* The memory init took for an image of @size bytes loaded at @base, by
 * @kind (STUB_IMAGE_PMM or _BASEMEM): [@start, @start + @len). */
void rommem_image_alloc(uint32_t kind, uint32_t base, uint32_t size,
                        uint32_t *start, uint32_t *len);

/* The STUB_PMM_TAIL bytes init took after the image, page-aligned, or NULL
 * (the image in base memory). */
void *rommem_pmm_tail(const struct stub_info *stub);

/* Does [@start, @start + @len) touch a region of ours? */
int rommem_overlaps(uint64_t start, uint64_t len);

/* May a caller's buffer be [@start, @start + @len)?  Only if it ends within
 * 4 GiB (nothing wraps to the IVT) and touches nothing of ours. */
int rommem_buffer_ok(uint64_t start, uint64_t len);

#endif
