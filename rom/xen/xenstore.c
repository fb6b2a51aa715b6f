/* xenstore over the shared ring: synchronous, one request at a time.
 *
 * Wire format [xen io/xs_wire.h]: a struct xsd_sockmsg header, then `len`
 * payload bytes, through two 1 KiB byte rings.  We never set a watch and
 * never leave a request unanswered, so whenever we return the ring is
 * quiescent and whatever OS driver comes next finds it clean.
 *
 * xenstored is trusted for liveness only: every wait is bounded, and a
 * reply's length, id and type are checked before a byte of it is used.
 */
#include "xen/xenstore.h"
#include "xen/evtchn.h"
#include "lib/libc.h"
#include "lib/log.h"
#include "xen/hypervisor.h"

static struct xenstore_domain_interface *xs_intf;
static evtchn_port_t xs_port;

/* Our request ids count up from here.  An answer that comes after we gave
 * up on it stays in the ring for whoever reads it next; Linux's xenbus
 * drops a reply whose id matches none of its requests [linux
 * drivers/xen/xenbus/xenbus_comms.c, process_msg] and numbers its own from
 * 0, so ours must not be ids it uses early in boot. */
#define XS_REQ_ID_FIRST 0x78700000u
static uint32_t xs_req_id = XS_REQ_ID_FIRST;

/* A request that timed out while xenstored had not even read all of it
 * means xenstored has stopped.  Until it shows a sign of life (it reads the
 * request ring to its end, or its response index moves) or XENSTORE_STALL_MS
 * pass, or the bus is brought up again, every request fails at once rather
 * than waiting its own XENSTORE_TIMEOUT_MS: a silent xenstored costs one
 * timeout, not one per request (a disconnect makes a dozen).  A xenstored
 * that read the request but answered short is alive and is asked again. */
static int xs_stalled;
static uint64_t xs_stalled_until;
static XENSTORE_RING_IDX xs_stalled_rsp_prod;

/* Replies to other requests (a predecessor's, or watch events it left)
 * are skipped; this many at most before we call the ring garbled. */
#define XS_MAX_STRAY 16

/* With one request at a time and no watches, whatever sits in the response
 * ring before we send is nobody's answer (a watch event, the tail of a
 * reply we gave up on, a confused xenstored's extra bytes) and would be
 * taken for ours: drop it, as Linux's xenbus does on (re)connect. */
static void xs_drop_stale(void)
{
    uint32_t stale = READ_ONCE(xs_intf->rsp_prod) - xs_intf->rsp_cons;

    if (!stale)
        return;
    log(LOG_DEBUG, "xenstore: dropping %u stale bytes", stale);
    xs_intf->rsp_cons = READ_ONCE(xs_intf->rsp_prod);
    mb();
    evtchn_send(xs_port);
}

int xenstore_init(uint32_t pfn, evtchn_port_t port)
{
    xs_intf = phys_to_virt(pfn << PAGE_SHIFT);
    xs_port = port;
    xs_stalled = 0;
    xs_drop_stale();
    return 0;
}

int xenstore_quiescent(void)
{
    struct xenstore_domain_interface *intf = xs_intf;

    return READ_ONCE(intf->req_cons) == READ_ONCE(intf->req_prod) &&
           READ_ONCE(intf->rsp_cons) == READ_ONCE(intf->rsp_prod);
}

static int xs_wait(struct xen_timeout *t)
{
    int rc = evtchn_wait(xs_port, t);

    if (rc)
        log(LOG_ERR, "xenstore: timed out");
    return rc;
}

/* @len bytes of @data into the request ring @off bytes past @prod. */
static void xs_copy_in(XENSTORE_RING_IDX prod, size_t off, const void *data,
                       size_t len)
{
    struct xenstore_domain_interface *intf = xs_intf;
    const char *p = data;
    size_t n;

    while (len) {
        n = MIN(len, XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod + off));
        memcpy(intf->req + MASK_XENSTORE_IDX(prod + off), p, n);
        p += n;
        off += n;
        len -= n;
    }
}

/* Writes a whole request, @msg then @alen bytes of @a and @blen of @b, or
 * nothing: it waits (bounded by @t) until all of it fits, and publishes it
 * with one index update.  A request cut short by our timeout would have
 * xenstored take the next writer's bytes (the OS's xenbus's) for the rest
 * of ours, garbling every later request; a whole one is only answered late,
 * and a late answer is dropped by its id (ours, see XS_REQ_ID_FIRST). */
static int xs_write_request(const struct xsd_sockmsg *msg, const char *a,
                            size_t alen, const char *b, size_t blen,
                            struct xen_timeout *t)
{
    struct xenstore_domain_interface *intf = xs_intf;
    size_t len = sizeof(*msg) + alen + blen;
    XENSTORE_RING_IDX prod = intf->req_prod, used;
    int rc;

    for (;;) {
        used = prod - READ_ONCE(intf->req_cons);
        if (used > XENSTORE_RING_SIZE)
            return -XEN_EIO;
        if (XENSTORE_RING_SIZE - used >= len)
            break;
        rc = xs_wait(t);
        if (rc)
            return rc;
    }
    mb();       /* read req_cons before overwriting what it freed */
    xs_copy_in(prod, 0, msg, sizeof(*msg));
    xs_copy_in(prod, sizeof(*msg), a, alen);
    xs_copy_in(prod, sizeof(*msg) + alen, b, blen);
    wmb();      /* data before the index that publishes it */
    intf->req_prod = prod + (XENSTORE_RING_IDX)len;
    return 0;
}

/* Consumes @len bytes of response into @data, or discards them if @data
 * is NULL. */
static int xs_read(void *data, size_t len, struct xen_timeout *t)
{
    struct xenstore_domain_interface *intf = xs_intf;
    char *p = data;
    XENSTORE_RING_IDX cons, avail;
    size_t n;
    int rc;

    while (len) {
        cons = intf->rsp_cons;
        avail = READ_ONCE(intf->rsp_prod) - cons;
        if (avail > XENSTORE_RING_SIZE)
            return -XEN_EIO;
        if (!avail) {
            rc = xs_wait(t);
            if (rc)
                return rc;
            continue;
        }
        rmb();      /* rsp_prod before the data it covers */
        n = MIN(len, avail);
        n = MIN(n, XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons));
        if (p) {
            memcpy(p, intf->rsp + MASK_XENSTORE_IDX(cons), n);
            p += n;
        }
        mb();       /* done reading before freeing the space */
        intf->rsp_cons = cons + n;
        len -= n;
    }
    return 0;
}

/* XS_ERROR carries an errno name [xs_wire.h, xsd_errors]; the few we act
 * on are mapped, the rest are just "failed". */
static int xs_error(const char *name)
{
    if (!strcmp(name, "ENOENT"))
        return -XEN_ENOENT;
    if (!strcmp(name, "EACCES"))
        return -XEN_EACCES;
    if (!strcmp(name, "EAGAIN"))
        return -XEN_EAGAIN;
    if (!strcmp(name, "E2BIG"))
        return -XEN_E2BIG;
    return -XEN_EIO;
}

/* Reads the reply to request @id of @type: its payload into @buf (at most
 * @size bytes; the rest is consumed and dropped).  Returns the payload
 * length or a negative XEN_E* value. */
static int xs_reply(uint32_t type, uint32_t id, char *buf, size_t size,
                    struct xen_timeout *t)
{
    struct xsd_sockmsg msg;
    char err[16];
    unsigned int stray;
    int rc;

    for (stray = 0; stray < XS_MAX_STRAY; stray++) {
        rc = xs_read(&msg, sizeof(msg), t);
        if (rc)
            return rc;
        if (msg.len > XENSTORE_PAYLOAD_MAX)
            return -XEN_EIO;
        if (msg.req_id != id || msg.type == XS_WATCH_EVENT) {
            rc = xs_read(NULL, msg.len, t);
            if (rc)
                return rc;
            continue;
        }
        if (msg.type == XS_ERROR) {
            memset(err, 0, sizeof(err));
            rc = xs_read(err, MIN(msg.len, sizeof(err) - 1), t);
            if (!rc && msg.len > sizeof(err) - 1)
                rc = xs_read(NULL, msg.len - (sizeof(err) - 1), t);
            return rc ? rc : xs_error(err);
        }
        rc = xs_read(buf, MIN(msg.len, size), t);
        if (!rc && msg.len > size)
            rc = xs_read(NULL, msg.len - size, t);
        if (rc)
            return rc;
        if (msg.type != type)
            return -XEN_EIO;
        return msg.len > size ? -XEN_E2BIG : (int)msg.len;
    }
    return -XEN_EIO;
}

/* A garbled ring cannot be resynchronised: skip everything xenstored has
 * produced so that at least nobody reads it as a reply again. */
static void xs_flush(void)
{
    xs_intf->rsp_cons = READ_ONCE(xs_intf->rsp_prod);
    mb();
}

static void xs_stall_start(void)
{
    if (READ_ONCE(xs_intf->req_cons) == xs_intf->req_prod)
        return;                 /* it read everything: not stopped */
    xs_stalled = 1;
    xs_stalled_until = xen_time_ns() + XENSTORE_STALL_MS * 1000000ull;
    xs_stalled_rsp_prod = READ_ONCE(xs_intf->rsp_prod);
}

/* Nonzero while xenstored is presumed stalled (see xs_stalled). */
static int xs_still_stalled(void)
{
    if (!xs_stalled)
        return 0;
    if (READ_ONCE(xs_intf->rsp_prod) != xs_stalled_rsp_prod ||
        READ_ONCE(xs_intf->req_cons) == xs_intf->req_prod ||
        xen_time_ns() >= xs_stalled_until)
        xs_stalled = 0;
    return xs_stalled;
}

/* One request and its reply.  The payload is @a, a NUL if @a_nul, then
 * @b (@b may be NULL). */
static int xs_talk(uint32_t type, const char *a, int a_nul, const char *b,
                   char *buf, size_t size)
{
    struct xsd_sockmsg msg;
    struct xen_timeout t;
    size_t alen = strlen(a) + (a_nul ? 1 : 0), blen = b ? strlen(b) : 0;
    int rc;

    if (!xs_intf)
        return -XEN_ENODEV;
    if (sizeof(msg) + alen + blen > XENSTORE_RING_SIZE)
        return -XEN_E2BIG;      /* could never be written whole */
    xen_timeout_start(&t, XENSTORE_TIMEOUT_MS);
    if (xs_still_stalled() || xen_timeout_expired(&t))
        return -XEN_ETIMEDOUT;  /* nothing sent */
    xs_drop_stale();
    msg.type = type;
    msg.req_id = xs_req_id++;
    msg.tx_id = 0;
    msg.len = alen + blen;

    rc = xs_write_request(&msg, a, alen, b, blen, &t);
    if (!rc)
        evtchn_send(xs_port);
    if (!rc)
        rc = xs_reply(type, msg.req_id, buf, size, &t);
    if (rc == -XEN_ETIMEDOUT)
        xs_stall_start();
    evtchn_send(xs_port);       /* we freed response space */
    if (rc == -XEN_EIO)
        xs_flush();
    if (rc < 0)
        log(LOG_DEBUG, "xenstore %u %s: %d", type, a, rc);
    return rc;
}

int xenstore_read(const char *path, char *buf, size_t size)
{
    int rc;

    if (!size)
        return -XEN_E2BIG;
    rc = xs_talk(XS_READ, path, 1, NULL, buf, size - 1);
    if (rc < 0)
        return rc;
    buf[rc] = '\0';
    return rc;
}

int xenstore_read_u64(const char *path, uint64_t *value)
{
    char buf[24], *p;
    uint64_t v = 0;
    int rc;

    rc = xenstore_read(path, buf, sizeof(buf));
    if (rc < 0)
        return rc;
    if (!rc)
        return -XEN_EINVAL;
    for (p = buf; *p; p++) {
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
            return -XEN_EINVAL;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *value = v;
    return 0;
}

int xenstore_write(const char *path, const char *value)
{
    char ok[4];
    int rc = xs_talk(XS_WRITE, path, 1, value, ok, sizeof(ok));

    return rc < 0 ? rc : 0;
}

int xenstore_directory(const char *path, char *buf, size_t size)
{
    int rc = xs_talk(XS_DIRECTORY, path, 1, NULL, buf, size);

    /* Each name must be NUL-terminated, or a caller walking them would
     * run off the end. */
    if (rc > 0 && buf[rc - 1] != '\0')
        return -XEN_EIO;
    return rc;
}

int xenstore_rm(const char *path)
{
    char ok[4];
    int rc = xs_talk(XS_RM, path, 1, NULL, ok, sizeof(ok));

    return rc < 0 ? rc : 0;
}
