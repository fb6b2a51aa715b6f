; INT 13h probe: a boot-sector program for the xenpvboot testbed.
; Sector 0 (the MBR) loads the rest of the program from the boot drive with AH=02,
; then, for the boot drive and every hard disk counted in 40:75, calls the INT 13h
; functions a boot loader may use (00 01 02 04 08 0C 0D 10 15 41 42 44 47 48, an unknown
; one, and deliberately bad inputs), reads a known pattern (sector k starts with
; "XPVB" + dword k, written by mkdisk.py) and, only on a drive whose sector 0 says
; "XENPVBOOT-SCRATCH", writes with AH=03 and AH=43 and reads back. Every result is one
; line on COM1 for the host's parser (test/xen/lib/probe_log.py). Last, one INT 15h E820
; call with EBX=0, as a boot loader makes right before it jumps to the kernel (the ROM
; hands its disks back there), then "PROBE DONE" and a halt: the runner destroys us.
bits 16
cpu 386
org 0x7c00

CODE_SECTORS    equ 15              ; sectors 1..15 hold the rest of the program
COM1            equ 0x3f8
BUF_SEG         equ 0x1000          ; read buffer 0x10000..0x17fff (64 sectors)
EDD_BUF         equ 0x0600          ; 80 bytes, cleared before every AH=48
DAP             equ 0x0700
E820_BUF        equ 0x0720          ; 24 bytes
PATTERN_FIRST   equ 16              ; every sector in [16, 16+PATTERN_RUN) is patterned
PATTERN_RUN     equ 64

start:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7c00
        sti
        jmp 0:.cs_zero              ; some BIOSes enter at 07c0:0000
.cs_zero:
        mov [boot_drive], dl
        call serial_init
        mov si, s_loading
        call puts
        mov ax, 0x0200 | CODE_SECTORS
        mov cx, 0x0002              ; cylinder 0, sector 2
        xor dh, dh
        mov dl, [boot_drive]
        mov bx, 0x7e00
        int 0x13
        jc .load_failed
        jmp main
.load_failed:
        mov si, s_load_failed
        call puts
        jmp halt

; --- serial output (kept in sector 0 so load failures can be reported) ---
%include "serial.inc"

halt:   sti                         ; cli+hlt would make Xen shut the domain down
        hlt                         ; before the runner has looked at it
        jmp halt

boot_drive      db 0
s_loading       db 13, 10, 'PROBE LOADING', 13, 10, 0
s_load_failed   db 'PROBE LOADFAIL', 13, 10, 'PROBE DONE', 13, 10, 0

        times 446-($-$$) db 0
        times 64 db 0               ; no partitions: the probe owns the whole disk
        dw 0xaa55

; ===================== sector 1 onwards =====================
main:
        mov si, s_start
        call puts
        mov al, [boot_drive]
        call hex8
        mov si, s_ivt
        call puts
        mov ax, [0x13*4 + 2]
        call hex16
        mov al, ':'
        call putc
        mov ax, [0x13*4]
        call hex16
        mov si, s_bda75
        call puts
        mov al, [0x475]
        call hex8
        mov si, s_bda13
        call puts
        mov ax, [0x413]
        call hex16
        call crlf

        mov al, [boot_drive]
        call probe_drive
        ; then every hard disk the BIOS counts, skipping the boot drive
        movzx cx, byte [0x475]
        cmp cx, 8
        jbe .count_ok
        mov cx, 8
.count_ok:
        mov al, 0x80
.each:  jcxz .done
        cmp al, [boot_drive]
        je .skip
        push ax
        push cx
        call probe_drive
        pop cx
        pop ax
.skip:  inc al
        dec cx
        jmp .each
.done:
        call e820_first
        mov si, s_done
        call puts
        jmp halt

; e820_first: one INT 15h E820 call with EBX=0 and prints "E820 cf=. eax=.. ebx=.. ecx=..".
; Last thing we do: from here on the ROM owes the OS a quiet Xen (no PV disk connected).
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
        push ecx
        push ebx
        push eax
        mov si, s_e820
        call puts
        mov al, [r_cf]
        add al, '0'
        call putc
        mov si, s_eax
        call puts
        pop eax
        call hex32
        mov si, s_ebx
        call puts
        pop eax
        call hex32
        mov si, s_ecx
        call puts
        pop eax
        call hex32
        jmp crlf

; probe_drive: al = drive number. Runs every probe on it, always in the same order, so
; the host can pair the answers of two drives on one image call by call.
probe_drive:
        mov [drive], al
        mov word [spt], 0
        mov word [maxcyl], 0
        mov dword [total], 0
        mov byte [scratch], 0
        mov si, s_drive
        call puts
        mov al, [drive]
        call hex8
        call crlf
        call probe_info
        call probe_reads
        call probe_other
        call probe_bad_inputs
        cmp byte [scratch], 1
        jne .done
        call probe_writes
.done:  ret

; probe_info: reset, status, geometry, type, EDD check and parameters (4 buffer sizes).
probe_info:
        xor bx, bx                  ; the same inputs on every drive (the boot drive's
        xor cx, cx                  ; would carry the MBR's load registers), so their
        xor dh, dh                  ; answers compare field by field
        mov ax, 0x0000              ; reset
        call int13
        mov ah, 0x01                ; last status
        call int13
        xor di, di                  ; AH=08 may return a table in es:di
        mov ah, 0x08
        call int13
        cmp byte [r_cf], 0
        jne .no_geometry
        mov ax, [r_cx]
        and ax, 0x3f
        mov [spt], ax
        movzx ax, byte [r_dx + 1]
        inc ax
        mov [heads], ax
        mov ax, [r_cx]              ; cylinder bits 9:8 in CL 7:6, 7:0 in CH
        xchg al, ah
        shr ah, 6
        mov [maxcyl], ax
.no_geometry:
        mov ah, 0x15                ; disk type
        call int13
        mov bx, 0x55aa              ; EDD installation check
        mov ah, 0x41
        call int13
        mov si, edd_sizes
.edd:   lodsw
        test ax, ax
        jz .edd_done
        push si
        call edd_params
        pop si
        jmp .edd
.edd_done:
        ret

; probe_reads: CHS and EDD reads of the pattern, single- and multi-sector, near and far.
probe_reads:
        call read_chs_mbr
        mov eax, PATTERN_FIRST      ; single-sector reads of the pattern
        mov cx, 1
        call read_ext
        mov eax, PATTERN_FIRST + PATTERN_RUN - 1
        mov cx, 1
        call read_ext
        mov eax, PATTERN_FIRST      ; a multi-sector read across the run
        mov cx, PATTERN_RUN
        call read_ext
        mov si, far_lbas
.far:   mov eax, [si]
        test eax, eax
        jz .far_done
        push si
        mov cx, 1
        call read_ext
        pop si
        add si, 4
        jmp .far
.far_done:
        mov eax, PATTERN_FIRST      ; CHS reads of the pattern, using AH=08's geometry
        mov cx, 8
        call read_chs
        mov eax, 1000
        mov cx, 1
        call read_chs
        ret

; probe_other: verify, seek, alternate reset, test ready (CHS and EDD forms), an
; unknown function and the status it leaves.
probe_other:
        mov ax, 0x0401              ; verify 1 sector at C0/H0/S1
        mov cx, 0x0001
        xor dh, dh
        call int13
        mov ax, 0x0c01              ; seek to C0/H0/S1 (AL is unused; 1 for strict BIOSes)
        mov cx, 0x0001
        xor dh, dh
        call int13
        mov ah, 0x0d                ; alternate reset
        call int13
        mov ah, 0x10                ; test unit ready
        call int13
        mov eax, PATTERN_FIRST
        mov cx, 1
        call dap_fill
        mov ah, 0x44                ; extended verify
        call int13_dap
        mov eax, PATTERN_FIRST
        mov cx, 1
        call dap_fill
        mov ah, 0x47                ; extended seek
        call int13_dap
        mov word [r_case], c_unknown
        mov ah, 0x20                ; no such function
        call int13
        mov word [r_case], c_after_unknown
        mov ah, 0x01
        call int13
        ret

; probe_bad_inputs: requests a careful BIOS refuses. AH=02: zero sectors, sector 0, a
; cylinder past the end; AH=42: an 8-byte DAP, 128 blocks, an LBA past the end.
probe_bad_inputs:
        mov word [r_case], c_count0
        mov ax, 0x0200
        mov cx, 0x0001
        xor dh, dh
        call int13_buf
        mov word [r_case], c_sector0
        mov ax, 0x0201
        mov cx, 0x0000
        xor dh, dh
        call int13_buf
        mov word [r_case], c_cylpast
        mov ax, [maxcyl]
        add ax, 2                   ; AH=08 may report one cylinder less than there is
        mov ch, al
        mov cl, ah
        shl cl, 6
        or cl, 1
        xor dh, dh
        mov ax, 0x0201
        call int13_buf
        mov eax, PATTERN_FIRST
        mov cx, 1
        call dap_fill
        mov word [DAP], 8
        mov word [r_case], c_dap8
        mov ah, 0x42
        call int13_dap
        mov eax, PATTERN_FIRST
        mov cx, 128
        call dap_fill
        mov word [r_case], c_count128
        mov ah, 0x42
        call int13_dap
        mov eax, [total]            ; first LBA past the end (from AH=48)
        test eax, eax
        jnz .have_total
        mov eax, 0xfffffff0
.have_total:
        mov cx, 1
        call dap_fill
        mov word [r_case], c_lbapast
        mov ah, 0x42
        call int13_dap
        ret

; int13_buf: int13 with es:bx = BUF_SEG:0 (CHS transfers).
int13_buf:
        push es
        push BUF_SEG
        pop es
        xor bx, bx
        call int13
        pop es
        ret

; probe_writes (scratch drives only): AH=03 at LBA 2 (C0/H0/S3) and AH=43 at LBA 3, each
; read back and checked; sectors 0 and 1 are the ROM self-test's.
probe_writes:
        mov eax, 2
        mov cx, 1
        call fill_pattern
        mov ax, 0x0301
        mov cx, 0x0003
        xor dh, dh
        call int13_buf
        mov byte [wr_fn], 0x03
        mov eax, 2
        call verify_write
        mov eax, 3
        mov cx, 1
        call fill_pattern
        mov eax, 3
        mov cx, 1
        call dap_fill
        mov ax, 0x4300              ; AL=0: write without verify
        call int13_dap
        mov byte [wr_fn], 0x43
        mov eax, 3
        call verify_write
        ret

; verify_write: eax = LBA just written (one sector), [r_cf] = the write's CF. Reads it
; back with AH=42 and prints "WRITE drive=.. fn=.. lba=.. count=0001 cf=. ok|bad".
verify_write:
        mov [wr_lba], eax
        mov al, [r_cf]
        mov [wr_cf], al
        mov eax, [wr_lba]
        mov cx, 1
        call read_ext
        mov si, s_write
        call puts
        mov al, [drive]
        call hex8
        mov si, s_fn
        call puts
        mov al, [wr_fn]
        call hex8
        mov si, s_lba
        call puts
        mov eax, [wr_lba]
        call hex32
        mov si, s_count1
        call puts
        mov al, [wr_cf]
        add al, '0'
        call putc
        mov si, s_okbad
        cmp byte [wr_cf], 0
        jne .out
        cmp byte [r_cf], 0
        jne .out
        cmp byte [ok], 1
        jne .out
        mov si, s_ok
.out:   jmp puts

; fill_pattern: eax = first LBA, cx = sectors. Writes mkdisk.py's pattern at BUF_SEG:0.
fill_pattern:
        push es
        push BUF_SEG
        pop es
        xor di, di
.sector:
        mov dword [es:di], 'XPVB'
        mov [es:di + 4], eax
        push cx
        push eax
        add di, 8
        mov cx, 512 - 8
        rep stosb                   ; al = lba & 0xff
        pop eax
        pop cx
        inc eax
        loop .sector
        pop es
        ret

; dap_fill: eax = LBA, cx = count. A 16-byte DAP at DAP for BUF_SEG:0.
dap_fill:
        mov word [DAP], 16
        mov [DAP + 2], cx
        mov word [DAP + 4], 0
        mov word [DAP + 6], BUF_SEG
        mov [DAP + 8], eax
        mov dword [DAP + 12], 0
        ret

; int13_dap: int13 with ds:si = DAP; the line also shows the DAP's block count after.
int13_dap:
        mov si, DAP
        mov byte [r_dap], 1
        jmp int13

; int13: ah = function, other registers as the function needs; dl is set from [drive].
; Calls INT 13h and prints "INT13 drive=.. ah=.. cf=. ax=.... bx=.... cx=.... dx=....".
int13:
        mov [r_fn], ah
        mov dl, [drive]
        push es
        int 0x13
        pop es
        mov [r_ax], ax
        mov [r_bx], bx
        mov [r_cx], cx
        mov [r_dx], dx
        setc [r_cf]
        push 0
        pop ds
        mov si, s_int13
        call puts
        mov al, [drive]
        call hex8
        mov si, s_ah
        call puts
        mov al, [r_fn]
        call hex8
        mov si, s_cf
        call puts
        mov al, [r_cf]
        add al, '0'
        call putc
        mov si, s_ax
        call puts
        mov ax, [r_ax]
        call hex16
        mov si, s_bx
        call puts
        mov ax, [r_bx]
        call hex16
        mov si, s_cx
        call puts
        mov ax, [r_cx]
        call hex16
        mov si, s_dx
        call puts
        mov ax, [r_dx]
        call hex16
        cmp byte [r_dap], 0
        je .no_dap
        mov si, s_dap
        call puts
        mov ax, [DAP + 2]
        call hex16
        mov byte [r_dap], 0
.no_dap:
        cmp word [r_case], 0
        je .no_case
        mov si, s_case
        call puts
        mov si, [r_case]
        call puts
        mov word [r_case], 0
.no_case:
        jmp crlf

; edd_params: ax = buffer size to offer. AH=48, then "EDD drive=.. size=.. cf=. data=<hex>".
edd_params:
        mov [edd_size], ax
        mov di, EDD_BUF
        mov cx, 80
        push ax
        xor al, al
        rep stosb
        pop ax
        mov [EDD_BUF], ax
        mov si, EDD_BUF
        mov ah, 0x48
        call int13
        cmp byte [r_cf], 0
        jne .no_total
        mov eax, [EDD_BUF + 16]     ; total sectors (low dword): for "LBA past the end"
        mov [total], eax
.no_total:
        mov si, s_edd
        call puts
        mov al, [drive]
        call hex8
        mov si, s_size
        call puts
        mov ax, [edd_size]
        call hex16
        mov si, s_cf
        call puts
        mov al, [r_cf]
        add al, '0'
        call putc
        mov si, s_data
        call puts
        mov si, EDD_BUF
        mov cx, [edd_size]
.byte:  lodsb
        call hex8
        loop .byte
        jmp crlf

; clear_buffer: cx = sectors; zeroes them at BUF_SEG:0 so stale data cannot pass.
clear_buffer:
        push es
        push cx
        push BUF_SEG
        pop es
        shl cx, 8                   ; words
        xor di, di
        xor ax, ax
        rep stosw
        pop cx
        pop es
        ret

; check_buffer: eax = first LBA, cx = sectors. Sets [ok] to 1 when every sector
; at BUF_SEG:0 starts with "XPVB" + its own LBA.
check_buffer:
        push es
        push BUF_SEG
        pop es
        xor di, di
        mov byte [ok], 1
.sector:
        cmp dword [es:di], 'XPVB'
        jne .bad
        cmp [es:di + 4], eax
        je .next
.bad:   mov byte [ok], 0
.next:  inc eax
        add di, 512
        loop .sector
        pop es
        ret

; read_ext: eax = LBA, cx = count. AH=42 into BUF_SEG:0, checks the pattern.
read_ext:
        mov [rd_lba], eax
        mov [rd_count], cx
        mov byte [rd_fn], 0x42
        call clear_buffer
        mov eax, [rd_lba]
        call dap_fill
        mov ah, 0x42
        call int13_dap
        jmp report_read

; read_chs: eax = LBA, cx = count. Converts with AH=08's geometry, AH=02, checks.
read_chs:
        mov [rd_lba], eax
        mov [rd_count], cx
        mov byte [rd_fn], 0x02
        cmp word [spt], 0
        je .no_geometry
        call clear_buffer
        mov eax, [rd_lba]
        xor edx, edx
        movzx ebx, word [spt]
        div ebx                     ; eax = lba / spt, edx = sector - 1
        inc dx
        mov [chs_s], dx
        xor edx, edx
        movzx ebx, word [heads]
        div ebx                     ; eax = cylinder, edx = head
        cmp eax, 1023
        ja .no_geometry
        mov ch, al
        mov cl, ah
        shl cl, 6
        or cl, [chs_s]
        mov dh, dl
        mov al, [rd_count]
        push es
        push BUF_SEG
        pop es
        xor bx, bx
        mov ah, 0x02
        call int13
        pop es
        jmp report_read
.no_geometry:
        mov si, s_nogeo
        call puts
        mov al, [drive]
        call hex8
        jmp crlf

; read_chs_mbr: AH=02 of cylinder 0 head 0 sector 1; ok when it ends in 55 AA.
read_chs_mbr:
        mov dword [rd_lba], 0
        mov word [rd_count], 1
        mov byte [rd_fn], 0x02
        mov cx, 1
        call clear_buffer
        push es
        push BUF_SEG
        pop es
        xor bx, bx
        mov cx, 1
        xor dh, dh
        mov ax, 0x0201
        call int13
        call note_scratch
        cmp word [es:510], 0xaa55
        pop es
        sete [ok]
        jmp print_read

; note_scratch: es:0 = sector 0 just read. [scratch] = 1 when it starts with the
; scratch-disk marker: only such a disk may be written.
note_scratch:
        cmp byte [r_cf], 0
        jne .no
        mov si, s_scratch
        xor di, di
        mov cx, s_scratch_len
        repe cmpsb
        jne .no
        mov byte [scratch], 1
.no:    ret

; report_read: after int13 of a read; checks the pattern and prints the READ line.
report_read:
        mov byte [ok], 0
        cmp byte [r_cf], 0
        jne print_read
        mov eax, [rd_lba]
        mov cx, [rd_count]
        call check_buffer
print_read:
        mov si, s_read
        call puts
        mov al, [drive]
        call hex8
        mov si, s_fn
        call puts
        mov al, [rd_fn]
        call hex8
        mov si, s_lba
        call puts
        mov eax, [rd_lba]
        call hex32
        mov si, s_count
        call puts
        mov ax, [rd_count]
        call hex16
        mov si, s_cf
        call puts
        mov al, [r_cf]
        add al, '0'
        call putc
        mov si, s_okbad
        cmp byte [r_cf], 0
        jne .bad
        cmp byte [ok], 1
        jne .bad
        mov si, s_ok
.bad:   call puts
        ret

; --- number formatting ---
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

; Far pattern LBAs (mkdisk.py writes these too); zero ends the list.
far_lbas        dd 1000, 4095, 20000, 32767, 0
; AH=48 buffer sizes: EDD 1.x, 2.x, 3.0, 3.0 + 8 spare bytes; zero ends the list.
edd_sizes       dw 26, 30, 66, 74, 0
s_scratch       db 'XENPVBOOT-SCRATCH'
s_scratch_len   equ $ - s_scratch

s_start db 'PROBE START bootdrive=', 0
s_ivt   db ' ivt13=', 0
s_bda75 db ' bda75=', 0
s_bda13 db ' bda13=', 0
s_done  db 'PROBE DONE', 13, 10, 0
s_e820  db 'E820 cf=', 0
s_eax   db ' eax=', 0
s_ebx   db ' ebx=', 0
s_ecx   db ' ecx=', 0
s_dap   db ' dap=', 0
s_case  db ' case=', 0
s_write db 'WRITE drive=', 0
s_count1 db ' count=0001 cf=', 0
; case= labels: what an INT13 line's call was, where ah alone does not say
c_unknown       db 'unknown', 0
c_after_unknown db 'after-unknown', 0
c_count0        db 'count0', 0
c_sector0       db 'sector0', 0
c_cylpast       db 'cyl-past-end', 0
c_dap8          db 'dap-size8', 0
c_count128      db 'count128', 0
c_lbapast       db 'lba-past-end', 0
s_drive db 'DRIVE ', 0
s_int13 db 'INT13 drive=', 0
s_ah    db ' ah=', 0
s_cf    db ' cf=', 0
s_ax    db ' ax=', 0
s_bx    db ' bx=', 0
s_cx    db ' cx=', 0
s_dx    db ' dx=', 0
s_edd   db 'EDD drive=', 0
s_size  db ' size=', 0
s_data  db ' data=', 0
s_read  db 'READ drive=', 0
s_fn    db ' fn=', 0
s_lba   db ' lba=', 0
s_count db ' count=', 0
s_ok    db ' ok', 13, 10, 0
s_okbad db ' bad', 13, 10, 0
s_nogeo db 'NOGEOMETRY drive=', 0

drive   db 0
r_fn    db 0
r_cf    db 0
ok      db 0
rd_fn   db 0
r_ax    dw 0
r_bx    dw 0
r_cx    dw 0
r_dx    dw 0
spt     dw 0
heads   dw 0
chs_s   dw 0
edd_size dw 0
rd_count dw 0
rd_lba  dd 0
maxcyl  dw 0
total   dd 0
scratch db 0
r_dap   db 0
r_case  dw 0
wr_fn   db 0
wr_cf   db 0
wr_lba  dd 0

%if ($-$$) > 512 * (1 + CODE_SECTORS)
%error "probe larger than the sectors the MBR loads"
%endif
        times 512 * (1 + CODE_SECTORS) - ($-$$) db 0
