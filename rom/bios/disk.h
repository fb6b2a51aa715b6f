/* The BIOS drives we serve, and the PV session behind them. */
#ifndef XENPVBOOT_DISK_H
#define XENPVBOOT_DISK_H

#include "block/blkfront.h"
#include "bios/geometry.h"

struct bdisk {
    struct vbd *vbd;
    uint8_t drive;          /* BIOS drive number, 0x80.. */
    uint8_t twin;           /* took over an emulated IDE drive's number */
    uint8_t block_shift;    /* log2 of the sector size presented: 9 to 12 */
    struct chs chs;
    uint64_t blocks;        /* in presented sectors */
    uint32_t reads, writes; /* requests served, for the handover log */
    uint64_t bytes;
    /* The first block, read at BCV and kept current by our writes: loaders
     * and the OS's setup code read it last of all (Linux's EDD probe reads
     * every disk's MBR signature after its final E820 walk), and serving it
     * from here spares a reconnect after the handover quiesce. */
    uint8_t block0_valid;
    uint8_t block0[4096];
};

#define MAX_BDISKS BLKFRONT_MAX_VBD

extern struct bdisk bdisks[MAX_BDISKS];
extern int nr_bdisks;

struct bdisk *disk_lookup(uint8_t drive);

/* Bring the Xen bus up if it is down (lazy: the first I/O after init or a
 * quiesce pays for it); 0 or a negative XEN_E* value. */
int pv_up(void);
/* Disconnect every vbd that is connected (a drive of ours or not) and take
 * the bus down: nothing of ours stays in Xen or the backend.  Waits at most
 * BLKFRONT_DOWN_BUDGET_MS in all. */
void pv_down(void);
void pv_set_bar(uint32_t bar, uint32_t size);

/* Grants of ours that are live besides the rings of connected vbds and
 * read-ahead in flight: data pages a backend has not let go of.  0
 * whenever an INT 13h call returns, unless a backend misbehaves (blkfront
 * then holds those pages back). */
unsigned int disk_data_grants_live(void);

/* A call for drive @d (NULL: not one of ours) is coming: read-ahead in
 * flight for another drive is drained first (rom/block/blkfront.h). */
void disk_ra_settle(const struct bdisk *d);

/* block_shift and blocks from @v's sector-size and sectors. */
void disk_set_format(struct bdisk *d, const struct vbd *v);

/* Read/write @count presented sectors at @lba, to or from flat @buf. */
int disk_io(struct bdisk *d, int write, uint64_t lba, uint32_t count,
            uint32_t buf);

#endif
