/* Handover.  The ROM cannot trap the OS's hypercall-MSR write; it only runs
 * when someone calls it.  So it holds as little as possible between calls
 * (no data grant outlives an INT 13h call but read-ahead's, on pages of
 * the image; init's connection stays only until it can be proven to be let
 * go of, see "the connection init keeps" below), lets go of everything wherever the BIOS
 * sees the boot leaving it (the first call of an E820 walk, which boot
 * loaders make last, right before jumping to the kernel; INT 18h; INT 19h),
 * and checks at every entry whether the OS already took Xen over, in which
 * case nothing of ours may touch Xen again.  The state left behind is the
 * one Linux and Windows frontends start from: frontend Initialising,
 * backend InitWait, no ring-ref/event-channel/protocol keys, no grants, no
 * event channel, no frames of ours in the physmap, xenstore quiescent.
 * [docs/design.md "Handover"; linux drivers/xen/xenbus/xenbus_probe_frontend.c;
 * win-xenvbd frontend.c] */
#include "bios/quiesce.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/int13.h"
#include "lib/libc.h"
#include "lib/log.h"

static int taken_over;
static uint8_t hdcount_ours;    /* 40:75 as we left it at BCV */
static uint8_t new_drives;      /* drives we added to 40:75 */

/* ---- the connection init keeps ------------------------------------------
 *
 * Init leaves every vbd it described connected (bus up, ring granted, no
 * data grant) so that the loader's first read needs no handshake.  What
 * lets go of it when no read ever comes (docs/design.md "Handover"):
 *  - our BCV never runs (the boot order leaves us out): the hooks init
 *    installs (INT 15h, 18h, 10h, 16h, 1Ah) quiesce at the first entry once
 *    SeaBIOS has finished POST, which it shows by clearing the $PMM
 *    signature (src/pmm.c pmm_prepboot, after every BCV, before INT 19h):
 *    its own "Booting from ..." line is an INT 10h.  Before that (its boot
 *    menu polls INT 16h) the idle rule waits: the BCVs are still to come.
 *  - our BCV ran, and SeaBIOS's own INT 19h (the first, with no INT 13h
 *    call of ours since the BCV) boots: that one does not quiesce -- its
 *    first read is our block 0, served from memory -- but until an INT 13h
 *    call of ours comes, one for any other drive (a CD, a floppy, an
 *    emulated disk booted instead) quiesces at once.
 *  - then every quiesce point as between any two calls: E820, INT 18h,
 *    a second INT 19h, the idle triggers after QUIESCE_IDLE_MS.
 * Without PMM (the image in base memory) init disconnects as before. */
static struct {
    uint8_t active;     /* init's connection, not yet quiesced */
    uint8_t bcv_ran;
    uint8_t served;     /* an INT 13h call of ours since the BCV */
    uint8_t booting;    /* SeaBIOS's INT 19h seen, no call of ours yet */
    uint32_t pmm;       /* flat address of the $PMM header */
} kept;

static uint32_t *ivt(unsigned int vector)
{
    return phys_to_virt(vector * 4);
}

/* Points @vector at our @entry; returns the vector it replaced. */
static uint32_t hook(struct stub_info *stub, unsigned int vector, uint16_t entry)
{
    uint32_t prev = *ivt(vector);

    *ivt(vector) = farptr(stub->rom_seg, entry);
    return prev;
}

/* Hooks @vector once: stub->prev_<name> already set means it is ours
 * (stub_info is packed: no pointer to its fields). */
#define hook_once(stub, vector, name)                                       \
    do {                                                                    \
        if (!(stub)->prev_##name)                                           \
            (stub)->prev_##name = hook(stub, vector, (stub)->name##_entry); \
    } while (0)

/* The quiesce points that need no BCV: INT 15h (E820), 18h and the idle
 * triggers.  Not INT 19h: SeaBIOS puts back an INT 19h a PnP ROM takes at
 * init (src/optionroms.c, init_pcirom), and not INT 13h, which the BCV
 * numbers the drives for. */
static void hooks_install_leaving(struct stub_info *stub)
{
    /* The stub chains to the previous vectors it keeps (the option ROM
     * area is still writable at init and while BCVs run). */
    hook_once(stub, 0x15, int15);
    hook_once(stub, 0x18, int18);
    hook_once(stub, 0x10, int10);
    hook_once(stub, 0x16, int16);
    hook_once(stub, 0x1a, int1a);
}

void hooks_install(struct stub_info *stub)
{
    int i;

    /* Each disk's BCV calls this: hook once, count the drives every time. */
    hook_once(stub, 0x13, int13);
    hook_once(stub, 0x19, int19);
    hooks_install_leaving(stub);
    new_drives = 0;
    for (i = 0; i < nr_bdisks; i++)
        new_drives += bdisks[i].drive && !bdisks[i].twin;
    hdcount_ours = bda_read8(BDA_HDCOUNT);
    kept.bcv_ran = 1;
    kept.served = 0;
    quiesce_disk_used();        /* the idle clock starts at the BCV */
}


#define PMM_SCAN_START 0xf0000u
#define PMM_SCAN_END   0x100000u

static int pmm_header_ok(uint32_t at)
{
    const uint8_t *h = phys_to_virt(at);
    uint8_t sum = 0, len, i;

    if (h[0] != '$' || h[1] != 'P' || h[2] != 'M' || h[3] != 'M')
        return 0;
    len = h[5];
    if (len < 16 || at + len > PMM_SCAN_END)
        return 0;
    for (i = 0; i < len; i++)
        sum += h[i];
    return sum == 0;
}

static uint32_t pmm_find(void)
{
    uint32_t at;

    for (at = PMM_SCAN_START; at < PMM_SCAN_END; at += 16)
        if (pmm_header_ok(at))
            return at;
    return 0;
}

int quiesce_keep_connection(struct stub_info *stub)
{
    memset(&kept, 0, sizeof(kept));
    if (stub->image_kind != STUB_IMAGE_PMM)
        return 0;
    kept.pmm = pmm_find();
    if (!kept.pmm)
        return 0;
    kept.active = 1;
    hooks_install_leaving(stub);
    quiesce_disk_used();
    return 1;
}

int quiesce_connection_kept(void)
{
    return kept.active;
}

/* SeaBIOS has run every BCV it will run (it cleared $PMM after them). */
static int bios_post_over(void)
{
    return !pmm_header_ok(kept.pmm);
}

static void quiesce_report(void)
{
    int i;

    for (i = 0; i < nr_bdisks; i++)
        if (bdisks[i].drive)
            log(LOG_INFO, "drive %02x: %u reads, %u writes, %llu bytes over PV",
            bdisks[i].drive, bdisks[i].reads, bdisks[i].writes,
            bdisks[i].bytes);
    int13_report();
    blkfront_ra_report();
}

void quiesce(const char *where)
{
    if (!xen_is_up())
        return;
    quiesce_report();
    pv_down();
    kept.active = 0;
    kept.booting = 0;
    log(LOG_INFO, "quiesced at %s: PV disks disconnected, bus down", where);
}

/* Xen time of the last INT 13h call we served while connected. */
static uint64_t disk_used_ns;

void quiesce_disk_used(void)
{
    if (xen_is_up())
        disk_used_ns = xen_time_ns();
}

void quiesce_disk_served(void)
{
    if (kept.active && !kept.served)
        log(LOG_INFO, "first INT 13h call since the BCV served on init's connection");
    kept.served = 1;
    kept.booting = 0;
    quiesce_disk_used();
}

void quiesce_int19(void)
{
    if (kept.active && kept.bcv_ran && !kept.served && !kept.booting &&
        xen_is_up()) {
        kept.booting = 1;
        quiesce_disk_used();
        log(LOG_INFO, "INT 19h: the BIOS boots, connection kept for its first read");
        return;
    }
    quiesce("INT 19h");
}

void quiesce_other_drive(uint8_t drive)
{
    char why[48];

    if (!kept.booting)
        return;
    snprintf_lite(why, sizeof(why), "INT 13h for drive %02x, none of ours yet", drive);
    quiesce(why);
}

/* A loader that reads the memory map first and loads the kernel after it
 * (FreeBSD's loader) never calls E820 again; the calls it still makes before
 * it jumps (a "Booting..." line, a countdown's key and clock polls) are the
 * only ones left to let go at. */
void quiesce_if_idle(const char *where)
{
    char why[48];
    uint32_t idle;

    if (!xen_is_up())
        return;
    if (kept.active && !kept.bcv_ran) {
        if (bios_post_over())
            quiesce("the end of POST with no BCV of ours");
        return;
    }
    idle = xen_ms_since(disk_used_ns);
    if (idle < QUIESCE_IDLE_MS)
        return;
    snprintf_lite(why, sizeof(why), "%s after %u ms idle", where, idle);
    quiesce(why);
}

/* Put back a vector that is still ours; one someone hooked after us must
 * stay, and we pass its calls through instead. */
static void unhook(struct stub_info *stub, unsigned int vector, uint32_t prev,
                   uint16_t entry)
{
    if (*ivt(vector) == farptr(stub->rom_seg, entry))
        *ivt(vector) = prev;
}

void tripwire_arm(void)
{
    if (!taken_over)
        xen_note_quiet();
}

int tripwire(struct stub_info *stub)
{
    const char *signal;
    int i;

    if (taken_over)
        return 1;
    if (!nr_bdisks)
        return 0;
    signal = xen_takeover_signal();
    if (!signal)
        return 0;
    taken_over = 1;
    for (i = 0; i < nr_bdisks; i++)
        blkfront_abandon(bdisks[i].vbd);
    xen_abandon();
    unhook(stub, 0x13, stub->prev_int13, stub->int13_entry);
    unhook(stub, 0x15, stub->prev_int15, stub->int15_entry);
    unhook(stub, 0x18, stub->prev_int18, stub->int18_entry);
    unhook(stub, 0x19, stub->prev_int19, stub->int19_entry);
    unhook(stub, 0x10, stub->prev_int10, stub->int10_entry);
    unhook(stub, 0x16, stub->prev_int16, stub->int16_entry);
    unhook(stub, 0x1a, stub->prev_int1a, stub->int1a_entry);
    if (bda_read8(BDA_HDCOUNT) == hdcount_ours)
        bda_write8(BDA_HDCOUNT, hdcount_ours - new_drives);
    log(LOG_INFO, "the OS has taken Xen over (%s): PV disks dropped, calls passed on",
        signal);
    quiesce_report();
    nr_bdisks = 0;
    return 1;
}
