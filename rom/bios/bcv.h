/* The BCV: PV disks become BIOS drives (rom/bios/bcv.c). */
#ifndef XENPVBOOT_BCV_H
#define XENPVBOOT_BCV_H

#include "block/blkfront.h"
#include "bios/stub.h"

/* Init, with the Xen bus up: connect and describe the @nr_vbds vbds found
 * (size, first block) into bdisks[], unnumbered; returns how many answered.
 * Also reads xenpvboot/twins. */
int bcv_describe(struct vbd *vbds, int nr_vbds);

/* BCV @k (the $PnP header of disk k): give bdisks[k] its BIOS drive number
 * (taking over its emulated twin if there is one among the drives numbered
 * so far) and hook the vectors at the first call.  @f: the BCV's frame,
 * whose stack the calls to the previous INT 13h handler use. */
void bcv_register(struct stub_frame *f, struct stub_info *stub, unsigned int k);

#endif
