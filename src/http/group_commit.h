/* group_commit: the bookkeeping of durable.c without threads, sockets or files, so that its
 * rules can be tested one by one (tests/unit/test_group_commit_waiters.c):
 *
 *   - a write whose number is at or below `durable` is on disk: acknowledged at once;
 *   - a write at or below `failed_upto` met a failed sync: never acknowledged, even after a
 *     later sync succeeds (Linux reports a lost writeback once);
 *   - any other write waits; a sync that read the write counter as `target` before it ran
 *     releases, when it succeeds, every waiter at or below target, and when it fails, every
 *     waiter, marked failed;
 *   - after a failed sync the next one must be a heal (durable.c: a TRUNCATE checkpoint);
 *     until one succeeds, `broken` stays set.
 * The caller holds its own lock around every call. */
#ifndef DUIKOU_GROUP_COMMIT_H
#define DUIKOU_GROUP_COMMIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gc_waiter {
    void *conn;   /* what to resume: an MHD connection in the server */
    uint64_t seq; /* the number of its write */
    bool *failed; /* set when its write is not known to be on disk */
};

struct gc {
    uint64_t durable;     /* every write up to this number is on disk */
    uint64_t failed_upto; /* every write up to this number met a failed sync */
    bool broken;          /* a sync failed and no heal has succeeded since */
    struct gc_waiter *w;
    size_t n, cap;
};

enum gc_verdict {
    GC_ACK,  /* on disk: answer now */
    GC_FAIL, /* met a failed sync: answer 503 now */
    GC_WAIT, /* add it as a waiter (gc_add) and answer when released */
};

/* A fresh state whose writes up to `durable` are on disk. */
void gc_init(struct gc *g, uint64_t durable);
void gc_free(struct gc *g);
enum gc_verdict gc_check(const struct gc *g, uint64_t seq);
void gc_add(struct gc *g, void *conn, uint64_t seq, bool *failed);
/* A sync that read the counter as `target` before it ran has ended (ok or not): the state
 * moves, and resume(conn) is called for every waiter it releases (failed ones marked
 * first). Returns how many were released. */
size_t gc_synced(struct gc *g, uint64_t target, bool ok, void (*resume)(void *conn));
/* Marks every write up to seq as failed (a sync done by the writer itself failed). */
void gc_fail_upto(struct gc *g, uint64_t seq);

#endif
