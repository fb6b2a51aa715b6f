; CD INT 13h probe: an El Torito no-emulation boot image for the xenpvboot testbed.
; SeaBIOS loads all of it (boot-load-size covers the image) at 0000:7C00 and jumps
; here with DL = the CD's drive number (E0h for the first). It makes a fixed table
; of INT 13h calls on that drive, the same inputs every time, so that the answers of
; two runs on one ISO (SeaBIOS's ATAPI, the ROM's PV) pair up by case name:
;   CD <case> cf=. ax=.... bx=.... cx=.... dx=.... st=.. [dap=....]
;      [sum=........ head=................] [data=<hex>]
; st is 40:74 after the call, dap the packet's block count after it, sum a Fletcher
; sum of the dwords of 10000h-3FFFFh (cleared before every read: it catches stray
; writes as well as the data; its second half weighs each dword by its place, so data
; in the wrong place does not sum alike), head the first 8 bytes at the call's buffer, data the bytes
; an AH=48h or AH=4Bh call filled. The disk's size comes from the primary volume
; descriptor (sector 16, its volume space size at byte 80); build.sh makes the ISO
; without padding so that is the vbd's size. The host parses the lines with
; test/xen/lib/cd_probe.py. Last one INT 15h E820 call (the ROM's hand-over point),
; "CDPROBE DONE" and a halt: the runner destroys us.
bits 16
cpu 386
org 0x7c00

COM1            equ 0x3f8
EDD_BUF         equ 0x0600          ; 80 bytes, cleared before every AH=48h
SPEC_BUF        equ 0x0680          ; 32 bytes, CCh before every AH=4Bh
DAP             equ 0x0700          ; 24 bytes
E820_BUF        equ 0x0720          ; 24 bytes
BUF_SEG         equ 0x1000          ; reads go to 1000:0000 unless a case says
FLAT_BUF        equ 0x30000         ; the 24-byte DAP's 64-bit buffer address
SUM_SEGS        equ 3               ; segments summed: 1000h, 2000h, 3000h
SPEC_LEN        equ 19              ; the El Torito specification packet's size
FAR_LBA         equ 0x7fffff00

F_DAP           equ 1               ; the line shows the DAP's count
F_SUM           equ 2               ; the line shows sum= and head=
F_DATA          equ 4               ; the line shows data= (data_ptr, data_len)

start:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7c00
        sti
        cld
        jmp 0:.cs_zero              ; some BIOSes enter at 07c0:0000
.cs_zero:
        mov [drive], dl
        call serial_init
        mov si, s_start
        call puts
        mov al, [drive]
        call hex8
        mov si, s_ivt
        call puts
        mov ax, [0x13*4 + 2]
        call hex16
        mov al, ':'
        call putc
        mov ax, [0x13*4]
        call hex16
        call crlf
        call probe_info
        call probe_reads
        call probe_bad_reads
        call probe_other
        call e820_first
        mov si, s_done
        call puts
halt:   sti                         ; cli+hlt would make Xen shut the domain down
        hlt                         ; before the runner has looked at it
        jmp halt

%include "serial.inc"

; --- the table -----------------------------------------------------------

; simple NAME, AX, BX, CX: the call with those inputs, DH=0, ES:DI=0, DS:SI=0.
%macro simple 4
        mov word [r_case], %%name
        mov word [in_ax], %2
        mov word [in_bx], %3
        mov word [in_cx], %4
        mov word [in_si], 0
        mov byte [flags], 0
        call int13
        jmp %%done
%%name  db %1, 0
%%done:
%endmacro

; ext NAME, AH, LBA, COUNT: AH=42h/43h/44h/47h on a 16-byte DAP for BUF_SEG:0.
%macro ext 4
        mov word [r_case], %%name
        mov eax, %3
        mov cx, %4
        call dap_fill
        mov byte [in_ax + 1], %2
        call ext_call
        jmp %%done
%%name  db %1, 0
%%done:
%endmacro

; edd NAME, SIZE: AH=48h with a buffer offering SIZE bytes.
%macro edd 2
        mov word [r_case], %%name
        mov ax, %2
        call edd_call
        jmp %%done
%%name  db %1, 0
%%done:
%endmacro

; spec NAME, AL: AH=4Bh (AL 00 terminate, 01 status) into SPEC_BUF.
%macro spec 2
        mov word [r_case], %%name
        mov al, %2
        call spec_call
        jmp %%done
%%name  db %1, 0
%%done:
%endmacro

probe_info:
        simple 'reset', 0x0000, 0, 0
        simple 'status', 0x0100, 0, 0
        simple 'params08', 0x0800, 0, 0
        simple 'type15', 0x1500, 0, 0
        simple 'check41', 0x4100, 0x55aa, 0
        simple 'check41-badbx', 0x4100, 0, 0
        edd 'params48-26', 26
        edd 'params48-30', 30
        edd 'params48-66', 66
        edd 'params48-74', 74
        spec 'spec4b01', 1
        ret

; Reads of 1, 4 and 32 blocks at the start, at the volume descriptor (16, which also
; gives the size), in the middle and at the end.
probe_reads:
        ext 'read-pvd', 0x42, 16, 1
        push es
        push BUF_SEG
        pop es
        mov eax, [es:80]            ; the volume space size, in 2048-byte blocks
        pop es
        test eax, eax
        jnz .sized
        mov eax, 0x1000             ; no ISO 9660 size: the cases still pair up
.sized: mov [total], eax
        ext 'read-lba0', 0x42, 0, 1
        ext 'read-lba16-4', 0x42, 16, 4
        ext 'read-lba16-32', 0x42, 16, 32
        ext 'read-lba17', 0x42, 17, 1
        mov eax, [total]
        shr eax, 1
        mov [lba], eax
        ext 'read-mid-1', 0x42, [lba], 1
        ext 'read-mid-32', 0x42, [lba], 32
        mov eax, [total]
        dec eax
        mov [lba], eax
        ext 'read-last-1', 0x42, [lba], 1
        sub dword [lba], 31
        ext 'read-end-32', 0x42, [lba], 32
        ret

; Counts past 64 KiB, LBAs past the end, odd packets and buffers.
probe_bad_reads:
        ext 'read-count0', 0x42, 16, 0
        ext 'read-count33', 0x42, 16, 33
        ext 'read-count64', 0x42, 16, 64
        ext 'read-count127', 0x42, 16, 127
        ext 'read-count128', 0x42, 16, 128
        mov eax, [total]
        mov [lba], eax
        ext 'read-lba-past', 0x42, [lba], 1
        sub dword [lba], 2
        ext 'read-lbacount-past', 0x42, [lba], 4
        ext 'read-lba-far', 0x42, FAR_LBA, 1
        simple 'status-after-past', 0x0100, 0, 0
        mov word [r_case], c_dap8
        mov eax, 16
        mov cx, 1
        call dap_fill
        mov byte [DAP], 8
        mov byte [in_ax + 1], 0x42
        call ext_call
        mov word [r_case], c_dapres
        mov eax, 16
        mov cx, 1
        call dap_fill
        mov byte [DAP + 1], 1
        mov byte [in_ax + 1], 0x42
        call ext_call
        mov word [r_case], c_dap24
        mov eax, 16
        mov cx, 1
        call dap_fill
        mov byte [DAP], 24          ; seg:off as usual, flat field 0
        mov byte [in_ax + 1], 0x42
        call ext_call
        mov word [r_case], c_flat
        mov eax, 16
        mov cx, 1
        call dap_fill
        mov byte [DAP], 24
        mov dword [DAP + 4], 0xffffffff
        mov dword [DAP + 16], FLAT_BUF
        mov word [head_seg], FLAT_BUF >> 4
        mov byte [in_ax + 1], 0x42
        call ext_call
        mov word [r_case], c_segwrap
        mov eax, 16
        mov cx, 2
        call dap_fill
        mov word [DAP + 4], 0xf800  ; 1000:F800: 4 KiB run past the segment's end
        mov word [head_off], 0xf800
        mov byte [in_ax + 1], 0x42
        call ext_call
        mov word [r_case], c_phys64k
        mov eax, 16
        mov cx, 2
        call dap_fill
        mov word [DAP + 6], 0x1f80  ; 1F80:0000: across the 64 KiB line at 20000h
        mov word [head_seg], 0x1f80
        mov byte [in_ax + 1], 0x42
        call ext_call
        ret

probe_other:
        ext 'verify44', 0x44, 16, 1
        ext 'seek47', 0x47, 16, 1
        ext 'write43', 0x43, 16, 1
        ext 'write43-count0', 0x43, 16, 0
        ext 'verify44-past', 0x44, FAR_LBA, 1
        ext 'seek47-past', 0x47, FAR_LBA, 1
        simple 'status-after-ext', 0x0100, 0, 0
        simple 'read02', 0x0201, 0, 0x0001
        simple 'write03', 0x0301, 0, 0x0001
        simple 'verify04', 0x0401, 0, 0x0001
        simple 'seek0c', 0x0c00, 0, 0x0001
        simple 'reset0d', 0x0d00, 0, 0
        simple 'ready10', 0x1000, 0, 0
        simple 'unknown20', 0x2000, 0, 0
        simple 'after-unknown', 0x0100, 0, 0
        spec 'terminate4b00', 0
        spec 'spec4b01-after', 1
        ext 'read-after-4b00', 0x42, 16, 1
        ret

c_dap8          db 'read-dap8', 0
c_dapres        db 'read-dap-reserved', 0
c_dap24         db 'read-dap24', 0
c_flat          db 'read-dap24-flat', 0
c_segwrap       db 'read-segwrap', 0
c_phys64k       db 'read-phys64k', 0

; e820_first: one INT 15h E820 call with EBX=0, as a loader makes before it jumps to
; the kernel (where the ROM hands its vbds back), and "E820 cf=.".
e820_first:
        mov di, E820_BUF
        mov eax, 0xe820
        xor ebx, ebx
        mov ecx, 24
        mov edx, 0x534d4150         ; 'SMAP'
        int 0x15
        setc [r_cf]
        push 0
        pop ds
        mov si, s_e820
        call puts
        mov al, [r_cf]
        add al, '0'
        call putc
        jmp crlf

; --- calls -----------------------------------------------------------------

; dap_fill: eax = LBA, cx = count. A 16-byte DAP at DAP for BUF_SEG:0; the head is
; read there unless the case moves it.
dap_fill:
        mov word [DAP], 16
        mov [DAP + 2], cx
        mov word [DAP + 4], 0
        mov word [DAP + 6], BUF_SEG
        mov [DAP + 8], eax
        mov dword [DAP + 12], 0
        mov dword [DAP + 16], 0
        mov dword [DAP + 20], 0
        mov word [head_seg], BUF_SEG
        mov word [head_off], 0
        ret

; ext_call: [in_ax + 1] = function. Clears the summed region, calls with DS:SI = DAP.
ext_call:
        call clear_region
        mov byte [in_ax], 0
        mov word [in_bx], 0
        mov word [in_cx], 0
        mov word [in_si], DAP
        mov byte [flags], F_DAP | F_SUM
        jmp int13

; edd_call: ax = buffer size offered. AH=48h on EDD_BUF, zeroed first.
edd_call:
        push ax
        mov di, EDD_BUF
        mov cx, 80
        xor al, al
        rep stosb
        pop ax
        mov [EDD_BUF], ax
        mov [data_len], ax
        mov word [data_ptr], EDD_BUF
        mov word [in_ax], 0x4800
        jmp buf_call

; spec_call: al = subfunction. AH=4Bh on SPEC_BUF, CCh first.
spec_call:
        mov ah, 0x4b
        mov [in_ax], ax
        mov di, SPEC_BUF
        mov cx, 32
        mov al, 0xcc
        rep stosb
        mov word [data_len], SPEC_LEN + 1   ; one past: does anyone write beyond?
        mov word [data_ptr], SPEC_BUF
buf_call:
        mov ax, [data_ptr]
        mov [in_si], ax
        mov word [in_bx], 0
        mov word [in_cx], 0
        mov byte [flags], F_DATA
        jmp int13

; int13: INT 13h with AX, BX, CX, SI from in_*, DL the boot drive, DH 0, DS 0,
; ES:DI 0; keeps the outputs and prints the case's line.
int13:
        mov ax, [in_ax]
        mov bx, [in_bx]
        mov cx, [in_cx]
        mov si, [in_si]
        mov dl, [drive]
        xor dh, dh
        xor di, di
        push es
        push ds
        push ds
        pop es
        int 0x13
        pop ds
        pop es
        mov [r_ax], ax
        mov [r_bx], bx
        mov [r_cx], cx
        mov [r_dx], dx
        setc [r_cf]
        push 0
        pop ds
        mov al, [0x474]
        mov [r_st], al
        jmp print_line

print_line:
        mov si, s_cd
        call puts
        mov si, [r_case]
        call puts
        mov si, s_cf
        call puts
        mov al, [r_cf]
        add al, '0'
        call putc
        mov si, s_ax
        mov ax, [r_ax]
        call field16
        mov si, s_bx
        mov ax, [r_bx]
        call field16
        mov si, s_cx
        mov ax, [r_cx]
        call field16
        mov si, s_dx
        mov ax, [r_dx]
        call field16
        mov si, s_st
        call puts
        mov al, [r_st]
        call hex8
        test byte [flags], F_DAP
        jz .no_dap
        mov si, s_dap
        mov ax, [DAP + 2]
        call field16
.no_dap:
        test byte [flags], F_SUM
        jz .no_sum
        call print_sum
.no_sum:
        test byte [flags], F_DATA
        jz .no_data
        mov si, s_data
        call puts
        mov si, [data_ptr]
        mov cx, [data_len]
.byte:  lodsb
        call hex8
        loop .byte
.no_data:
        jmp crlf

; print_sum: " sum=" the region's sum, " head=" 8 bytes at head_seg:head_off.
print_sum:
        mov si, s_sum
        call puts
        call sum_region
        mov si, s_head
        call puts
        push ds
        mov ds, [head_seg]
        mov si, [cs:head_off]
        mov cx, 8
.byte:  lodsb
        call hex8
        loop .byte
        pop ds
        ret

; clear_region: zeroes SUM_SEGS segments from BUF_SEG.
clear_region:
        push es
        mov dx, BUF_SEG
        mov bx, SUM_SEGS
.seg:   mov es, dx
        xor di, di
        xor eax, eax
        mov cx, 0x4000
        rep stosd
        add dx, 0x1000
        dec bx
        jnz .seg
        pop es
        ret

; sum_region: prints a and b over the region's dwords d, a += d, b += a, mod 2^32
; (cd_probe.py's region_sum).
sum_region:
        push es
        xor ebx, ebx
        xor esi, esi
        mov dx, BUF_SEG
        mov bp, SUM_SEGS
.seg:   mov es, dx
        xor di, di
        mov cx, 0x4000
.dword: add ebx, [es:di]
        add esi, ebx
        add di, 4
        loop .dword
        add dx, 0x1000
        dec bp
        jnz .seg
        pop es
        mov eax, ebx
        call hex32
        mov eax, esi
        jmp hex32

; field16: si = the label, ax = the value.
field16:
        call puts
        jmp hex16

hex32:  push eax
        shr eax, 16
        call hex16
        pop eax
hex16:  push ax
        mov al, ah
        call hex8
        pop ax
hex8:   push ax
        shr al, 4
        call hex4
        pop ax
hex4:   push ax
        and al, 0x0f
        add al, '0'
        cmp al, '9'
        jbe .digit
        add al, 'a' - '0' - 10
.digit: call putc
        pop ax
        ret
crlf:   mov al, 13
        call putc
        mov al, 10
        jmp putc

s_start db 13, 10, 'CDPROBE START drive=', 0
s_ivt   db ' ivt13=', 0
s_done  db 'CDPROBE DONE', 13, 10, 0
s_cd    db 'CD ', 0
s_e820  db 'E820 cf=', 0
s_cf    db ' cf=', 0
s_ax    db ' ax=', 0
s_bx    db ' bx=', 0
s_cx    db ' cx=', 0
s_dx    db ' dx=', 0
s_st    db ' st=', 0
s_dap   db ' dap=', 0
s_sum   db ' sum=', 0
s_head  db ' head=', 0
s_data  db ' data=', 0

drive   db 0
flags   db 0
r_cf    db 0
r_st    db 0
r_case  dw 0
in_ax   dw 0
in_bx   dw 0
in_cx   dw 0
in_si   dw 0
r_ax    dw 0
r_bx    dw 0
r_cx    dw 0
r_dx    dw 0
data_ptr dw 0
data_len dw 0
head_seg dw 0
head_off dw 0
total   dd 0
lba     dd 0

%if ($-$$) > 8192
%error "cdprobe larger than its 8 KiB boot image"
%endif
        times 8192 - ($-$$) db 0
