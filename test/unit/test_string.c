/* rom/lib/string.c, the ROM's own C library subset, against the host's:
 * the same answers on every length and alignment the ROM can meet. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* The ROM's functions under names of their own, beside the C library's. */
#define memcpy rom_memcpy
#define memmove rom_memmove
#define memset rom_memset
#define memcmp rom_memcmp
#define strlen rom_strlen
#define strnlen rom_strnlen
#define strncmp rom_strncmp
#define strcmp rom_strcmp
#define strchr rom_strchr
#include "../../rom/lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strncmp
#undef strcmp
#undef strchr

#define BUF 96

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 31 + i * 7);
}

static void test_string_copies(void)
{
    unsigned char a[BUF], b[BUF], src[BUF];

    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n + off + 8 <= BUF; n++) {
            fill(src, BUF, (unsigned int)n);
            memset(a, 0xee, BUF);
            memset(b, 0xee, BUF);
            CHECK(rom_memcpy(a + off, src + 3, n) == a + off);
            memcpy(b + off, src + 3, n);
            CHECK(!memcmp(a, b, BUF));
            CHECK(rom_memset(a + off, (int)n, n) == a + off);
            memset(b + off, (int)n, n);
            CHECK(!memcmp(a, b, BUF));
        }
}

static void test_string_overlapping_moves(void)
{
    unsigned char a[BUF], b[BUF];

    for (size_t d = 0; d < 16; d++)
        for (size_t n = 0; n + 16 <= BUF; n++) {
            fill(a, BUF, (unsigned int)(d + n));
            memcpy(b, a, BUF);
            rom_memmove(a + d, a, n);           /* forward overlap */
            memmove(b + d, b, n);
            CHECK(!memcmp(a, b, BUF));
            rom_memmove(a, a + d, n);           /* backward overlap */
            memmove(b, b + d, n);
            CHECK(!memcmp(a, b, BUF));
        }
}

static void test_string_compares(void)
{
    unsigned char a[BUF], b[BUF];

    for (size_t n = 0; n < 32; n++)
        for (size_t k = 0; k <= n; k++) {
            fill(a, BUF, 5);
            fill(b, BUF, 5);
            if (k < n)
                b[k] = (unsigned char)(a[k] + (k & 1 ? 1 : 0xff));  /* above and below */
            CHECK_EQ(sign(rom_memcmp(a, b, n)), sign(memcmp(a, b, n)));
        }
}

static void test_string_strings(void)
{
    static const char *const s[] = { "", "a", "ab", "abc", "abd", "ab\x80", "device/vbd/768",
                                     "device/vbd/51712", "backend" };
    const size_t n = sizeof(s) / sizeof(s[0]);

    for (size_t i = 0; i < n; i++) {
        CHECK_EQ(rom_strlen(s[i]), strlen(s[i]));
        for (size_t m = 0; m < 20; m++)
            CHECK_EQ(rom_strnlen(s[i], m), strnlen(s[i], m));
        for (int c = 0; c < 256; c++)
            CHECK(rom_strchr(s[i], c) == strchr(s[i], c));
        for (size_t j = 0; j < n; j++) {
            CHECK_EQ(sign(rom_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
            for (size_t m = 0; m < 20; m++)
                CHECK_EQ(sign(rom_strncmp(s[i], s[j], m)), sign(strncmp(s[i], s[j], m)));
        }
    }
}

const struct test string_tests[] = {
    { "test_string_copies", test_string_copies },
    { "test_string_overlapping_moves", test_string_overlapping_moves },
    { "test_string_compares", test_string_compares },
    { "test_string_strings", test_string_strings },
};
const unsigned int string_tests_count = sizeof(string_tests) / sizeof(string_tests[0]);
