/* One PV disk as BIOS drive 80h behind the simulation, and INT 13h calls
 * to it, for the test files that need a drive (test_dap.c, test_format.c,
 * test_takeover_signals.c); several connected vbds for test_reliability.c
 * and test_readahead.c. */
#ifndef TEST_DISK_H
#define TEST_DISK_H

#include "sim.h"
#include "bios/bda.h"
#include "bios/disk.h"
#include "bios/stub.h"

#define TD_BUF_SEG 0x1000           /* real-mode buffer at 10000h */
#define TD_DAP_SEG 0x0800           /* disk address packet at 8000h */

extern struct sim_vbd *td_backend;
extern struct vbd td_vbd[1];
extern struct { struct stub_frame f; struct stub_iret r; } td_call;

/* Drive 80h: a vbd of @sectors 512-byte units in sectors of @sector_size,
 * connected, its geometry from its own sector 0.  0 or -1. */
int td_setup(uint32_t sector_size, uint32_t sectors);
void td_done(void);
/* @n vbds (768, 832, 5632) behind a fresh simulation, each offering
 * @indirect segments per indirect request (0: none, as qdisk), probed and
 * connected into @v, their backends in @b; the drive table left empty.
 * 0 or -1. */
int td_connect_vbds(struct vbd *v, struct sim_vbd **b, unsigned int n,
                    unsigned int indirect);
uint8_t *td_low(uint32_t flat);
/* INT 13h with AX, CX, DX, ES:BX = DS:SI = @seg:@off; 1 if served. */
int td_int13(uint16_t ax, uint16_t cx, uint16_t dx, uint16_t seg, uint16_t off);
int td_cf(void);
/* The 24-byte DAP at TD_DAP_SEG:0. */
void td_dap(uint8_t size, uint16_t count, uint16_t seg, uint16_t off,
            uint64_t lba, uint64_t flat);
uint16_t td_dap_count(void);
/* Runs @fn in a child process and returns its result (0: good), or 128 +
 * the signal that ended it: a crash fails the test, not the run, and the
 * ROM's once-only state (the tripwire) stays the child's. */
int td_in_child(int (*fn)(void));
/* The same for a test function: 0 when its CHECKs passed in the child. */
int td_test_in_child(void (*fn)(void));

#endif
