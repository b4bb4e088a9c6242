/* group_commit: durable.c's rules as plain functions; see group_commit.h. */
#include "http/group_commit.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void gc_init(struct gc *g, uint64_t durable)
{
    memset(g, 0, sizeof *g);
    g->durable = durable;
}

void gc_free(struct gc *g)
{
    free(g->w);
    g->w = NULL;
    g->n = g->cap = 0;
}

enum gc_verdict gc_check(const struct gc *g, uint64_t seq)
{
    if (seq <= g->failed_upto)
        return GC_FAIL;
    if (seq <= g->durable)
        return GC_ACK;
    return GC_WAIT;
}

void gc_add(struct gc *g, void *conn, uint64_t seq, bool *failed)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 64;
        g->w = xrealloc(g->w, g->cap * sizeof *g->w);
    }
    g->w[g->n++] = (struct gc_waiter){conn, seq, failed};
}

void gc_fail_upto(struct gc *g, uint64_t seq)
{
    if (seq > g->failed_upto)
        g->failed_upto = seq;
}

size_t gc_synced(struct gc *g, uint64_t target, bool ok, void (*resume)(void *conn))
{
    if (ok && target > g->durable)
        g->durable = target;
    if (!ok)
        gc_fail_upto(g, target);
    g->broken = !ok;
    size_t keep = 0, released = 0;
    for (size_t i = 0; i < g->n; i++) {
        struct gc_waiter *w = &g->w[i];
        if (!ok || w->seq <= g->durable) {
            if (!ok || w->seq <= g->failed_upto)
                *w->failed = true;
            resume(w->conn);
            released++;
        } else {
            g->w[keep++] = *w;
        }
    }
    g->n = keep;
    return released;
}
