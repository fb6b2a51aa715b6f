; INT 13h probe: a boot-sector program for the xenpvboot testbed.
; Sector 0 (the MBR) loads the rest of the program from the boot drive with AH=02,
; then, for the boot drive and every hard disk counted in 40:75, calls the INT 13h
; functions a boot loader may use (00 01 02 04 08 0C 0D 10 15 41 42 44 47 48, an unknown
; one, and deliberately bad inputs), reads a known pattern (sector k starts with
; "XPVB" + dword k, written by mkdisk.py). What else a drive gets depends on how its
; sector 0 begins: "XENPVBOOT-SCRATCH" writes with AH=03 and AH=43 and reads back
; ("XENPVBOOT-SCRATCH-RESET" then writes 64 sectors and resets the machine),
; "XENPVBOOT-READONLY" writes, formats and verifies that must fail, "XENPVBOOT-SOAK"
; 20 RTC seconds of reads while the host disturbs the backend. Every result is one
; line on COM1 for the host's parser (test/xen/lib/probe_log.py). Then one INT 15h E820
; call with EBX=0, as a boot loader makes right before it jumps to the kernel (the ROM
; hands its disks back there), one read and a second E820 call after it, "PROBE DONE"
; and a halt: the runner destroys us. With a UART at COM2 the host holds us after every
; call ("GRANTCHECK n" on COM1) until it sends a byte there.
bits 16
cpu 386
org 0x7c00

%include "boot.inc"

CODE_SECTORS    equ 31              ; sectors 1..31 hold the rest of the program
COM1            equ 0x3f8
COM2            equ 0x2f8           ; the host's checkpoint channel, when present
BUF_SEG         equ 0x1000          ; read buffer 0x10000..0x17fff (64 sectors)
EDD_BUF         equ 0x0600          ; 80 bytes, cleared before every AH=48
DAP             equ 0x0700
E820_BUF        equ 0x0720          ; 24 bytes
FLAT_BUF        equ 0x18000         ; the flat-DAP read's 512 bytes, past the read buffer
PATTERN_FIRST   equ 32              ; every sector in [32, 32+PATTERN_RUN) is patterned
PATTERN_RUN     equ 64
SOAK_SECONDS    equ 20
SOAK_COUNT      equ 32              ; sectors per soak read
SOAK_MAX_FAILS  equ 8               ; the soak stops after this many failed reads
SOAK_MAX_LINES  equ 8               ; SOAKFAIL and SOAKBAD lines printed, each
GRANT_TIMEOUT   equ 15              ; RTC seconds to wait for the host's byte on COM2
RESET_LBA       equ 8
RESET_COUNT     equ 64
FOURK_LBA       equ 0x20000010          ; 2^29 + 16: 512-byte sector 2^32 + 128

start:
        boot_start
        jmp 0:.cs_zero              ; some BIOSes enter at 07c0:0000
.cs_zero:
        mov [boot_drive], dl
        call serial_init
        mov si, s_loading
        call puts
        load_rest

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
        call com2_detect
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
        call probe_unknown_drive
        call e820_first
        call after_e820
        mov si, s_done
        call puts
        jmp halt

; com2_detect: [com2] = 1 when COM2's scratch register keeps what we write (a UART).
com2_detect:
        mov dx, COM2 + 7
        mov al, 0x5a
        out dx, al
        in al, dx
        cmp al, 0x5a
        jne .absent
        mov al, 0xa5
        out dx, al
        in al, dx
        cmp al, 0xa5
        jne .absent
        mov byte [com2], 1
.absent:
        ret

; probe_unknown_drive: AH=02 for a drive number past every hard disk 40:75 counts.
probe_unknown_drive:
        mov al, [0x475]
        add al, 0x80 + 3
        mov [drive], al
        mov word [r_case], c_unknown_drive
        mov ax, 0x0201
        mov cx, 0x0001
        xor dh, dh
        jmp int13_buf

; after_e820: calls after the hand-over: a read on the boot drive, then E820 again.
after_e820:
        mov si, s_after_e820
        call puts
        mov al, [boot_drive]
        mov [drive], al
        mov eax, PATTERN_FIRST + 2
        mov cx, 1
        call read_ext
        jmp e820_first

; e820_first: one INT 15h E820 call with EBX=0 and prints "E820 cf=. eax=.. ebx=.. ecx=..".
; From the first one on the ROM owes the OS a quiet Xen (no PV disk connected).
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
        call crlf
        jmp grantcheck

; probe_drive: al = drive number. Runs every probe on it, always in the same order, so
; the host can pair the answers of two drives on one image call by call.
probe_drive:
        mov [drive], al
        mov word [spt], 0
        mov word [maxcyl], 0
        mov word [heads], 0
        mov dword [total], 0
        mov byte [scratch], 0
        mov byte [reset], 0
        mov byte [readonly], 0
        mov byte [soak], 0
        mov si, s_drive
        call puts
        mov al, [drive]
        call hex8
        call crlf
        call probe_info
        cmp word [EDD_BUF + 24], 4096 ; bytes per sector, from the last AH=48h
        je probe_4k                 ; (a 4 KiB-sector disk gets only that probe)
        call probe_reads
        call probe_other
        call probe_bad_inputs
        cmp byte [readonly], 1
        jne .not_readonly
        call probe_readonly
.not_readonly:
        cmp byte [soak], 1
        jne .not_soak
        call probe_soak
.not_soak:
        cmp byte [scratch], 1
        jne .done
        call probe_writes
        call probe_write_al3
        cmp byte [reset], 1
        je probe_reset_write
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
; cylinder past the end; AH=42: an 8-byte DAP, 128 blocks, an LBA past the end; then
; the CHS, DAP and flat-address cases below.
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
        call end_lba
        mov cx, 1
        call dap_fill
        mov word [r_case], c_lbapast
        mov ah, 0x42
        call int13_dap
        call probe_bad_chs
        call probe_bad_dap
        call probe_flat_refused
        jmp probe_flat

; probe_flat_refused: flat DAP buffers that are not the caller's: one running past
; 4 GiB (it would wrap onto the IVT), one on the INT 13h handler's own code (the ROM's
; resident stub when the ROM serves the drive).  SeaBIOS ignores the 64-bit address and
; reads to FFFF:FFFF (10FFEFh) instead, as for the flat-dap row.
probe_flat_refused:
        mov eax, PATTERN_FIRST
        mov cx, 2
        call dap_fill
        mov byte [DAP], 24
        mov dword [DAP + 4], 0xffffffff
        mov dword [DAP + 16], 0xfffffe00
        mov dword [DAP + 20], 0
        mov word [r_case], c_flatwrap
        mov ah, 0x42
        call int13_dap
        mov eax, PATTERN_FIRST
        mov cx, 1
        call dap_fill
        mov byte [DAP], 24
        mov dword [DAP + 4], 0xffffffff
        push es
        xor ax, ax
        mov es, ax
        movzx eax, word [es:0x13 * 4 + 2]
        pop es
        shl eax, 4
        mov [DAP + 16], eax
        mov dword [DAP + 20], 0
        mov word [r_case], c_flatrom
        mov ah, 0x42
        jmp int13_dap

; end_lba: eax = the first LBA past the end (from AH=48), or 0xfffffff0 when unknown.
end_lba:
        mov eax, [total]
        test eax, eax
        jnz .known
        mov eax, 0xfffffff0
.known: ret

; probe_bad_chs: AH=02 with 129 sectors, a sector past the track (only when AH=08 gave
; spt < 63, so one is there to name), a head past the last, and 1024 bytes into ES:FE00
; (past ES:FFFF).
probe_bad_chs:
        mov word [r_case], c_count129
        mov ax, 0x0281
        mov cx, 0x0001
        xor dh, dh
        call int13_buf
        mov cx, [spt]
        jcxz .no_sector_past
        cmp cx, 63
        jae .no_sector_past
        inc cx
        mov word [r_case], c_secpast
        mov ax, 0x0201
        xor dh, dh
        call int13_buf
.no_sector_past:
        mov word [r_case], c_headpast
        mov ax, 0x0201
        mov cx, 0x0001
        mov dh, [heads]
        call int13_buf
        mov word [r_case], c_dma
        mov ax, 0x0202
        mov cx, 0x0001
        xor dh, dh
        push es
        push BUF_SEG
        pop es
        mov bx, 0xfe00
        call int13
        pop es
        ret

; probe_bad_dap: AH=42 with a nonzero reserved DAP byte, and 4 blocks from 2 before the end.
probe_bad_dap:
        mov eax, PATTERN_FIRST
        mov cx, 1
        call dap_fill
        mov byte [DAP + 1], 1
        mov word [r_case], c_dapres
        mov ah, 0x42
        call int13_dap
        call end_lba
        sub eax, 2
        mov cx, 4
        call dap_fill
        mov word [r_case], c_lbacount
        mov ah, 0x42
        jmp int13_dap

; probe_flat: AH=42 with a 24-byte DAP, FFFF:FFFF and the 64-bit address FLAT_BUF, then
; "FLAT drive=.. cf=. ok|bad": ok when CF is clear and the LBA's pattern is at FLAT_BUF.
probe_flat:
        push es
        push FLAT_BUF >> 4
        pop es
        xor di, di
        mov cx, 256
        xor ax, ax
        rep stosw
        mov eax, PATTERN_FIRST + 1
        mov cx, 1
        call dap_fill
        mov byte [DAP], 24
        mov dword [DAP + 4], 0xffffffff
        mov dword [DAP + 16], FLAT_BUF
        mov dword [DAP + 20], 0
        mov word [r_case], c_flat
        mov ah, 0x42
        call int13_dap
        mov byte [ok], 0
        cmp dword [es:0], 'XPVB'
        jne .out
        cmp dword [es:4], PATTERN_FIRST + 1
        sete [ok]
.out:   pop es
        mov si, s_flat
        call put_drive_cf
        jmp print_okbad

; int13_buf: int13 with es:bx = BUF_SEG:0 (CHS transfers).
int13_buf:
        push es
        push BUF_SEG
        pop es
        xor bx, bx
        call int13
        pop es
        ret

; probe_4k (a drive whose AH=48h says 4096 bytes per sector): AH=43 of one sector at
; FOURK_LBA, past 2^32 / 8, so the backend's 512-byte sector number needs 33 bits, then
; AH=42 of it back, checked. The sector carries mkdisk.py's 512-byte pattern eight times,
; numbered from FOURK_LBA; dom0 reads it from the backing file for the host's check.
; "FOURK drive=.. lba=........ wcf=. cf=. ok|bad" (wcf: the write's CF, cf: the read's).
probe_4k:
        mov eax, FOURK_LBA
        mov cx, 8
        call fill_pattern
        mov eax, FOURK_LBA
        mov cx, 1
        call dap_fill
        mov ax, 0x4300              ; AL=0: write without verify
        call int13_dap
        mov al, [r_cf]
        mov [wr_cf], al
        mov cx, 8
        call clear_buffer
        mov eax, FOURK_LBA
        mov cx, 1
        call dap_fill
        mov ah, 0x42
        call int13_dap
        mov byte [ok], 0
        cmp byte [r_cf], 0
        jne .print
        mov eax, FOURK_LBA
        mov cx, 8
        call check_buffer
.print: mov si, s_fourk
        call puts
        mov al, [drive]
        call hex8
        mov si, s_lba
        call puts
        mov eax, FOURK_LBA
        call hex32
        mov si, s_wcf
        call puts
        mov al, [wr_cf]
        add al, '0'
        call putc
        call put_cf
        jmp print_okbad

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

; probe_write_al3 (scratch drives): AH=43 with AL=3, a write mode that does not exist.
probe_write_al3:
        mov eax, 4
        mov cx, 1
        call dap_fill
        mov word [r_case], c_write_al3
        mov ax, 0x4303
        jmp int13_dap

; probe_reset_write ("XENPVBOOT-SCRATCH-RESET" drives): one AH=43 of RESET_COUNT patterned
; sectors at RESET_LBA, "RESETWRITE drive=.. cf=.", then a reset: does the write survive it?
probe_reset_write:
        mov eax, RESET_LBA
        mov cx, RESET_COUNT
        call fill_pattern
        mov eax, RESET_LBA
        mov cx, RESET_COUNT
        call dap_fill
        mov word [r_case], c_reset_write
        mov ax, 0x4300
        call int13_dap
        mov si, s_resetwrite
        call put_drive_cf
        call crlf
        jmp reset_machine

; reset_machine: the reset control register, then the keyboard controller, then a triple
; fault (an interrupt with an empty IDT); each only if the one before did not reset us.
reset_machine:
        mov dx, 0xcf9
        mov al, 0x06
        out dx, al
        call io_delay
        mov al, 0xfe
        out 0x64, al
        call io_delay
        lidt [no_idt]
        int 3

; io_delay: some 64K port-80h writes (tens of ms) for a reset request to take effect.
io_delay:
        mov cx, 0xffff
.wait:  out 0x80, al
        loop .wait
        ret

; probe_readonly ("XENPVBOOT-READONLY" drives): writes, a format and verifies.
probe_readonly:
        mov word [r_case], c_ro_write03
        mov ax, 0x0301
        mov cx, 0x0003
        xor dh, dh
        call int13_buf
        mov word [r_case], c_ro_format05
        mov ax, 0x0501
        mov cx, 0x0001
        xor dh, dh
        mov bx, format_fields
        call int13
        mov eax, 2
        mov cx, 1
        call dap_fill
        mov word [r_case], c_ro_write43
        mov ax, 0x4300
        call int13_dap
        mov word [r_case], c_ro_verify04
        mov ax, 0x0401
        mov cx, 0x0001
        xor dh, dh
        call int13
        mov eax, PATTERN_FIRST
        mov cx, 1
        call dap_fill
        mov word [r_case], c_ro_verify44
        mov ah, 0x44
        jmp int13_dap

; probe_soak ("XENPVBOOT-SOAK" drives): AH=42 reads of SOAK_COUNT patterned sectors for
; SOAK_SECONDS RTC seconds or SOAK_MAX_FAILS failures, while the host disturbs the backend.
probe_soak:
        xor eax, eax
        mov [sk_reads], eax
        mov [sk_ok], eax
        mov [sk_failed], eax
        mov [sk_corrupt], eax
        mov [sk_max], ax
        mov si, s_soak_start
        call puts
        mov al, [drive]
        call hex8
        call crlf
        call rtc_seconds
        mov [sk_start], eax
.call:  call soak_read
        call grantcheck
        cmp dword [sk_failed], SOAK_MAX_FAILS
        jae .end
        mov eax, [sk_start]
        call rtc_since
        cmp eax, SOAK_SECONDS
        jb .call
.end:   jmp soak_report

; soak_read: one soak read, at PATTERN_FIRST + (call index mod 33), timed and classified.
soak_read:
        mov eax, [sk_reads]
        xor edx, edx
        mov ebx, PATTERN_RUN - SOAK_COUNT + 1
        div ebx
        lea eax, [edx + PATTERN_FIRST]
        mov [rd_lba], eax
        mov cx, SOAK_COUNT
        call clear_buffer
        mov eax, [rd_lba]
        mov cx, SOAK_COUNT
        call dap_fill
        call rtc_seconds
        mov [sk_t0], eax
        mov si, DAP
        mov ah, 0x42
        call int13_call
        mov eax, [sk_t0]
        call rtc_since
        mov [sk_secs], ax
        cmp ax, [sk_max]
        jbe .timed
        mov [sk_max], ax
.timed: inc dword [sk_reads]
        cmp byte [r_cf], 0
        jne soak_failed
        mov eax, [rd_lba]
        mov cx, SOAK_COUNT
        call check_buffer
        cmp byte [ok], 1
        jne soak_corrupt
        inc dword [sk_ok]
        ret

; soak_failed: a read with CF set; "SOAKFAIL drive=.. n=.. ah=.. secs=.." (the first 8).
soak_failed:
        inc dword [sk_failed]
        cmp dword [sk_failed], SOAK_MAX_LINES
        ja .quiet
        mov si, s_soakfail
        call soak_line
        mov si, s_ah
        call puts
        mov al, [r_ax + 1]
        call hex8
        mov si, s_secs
        call puts
        mov ax, [sk_secs]
        call hex16
        jmp crlf
.quiet: ret

; soak_corrupt: a read with CF clear but wrong data; "SOAKBAD drive=.. n=.." (the first 8).
soak_corrupt:
        inc dword [sk_corrupt]
        cmp dword [sk_corrupt], SOAK_MAX_LINES
        ja .quiet
        mov si, s_soakbad
        call soak_line
        jmp crlf
.quiet: ret

; soak_line: si = line head; prints it, the drive and n = this call's index.
soak_line:
        call puts
        mov al, [drive]
        call hex8
        mov si, s_n
        call puts
        mov eax, [sk_reads]
        dec eax
        jmp hex32

; soak_report: "SOAK END drive=.. reads=.. ok=.. failed=.. corrupt=.. maxsecs=..".
soak_report:
        mov si, s_soak_end
        call puts
        mov al, [drive]
        call hex8
        mov si, s_reads
        call puts
        mov eax, [sk_reads]
        call hex32
        mov si, s_sk_ok
        call puts
        mov eax, [sk_ok]
        call hex32
        mov si, s_failed
        call puts
        mov eax, [sk_failed]
        call hex32
        mov si, s_corrupt
        call puts
        mov eax, [sk_corrupt]
        call hex32
        mov si, s_maxsecs
        call puts
        mov ax, [sk_max]
        call hex16
        jmp crlf

; grantcheck: with a UART at COM2, "GRANTCHECK n" and a wait of up to GRANT_TIMEOUT RTC
; seconds for the host's byte there; a timeout says so and ends the checkpoints. Keeps
; every register, so the calls after it get the same inputs as without COM2.
grantcheck:
        cmp byte [com2], 0
        je .done
        pushad
        inc word [checks]
        mov si, s_grantcheck
        call puts
        mov ax, [checks]
        call hex16
        call crlf
        call rtc_seconds
        mov [gc_start], eax
.poll:  mov dx, COM2 + 5
        in al, dx
        test al, 1                  ; data ready
        jnz .got
        mov eax, [gc_start]
        call rtc_since
        cmp eax, GRANT_TIMEOUT
        jb .poll
        mov byte [com2], 0
        mov si, s_gc_timeout
        call puts
        jmp .out
.got:   mov dx, COM2
        in al, dx
.out:   popad
.done:  ret

; rtc_since: eax = an earlier rtc_seconds; returns the seconds since, across midnight.
rtc_since:
        push ebx
        mov ebx, eax
        call rtc_seconds
        sub eax, ebx
        jnc .done
        add eax, 86400
.done:  pop ebx
        ret

; rtc_seconds: eax = the CMOS clock's time of day in seconds. Not 40:6C: the ROM under
; test runs with interrupts off, so the BIOS tick count stalls during its calls.
rtc_seconds:
        push ebx
        mov al, 0x0b                ; status B: binary or BCD, 12- or 24-hour
        call cmos_read
        mov [rtc_b], al
.uip:   mov al, 0x0a
        call cmos_read
        test al, 0x80               ; update in progress
        jnz .uip
        mov al, 0x04
        call cmos_read
        mov bl, al                  ; bit 7: PM in 12-hour mode
        and al, 0x7f
        call cmos_binary
        test byte [rtc_b], 2        ; 24-hour mode
        jnz .have_hour
        cmp al, 12
        jne .am_pm
        xor al, al
.am_pm: test bl, 0x80
        jz .have_hour
        add al, 12
.have_hour:
        movzx eax, al
        imul ebx, eax, 60
        mov al, 0x02
        call cmos_read
        call cmos_binary
        movzx eax, al
        add ebx, eax
        imul ebx, ebx, 60
        mov al, 0x00
        call cmos_read
        call cmos_binary
        movzx eax, al
        add eax, ebx
        pop ebx
        ret

; cmos_read: al = CMOS register; returns its value.
cmos_read:
        out 0x70, al
        in al, 0x71
        ret

; cmos_binary: al = an RTC field; converts it from BCD unless register B says binary.
cmos_binary:
        test byte [rtc_b], 4
        jnz .done
        push cx
        mov cl, al
        and cl, 0x0f
        shr al, 4
        mov ch, 10
        mul ch
        add al, cl
        pop cx
.done:  ret

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

; int13_call: ah = function, other registers as the function needs; dl is set from
; [drive]. Calls INT 13h and keeps CF, AX..DX and the status byte at 40:74 it left.
int13_call:
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
        mov al, [0x474]
        mov [r_st], al
        ret

; int13: int13_call, then "INT13 drive=.. ah=.. cf=. ax=.... bx=.... cx=.... dx=.... st=.."
; and a grant checkpoint.
int13:
        call int13_call
        mov si, s_int13
        call puts
        mov al, [drive]
        call hex8
        mov si, s_ah
        call puts
        mov al, [r_fn]
        call hex8
        call put_cf
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
        mov si, s_st
        call puts
        mov al, [r_st]
        call hex8
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
        call crlf
        jmp grantcheck

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
        call put_cf
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
        call note_markers
        cmp word [es:510], 0xaa55
        pop es
        sete [ok]
        jmp print_read

; note_markers: es:0 = sector 0 just read. Sets the flag of every marker it starts with
; (see markers): only a scratch disk may be written. Keeps bx: the next reads print it.
note_markers:
        cmp byte [r_cf], 0
        jne .done
        push bx
        mov bx, markers
.next:  mov si, [bx]
        test si, si
        jz .end
        xor di, di
        mov cx, [bx + 2]
        repe cmpsb
        jne .skip
        mov di, [bx + 4]
        mov byte [di], 1
.skip:  add bx, 6
        jmp .next
.end:   pop bx
.done:  ret

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
        call put_cf
        ; fall through

; print_okbad: " ok" when [r_cf] is clear and [ok] is 1, else " bad"; ends the line.
print_okbad:
        mov si, s_okbad
        cmp byte [r_cf], 0
        jne .bad
        cmp byte [ok], 1
        jne .bad
        mov si, s_ok
.bad:   jmp puts

; put_drive_cf: si = the line's label. Prints it, [drive] and " cf=" [r_cf].
put_drive_cf:
        call puts
        mov al, [drive]
        call hex8
        ; fall through

; put_cf: " cf=" and [r_cf] as a digit.
put_cf:
        mov si, s_cf
        call puts
        mov al, [r_cf]
        add al, '0'
        jmp putc

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
; Sector-0 markers: string, length, the flag set when sector 0 starts with it; 0 ends them.
markers         dw s_scratch, s_scratch_len, scratch
                dw s_reset, s_reset_len, reset
                dw s_readonly, s_readonly_len, readonly
                dw s_soak, s_soak_len, soak
                dw 0
s_scratch       db 'XENPVBOOT-SCRATCH'
s_scratch_len   equ $ - s_scratch
s_reset         db 'XENPVBOOT-SCRATCH-RESET'
s_reset_len     equ $ - s_reset
s_readonly      db 'XENPVBOOT-READONLY'
s_readonly_len  equ $ - s_readonly
s_soak          db 'XENPVBOOT-SOAK'
s_soak_len      equ $ - s_soak
; AH=05's address field for its one sector: cylinder 0, head 0, sector 1, 512 bytes (N=2)
format_fields   db 0, 0, 1, 2
; lidt operand for reset_machine's triple fault: limit 0, base 0
no_idt          dw 0, 0, 0

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
s_fourk db 'FOURK drive=', 0
s_wcf   db ' wcf=', 0
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
c_count129      db 'count129', 0
c_secpast       db 'sector-past-track', 0
c_headpast      db 'head-past-end', 0
c_dma           db 'dma-boundary', 0
c_dapres        db 'dap-reserved', 0
c_lbacount      db 'lba-count-past-end', 0
c_flat          db 'flat-dap', 0
c_flatwrap      db 'flat-wrap', 0
c_flatrom       db 'flat-rom', 0
c_unknown_drive db 'unknown-drive', 0
c_write_al3     db 'write-al3', 0
c_reset_write   db 'reset-write', 0
c_ro_write03    db 'ro-write03', 0
c_ro_format05   db 'ro-format05', 0
c_ro_write43    db 'ro-write43', 0
c_ro_verify04   db 'ro-verify04', 0
c_ro_verify44   db 'ro-verify44', 0
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
s_st    db ' st=', 0
s_flat  db 'FLAT drive=', 0
s_after_e820 db 'AFTER E820', 13, 10, 0
s_resetwrite db 'RESETWRITE drive=', 0
s_soak_start db 'SOAK START drive=', 0
s_soak_end db 'SOAK END drive=', 0
s_soakfail db 'SOAKFAIL drive=', 0
s_soakbad db 'SOAKBAD drive=', 0
s_n     db ' n=', 0
s_secs  db ' secs=', 0
s_reads db ' reads=', 0
s_sk_ok db ' ok=', 0
s_failed db ' failed=', 0
s_corrupt db ' corrupt=', 0
s_maxsecs db ' maxsecs=', 0
s_grantcheck db 'GRANTCHECK ', 0
s_gc_timeout db 'GRANTCHECK TIMEOUT', 13, 10, 0

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
r_st    db 0
reset   db 0
readonly db 0
soak    db 0
com2    db 0
rtc_b   db 0
checks  dw 0
gc_start dd 0
sk_start dd 0
sk_t0   dd 0
sk_reads dd 0
sk_ok   dd 0
sk_failed dd 0
sk_corrupt dd 0
sk_max  dw 0
sk_secs dw 0

%if ($-$$) > 512 * (1 + CODE_SECTORS)
%error "probe larger than the sectors the MBR loads"
%endif
        times 512 * (1 + CODE_SECTORS) - ($-$$) db 0
