/* The takeover guest: a boot loader and then an "OS" that takes Xen over
 * from the xenpvboot ROM the way Linux does, to test the ROM's handover
 * (docs/design.md "Handover").  See README.md for the modes and the
 * serial protocol; test/xen/scenarios/{takeover,handover}-* check it.
 *
 * The OS part is the ROM's own protocol code (rom/xen/hypervisor.c, grant.c,
 * evtchn.c, xenstore.c, blkfront.c) linked into this program: a second,
 * independent copy with its own hypercall page, shared_info page and ring,
 * exactly as a second driver stack in the same guest would be.
 */
#include "guest.h"
#include "arch/platform.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "block/blkfront.h"
#include "xen/evtchn.h"
#include "xen/grant.h"
#include "xen/xenstore.h"
#include "arch/pci.h"
#include "lib/libc.h"
#include "lib/log.h"

#include <stdarg.h>

/* Disk layout (mkimage.py writes it; check.py reads the scratch range). */
#define PAT_FIRST     2048u     /* pattern run */
#define PAT_RUN       64u
#define PAT_FAR       30000u    /* one more pattern sector, far out */
#define SCRATCH_FIRST 4096u     /* left zero on the image: handover-write's */
#define SCRATCH_RUN   32u

/* Real-mode buffers (below 1 MiB, away from the program at 0x10000). */
#define DAP_ADDR  0x5000u
#define E820_ADDR 0x5100u
#define LOW_BUF   0x60000u      /* INT 13h transfers, up to 64 KiB */

#define MBR_MODE  (0x7c00u + 0x1a0u)    /* boot.asm's mode string */
#define BDA_HDCOUNT 0x475u

#define PLATFORM_ID 0x00015853u         /* 5853:0001, the Xen platform device */
#define CALLBACK_VECTOR 0xf3u
#define SMAP 0x534d4150u

static char mode[16];
static uint32_t tsc_khz;
static uint64_t tsc0;
static int failures;
static char fail_list[160];

/* ---- output ---------------------------------------------------------- */

void uart_init(void)
{
    outb(0x00, 0x3f9);          /* no UART interrupts */
    outb(0x80, 0x3fb);          /* DLAB: divisor 1 = 115200 */
    outb(0x01, 0x3f8);
    outb(0x00, 0x3f9);
    outb(0x03, 0x3fb);          /* 8N1 */
    outb(0xc7, 0x3fa);          /* FIFOs on, cleared */
    outb(0x03, 0x3fc);          /* DTR, RTS */
}

void uart_putc(char c)
{
    unsigned int spins = 0;

    /* bounded: a missing UART must not hang the test */
    while (!(inb(0x3fd) & 0x20) && ++spins < 1000000)
        ;
    outb((uint8_t)c, 0x3f8);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf_lite(line, sizeof(line), fmt, ap);
    va_end(ap);
    uart_puts(line);
    uart_putc('\n');
}

/* Milliseconds since start, from the TSC and the frequency Xen reports in
 * its CPUID leaf 3 (tsc_mode native keeps it the host's). */
static uint32_t ms_now(void)
{
    uint64_t d = platform_rdtsc() - tsc0;
    uint32_t q, r;

    if (!tsc_khz || (d >> 32) >= tsc_khz)
        return 0;
    __asm__("divl %[k]" : "=a"(q), "=d"(r)
            : "a"((uint32_t)d), "d"((uint32_t)(d >> 32)), [k] "rm"(tsc_khz));
    return q;
}

static void time_init(void)
{
    uint32_t base, a, b, c, d;

    tsc0 = platform_rdtsc();
    for (base = 0x40000000u; base < 0x40010000u; base += 0x100) {
        platform_cpuid(base, &a, &b, &c, &d);
        if (b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e) {
            platform_cpuid(base + 3, &a, &b, &c, &d);
            tsc_khz = c;        /* leaf 3 subleaf 0: ecx = TSC kHz */
            return;
        }
    }
}

/* One CHECK line per expectation; RESULT lists the ones that failed. */
static int check(const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int check(const char *name, int ok, const char *fmt, ...)
{
    char detail[150];
    size_t len;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf_lite(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    say("CHECK %s %s ms=%u %s", name, ok ? "ok" : "fail", ms_now(), detail);
    if (!ok) {
        failures++;
        len = strlen(fail_list);
        snprintf_lite(fail_list + len, sizeof(fail_list) - len, " %s", name);
    }
    return ok;
}

/* ---- disk contents --------------------------------------------------- */

static void pattern_make(uint8_t *s, uint32_t lba, const char *magic,
                         uint8_t fill)
{
    memcpy(s, magic, 4);
    memcpy(s + 4, &lba, 4);
    memset(s + 8, fill, 504);
}

/* mkdisk.py's pattern: "XPVB" + LBA (LE32), then LBA & 0xff. */
static int pattern_ok(const uint8_t *buf, uint32_t lba, uint32_t count)
{
    uint8_t want[512];
    uint32_t i;

    for (i = 0; i < count; i++) {
        pattern_make(want, lba + i, "XPVB", (uint8_t)(lba + i));
        if (memcmp(buf + i * 512, want, 512))
            return 0;
    }
    return 1;
}

/* handover-write's data: "XPVW" + LBA, then (LBA * 7 + 1) & 0xff.
 * test/xen/scenarios/handover-write/check.py builds the same bytes. */
static void scratch_make(uint8_t *buf, uint32_t lba, uint32_t count)
{
    uint32_t i;

    for (i = 0; i < count; i++)
        pattern_make(buf + i * 512, lba + i, "XPVW", (uint8_t)((lba + i) * 7 + 1));
}

/* ---- the BIOS, as a boot loader calls it ----------------------------- */

static void regs_clear(void)
{
    memset(&bios_regs, 0, sizeof(bios_regs));
}

static int cf(void)
{
    return bios_regs.eflags & 1;
}

/* INT 13h AH=42h/43h through a DAP, data at LOW_BUF.  Returns AH (0 = ok)
 * or 0x100 when CF is set with AH 0. */
static int int13_ext(uint8_t fn, uint32_t lba, uint16_t count)
{
    uint8_t *dap = phys_to_virt(DAP_ADDR);

    memset(dap, 0, 16);
    dap[0] = 16;
    memcpy(dap + 2, &count, 2);
    *(uint16_t *)(dap + 6) = LOW_BUF >> 4;      /* segment; offset 0 */
    memcpy(dap + 8, &lba, 4);
    regs_clear();
    bios_regs.eax = (uint32_t)fn << 8;          /* AL 0: write without verify */
    bios_regs.edx = boot_drive;
    bios_regs.esi = DAP_ADDR;                   /* DS 0 */
    bios_call(0x13);
    if (!cf())
        return 0;
    return (bios_regs.eax >> 8 & 0xff) ? (int)(bios_regs.eax >> 8 & 0xff) : 0x100;
}

/* Reads @count pattern sectors at @lba through INT 13h and checks them;
 * a copy stays at LOW_BUF. */
static int int13_read_check(const char *name, uint32_t lba, uint16_t count)
{
    uint32_t t = ms_now();
    int rc = int13_ext(0x42, lba, count);

    return check(name, !rc && pattern_ok(phys_to_virt(LOW_BUF), lba, count),
                 "fn=42 lba=%u count=%u status=%02x took=%ums", lba, count, rc,
                 ms_now() - t);
}

/* The first call of an E820 walk (EBX=0), as a loader makes it last. */
static int e820_first(const char *name)
{
    uint8_t *e = phys_to_virt(E820_ADDR);
    uint32_t t = ms_now(), type;

    regs_clear();
    bios_regs.eax = 0xe820;
    bios_regs.ecx = 20;
    bios_regs.edx = SMAP;
    bios_regs.edi = E820_ADDR;                  /* ES 0 */
    bios_call(0x15);
    memcpy(&type, e + 16, 4);
    return check(name, !cf() && bios_regs.eax == SMAP,
                 "cf=%d eax=%08x ebx=%x type=%u took=%ums", cf(), bios_regs.eax,
                 bios_regs.ebx, type, ms_now() - t);
}

/* The whole E820 walk; every entry must come back well-formed. */
static int e820_walk(const char *name)
{
    uint8_t *e = phys_to_virt(E820_ADDR);
    uint32_t cont = 0, n = 0, ram = 0, type, len;
    int ok = 1;

    do {
        regs_clear();
        bios_regs.eax = 0xe820;
        bios_regs.ebx = cont;
        bios_regs.ecx = 20;
        bios_regs.edx = SMAP;
        bios_regs.edi = E820_ADDR;
        bios_call(0x15);
        if (cf() || bios_regs.eax != SMAP) {
            ok = 0;
            break;
        }
        memcpy(&type, e + 16, 4);
        memcpy(&len, e + 8, 4);
        n++;
        ram += type == 1;
        cont = bios_regs.ebx;
    } while (cont && n < 64);
    return check(name, ok && n >= 3 && ram >= 1, "entries=%u ram=%u", n, ram);
}

static void int13_after_takeover(void)
{
    uint8_t *mbr = phys_to_virt(LOW_BUF);
    uint32_t *ivt13 = phys_to_virt(0x13 * 4);

    say("BIOS ivt13=%04x:%04x bda75=%u", *ivt13 >> 16, *ivt13 & 0xffff,
        *(volatile uint8_t *)phys_to_virt(BDA_HDCOUNT));
    regs_clear();
    bios_regs.eax = 0x0800;
    bios_regs.edx = boot_drive;
    bios_call(0x13);
    check("int13-08", !cf() && (bios_regs.ecx & 0x3f),
          "cf=%d ax=%04x cx=%04x dx=%04x", cf(), bios_regs.eax & 0xffff,
          bios_regs.ecx & 0xffff, bios_regs.edx & 0xffff);
    regs_clear();
    bios_regs.eax = 0x4100;
    bios_regs.ebx = 0x55aa;
    bios_regs.edx = boot_drive;
    bios_call(0x13);
    check("int13-41", !cf() && (bios_regs.ebx & 0xffff) == 0xaa55,
          "cf=%d ax=%04x bx=%04x cx=%04x", cf(), bios_regs.eax & 0xffff,
          bios_regs.ebx & 0xffff, bios_regs.ecx & 0xffff);
    int13_read_check("int13-read-after", PAT_FIRST + 16, 16);
    int13_read_check("int13-read-far-after", PAT_FAR, 1);
    /* CHS read of the MBR, AH=02 */
    regs_clear();
    bios_regs.eax = 0x0201;
    bios_regs.ecx = 0x0001;
    bios_regs.edx = boot_drive;
    bios_regs.es = LOW_BUF >> 4;
    bios_call(0x13);
    check("int13-02-mbr", !cf() && mbr[510] == 0x55 && mbr[511] == 0xaa &&
          !memcmp(mbr + 0x1a0, mode, strlen(mode)),
          "cf=%d ax=%04x", cf(), bios_regs.eax & 0xffff);
    e820_walk("e820-walk-after");
    say("BIOS ivt13=%04x:%04x bda75=%u", *ivt13 >> 16, *ivt13 & 0xffff,
        *(volatile uint8_t *)phys_to_virt(BDA_HDCOUNT));
}

/* ---- the OS part ----------------------------------------------------- */

/* Bus 0 scan for the platform device; its BAR1 is where Linux's
 * platform-pci puts shared_info and the grant frames. */
static uint32_t platform_bar1(void)
{
    unsigned int dev;

    for (dev = 0; dev < 32; dev++)
        if (pci_read32((uint16_t)(dev << 3), PCI_VENDOR_ID) == PLATFORM_ID)
            return pci_read32((uint16_t)(dev << 3), PCI_BAR0 + 4) & ~0xfu;
    return 0;
}

/* As Linux does before it sets the callback: every port masked, so no
 * event raises the upcall.  Ours matters more: the BIOS calls that follow
 * run with interrupts on, and Xen injects a callback vector for as long as
 * evtchn_upcall_pending is set -- which the ROM's polling left set, since
 * only an upcall handler clears it.  SCHEDOP_poll (rom/xen/evtchn.c) works on
 * masked ports. */
static void mask_all_events(void)
{
    memset((void *)xen_shinfo->evtchn_mask, 0xff, sizeof(xen_shinfo->evtchn_mask));
    mb();
    xen_shinfo->vcpu_info[0].evtchn_pending_sel = 0;
    xen_shinfo->vcpu_info[0].evtchn_upcall_pending = 0;
    mb();
}

/* What Linux does first: its own hypercall page (xen_init() writes the MSR
 * with this program's page), shared_info and grant frame 0 mapped at BAR1
 * pages 2 and 3 (the ROM uses 0 and 1), then the event-channel callback.
 * Interrupts stay off; in real mode the vector lands on an iret of ours. */
static int take_over(void)
{
    uint32_t bar1 = platform_bar1(), t = ms_now();
    struct xen_hvm_param p = {
        .domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ,
        .value = (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 | CALLBACK_VECTOR,
    };
    uint64_t via = 0;
    int rc;

    if (!bar1)
        return check("takeover", 0, "no platform device");
    rc = xen_init(bar1 + 2 * PAGE_SIZE, 2 * PAGE_SIZE);
    if (rc)
        return check("takeover", 0, "xen_init bar1=%08x rc=%d", bar1, rc);
    mask_all_events();
    *(uint32_t *)phys_to_virt(CALLBACK_VECTOR * 4) =
        0x1000u << 16 | (uint32_t)((uintptr_t)rm_iret - 0x10000);
    rc = (int)xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_set_param,
                            (unsigned long)&p, 0);
    if (!rc)
        rc = xen_get_param(HVM_PARAM_CALLBACK_IRQ, &via);
    return check("takeover", !rc && via == p.value,
                 "bar1=%08x shinfo=%08x callback=%llx rc=%d took=%ums", bar1,
                 bar1 + 2 * PAGE_SIZE, via, rc, ms_now() - t);
}

/* Reads @dir/@key for a report: the value, or "-" when absent. */
static const char *xs_get(const char *dir, const char *key, char *buf,
                          size_t size)
{
    char path[96];

    snprintf_lite(path, sizeof(path), "%s%s%s", dir, key[0] ? "/" : "", key);
    if (xenstore_read(path, buf, size) < 0)
        return "-";
    return buf;
}

/* vbd 768 as the OS sees it in xenstore; 0 when every read worked. */
static int xs_report(const char *when)
{
    char be[64], fs[8], bs[8], rr[12], ec[12], pr[16];
    const char *fe = "device/vbd/768";
    const char *bpath = xs_get(fe, "backend", be, sizeof(be));
    const char *f = xs_get(fe, "state", fs, sizeof(fs));
    const char *b = bpath[0] == '/' ? xs_get(bpath, "state", bs, sizeof(bs)) : "-";

    say("XS %s frontend-state=%s backend-state=%s ring-ref=%s event-channel=%s "
        "protocol=%s quiescent=%d", when, f, b,
        xs_get(fe, "ring-ref", rr, sizeof(rr)),
        xs_get(fe, "event-channel", ec, sizeof(ec)),
        xs_get(fe, "protocol", pr, sizeof(pr)), xenstore_quiescent());
    return f[0] == '-' || b[0] == '-';
}

static struct vbd vbds[BLKFRONT_MAX_VBD];
static uint8_t pv_buf[64 * 512] __attribute__((aligned(4096)));

/* The OS's own frontend for vbd 768.  Its ring gets the ROM's ref (480):
 * both copies of rom/xen/grant.c start there, and blkfront grants the ring only
 * after the reset has made the backend unmap the ROM's.  What tells the two
 * connections apart in xenstore is the event channel: the ROM's port stays
 * allocated, so the OS's is a new one. */
static struct vbd *os_connect(void)
{
    struct vbd *v = NULL;
    uint32_t t = ms_now();
    int i, n, rc;

    n = blkfront_probe(vbds, BLKFRONT_MAX_VBD);
    for (i = 0; i < n; i++)
        if (vbds[i].vdev == 768)
            v = &vbds[i];
    if (!v) {
        check("pv-connect", 0, "no vbd 768 (probe %d)", n);
        return NULL;
    }
    rc = blkfront_connect(v);
    if (!check("pv-connect", !rc,
               "rc=%d ring-ref=%u event-channel=%u sectors=%llu took=%ums", rc,
               v->ring_ref, v->port, v->sectors, ms_now() - t))
        return NULL;
    say("OSRING ring-ref=%u event-channel=%u", v->ring_ref, v->port);
    return v;
}

static int pv_read(struct vbd *v, uint32_t lba, uint32_t count)
{
    return blkfront_rw(v, 0, lba, count, pv_buf);
}

/* ---- an OS frontend that does not reset -------------------------------- */

/* What GPLPV does (and what the ROM must be ready for): no look at the
 * state the frontend is in, no Closing/Closed walk; it writes its own
 * ring-ref, event-channel and protocol, goes Initialised and waits for the
 * backend to be Connected.  A backend the ROM left Connected ignores all of
 * it and goes on serving the ROM's ring, so this frontend's requests are
 * never answered. */
#define NORESET_WAIT_MS 15000u
#define NORESET_IO_MS   5000u

static struct {
    uint8_t ring[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    uint8_t data[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    blkif_front_ring_t front;
    grant_ref_t ref;
    evtchn_port_t port;
    domid_t backend_id;
    char backend[64];
} nr;

static int nr_write(const char *key, const char *fmt, unsigned int v)
{
    char path[64], val[24];

    snprintf_lite(path, sizeof(path), "device/vbd/768/%s", key);
    snprintf_lite(val, sizeof(val), fmt, v);
    return xenstore_write(path, val);
}

static int nr_backend_state(void)
{
    char path[96];
    uint64_t st = 0;

    snprintf_lite(path, sizeof(path), "%s/state", nr.backend);
    return xenstore_read_u64(path, &st) ? -1 : (int)st;
}

static int noreset_connect(void)
{
    struct xen_timeout t;
    uint64_t id = 0;
    uint32_t t0 = ms_now();
    int st, rc;

    if (xenstore_read("device/vbd/768/backend", nr.backend, sizeof(nr.backend)) < 0 ||
        xenstore_read_u64("device/vbd/768/backend-id", &id))
        return check("noreset-connect", 0, "no vbd 768");
    nr.backend_id = (domid_t)id;
    say("NORESET found backend-state=%d", nr_backend_state());
    SHARED_RING_INIT((blkif_sring_t *)nr.ring);
    FRONT_RING_INIT(&nr.front, (blkif_sring_t *)nr.ring, PAGE_SIZE);
    rc = gnttab_grant(nr.backend_id, virt_to_phys(nr.ring) >> PAGE_SHIFT, 0);
    if (rc < 0)
        return check("noreset-connect", 0, "grant rc=%d", rc);
    nr.ref = (grant_ref_t)rc;
    rc = evtchn_alloc_unbound(nr.backend_id, &nr.port);
    if (!rc) {
        evtchn_mask(nr.port);           /* polled, like every port here */
        rc = nr_write("ring-ref", "%u", nr.ref);
    }
    if (!rc)
        rc = nr_write("event-channel", "%u", nr.port);
    if (!rc)
        rc = xenstore_write("device/vbd/768/protocol", XEN_IO_PROTO_ABI_X86_32);
    if (!rc)
        rc = nr_write("state", "%u", XenbusStateInitialised);
    if (rc)
        return check("noreset-connect", 0, "xenstore rc=%d", rc);
    xen_timeout_start(&t, NORESET_WAIT_MS);
    while ((st = nr_backend_state()) != XenbusStateConnected && !xen_timeout_expired(&t))
        t.polls++;
    if (st == XenbusStateConnected)
        nr_write("state", "%u", XenbusStateConnected);
    say("OSRING ring-ref=%u event-channel=%u", nr.ref, nr.port);
    return check("noreset-connect", st == XenbusStateConnected,
                 "backend-state=%d ring-ref=%u event-channel=%u took=%ums", st, nr.ref,
                 nr.port, ms_now() - t0);
}

/* One read of up to 8 sectors through this frontend's own ring. */
static int noreset_read(uint32_t lba, uint32_t count)
{
    blkif_request_t *req;
    blkif_response_t rsp;
    struct xen_timeout t;
    int ref, notify, got = 0;

    ref = gnttab_grant(nr.backend_id, virt_to_phys(nr.data) >> PAGE_SHIFT, 0);
    if (ref < 0)
        return ref;
    req = RING_GET_REQUEST(&nr.front, nr.front.req_prod_pvt);
    memset(req, 0, sizeof(*req));
    req->operation = BLKIF_OP_READ;
    req->nr_segments = 1;
    req->id = 0x4e52;
    req->sector_number = lba;
    req->seg[0].gref = (grant_ref_t)ref;
    req->seg[0].first_sect = 0;
    req->seg[0].last_sect = (uint8_t)(count - 1);
    nr.front.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nr.front, notify);
    evtchn_send(nr.port);
    (void)notify;
    xen_timeout_start(&t, NORESET_IO_MS);
    while (!xen_timeout_expired(&t)) {
        if (RING_HAS_UNCONSUMED_RESPONSES(&nr.front)) {
            rmb();
            memcpy(&rsp, RING_GET_RESPONSE(&nr.front, nr.front.rsp_cons), sizeof(rsp));
            nr.front.rsp_cons++;
            got = 1;
            break;
        }
        evtchn_wait(nr.port, &t);
    }
    gnttab_end((grant_ref_t)ref);       /* refused while the backend still maps it */
    if (!got)
        return -XEN_ETIMEDOUT;
    return rsp.id == 0x4e52 && rsp.status == BLKIF_RSP_OKAY ? 0 : -XEN_EIO;
}

/* A countdown as loaders show one: a line through INT 10h, then key and
 * clock polls (INT 16h, INT 1Ah) for @ms, then the last line. */
static void countdown(uint32_t ms)
{
    uint32_t t0 = ms_now(), polls = 0;
    const char *p;

    for (p = "Booting in 3 s\r\n"; *p; p++) {
        regs_clear();
        bios_regs.eax = 0x0e00 | (uint8_t)*p;       /* teletype output */
        bios_call(0x10);
    }
    while (ms_now() - t0 < ms) {
        regs_clear();
        bios_regs.eax = 0x0100;                     /* key available? */
        bios_call(0x16);
        regs_clear();
        bios_regs.eax = 0x0000;                     /* clock ticks */
        bios_call(0x1a);
        polls++;
    }
    regs_clear();
    bios_regs.eax = 0x0e00 | '.';
    bios_call(0x10);
    check("countdown", 1, "polls=%u took=%ums", polls, ms_now() - t0);
}

/* ---- the modes ------------------------------------------------------- */

/* takeover-sim(-quiesced): loader reads, an E820 call, another read (the
 * ROM reconnects), [another E820 call: quiesce], the takeover, then the
 * BIOS again: the ROM must have stepped aside to SeaBIOS's own driver. */
static void mode_sim(int quiesce_first)
{
    int13_read_check("int13-read-1", PAT_FIRST, 8);
    e820_first("e820-1");
    int13_read_check("int13-read-2", PAT_FIRST + 8, 8);
    if (quiesce_first)
        e820_first("e820-2");
    if (!take_over())
        return;
    check("xs-after-takeover", !xs_report("after-takeover"), "os reads");
    int13_after_takeover();
    check("xs-after-bios", !xs_report("after-bios"), "os reads");
}

/* takeover-connect: the loader reads through the ROM (two sequential
 * reads: read-ahead left in flight) and never calls the BIOS again; the OS
 * connects vbd 768 itself (blkfront resets the frontend the ROM left
 * Connected, reusing the refs the batch holds) and must read the same data. */
static void mode_connect(void)
{
    static uint8_t mbr[512], run[16 * 512];
    struct vbd *v;
    int rc;

    rc = int13_ext(0x42, 0, 1);
    memcpy(mbr, phys_to_virt(LOW_BUF), 512);
    check("int13-read-mbr", !rc && mbr[510] == 0x55 && mbr[511] == 0xaa,
          "status=%02x", rc);
    int13_read_check("int13-read-1", PAT_FIRST, 8);
    memcpy(run, phys_to_virt(LOW_BUF), 8 * 512);
    /* the stream's second read: the ROM returns with a read-ahead batch
     * pushed (docs/design.md "Read-ahead"), which the takeover finds in
     * flight or answered but not collected */
    int13_read_check("int13-read-2", PAT_FIRST + 8, 8);
    memcpy(run + 8 * 512, phys_to_virt(LOW_BUF), 8 * 512);
    if (!take_over())
        return;
    xs_report("after-takeover");
    v = os_connect();
    if (!v)
        return;
    rc = pv_read(v, 0, 1);
    check("pv-read-mbr", !rc && !memcmp(pv_buf, mbr, 512), "rc=%d", rc);
    rc = pv_read(v, PAT_FIRST, 16);
    check("pv-read-same", !rc && !memcmp(pv_buf, run, sizeof(run)), "rc=%d", rc);
    rc = pv_read(v, PAT_FIRST, PAT_RUN);
    check("pv-read-run", !rc && pattern_ok(pv_buf, PAT_FIRST, PAT_RUN),
          "rc=%d lba=%u count=%u", rc, PAT_FIRST, PAT_RUN);
    rc = pv_read(v, PAT_FAR, 1);
    check("pv-read-far", !rc && pattern_ok(pv_buf, PAT_FAR, 1), "rc=%d", rc);
    check("xs-connected", !xs_report("connected"), "os reads");
}

/* handover-write: the loader writes the scratch range through the ROM;
 * the OS, connected itself, must read back exactly that. */
static void mode_write(void)
{
    static uint8_t want[SCRATCH_RUN * 512];
    struct vbd *v;
    uint32_t t = ms_now();
    int rc;

    scratch_make(want, SCRATCH_FIRST, SCRATCH_RUN);
    memcpy(phys_to_virt(LOW_BUF), want, sizeof(want));
    rc = int13_ext(0x43, SCRATCH_FIRST, SCRATCH_RUN);
    check("int13-write", !rc, "fn=43 lba=%u count=%u status=%02x took=%ums",
          SCRATCH_FIRST, SCRATCH_RUN, rc, ms_now() - t);
    memset(phys_to_virt(LOW_BUF), 0, sizeof(want));
    rc = int13_ext(0x42, SCRATCH_FIRST, SCRATCH_RUN);
    check("int13-readback", !rc && !memcmp(phys_to_virt(LOW_BUF), want, sizeof(want)),
          "status=%02x", rc);
    if (!take_over())
        return;
    xs_report("after-takeover");
    v = os_connect();
    if (!v)
        return;
    memset(pv_buf, 0, sizeof(pv_buf));
    rc = pv_read(v, SCRATCH_FIRST, SCRATCH_RUN);
    check("pv-readback", !rc && !memcmp(pv_buf, want, sizeof(want)),
          "rc=%d lba=%u count=%u", rc, SCRATCH_FIRST, SCRATCH_RUN);
    rc = pv_read(v, PAT_FIRST, PAT_RUN);
    check("pv-read-run", !rc && pattern_ok(pv_buf, PAT_FIRST, PAT_RUN), "rc=%d", rc);
    check("xs-connected", !xs_report("connected"), "os reads");
}

/* takeover-noreset(-early): a loader that reads the memory map first (the
 * ROM quiesces there), then reads through INT 13h (the ROM reconnects) and
 * never calls E820 again; [noreset: a 3 s countdown through INT 10h, 16h
 * and 1Ah, where the ROM quiesces on idle]; then the OS takes Xen over with
 * a frontend that does not reset, and must read the disk.  Without the
 * countdown (noreset-early) nothing lets the ROM go: the scenario shows
 * that this OS then fails. */
static void mode_noreset(int countdown_first)
{
    int rc;

    e820_first("e820-first");
    int13_read_check("int13-read-1", PAT_FIRST, 8);
    int13_read_check("int13-read-2", PAT_FIRST + 8, 8);
    if (countdown_first)
        countdown(3000);
    if (!take_over())
        return;
    xs_report("after-takeover");
    if (!noreset_connect())
        return;
    rc = noreset_read(PAT_FIRST, 8);
    check("noreset-read", !rc && pattern_ok(nr.data, PAT_FIRST, 8), "rc=%d", rc);
    rc = noreset_read(PAT_FAR, 1);
    check("noreset-read-far", !rc && pattern_ok(nr.data, PAT_FAR, 1), "rc=%d", rc);
    xs_report("connected");
}

void guest_main(void)
{
    memcpy(mode, phys_to_virt(MBR_MODE), sizeof(mode) - 1);
    uart_init();
    time_init();
    say("TAKEOVER START mode=%s boot=%02x tsc_khz=%u", mode, boot_drive, tsc_khz);
    if (!strcmp(mode, "sim"))
        mode_sim(0);
    else if (!strcmp(mode, "sim-quiesced"))
        mode_sim(1);
    else if (!strcmp(mode, "connect"))
        mode_connect();
    else if (!strcmp(mode, "write"))
        mode_write();
    else if (!strcmp(mode, "noreset"))
        mode_noreset(1);
    else if (!strcmp(mode, "noreset-early"))
        mode_noreset(0);
    else
        check("mode", 0, "unknown mode '%s'", mode);
    if (failures)
        say("TAKEOVER RESULT FAIL%s ms=%u", fail_list, ms_now());
    else
        say("TAKEOVER RESULT PASS ms=%u", ms_now());
    rm_halt();
}
