/* Allocation that never returns NULL, and arenas (one per batch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/core.h"

static void oom(size_t n)
{
    fprintf(stderr, "sluice: out of memory (allocating %zu bytes)\n", n);
    exit(3);
}

void *sl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *sl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *sl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *sl_xstrdup(const char *s)
{
    return sl_xstrndup(s, strlen(s));
}

char *sl_xstrndup(const char *s, size_t n)
{
    char *p = sl_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *sl_xasprintf(const char *fmt, ...)
{
    struct sl_buf b = SL_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    if (!b.p) return sl_xstrdup("");
    return sl_buf_detach(&b);
}

struct sl_arena_chunk {
    struct sl_arena_chunk *next;
    size_t size, used;
    /* data follows, 16-byte aligned */
    _Alignas(16) unsigned char data[];
};

void sl_arena_init(struct sl_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 << 10;
    a->used = 0;
}

void *sl_arena_alloc(struct sl_arena *a, size_t n)
{
    struct sl_arena_chunk *c = a->head;

    n = (n + 7) & ~(size_t)7;
    if (!c || c->size - c->used < n) {
        size_t size = n > a->chunk_size / 4 ? n : a->chunk_size;
        if (n > a->chunk_size / 4 && c) {
            /* A big allocation gets its own chunk behind the current one, so the space left
             * in the current chunk is not wasted. */
            struct sl_arena_chunk *big = sl_xmalloc(sizeof *big + n);
            big->size = n;
            big->used = n;
            big->next = c->next;
            c->next = big;
            a->used += n;
            return big->data;
        }
        c = sl_xmalloc(sizeof *c + size);
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->used += n;
    return p;
}

void *sl_arena_zalloc(struct sl_arena *a, size_t n)
{
    void *p = sl_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *sl_arena_strndup(struct sl_arena *a, const char *p, size_t n)
{
    char *s = sl_arena_alloc(a, n + 1);
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

char *sl_arena_sprintf(struct sl_arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *s = sl_arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(s, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

void sl_arena_reset(struct sl_arena *a)
{
    struct sl_arena_chunk *c = a->head, *keep = NULL;

    /* Keep one chunk of the default size; free the rest (big values of one batch should not
     * make every later batch hold their memory). */
    while (c) {
        struct sl_arena_chunk *next = c->next;
        if (!keep && c->size == a->chunk_size) {
            keep = c;
            keep->used = 0;
        } else {
            free(c);
        }
        c = next;
    }
    if (keep) keep->next = NULL;
    a->head = keep;
    a->used = 0;
}

void sl_arena_free(struct sl_arena *a)
{
    struct sl_arena_chunk *c = a->head;
    while (c) {
        struct sl_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
}
