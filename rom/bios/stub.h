/* The contract between the real-mode stub (rom/bios/entry.S) and the C image. */
#ifndef XENPVBOOT_STUB_H
#define XENPVBOOT_STUB_H

/* Which entry called c_dispatch (its first argument). */
#define STUB_FN_LOAD  0   /* init-time image copy; never reaches C */
#define STUB_FN_INIT  1   /* option ROM init, AX = PCI bus/dev/fn */
#define STUB_FN_BCV   2   /* boot connection vector */
#define STUB_FN_INT13 3   /* INT 13h */
#define STUB_FN_INT15 4   /* INT 15h, first call of an E820 walk only */
#define STUB_FN_INT18 5   /* INT 18h: boot failed, or next device */
#define STUB_FN_INT19 6   /* INT 19h: bootstrap */
/* Calls a loader makes between its last read and the jump to the OS: the
 * ROM quiesces there once no INT 13h call has come for a while. */
#define STUB_FN_INT10 7   /* video */
#define STUB_FN_INT16 8   /* keyboard */
#define STUB_FN_INT1A 9   /* time */
#define STUB_FN_INT15_IDLE 10 /* INT 15h E801h, 88h, 24xxh (memory size, A20) */

/* Offsets the real-mode stub uses, checked against the C structures below
 * (_Static_assert) and against entry.S's own layout (.if/.error there). */
#define STUB_FRAME_AL     36  /* struct stub_frame: eax; init's verdict */
#define STUB_FRAME_CHAIN  40  /* struct stub_frame: chain */
#define STUB_FRAME_SIZE   44
#define STUB_INFO_IMAGE_BASE 12 /* struct stub_info: image_base */
#define STUB_INFO_PREV_INT13 20
#define STUB_INFO_CALL16     24
#define STUB_INFO_LOW_BUF    30
#define STUB_INFO_PREV_INT15 34
#define STUB_INFO_INT10      46
#define STUB_INFO_PREV_INT10 52
#define STUB_INFO_PNP        64
#define STUB_INFO_SIZE       68

/* The $PnP slots of entry.S's pnp_table: one header (STUB_PNP_NAME bytes)
 * and its product name per slot, each slot's BCV entered with AX = its
 * index.  rom/bios/pnp.c names and chains them at init. */
#define STUB_PNP_SLOTS   4
#define STUB_PNP_SLOT    80
#define STUB_PNP_NAME    32

/* With PMM, init takes this much more permanent memory right after the
 * image (which ends on a page, rom/rom32.lds): the read-ahead cache,
 * BLKFRONT_RA_PAGES pages and a segment-list page (rom/bios/services.c
 * checks the sum).  Base memory gets the image alone: no read-ahead there. */
#define STUB_PMM_TAIL (65 * 4096)

/* Where init put the C image. */
#define STUB_IMAGE_PMM     1
#define STUB_IMAGE_BASEMEM 2

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* Registers of the interrupted caller, as the stub pushed them on the
 * caller's stack.  C reads and writes them in place; the stub pops them.
 * When @chain is non-zero the stub enters that real-mode far pointer
 * (offset in the low half) as if by the original INT, instead of returning. */
struct stub_frame {
    uint16_t gs, fs, es, ds;
    union { uint32_t edi; uint16_t di; };
    union { uint32_t esi; uint16_t si; };
    union { uint32_t ebp; uint16_t bp; };
    uint32_t esp_unused;
    union { uint32_t ebx; uint16_t bx; struct { uint8_t bl, bh; }; };
    union { uint32_t edx; uint16_t dx; struct { uint8_t dl, dh; }; };
    union { uint32_t ecx; uint16_t cx; struct { uint8_t cl, ch; }; };
    union { uint32_t eax; uint16_t ax; struct { uint8_t al, ah; }; };
    uint32_t chain;
} __attribute__((packed));

/* After the frame: the INT's return address and flags (INT entries only). */
struct stub_iret {
    uint16_t ip, cs, flags;
} __attribute__((packed));

#define FLAG_CF 0x0001

/* Read-only view of the stub for C (struct mirrors stub_info in entry.S).
 * Writable only until the BIOS locks the option ROM area at boot. */
struct stub_info {
    uint16_t int13_entry, int15_entry, int18_entry, int19_entry;
    uint16_t rom_seg;
    uint16_t pad;
    uint32_t image_base;
    uint32_t image_kind;
    uint32_t prev_int13;  /* far pointer the stub chains to when it cannot run C */
    uint32_t call16_off;  /* far pointer (32-bit offset, selector) to call16 */
    uint16_t call16_sel;
    uint32_t low_buf;     /* flat, 4 KiB below 1 MiB, valid until boot; or 0 */
    uint32_t prev_int15, prev_int18, prev_int19;
    uint16_t int10_entry, int16_entry, int1a_entry;
    uint32_t prev_int10, prev_int16, prev_int1a;
    uint16_t pnp_table;   /* offset of $PnP slot 0 in the ROM */
    uint16_t pnp_pad;
} __attribute__((packed));

_Static_assert(offsetof(struct stub_frame, eax) == STUB_FRAME_AL, "entry.S");
_Static_assert(offsetof(struct stub_frame, chain) == STUB_FRAME_CHAIN, "entry.S");
_Static_assert(sizeof(struct stub_frame) == STUB_FRAME_SIZE, "entry.S");
_Static_assert(offsetof(struct stub_info, image_base) == STUB_INFO_IMAGE_BASE, "entry.S");
_Static_assert(offsetof(struct stub_info, prev_int13) == STUB_INFO_PREV_INT13, "entry.S");
_Static_assert(offsetof(struct stub_info, call16_off) == STUB_INFO_CALL16, "entry.S");
_Static_assert(offsetof(struct stub_info, low_buf) == STUB_INFO_LOW_BUF, "entry.S");
_Static_assert(offsetof(struct stub_info, prev_int15) == STUB_INFO_PREV_INT15, "entry.S");
_Static_assert(offsetof(struct stub_info, int10_entry) == STUB_INFO_INT10, "entry.S");
_Static_assert(offsetof(struct stub_info, prev_int10) == STUB_INFO_PREV_INT10, "entry.S");
_Static_assert(offsetof(struct stub_info, pnp_table) == STUB_INFO_PNP, "entry.S");
_Static_assert(sizeof(struct stub_info) == STUB_INFO_SIZE, "entry.S");

static inline uint32_t farptr(uint16_t seg, uint16_t off)
{
    return (uint32_t)seg << 16 | off;
}

static inline uint32_t farptr_to_flat(uint32_t fp)
{
    return (fp >> 16) * 16u + (fp & 0xffff);
}

/* Real-mode far pointer for a flat address below 1 MiB. */
static inline uint32_t flat_to_farptr(uint32_t flat)
{
    return farptr((uint16_t)(flat >> 4), flat & 15);
}

/* What call_c keeps on the caller's stack just below the frame: the
 * caller's GDTR and port 92h (8 bytes) and its return address (2). */
#define STUB_BELOW_FRAME 16

/* Run the real-mode routine at @target as if by INT, with @regs loaded and
 * stored back and FLAGS image @flags, on the interrupted caller's stack
 * below the entry's frame @frame.  Returns the FLAGS the routine returned.
 * Only for routines that are not ours: see call16 in rom/bios/entry.S. */
uint16_t stub_call16(const struct stub_info *info, struct stub_frame *regs,
                     uint32_t target, uint16_t flags,
                     const struct stub_frame *frame);
#endif

#endif
