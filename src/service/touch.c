/* touch: when a session or an API token was last used, kept in memory by the server and
 * written in batches (auth.c's TOUCH_MS decides when a use is worth recording at all).
 *
 * Before, a GET of a session last recorded over a minute ago wrote last_seen_at itself: a
 * write with its fsync wait in the middle of a read, once a minute per session — with 200
 * sessions, three or four GETs a second that waited on the disk (docs/performance.md, the
 * mixed run). Now the use is noted here, the idle check reads the later of the noted time and
 * the stored one, and the server's background thread (http/indexer.c) writes what is noted in
 * one transaction every TOUCH_FLUSH_MS and when it stops. The command line and the unit tests,
 * which start no such thread, keep writing at once (touch_deferred is false).
 *
 * What a crash loses is the last few seconds of "last seen", never a session: a session noted
 * here but not yet written looks idle a little earlier to another process sharing the file
 * (at most TOUCH_FLUSH_MS plus a minute, against an idle limit of 30). */
#include "service/touch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/db.h"

struct noted {
    int64_t id, at_ms; /* id 0: empty */
};

/* One open-addressed table per kind; grows by doubling, never shrinks below its peak (a few
 * thousand sessions are a few dozen kilobytes). */
struct table {
    struct noted *slots;
    size_t cap, n;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct table tables[TOUCH_KINDS];
static atomic_bool deferred;

static const char *const update_sql[TOUCH_KINDS] = {
    [TOUCH_SESSION] = "UPDATE session SET last_seen_at = :at WHERE id = :id AND last_seen_at < :at",
    [TOUCH_API_TOKEN] = "UPDATE api_token SET last_used_at = :at WHERE id = :id "
                        "AND (last_used_at IS NULL OR last_used_at < :at)",
};

void touch_set_deferred(bool on)
{
    atomic_store(&deferred, on);
}

bool touch_deferred(void)
{
    return atomic_load(&deferred);
}

static size_t slot_of(const struct table *t, int64_t id)
{
    size_t i = (size_t)((uint64_t)id * 11400714819323198485u) & (t->cap - 1);
    while (t->slots[i].id && t->slots[i].id != id)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static void grow(struct table *t)
{
    struct table old = *t;
    t->cap = old.cap ? old.cap * 2 : 256;
    t->slots = xcalloc(t->cap, sizeof *t->slots);
    t->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].id) {
            t->slots[slot_of(t, old.slots[i].id)] = old.slots[i];
            t->n++;
        }
    free(old.slots);
}

void touch_note(enum touch_kind kind, int64_t id, int64_t at_ms)
{
    pthread_mutex_lock(&mu);
    struct table *t = &tables[kind];
    if ((t->n + 1) * 2 > t->cap)
        grow(t);
    struct noted *s = &t->slots[slot_of(t, id)];
    if (!s->id) {
        s->id = id;
        t->n++;
    }
    if (at_ms > s->at_ms)
        s->at_ms = at_ms;
    pthread_mutex_unlock(&mu);
}

int64_t touch_noted(enum touch_kind kind, int64_t id)
{
    int64_t at = 0;
    pthread_mutex_lock(&mu);
    struct table *t = &tables[kind];
    if (t->cap) {
        struct noted *s = &t->slots[slot_of(t, id)];
        if (s->id == id)
            at = s->at_ms;
    }
    pthread_mutex_unlock(&mu);
    return at;
}

/* Removes id from t by backward-shift deletion (keeps every probe sequence unbroken). */
static void forget(struct table *t, int64_t id)
{
    size_t i = slot_of(t, id);
    if (t->slots[i].id != id)
        return;
    t->slots[i] = (struct noted){0};
    t->n--;
    for (size_t j = (i + 1) & (t->cap - 1); t->slots[j].id; j = (j + 1) & (t->cap - 1)) {
        struct noted moved = t->slots[j];
        t->slots[j] = (struct noted){0};
        t->slots[slot_of(t, moved.id)] = moved;
    }
}

int touch_flush(struct db *db)
{
    /* A copy under the lock; the write happens without it, so requests never wait on disk. */
    struct noted *copy[TOUCH_KINDS] = {0};
    size_t n[TOUCH_KINDS] = {0}, total = 0;
    pthread_mutex_lock(&mu);
    for (int k = 0; k < TOUCH_KINDS; k++) {
        struct table *t = &tables[k];
        if (!t->n)
            continue;
        copy[k] = xmalloc(t->n * sizeof **copy);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i].id)
                copy[k][n[k]++] = t->slots[i];
        total += n[k];
    }
    pthread_mutex_unlock(&mu);
    int rc = 0;
    if (total) {
        rc = db_begin(db);
        for (int k = 0; k < TOUCH_KINDS && rc == 0; k++)
            for (size_t i = 0; i < n[k] && rc == 0; i++) {
                char at[25];
                clock_format(copy[k][i].at_ms, at);
                struct stmt st;
                db_prepare(db, &st, update_sql[k]);
                db_bind_text(&st, ":at", at);
                db_bind_int64(&st, ":id", copy[k][i].id);
                int s = db_step(&st);
                db_finalize(&st);
                if (s < 0)
                    rc = s;
            }
        if (rc == 0)
            rc = db_commit(db);
        if (rc < 0) {
            db_rollback(db);
            log_warn("touch: could not record %zu uses of sessions and tokens; trying again",
                     total);
        }
    }
    if (rc == 0 && total) {
        /* Forget what was written, unless a later use was noted meanwhile. */
        pthread_mutex_lock(&mu);
        for (int k = 0; k < TOUCH_KINDS; k++)
            for (size_t i = 0; i < n[k]; i++) {
                struct table *t = &tables[k];
                struct noted *s = &t->slots[slot_of(t, copy[k][i].id)];
                if (s->id == copy[k][i].id && s->at_ms <= copy[k][i].at_ms)
                    forget(t, copy[k][i].id);
            }
        pthread_mutex_unlock(&mu);
    }
    for (int k = 0; k < TOUCH_KINDS; k++)
        free(copy[k]);
    return rc < 0 ? rc : (int)total;
}

void touch_reset(void)
{
    pthread_mutex_lock(&mu);
    for (int k = 0; k < TOUCH_KINDS; k++) {
        free(tables[k].slots);
        tables[k] = (struct table){0};
    }
    pthread_mutex_unlock(&mu);
}
