/* The BCV: PV disks become BIOS drives (rom/bios/bcv.c). */
#ifndef XENPVBOOT_BCV_H
#define XENPVBOOT_BCV_H

#include "block/blkfront.h"
#include "bios/stub.h"

/* Number the @nr_vbds disks found at init (taking over emulated twins) and
 * hook INT 13h if any is offered.  @f: the BCV's frame, whose stack the
 * calls to the previous INT 13h handler use. */
void bcv_register(struct stub_frame *f, struct stub_info *stub,
                  struct vbd *vbds, int nr_vbds);

#endif
