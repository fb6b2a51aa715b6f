; Boot sector for the floor's plain-QEMU test (test_plain_qemu.py): walks INT 15h E820
; the way loaders do (EBX from each answer, until it is 0 or CF is set) and prints every
; entry on COM1 as "E820 base=<16 hex> len=<16 hex> type=<8 hex> next=<8 hex>", then
; "E820 DONE n=<count>", and exits QEMU through isa-debug-exit (port 0xf4).
        bits 16
        org 0x7c00
COM1    equ 0x3f8
MAX     equ 32

%include "boot.inc"

start:
        boot_start
        call serial_init
        xor ebx, ebx
        xor bp, bp
.next:  mov eax, 0xe820
        mov ecx, 20
        mov edx, 0x534d4150             ; "SMAP"
        mov di, entry
        int 0x15
        jc .done
        cmp eax, 0x534d4150
        jne .done
        inc bp
        push ebx
        mov si, s_base
        call puts
        mov eax, [entry + 4]
        call puthex32
        mov eax, [entry]
        call puthex32
        mov si, s_len
        call puts
        mov eax, [entry + 12]
        call puthex32
        mov eax, [entry + 8]
        call puthex32
        mov si, s_type
        call puts
        mov eax, [entry + 16]
        call puthex32
        mov si, s_next
        call puts
        pop ebx
        mov eax, ebx
        call puthex32
        call newline
        test ebx, ebx
        jz .done
        cmp bp, MAX
        jb .next
.done:  mov si, s_done
        call puts
        mov ax, bp
        call puthex8
        call newline
        mov al, 0
        out 0xf4, al                    ; isa-debug-exit
        cli
        hlt

%include "serial.inc"

newline:
        mov al, 13
        call putc
        mov al, 10
        jmp putc

puthex32:                               ; eax
        push eax
        shr eax, 16
        call puthex16
        pop eax
puthex16:                               ; ax
        push ax
        mov al, ah
        call puthex8
        pop ax
puthex8:                                ; al
        push ax
        shr al, 4
        call .nibble
        pop ax
.nibble:
        and al, 15
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'a' - '9' - 1
.out:   jmp putc

s_base: db "E820 base=", 0
s_len:  db " len=", 0
s_type: db " type=", 0
s_next: db " next=", 0
s_done: db "E820 DONE n=", 0
entry:  times 20 db 0

        times 510 - ($ - $$) db 0
        dw 0xaa55
