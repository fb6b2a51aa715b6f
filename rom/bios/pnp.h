/* One $PnP header (boot-menu entry and BCV) per PV disk (rom/bios/pnp.c). */
#ifndef XENPVBOOT_PNP_H
#define XENPVBOOT_PNP_H

#include <stddef.h>
#include <stdint.h>

#include "bios/disk.h"
#include "bios/stub.h"

/* Longest product name a slot holds, NUL included. */
#define PNP_NAME_MAX (STUB_PNP_SLOT - STUB_PNP_NAME)

/* The name users know vdev @vdev by ("xvda", "hdb", "sdc", "xvdaa", "xvdb2"),
 * or "vbd N" for a number libxl never makes; into @buf of @len bytes. */
void pnp_vdev_name(char *buf, size_t len, uint32_t vdev);

/* "20 GiB", "512 MiB", "1.5 TiB": @bytes in the largest binary unit it
 * fills, one decimal below 10 (cut, not rounded). */
void pnp_size_text(char *buf, size_t len, uint64_t bytes);

/* What the backend is, from its xenstore path: "qdisk", "blkback" (vbd),
 * or the path's backend type itself, letters and digits only. */
void pnp_backend_kind(char *buf, size_t len, const char *backend_path);

/* The boot-menu name of @d: "Xen PV disk xvdb 20 GiB (qdisk)". */
void pnp_product_name(char *buf, size_t len, const struct bdisk *d);

/* Name, chain and checksum the first @n $PnP slots of the ROM @stub
 * describes, one per disk of @disks (slot k's BCV serves disk k); the
 * ROM's own checksum is the stub's to fix after init.  Returns how many
 * slots it wrote: at most STUB_PNP_SLOTS, fewer if a slot is not a $PnP
 * header (a stub that does not match this code). */
int pnp_headers_write(struct stub_info *stub, const struct bdisk *disks, int n);

#endif
