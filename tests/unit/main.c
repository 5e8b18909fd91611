/* Runs the registered unit tests; ends with "N passed, N failed". */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct unit_test {
    const char *name, *file;
    unit_fn fn;
};

static struct unit_test *tests;
static size_t ntests, cap;
int unit_failures;

void unit_register(const char *name, unit_fn fn, const char *file)
{
    if (ntests == cap) {
        cap = cap ? cap * 2 : 64;
        tests = realloc(tests, cap * sizeof *tests);
        if (!tests) abort();
    }
    tests[ntests++] = (struct unit_test){name, file, fn};
}

static int by_name(const void *a, const void *b)
{
    const struct unit_test *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;

    qsort(tests, ntests, sizeof *tests, by_name);
    for (size_t i = 0; i < ntests; i++) {
        if (argc > 1 && strncmp(tests[i].name, argv[1], strlen(argv[1]))) continue;
        unit_failures = 0;
        tests[i].fn();
        if (unit_failures) {
            printf("FAIL %s\n", tests[i].name);
            failed++;
        } else {
            printf("ok   %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, failed);
    free(tests);
    return failed ? 1 : 0;
}
