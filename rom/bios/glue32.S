/* The C image's door: far-called from the stub (rom/bios/entry.S, pm32) with flat
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

/* The C stack: 16 KiB in bss, which init zeroes.  The stub finds its top
 * through c_stack_var (relocated at load), which call16 lowers while a
 * real-mode routine runs so that entries nest. */
        .section .bss.stack, "aw", @nobits
        .balign 16
        .skip 16384
c_stack_top:

        .section .data.stack, "aw"
        .balign 4
        .globl c_stack_var
c_stack_var:
        .long c_stack_top
