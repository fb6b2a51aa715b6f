/* INT 13h service for the PV disks (rom/bios/int13.c). */
#ifndef XENPVBOOT_INT13_H
#define XENPVBOOT_INT13_H

#include "bios/stub.h"

/* Answers the call in @f when DL names one of our drives (returns 1), else
 * returns 0 and leaves everything untouched.  @bdf: the platform device,
 * for the EDD device path. */
int int13_service(struct stub_frame *f, struct stub_iret *ret, uint16_t bdf);

/* How many calls for an existing hard disk (80h .. 80h + 40:75 - 1) were
 * not ours and went to the BIOS. */
unsigned int int13_passed_on_hd(void);

/* Two log lines for the handover: calls served (and how many returned with
 * data grants live), calls passed on to the BIOS. */
void int13_report(void);

#endif
