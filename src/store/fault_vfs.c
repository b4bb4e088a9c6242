/* fault_vfs: fault injection for the tests of what the server does when its storage fails —
 * a full disk, an I/O error, no memory — without a real full disk or a broken one.
 *
 * A shim VFS over the default one (unix), registered as the default so every connection goes
 * through it, plus a wrapper around SQLite's memory allocator. What to inject is said by a
 * control file, one word (see `enum fault` below), which the test rewrites while the server
 * runs; every file operation and every SQLite allocation looks at the file (a stat(), and a
 * read only when it changed), so the next operation after the write sees the new fault.
 *
 * Why an environment variable and a build option rather than a `serve` flag: the shim must be
 * in place before SQLite's first use (sqlite3_config works only before sqlite3_initialize),
 * which is store/'s first db_open, whichever command runs; and it must not exist in a
 * production binary at all, where a stray variable could otherwise make a server fail on
 * purpose. So the code is compiled only with -DDUIKOU_FAULT_INJECTION=ON (the default for
 * Debug builds: the ones `make test` and `make faults` use; never RelWithDebInfo/Release, the
 * builds of `make run` and `make bench`), and even there it stays out of the way unless
 * DUIKOU_FAULTS names the control file. A release binary ignores the variable with a warning.
 *
 * Faults apply to the database, its WAL and its rollback journal, never to temporary files.
 * "full" refuses every write, not only those that grow a file: a copy-on-write file system
 * (btrfs, ZFS) behaves like that, and it keeps the test deterministic (on ext4 a write into
 * WAL space already allocated would still pass, so whether a given request fails would
 * depend on the WAL's history). */
#include "store/db_impl.h"

#include <stdlib.h>

#include "core/log.h"

#ifndef DUIKOU_FAULT_INJECTION

void db_faults_init(void)
{
    if (getenv("DUIKOU_FAULTS"))
        log_warn("db: DUIKOU_FAULTS is ignored: this build has no fault injection "
                 "(configure with -DDUIKOU_FAULT_INJECTION=ON)");
}

bool db_fault_sync(void)
{
    return false;
}

#else

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum fault {
    FAULT_NONE,
    FAULT_FULL,        /* "full": writes fail with SQLITE_FULL */
    FAULT_IOERR_READ,  /* "ioerr-read": reads fail with SQLITE_IOERR_READ */
    FAULT_IOERR_WRITE, /* "ioerr-write": writes and truncations fail with SQLITE_IOERR_WRITE */
    FAULT_IOERR_SYNC,  /* "ioerr-sync": fsync fails with SQLITE_IOERR_FSYNC */
    FAULT_NOMEM,       /* "nomem": SQLite's allocations fail (SQLITE_NOMEM) */
    FAULT_NOMEM_WRITE, /* "nomem-write": the same, but only inside a write transaction (while
                          this thread's connection holds the WAL write lock) */
};

static const char *const fault_names[] = {"none",        "full",       "ioerr-read",
                                          "ioerr-write", "ioerr-sync", "nomem",
                                          "nomem-write"};

static const char *control_path;
static atomic_int current = FAULT_NONE;
static atomic_long injected; /* faults injected since the mode last changed */
static _Thread_local bool writing; /* this thread's connection holds the WAL write lock */
static pthread_mutex_t poll_mu = PTHREAD_MUTEX_INITIALIZER;
static struct stat seen;     /* the control file as last read (under poll_mu) */

static enum fault parse(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    for (size_t i = 0; i < sizeof fault_names / sizeof *fault_names; i++)
        if (strlen(fault_names[i]) == n && memcmp(fault_names[i], s, n) == 0)
            return (enum fault)i;
    return FAULT_NONE;
}

/* Re-reads the control file when it changed. Cheap enough for every operation of a test
 * server: one stat(). No SQLite call in here (this runs inside SQLite's allocator). */
static enum fault fault_now(void)
{
    struct stat st;
    if (stat(control_path, &st) != 0)
        memset(&st, 0, sizeof st);
    pthread_mutex_lock(&poll_mu);
    if (st.st_ino != seen.st_ino || st.st_size != seen.st_size ||
        st.st_mtim.tv_sec != seen.st_mtim.tv_sec || st.st_mtim.tv_nsec != seen.st_mtim.tv_nsec ||
        st.st_ctim.tv_nsec != seen.st_ctim.tv_nsec) {
        seen = st;
        char buf[64];
        ssize_t n = 0;
        int fd = open(control_path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            n = read(fd, buf, sizeof buf);
            close(fd);
        }
        enum fault f = parse(buf, n > 0 ? (size_t)n : 0);
        if (atomic_exchange(&current, (int)f) != (int)f) {
            atomic_store(&injected, 0);
            log_warn("faults: now injecting: %s", fault_names[f]);
        }
    }
    pthread_mutex_unlock(&poll_mu);
    return (enum fault)atomic_load(&current);
}

/* Returns rc and leaves a log line for the first injection under a mode, which the tests
 * look for to know the fault was really met. */
static int inject(int rc, const char *where)
{
    if (atomic_fetch_add(&injected, 1) == 0)
        log_warn("faults: injected %s in %s", fault_names[atomic_load(&current)], where);
    return rc;
}

/* The server's group commit syncs the WAL with fdatasync, outside SQLite (db_sync_wal), so
 * "ioerr-sync" is injected there too. */
bool db_fault_sync(void)
{
    if (!control_path || fault_now() != FAULT_IOERR_SYNC)
        return false;
    inject(SQLITE_IOERR_FSYNC, "db_sync_wal");
    return true;
}

/* ---- the VFS shim ------------------------------------------------------------------------ */

struct ffile {
    sqlite3_file base;
    bool target;        /* the database, its WAL or its journal: faults apply */
    sqlite3_file *real; /* the default VFS's file, right after this struct */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;

#define REAL(f) (((struct ffile *)(f))->real)
#define TARGET(f) (((struct ffile *)(f))->target)

static int f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    if (TARGET(f)) {
        enum fault k = fault_now();
        if (k == FAULT_IOERR_READ)
            return inject(SQLITE_IOERR_READ, "xRead");
        if (k == FAULT_NOMEM)
            return inject(SQLITE_IOERR_NOMEM, "xRead");
    }
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    if (TARGET(f)) {
        enum fault k = fault_now();
        if (k == FAULT_FULL)
            return inject(SQLITE_FULL, "xWrite");
        if (k == FAULT_IOERR_WRITE)
            return inject(SQLITE_IOERR_WRITE, "xWrite");
    }
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (TARGET(f) && fault_now() == FAULT_IOERR_WRITE)
        return inject(SQLITE_IOERR_TRUNCATE, "xTruncate");
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    if (TARGET(f) && fault_now() == FAULT_IOERR_SYNC)
        return inject(SQLITE_IOERR_FSYNC, "xSync");
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_check_lock(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_caps(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

/* Every transaction takes a WAL lock through here first: the earliest point where a request
 * that only reads from the page cache meets the VFS, so the control file is looked at here
 * too (for "nomem", whose faults come from the allocator). */
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    fault_now();
    int rc = REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
    /* Slot 0 is the WAL's write lock (WAL_WRITE_LOCK in SQLite's wal.c). */
    if (rc == SQLITE_OK && off == 0 && (flags & SQLITE_SHM_EXCLUSIVE))
        writing = (flags & SQLITE_SHM_LOCK) != 0;
    return rc;
}

static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    /* No memory-mapped reads while a read fault is wanted: they would bypass xRead. */
    if (TARGET(f) && fault_now() != FAULT_NONE) {
        *pp = NULL;
        return SQLITE_OK;
    }
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_io = {
    .iVersion = 3,
    .xClose = f_close,
    .xRead = f_read,
    .xWrite = f_write,
    .xTruncate = f_truncate,
    .xSync = f_sync,
    .xFileSize = f_size,
    .xLock = f_lock,
    .xUnlock = f_unlock,
    .xCheckReservedLock = f_check_lock,
    .xFileControl = f_control,
    .xSectorSize = f_sector,
    .xDeviceCharacteristics = f_caps,
    .xShmMap = f_shm_map,
    .xShmLock = f_shm_lock,
    .xShmBarrier = f_shm_barrier,
    .xShmUnmap = f_shm_unmap,
    .xFetch = f_fetch,
    .xUnfetch = f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    struct ffile *ff = (struct ffile *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->target = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) != 0;
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    /* SQLite calls xClose only when pMethods is set: leave it NULL when the real open failed
     * and left nothing to close. */
    f->pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    return real_vfs->xDelete(real_vfs, name, sync);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dl_open(sqlite3_vfs *vfs, const char *name)
{
    return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
    real_vfs->xDlError(real_vfs, n, msg);
}

static void (*v_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dl_close(sqlite3_vfs *vfs, void *h)
{
    real_vfs->xDlClose(real_vfs, h);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *out)
{
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

/* ---- the allocator wrapper --------------------------------------------------------------- */

static sqlite3_mem_methods real_mem;

static bool no_memory(void)
{
    enum fault k = fault_now();
    return k == FAULT_NOMEM || (k == FAULT_NOMEM_WRITE && writing);
}

static void *m_malloc(int n)
{
    if (no_memory())
        return inject(0, "sqlite3_malloc"), NULL;
    return real_mem.xMalloc(n);
}

static void *m_realloc(void *p, int n)
{
    if (no_memory())
        return inject(0, "sqlite3_realloc"), NULL;
    return real_mem.xRealloc(p, n);
}

static void m_free(void *p)
{
    real_mem.xFree(p);
}

static int m_size(void *p)
{
    return real_mem.xSize(p);
}

static int m_roundup(int n)
{
    return real_mem.xRoundup(n);
}

static int m_init(void *app)
{
    return real_mem.xInit(app);
}

static void m_shutdown(void *app)
{
    real_mem.xShutdown(app);
}

/* ---- installation ------------------------------------------------------------------------ */

static void install(void)
{
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK) {
        log_error("faults: SQLite is already initialised; no fault injection");
        return;
    }
    static sqlite3_mem_methods mem = {
        .xMalloc = m_malloc, .xFree = m_free, .xRealloc = m_realloc, .xSize = m_size,
        .xRoundup = m_roundup, .xInit = m_init, .xShutdown = m_shutdown};
    mem.pAppData = real_mem.pAppData;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK) {
        log_error("faults: cannot wrap SQLite's allocator; no fault injection");
        return;
    }
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs) {
        log_error("faults: no default VFS; no fault injection");
        return;
    }
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "duikou-faults",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full_path,
        .xDlOpen = v_dl_open,
        .xDlError = v_dl_error,
        .xDlSym = v_dl_sym,
        .xDlClose = v_dl_close,
        .xRandomness = v_random,
        .xSleep = v_sleep,
        .xCurrentTime = v_time,
        .xGetLastError = v_last_error,
        .xCurrentTimeInt64 = v_time64,
    };
    if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK) {
        log_error("faults: cannot register the VFS; no fault injection");
        return;
    }
    log_warn("faults: fault injection enabled, control file %s", control_path);
}

void db_faults_init(void)
{
    const char *path = getenv("DUIKOU_FAULTS");
    if (!path || !*path)
        return;
    control_path = path;
    install();
}

#endif
