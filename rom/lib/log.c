/* rom/lib/log.h: a small printf for one-line diagnostics on the debug port. */
#include "lib/log.h"
#include "arch/platform.h"

#include <stdint.h>

#define LOG_LINE_MAX 160

struct out {
    char *buf;
    size_t size, len;
};

static void out_putc(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* *v /= base, returning the remainder, with 32-bit divisions only: the ROM
 * links no libgcc, so 64-bit '/' and '%' are not available. */
static unsigned int divmod(unsigned long long *v, unsigned int base)
{
    uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v, rem;
    uint64_t mid;

    rem = hi % base;
    hi /= base;
    mid = (uint64_t)rem << 32 | lo;
    /* mid < base << 32, so the quotient fits in 32 bits: one divl. */
    __asm__("divl %[b]" : "=a"(lo), "=d"(rem)
            : "a"((uint32_t)mid), "d"((uint32_t)(mid >> 32)), [b] "rm"(base));
    *v = (unsigned long long)hi << 32 | lo;
    return rem;
}

static void out_number(struct out *o, unsigned long long v, unsigned int base,
                       int upper, int negative, int width, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;

    do
        tmp[n++] = digits[divmod(&v, base)];
    while (v);
    if (negative && pad == '0')
        out_putc(o, '-');
    for (width -= n + negative; width > 0; width--)
        out_putc(o, pad);
    if (negative && pad != '0')
        out_putc(o, '-');
    while (n)
        out_putc(o, tmp[--n]);
}

static void out_string(struct out *o, const char *s, int width)
{
    int n = 0;

    if (!s)
        s = "(null)";
    while (s[n])
        n++;
    for (width -= n; width > 0; width--)
        out_putc(o, ' ');
    while (*s)
        out_putc(o, *s++);
}

/* The conversion after '%': flags and width already taken from *fmt. */
static const char *out_conversion(struct out *o, const char *fmt, va_list *ap)
{
    char pad = ' ';
    int width = 0, longs = 0;
    unsigned long long v;

    if (*fmt == '0')
        pad = *fmt++;
    while (*fmt >= '0' && *fmt <= '9')
        width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l') {
        longs++;
        fmt++;
    }
    switch (*fmt) {
    case 'd':
    case 'i': {
        long long s = longs > 1 ? va_arg(*ap, long long)
                      : longs   ? va_arg(*ap, long)
                                : va_arg(*ap, int);
        v = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
        out_number(o, v, 10, 0, s < 0, width, pad);
        break;
    }
    case 'u':
    case 'x':
    case 'X':
        v = longs > 1 ? va_arg(*ap, unsigned long long)
            : longs   ? va_arg(*ap, unsigned long)
                      : va_arg(*ap, unsigned int);
        out_number(o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', 0, width, pad);
        break;
    case 'p':
        out_string(o, "0x", 0);
        out_number(o, (uintptr_t)va_arg(*ap, void *), 16, 0, 0, 8, '0');
        break;
    case 's':
        out_string(o, va_arg(*ap, const char *), width);
        break;
    case 'c':
        out_putc(o, (char)va_arg(*ap, int));
        break;
    case '%':
        out_putc(o, '%');
        break;
    default:      /* unknown: show it rather than guess at its argument */
        out_putc(o, '%');
        if (!*fmt)
            return fmt;
        out_putc(o, *fmt);
        break;
    }
    return fmt + 1;
}

int vsnprintf_lite(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%')
            out_putc(&o, *fmt++);
        else
            fmt = out_conversion(&o, fmt + 1, &args);
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf_lite(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf_lite(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* One line: prefix, message (truncated to the line buffer), newline.  Xen
 * flushes a guest's port 0xe9 output to its console on '\n'. */
void log_printf(const char *fmt, ...)
{
    static const char prefix[] = "xenpvboot: ";
    char line[LOG_LINE_MAX];
    const char *p;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf_lite(line, sizeof(line), fmt, ap);
    va_end(ap);
    for (p = prefix; *p; p++)
        platform_debug_putc(*p);
    for (p = line; *p && *p != '\n'; p++)
        platform_debug_putc(*p);
    platform_debug_putc('\n');
}
