/* Leaving Xen and the backend the way the OS's own PV drivers expect
 * (rom/quiesce.c). */
#ifndef XENPVBOOT_QUIESCE_H
#define XENPVBOOT_QUIESCE_H

#include "stub.h"

/* Hook INT 13h, 15h, 18h and 19h (at BCV time, when there are disks). */
void hooks_install(struct stub_info *stub);

/* The boot is leaving the BIOS (@where: "E820", "INT 18h", "INT 19h"):
 * disconnect every vbd and take the bus down, if it is up. */
void quiesce(const char *where);

/* Called at every entry: when the OS has taken Xen over, drop everything
 * without touching Xen, unhook what is still ours, give the drive numbers
 * back and pass every later call through.  Returns 1 once that happened. */
int tripwire(struct stub_info *stub);

/* Called as every entry returns: what tripwire() compares the next entry
 * against (the xenstore ring as we leave it). */
void tripwire_arm(void);

#endif
