/* indexer: the search index kept up to date beside the server's writes, not inside them.
 *
 * Indexing a report's text in the transaction that stores it (FTS5 writes a new segment and
 * merges now and then) cut durable report writes from ~4,400/s to ~1,400/s with a p99 near a
 * second (make bench, (4)). So the server's worker connections do not index at commit
 * (db_search_deferred); the triggers still note each change in search_dirty in the writing
 * transaction, and this thread indexes what is noted, many writes to one transaction:
 *   - after a request that wrote (http_indexer_nudge), at once, and again while writes come;
 *   - every INDEXER_IDLE_MS regardless (a write by another process sharing the file);
 *   - before a search answers (search_catch_up → catch_up below waits for one pass), so a
 *     search finds what was saved before it, and never indexes or takes the write lock in
 *     the request's own thread.
 * The command line (import, demo) indexes at commit, as before: its transactions are large.
 *
 * The same thread writes the uses of sessions and API tokens that requests noted
 * (service/touch.c) every TOUCH_FLUSH_MS and on its last pass, so no GET writes; and it runs
 * the WAL checkpoints, which the workers' group-commit connections no longer run themselves
 * (store/db.c db_group_commit); and the inbox's reminder pass when it starts and every hour
 * (service/notification.h), which makes nothing twice; and the audit log's anchors
 * (store/audit.h) every minute and on its last pass. */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/log.h"
#include "http/internal.h"
#include "service/notification.h"
#include "service/service.h"
#include "service/touch.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/search.h"

enum {
    INDEXER_IDLE_MS = 1000, /* a pass at least this often */
    INDEXER_GAP_MS = 50,    /* and at most this often: writes arriving meanwhile share one */
    CATCH_UP_WAIT_MS = 2000,
    TOUCH_FLUSH_MS = 5000, /* noted uses of sessions are written this often */
    CHECKPOINT_MS = 200,    /* and the WAL copied into the database at most this often, */
    CHECKPOINT_PAGES = 1000, /* once it holds this many pages (SQLite's own default) */
    REMIND_MS = 3600 * 1000, /* the inbox's reminder pass: on start, then every hour */
    ANCHOR_MS = 60 * 1000,   /* the audit log's head anchored outside it (store/audit.h) */
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t wake, done_cv;
    pthread_t thread;
    bool started, stop;
    const char *db_path;
    uint64_t wanted, done; /* passes asked for, passes finished (a pass covers all before it) */
} ix = {.mu = PTHREAD_MUTEX_INITIALIZER,
        .wake = PTHREAD_COND_INITIALIZER,
        .done_cv = PTHREAD_COND_INITIALIZER};

static struct timespec in_ms(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

static int64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The inbox's reminder pass (service/notification.h), as the system. */
static void remind(struct db *db)
{
    struct arena a;
    arena_init(&a);
    struct ctx c = {.db = db, .arena = &a, .actor = "system:remind", .client = "server"};
    int64_t made = 0;
    if (notification_remind(&c, NULL, false, NULL, NULL, &made) != SVC_OK)
        log_warn("remind: the reminder pass failed (%s); next hour again",
                 c.error ? c.error : "store");
    else if (made)
        log_info("remind: %lld notification%s", (long long)made, made == 1 ? "" : "s");
    arena_free(&a);
    /* The pass walks every plan's items and reports (tens of MB at scale 10, once an hour):
     * give the memory back rather than keep it for an hour under everything else. */
    malloc_trim(0);
}

static void *indexer(void *arg)
{
    (void)arg;
    struct db *db = NULL;
    int64_t flushed_ms = monotonic_ms(), checkpointed_ms = flushed_ms, reminded_ms = 0;
    int64_t anchored_ms = flushed_ms;
    bool reminded = false;
    pthread_mutex_lock(&ix.mu);
    for (;;) {
        if (!ix.stop && ix.wanted == ix.done) {
            struct timespec until = in_ms(INDEXER_IDLE_MS);
            pthread_cond_timedwait(&ix.wake, &ix.mu, &until);
        }
        uint64_t target = ix.wanted;
        bool stopping = ix.stop;
        pthread_mutex_unlock(&ix.mu);
        /* synchronous=NORMAL, as the workers' group commit: a pass lost to a power cut loses
         * its search_dirty deletions with it, and the next pass indexes those rows again. A
         * FULL sync here, under the write lock, halved the durable writes of make bench. */
        if (!db) {
            if (db_open(ix.db_path, &db, NULL) < 0)
                db = NULL;
            else if (db_group_commit(db) < 0)
                log_warn("http: the search indexer syncs every pass");
        }
        if (db && search_sync(db) < 0) { /* tried again on the next pass */
            db_close(db);
            db = NULL;
        }
        if (db && db_wal_pages() >= CHECKPOINT_PAGES &&
            monotonic_ms() - checkpointed_ms >= CHECKPOINT_MS) {
            checkpointed_ms = monotonic_ms();
            db_checkpoint_passive(db); /* the workers' connections leave it to this thread */
        }
        if (db && !stopping && (!reminded || monotonic_ms() - reminded_ms >= REMIND_MS)) {
            reminded = true;
            reminded_ms = monotonic_ms();
            remind(db);
        }
        if (db && (stopping || monotonic_ms() - flushed_ms >= TOUCH_FLUSH_MS)) {
            flushed_ms = monotonic_ms();
            touch_flush(db); /* on failure they stay noted for the next time */
        }
        if (db && (stopping || monotonic_ms() - anchored_ms >= ANCHOR_MS)) {
            anchored_ms = monotonic_ms();
            audit_anchor(db); /* nothing when the head has not moved, or without a key */
        }
        pthread_mutex_lock(&ix.mu);
        if (target > ix.done)
            ix.done = target;
        pthread_cond_broadcast(&ix.done_cv);
        if (stopping)
            break;
        struct timespec gap = in_ms(INDEXER_GAP_MS);
        while (!ix.stop && pthread_cond_timedwait(&ix.wake, &ix.mu, &gap) == 0)
            ;
    }
    pthread_mutex_unlock(&ix.mu);
    db_close(db);
    return NULL;
}

/* search_catch_up's hook: asks for a pass and waits for it (bounded: a search answers from
 * the index as it is rather than hang). */
static void catch_up(void)
{
    pthread_mutex_lock(&ix.mu);
    uint64_t mine = ++ix.wanted;
    pthread_cond_signal(&ix.wake);
    struct timespec until = in_ms(CATCH_UP_WAIT_MS);
    while (ix.started && !ix.stop && ix.done < mine)
        if (pthread_cond_timedwait(&ix.done_cv, &ix.mu, &until) != 0)
            break;
    pthread_mutex_unlock(&ix.mu);
}

void http_indexer_nudge(void)
{
    pthread_mutex_lock(&ix.mu);
    ix.wanted++;
    pthread_cond_signal(&ix.wake);
    pthread_mutex_unlock(&ix.mu);
}

int http_indexer_start(const char *db_path)
{
    ix.db_path = db_path;
    ix.stop = false;
    ix.wanted = ix.done = 0;
    if (pthread_create(&ix.thread, NULL, indexer, NULL) != 0) {
        log_error("http: cannot start the search indexer");
        return -1;
    }
    ix.started = true;
    search_set_catch_up(catch_up);
    touch_set_deferred(true);
    return 0;
}

void http_indexer_stop(void)
{
    if (!ix.started)
        return;
    search_set_catch_up(NULL);
    pthread_mutex_lock(&ix.mu);
    ix.stop = true; /* the last pass indexes whatever the last writes noted */
    pthread_cond_signal(&ix.wake);
    pthread_cond_broadcast(&ix.done_cv);
    pthread_mutex_unlock(&ix.mu);
    pthread_join(ix.thread, NULL);
    ix.started = false;
    touch_set_deferred(false);
}
