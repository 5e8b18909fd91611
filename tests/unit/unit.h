/*
 * A small unit test harness. A test file defines tests with TEST(name) { ... }; they register
 * themselves (no central list to edit). CHECK* report the file and line and go on; a test
 * fails if any check failed.
 *
 *   build/asan/unit-tests            every test
 *   build/asan/unit-tests csv_       tests whose name starts with csv_
 */
#ifndef SLUICE_UNIT_H
#define SLUICE_UNIT_H

#include <stdio.h>
#include <string.h>

typedef void (*unit_fn)(void);
void unit_register(const char *name, unit_fn fn, const char *file);
extern int unit_failures; /* checks failed in the current test */

#define TEST(name)                                                 \
    static void test_##name(void);                                 \
    __attribute__((constructor)) static void register_##name(void) \
    {                                                              \
        unit_register(#name, test_##name, __FILE__);               \
    }                                                              \
    static void test_##name(void)

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            unit_failures++;                                                           \
        }                                                                              \
    } while (0)

#define CHECK_INT(a, b)                                                                         \
    do {                                                                                        \
        long long a_ = (long long)(a), b_ = (long long)(b);                                     \
        if (a_ != b_) {                                                                         \
            fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, \
                    b_);                                                                        \
            unit_failures++;                                                                    \
        }                                                                                       \
    } while (0)

#define CHECK_STR(a, b)                                                                         \
    do {                                                                                        \
        const char *a_ = (a), *b_ = (b);                                                        \
        if (!a_ || !b_ || strcmp(a_, b_)) {                                                     \
            fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                    \
            unit_failures++;                                                                    \
        }                                                                                       \
    } while (0)

/* Compares a (ptr, len) view with a C string. */
#define CHECK_MEM(p, n, s)                                                                        \
    do {                                                                                          \
        const char *p_ = (const char *)(p), *s_ = (s);                                            \
        size_t n_ = (size_t)(n);                                                                  \
        if (n_ != strlen(s_) || memcmp(p_, s_, n_)) {                                             \
            fprintf(stderr, "  %s:%d: %s == \"%.*s\", expected \"%s\"\n", __FILE__, __LINE__, #p, \
                    (int)n_, p_, s_);                                                             \
            unit_failures++;                                                                      \
        }                                                                                         \
    } while (0)

#endif
