/* log_printf for the host build: into a capture buffer the tests can
 * search, and to stderr when XENPVBOOT_VERBOSE is set.  Mirrors rom/lib/log.c:
 * "xenpvboot: " prefix, the message up to its first newline, a newline. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "sim.h"

char log_capture[16384];
size_t log_capture_len;

int vsnprintf_lite(char *buf, size_t size, const char *fmt, va_list ap)
{
    return vsnprintf(buf, size, fmt, ap);
}

int snprintf_lite(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void log_printf(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n;

    n = snprintf(line, sizeof(line), "xenpvboot: ");
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
    line[strcspn(line, "\n")] = '\0';
    strncat(line, "\n", sizeof(line) - strlen(line) - 1);
    if (getenv("XENPVBOOT_VERBOSE"))
        fputs(line, stderr);
    n = (int)strlen(line);
    if (log_capture_len + n < sizeof(log_capture)) {
        memcpy(log_capture + log_capture_len, line, n + 1);
        log_capture_len += n;
    }
}
