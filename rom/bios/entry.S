/*
 * xenpvboot: the real-mode side of the ROM.
 *
 * This is the only real-mode code.  It holds the option ROM header, PCIR and
 * $PnP headers, the entry points the BIOS and INT vectors reach, and one pair
 * of mode transitions (real -> 32-bit flat protected -> real) through which
 * every entry calls the C image.
 *
 * Two parts, in this order in the image:
 *   resident  header, entries, transitions, GDT.  Stays in the C0000-EFFFF
 *             window after init; everything the runtime needs.
 *   init      the init entry, PMM allocation and the image loader, then the
 *             32-bit C image itself.  Dropped when init shrinks the ROM.
 *
 * The C image is a static PIE (rom/rom32.lds).  Init copies it into permanent
 * extended memory from PMM (or, without PMM, into base memory taken from
 * 40:13), zeroes its bss and applies its R_386_RELATIVE relocations, so C runs
 * at its load address with flat segments: a pointer is a physical address,
 * which is what Xen's hypercall arguments and grant frames want.  (iPXE's
 * segment-base trick would make every hypercall argument need a virt_to_phys
 * conversion; a relocation loop is 30 bytes of init-only code.)
 *
 * Build-time layout of the C image (offsets into it) comes from
 * build/layout.h, made from the linked image by the Makefile.
 */

#include "layout.h"
#include "bios/stub.h"

#ifndef PCI_VENDOR
#define PCI_VENDOR 0x5853
#endif
#ifndef PCI_DEVICE
#define PCI_DEVICE 0x0001
#endif

/* GDT selectors: see gdt below. */
#define SEL_FLAT_CS  0x08
#define SEL_FLAT_DS  0x10
#define SEL_STUB_CS32 0x18
#define SEL_STUB_CS16 0x20
#define SEL_REAL_DS  0x28

        .code16
        .section .resident, "awx"
        .globl _start
_start:
rom_header:
        .byte 0x55, 0xaa
rom_size:
        .byte 0                         /* romsign.py fills this in */
        jmp init_entry                  /* init vector, offset 3 */
        .org 0x18
        .word pcir
        .word pnp

/* PCI Data Structure, PCI Firmware 3.0. */
        .balign 4
pcir:
        .ascii "PCIR"
        .word PCI_VENDOR
        .word PCI_DEVICE
        .word 0                         /* no vital product data */
        .word pcir_end - pcir
        .byte 3                         /* revision */
        /* Class 0xff80 prog-if 0: what qemu's xen-platform reports
         * (PCI_CLASS_OTHERS << 8 | 0x80).  The ROM logs the value it reads
         * from the device at init, and the testbed checks it. */
        .byte 0x00, 0x80, 0xff
        .word 0                         /* image length: romsign.py */
        .word 0x0001                    /* revision of code */
        .byte 0                         /* code type: x86 PC-AT */
        .byte 0x80                      /* last image */
        .word (resident_end - _start) / 512 /* max runtime length */
        .word 0                         /* config utility code header */
        .word 0                         /* DMTF CLP entry point */
pcir_end:

/* One $PnP expansion header with a BCV per PV disk (STUB_PNP_SLOTS of
 * them, STUB_PNP_SLOT bytes each, the product name after the header):
 * SeaBIOS lists each in its boot menu under its product name and calls each
 * BCV at boot preparation, in boot-list order, while PMM is still up.
 * Init's C writes the names, the chain and the checksums for the disks it
 * found (rom/bios/pnp.c); as built, only the first header is chained.  BEV
 * stays 0: a BEV in the same header would win. */
.macro pnp_slot k
pnp_slot_\k:
        .ascii "$PnP"
        .byte 1                         /* revision */
        .byte 2                         /* length: 32 bytes */
        .word 0                         /* next header: init */
        .byte 0
        .byte 0                         /* checksum: romsign.py, init */
        .long 0                         /* device id */
        .word str_manufacturer
        .word pnp_slot_\k + STUB_PNP_NAME
        .byte 0x00, 0x80, 0x01          /* type: mass storage, other */
        .byte 0x14                      /* device indicators: IPL, boot device */
        .word bcv_entry_\k              /* BCV */
        .word 0                         /* disconnect vector */
        .word 0                         /* BEV */
        .word 0
        .word 0                         /* static resource information */
.if . - pnp_slot_\k != STUB_PNP_NAME
.error "a $PnP header is STUB_PNP_NAME bytes"
.endif
.endm

.macro pnp_name k, text
        .asciz "\text"
        .org pnp_slot_\k + STUB_PNP_SLOT
.endm

        .balign 16
pnp:
pnp_table:
        pnp_slot 0
        pnp_name 0, "Xen PV block disks (xenpvboot)"
        pnp_slot 1
        pnp_name 1, ""
        pnp_slot 2
        pnp_name 2, ""
        pnp_slot 3
        pnp_name 3, ""
pnp_table_end:

str_manufacturer:
        .asciz "xenpvboot"

/*
 * What C needs to know about this stub, at a fixed offset that C finds from
 * the third argument of c_dispatch.  Init fills the variable fields in while
 * the ROM is still writable.  Layout mirrors struct stub_info (rom/bios/stub.h).
 */
        .balign 4
stub_info:
        .word int13_entry
        .word int15_entry
        .word int18_entry
        .word int19_entry
rom_seg:
        .word 0
        .word 0
image_base:
        .long 0
image_kind:
        .long 0                         /* STUB_IMAGE_PMM or _BASEMEM */
prev_int13:
        .long 0                         /* C fills it in when it hooks */
call16_ptr:
        .long call16                    /* C far-calls call16 through this */
        .word SEL_STUB_CS32
low_buf:
        .long 0                         /* 4 KiB below 1 MiB until boot, or 0 */
prev_int15:
        .long 0                         /* C fills these in when it hooks */
prev_int18:
        .long 0
prev_int19:
        .long 0
info_int10:
        .word int10_entry
        .word int16_entry
        .word int1a_entry
prev_int10:
        .long 0                         /* C fills these in when it hooks */
prev_int16:
        .long 0
prev_int1a:
        .long 0
info_pnp:
        .word pnp_table                 /* the $PnP slots C names at init */
        .word 0
stub_info_end:
/* The layout C sees (rom/bios/stub.h, checked there against struct stub_info). */
.if image_base - stub_info != STUB_INFO_IMAGE_BASE || prev_int13 - stub_info != STUB_INFO_PREV_INT13
.error "stub_info does not match STUB_INFO_* in rom/bios/stub.h"
.endif
.if call16_ptr - stub_info != STUB_INFO_CALL16 || low_buf - stub_info != STUB_INFO_LOW_BUF
.error "stub_info does not match STUB_INFO_* in rom/bios/stub.h"
.endif
.if prev_int15 - stub_info != STUB_INFO_PREV_INT15 || stub_info_end - stub_info != STUB_INFO_SIZE
.error "stub_info does not match STUB_INFO_* in rom/bios/stub.h"
.endif
.if info_int10 - stub_info != STUB_INFO_INT10 || prev_int10 - stub_info != STUB_INFO_PREV_INT10
.error "stub_info does not match STUB_INFO_* in rom/bios/stub.h"
.endif
.if info_pnp - stub_info != STUB_INFO_PNP
.error "stub_info does not match STUB_INFO_* in rom/bios/stub.h"
.endif

/* Far pointers the transitions jump through; filled in by init. */
c_entry_ptr:
        .long 0                         /* flat address of c_glue */
        .word SEL_FLAT_CS
c_stack_var:
        .long 0                         /* flat address of the C stack top's home */
real_ptr:
        .word rm_resume
        .word 0                         /* rom_seg */
call16_real_ptr:
        .word call16_rm
        .word 0                         /* rom_seg */

/*
 * Five descriptors, accessed bits preset so the CPU never writes to them
 * (the shadowed ROM area may be read-only at run time).  The stub's own code
 * segments get the ROM's linear base at init, so their offsets are this
 * file's link-time offsets.  The data segment for the way back to real mode
 * is 16-bit with a 4 GiB limit: a caller in "unreal" mode keeps its large
 * limits, and for any other caller a larger limit is invisible.
 */
        .balign 8
gdt:
        .quad 0
        .quad 0x00cf9b000000ffff        /* 0x08 flat 32-bit code */
        .quad 0x00cf93000000ffff        /* 0x10 flat 32-bit data */
gdt_stub_cs32:
        .quad 0x00cf9b000000ffff        /* 0x18 32-bit code, base = ROM */
gdt_stub_cs16:
        .quad 0x00009b000000ffff        /* 0x20 16-bit code, base = ROM */
        .quad 0x008f93000000ffff        /* 0x28 16-bit data, 4 GiB */
gdt_end:
gdt_ptr:
        .word gdt_end - gdt - 1
        .long 0                         /* linear address of gdt: init */

/* Every data segment register := @sel (clobbers %ax). */
.macro load_data_segments sel
        movw $\sel, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %fs
        movw %ax, %gs
        movw %ax, %ss
.endm

/* Real mode -> 32-bit protected mode at @target in the stub's code segment. */
.macro to_protected_mode target
        lgdtl %cs:gdt_ptr
        movl %cr0, %eax
        orb $1, %al
        movl %eax, %cr0
        ljmpl $SEL_STUB_CS32, $\target
.endm

/* 16-bit protected mode -> real mode at the far pointer @ptr; no stack use
 * until the code there has loaded a real SS. */
.macro to_real_mode ptr
        load_data_segments SEL_REAL_DS
        movl %cr0, %eax
        andb $0xfe, %al
        movl %eax, %cr0
        ljmpw *%cs:\ptr
.endm

/*
 * Register frame, pushed on the caller's stack by every entry (struct
 * stub_frame in rom/bios/stub.h): gs fs es ds, then pushal, then a far
 * pointer that C sets to chain the call on to the previous handler (0:
 * return to caller).
 */
.macro push_frame
        pushl $0
        pushal
        pushw %ds
        pushw %es
        pushw %fs
        pushw %gs
.endm

/* Pops all of it but the chain pointer; leaves the flags alone. */
.macro pop_frame_regs
        popw %gs
        popw %fs
        popw %es
        popw %ds
        popal
.endm

/* An INT entry: C answers (iret with the flags image C wrote) or names
 * the previous handler, which we enter as if by the original INT; when C
 * cannot run at all, the previous handler (int_prev, by entry) gets the
 * call. */
.macro int_entry fn
        push_frame
        movl $\fn, %eax
        jmp int_common
.endm

/* The far pointer each INT entry falls back on, by STUB_FN_* from INT13. */
int_prev:
        .word prev_int13, prev_int15, prev_int18, prev_int19
        .word prev_int10, prev_int16, prev_int1a, prev_int15
.if STUB_FN_INT15 - STUB_FN_INT13 != 1 || STUB_FN_INT18 - STUB_FN_INT13 != 2 || STUB_FN_INT19 - STUB_FN_INT13 != 3
.error "int_prev is indexed by STUB_FN_*"
.endif
.if STUB_FN_INT10 - STUB_FN_INT13 != 4 || STUB_FN_INT16 - STUB_FN_INT13 != 5 || STUB_FN_INT1A - STUB_FN_INT13 != 6 || STUB_FN_INT15_IDLE - STUB_FN_INT13 != 7
.error "int_prev is indexed by STUB_FN_*"
.endif

/* call_c left the entry's STUB_FN_* in %edi when it refused. */
int_common:
        call call_c
        jnc int_return
        movw %sp, %bp
        shlw $1, %di
        movw %cs:int_prev - 2 * STUB_FN_INT13(%di), %bx
        movl %cs:(%bx), %eax
        movl %eax, STUB_FRAME_CHAIN(%bp)
        jmp int_return

int13_entry:
        int_entry STUB_FN_INT13

/* INT 18h and 19h: the boot is leaving the BIOS's disks. */
int18_entry:
        int_entry STUB_FN_INT18
int19_entry:
        int_entry STUB_FN_INT19

/* The calls a loader makes after its last read: C quiesces at one of them
 * once the disks have been idle long enough, and always passes it on. */
int10_entry:
        int_entry STUB_FN_INT10
int16_entry:
        int_entry STUB_FN_INT16
int1a_entry:
        int_entry STUB_FN_INT1A

/* INT 15h: the first call of an E820 walk (EAX E820h, EBX 0), and the
 * memory-size and A20 calls (AX E801h, AH 88h, AH 24h) concern us, and C
 * always passes them on; everything else goes straight through (AH 4Fh and
 * 90h/91h come from the BIOS's own interrupt and disk handlers). */
int15_entry:
        cmpl $0xe820, %eax
        jne 2f
#ifndef XENPVBOOT_E820_ALL          /* the floor variant answers every E820 call */
        testl %ebx, %ebx
        jnz 1f
#endif
        int_entry STUB_FN_INT15
2:      cmpw $0xe801, %ax
        je 3f
        cmpb $0x88, %ah
        je 3f
        cmpb $0x24, %ah
        jne 1f
3:      int_entry STUB_FN_INT15_IDLE
1:      ljmpw *%cs:prev_int15

int_return:
        movw %sp, %bp
        cmpl $0, STUB_FRAME_CHAIN(%bp)
        pop_frame_regs                  /* leaves the flags of cmpl alone */
        je 1f
        lret                            /* chain: the INT frame is intact */
1:      addw $4, %sp
        iret

/* BCV k (the $PnP slot k's): far-called by the BIOS at boot preparation.
 * C finds k in the frame's AX; the caller's EAX is kept below the frame. */
.macro bcv_stub k
bcv_entry_\k:
        pushl %eax
        movw $\k, %ax
        jmp bcv_common
.endm
        bcv_stub 0
        bcv_stub 1
        bcv_stub 2
        bcv_stub 3

bcv_common:
        pushfw
        cli
        push_frame
        movl $STUB_FN_BCV, %eax
        call call_c
        pop_frame_regs
        addw $4, %sp
        popfw
        popl %eax                       /* leaves the flags alone */
        lret

/* Init's way back to the BIOS. */
far_return:
        pop_frame_regs
        addw $4, %sp
        popfw
        lret

/*
 * call_c: run c_dispatch(fn, frame, info) in 32-bit flat mode.
 *   in:  %eax = STUB_FN_*, the entry's frame just above our return address,
 *        interrupts off.  Caller-visible state is restored on return: GDTR,
 *        A20, SS:ESP; the entry's epilogue reloads the segment registers.
 *   out: CF set when it refused: CR0.PE was set (a caller in V86 or
 *        protected mode cannot be switched from under its feet); frame
 *        untouched then.
 */
call_c:
        movl %eax, %edi
        smsw %ax
        testb $1, %al
        stc
        jnz 9f
        subw $8, %sp                    /* caller's GDTR (6) and port 92h */
        movw %sp, %bp
        sgdtl (%bp)
        inb $0x92, %al
        movb %al, 6(%bp)
        testb $0x02, %al
        jnz 1f
        orb $0x02, %al                  /* A20 on; never write bit 0 (reset) */
        andb $0xfe, %al
        outb %al, $0x92
1:      xorl %ebx, %ebx
        movw %ss, %bx
        movl %esp, %ebp                 /* the caller's full ESP */
        movl %ebx, %esi
        shll $4, %esi
        movzwl %sp, %eax
        leal 10(%esi,%eax), %esi        /* frame: past GDTR/A20 and ret */
        xorl %edx, %edx
        movw %cs, %dx
        shll $4, %edx
        addl $stub_info, %edx
        to_protected_mode pm32
9:      ret                             /* CF set */

        .code32
pm32:
        load_data_segments SEL_FLAT_DS
        movl %cs:c_stack_var, %esp
        movl (%esp), %esp
        pushl %ebx
        pushl %ebp
        pushl %edx                      /* info */
        pushl %esi                      /* frame */
        pushl %edi                      /* fn */
        lcall *%cs:c_entry_ptr
        addl $12, %esp
        popl %ebp
        popl %ebx
        ljmpl $SEL_STUB_CS16, $pm16

        .code16
pm16:
        to_real_mode real_ptr
rm_resume:
        movw %bx, %ss
        movl %ebp, %esp
        movw %sp, %bp
        lgdtl (%bp)
        testb $0x02, 6(%bp)
        jnz 1f
        inb $0x92, %al                  /* the caller had A20 off */
        andb $0xfc, %al
        outb %al, $0x92
1:      addw $8, %sp
        clc
        ret

/*
 * call16: run a real-mode routine for C as if by INT: C far-calls it through
 * stub_info's call16 pointer with cdecl arguments regs (struct stub_frame *,
 * loaded before and stored back after), target (real-mode far pointer),
 * flags (FLAGS image the routine sees) and stack (flat address under which
 * the real-mode stack goes; C picks SS:SP for it).  Returns the routine's
 * FLAGS.  While it runs, the C stack top moves below us, so an entry of ours
 * that the routine reaches nests instead of trampling this call.
 *
 * Block built on the real-mode stack (offsets from SP at the lret):
 *   0 gs fs es ds, 8 pushal, 40 target, 44 return ip:cs, 48 flags, 50 pad,
 *   52 C esp.  After the routine's iret, rm_call16_back pushes its flags and
 *   registers over the first 48 bytes, leaving C's esp at SP + 44.
 */
        .code32
call16:
        cld
        pushal
        movl %cs:c_stack_var, %eax
        pushl (%eax)
        movl %esp, (%eax)
        movl 44(%esp), %esi             /* regs */
        movl 56(%esp), %edi             /* stack */
        movl %edi, %ebx
        subl $0xfff0, %ebx
        jae 1f
        xorl %ebx, %ebx
1:      shrl $4, %ebx                   /* SS */
        subl $56, %edi                  /* the block, flat */
        movl %edi, %edx
        movl %ebx, %eax
        shll $4, %eax
        subl %eax, %edx                 /* SP */
        movl $10, %ecx
        rep movsl
        movl 48(%esp), %eax
        stosl                           /* target */
        movw $rm_call16_back, %ax
        stosw
        movw %cs:rom_seg, %ax
        stosw
        movl 52(%esp), %eax
        stosl                           /* flags, pad */
        movl %esp, %eax
        stosl
        ljmpl $SEL_STUB_CS16, $call16_pm16

        .code16
call16_pm16:
        to_real_mode call16_real_ptr
call16_rm:
        movw %bx, %ss
        movzwl %dx, %esp
        popw %gs
        popw %fs
        popw %es
        popw %ds
        popal
        lret                            /* "INT": flags and return are stacked */
rm_call16_back:
        cli
        pushfw
        pushal
        pushw %ds
        pushw %es
        pushw %fs
        pushw %gs
        xorl %esi, %esi
        movw %ss, %si
        shll $4, %esi
        movzwl %sp, %eax
        addl %eax, %esi
        to_protected_mode call16_back32

        .code32
call16_back32:
        load_data_segments SEL_FLAT_DS
        cld
        movl 44(%esi), %esp
        movl %cs:c_stack_var, %eax
        popl (%eax)
        movl 40(%esp), %edi             /* regs */
        movl $10, %ecx
        rep movsl
        movzwl (%esi), %eax
        movl %eax, 28(%esp)             /* popal's eax: the routine's FLAGS */
        popal
        lret
        .code16

/* Init rewrites the checksum here when it shrinks the ROM to this point. */
        .skip (-(. - _start + 1)) & 511
resident_checksum:
        .byte 0
resident_end:

/* ------------------------------------------------------------------------
 * Init: everything below is dropped once init has shrunk the ROM.
 */
        .section .initcode, "awx"

/* Init entry, far-called at POST with AX = PCI bus/dev/fn. */
init_entry:
        pushfw
        cli
        push_frame
        movw %cs, %ax
        movw %ax, %ds                   /* init addresses its own ROM via DS */
        smsw %ax
        testb $1, %al
        jnz init_refuse
#if defined(XENPVBOOT_TEST_STEPASIDE)
        /* The soak's control (make soak): an init that finds nothing and
         * shrinks to 0, so a hang it shares is not the protocol code's. */
        movw $msg_stepaside, %si
        call puts
        jmp init_vanish
#elif !defined(XENPVBOOT_TEST_NOXEN)
        call xen_present
        jc init_not_xen
#endif
        call patch_stub
        call image_alloc
        jc init_no_memory
        call image_load
        movl $STUB_FN_INIT, %eax
        call call_c
        movw %cs, %ax
        movw %ax, %ds
        movw %sp, %bp
        cmpb $0, STUB_FRAME_AL(%bp)     /* C's verdict in the frame's AL */
        je init_stay
        call image_free
        jmp init_vanish
init_stay:
        movb $(resident_end - _start) / 512, rom_size
        movw $resident_end - _start, %cx
        movw $resident_checksum, %bx
        call fix_checksum
        jmp init_done
init_refuse:
        movw $msg_refuse, %si
        call puts
        jmp init_vanish
init_no_memory:
        movw $msg_no_memory, %si
        call puts
        jmp init_vanish
init_not_xen:
        movw $msg_not_xen, %si
        call puts
init_vanish:
        /* Size 0: the BIOS reclaims the space and never sees our $PnP. */
        movb $0, rom_size
init_done:
        jmp far_return

/* CF clear when CPUID shows Xen's signature at 0x40000000 + k * 0x100
 * with at least the two leaves after it (the hypercall MSR is in base + 2):
 * the same rule as xen_detect in rom/xen/hypervisor.c. */
xen_present:
        movl $0x40000000, %esi
1:      movl %esi, %eax
        cpuid
        cmpl $0x566e6558, %ebx          /* "XenV" */
        jne 2f
        cmpl $0x65584d4d, %ecx          /* "MMXe" */
        jne 2f
        cmpl $0x4d4d566e, %edx          /* "nVMM" */
        jne 2f
        subl %esi, %eax                 /* leaves after the base */
        cmpl $2, %eax
        jb 2f
        clc
        ret
2:      addl $0x100, %esi
        cmpl $0x40010000, %esi
        jb 1b
        stc
        ret

/* Give the stub's code segments, far pointers and GDTR their linear base. */
patch_stub:
        movw %cs, %ax
        movw %ax, rom_seg
        movw %ax, real_ptr + 2
        movw %ax, call16_real_ptr + 2
        movzwl %ax, %eax
        shll $4, %eax
        movw $gdt_stub_cs32, %bx
        call set_desc_base
        movw $gdt_stub_cs16, %bx
        call set_desc_base
        addl $gdt, %eax
        movl %eax, gdt_ptr + 2
        ret

/* Base %eax into the descriptor at %ds:%bx (bits 0-23 at +2, 24-31 at +7). */
set_desc_base:
        pushl %eax
        movw %ax, 2(%bx)
        shrl $16, %eax
        movb %al, 4(%bx)
        movb %ah, 7(%bx)
        popl %eax
        ret

/*
 * Memory for the C image: permanent extended memory from PMM (SeaBIOS takes
 * it from ZoneHigh, which it reserves in E820, so the OS never reuses it), or
 * base memory below 40:13 without PMM.  4 KiB aligned: the hypercall page and
 * ring pages are page-aligned static arrays of the image.  With PMM the block
 * also holds STUB_PMM_TAIL bytes after the image (read-ahead, stub.h).
 * out: CF clear and image_base/image_kind set, or CF set.
 */
#define IMAGE_ALLOC (IMAGE_MEMSZ + 4096)
#define IMAGE_ALLOC_PMM (IMAGE_ALLOC + STUB_PMM_TAIL)
image_alloc:
#ifdef XENPVBOOT_TEST_NO_PMM
        jmp image_alloc_basemem
#endif
        call pmm_find
        jc image_alloc_basemem
        pushw $0x000a                   /* extended | permanent */
        pushl $0xffffffff               /* no handle */
        pushl $(IMAGE_ALLOC_PMM + 15) / 16
        pushw $0                        /* pmmAllocate */
        lcall *pmm_entry
        addw $12, %sp
        shll $16, %edx
        movw %ax, %dx
        testl %edx, %edx
        jz image_alloc_basemem
        movl %edx, pmm_block
        addl $4095, %edx
        andl $~4095, %edx
        movl %edx, image_base
        movl $STUB_IMAGE_PMM, image_kind
        /* A temporary conventional page for C's real-mode calls at BCV
         * time (PMM frees it at boot); optional. */
        pushw $0x0001                   /* conventional, temporary */
        pushl $0xffffffff
        pushl $4096 / 16
        pushw $0
        lcall *pmm_entry
        addw $12, %sp
        shll $16, %edx
        movw %ax, %dx
        movl %edx, low_buf
        clc
        ret
image_alloc_basemem:
        pushw %es
        xorw %ax, %ax
        movw %ax, %es
        movw %es:0x413, %ax             /* KiB of base memory */
        movw %ax, basemem_before
        subw $(IMAGE_ALLOC + 1023) / 1024, %ax
        jb 8f
        andw $~3, %ax
        cmpw $64, %ax                   /* leave the IVT, BDA and a boot loader room */
        jb 8f
        movw %ax, %es:0x413
        popw %es
        movzwl %ax, %edx
        shll $10, %edx
        movl %edx, image_base
        movl $STUB_IMAGE_BASEMEM, image_kind
        clc
        ret
8:      popw %es
        stc
        ret

/* Undo image_alloc when C declines to stay. */
image_free:
        cmpl $STUB_IMAGE_PMM, image_kind
        jne 1f
        pushl pmm_block
        pushw $2                        /* pmmDeallocate */
        lcall *pmm_entry
        addw $6, %sp
        ret
1:      /* Base memory: give it back, alignment included, only if nobody
         * took more after us. */
        pushw %es
        xorw %ax, %ax
        movw %ax, %es
        movl image_base, %eax
        shrl $10, %eax
        cmpw %ax, %es:0x413
        jne 2f
        movw basemem_before, %ax
        movw %ax, %es:0x413
2:      popw %es
        ret

/* Find "$PMM" on a 16-byte boundary in F0000-FFFFF with a good checksum. */
pmm_find:
        pushw %es
        movw $0xf000, %ax
        movw %ax, %es
        xorw %di, %di
1:      cmpl $0x4d4d5024, %es:(%di)     /* "$PMM" */
        jne 2f
        movzbw %es:5(%di), %cx
        jcxz 2f
        xorb %al, %al
        movw %di, %si
3:      addb %es:(%si), %al
        incw %si
        loop 3b
        testb %al, %al
        jnz 2f
        movl %es:7(%di), %eax           /* entry point, seg:off */
        movl %eax, pmm_entry
        popw %es
        clc
        ret
2:      addw $16, %di
        jnz 1b
        popw %es
        stc
        ret

/* Copy the C image to image_base, zero its bss, relocate it, and point the
 * stub's far pointers at it.  Runs the copy in 32-bit mode through the same
 * transition as every C call, with load32 standing in for c_glue. */
image_load:
        xorl %edx, %edx
        movw %cs, %dx
        shll $4, %edx                   /* ROM linear base */
        leal load32(%edx), %eax
        movl %eax, c_entry_ptr
        /* Not the image's stack: load32 zeroes the bss it lives in. */
        leal load_stack_top(%edx), %eax
        movl %eax, load_stack_home
        leal load_stack_home(%edx), %eax
        movl %eax, c_stack_var
        movl $STUB_FN_LOAD, %eax
        pushal                          /* call_c's frame is unused: any */
        call call_c
        popal
        movw %cs, %ax
        movw %ax, %ds
        movl image_base, %ecx
        leal C_GLUE_OFF(%ecx), %eax
        movl %eax, c_entry_ptr
        leal C_STACK_VAR_OFF(%ecx), %eax
        movl %eax, c_stack_var
        ret

/* Far-called like c_glue (stub_info pointer at 16(%esp)), flat segments.
 * Position-independent: it runs at the ROM's linear address, found by
 * call/pop. */
        .code32
load32:
        cld
        call 1f
1:      popl %edx
        subl $1b, %edx                  /* ROM linear base */
        movl 16(%esp), %eax
        movl STUB_INFO_IMAGE_BASE(%eax), %eax
        leal c_image(%edx), %esi
        movl %eax, %edi
        movl $IMAGE_FILESZ, %ecx
        rep movsb
        movl $IMAGE_MEMSZ - IMAGE_FILESZ, %ecx
        movl %eax, %edx
        xorl %eax, %eax
        rep stosb
        movl %edx, %eax
        leal REL_START(%eax), %esi
        leal REL_END(%eax), %edi
1:      cmpl %edi, %esi
        jae 3f
        cmpb $8, 4(%esi)                /* R_386_RELATIVE; the build rejects others */
        jne 2f
        movl (%esi), %ebx
        addl %eax, (%eax,%ebx)
2:      addl $8, %esi
        jmp 1b
3:      lret
        .code16

/* Checksum byte at %ds:%bx so the first %cx bytes of the ROM sum to zero. */
fix_checksum:
        movb $0, (%bx)
        xorw %si, %si
        xorb %al, %al
1:      addb (%si), %al
        incw %si
        loop 1b
        negb %al
        movb %al, (%bx)
        ret

/* Print the NUL-terminated string at %ds:%si on the debug port. */
puts:
        lodsb
        testb %al, %al
        jz 1f
        outb %al, $0xe9
        jmp puts
1:      ret

msg_not_xen:
        .asciz "xenpvboot: not on Xen; leaving INT 13h, 40:13 and 40:75 untouched\n"
#ifdef XENPVBOOT_TEST_STEPASIDE
msg_stepaside:
        .asciz "xenpvboot: step-aside build; leaving INT 13h, 40:13 and 40:75 untouched\n"
#endif
msg_refuse:
        .asciz "xenpvboot: called in protected mode; not starting\n"
msg_no_memory:
        .asciz "xenpvboot: no memory for the C image (PMM and 40:13 both failed)\n"

        .balign 4
pmm_entry:
        .long 0
pmm_block:
        .long 0
basemem_before:                         /* 40:13 before image_alloc_basemem */
        .word 0
load_stack:                             /* the ROM is RAM while init runs */
        .skip 64
load_stack_top:
load_stack_home:
        .long 0

/* The 32-bit C image (build/rom32.bin), copied out by load32. */
        .balign 16
c_image:
        .incbin IMAGE_BIN
c_image_end:
