/* libFuzzer: geometry_choose over any sector 0 and disk size.  The input
 * is the disk's size in sectors (8 bytes), then sector 0.  The geometry
 * must always be one INT 13h can report: 1..255 heads (DH = last head),
 * 1..63 sectors, 1..1024 cylinders; and, when the disk has a cylinder's
 * worth of sectors, no CHS address past its end. */
#include <stdlib.h>
#include <string.h>

#include "bios/geometry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t mbr[512] = { 0 };
    uint64_t blocks;
    struct chs g;

    if (size < 8)
        return 0;
    memcpy(&blocks, data, 8);
    memcpy(mbr, data + 8, size - 8 > 512 ? 512 : size - 8);
    if (size >= 8 + 512) {
        mbr[510] = 0x55;            /* most inputs should be MBRs */
        mbr[511] = 0xaa;
    }
    geometry_choose(&g, mbr, blocks);
    if (g.heads < 1 || g.heads > 255 || g.sectors < 1 || g.sectors > 63 ||
        g.cylinders < 1 || g.cylinders > 1024)
        abort();
    if (blocks >= (uint64_t)g.heads * g.sectors &&
        (uint64_t)g.cylinders * g.heads * g.sectors > blocks)
        abort();
    return 0;
}
