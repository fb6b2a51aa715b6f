/* Leaving Xen and the backend the way the OS's own PV drivers expect
 * (rom/bios/quiesce.c). */
#ifndef XENPVBOOT_QUIESCE_H
#define XENPVBOOT_QUIESCE_H

#include "bios/stub.h"

/* How long the disks must have been idle before a call that is not a disk
 * call (INT 10h, 16h, 1Ah, INT 15h E801h/88h/24xxh) quiesces: longer than
 * the gaps between a loader's reads (SYSLINUX's between files reached
 * 256-660 ms in the nested testbed, where 250 ms cost it four reconnects a
 * boot), shorter than a menu's or a countdown's wait (seconds). */
#define QUIESCE_IDLE_MS 1000u

/* Hook INT 13h, 15h, 18h, 19h and the idle triggers INT 10h, 16h and 1Ah
 * (at BCV time, when there are disks; those init hooked stay as they are). */
void hooks_install(struct stub_info *stub);

/* Init: keep the connection init made (bus up, vbds connected) until the
 * first read, hooking the quiesce points that need no BCV, when SeaBIOS's
 * $PMM shows when POST ends and the image is in PMM.  Returns 1 if kept
 * (the caller leaves the bus up), 0 if the caller must take it down. */
int quiesce_keep_connection(struct stub_info *stub);

/* Init's connection is still up, not yet quiesced. */
int quiesce_connection_kept(void);

/* INT 19h: quiesce, unless it is SeaBIOS's own boot after our BCV with
 * init's connection kept (its first read is block 0, from memory). */
void quiesce_int19(void);

/* An INT 13h call for @drive, not one of ours: quiesces when it comes
 * after SeaBIOS's INT 19h before any call of ours (the BIOS boots
 * another device). */
void quiesce_other_drive(uint8_t drive);

/* The boot is leaving the BIOS (@where: "E820", "INT 18h", "INT 19h"):
 * disconnect every vbd and take the bus down, if it is up. */
void quiesce(const char *where);

/* The disks are in use now (the idle clock restarts). */
void quiesce_disk_used(void);

/* An INT 13h call of ours was served. */
void quiesce_disk_served(void);

/* @where is a non-disk BIOS call: quiesce as above if the disks have been
 * idle for QUIESCE_IDLE_MS. */
void quiesce_if_idle(const char *where);

/* Called at every entry: when the OS has taken Xen over, drop everything
 * without touching Xen, unhook what is still ours, give the drive numbers
 * back and pass every later call through.  Returns 1 once that happened. */
int tripwire(struct stub_info *stub);

/* Called as every entry returns: what tripwire() compares the next entry
 * against (the xenstore ring as we leave it). */
void tripwire_arm(void);

#endif
