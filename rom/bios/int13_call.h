/* What the INT 13h dispatcher (rom/bios/int13.c) shares with the handlers
 * of other drive kinds (rom/bios/cdrom.c): a call, a handler, the status
 * codes and the disk address packet.  A handler returns its answer: 0 or
 * more is success with that AH, a negative value the failure -status. */
#ifndef XENPVBOOT_INT13_CALL_H
#define XENPVBOOT_INT13_CALL_H

#include "bios/disk.h"
#include "bios/stub.h"

/* Status codes (AH), as in the IBM/Phoenix BIOS references. */
#define DISK_RET_SUCCESS     0x00
#define DISK_RET_EPARAM      0x01
#define DISK_RET_EWRITEPROT  0x03
#define DISK_RET_ESECTOR     0x04
#define DISK_RET_EBOUNDARY   0x09
#define DISK_RET_EBADTRACK   0x0c
#define DISK_RET_ECONTROLLER 0x20
#define DISK_RET_ETIMEOUT    0x80
#define DISK_RET_ENOTREADY   0xaa

/* What a read/write/verify/seek function asks of the disk. */
enum disk_op { DISK_READ, DISK_WRITE, DISK_VERIFY, DISK_SEEK };

struct int13_call {
    struct stub_frame *f;
    struct stub_iret *ret;
    struct bdisk *d;
    enum disk_op op;
    uint16_t bdf;           /* the platform device, for AH=48h's path */
};

struct int13_handler {
    uint8_t cmd;
    uint8_t op;             /* enum disk_op, for the transfer functions */
    int (*fn)(struct int13_call *c);
};

struct dap {
    uint8_t size;
    uint8_t reserved;
    uint16_t count;
    uint16_t off, seg;
    uint64_t lba;
    uint64_t flat;          /* when size >= 24 and seg:off is FFFF:FFFF */
} __attribute__((packed));

/* A status as a handler's answer: 0, or the failure -status. */
static inline int fail(uint8_t status)
{
    return -(int)status;
}

static inline uint32_t seg_flat(uint16_t seg, uint16_t off)
{
    return (uint32_t)seg * 16 + off;
}

/* In rom/bios/int13.c: the status for a XEN_E* result, and the EDD 3.0
 * device path (36 or, @long_form, 44 bytes at @p) that names @d's vbd. */
uint8_t int13_status_of(int rc);
void int13_edd_device_path(uint8_t *p, int long_form, const struct bdisk *d,
                           uint16_t bdf);

#endif
