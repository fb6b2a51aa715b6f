/* A simulated Xen, xenstored and blkback behind rom/arch/platform.h. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "bios/rommem.h"
#include "xen/xenbus.h"
#include "arch/platform.h"

struct sim sim;
/* aligned to its size, as a PCI BAR is (test/unit/sim_bios.c) */
uint8_t sim_bar[SIM_BAR_PAGES * 4096] __attribute__((aligned(SIM_BAR_PAGES * 4096)));
static uint8_t sim_store_page[4096] __attribute__((aligned(4096)));
static uint8_t sim_disks[SIM_MAX_VBD][SIM_DISK_SECTORS * 512];

#define CPUID_BASE 0x40000100u    /* Xen above a Viridian-style leaf */
#define XEN_MSR    0x40000000u

/* ---- xenstore contents ---------------------------------------------- */

#define XS_NODES 96
static struct { char path[128]; char value[128]; int used; } xs_nodes[XS_NODES];

static void xs_abs(char *out, size_t size, const char *path)
{
    if (path[0] == '/')
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "/local/domain/%d/%s", SIM_DOMID, path);
}

static int xs_find(const char *abs)
{
    for (int i = 0; i < XS_NODES; i++)
        if (xs_nodes[i].used && !strcmp(xs_nodes[i].path, abs))
            return i;
    return -1;
}

const char *sim_xs_get(const char *path)
{
    char abs[128];
    int i;

    xs_abs(abs, sizeof(abs), path);
    i = xs_find(abs);
    return i < 0 ? NULL : xs_nodes[i].value;
}

int sim_xs_exists(const char *path)
{
    return sim_xs_get(path) != NULL;
}

void sim_xs_set(const char *path, const char *value)
{
    char abs[128];
    int i;

    xs_abs(abs, sizeof(abs), path);
    i = xs_find(abs);
    for (int j = 0; i < 0 && j < XS_NODES; j++)
        if (!xs_nodes[j].used)
            i = j;
    assert(i >= 0);
    xs_nodes[i].used = 1;
    snprintf(xs_nodes[i].path, sizeof(xs_nodes[i].path), "%s", abs);
    snprintf(xs_nodes[i].value, sizeof(xs_nodes[i].value), "%s", value);
}

static int xs_rm(const char *path)
{
    char abs[128];
    size_t n;
    int found = 0;

    xs_abs(abs, sizeof(abs), path);
    n = strlen(abs);
    for (int i = 0; i < XS_NODES; i++)
        if (xs_nodes[i].used && !strncmp(xs_nodes[i].path, abs, n) &&
            (xs_nodes[i].path[n] == '\0' || xs_nodes[i].path[n] == '/')) {
            xs_nodes[i].used = 0;
            found = 1;
        }
    return found;
}

/* Children of @path: names, each NUL-terminated, deduplicated. */
static size_t xs_dir(const char *path, char *out, size_t size)
{
    char abs[128];
    size_t n, len = 0;

    xs_abs(abs, sizeof(abs), path);
    n = strlen(abs);
    for (int i = 0; i < XS_NODES; i++) {
        const char *p = xs_nodes[i].path, *name, *end;
        size_t nl;
        int dup = 0;

        if (!xs_nodes[i].used || strncmp(p, abs, n) || p[n] != '/')
            continue;
        name = p + n + 1;
        end = strchr(name, '/');
        nl = end ? (size_t)(end - name) : strlen(name);
        for (size_t o = 0; o < len; o += strlen(out + o) + 1)
            if (strlen(out + o) == nl && !strncmp(out + o, name, nl))
                dup = 1;
        if (dup || len + nl + 1 > size)
            continue;
        memcpy(out + len, name, nl);
        out[len + nl] = '\0';
        len += nl + 1;
    }
    return len;
}

static int xs_get_int(const char *path, int def)
{
    const char *v = sim_xs_get(path);
    return v ? atoi(v) : def;
}

static void xs_set_int(const char *path, long long v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", v);
    sim_xs_set(path, buf);
}

/* ---- events --------------------------------------------------------- */

static int sim_woken;

/* Xen's 2-level delivery: pending always (and pollers wake); the
 * selector and the vCPU's upcall flag only for an unmasked port. */
static void sim_notify_guest(evtchn_port_t port)
{
    uint32_t *w = (uint32_t *)(void *)sim.shinfo->evtchn_pending;
    uint32_t *m = (uint32_t *)(void *)sim.shinfo->evtchn_mask;
    struct vcpu_info *v = &sim.shinfo->vcpu_info[0];

    assert(sim.shinfo);
    w[port / 32] |= 1u << (port % 32);
    if (!((m[port / 32] >> (port % 32)) & 1)) {
        v->evtchn_pending_sel |= 1u << (port / 32);
        v->evtchn_upcall_pending = 1;
    }
    sim_woken = 1;
}

static int sim_pending(evtchn_port_t port)
{
    uint32_t *w = (uint32_t *)(void *)sim.shinfo->evtchn_pending;
    return (w[port / 32] >> (port % 32)) & 1;
}

unsigned int sim_open_ports(void)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < 64; i++)
        n += sim.ports[i].open;
    return n;
}

/* ---- xenstored ------------------------------------------------------ */

static struct xenstore_domain_interface *xs_ring(void)
{
    return (void *)sim_store_page;
}

int sim_xs_ring_quiescent(void)
{
    struct xenstore_domain_interface *r = xs_ring();
    return r->req_cons == r->req_prod && r->rsp_cons == r->rsp_prod;
}

uint32_t sim_xs_rsp_unread(void)
{
    struct xenstore_domain_interface *r = xs_ring();
    return r->rsp_prod - r->rsp_cons;
}

static void xs_put(const void *data, size_t len)
{
    struct xenstore_domain_interface *r = xs_ring();
    const char *p = data;

    assert(r->rsp_prod - r->rsp_cons + len <= XENSTORE_RING_SIZE);
    for (size_t i = 0; i < len; i++)
        r->rsp[MASK_XENSTORE_IDX(r->rsp_prod + i)] = p[i];
    r->rsp_prod += len;
}

static void xs_reply(uint32_t type, uint32_t id, const void *data, size_t len)
{
    struct xsd_sockmsg m = { .type = type, .req_id = id, .len = len };

    xs_put(&m, sizeof(m));
    xs_put(data, len);
}

/* the part of an oversize reply not yet in the ring */
static const char *sim_xs_pending_data;
static size_t sim_xs_pending_len;

static uint8_t xs_raw[XENSTORE_PAYLOAD_MAX + 64];
static size_t xs_raw_len;
static int xs_raw_match;

void sim_xs_raw_reply(const uint8_t *data, size_t len, int match)
{
    xs_raw_len = len < sizeof(xs_raw) ? len : sizeof(xs_raw);
    memcpy(xs_raw, data, xs_raw_len);
    xs_raw_match = match;
    sim.xs_fault = XSF_RAW;
}

static void xs_handle_raw(struct xsd_sockmsg *m)
{
    struct xsd_sockmsg *h = (void *)xs_raw;

    sim.xs_fault = XSF_NONE;
    if (xs_raw_match && xs_raw_len >= sizeof(*h)) {
        h->req_id = m->req_id;
        h->type = m->type;
    }
    sim_xs_pending_data = (const char *)xs_raw;
    sim_xs_pending_len = xs_raw_len;
}

static void xs_handle(struct xsd_sockmsg *m, char *payload)
{
    static char big[3000];
    char out[1024];
    size_t n;

    sim.xs_requests++;
    switch (sim.xs_fault) {
    case XSF_RAW:
        xs_handle_raw(m);
        return;
    case XSF_ERROR:
        sim.xs_fault = XSF_NONE;
        xs_reply(XS_ERROR, m->req_id, "EACCES", 7);
        return;
    case XSF_OVERSIZE:
        /* the ring holds 1 KiB: the rest follows as the guest drains it */
        sim.xs_fault = XSF_NONE;
        memset(big, 'x', sizeof(big));
        {
            struct xsd_sockmsg h = { .type = m->type, .req_id = m->req_id,
                                     .len = sizeof(big) };
            xs_put(&h, sizeof(h));
            sim_xs_pending_data = big;
            sim_xs_pending_len = sizeof(big);
        }
        return;
    case XSF_GARBLED: {
        struct xsd_sockmsg h = { .type = m->type, .req_id = m->req_id,
                                 .len = 5000 };
        sim.xs_fault = XSF_NONE;
        xs_put(&h, sizeof(h));
        xs_put("junk", 4);
        return;
    }
    case XSF_STRAY:
        sim.xs_fault = XSF_NONE;
        xs_reply(XS_WATCH_EVENT, 0, "a\0b", 4);
        xs_reply(m->type, m->req_id + 100, "OK", 3);
        break;
    default:
        break;
    }

    switch (m->type) {
    case XS_READ: {
        const char *v = sim_xs_get(payload);
        if (!v)
            xs_reply(XS_ERROR, m->req_id, "ENOENT", 7);
        else
            xs_reply(XS_READ, m->req_id, v, strlen(v));
        break;
    }
    case XS_WRITE: {
        size_t pl = strlen(payload);
        char value[256];
        size_t vl = m->len - pl - 1;
        assert(vl < sizeof(value));
        memcpy(value, payload + pl + 1, vl);
        value[vl] = '\0';
        sim_xs_set(payload, value);
        xs_reply(XS_WRITE, m->req_id, "OK", 3);
        break;
    }
    case XS_DIRECTORY:
        n = xs_dir(payload, out, sizeof(out));
        if (!n && !sim_xs_exists(payload))
            xs_reply(XS_ERROR, m->req_id, "ENOENT", 7);
        else
            xs_reply(XS_DIRECTORY, m->req_id, out, n);
        break;
    case XS_RM:
        if (xs_rm(payload))
            xs_reply(XS_RM, m->req_id, "OK", 3);
        else
            xs_reply(XS_ERROR, m->req_id, "ENOENT", 7);
        break;
    default:
        xs_reply(XS_ERROR, m->req_id, "EINVAL", 7);
    }
}

static void xenstored_step(void)
{
    struct xenstore_domain_interface *r = xs_ring();
    struct xsd_sockmsg m;
    static char payload[XENSTORE_PAYLOAD_MAX + 1];
    int acted = 0;

    if (sim.xs_fault == XSF_SILENT)
        return;
    /* trickle out the rest of an oversize reply */
    while (sim_xs_pending_len && r->rsp_prod - r->rsp_cons < XENSTORE_RING_SIZE) {
        r->rsp[MASK_XENSTORE_IDX(r->rsp_prod)] = *sim_xs_pending_data++;
        r->rsp_prod++;
        sim_xs_pending_len--;
        acted = 1;
    }
    while (!sim_xs_pending_len && r->req_prod - r->req_cons >= sizeof(m)) {
        for (size_t i = 0; i < sizeof(m); i++)
            ((char *)&m)[i] = r->req[MASK_XENSTORE_IDX(r->req_cons + i)];
        assert(m.len <= XENSTORE_PAYLOAD_MAX);
        if (r->req_prod - r->req_cons < sizeof(m) + m.len)
            break;
        for (size_t i = 0; i < m.len; i++)
            payload[i] = r->req[MASK_XENSTORE_IDX(r->req_cons + sizeof(m) + i)];
        payload[m.len] = '\0';
        r->req_cons += sizeof(m) + m.len;
        xs_handle(&m, payload);
        acted = 1;
    }
    if (acted)
        sim_notify_guest(SIM_STORE_PORT);
}

/* ---- grant table, as the backend's Xen sees it ----------------------- */

static void *gnt_map(grant_ref_t ref, int write)
{
    struct grant_entry_v1 *e;

    if (!sim.gnttab || ref >= 512)
        return NULL;
    e = &sim.gnttab[ref];
    if (!(e->flags & GTF_permit_access) || e->domid != 0 ||
        (write && (e->flags & GTF_readonly)))
        return NULL;
    e->flags |= write ? GTF_writing | GTF_reading : GTF_reading;
    return phys_to_virt(e->frame << PAGE_SHIFT);
}

static void gnt_unmap(grant_ref_t ref)
{
    sim.gnttab[ref].flags &= ~(GTF_reading | GTF_writing);
}

/* ---- blkback -------------------------------------------------------- */

static void bk_path(char *out, size_t size, struct sim_vbd *b, const char *key)
{
    snprintf(out, size, "/local/domain/0/backend/vbd/%d/%u/%s", SIM_DOMID,
             b->id, key);
}

static void fe_path(char *out, size_t size, struct sim_vbd *b, const char *key)
{
    snprintf(out, size, "device/vbd/%u/%s", b->id, key);
}

static void bk_set_state(struct sim_vbd *b, int state)
{
    char p[128];

    b->state = state;
    bk_path(p, sizeof(p), b, "state");
    xs_set_int(p, state);
}

int sim_front_state(uint32_t id)
{
    char p[64];
    snprintf(p, sizeof(p), "device/vbd/%u/state", id);
    return xs_get_int(p, -1);
}

static int bk_connect(struct sim_vbd *b)
{
    char p[128];
    const char *proto;
    int ref, port;
    void *page;

    fe_path(p, sizeof(p), b, "ring-ref");
    ref = xs_get_int(p, -1);
    fe_path(p, sizeof(p), b, "event-channel");
    port = xs_get_int(p, -1);
    fe_path(p, sizeof(p), b, "protocol");
    proto = sim_xs_get(p);
    if (ref < 0 || port <= 0 || port >= 64 || !sim.ports[port].open ||
        sim.ports[port].remote != 0 || !proto || strcmp(proto, "x86_32-abi"))
        return -1;
    fe_path(p, sizeof(p), b, "feature-persistent");
    assert(!sim_xs_exists(p));
    page = gnt_map((grant_ref_t)ref, 1);
    if (!page)
        return -1;
    b->ring_ref = (grant_ref_t)ref;
    b->port = (evtchn_port_t)port;
    b->mapped = 1;
    BACK_RING_INIT(&b->ring, (blkif_sring_t *)page, PAGE_SIZE);
    bk_path(p, sizeof(p), b, "sectors");
    xs_set_int(p, (long long)b->sectors);
    bk_path(p, sizeof(p), b, "sector-size");
    xs_set_int(p, b->sector_size);
    bk_path(p, sizeof(p), b, "info");
    xs_set_int(p, (b->readonly ? VDISK_READONLY : 0) | (b->cdrom ? VDISK_CDROM : 0));
    bk_path(p, sizeof(p), b, "feature-flush-cache");
    xs_set_int(p, b->flush);
    if (b->max_indirect) {
        bk_path(p, sizeof(p), b, "feature-max-indirect-segments");
        xs_set_int(p, b->max_indirect);
    }
    if (b->on_connect)
        b->on_connect(b);
    return 0;
}

static void bk_release_held(struct sim_vbd *b)
{
    for (unsigned int i = 0; i < b->nheld; i++)
        gnt_unmap(b->held[i]);
    b->nheld = 0;
}

static void bk_disconnect(struct sim_vbd *b)
{
    bk_release_held(b);
    if (b->mapped && b->fault == BKF_HOLD_RING) {
        assert(b->nheld_rings < 64);
        b->held_rings[b->nheld_rings++] = b->ring_ref;
    } else if (b->mapped) {
        gnt_unmap(b->ring_ref);
    }
    b->mapped = 0;
}

void sim_release_rings(struct sim_vbd *b)
{
    for (unsigned int i = 0; i < b->nheld_rings; i++)
        gnt_unmap(b->held_rings[i]);
    b->nheld_rings = 0;
}

/* Unmaps a granted page after use, or keeps it (BKF_HOLD_GRANT). */
static void bk_done_with(struct sim_vbd *b, grant_ref_t ref)
{
    if (b->fault == BKF_HOLD_GRANT) {
        assert(b->nheld < sizeof(b->held) / sizeof(b->held[0]));
        b->held[b->nheld++] = ref;
    } else {
        gnt_unmap(ref);
    }
}

/* Moves the data of @nseg segments @segs from @sector on, as blkback does
 * (write: from the granted pages to the disk). */
static int16_t bk_segments(struct sim_vbd *b, int write, uint64_t sector,
                           const struct blkif_request_segment *segs,
                           unsigned int nseg)
{
    if (write)
        b->last_write_ro = 1;
    b->nseen = 0;
    for (unsigned int i = 0; i < nseg; i++) {
        const struct blkif_request_segment *s = &segs[i];
        unsigned int n = s->last_sect - s->first_sect + 1;
        uint8_t *page;

        if (s->last_sect > 7 || s->first_sect > s->last_sect ||
            sector + n > b->sectors)
            return BLKIF_RSP_ERROR;
        if (write && !(sim.gnttab[s->gref].flags & GTF_readonly))
            b->last_write_ro = 0;
        page = gnt_map(s->gref, !write);
        if (!page) {
            b->bad_grants++;
            return BLKIF_RSP_ERROR;
        }
        assert(b->nseen < sizeof(b->seen) / sizeof(b->seen[0]));
        memcpy(b->seen[b->nseen++], page, 4096);
        if (write)
            memcpy(b->disk + sector * 512, page + s->first_sect * 512, n * 512);
        else
            memcpy(page + s->first_sect * 512, b->disk + sector * 512, n * 512);
        bk_done_with(b, s->gref);
        sector += n;
    }
    return b->fault == BKF_STATUS_ERROR ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
}

/* BLKIF_OP_INDIRECT, offered as feature-max-indirect-segments = max_indirect:
 * the segment list is in the (read-only) granted page of indirect_grefs[0]. */
static int16_t bk_indirect(struct sim_vbd *b, const blkif_request_indirect_t *req)
{
    struct blkif_request_segment segs[64];
    const void *page;
    unsigned int n = req->nr_segments;
    int write = req->indirect_op == BLKIF_OP_WRITE;

    b->indirect_reqs++;
    if (!b->max_indirect || !n || n > b->max_indirect || n > 64 ||
        (req->indirect_op != BLKIF_OP_READ && !write))
        return BLKIF_RSP_ERROR;
    page = gnt_map(req->indirect_grefs[0], 0);
    if (!page) {
        b->bad_grants++;
        return BLKIF_RSP_ERROR;
    }
    b->indirect_ro = !!(sim.gnttab[req->indirect_grefs[0]].flags & GTF_readonly);
    memcpy(segs, page, n * sizeof(segs[0]));
    bk_done_with(b, req->indirect_grefs[0]);
    if (n > b->max_segs)
        b->max_segs = n;
    return bk_segments(b, write, req->sector_number, segs, n);
}

static int16_t bk_io(struct sim_vbd *b, const blkif_request_t *req)
{
    int write = req->operation == BLKIF_OP_WRITE;

    if (b->readonly && (write || req->operation == BLKIF_OP_FLUSH_DISKCACHE ||
                        (req->operation == BLKIF_OP_INDIRECT &&
                         ((const blkif_request_indirect_t *)req)->indirect_op ==
                         BLKIF_OP_WRITE)))
        return BLKIF_RSP_ERROR;     /* blkback: a flush writes too */
    if (req->operation == BLKIF_OP_FLUSH_DISKCACHE) {
        b->flushes++;
        return req->nr_segments ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
    }
    if (req->operation == BLKIF_OP_INDIRECT)
        return bk_indirect(b, (const blkif_request_indirect_t *)req);
    if ((req->operation != BLKIF_OP_READ && !write) || !req->nr_segments ||
        req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
        return BLKIF_RSP_ERROR;
    if (req->nr_segments > b->max_segs)
        b->max_segs = req->nr_segments;
    return bk_segments(b, write, req->sector_number, req->seg, req->nr_segments);
}

static void bk_ring_normal(struct sim_vbd *b);

static uint8_t bk_raw[4096];
static size_t bk_raw_len;
static uint32_t bk_raw_advance;

void sim_bk_raw_responses(const uint8_t *data, size_t len, uint32_t advance)
{
    bk_raw_len = len < sizeof(bk_raw) ? len : sizeof(bk_raw);
    memcpy(bk_raw, data, bk_raw_len);
    bk_raw_advance = advance;
}

/* A hostile backend: whatever bytes it likes over the response slots,
 * and whatever rsp_prod it likes. */
static void bk_ring_raw(struct sim_vbd *b)
{
    blkif_back_ring_t *r = &b->ring;
    uint8_t *slots = (uint8_t *)&r->sring->ring[0];
    size_t ring_bytes = (size_t)RING_SIZE(r) * sizeof(r->sring->ring[0]);
    size_t start = (size_t)(r->sring->rsp_prod % RING_SIZE(r)) * sizeof(r->sring->ring[0]);

    r->req_cons = r->sring->req_prod;
    b->requests++;
    for (size_t i = 0; i < bk_raw_len; i++)
        slots[(start + i) % ring_bytes] = bk_raw[i];
    wmb();
    r->sring->rsp_prod += bk_raw_advance;
    sim_notify_guest(b->port);
}

static void bk_ring(struct sim_vbd *b)
{
    if (b->fault == BKF_RAW) {
        if (b->ring.req_cons != b->ring.sring->req_prod)
            bk_ring_raw(b);
        return;
    }
    bk_ring_normal(b);
}

/* Answers one request into the next response slot (not yet pushed). */
static void bk_answer(struct sim_vbd *b, const blkif_request_t *req)
{
    blkif_back_ring_t *r = &b->ring;
    blkif_response_t *rsp = RING_GET_RESPONSE(r, r->rsp_prod_pvt);

    rsp->id = req->id + (b->fault == BKF_WRONG_ID) +
              (b->bad_id_req && b->requests == b->bad_id_req ? 1000 : 0);
    /* blkback answers an indirect request with the operation it carries */
    rsp->operation = req->operation == BLKIF_OP_INDIRECT ?
                     ((const blkif_request_indirect_t *)req)->indirect_op :
                     req->operation;
    if (b->bad_op_req && b->requests == b->bad_op_req)
        rsp->operation = BLKIF_OP_WRITE;
    rsp->status = b->fail_req && b->requests == b->fail_req ?
                  BLKIF_RSP_ERROR : bk_io(b, req);
    r->rsp_prod_pvt++;
    if (b->dup_req && b->requests == b->dup_req) {
        *RING_GET_RESPONSE(r, r->rsp_prod_pvt) = *rsp;
        r->rsp_prod_pvt++;
    }
    if (b->fault == BKF_RSP_FLOOD)
        r->rsp_prod_pvt += 40;
}

/* Pushes each response on its own, as qdisk does when its I/Os complete one
 * by one: the frontend's rsp_event decides how many events that costs. */
static void bk_push(struct sim_vbd *b)
{
    int notify;

    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b->ring, notify);
    if (notify) {
        b->events++;
        sim_notify_guest(b->port);
    }
}

static void bk_ring_normal(struct sim_vbd *b)
{
    blkif_back_ring_t *r = &b->ring;
    blkif_request_t reqs[64];
    unsigned int n, i;
    int more;

    do {
        RING_IDX rp = r->sring->req_prod;
        for (n = 0; r->req_cons != rp && n < (b->slow ? 1u : 64u); n++) {
            reqs[n] = *RING_GET_REQUEST(r, r->req_cons);
            r->req_cons++;
            if (b->fault == BKF_CLOSE_MIDREQ) {
                b->requests++;
                bk_set_state(b, XenbusStateClosing);
                return;
            }
        }
        for (i = 0; i < n; i++) {
            b->requests++;
            if (b->stall_at && b->requests >= b->stall_at) {
                if (b->nstalled < 32)
                    b->stalled[b->nstalled++] = reqs[b->reverse ? n - 1 - i : i];
                continue;
            }
            bk_answer(b, &reqs[b->reverse ? n - 1 - i : i]);
            bk_push(b);
        }
        if (b->slow)
            return;     /* the rest at the next step */
        RING_FINAL_CHECK_FOR_REQUESTS(r, more);
    } while (more);
}

static void blkback_step(struct sim_vbd *b)
{
    int fe = sim_front_state(b->id);

    switch (b->state) {
    case XenbusStateInitialising:
        bk_set_state(b, XenbusStateInitWait);
        break;
    case XenbusStateInitWait:
        if (b->fault == BKF_NEVER_CONNECT)
            break;
        if (fe == XenbusStateInitialised || fe == XenbusStateConnected) {
            if (bk_connect(b) == 0)
                bk_set_state(b, XenbusStateConnected);
        } else if (fe == XenbusStateClosing) {
            bk_set_state(b, XenbusStateClosing);
        } else if (fe == XenbusStateClosed) {
            bk_set_state(b, XenbusStateClosed);
        }
        break;
    case XenbusStateConnected:
        if (b->fault != BKF_IGNORE_CLOSE &&
            (fe == XenbusStateClosing || fe == XenbusStateClosed))
            bk_set_state(b, XenbusStateClosing);
        else if (b->mapped)
            bk_ring(b);
        break;
    case XenbusStateClosing:
        if (fe == XenbusStateClosed) {
            bk_disconnect(b);
            bk_set_state(b, XenbusStateClosed);
        }
        break;
    case XenbusStateClosed:
        if (fe == XenbusStateInitialising)
            bk_set_state(b, XenbusStateInitWait);
        break;
    }
}

struct sim_vbd *sim_add_vbd(uint32_t id, uint32_t sectors, int state)
{
    struct sim_vbd *b = NULL;
    char p[128], v[128];
    int i;

    for (i = 0; i < SIM_MAX_VBD && !b; i++)
        if (!sim.vbd[i].present)
            b = &sim.vbd[i];
    assert(b && sectors <= SIM_DISK_SECTORS);
    i = (int)(b - sim.vbd);
    memset(b, 0, sizeof(*b));
    b->present = 1;
    b->id = id;
    b->sectors = sectors;
    b->sector_size = 512;
    b->flush = 1;
    b->disk = sim_disks[i];
    for (uint32_t s = 0; s < SIM_DISK_SECTORS * 512; s++)
        b->disk[s] = (uint8_t)(s * 31 + s / 512 + i);
    fe_path(p, sizeof(p), b, "backend");
    snprintf(v, sizeof(v), "/local/domain/0/backend/vbd/%d/%u", SIM_DOMID, id);
    sim_xs_set(p, v);
    fe_path(p, sizeof(p), b, "backend-id");
    sim_xs_set(p, "0");
    fe_path(p, sizeof(p), b, "virtual-device");
    xs_set_int(p, id);
    fe_path(p, sizeof(p), b, "device-type");
    sim_xs_set(p, "disk");
    fe_path(p, sizeof(p), b, "state");
    xs_set_int(p, XenbusStateInitialising);
    bk_set_state(b, state);
    return b;
}

void sim_reset(void)
{
    enum rommem_region r;

    /* a fresh machine has a fresh ROM: what an earlier test's init or entry
     * left in rom/ must not describe this one */
    for (r = 0; r < ROMMEM_REGIONS; r++)
        rommem_set(r, 0, 0);
    xen_note_forget();
    memset(xs_nodes, 0, sizeof(xs_nodes));
    memset(sim_store_page, 0, sizeof(sim_store_page));
    memset(sim_bar, 0, sizeof(sim_bar));
    uint32_t msr = sim.msr;
    uint64_t msr_value = sim.msr_value;

    sim_xs_pending_len = 0;
    memset(&sim, 0, sizeof(sim));
    /* Xen keeps the hypercall page for the domain's life, and so does the
     * ROM: only the first test sees the MSR written. */
    sim.msr = msr;
    sim.msr_value = msr_value;
    sim.now = 1000000000ull;
    sim.ports[SIM_STORE_PORT].open = 1;
    sim_xs_set("/local/domain/7/name", "guest");
}

void sim_remove_vbd(struct sim_vbd *b)
{
    char p[128];

    bk_disconnect(b);
    b->present = 0;
    bk_path(p, sizeof(p), b, "");
    p[strlen(p) - 1] = '\0';
    xs_rm(p);
    snprintf(p, sizeof(p), "device/vbd/%u", b->id);
    xs_rm(p);
}

void sim_detach_vbd(struct sim_vbd *b)
{
    char p[128];

    bk_path(p, sizeof(p), b, "online");
    sim_xs_set(p, "0");
    bk_path(p, sizeof(p), b, "state");
    xs_set_int(p, XenbusStateClosing);
}

static void sim_peers_step(void)
{
    xenstored_step();
    for (int i = 0; i < SIM_MAX_VBD; i++)
        if (sim.vbd[i].present)
            blkback_step(&sim.vbd[i]);
}

void sim_step(void)
{
    sim_peers_step();
}

void sim_answer_stalled(struct sim_vbd *b)
{
    for (unsigned int i = 0; i < b->nstalled; i++) {
        bk_answer(b, &b->stalled[i]);
        bk_push(b);
    }
    b->nstalled = 0;
    b->stall_at = 0;
}

/* ---- the machine ---------------------------------------------------- */

void platform_cpuid(uint32_t leaf, uint32_t *eax, uint32_t *ebx,
                    uint32_t *ecx, uint32_t *edx)
{
    *eax = *ebx = *ecx = *edx = 0;
    if (leaf == 0x40000000u) {          /* someone else's leaves first */
        *eax = 0x40000005u;
        *ebx = 0x7263694d; *ecx = 0x666f736f; *edx = 0x76482074;
    }
    if (sim.no_xen)
        return;
    if (leaf == CPUID_BASE) {
        *eax = CPUID_BASE + 5;
        *ebx = 0x566e6558; *ecx = 0x65584d4d; *edx = 0x4d4d566e;
    } else if (leaf == CPUID_BASE + 1) {
        *eax = (4u << 16) | 17;
    } else if (leaf == CPUID_BASE + 2) {
        *eax = 1;
        *ebx = XEN_MSR;
    }
}

void platform_wrmsr(uint32_t msr, uint64_t value)
{
    sim.msr = msr;
    sim.msr_value = value;
}

uint64_t platform_rdtsc(void)
{
    return sim.now += 100;      /* 100 ns per look at the clock */
}

/* rom/lib/log.c's output: into a capture buffer the tests search, and to
 * stderr when XENPVBOOT_VERBOSE is set. */
char log_capture[16384];
size_t log_capture_len;

void platform_debug_putc(char c)
{
    static int verbose = -1;

    if (verbose < 0)
        verbose = getenv("XENPVBOOT_VERBOSE") != NULL;
    if (verbose)
        fputc(c, stderr);
    if (log_capture_len + 1 < sizeof(log_capture)) {
        log_capture[log_capture_len++] = c;
        log_capture[log_capture_len] = '\0';
    }
}

static void sim_put_time(void)
{
    struct vcpu_time_info *t = &sim.shinfo->vcpu_info[0].time;

    /* ns = ((tsc - 0) << 1) * 2^31 >> 32 = tsc */
    t->version = 2;
    t->tsc_timestamp = 0;
    t->system_time = 0;
    t->tsc_to_system_mul = 0x80000000u;
    t->tsc_shift = 1;
}

static long sim_memory_op(unsigned long cmd, void *arg)
{
    if (cmd == XENMEM_add_to_physmap) {
        struct xen_add_to_physmap *x = arg;
        void *page = phys_to_virt(x->gpfn << PAGE_SHIFT);

        if (x->domid != DOMID_SELF || (uint8_t *)page < sim_bar ||
            (uint8_t *)page >= sim_bar + sizeof(sim_bar))
            return -XEN_EINVAL;         /* never over RAM */
        sim.physmap_adds++;
        if (x->space == XENMAPSPACE_shared_info && x->idx == 0) {
            sim.shinfo = page;
            sim.shinfo_gfn = x->gpfn;
            sim_put_time();
            return 0;
        }
        if (x->space == XENMAPSPACE_grant_table && x->idx == 0) {
            sim.gnttab = page;
            sim.gnttab_gfn = x->gpfn;
            return 0;
        }
        return -XEN_EINVAL;
    }
    if (cmd == XENMEM_remove_from_physmap) {
        struct xen_remove_from_physmap *x = arg;

        sim.physmap_removes++;
        if (x->gpfn == sim.shinfo_gfn) {
            sim.shinfo_gfn = 0;
            return 0;
        }
        if (x->gpfn == sim.gnttab_gfn) {
            sim.gnttab_gfn = 0;
            return 0;
        }
        return -XEN_ENOENT;
    }
    return -XEN_ENOSYS;
}

static long sim_evtchn_op(unsigned long cmd, void *arg)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        struct evtchn_alloc_unbound *a = arg;
        for (evtchn_port_t p = 5; p < 64; p++)
            if (!sim.ports[p].open) {
                sim.ports[p].open = 1;
                sim.ports[p].remote = a->remote_dom;
                a->port = p;
                return 0;
            }
        return -XEN_ENOSPC;
    }
    case EVTCHNOP_send: {
        struct evtchn_send *s = arg;
        for (unsigned int i = 0; i < SIM_MAX_VBD; i++)
            if (sim.vbd[i].present && sim.vbd[i].mapped && sim.vbd[i].port == s->port)
                sim.vbd[i].kicks++;
        return s->port < 64 && sim.ports[s->port].open ? 0 : -XEN_EINVAL;
    }
    case EVTCHNOP_close: {
        struct evtchn_close *c = arg;
        if (c->port >= 64 || !sim.ports[c->port].open)
            return -XEN_EINVAL;
        sim.ports[c->port].open = 0;
        return 0;
    }
    }
    return -XEN_ENOSYS;
}

static long sim_poll(struct sched_poll *p)
{
    evtchn_port_t port;

    assert(p->nr_ports == 1);
    port = *(evtchn_port_t *)p->ports.p;
    assert(port < 64 && sim.ports[port].open);
    sim.polls++;
    assert(sim.polls < 10000000);       /* a wait that is not bounded */
    if (sim_pending(port))
        return 0;
    sim_woken = 0;
    sim_peers_step();
    if (sim_woken || sim_pending(port))
        sim.now += 10000;               /* the peer took 10 us */
    else if (p->timeout > sim.now)
        sim.now = p->timeout;           /* slept to the deadline */
    return 0;
}

static long sim_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
                          unsigned long a3);

/* HYPERVISOR_multicall as Xen runs it for an hvm32 caller: each entry
 * dispatched in turn, its result in the entry; the call itself 0. */
static long sim_multicall(multicall_entry_t *mc, unsigned long n)
{
    if (sim.no_multicall)
        return -XEN_ENOSYS;
    for (unsigned long i = 0; i < n; i++) {
        assert(mc[i].op != __HYPERVISOR_multicall);
        mc[i].result = (xen_ulong_t)sim_hypercall(mc[i].op, mc[i].args[0],
                                                  mc[i].args[1], mc[i].args[2]);
    }
    return 0;
}

long platform_hypercall(const void *page, unsigned int op,
                        unsigned long a1, unsigned long a2, unsigned long a3,
                        unsigned long a4, unsigned long a5)
{
    (void)a4; (void)a5;
    sim.hypercalls++;
    assert(sim.msr == XEN_MSR && sim.msr_value == virt_to_phys(page));
    if (op == __HYPERVISOR_multicall)
        return sim_multicall((multicall_entry_t *)a1, a2);
    return sim_hypercall(op, a1, a2, a3);
}

static long sim_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
                          unsigned long a3)
{
    switch (op) {
    case __HYPERVISOR_memory_op:
        return sim_memory_op(a1, (void *)a2);
    case __HYPERVISOR_grant_table_op:
        if (a1 == GNTTABOP_set_version && a3 == 1) {
            struct gnttab_set_version *v = (void *)a2;
            if (v->version != 1 && v->version != 2)
                return -XEN_EINVAL;
            sim.gnttab_version = v->version;
            return 0;
        }
        if (a1 == GNTTABOP_get_version && a3 == 1) {
            struct gnttab_get_version *v = (void *)a2;
            if (v->dom != DOMID_SELF)
                return -XEN_EINVAL;
            v->version = sim.gnttab_version ? sim.gnttab_version : 1;
            return 0;
        }
        return -XEN_ENOSYS;
    case __HYPERVISOR_event_channel_op:
        return sim_evtchn_op(a1, (void *)a2);
    case __HYPERVISOR_sched_op:
        if (a1 == SCHEDOP_poll)
            return sim_poll((void *)a2);
        return -XEN_ENOSYS;
    case __HYPERVISOR_hvm_op:
        if (a1 == HVMOP_get_param) {
            struct xen_hvm_param *h = (void *)a2;
            if (h->domid != DOMID_SELF)
                return -XEN_EINVAL;
            if (h->index == HVM_PARAM_STORE_PFN)
                h->value = virt_to_phys(sim_store_page) >> PAGE_SHIFT;
            else if (h->index == HVM_PARAM_STORE_EVTCHN)
                h->value = SIM_STORE_PORT;
            else if (h->index == HVM_PARAM_CALLBACK_IRQ)
                h->value = sim.callback_via;
            else
                return -XEN_EINVAL;
            return 0;
        }
        return -XEN_ENOSYS;
    }
    return -XEN_ENOSYS;
}
