/* The block frontend: Xen PV disks behind a small synchronous API.
 *
 * One batch of requests in flight per call (all pushed with one notify,
 * answered in any order, all answered before the call returns), through
 * bounce pages of our own, so a caller's buffer needs no alignment and no
 * caller page is ever granted.  The one exception is read-ahead ("read-ahead"
 * below): a sequential read may leave one batch of reads into a cache of
 * ours in flight, which the next call collects.
 * The handshake and teardown follow the xenbus state machine as blkback
 * and qdisk implement it [linux drivers/block/xen-blkback/xenbus.c, qemu
 * hw/block/xen-block.c]; see docs/design.md "Handover" for the end state.
 *
 * The backend is not trusted (Linux blkfront hardening, 2021): responses
 * are bounded by what we asked for, copied out of the ring before use,
 * and must carry the id of a request of ours not yet answered and its
 * operation; a backend that
 * breaks that rule is marked broken and gets no more requests until
 * a disconnect/connect cycle.
 */
#include "block/blkfront.h"
#include "xen/evtchn.h"
#include "xen/grant.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "xen/xenstore.h"
#include "lib/libc.h"
#include "lib/log.h"

#define SECTORS_PER_PAGE (PAGE_SIZE / 512)
#define BLKFRONT_SEGS    BLKIF_MAX_SEGMENTS_PER_REQUEST  /* per request */
#define BLKFRONT_POLL_MS 10u    /* backend state re-read period */

static uint8_t blkfront_rings[BLKFRONT_MAX_VBD][PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE)));
static uint8_t blkfront_bounce[BLKFRONT_PAGES][PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE)));

/* The segment list of an indirect request (a backend offering
 * feature-max-indirect-segments takes one request for a whole batch of
 * bounce pages).  It holds grant refs, no data; granted read-only. */
static struct blkif_request_segment blkfront_indirect_segs[PAGE_SIZE /
    sizeof(struct blkif_request_segment)] __attribute__((aligned(PAGE_SIZE)));
/* ...still mapped by a backend after its response: not used (direct
 * requests instead) until its grant can be revoked. */
static uint8_t blkfront_indirect_held;
static grant_ref_t blkfront_indirect_held_ref;

_Static_assert(sizeof(blkfront_indirect_segs) == PAGE_SIZE, "one indirect page");
_Static_assert(sizeof(blkif_request_indirect_t) <= sizeof(blkif_request_t),
               "an indirect request fits a ring slot");

/* Bounce pages whose grant a backend would not give back (still mapped
 * after its response or our timeout: a stalled backend).  That backend may
 * still write them, so no request uses them until the grant can be
 * revoked; the other pages go on serving every vbd.  Bit i: page i. */
static uint32_t blkfront_held;
static grant_ref_t blkfront_held_ref[BLKFRONT_PAGES];

_Static_assert(BLKFRONT_PAGES <= 32, "blkfront_held is a 32-bit map");
_Static_assert(BLKFRONT_PAGES + 1 + BLKFRONT_MAX_VBD + BLKFRONT_RA_BATCH + 1 <=
               GNTTAB_REF_COUNT,
               "rings, bounce pages, read-ahead and their indirect pages within our refs");

/* Whose data each bounce page holds: 1 + the index of the vbd it last
 * carried data for, 0 while it holds only zeros.  A grant covers the whole
 * page whatever the segment's sectors, and a backend may read all of it, so
 * a page changing hands is cleared first: no backend is ever granted bytes
 * of another vbd's (with driver domains, another domain's).  Clearing on a
 * change of owner rather than before every request costs nothing while one
 * disk is read (the boot's common case) and one 4 KiB memset per page when
 * two disks alternate; pages of one's own per vbd would cost 64 KiB of
 * permanent memory per extra vbd instead (rom/blkfront.h). */
static uint8_t blkfront_bounce_owner[BLKFRONT_PAGES];

/* Ring pages whose grant a backend kept mapped after it left Connected.
 * Bit i: ring page i, granted under blkfront_ring_held_ref[i].  The backend
 * may still read and write that page, so it is not granted again (under a
 * new ref, as a reconnect would) until the old grant can be revoked: the
 * vbd stays disconnected meanwhile, and each held ring costs one ref, not
 * one per reconnect attempt. */
static uint32_t blkfront_ring_held;
static grant_ref_t blkfront_ring_held_ref[BLKFRONT_MAX_VBD];

/* Every vbd that connected, by ring page: pv_down() disconnects all of them
 * whether or not they became BIOS drives (a vbd whose first block cannot be
 * read is connected but never offered). */
static struct vbd *blkfront_known[BLKFRONT_MAX_VBD];

/* Set while blkfront_disconnect_all() runs: the deadline (Xen time) of this
 * vbd's share of the budget, which caps every wait for a backend state. */
static uint64_t blkfront_wait_cap;

/* read-ahead ("read-ahead" below) */
static void ra_disconnect(struct vbd *v);
static void ra_abandon(void);
static void ra_release_held(void);

/* ---- xenstore ---------------------------------------------------------- */

static int blkfront_set_state(struct vbd *v, enum xenbus_state state)
{
    return xenbus_write_u32(v->node, "state", state);
}

#define STATE(s) (1u << (s))

/* Waits (bounded) for the backend to reach a state in @want.  Returns that
 * state, -XEN_ENODEV if it reaches one in @fail, or -XEN_ETIMEDOUT.  No
 * watch: the state is re-read every BLKFRONT_POLL_MS, sleeping in
 * SCHEDOP_poll on the vbd's own port in between. */
static int blkfront_wait_backend(struct vbd *v, uint32_t want, uint32_t fail)
{
    struct xen_timeout total, nap;
    int st;

    xen_timeout_start(&total, BLKFRONT_STATE_TIMEOUT_MS);
    if (blkfront_wait_cap)
        total.deadline = MIN(total.deadline, blkfront_wait_cap);
    for (;;) {
        st = xenbus_state_of(v->backend);
        if (st == -XEN_ETIMEDOUT)
            return st;      /* xenstored is not answering: nothing to wait for */
        if (st >= 0 && (want & STATE(st)))
            return st;
        if (st >= 0 && (fail & STATE(st)))
            return -XEN_ENODEV;
        if (xen_timeout_expired(&total))
            break;
        total.polls++;
        xen_timeout_start(&nap, BLKFRONT_POLL_MS);
        nap.deadline = MIN(nap.deadline, total.deadline);
        while (!evtchn_wait(v->port, &nap))
            ;
    }
    log(LOG_ERR, "vbd %u: backend stuck in state %d", v->vdev, st);
    return -XEN_ETIMEDOUT;
}

/* ---- discovery --------------------------------------------------------- */

static int blkfront_probe_one(struct vbd *v, const char *id)
{
    char type[8];
    uint64_t val;
    int rc;

    rc = xenbus_path(v->node, sizeof(v->node), "device/vbd", id);
    if (rc)
        return rc;
    rc = xenbus_read(v->node, "device-type", type, sizeof(type));
    /* a CD-ROM is offered only as its emulated twin's drive (rom/bios/cdrom.c) */
    v->cdrom = rc >= 0 && !strcmp(type, "cdrom");
    rc = xenbus_read(v->node, "backend", v->backend, sizeof(v->backend));
    if (rc < 0)
        return rc;
    if (v->backend[0] != '/')
        return -XEN_EINVAL;
    rc = xenbus_read_u64(v->node, "backend-id", DOMID_FIRST_RESERVED, &val);
    if (rc)
        return rc;
    if (val >= DOMID_FIRST_RESERVED)
        return -XEN_EINVAL;
    v->backend_id = (domid_t)val;
    rc = xenbus_read_u64(v->node, "virtual-device", 0, &val);
    if (rc || val > UINT32_MAX)
        return rc ? rc : -XEN_EINVAL;
    v->vdev = (uint32_t)val;
    return 0;
}

int blkfront_probe(struct vbd *v, int max)
{
    char list[128], *id;
    int len, n = 0;

    if (!xen_is_up())
        return -XEN_ENODEV;
    max = MIN(max, BLKFRONT_MAX_VBD);
    /* the vbds found now are the ones we may connect (probing is init's,
     * before any is connected) */
    memset(blkfront_known, 0, sizeof(blkfront_known));
    len = xenstore_directory("device/vbd", list, sizeof(list));
    if (len == -XEN_ENOENT)
        return 0;
    if (len < 0)
        return len;
    for (id = list; id < list + len && n < max; id += strlen(id) + 1) {
        memset(&v[n], 0, sizeof(v[n]));
        v[n].index = (uint8_t)n;
        if (blkfront_probe_one(&v[n], id) == 0)
            n++;
        else
            log(LOG_DEBUG, "vbd %s skipped", id);
    }
    return n;
}

/* ---- handshake and teardown ------------------------------------------ */

/* The vbd's directories are gone (a forced detach, xl block-detach -f,
 * deletes both): there is no one to talk to, and writing our state would
 * re-create a frontend node without a backend. */
static int blkfront_backend_gone(struct vbd *v)
{
    char path[96];
    uint64_t st;

    return !xenbus_path(path, sizeof(path), v->backend, "state") &&
           xenstore_read_u64(path, &st) == -XEN_ENOENT;
}

/* The toolstack is removing the vbd: it wrote 0 to the backend's "online"
 * (absent counts as online: not every toolstack writes it). */
static int blkfront_backend_offline(struct vbd *v)
{
    uint64_t online = 1;

    return !xenbus_read_u64(v->backend, "online", 1, &online) && !online;
}

/* Closing -> Closed -> Initialising, each answered by the backend
 * (bounded), keys removed while it is Closed.  This is the walk Windows'
 * xenvbd does and the one that brings blkback and qdisk back to InitWait.
 * Returns 0 when the backend got there. */
static int blkfront_close(struct vbd *v)
{
    int rc;

    if (blkfront_backend_gone(v)) {
        log(LOG_ERR, "vbd %u: removed by the toolstack", v->vdev);
        return -XEN_ENODEV;
    }
    blkfront_set_state(v, XenbusStateClosing);
    blkfront_wait_backend(v, STATE(XenbusStateClosing) |
                          STATE(XenbusStateClosed) | STATE(XenbusStateUnknown), 0);
    blkfront_set_state(v, XenbusStateClosed);
    blkfront_wait_backend(v, STATE(XenbusStateClosed) |
                          STATE(XenbusStateUnknown), 0);
    xenbus_rm(v->node, "ring-ref");
    xenbus_rm(v->node, "event-channel");
    xenbus_rm(v->node, "protocol");
    if (blkfront_backend_offline(v)) {
        /* stay Closed: that is what the toolstack waits for to delete it */
        log(LOG_INFO, "vbd %u: detached by the toolstack", v->vdev);
        v->removed = 1;
        return -XEN_ENODEV;
    }
    blkfront_set_state(v, XenbusStateInitialising);
    rc = blkfront_wait_backend(v, STATE(XenbusStateInitWait), 0);
    return rc < 0 ? rc : 0;
}

/* Gets the backend to InitWait, walking it back first if an earlier user
 * left it anywhere else. */
static int blkfront_reset(struct vbd *v)
{
    int st = xenbus_state_of(v->backend);

    if (st == XenbusStateInitWait)
        return 0;
    if (st == XenbusStateInitialising || st < 0) {
        st = blkfront_wait_backend(v, STATE(XenbusStateInitWait), 0);
        return st < 0 ? st : 0;
    }
    log(LOG_INFO, "vbd %u: backend in state %d, resetting", v->vdev, st);
    return blkfront_close(v);
}

static int blkfront_publish(struct vbd *v)
{
    char path[96];
    int rc;

    rc = xenbus_write_u32(v->node, "ring-ref", v->ring_ref);
    if (!rc)
        rc = xenbus_write_u32(v->node, "event-channel", v->port);
    if (!rc)
        rc = xenbus_path(path, sizeof(path), v->node, "protocol");
    if (!rc)
        rc = xenstore_write(path, XEN_IO_PROTO_ABI_X86_32);
    if (!rc)
        rc = blkfront_set_state(v, XenbusStateInitialised);
    return rc;
}

static int blkfront_read_geometry(struct vbd *v)
{
    uint64_t sectors, ssize, info, flush, indirect;
    int rc;

    rc = xenbus_read_u64(v->backend, "sectors", 0, &sectors);
    if (!rc)
        rc = xenbus_read_u64(v->backend, "sector-size", 512, &ssize);
    if (!rc)
        rc = xenbus_read_u64(v->backend, "info", 0, &info);
    if (!rc)
        rc = xenbus_read_u64(v->backend, "feature-flush-cache", 0, &flush);
    if (!rc)
        rc = xenbus_read_u64(v->backend, "feature-max-indirect-segments", 0,
                             &indirect);
    if (rc)
        return rc;
    /* sector-size must divide a page and be a multiple of 512; a CD-ROM
     * without media has no sectors */
    if ((!sectors && !v->cdrom) || ssize < 512 || ssize > PAGE_SIZE || (ssize & (ssize - 1)))
        return -XEN_EOPNOTSUPP;
    v->sectors = sectors;
    v->sector_size = (uint32_t)ssize;
    v->info = (uint32_t)info;
    v->readonly = !!(info & (VDISK_READONLY | VDISK_CDROM));
    /* blkback offers flushes on read-only vbds too, then fails them: a
     * flush is a write to it */
    v->flush = !!flush && !v->readonly;
    /* worth it only beyond what a direct request carries; a whole batch of
     * bounce pages in one request is all we can use */
    v->indirect = indirect > BLKFRONT_SEGS ?
                  (uint8_t)MIN(indirect, BLKFRONT_PAGES) : 0;
    v->ra_indirect = indirect > BLKFRONT_SEGS ?
                     (uint8_t)MIN(indirect, BLKFRONT_RA_BATCH) : 0;
    return 0;
}

/* 1 when @v's ring page may be granted again: it was never held, or the
 * backend has let go of the old grant now (which is then revoked). */
static int blkfront_ring_free(struct vbd *v)
{
    uint32_t bit = 1u << v->index;

    if (!(blkfront_ring_held & bit))
        return 1;
    if (gnttab_end(blkfront_ring_held_ref[v->index]) == -XEN_EBUSY)
        return 0;
    blkfront_ring_held &= ~bit;
    log(LOG_INFO, "vbd %u: backend let go of its old ring", v->vdev);
    return 1;
}

/* Revokes @v's ring grant; a page the backend still maps is held back. */
static void blkfront_ring_end(struct vbd *v)
{
    if (gnttab_end(v->ring_ref) != -XEN_EBUSY)
        return;
    blkfront_ring_held |= 1u << v->index;
    blkfront_ring_held_ref[v->index] = v->ring_ref;
    log(LOG_ERR, "vbd %u: backend keeps ring-ref %u mapped: no reconnect until it lets go",
        v->vdev, v->ring_ref);
}

/* After a failed connect every call is answered at once for
 * BLKFRONT_BACKOFF_MS: a backend that failed a bounded handshake would most
 * likely fail the next one too, and each try costs up to a state timeout per
 * step.  A timeout stays a timeout (80h); anything else is "not ready" (AAh). */
static void blkfront_backoff_start(struct vbd *v, int rc)
{
    v->backoff_rc = rc == -XEN_ETIMEDOUT ? rc : -XEN_ENODEV;
    v->retry_ns = xen_time_ns() + BLKFRONT_BACKOFF_MS * 1000000ull;
}

/* The remembered failure while @v backs off, else 0. */
static int blkfront_backing_off(struct vbd *v)
{
    if (!v->backoff_rc)
        return 0;
    if (xen_time_ns() < v->retry_ns)
        return v->backoff_rc;
    v->backoff_rc = 0;
    return 0;
}

int blkfront_connect(struct vbd *v)
{
    blkif_sring_t *sring = (void *)blkfront_rings[v->index];
    int rc;

    if (v->connected)
        return 0;
    if (v->removed || !xen_is_up())
        return -XEN_ENODEV;
    if (!blkfront_ring_free(v))
        return -XEN_EBUSY;
    rc = blkfront_backing_off(v);
    if (rc)
        return rc;
    if (blkfront_backend_gone(v))
        return -XEN_ENODEV;
    rc = evtchn_alloc_unbound(v->backend_id, &v->port);
    if (rc)
        goto err_evtchn;
    rc = blkfront_reset(v);
    if (rc)
        goto err_reset;
    memset(sring, 0, PAGE_SIZE);
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&v->ring, sring, PAGE_SIZE);
    rc = gnttab_grant(v->backend_id, virt_to_phys(sring) >> PAGE_SHIFT, 0);
    if (rc < 0)
        goto err_grant;
    v->ring_ref = (grant_ref_t)rc;
    rc = blkfront_publish(v);
    if (rc)
        goto err_handshake;
    rc = blkfront_wait_backend(v, STATE(XenbusStateConnected),
                               STATE(XenbusStateClosing) |
                               STATE(XenbusStateClosed) |
                               STATE(XenbusStateUnknown));
    if (rc < 0)
        goto err_handshake;
    rc = blkfront_read_geometry(v);
    if (rc)
        goto err_handshake;
    rc = blkfront_set_state(v, XenbusStateConnected);
    if (rc)
        goto err_handshake;
    v->connected = 1;
    v->broken = 0;
    v->checked_ns = xen_time_ns();
    blkfront_known[v->index] = v;
    log(LOG_DEBUG, "vbd %u connected: ring-ref %u port %u", v->vdev,
        v->ring_ref, v->port);
    return 0;

err_handshake:
    blkfront_close(v);
    blkfront_ring_end(v);
err_grant:
err_reset:
    evtchn_close(v->port);
err_evtchn:
    log(LOG_ERR, "vbd %u: connect failed: %d", v->vdev, rc);
    blkfront_backoff_start(v, rc);
    return rc;
}

/* A held page's grant @ref of @page is gone: revoked now, or already by a
 * bus teardown (which may have handed the ref out again: not ours to end). */
static int blkfront_let_go(grant_ref_t ref, const void *page)
{
    if (!gnttab_grants(ref, virt_to_phys(page) >> PAGE_SHIFT))
        return 1;
    return gnttab_end(ref) != -XEN_EBUSY;
}

static void blkfront_release_held(void)
{
    unsigned int i;

    if (blkfront_indirect_held &&
        blkfront_let_go(blkfront_indirect_held_ref, blkfront_indirect_segs))
        blkfront_indirect_held = 0;
    for (i = 0; i < BLKFRONT_PAGES; i++)
        if ((blkfront_held & (1u << i)) &&
            blkfront_let_go(blkfront_held_ref[i], blkfront_bounce[i]))
            blkfront_held &= ~(1u << i);
}

/* The bounce pages free for a request, into @pages; how many. */
static unsigned int blkfront_free_pages(uint8_t *pages)
{
    unsigned int i, n = 0;

    for (i = 0; i < BLKFRONT_PAGES; i++)
        if (!(blkfront_held & (1u << i)))
            pages[n++] = (uint8_t)i;
    return n;
}

void blkfront_disconnect(struct vbd *v)
{
    if (!v->connected)
        return;
    ra_disconnect(v);
    blkfront_close(v);
    blkfront_release_held();
    ra_release_held();
    blkfront_ring_end(v);
    evtchn_close(v->port);
    v->connected = 0;
    v->broken = 0;
    log(LOG_DEBUG, "vbd %u disconnected, %u grants live", v->vdev,
        gnttab_live());
}

/* How many known vbds are connected. */
static unsigned int blkfront_nr_connected(void)
{
    unsigned int i, n = 0;

    for (i = 0; i < BLKFRONT_MAX_VBD; i++)
        n += blkfront_known[i] && blkfront_known[i]->connected;
    return n;
}

void blkfront_disconnect_all(uint32_t budget_ms)
{
    uint64_t t0 = xen_time_ns();
    unsigned int i, left = blkfront_nr_connected();
    uint32_t spent, share;
    struct vbd *v;

    if (!left)
        return;
    xen_cap_waits(t0 + budget_ms * 1000000ull);
    for (i = 0; i < BLKFRONT_MAX_VBD; i++) {
        v = blkfront_known[i];
        if (!v || !v->connected)
            continue;
        /* an even share of what is left: a stuck backend cannot take the
         * time of the ones after it */
        spent = xen_ms_since(t0);
        share = spent < budget_ms ? (budget_ms - spent) / left : 0;
        blkfront_wait_cap = xen_time_ns() + share * 1000000ull;
        blkfront_disconnect(v);
        left--;
    }
    blkfront_wait_cap = 0;
    xen_cap_waits(0);
    spent = xen_ms_since(t0);
    if (spent >= budget_ms)
        log(LOG_ERR, "disconnect: budget of %u ms used up (%u ms)", budget_ms, spent);
}

void blkfront_abandon(struct vbd *v)
{
    v->connected = 0;
    v->broken = 0;
    blkfront_held = 0;
    blkfront_indirect_held = 0;
    blkfront_ring_held = 0;
    ra_abandon();
    if (blkfront_known[v->index] == v)
        blkfront_known[v->index] = NULL;
}

/* ---- requests ---------------------------------------------------------- */

/* Copies the next response out of the ring.  Returns 1 if there was one,
 * 0 if not, -XEN_EIO if the backend claims more responses than we have
 * requests outstanding.  Every request outstanding belongs to the one batch
 * being waited for (the API is synchronous), so the notification we ask for
 * is the one for the last of them: a backend that completes a batch one
 * request at a time (qdisk does) sends one event, not one per request. */
static int blkfront_take_response(struct vbd *v, blkif_response_t *rsp)
{
    blkif_front_ring_t *r = &v->ring;
    RING_IDX prod;

    prod = READ_ONCE(r->sring->rsp_prod);
    rmb();
    if (prod == r->rsp_cons) {
        /* ask to be notified when the last one is in, then look once more */
        r->sring->rsp_event = r->req_prod_pvt;
        mb();
        prod = READ_ONCE(r->sring->rsp_prod);
        rmb();
        if (prod == r->rsp_cons)
            return 0;
    }
    if (prod - r->rsp_cons > r->req_prod_pvt - r->rsp_cons)
        return -XEN_EIO;
    memcpy(rsp, RING_GET_RESPONSE(r, r->rsp_cons), sizeof(*rsp));
    r->rsp_cons++;
    return 1;
}

/* Waits for the next response, in slices after each of which we check that
 * the backend is still there; @slices counts them over the whole batch, so
 * a batch gets BLKFRONT_IO_TIMEOUT_MS however many requests it has.  1 with
 * @rsp filled, or a negative XEN_E* value. */
static int blkfront_next_response(struct vbd *v, blkif_response_t *rsp,
                                  unsigned int *slices)
{
    struct xen_timeout slice;
    int rc;

    xen_timeout_start(&slice, BLKFRONT_IO_SLICE_MS);
    while (!(rc = blkfront_take_response(v, rsp))) {
        if (evtchn_wait(v->port, &slice) == 0)
            continue;
        if (++*slices >= BLKFRONT_IO_TIMEOUT_MS / BLKFRONT_IO_SLICE_MS)
            return -XEN_ETIMEDOUT;
        if (xenbus_state_of(v->backend) != XenbusStateConnected)
            return -XEN_ENODEV;
        xen_timeout_start(&slice, BLKFRONT_IO_SLICE_MS);
    }
    return rc;
}

static int blkfront_status_rc(struct vbd *v, const blkif_response_t *rsp)
{
    switch (rsp->status) {
    case BLKIF_RSP_OKAY:
        return 0;
    case BLKIF_RSP_EOPNOTSUPP:
        return -XEN_EOPNOTSUPP;
    default:
        log(LOG_ERR, "vbd %u: request %u status %d", v->vdev,
            (uint32_t)rsp->id, rsp->status);
        return -XEN_EIO;
    }
}

/* Blkback answers an indirect request with the operation it carries
 * (indirect_op); BLKIF_OP_INDIRECT itself names it too. */
static int blkfront_op_matches(const blkif_response_t *rsp, uint8_t op,
                               int indirect)
{
    return rsp->operation == op ||
           (indirect && rsp->operation == BLKIF_OP_INDIRECT);
}

/* Collects the responses to the @nreq requests of a batch, ids @first_id
 * on, in whatever order the backend completes them (qdisk's are
 * asynchronous).  A response must name a request of the batch not yet
 * answered and its operation; anything else, a timeout or a backend that
 * leaves marks @v broken at once (what it still holds is its to keep: the
 * grants are revoked or held by the caller).  A request that fails by
 * status does not end the wait: the others' pages are still granted and
 * in use.  Returns 0, or the first failure. */
static int blkfront_wait_batch(struct vbd *v, uint32_t first_id,
                               unsigned int nreq, uint8_t op, int indirect)
{
    uint32_t answered = 0, idx = 0;
    blkif_response_t rsp;
    unsigned int got, slices = 0;
    int rc, status_rc = 0;

    for (got = 0; got < nreq; got++) {
        rc = blkfront_next_response(v, &rsp, &slices);
        if (rc > 0) {
            idx = (uint32_t)rsp.id - first_id;
            if (rsp.id > UINT32_MAX || idx >= nreq ||
                (answered & (1u << idx)) || !blkfront_op_matches(&rsp, op, indirect))
                rc = -XEN_EIO;
        }
        if (rc < 0) {
            log(LOG_ERR, "vbd %u: request %u failed: %d", v->vdev,
                first_id + got, rc);
            v->broken = 1;
            return rc;
        }
        answered |= 1u << idx;
        rc = blkfront_status_rc(v, &rsp);
        if (rc && !status_rc)
            status_rc = rc;
    }
    return status_rc;
}

/* Revokes the data grants @refs of bounce pages @pages; pages the backend
 * still maps are held back. */
static void blkfront_end_grants(const grant_ref_t *refs, const uint8_t *pages,
                                unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        if (gnttab_end(refs[i])) {
            blkfront_held |= 1u << pages[i];
            blkfront_held_ref[pages[i]] = refs[i];
        }
}

/* Grants bounce pages @pages[0..@n-1] to @v's backend (read-only for a
 * write: the backend only reads them then).  Returns how many were granted:
 * fewer than @n only when our refs ran out. */
static unsigned int blkfront_grant_pages(struct vbd *v, int write,
                                         const uint8_t *pages, unsigned int n,
                                         grant_ref_t *refs)
{
    unsigned int i;
    int rc;

    for (i = 0; i < n; i++) {
        rc = gnttab_grant(v->backend_id,
                          virt_to_phys(blkfront_bounce[pages[i]]) >> PAGE_SHIFT,
                          write);
        if (rc < 0)
            break;
        refs[i] = (grant_ref_t)rc;
    }
    return i;
}

/* Puts one request on the ring (not yet pushed): @nsect sectors at
 * @sector through the pages granted under @refs[0..]. */
static void blkfront_queue(struct vbd *v, uint8_t op, uint64_t sector,
                           uint32_t nsect, const grant_ref_t *refs)
{
    unsigned int i, nseg = (nsect + SECTORS_PER_PAGE - 1) / SECTORS_PER_PAGE;
    blkif_request_t *req = RING_GET_REQUEST(&v->ring, v->ring.req_prod_pvt);

    for (i = 0; i < nseg; i++) {
        req->seg[i].gref = refs[i];
        req->seg[i].first_sect = 0;
        req->seg[i].last_sect =
            (uint8_t)(MIN(nsect - i * SECTORS_PER_PAGE, SECTORS_PER_PAGE) - 1);
    }
    req->operation = op;
    req->nr_segments = (uint8_t)nseg;
    req->handle = (blkif_vdev_t)v->vdev;  /* informational; unused by backends */
    req->id = ++v->req_id;
    req->sector_number = sector;
    v->ring.req_prod_pvt++;
}

/* Puts one indirect request on the ring (not yet pushed): @nseg segments
 * from @sector on, listed in the indirect page granted under @iref. */
static void blkfront_queue_indirect(struct vbd *v, uint8_t op, uint64_t sector,
                                    unsigned int nseg, grant_ref_t iref)
{
    blkif_request_indirect_t *req =
        (void *)RING_GET_REQUEST(&v->ring, v->ring.req_prod_pvt);

    memset(req, 0, sizeof(*req));
    req->operation = BLKIF_OP_INDIRECT;
    req->indirect_op = op;
    req->nr_segments = (uint16_t)nseg;
    req->id = ++v->req_id;
    req->sector_number = sector;
    req->handle = (blkif_vdev_t)v->vdev;
    req->indirect_grefs[0] = iref;
    v->ring.req_prod_pvt++;
}

/* Fills the indirect page @segs with the segments of @nsect sectors
 * through @refs[0..@nseg-1] and grants it; the ref, or -XEN_ENOSPC. */
static int blkfront_segs_fill(struct vbd *v, struct blkif_request_segment *segs,
                              uint32_t nsect, const grant_ref_t *refs,
                              unsigned int nseg)
{
    unsigned int i;

    memset(segs, 0, PAGE_SIZE);
    for (i = 0; i < nseg; i++) {
        segs[i].gref = refs[i];
        segs[i].first_sect = 0;
        segs[i].last_sect =
            (uint8_t)(MIN(nsect - i * SECTORS_PER_PAGE, SECTORS_PER_PAGE) - 1);
    }
    return gnttab_grant(v->backend_id, virt_to_phys(segs) >> PAGE_SHIFT, 1);
}

static int blkfront_indirect_fill(struct vbd *v, uint32_t nsect,
                                  const grant_ref_t *refs, unsigned int nseg)
{
    return blkfront_segs_fill(v, blkfront_indirect_segs, nsect, refs, nseg);
}

/* Revokes the indirect page's grant; held back while the backend maps it. */
static void blkfront_indirect_end(grant_ref_t iref)
{
    if (!gnttab_end(iref))
        return;
    blkfront_indirect_held = 1;
    blkfront_indirect_held_ref = iref;
}

/* A batch of @npages pages goes as one indirect request when the backend
 * takes that many segments in one, more than a direct request carries, and
 * the indirect page is free. */
static int blkfront_use_indirect(const struct vbd *v, uint8_t op,
                                 unsigned int npages)
{
    return op != BLKIF_OP_FLUSH_DISKCACHE && npages > BLKFRONT_SEGS &&
           npages <= v->indirect && !blkfront_indirect_held;
}

/* One batch: @nsect sectors (0 for a flush) through bounce pages @pages[0..]
 * as one indirect request where the backend offers it, else as requests of
 * up to BLKFRONT_SEGS segments (the most a direct request carries), all
 * pushed at once with one notify, then every response collected.  A write
 * returns only once the backend has answered all of it. */
static int blkfront_submit(struct vbd *v, uint8_t op, uint64_t sector,
                           uint32_t nsect, const uint8_t *pages)
{
    grant_ref_t refs[BLKFRONT_PAGES];
    unsigned int npages = (nsect + SECTORS_PER_PAGE - 1) / SECTORS_PER_PAGE;
    int indirect = blkfront_use_indirect(v, op, npages);
    unsigned int nreq = indirect || !npages ? 1 :
                        (npages + BLKFRONT_SEGS - 1) / BLKFRONT_SEGS;
    unsigned int granted, i;
    uint32_t first_id = v->req_id + 1, per_req = BLKFRONT_SEGS * SECTORS_PER_PAGE;
    int rc, iref = 0, notify;

    if (RING_FREE_REQUESTS(&v->ring) < nreq)
        return -XEN_EIO;        /* only after a broken backend */
    granted = blkfront_grant_pages(v, op == BLKIF_OP_WRITE, pages, npages, refs);
    if (granted == npages && indirect)
        iref = blkfront_indirect_fill(v, nsect, refs, npages);
    if (granted < npages || iref < 0) {
        blkfront_end_grants(refs, pages, granted);
        return -XEN_ENOSPC;
    }
    if (indirect)
        blkfront_queue_indirect(v, op, sector, npages, (grant_ref_t)iref);
    else
        for (i = 0; i < nreq; i++)
            blkfront_queue(v, op, sector + i * per_req,
                           MIN(nsect - i * per_req, per_req),
                           refs + i * BLKFRONT_SEGS);
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&v->ring, notify);
    if (notify)
        evtchn_send(v->port);
    rc = blkfront_wait_batch(v, first_id, nreq, op, indirect);
    blkfront_end_grants(refs, pages, npages);
    if (indirect)
        blkfront_indirect_end((grant_ref_t)iref);
    return rc;
}

/* A backend the toolstack tells to go (xl block-detach: online 0, state
 * Closing) goes on serving a connected frontend until that closes.  Linux's
 * blkfront closes on the watch event; without watches we look at the state
 * before a request, at most every BLKFRONT_CHECK_MS. */
static int blkfront_still_connected(struct vbd *v)
{
    uint64_t now = xen_time_ns();
    int st;

    if (now - v->checked_ns < BLKFRONT_CHECK_MS * 1000000ull)
        return 1;
    v->checked_ns = now;
    st = xenbus_state_of(v->backend);
    if (st == XenbusStateConnected || st < 0)
        return 1;
    log(LOG_ERR, "vbd %u: backend left Connected (state %d): closing", v->vdev, st);
    blkfront_disconnect(v);
    return 0;
}

static int blkfront_ready(struct vbd *v)
{
    int rc = blkfront_connect(v);

    if (rc)
        return rc;
    if (!blkfront_still_connected(v))
        return -XEN_ENODEV;
    if (v->broken)
        return -XEN_EIO;
    if (blkfront_held || blkfront_indirect_held)
        blkfront_release_held();
    ra_release_held();
    return 0;
}

/* ---- read-ahead ---------------------------------------------------------
 *
 * When reads on a vbd run sequentially, the pages of the disk after the
 * last read are asked for before the call returns, into a cache of PMM
 * pages init hands over (never a caller's), and taken at the next entry: the
 * backend works while the loader is busy with the last answer.  The cache
 * is direct-mapped by disk page (sectors 8p..8p+7 can only be in slot
 * p % BLKFRONT_RA_PAGES), so the window ahead of a stream never holds a
 * page twice and a slot's tag says what it holds.  The rules
 * (docs/design.md "Read-ahead"):
 *  - grants live between calls only on these pages, only for reads, and
 *    only while their batch is in flight: collecting it revokes them;
 *  - at most one batch in flight, on one vbd, and it is collected before
 *    any other request is pushed, so every response on the ring belongs to
 *    the one batch being collected (ids and operation checked as ever);
 *  - a read is served from the cache only when every sector of it is
 *    there and valid; otherwise it waits for the batch and reads as before;
 *  - a write invalidates the cached pages it overlaps; a request answered
 *    with an error leaves its pages empty and is reported to no call (none
 *    asked for those sectors): the next read of them goes to the backend. */
enum ra_state { RA_EMPTY, RA_FLIGHT, RA_VALID, RA_HELD };

struct ra_slot {
    uint64_t sector;        /* the first sector of the disk page it holds */
    uint8_t state;
    uint8_t owner;          /* 1 + index of the vbd whose data it holds */
    uint8_t nsect;          /* sectors of it on the disk: 8, fewer at the end */
    uint8_t req;            /* RA_FLIGHT: its request in the batch */
    grant_ref_t ref;        /* RA_FLIGHT, RA_HELD */
};

#define RA_MAX_REQS ((BLKFRONT_RA_BATCH + BLKFRONT_SEGS - 1) / BLKFRONT_SEGS)

/* BLKFRONT_RA_MEM bytes given by blkfront_ra_enable(): the cache's pages,
 * then the segment list of a batch's indirect request (no data; granted
 * read-only).  NULL: no read-ahead. */
static uint8_t (*ra_pages)[PAGE_SIZE];
static struct blkif_request_segment *ra_segs;
static struct ra_slot ra_slot[BLKFRONT_RA_PAGES];

static struct {
    uint8_t enabled;
    struct vbd *v;          /* whose stream, and batch */
    uint64_t next;          /* the sector after the stream's last read */
    uint64_t small_next;    /* the same for the last small read elsewhere */
    uint8_t nreq;           /* requests of the batch in flight; 0: none */
    uint8_t indirect;       /* it is one indirect request, list in ra_segs */
    uint8_t iref_held;      /* a backend kept ra_segs mapped */
    uint32_t first_id;
    uint32_t answered;      /* bit i: request i answered */
    grant_ref_t iref;
    uint32_t pushed;        /* batches pushed, served: for the handover log */
    uint32_t served;
} ra;

_Static_assert(RA_MAX_REQS < 32, "ra.answered is a 32-bit map");
_Static_assert(BLKFRONT_RA_BATCH <= BLKFRONT_RA_PAGES &&
               BLKFRONT_RA_MIN_BATCH <= BLKFRONT_RA_BATCH, "batch sizes");
void blkfront_ra_enable(void *mem)
{
    unsigned int i;

    blkfront_ra_drain();
    for (i = 0; i < BLKFRONT_RA_PAGES; i++)
        if (ra_slot[i].state == RA_VALID)
            ra_slot[i].state = RA_EMPTY;
    if (((uintptr_t)mem & (PAGE_SIZE - 1)))
        mem = NULL;     /* grants are of whole pages */
    ra_pages = mem;
    ra_segs = mem ? (void *)((uint8_t *)mem + BLKFRONT_RA_PAGES * PAGE_SIZE) : NULL;
    ra.enabled = mem != NULL;
}

static unsigned int ra_slot_of(uint64_t sector)
{
    return (unsigned int)((sector / SECTORS_PER_PAGE) % BLKFRONT_RA_PAGES);
}

static uint8_t ra_owner(const struct vbd *v)
{
    return (uint8_t)(v->index + 1);
}

/* Revokes @s's grant: the page is then @state, or held while the backend
 * still maps it (it may still write it: never read or granted again until
 * it lets go). */
static void ra_slot_end(struct ra_slot *s, uint8_t state)
{
    s->state = gnttab_end(s->ref) == -XEN_EBUSY ? RA_HELD : state;
}

static void ra_segs_end(void)
{
    if (ra.indirect && gnttab_end(ra.iref) == -XEN_EBUSY)
        ra.iref_held = 1;
    ra.indirect = 0;
}

/* Held pages (and segment list) the backend has let go of now. */
static void ra_release_held(void)
{
    unsigned int i;

    if (!xen_is_up())
        return;
    for (i = 0; i < BLKFRONT_RA_PAGES; i++)
        if (ra_slot[i].state == RA_HELD && blkfront_let_go(ra_slot[i].ref, ra_pages[i]))
            ra_slot[i].state = RA_EMPTY;
    if (ra.iref_held && blkfront_let_go(ra.iref, ra_segs))
        ra.iref_held = 0;
}

/* The batch is over (every answer in, or given up): whatever is still in
 * flight is revoked, or held. */
static void ra_batch_end(void)
{
    unsigned int i;

    for (i = 0; i < BLKFRONT_RA_PAGES; i++)
        if (ra_slot[i].state == RA_FLIGHT)
            ra_slot_end(&ra_slot[i], RA_EMPTY);
    ra_segs_end();
    ra.nreq = 0;
}

/* Request @idx of the batch is answered with @status: its pages are valid
 * (BLKIF_RSP_OKAY) or empty, and no longer granted. */
static void ra_answered(unsigned int idx, int16_t status)
{
    unsigned int i;

    ra.answered |= 1u << idx;
    for (i = 0; i < BLKFRONT_RA_PAGES; i++)
        if (ra_slot[i].state == RA_FLIGHT && ra_slot[i].req == idx)
            ra_slot_end(&ra_slot[i], status == BLKIF_RSP_OKAY ? RA_VALID : RA_EMPTY);
}

/* 0 with @idx if @rsp answers a request of the batch not yet answered,
 * with its operation; else -XEN_EIO. */
static int ra_check(const blkif_response_t *rsp, unsigned int *idx)
{
    uint32_t i = (uint32_t)rsp->id - ra.first_id;

    if (rsp->id > UINT32_MAX || i >= ra.nreq || (ra.answered & (1u << i)) ||
        !blkfront_op_matches(rsp, BLKIF_OP_READ, ra.indirect))
        return -XEN_EIO;
    *idx = i;
    return 0;
}

/* Collects the batch's answers: those on the ring now, or with @wait all
 * of them (bounded as a batch is: BLKFRONT_IO_TIMEOUT_MS).  A response
 * that is not the batch's, a timeout or a backend that left mark the vbd
 * broken; the pages still in flight are then revoked or held. */
static int ra_collect(int wait)
{
    struct vbd *v = ra.v;
    blkif_response_t rsp;
    unsigned int slices = 0, idx = 0;
    int rc = 0;

    while (ra.nreq && ra.answered != (1u << ra.nreq) - 1) {
        rc = wait ? blkfront_next_response(v, &rsp, &slices) :
                    blkfront_take_response(v, &rsp);
        if (!rc)
            return 0;           /* not all in yet; look again next time */
        if (rc > 0)
            rc = ra_check(&rsp, &idx);
        if (rc < 0) {
            log(LOG_ERR, "vbd %u: read-ahead failed: %d", v->vdev, rc);
            v->broken = 1;
            break;
        }
        rc = 0;
        if (rsp.status != BLKIF_RSP_OKAY)
            log(LOG_INFO, "vbd %u: read-ahead request %u status %d: left to a later read",
                v->vdev, (uint32_t)rsp.id, rsp.status);
        ra_answered(idx, rsp.status);
    }
    if (ra.nreq)
        ra_batch_end();
    return rc;
}

void blkfront_ra_drain(void)
{
    if (ra.nreq)
        ra_collect(1);
}

/* Drains the batch; its failure if it was @v's (a timeout stays a timeout
 * for the call that waited: 80h), else 0. */
static int ra_drain_for(const struct vbd *v)
{
    const struct vbd *whose = ra.v;
    int rc;

    if (!ra.nreq)
        return 0;
    rc = ra_collect(1);
    return whose == v ? rc : 0;
}

const struct vbd *blkfront_ra_in_flight(void)
{
    return ra.nreq ? ra.v : NULL;
}

const void *blkfront_ra_cache(void)
{
    return ra_pages;
}

unsigned int blkfront_ra_grants(void)
{
    unsigned int i, n = ra.indirect;

    for (i = 0; i < BLKFRONT_RA_PAGES; i++)
        n += ra_slot[i].state == RA_FLIGHT;
    return n;
}

/* @v's pages in the cache are forgotten (a disconnect: what the disk holds
 * is no longer known to be what we cached); held ones stay held. */
static void ra_forget(const struct vbd *v)
{
    unsigned int i;

    for (i = 0; i < BLKFRONT_RA_PAGES; i++)
        if (ra_slot[i].owner == ra_owner(v) && ra_slot[i].state == RA_VALID)
            ra_slot[i].state = RA_EMPTY;
    if (ra.v == v)
        ra.v = NULL;
}

/* Before @v disconnects: its batch collected, its pages forgotten. */
static void ra_disconnect(struct vbd *v)
{
    if (ra.nreq && ra.v == v)
        ra_collect(1);
    ra_forget(v);
}

/* The OS owns Xen now: forget every page and grant without a hypercall. */
static void ra_abandon(void)
{
    unsigned int i;

    for (i = 0; i < BLKFRONT_RA_PAGES; i++)
        ra_slot[i].state = RA_EMPTY;
    ra.nreq = 0;
    ra.indirect = 0;
    ra.iref_held = 0;
    ra.v = NULL;
}

/* A write of @count sectors at @sector of @v: the cached pages it touches
 * no longer hold what the disk does. */
static void ra_invalidate(const struct vbd *v, uint64_t sector, uint32_t count)
{
    uint64_t s, end = sector + count;
    struct ra_slot *sl;

    for (s = sector & ~(uint64_t)(SECTORS_PER_PAGE - 1); s < end; s += SECTORS_PER_PAGE) {
        sl = &ra_slot[ra_slot_of(s)];
        if (sl->state == RA_VALID && sl->owner == ra_owner(v) && sl->sector == s)
            sl->state = RA_EMPTY;
    }
}

/* Slot of sector @s holds it, valid, for @v. */
static int ra_has(const struct vbd *v, uint64_t s)
{
    const struct ra_slot *sl = &ra_slot[ra_slot_of(s)];
    uint64_t page = s & ~(uint64_t)(SECTORS_PER_PAGE - 1);

    return sl->state == RA_VALID && sl->owner == ra_owner(v) &&
           sl->sector == page && s - page < sl->nsect;
}

static int ra_covers(const struct vbd *v, uint64_t sector, uint32_t count)
{
    uint64_t s, end = sector + count;

    for (s = sector; s < end; s = (s | (SECTORS_PER_PAGE - 1)) + 1)
        if (!ra_has(v, s))
            return 0;
    return count != 0;
}

/* Copies @count sectors at @sector of @v out of the cache into @buf, when
 * every one of them is there; 1 if it did. */
static int ra_serve(const struct vbd *v, uint64_t sector, uint32_t count,
                    uint8_t *buf)
{
    uint32_t off, n;

    if (!ra_covers(v, sector, count))
        return 0;
    while (count) {
        off = (uint32_t)(sector % SECTORS_PER_PAGE);
        n = MIN(count, SECTORS_PER_PAGE - off);
        memcpy(buf, ra_pages[ra_slot_of(sector)] + off * 512, n * 512);
        buf += n * 512;
        sector += n;
        count -= n;
    }
    return 1;
}

/* Slots @first.. are @v's, cleared first where they held another vbd's
 * data (the backend is granted whole pages: see blkfront_bounce_owner). */
static void ra_claim(const struct vbd *v, unsigned int first, unsigned int n)
{
    unsigned int i;

    for (i = first; i < first + n; i++)
        if (ra_slot[i].owner != ra_owner(v)) {
            memset(ra_pages[i], 0, PAGE_SIZE);
            ra_slot[i].owner = ra_owner(v);
        }
}

/* Grants slots @first..@first+@n-1 writable to @v's backend into @refs;
 * 0, or -XEN_ENOSPC with none granted. */
static int ra_grant(const struct vbd *v, unsigned int first, unsigned int n,
                    grant_ref_t *refs)
{
    unsigned int i;
    int rc;

    for (i = 0; i < n; i++) {
        rc = gnttab_grant(v->backend_id,
                          virt_to_phys(ra_pages[first + i]) >> PAGE_SHIFT, 0);
        if (rc < 0) {
            while (i--)
                gnttab_end(refs[i]);
            return rc;
        }
        refs[i] = (grant_ref_t)rc;
    }
    return 0;
}

/* Puts the batch's requests on the ring: one indirect request of @n
 * segments, or requests of up to BLKFRONT_SEGS; marks the slots in flight. */
static void ra_queue(struct vbd *v, uint64_t sector, uint64_t end,
                     unsigned int first, unsigned int n, const grant_ref_t *refs)
{
    uint32_t nsect = (uint32_t)(end - sector), per = BLKFRONT_SEGS * SECTORS_PER_PAGE;
    unsigned int i;
    struct ra_slot *sl;

    ra.first_id = v->req_id + 1;
    if (ra.indirect)
        blkfront_queue_indirect(v, BLKIF_OP_READ, sector, n, ra.iref);
    else
        for (i = 0; i < ra.nreq; i++)
            blkfront_queue(v, BLKIF_OP_READ, sector + i * per,
                           MIN(nsect - i * per, per), refs + i * BLKFRONT_SEGS);
    for (i = 0; i < n; i++) {
        sl = &ra_slot[first + i];
        sl->sector = sector + i * SECTORS_PER_PAGE;
        sl->nsect = (uint8_t)MIN(end - sl->sector, SECTORS_PER_PAGE);
        sl->ref = refs[i];
        sl->req = (uint8_t)(ra.indirect ? 0 : i / BLKFRONT_SEGS);
        sl->state = RA_FLIGHT;
    }
}

/* Pushes one batch: sectors [@sector, @end) into slots @first..@first+@n-1,
 * with one notify, and rsp_event set so that the backend notifies once,
 * for its last answer.  Nothing is pushed when refs or ring slots lack. */
static void ra_push(struct vbd *v, uint64_t sector, uint64_t end,
                    unsigned int first, unsigned int n)
{
    grant_ref_t refs[BLKFRONT_RA_BATCH];
    unsigned int nreq;
    int notify, iref = 0;

    ra.indirect = n > BLKFRONT_SEGS && n <= v->ra_indirect && !ra.iref_held;
    nreq = ra.indirect ? 1 : (n + BLKFRONT_SEGS - 1) / BLKFRONT_SEGS;
    if (RING_FREE_REQUESTS(&v->ring) < nreq)
        goto none;
    ra_claim(v, first, n);
    if (ra_grant(v, first, n, refs))
        goto none;
    if (ra.indirect)
        iref = blkfront_segs_fill(v, ra_segs, (uint32_t)(end - sector), refs, n);
    if (iref < 0) {
        while (n--)
            gnttab_end(refs[n]);
        goto none;
    }
    ra.iref = (grant_ref_t)iref;
    ra.nreq = (uint8_t)nreq;
    ra.answered = 0;
    ra_queue(v, sector, end, first, n, refs);
    v->ring.sring->rsp_event = v->ring.req_prod_pvt;
    wmb();
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&v->ring, notify);
    if (notify)
        evtchn_send(v->port);
    if (!ra.pushed++)
        log(LOG_INFO, "vbd %u: read-ahead from sector %llu: %u pages in %u request(s)%s",
            v->vdev, sector, n, nreq, ra.indirect ? ", indirect" : "");
    return;
none:
    ra.indirect = 0;
}

/* After a sequential read of @v: the next batch of the window
 * [stream, stream + BLKFRONT_RA_PAGES pages) that the cache lacks, when no
 * batch is in flight and it is worth a batch (BLKFRONT_RA_MIN_BATCH pages,
 * or all there is up to the cache's last slot or the disk's end). */
static void ra_issue(struct vbd *v)
{
    uint64_t s = ra.next & ~(uint64_t)(SECTORS_PER_PAGE - 1);
    uint64_t limit = MIN(s + BLKFRONT_RA_PAGES * SECTORS_PER_PAGE, v->sectors);
    unsigned int first, n = 0;
    int to_edge;

    if (ra.nreq || v->broken || !v->connected)
        return;
    while (s < limit && ra_has(v, s))
        s += SECTORS_PER_PAGE;
    if (s >= limit)
        return;
    first = ra_slot_of(s);
    while (n < BLKFRONT_RA_BATCH && first + n < BLKFRONT_RA_PAGES &&
           s + n * SECTORS_PER_PAGE < limit &&
           ra_slot[first + n].state != RA_FLIGHT && ra_slot[first + n].state != RA_HELD)
        n++;
    to_edge = first + n == BLKFRONT_RA_PAGES || s + n * SECTORS_PER_PAGE >= limit;
    if (!n || (n < BLKFRONT_RA_MIN_BATCH && !to_edge))
        return;
    ra_push(v, s, MIN(s + n * SECTORS_PER_PAGE, limit), first, n);
}

/* A read of @count sectors at @sector of @v returned: the stream goes on
 * (and reads ahead) when it starts where the last one ended; a small read
 * elsewhere leaves it be, unless it follows the last small one (a loader
 * reading sector by sector, GRUB's diskboot: a stream of its own);
 * anything else starts a new one, which reads ahead from its second read. */
static void ra_after_read(struct vbd *v, uint64_t sector, uint32_t count)
{
    int seq = ra.v == v && (sector == ra.next || sector == ra.small_next);

    if (!ra.enabled || v->cdrom)
        return;     /* a CD's media may change under a connected frontend */
    if (!seq && ra.v == v && count <= BLKFRONT_RA_SMALL) {
        ra.small_next = sector + count;
        return;
    }
    ra.v = v;
    ra.next = sector + count;
    ra.small_next = UINT64_MAX;
    if (seq)
        ra_issue(v);
}

/* A read of @v: from the cache when all of it is there (after taking what
 * the batch has answered, and waiting for the rest when it is needed): 1.
 * Otherwise no batch is left in flight when it returns 0, so the call's
 * own requests are alone on the ring; negative: @v's batch failed (the vbd
 * is broken), the call fails with that. */
static int ra_read(struct vbd *v, uint64_t sector, uint32_t count, uint8_t *buf)
{
    int rc = 0;

    if (ra.nreq && ra.v == v)
        rc = ra_collect(0);
    if (!rc && !ra_serve(v, sector, count, buf)) {
        rc = ra_drain_for(v);
        if (rc || !ra_serve(v, sector, count, buf))
            return rc;
    }
    if (rc)
        return rc;
    ra.served++;
    return 1;
}

void blkfront_ra_report(void)
{
    if (ra.enabled)
        log(LOG_INFO, "read-ahead: %u batches pushed, %u reads served from them",
            ra.pushed, ra.served);
}

/* Makes bounce pages @pages[0..@n-1] @v's, clearing any that held another
 * vbd's data (see blkfront_bounce_owner). */
static void blkfront_bounce_claim(struct vbd *v, const uint8_t *pages,
                                  unsigned int n)
{
    uint8_t owner = (uint8_t)(v->index + 1);
    unsigned int i;

    for (i = 0; i < n; i++)
        if (blkfront_bounce_owner[pages[i]] != owner) {
            memset(blkfront_bounce[pages[i]], 0, PAGE_SIZE);
            blkfront_bounce_owner[pages[i]] = owner;
        }
}

static int blkfront_rw_bounced(struct vbd *v, int write, uint64_t sector,
                               uint32_t count, uint8_t *p);

int blkfront_rw(struct vbd *v, int write, uint64_t sector, uint32_t count,
                void *buf)
{
    uint32_t align;
    uint8_t *p = buf;
    int rc;

    rc = blkfront_ready(v);
    if (rc)
        return rc;
    if (write && v->readonly)
        return -XEN_EROFS;
    align = v->sector_size / 512 - 1;
    if (((uint32_t)sector & align) || (count & align) ||
        sector > v->sectors || count > v->sectors - sector)
        return -XEN_EINVAL;
    if (write) {
        blkfront_ra_drain();
        ra_invalidate(v, sector, count);
    } else if ((rc = ra_read(v, sector, count, p)) != 0) {
        if (rc < 0)
            return rc;
        ra_after_read(v, sector, count);
        return 0;
    }
    if (v->broken)
        return -XEN_EIO;        /* the batch's collection found it out */
    rc = blkfront_rw_bounced(v, write, sector, count, p);
    if (!rc && !write)
        ra_after_read(v, sector, count);
    return rc;
}

/* The call's own batches through the bounce pages; nothing of read-ahead
 * is in flight. */
static int blkfront_rw_bounced(struct vbd *v, int write, uint64_t sector,
                               uint32_t count, uint8_t *p)
{
    uint8_t pages[BLKFRONT_PAGES];
    uint32_t n, bytes, i;
    int rc;

    while (count) {
        n = MIN(count, blkfront_free_pages(pages) * SECTORS_PER_PAGE);
        if (!n)
            return -XEN_EBUSY;
        bytes = n * 512;
        blkfront_bounce_claim(v, pages, (bytes + PAGE_SIZE - 1) / PAGE_SIZE);
        if (write)
            for (i = 0; i < bytes; i += PAGE_SIZE)
                memcpy(blkfront_bounce[pages[i / PAGE_SIZE]], p + i,
                       MIN(PAGE_SIZE, bytes - i));
        rc = blkfront_submit(v, write ? BLKIF_OP_WRITE : BLKIF_OP_READ,
                             sector, n, pages);
        if (rc)
            return rc;
        if (!write)
            for (i = 0; i < bytes; i += PAGE_SIZE)
                memcpy(p + i, blkfront_bounce[pages[i / PAGE_SIZE]],
                       MIN(PAGE_SIZE, bytes - i));
        p += bytes;
        sector += n;
        count -= n;
    }
    return 0;
}

int blkfront_flush(struct vbd *v)
{
    int rc = blkfront_ready(v);

    if (rc)
        return rc;
    blkfront_ra_drain();
    if (!v->flush)
        return 0;
    return blkfront_submit(v, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, NULL);
}
