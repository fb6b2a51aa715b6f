/* A tiny test runner: each test prints its name and result; the last line
 * is "N passed, N failed"; the exit status is nonzero on any failure. */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

extern int test_failed_now;

struct test {
    const char *name;
    void (*fn)(void);
};

/* Tables of tests other files contribute to the runner in tests.c. */
extern const struct test cdrom_tests[];
extern const unsigned int cdrom_tests_count;
extern const struct test int13_tests[];
extern const unsigned int int13_tests_count;
extern const struct test string_tests[];
extern const unsigned int string_tests_count;
extern const struct test dap_tests[], format_tests[], geometry_tests[],
                         takeover_signal_tests[];
extern const unsigned int dap_tests_count, format_tests_count,
                          geometry_tests_count, takeover_signal_tests_count;
extern const struct test pnp_tests[];
extern const unsigned int pnp_tests_count;
extern const struct test bcv_tests[];
extern const unsigned int bcv_tests_count;
extern const struct test reliability_tests[];
extern const unsigned int reliability_tests_count;
extern const struct test batch_tests[];
extern const unsigned int batch_tests_count;
extern const struct test readahead_tests[];
extern const unsigned int readahead_tests_count;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,     \
                   #cond);                                                  \
            test_failed_now = 1;                                            \
            return;                                                         \
        }                                                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                      \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (a_ != b_) {                                                     \
            printf("    %s:%d: %s == %lld, expected %s == %lld\n",          \
                   __FILE__, __LINE__, #a, a_, #b, b_);                     \
            test_failed_now = 1;                                            \
            return;                                                         \
        }                                                                   \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (strcmp(a_, b_)) {                                               \
            printf("    %s:%d: %s == \"%s\", expected \"%s\"\n",             \
                   __FILE__, __LINE__, #a, a_, b_);                         \
            test_failed_now = 1;                                            \
            return;                                                         \
        }                                                                   \
    } while (0)

#endif
