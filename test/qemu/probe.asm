; Boot sector for the plain-QEMU tests: reports what an option ROM must not
; change (the INT 13h vector, 40:75, 40:13), then reads LBA 1 and 2 of the
; boot drive with AH=02h and AH=42h and checks the pattern the test wrote
; there ("XPVB" + the LBA as a dword), all on COM1, then exits QEMU through
; isa-debug-exit (port 0xf4).
        bits 16
        org 0x7c00

%include "boot.inc"

start:
        boot_start
        mov [drive], dl
        call serial_init
        mov si, s_vec
        call puts
        mov ax, [0x13*4+2]
        call puthex16
        mov al, ':'
        call putc
        mov ax, [0x13*4]
        call puthex16
        mov si, s_hd
        call puts
        mov al, [0x475]
        call puthex8
        mov si, s_base
        call puts
        mov ax, [0x413]
        call puthex16
        call newline

        mov ax, 0x0201                  ; CHS read: cylinder 0, head 0, sector 2
        mov cx, 0x0002
        xor dh, dh
        mov dl, [drive]
        mov bx, buf
        int 0x13
        mov si, s_chs
        mov ebx, 1
        call report

        mov si, dap                     ; EDD read of LBA 2
        mov ah, 0x42
        mov dl, [drive]
        int 0x13
        mov si, s_edd
        mov ebx, 2
        call report

        mov si, s_done
        call puts
        mov al, 0
        out 0xf4, al                    ; isa-debug-exit
        cli
        hlt

; Print "READ <how> lba=N ok|bad" for the buffer, CF and AH of the last call.
report:
        pushf
        call puts
        popf
        jc .bad
        cmp dword [buf], 'XPVB'
        jne .bad
        cmp [buf+4], ebx
        jne .bad
        mov si, s_ok
        jmp puts
.bad:
        mov si, s_bad
        jmp puts

serial_init:
        mov dx, 0x3f9
        xor al, al
        out dx, al                      ; no interrupts
        mov dx, 0x3fb
        mov al, 0x80
        out dx, al                      ; DLAB
        mov dx, 0x3f8
        mov al, 1
        out dx, al                      ; 115200
        inc dx
        xor al, al
        out dx, al
        mov dx, 0x3fb
        mov al, 3
        out dx, al                      ; 8N1
        ret

putc:
        push dx
        push ax
        mov dx, 0x3fd
.wait:  in al, dx
        test al, 0x20
        jz .wait
        pop ax
        mov dx, 0x3f8
        out dx, al
        pop dx
        ret

puts:
        lodsb
        test al, al
        jz .end
        call putc
        jmp puts
.end:   ret

newline:
        mov al, 13
        call putc
        mov al, 10
        jmp putc

puthex16:
        push ax
        mov al, ah
        call puthex8
        pop ax
puthex8:
        push ax
        shr al, 4
        call .nib
        pop ax
.nib:   and al, 15
        add al, '0'
        cmp al, '9'
        jbe putc
        add al, 7
        jmp putc

s_vec   db "PROBE int13=", 0
s_hd    db " hd=", 0
s_base  db " basemem=", 0
s_chs   db "READ chs lba=1 ", 0
s_edd   db "READ edd lba=2 ", 0
s_ok    db "ok", 13, 10, 0
s_bad   db "bad", 13, 10, 0
s_done  db "PROBE DONE", 13, 10, 0

        align 4
dap:    db 16, 0
        dw 1                            ; sectors
        dw buf, 0                       ; buffer 0000:buf
        dq 2                            ; LBA
drive   db 0

        times 510-($-$$) db 0
        dw 0xaa55
buf     equ 0x8000
