/* CD-ROM vbds as BIOS drives: the El Torito drive SeaBIOS booted, served
 * over PV (rom/bios/cdrom.c). */
#ifndef XENPVBOOT_CDROM_H
#define XENPVBOOT_CDROM_H

#include "bios/disk.h"
#include "bios/int13_call.h"
#include "bios/prevbios.h"

#define CDROM_SHIFT   11        /* 2048-byte sectors */
#define CDROM_FIRST   0xe0      /* SeaBIOS's first CD drive number */
#define CDROM_MAX     4

/* At the BCV: connect CD vbd @v and, when the previous handler has its
 * emulated twin (same IDE index, same primary volume descriptor), fill in
 * @d to take over the twin's drive number.  0 when offered; otherwise the
 * CD stays the emulated drive's alone (the reason is logged). */
int cdrom_offer(struct bios_query *q, struct bdisk *d, struct vbd *v);

/* The handler of function @cmd for a CD drive of ours, NULL when the
 * function is not one (answered 01h, as SeaBIOS does). */
const struct int13_handler *cdrom_int13_handler(uint8_t cmd);

/* 1 when the BIOS answers @cmd for our CD drives: the functions about the
 * drive's removable-media and boot state, which SeaBIOS keeps. */
int cdrom_int13_chains(uint8_t cmd);

#endif
