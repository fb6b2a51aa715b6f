/* Handover.  The ROM cannot trap the OS's hypercall-MSR write; it only runs
 * when someone calls it.  So it holds as little as possible between calls
 * (blkfront revokes data grants before every INT 13h returns; nothing is
 * connected until the first read), lets go of everything wherever the BIOS
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
#include "lib/log.h"


static int taken_over;
static uint8_t hdcount_ours;    /* 40:75 as we left it at BCV */
static uint8_t new_drives;      /* drives we added to 40:75 */

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

void hooks_install(struct stub_info *stub)
{
    int i;

    /* Each disk's BCV calls this: hook once, count the drives every time. */
    if (stub->prev_int13)
        goto count;
    /* The stub chains to the previous vectors it keeps (the option ROM
     * area is still writable while BCVs run). */
    stub->prev_int13 = hook(stub, 0x13, stub->int13_entry);
    stub->prev_int15 = hook(stub, 0x15, stub->int15_entry);
    stub->prev_int18 = hook(stub, 0x18, stub->int18_entry);
    stub->prev_int19 = hook(stub, 0x19, stub->int19_entry);
    stub->prev_int10 = hook(stub, 0x10, stub->int10_entry);
    stub->prev_int16 = hook(stub, 0x16, stub->int16_entry);
    stub->prev_int1a = hook(stub, 0x1a, stub->int1a_entry);
count:
    new_drives = 0;
    for (i = 0; i < nr_bdisks; i++)
        new_drives += bdisks[i].drive && !bdisks[i].twin;
    hdcount_ours = bda_read8(BDA_HDCOUNT);
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
}

void quiesce(const char *where)
{
    if (!xen_is_up())
        return;
    quiesce_report();
    pv_down();
    log(LOG_INFO, "quiesced at %s: PV disks disconnected, bus down", where);
}

/* Xen time of the last INT 13h call we served while connected. */
static uint64_t disk_used_ns;

void quiesce_disk_used(void)
{
    if (xen_is_up())
        disk_used_ns = xen_time_ns();
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
