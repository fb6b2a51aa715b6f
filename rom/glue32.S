/* The C image's door: far-called from the stub (rom/entry.S, pm32) with flat
 * segments and our own stack, arguments fn, frame, info above the far return
 * address.  Copies them for a near cdecl call and returns far. */
        .code32
        .section .text.glue, "ax"
        .globl c_glue
c_glue:
        pushl 16(%esp)
        pushl 16(%esp)
        pushl 16(%esp)
        call c_dispatch
        addl $12, %esp
        lret

/* The C stack: 16 KiB in bss, which init zeroes. */
        .section .bss.stack, "aw", @nobits
        .balign 16
        .skip 16384
        .globl c_stack_top
c_stack_top:
