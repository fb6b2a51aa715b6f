/* The Xen public interface, as Debian's libxen-dev installs it.
 *
 * The headers are used in place (-idirafter /usr/include), never copied.
 * We pin the interface version rather than take "latest": the ABI we speak
 * (hypercall numbers, struct layouts, xenstore wire format, blkif ring) has
 * been stable since long before 4.6, and pinning keeps a newer header set from
 * silently renaming a field under us.  4.6 is the oldest Xen with everything
 * we call (XENMEM_remove_from_physmap, GNTTABOP_set_version, SCHEDOP_poll).
 *
 * With -m32 the headers select arch-x86_32.h, so xen_ulong_t, the shared
 * ring and blkif_request_t are the x86_32 ABI -- which is why blkfront
 * advertises protocol XEN_IO_PROTO_ABI_X86_32 ("x86_32-abi").
 */
#ifndef XENPVBOOT_XEN_H
#define XENPVBOOT_XEN_H

#ifndef __i386__
#error "xenpvboot speaks the x86_32 Xen ABI: build with -m32"
#endif

#define __XEN_INTERFACE_VERSION__ 0x00040600

#include <stdint.h>
#include <stddef.h>
#include "arch/platform.h"

/* io/ring.h expects the includer to name its barriers for interface
 * versions >= 3.2.8. */
#define xen_mb()  mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()

#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/grant_table.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/ring.h>
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>
#include <xen/io/xs_wire.h>
#include <xen/io/xenbus.h>

#endif
