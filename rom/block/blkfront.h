/* The block frontend: Xen PV disks behind a small synchronous API. */
#ifndef XENPVBOOT_BLKFRONT_H
#define XENPVBOOT_BLKFRONT_H

#include "xen/xen.h"

#define BLKFRONT_MAX_VBD 4
/* Bounce pages, shared by every vbd: a 127-sector call (EDD's usual
 * largest, SYSLINUX's and the bench's) fits in one batch of requests.  With
 * the rings (one grant ref each) they stay within our 32 refs
 * (rom/xen/grant.h); a held page keeps the ref it had. */
#define BLKFRONT_PAGES   16u

/* Read-ahead (rom/block/blkfront.c "read-ahead"): a cache of
 * BLKFRONT_RA_PAGES pages given at init (PMM memory after the image), filled by at most one batch of up
 * to BLKFRONT_RA_BATCH pages at a time, pushed as a sequential read
 * returns and collected at the next entry.  256 KiB of cache keeps two
 * batches of 128 KiB (one indirect request on blkback, three of 11
 * segments on qdisk) ahead of a loader reading 16 KiB (GRUB) to 64 KiB
 * (SYSLINUX) per call; the batch's grants are the largest item of the ref
 * budget (rom/xen/grant.h). */
#define BLKFRONT_RA_PAGES     64u
#define BLKFRONT_RA_BATCH     32u
#define BLKFRONT_RA_MIN_BATCH 16u   /* pages; fewer wait for the next call */
/* A read of at most this many sectors elsewhere on the disk (file system
 * metadata between a file's extents) does not end a sequential stream. */
#define BLKFRONT_RA_SMALL     8u

/* Bounded waits, generous because the testbed runs Xen under TCG. */
#define BLKFRONT_STATE_TIMEOUT_MS 10000u   /* each backend state change */
#define BLKFRONT_IO_TIMEOUT_MS    30000u   /* one batch of requests */
#define BLKFRONT_IO_SLICE_MS      1000u    /* backend state check period */
#define BLKFRONT_CHECK_MS         100u     /* the same between requests */
#define BLKFRONT_BACKOFF_MS       60000u   /* a failed connect is not retried */
/* One disconnect of every vbd (a quiesce point, the BCV's end) waits at most
 * this long in total, however many vbds and whatever the backends and
 * xenstored do: each vbd's backend waits get an even share of what is left,
 * and every xenstore request ends with the total (rom/xenstore.c). */
#define BLKFRONT_DOWN_BUDGET_MS   20000u

struct vbd {
    char node[24];              /* "device/vbd/<id>" */
    char backend[64];           /* absolute backend path */
    uint32_t vdev;              /* virtual-device (768 = hda, 51712 = xvda) */
    domid_t backend_id;
    uint8_t index;              /* which static ring page is ours */
    uint8_t connected;
    uint8_t broken;             /* backend misbehaved: reconnect first */
    uint8_t readonly;           /* VDISK_READONLY */
    uint8_t flush;              /* feature-flush-cache */
    uint8_t indirect;           /* segments per indirect request we use:
                                   0 (none offered) or up to BLKFRONT_PAGES */
    uint8_t ra_indirect;        /* the same for a read-ahead batch: 0 or up
                                   to BLKFRONT_RA_BATCH */
    uint8_t removed;            /* the toolstack detached it: never again */
    uint8_t cdrom;              /* device-type cdrom: sectors 0 = no media */
    uint32_t info;              /* VDISK_* */
    uint32_t sector_size;       /* bytes; a power of two, 512..4096 */
    uint64_t sectors;           /* always in 512-byte units */
    /* valid while connected */
    grant_ref_t ring_ref;
    evtchn_port_t port;
    blkif_front_ring_t ring;
    uint32_t req_id;
    uint64_t checked_ns;        /* backend state last read (Xen time) */
    /* after a failed connect: its answer, and until when (Xen time) */
    int backoff_rc;
    uint64_t retry_ns;
};

/* Fills @v[0..max-1] with the vbds (disks and CD-ROMs) under device/vbd.
 * Returns how many (0 if none), or a negative XEN_E* value. */
int blkfront_probe(struct vbd *v, int max);

/* Handshake with the backend; 0 or a negative XEN_E* value.  Fills
 * sectors, sector_size, info, readonly, flush.  A no-op when connected.
 * For BLKFRONT_BACKOFF_MS after a failure it answers at once with that
 * failure (-XEN_ETIMEDOUT or -XEN_ENODEV); -XEN_EBUSY while the backend
 * still maps the ring of an earlier connection (nothing is granted again
 * until it lets go). */
int blkfront_connect(struct vbd *v);

/* Reads or writes @count 512-byte sectors at @sector (both multiples of
 * sector_size / 512) to or from @buf (any alignment: we bounce).
 * Connects first if needed.  0 or a negative XEN_E* value:
 * -XEN_EINVAL (range/alignment), -XEN_EROFS, -XEN_EIO (backend error or
 * misbehaviour), -XEN_EOPNOTSUPP, -XEN_ETIMEDOUT, -XEN_ENODEV (backend
 * left Connected: we close too), -XEN_EBUSY (every bounce page still mapped
 * by a stalled backend). */
int blkfront_rw(struct vbd *v, int write, uint64_t sector, uint32_t count,
                void *buf);

/* Flushes the backend's write cache when it offers feature-flush-cache
 * (without it, completed writes are already stable). */
int blkfront_flush(struct vbd *v);

/* Walks the frontend back to Initialising (backend InitWait), removes
 * our keys, revokes our grants and closes our event channel.  A vbd the
 * toolstack is detaching stays Closed and is never connected again. */
void blkfront_disconnect(struct vbd *v);

/* blkfront_disconnect() of every vbd that is connected, offered as a BIOS
 * drive or not, within @budget_ms in total. */
void blkfront_disconnect_all(uint32_t budget_ms);

/* Read-ahead on, its cache and segment list in @mem (BLKFRONT_RA_MEM bytes,
 * page-aligned, memory the OS never reuses: PMM, which SeaBIOS reserves in
 * E820), or off (NULL).  Drains first. */
#define BLKFRONT_RA_MEM ((BLKFRONT_RA_PAGES + 1) * PAGE_SIZE)
void blkfront_ra_enable(void *mem);

/* Waits (bounded) for every read-ahead request in flight, takes its data
 * into the cache and revokes its grants; a backend that does not answer
 * in BLKFRONT_IO_TIMEOUT_MS is marked broken and the pages it may still
 * map are held back.  Every write, flush, disconnect and quiesce does this
 * first; so does the BIOS layer for a call on another drive. */
void blkfront_ra_drain(void);

/* The vbd whose read-ahead is in flight, or NULL. */
const struct vbd *blkfront_ra_in_flight(void);

/* One log line: batches pushed, reads served from the cache. */
void blkfront_ra_report(void);

/* The cache's first page (BLKFRONT_RA_PAGES follow), or NULL: the ROM's
 * memory, which no caller's buffer may overlap (rom/bios/rommem.c). */
const void *blkfront_ra_cache(void);

/* Grants of read-ahead requests in flight (data pages and segment list):
 * the only data grants that live between calls. */
unsigned int blkfront_ra_grants(void);

/* Forget @v's connection without a word to xenstore or Xen: the OS owns
 * both now (see xen_abandon()). */
void blkfront_abandon(struct vbd *v);

#endif
