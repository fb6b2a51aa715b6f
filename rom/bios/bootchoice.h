/* xenpvboot/boot: the toolstack's choice of the disk that boots as 80h
 * (rom/bios/bootchoice.c). */
#ifndef XENPVBOOT_BOOTCHOICE_H
#define XENPVBOOT_BOOTCHOICE_H

#include <stdint.h>

#include "bios/stub.h"

/* Init, bus up: read the key (a vdev name, "xvdb"), if there is one. */
void bootchoice_read(void);

/* After each BCV: once every disk of ours is numbered, make the chosen one
 * 80h and move the drives that were before it up by one, ours and the
 * BIOS's alike (the rest keep their numbers).  Once per boot. */
void bootchoice_apply(void);

/* INT 13h for a drive that is not ours: when the choice moved it, call the
 * BIOS's handler with the number it knows the drive by and answer the
 * caller ourselves (1); 0 when the call just goes on unchanged. */
int bootchoice_pass_on(struct stub_frame *f, struct stub_info *stub);

#endif
