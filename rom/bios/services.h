/* What each entry does beyond the common part in rom/bios/main.c.  The ROM
 * links rom/bios/services.c; the plain-QEMU test build links
 * rom/variants/noxen.c instead (rom/sources.mk). */
#ifndef XENPVBOOT_SERVICES_H
#define XENPVBOOT_SERVICES_H

#include "bios/stub.h"

/* POST, after the platform device was found: find the disks.  Returns
 * nonzero to stay resident, 0 when there is nothing to serve. */
int services_init(struct stub_info *stub, uint32_t bar, uint32_t bar_size);
void services_bcv(struct stub_frame *f, struct stub_info *stub);
void services_int13(struct stub_frame *f, struct stub_info *stub, uint16_t bdf);
/* INT 15h (first call of an E820 walk), 18h, 19h: the boot leaving the
 * BIOS.  Sets f->chain to @prev. */
void services_leaving(struct stub_frame *f, struct stub_info *stub,
                      uint32_t prev, const char *where);
/* INT 19h: as services_leaving, but SeaBIOS's own boot keeps init's
 * connection (rom/bios/quiesce.c quiesce_int19). */
void services_int19(struct stub_frame *f, struct stub_info *stub);

/* INT 10h, 16h, 1Ah and INT 15h E801h/88h/24xxh: what a loader calls
 * between its last read and the jump to the OS.  Quiesces when the disks
 * have been idle for QUIESCE_IDLE_MS (rom/bios/quiesce.h); sets f->chain
 * to @prev. */
void services_idle(struct stub_frame *f, struct stub_info *stub,
                   uint32_t prev, const char *where);

/* Run right after the Xen bus came up at POST, by the self-test build
 * (rom/variants/selftest.c); absent from the others. */
void services_post_selftest(void) __attribute__((weak));

#endif
