/* durable: group commit for the server's writes. A report is answered 201 only once it is on
 * disk; with synchronous=FULL every commit waits for its own fsync (about 7 ms on the shared
 * disk of the bench machine), so durable writes were capped at ~150–400/s whatever the CPU.
 *
 * Here the server's connections commit with synchronous=NORMAL (the WAL is written, not yet
 * synced) and the answer waits instead: a request that wrote is suspended (libmicrohttpd's
 * MHD_suspend_connection, so its worker thread goes on serving other connections) with the
 * number of its write; one syncer thread reads the write counter, fdatasyncs the WAL once,
 * and resumes every request whose write is at or below that number; their answers are
 * queued then. Every write that arrived while a sync ran is covered by the next one, so
 * under load one fsync carries dozens of commits.
 *
 * The invariant: NO ANSWER TO A REQUEST THAT WROTE IS QUEUED BEFORE AN FSYNC OF THE WAL THAT
 * STARTED AFTER ITS COMMIT HAS RETURNED. The counter moves after each commit (store/db.c), the
 * syncer reads it before syncing, and a waiter is released only for a count read before a
 * successful sync. If the sync fails, the waiters get 503 (their data may not be on disk).
 * What is committed but not yet synced is visible to other readers for those few
 * milliseconds — as with any group commit; nothing is acknowledged before it is durable.
 *
 * AFTER A FAILED SYNC, A PLAIN SYNC IS NOT ENOUGH. Linux reports a lost writeback once and
 * marks the pages clean: the next fdatasync returns 0 though the frames it failed on never
 * reached the disk. Frames written later would be synced behind that hole, and after a power
 * loss SQLite's recovery stops at the first frame whose checksum fails, dropping the later
 * ones although they were acknowledged. So once a sync fails the syncer heals before it
 * acknowledges anything again: a TRUNCATE checkpoint on its own connection copies every frame
 * (read back from the page cache) into the database file, syncs that file and empties the
 * WAL. Until one succeeds, every write is answered 503; the first success ends it, so a
 * passing fault costs the writes during it and nothing after. (PostgreSQL stops the server
 * instead; this keeps it up and relies on the kernel keeping the pages it could not write,
 * as ext4 and XFS do.) */
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/mem.h"
#include "http/group_commit.h"
#include "http/internal.h"
#include "store/db.h"

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool started;     /* the thread exists (to join) */
    bool running;     /* it takes waiters: cleared by the thread itself as it leaves */
    bool stop;
    const char *db_path;
    struct gc gc;        /* what is on disk, what failed, who waits (group_commit.c) */
    struct db *heal_db;  /* the syncer's own connection for the checkpoint after a failure */
} g = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void resume(void *conn)
{
    MHD_resume_connection(conn);
}

/* The sync after a failure: a full checkpoint, then the (now empty) WAL synced. Runs in the
 * syncer thread, without the lock. */
static int heal(void)
{
    if (!g.heal_db && db_open(g.db_path, &g.heal_db, NULL) < 0) {
        g.heal_db = NULL;
        return -1;
    }
    int rc = db_checkpoint(g.heal_db);
    if (rc == 0)
        rc = db_sync_wal(g.db_path);
    if (rc < 0) {
        /* A connection that met an I/O error is not reused (as the workers' are not). */
        db_close(g.heal_db);
        g.heal_db = NULL;
        log_error("durable: no write is acknowledged until the WAL is checkpointed (%s)",
                  rc == DB_BUSY ? "busy; trying again" : "it failed; trying again");
        return rc;
    }
    log_info("durable: the WAL is checkpointed and synced; writes are acknowledged again");
    return 0;
}

static void *syncer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g.mu);
    for (;;) {
        while (!g.stop && g.gc.n == 0)
            pthread_cond_wait(&g.cv, &g.mu);
        if (g.gc.n == 0 && g.stop) {
            g.running = false; /* under the lock: later writers sync for themselves */
            break;
        }
        uint64_t target = db_write_count(); /* before the sync: see the invariant */
        bool broken = g.gc.broken;
        pthread_mutex_unlock(&g.mu);
        int rc = broken ? heal() : db_sync_wal(g.db_path);
        pthread_mutex_lock(&g.mu);
        gc_synced(&g.gc, target, rc == 0, resume);
    }
    pthread_mutex_unlock(&g.mu);
    return NULL;
}

int http_durable_start(const char *db_path)
{
    g.db_path = db_path;
    g.stop = false;
    gc_init(&g.gc, db_write_count()); /* what was written before was synced (FULL) */
    g.running = true;
    if (pthread_create(&g.thread, NULL, syncer, NULL) != 0) {
        g.running = false;
        log_error("http: cannot start the group-commit thread");
        return -1;
    }
    g.started = true;
    return 0;
}

void http_durable_stop(void)
{
    if (!g.started)
        return;
    pthread_mutex_lock(&g.mu);
    g.stop = true;
    pthread_cond_signal(&g.cv);
    pthread_mutex_unlock(&g.mu);
    pthread_join(g.thread, NULL); /* it syncs and releases whoever still waits first */
    g.started = false;
    db_close(g.heal_db);
    g.heal_db = NULL;
    gc_free(&g.gc);
}

bool http_durable_wait(struct MHD_Connection *conn, uint64_t seq, bool *failed)
{
    pthread_mutex_lock(&g.mu);
    enum gc_verdict v = gc_check(&g.gc, seq);
    if (v != GC_WAIT) {
        pthread_mutex_unlock(&g.mu);
        *failed = v == GC_FAIL; /* GC_FAIL: its frames met a failed sync */
        return false;
    }
    if (!g.running) { /* stopping (or never started): sync here, in this thread */
        bool broken = g.gc.broken; /* stopping: nothing more is acknowledged after a failure */
        pthread_mutex_unlock(&g.mu);
        if (broken || !g.db_path || db_sync_wal(g.db_path) != 0) {
            *failed = true;
            pthread_mutex_lock(&g.mu);
            gc_fail_upto(&g.gc, seq);
            pthread_mutex_unlock(&g.mu);
        }
        return false;
    }
    /* Suspended under the lock, so the syncer cannot resume it before it is suspended. */
    MHD_suspend_connection(conn);
    gc_add(&g.gc, conn, seq, failed);
    pthread_cond_signal(&g.cv);
    pthread_mutex_unlock(&g.mu);
    return true;
}
