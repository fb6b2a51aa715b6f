/* Boot loaders that still use CHS calls (and DOS-era partition tools)
 * compute addresses from the geometry AH=08h reports, so it has to be the one
 * the disk was partitioned with.  The MBR's entries record it: a geometry is
 * taken only when every used entry's CHS start and end (below cylinder 1023,
 * where CHS saturates) name exactly its LBA start and end under it. */
#include "bios/geometry.h"

#define MBR_SIG_OFF   510
#define MBR_PART_OFF  446
#define MBR_PARTS     4
#define MAX_HEADS     255   /* AH=08h returns the last head in DH */

struct mbr_part {
    uint8_t status;
    uint8_t start_chs[3];
    uint8_t type;
    uint8_t end_chs[3];
    uint32_t start_lba;
    uint32_t nr_sects;
} __attribute__((packed));

static uint32_t chs_cylinder(const uint8_t *chs)
{
    return chs[2] | (uint32_t)(chs[1] & 0xc0) << 2;
}

/* The LBA that @chs names under heads @h, sectors @s. */
static uint32_t chs_to_lba(const uint8_t *chs, uint32_t h, uint32_t s)
{
    return (chs_cylinder(chs) * h + chs[0]) * s + (chs[1] & 0x3f) - 1;
}

/* Is the entry consistent with heads @h and sectors @s?  An address past
 * 1023 cylinders is saturated in CHS, so only those below it are checked. */
static int part_fits(const struct mbr_part *p, uint32_t h, uint32_t s)
{
    uint32_t end = p->start_lba + p->nr_sects - 1;

    if ((p->start_chs[1] & 0x3f) == 0 || (p->end_chs[1] & 0x3f) == 0)
        return 0;
    if (chs_cylinder(p->start_chs) < 1023 &&
        chs_to_lba(p->start_chs, h, s) != p->start_lba)
        return 0;
    if (chs_cylinder(p->end_chs) < 1023 && chs_to_lba(p->end_chs, h, s) != end)
        return 0;
    return 1;
}

static int mbr_fits(const struct mbr_part *p, uint32_t h, uint32_t s)
{
    int i, used = 0;

    for (i = 0; i < MBR_PARTS; i++) {
        if (!p[i].type || !p[i].nr_sects)
            continue;
        if (!part_fits(&p[i], h, s))
            return 0;
        used++;
    }
    return used;
}

/* Candidates: what the first entry's end says (right for tools that end
 * partitions on cylinders), then the geometries partitioners commonly use
 * (right for aligned layouts, whose ends fall anywhere). */
static int geometry_from_mbr(struct chs *g, const uint8_t *mbr)
{
    static const uint8_t common[][2] = {
        { 255, 63 }, { 240, 63 }, { 128, 63 }, { 64, 63 }, { 32, 63 },
        { 16, 63 }, { 64, 32 }, { 32, 32 }, { 16, 32 },
    };
    const struct mbr_part *p;
    uint32_t h, s;
    unsigned int i;

    if (!mbr || mbr[MBR_SIG_OFF] != 0x55 || mbr[MBR_SIG_OFF + 1] != 0xaa)
        return 0;
    p = (const void *)(mbr + MBR_PART_OFF);
    for (i = 0; i <= sizeof(common) / sizeof(common[0]); i++) {
        if (i == 0) {
            h = p[0].end_chs[0] + 1;
            s = p[0].end_chs[1] & 0x3f;
        } else {
            h = common[i - 1][0];
            s = common[i - 1][1];
        }
        /* an end head of FFh (saturated CHS, protective MBRs) names no
         * geometry: 256 heads do not fit in DH */
        if (s && h <= MAX_HEADS && mbr_fits(p, h, s)) {
            g->heads = h;
            g->sectors = s;
            return 1;
        }
    }
    return 0;
}

static void geometry_lba_assist(struct chs *g, uint64_t blocks)
{
    static const uint16_t heads[] = { 16, 32, 64, 128 };
    unsigned int i;

    g->sectors = 63;
    g->heads = 255;
    for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        if (blocks <= (uint64_t)1024 * heads[i] * 63) {
            g->heads = heads[i];
            break;
        }
    }
}

void geometry_choose(struct chs *g, const uint8_t *mbr, uint64_t blocks)
{
    uint32_t per_cylinder;
    uint64_t cylinders;

    if (!geometry_from_mbr(g, mbr))
        geometry_lba_assist(g, blocks);
    per_cylinder = (uint32_t)g->heads * g->sectors;
    cylinders = 0;
    /* blocks / per_cylinder without a 64-bit division (no libgcc). */
    if (blocks >= (uint64_t)per_cylinder * 1024)
        cylinders = 1024;
    else
        cylinders = (uint32_t)blocks / per_cylinder;
    g->cylinders = cylinders ? (uint16_t)cylinders : 1;
}
