/* CHS geometry presented for a BIOS disk. */
#ifndef XENPVBOOT_GEOMETRY_H
#define XENPVBOOT_GEOMETRY_H

#include <stdint.h>

struct chs {
    uint16_t cylinders;     /* 1..1024 */
    uint16_t heads;         /* 1..255 */
    uint16_t sectors;       /* per track, 1..63 */
};

/* Geometry for a disk of @blocks sectors whose sector 0 is @mbr (NULL if
 * unknown): the one its MBR partition entries agree on, when they are
 * consistent, else the LBA-assist rule (63 sectors, 16/32/64/128/255 heads
 * by size); cylinders capped at 1024. */
void geometry_choose(struct chs *g, const uint8_t *mbr, uint64_t blocks);

#endif
