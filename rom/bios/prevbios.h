/* The BIOS's own INT 13h handler as the BCV asks it (rom/bios/bcv.c):
 * what the twin finders of rom/bios/bcv.c and rom/bios/cdrom.c share. */
#ifndef XENPVBOOT_PREVBIOS_H
#define XENPVBOOT_PREVBIOS_H

#include "bios/stub.h"

/* Ask the previous handler.  @low: a flat page below 1 MiB for buffers (0:
 * none, then no twin is looked for); the real-mode stack goes below the
 * BCV's frame @frame. */
struct bios_query {
    struct stub_info *stub;
    uint32_t prev;
    uint32_t low;
    const struct stub_frame *frame;
    int keep_twins;
};

/* Calls the previous handler with @r; 0, or -1 when it set CF or AH. */
int bios_call(struct bios_query *q, struct stub_frame *r);

/* AH=48h for @drive into a zeroed buffer of @size bytes at @q->low (its
 * size word set); 0, or -1 as bios_call. */
int bios_edd_params(struct bios_query *q, uint8_t drive, uint8_t size);

/* The IDE index libxl gives vdev @vdev, or -1 when it makes no emulated
 * twin for it. */
int vdev_ide_index(uint32_t vdev);

#endif
