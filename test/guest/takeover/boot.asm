; Boot sector of the takeover test guest (test/guest/takeover/README.md).
; Loads the guest program from LBA 1 to 1000:0000 with INT 13h AH=42 -- these
; are the guest's first reads through the ROM -- and jumps there with DL = the
; boot drive.  mkimage.py patches the sector count and the mode string in.
bits 16
org 0x7c00

%include "boot.inc"

PROG_SEG   equ 0x1000
CHUNK      equ 32               ; sectors per AH=42 call (16 KiB, one segment step)

start:
    boot_start
    mov [drive], dl
    mov cx, [nsect]
    mov word [dap_seg], PROG_SEG
    mov dword [dap_lba], 1
.next:
    jcxz .done
    mov ax, cx
    cmp ax, CHUNK
    jbe .size
    mov ax, CHUNK
.size:
    mov [dap_count], ax
    push cx
    mov si, dap
    mov dl, [drive]
    mov ah, 0x42
    int 0x13
    pop cx
    jc fail
    mov ax, [dap_count]
    sub cx, ax
    add [dap_lba], ax           ; LBA stays far below 64 Ki
    shl ax, 5                   ; sectors -> paragraphs
    add [dap_seg], ax
    jmp .next
.done:
    mov dl, [drive]
    jmp PROG_SEG:0

; No UART set-up here: a raw byte on COM1 and the debug port is enough to
; tell a load failure apart from a hang.
fail:
    mov dx, 0x3f8
    mov al, '!'
    out dx, al
    out 0xe9, al
.halt:
    hlt
    jmp .halt

drive:  db 0
align 4
dap:    db 16, 0
dap_count: dw 0
        dw 0                    ; offset
dap_seg: dw 0
dap_lba: dd 0, 0

    times 0x1a0 - ($ - $$) db 0
mode:   times 16 db 0           ; 0x1a0: scenario mode, NUL-padded (mkimage.py)
nsect:  dw 0                    ; 0x1b0: program sectors after the MBR (mkimage.py)
    times 510 - ($ - $$) db 0
    dw 0xaa55
