; INT 13h read benchmark: a boot-sector program for the xenpvboot benchmarks.
; Sector 0 (the MBR) loads the rest of the program from the boot drive, then:
;  1. calibrates the TSC against PIT channel 2 (gate through port 61h, one ~50 ms
;     mode-0 count), so the host can turn cycles into seconds;
;  2. for drive 81h (the ROM's PV drive, with xenpvboot/twins = keep) and then 80h
;     (SeaBIOS's emulated ATA disk, the same image), reads the same region, starting
;     at the same LBA, with INT 13h AH=42h calls of 127, 8 and 1 sectors. Each
;     measurement stops at MAX_BYTES or once it has run MAX_SECONDS, whichever comes
;     first, and reports exactly how many calls and bytes its cycles cover;
;  3. prints "BENCH DONE" and halts with interrupts on (the runner destroys us).
; Every figure is one line on COM1 for test/bench/report.py:
;   TSC pit_ticks=N cycles=N tsc_khz=N
;   BENCH drive=81 sectors=127 calls=N bytes=N cycles=N tsc_khz=N errors=N
; Each sector read is checked against mkdisk.py's pattern ("XPVB" + its LBA), so a
; drive that returns the wrong data cannot post a good figure.
bits 16
cpu 586
org 0x7c00

%include "boot.inc"

%ifndef MAX_SECONDS
%define MAX_SECONDS 50              ; per measurement; keeps each well under a minute
%endif
%ifndef MAX_BYTES
%define MAX_BYTES (64 << 20)        ; the patterned region's size
%endif
%ifndef REGION_LBA
%define REGION_LBA 8192             ; 4 MiB in; build-guest.sh patterns 64 MiB from here
%endif
%defstr MAX_SECONDS_STR MAX_SECONDS
%defstr REGION_LBA_STR REGION_LBA
CODE_SECTORS    equ 7               ; sectors 1..7 hold the rest of the program
COM1            equ 0x3f8
BUF_SEG         equ 0x1000          ; read buffer 0x10000..0x1fdff (127 sectors)
PIT_TICKS       equ 59659           ; 50.000 ms at 1193182 Hz
PIT_HZ          equ 1193182

start:
        boot_start
        jmp 0:.cs_zero              ; some BIOSes enter at 07c0:0000
.cs_zero:
        mov [boot_drive], dl
        call serial_init
        load_rest

; --- serial output (in sector 0 so a load failure can be reported) ---
%include "serial.inc"

halt:                               ; interrupts on: cli+hlt would power the domain off
        sti
        hlt
        jmp halt

s_load_failed:  db "BENCH ERROR load failed", 13, 10, 0
boot_drive:     db 0

        times 510 - ($ - $$) db 0
        dw 0xaa55

; ======================= sectors 1.. =======================
main:
        mov si, s_start
        call puts
        call calibrate_tsc
        call check_drives
        jc .done
        mov dl, 0x81                ; PV first: its figures matter most if time runs out
        call bench_drive
        mov dl, 0x80
        call bench_drive
.done:
        mov si, s_done
        call puts
        jmp halt

; check_drives: CF set (and a line printed) unless 40:75 counts both 80h and 81h.
check_drives:
        push es
        xor ax, ax
        mov es, ax
        mov al, [es:0x475]
        pop es
        cmp al, 2
        jae .ok
        mov si, s_no_81
        call puts
        stc
        ret
.ok:    clc
        ret

; calibrate_tsc: [tsc_khz] = TSC cycles per millisecond, from one PIT channel 2 count of
; PIT_TICKS in mode 0: OUT2 (port 61h bit 5) rises when the count runs out. The PIT
; is the only clock here whose rate is architectural; the TSC's is whatever Xen says.
calibrate_tsc:
        cli                         ; nothing may stretch the window between the reads
        in al, 0x61
        and al, 0xfc                ; speaker data off ...
        or al, 0x01                 ; ... gate 2 on
        out 0x61, al
        mov al, 0xb0                ; channel 2, lobyte/hibyte, mode 0, binary
        out 0x43, al
        mov al, PIT_TICKS & 0xff
        out 0x42, al
        mov al, PIT_TICKS >> 8
        out 0x42, al                ; the count starts now
        rdtsc
        mov [cal_t0], eax
        mov [cal_t0 + 4], edx
.wait:  in al, 0x61
        test al, 0x20
        jz .wait
        rdtsc
        sti
        sub eax, [cal_t0]
        sbb edx, [cal_t0 + 4]       ; edx = 0 for any TSC below 85 GHz
        mov [cal_cycles], eax
        mov ecx, PIT_HZ
        mul ecx                     ; edx:eax = cycles * PIT_HZ
        mov ecx, PIT_TICKS * 1000
        div ecx                     ; eax = cycles per ms
        mov [tsc_khz], eax
        ; the budget in cycles: tsc_khz * 1000 * MAX_SECONDS
        mov ecx, MAX_SECONDS * 1000
        mul ecx
        mov [max_cycles], eax
        mov [max_cycles + 4], edx
        mov si, s_tsc
        call puts
        mov eax, PIT_TICKS
        call put_dec32
        mov si, s_cycles
        call puts
        mov eax, [cal_cycles]
        call put_dec32
        mov si, s_khz
        call puts
        mov eax, [tsc_khz]
        call put_dec32
        mov si, s_crlf
        call puts
        ret

; bench_drive: dl = drive; the three request sizes over the same region.
bench_drive:
        mov [drive], dl
        mov word [count], 127
        call measure
        mov word [count], 8
        call measure
        mov word [count], 1
        call measure
        ret

; measure: AH=42h reads of [count] sectors on [drive] from REGION_LBA on, until the
; next call would pass MAX_BYTES or MAX_SECONDS have gone by; then the BENCH line.
measure:
        xor eax, eax
        mov [calls], eax
        mov [bytes], eax
        mov [errors], eax
        mov dword [lba], REGION_LBA
        movzx eax, word [count]
        shl eax, 9
        mov [chunk], eax
        rdtsc
        mov [t0], eax
        mov [t0 + 4], edx
.call:
        call read_once
        jc .stop
        inc dword [calls]
        mov eax, [chunk]
        add [bytes], eax
        movzx eax, word [count]
        add [lba], eax
        mov eax, [bytes]
        add eax, [chunk]
        cmp eax, MAX_BYTES
        ja .stop                    ; the next call would leave the region
        call elapsed
        cmp edx, [max_cycles + 4]
        jb .call
        ja .stop
        cmp eax, [max_cycles]
        jb .call
.stop:
        call elapsed
        mov [t1], eax
        mov [t1 + 4], edx
        call print_bench
        ret

; elapsed: edx:eax = TSC now - [t0].
elapsed:
        rdtsc
        sub eax, [t0]
        sbb edx, [t0 + 4]
        ret

; read_once: one AH=42h call of [count] sectors at [lba] into BUF_SEG:0 and a check of
; the pattern in its first and last sectors. CF set on a failed call (counted and
; printed); a pattern mismatch is counted in [errors] but does not stop the run.
read_once:
        mov byte [dap], 16
        mov byte [dap + 1], 0
        mov ax, [count]
        mov [dap + 2], ax
        mov word [dap + 4], 0
        mov word [dap + 6], BUF_SEG
        mov eax, [lba]
        mov [dap + 8], eax
        mov dword [dap + 12], 0
        mov si, dap
        mov dl, [drive]
        mov ah, 0x42
        int 0x13
        jc .failed
        mov eax, [lba]
        xor bx, bx
        call check_sector
        movzx ecx, word [count]
        dec ecx
        add eax, ecx                ; the last sector's LBA
        mov bx, cx
        shl bx, 9
        call check_sector
        clc
        ret
.failed:
        mov [fail_ah], ah
        inc dword [errors]
        mov si, s_fail
        call puts
        mov al, [drive]
        call put_hex8
        mov si, s_fail_lba
        call puts
        mov eax, [lba]
        call put_dec32
        mov si, s_fail_ah
        call puts
        mov al, [fail_ah]
        call put_hex8
        mov si, s_crlf
        call puts
        stc
        ret

; check_sector: eax = LBA expected at BUF_SEG:bx; [errors] += 1 on a mismatch.
check_sector:
        push es
        push word BUF_SEG
        pop es
        cmp dword [es:bx], 'XPVB'
        jne .bad
        cmp [es:bx + 4], eax
        je .ok
.bad:   inc dword [errors]
.ok:    pop es
        ret

print_bench:
        mov si, s_bench
        call puts
        mov al, [drive]
        call put_hex8
        mov si, s_sectors
        call puts
        movzx eax, word [count]
        call put_dec32
        mov si, s_calls
        call puts
        mov eax, [calls]
        call put_dec32
        mov si, s_bytes
        call puts
        mov eax, [bytes]
        call put_dec32
        mov si, s_cycles
        call puts
        mov eax, [t1]
        mov edx, [t1 + 4]
        call put_dec64
        mov si, s_khz
        call puts
        mov eax, [tsc_khz]
        call put_dec32
        mov si, s_errors
        call puts
        mov eax, [errors]
        call put_dec32
        mov si, s_crlf
        call puts
        ret

; --- number output ---
put_dec32:                          ; eax
        xor edx, edx
        ; fall through
put_dec64:                          ; edx:eax, unsigned decimal
        push ebx
        push ecx
        push esi
        mov ebx, 10
        xor cx, cx                  ; digits pushed
.split: mov esi, eax                ; long division by 10, high dword first
        mov eax, edx
        xor edx, edx
        div ebx
        xchg eax, esi               ; esi = high quotient, eax = low dword again
        div ebx                     ; edx = digit, eax = low quotient
        push dx
        inc cx
        mov edx, esi
        mov esi, eax
        or esi, edx
        jnz .split
.out:   pop ax
        add al, '0'
        call putc
        loop .out
        pop esi
        pop ecx
        pop ebx
        ret

put_hex8:                           ; al, two hex digits
        push ax
        shr al, 4
        call .nibble
        pop ax
        push ax
        and al, 0x0f
        call .nibble
        pop ax
        ret
.nibble:
        add al, '0'
        cmp al, '9'
        jbe .put
        add al, 'a' - '0' - 10
.put:   jmp putc

s_start:        db "BENCH START max_seconds=", MAX_SECONDS_STR, " region_lba=", REGION_LBA_STR, 13, 10, 0
s_tsc:          db "TSC pit_ticks=", 0
s_cycles:       db " cycles=", 0
s_khz:          db " tsc_khz=", 0
s_bench:        db "BENCH drive=", 0
s_sectors:      db " sectors=", 0
s_calls:        db " calls=", 0
s_bytes:        db " bytes=", 0
s_errors:       db " errors=", 0
s_fail:         db "BENCH ERROR drive=", 0
s_fail_lba:     db " lba=", 0
s_fail_ah:      db " ah=", 0
s_no_81:        db "BENCH ERROR 40:75 counts fewer than 2 disks: no 81h to compare", 13, 10, 0
s_done:         db "BENCH DONE", 13, 10, 0
s_crlf:         db 13, 10, 0

        align 4
dap:            times 16 db 0
cal_t0:         dq 0
cal_cycles:     dd 0
tsc_khz:        dd 0
max_cycles:     dq 0
t0:             dq 0
t1:             dq 0
calls:          dd 0
bytes:          dd 0
errors:         dd 0
lba:            dd 0
chunk:          dd 0
count:          dw 0
drive:          db 0
fail_ah:        db 0

        times (CODE_SECTORS + 1) * 512 - ($ - $$) db 0
