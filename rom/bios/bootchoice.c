/* xenpvboot/boot: the disk the toolstack wants as drive 80h.
 *
 * Under Xen SeaBIOS gets no bootorder and numbers its own (emulated) disks
 * before it calls any BCV, so a PV disk is 80h only if it takes over the
 * emulated disk there.  The key, written before the guest runs as
 * xenpvboot/twins is (tools/xenpvboot-xl --boot), names a vdev ("xvdb");
 * once the last of our BCVs has numbered its disk, that disk becomes 80h
 * and every drive numbered before it moves up by one, so the others keep
 * their order.  The BIOS's own drives that moved are still served by the
 * BIOS: their calls reach its handler with the number it gave them, and
 * the caller gets its own DL back. */
#include "bios/bootchoice.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "bios/pnp.h"
#include "lib/libc.h"
#include "lib/log.h"
#include "xen/xenstore.h"

#define NAME_MAX_LEN 16

static char wanted[NAME_MAX_LEN];
static int applied;
/* Drives 81h..80h + moved are the BIOS's old 80h..80h + moved - 1. */
static uint8_t moved;

void bootchoice_read(void)
{
    applied = 0;
    moved = 0;
    if (xenstore_read("xenpvboot/boot", wanted, sizeof(wanted)) < 0)
        wanted[0] = '\0';
    if (wanted[0])
        log(LOG_INFO, "xenpvboot/boot is \"%s\"", wanted);
}

static struct bdisk *chosen_disk(void)
{
    char name[PNP_NAME_MAX];
    int i;

    for (i = 0; i < nr_bdisks; i++) {
        if (bdisks[i].vbd->cdrom)       /* SeaBIOS's El Torito boots a CD */
            continue;
        pnp_vdev_name(name, sizeof(name), bdisks[i].vbd->vdev);
        if (!strcmp(name, wanted))
            return &bdisks[i];
    }
    return NULL;
}

static int all_numbered(void)
{
    int i;

    for (i = 0; i < nr_bdisks; i++)
        if (!bdisks[i].drive)
            return 0;
    return 1;
}

void bootchoice_apply(void)
{
    struct bdisk *c;
    uint8_t was;
    int i;

    if (applied || !wanted[0] || !all_numbered())
        return;
    applied = 1;
    c = chosen_disk();
    if (!c) {
        log(LOG_ERR, "xenpvboot/boot: no PV disk %s here: default order", wanted);
        return;
    }
    was = c->drive;
    if (was == 0x80) {
        log(LOG_INFO, "xenpvboot/boot: vbd %u (%s) is drive 80 already", c->vbd->vdev, wanted);
        return;
    }
    for (i = 0; i < nr_bdisks; i++)
        if (bdisks[i].drive < was)
            bdisks[i].drive++;
    c->drive = 0x80;
    moved = (uint8_t)(was - 0x80);
    log(LOG_INFO, "xenpvboot/boot: vbd %u (%s) is drive 80, was %02x; drives 80-%02x moved up one",
        c->vbd->vdev, wanted, was, (unsigned)(was - 1));
}

/* The number the BIOS gave the drive the caller calls @dl, or 0 when the
 * choice did not move it. */
static uint8_t bios_number(uint8_t dl)
{
    return dl > 0x80 && dl <= 0x80 + moved ? (uint8_t)(dl - 1) : 0;
}

int bootchoice_pass_on(struct stub_frame *f, struct stub_info *stub)
{
    struct stub_iret *ret = (struct stub_iret *)(f + 1);
    uint8_t dl = f->dl, bios = bios_number(dl), ah = f->ah;
    struct stub_frame r;
    uint16_t flags;

    if (!bios)
        return 0;
    r = *f;
    r.dl = bios;
    r.chain = 0;
    /* entered as by INT, which clears IF and TF */
    flags = stub_call16(stub, &r, stub->prev_int13, ret->flags & ~0x0300, f);
    r.chain = 0;
    if (ah != 0x08 && ah != 0x15)       /* these two answer in DX */
        r.dl = dl;
    *f = r;
    ret->flags = (uint16_t)((ret->flags & ~FLAG_CF) | (flags & FLAG_CF));
    return 1;
}
