/* mem: allocation that never returns NULL (out of memory aborts in one place), and the
 * per-request/per-command arena. */
#ifndef DUIKOU_MEM_H
#define DUIKOU_MEM_H
#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* An arena hands out memory that is freed all at once by arena_free(). Things it does not
 * own (statements, files) register a cleanup with arena_defer(); cleanups run in reverse
 * order of registration, before the memory goes. */
struct arena_block;
struct arena_defer;
struct arena {
    struct arena_block *head;
    struct arena_defer *defers;
    size_t total; /* bytes handed out, for limits and tests */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);            /* aligned to 16, zeroed */
void *arena_grow(struct arena *a, void *old, size_t old_n, size_t new_n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);

/* A growable array kept in an arena: ARRAY_PUSH(arena, items, n, cap) grows items when
 * full and returns a pointer to a fresh zeroed slot, items[n-1]. */
static inline void *arena_push_(struct arena *a, void **items, size_t *n, size_t *cap,
                                size_t size)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        *items = arena_grow(a, *items, *cap * size, nc * size);
        *cap = nc;
    }
    return (char *)*items + (*n)++ * size;
}
#define ARRAY_PUSH(ar, items, n, cap) arena_push_((ar), (void **)&(items), &(n), &(cap), sizeof *(items))

#endif
