/* Diagnostics: one line per event to the debug port, prefixed "xenpvboot: ".
 *
 * LOG_LEVEL is chosen at build time (make LOG_LEVEL=N); messages above it are
 * compiled out, so a quiet ROM carries neither their strings nor their calls.
 * Formats: %s %c %d %i %u %x %X %p and the l/ll length modifiers, with an
 * optional '0' flag and field width (e.g. %08x, %llu). */
#ifndef XENPVBOOT_LOG_H
#define XENPVBOOT_LOG_H

#include <stdarg.h>
#include <stddef.h>

#define LOG_ERR   1   /* something failed; the boot goes on without it */
#define LOG_INFO  2   /* one line per significant event (default) */
#define LOG_DEBUG 3   /* protocol detail */
#define LOG_TRACE 4   /* every request */

#ifndef LOG_LEVEL
#define LOG_LEVEL LOG_INFO
#endif

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf_lite(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf_lite(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log(level, ...)                                                     \
    do {                                                                    \
        if ((level) <= LOG_LEVEL)                                           \
            log_printf(__VA_ARGS__);                                        \
    } while (0)

#endif
