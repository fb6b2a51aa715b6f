; The takeover guest's only assembly: its 16-bit entry, the switch to 32-bit
; flat protected mode, and a trampoline that lets the C code call the BIOS
; (back to real mode, INT n, back again).  Linked at 0x10000 (link.lds), the
; MBR loads it there and enters at 1000:0000.  Everything real mode touches
; lives in .text16, the first 64 KiB, so real-mode offsets are "label - $$".
bits 16
section .text16 progbits alloc exec write align=16

RM_SEG    equ 0x1000
RM_STACK  equ 0x7000            ; real-mode stack top (below the MBR at 7c00)
PM_STACK  equ 0x80000           ; protected-mode stack top (below the EBDA)

SEL_CODE32 equ 0x08
SEL_DATA32 equ 0x10
SEL_CODE16 equ 0x18             ; base 0x10000: the bridge out of protected mode
SEL_DATA16 equ 0x20

extern guest_main, __bss_start, __bss_end
global _start16, bios_call, rm_halt, rm_iret, bios_regs, boot_drive

_start16:
    cli
    xor ax, ax
    mov ss, ax
    mov sp, RM_STACK
    mov ax, RM_SEG
    mov ds, ax
    mov [boot_drive - $$], dl
    in al, 0x92                 ; fast A20 on, never the reset bit
    or al, 2
    and al, 0xfe
    out 0x92, al
    lgdt [gdt_desc - $$]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32:pm_start

bits 32
pm_start:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, PM_STACK
    cld
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    xor eax, eax
    rep stosb
    call guest_main
    jmp rm_halt

; void bios_call(unsigned int vector): INT vector in real mode with the
; registers in bios_regs, which get the results (and the flags) back.
bios_call:
    pushad
    mov eax, [esp + 36]
    mov [int_insn + 1], al      ; patch the "int imm8" below
    mov byte [halt_flag], 0
    jmp to_real

; void rm_halt(void): real mode, interrupts on, hlt forever.  (cli;hlt would
; make Xen power the domain off before dom0 has collected its state.)
rm_halt:
    pushad
    mov byte [halt_flag], 1
to_real:
    mov [pm_esp], esp
    jmp SEL_CODE16:(pm16 - $$)

bits 16
pm16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xfe
    mov cr0, eax
    jmp RM_SEG:(real - $$)
real:
    xor ax, ax
    mov ss, ax
    mov sp, RM_STACK
    mov fs, ax
    mov gs, ax
    mov ax, RM_SEG
    mov ds, ax
    lidt [rm_idt - $$]
    cmp byte [halt_flag - $$], 0
    jne halt_loop
    mov eax, [r_eax - $$]
    mov ebx, [r_ebx - $$]
    mov ecx, [r_ecx - $$]
    mov edx, [r_edx - $$]
    mov esi, [r_esi - $$]
    mov edi, [r_edi - $$]
    mov ebp, [r_ebp - $$]
    mov es, [r_es - $$]
    push word [r_ds - $$]
    pop ds
    sti                         ; the BIOS expects interrupts as a caller leaves them
int_insn:
    int 0x13
    cli
    mov [cs:r_eax - $$], eax
    mov [cs:r_ebx - $$], ebx
    mov [cs:r_ecx - $$], ecx
    mov [cs:r_edx - $$], edx
    mov [cs:r_esi - $$], esi
    mov [cs:r_edi - $$], edi
    mov [cs:r_ebp - $$], ebp
    mov [cs:r_ds - $$], ds
    mov [cs:r_es - $$], es
    pushfd
    pop dword [cs:r_eflags - $$]
    mov ax, RM_SEG
    mov ds, ax
    lgdt [gdt_desc - $$]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32:pm_back
halt_loop:
    sti
    hlt
    jmp halt_loop

; Where a vector nobody else handles may safely land (the OS part points
; the event-channel callback vector here: interrupts are on in real mode).
rm_iret:
    iret

bits 32
pm_back:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, [pm_esp]
    popad
    ret

align 16
gdt:
    dq 0
    dq 0x00cf9a000000ffff       ; 0x08 code32 flat
    dq 0x00cf92000000ffff       ; 0x10 data32 flat
    dq 0x00009a010000ffff       ; 0x18 code16, base 0x10000
    dq 0x000092000000ffff       ; 0x20 data16, base 0
gdt_end:
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt
rm_idt:
    dw 0x3ff
    dd 0
pm_esp:    dd 0
halt_flag: db 0
boot_drive: db 0
align 4
; struct bregs in main.c: keep the order
bios_regs:
r_eax:    dd 0
r_ebx:    dd 0
r_ecx:    dd 0
r_edx:    dd 0
r_esi:    dd 0
r_edi:    dd 0
r_ebp:    dd 0
r_eflags: dd 0
r_ds:     dw 0
r_es:     dw 0
