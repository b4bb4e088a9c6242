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

bool db_fault_sync(const char *path)
{
    (void)path;
    return false;
}

#else

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
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
    FAULT_POWERLOSS,   /* "powerloss [KIND K SEED]": writes held until synced, then a power
                          cut at the K-th operation of KIND (see "power loss" below) */
};

static const char *const fault_names[] = {"none",       "full",  "ioerr-read",  "ioerr-write",
                                          "ioerr-sync", "nomem", "nomem-write", "powerloss"};

static const char *control_path;
static atomic_int current = FAULT_NONE;
static atomic_long injected; /* faults injected since the mode last changed */
static _Thread_local bool writing; /* this thread's connection holds the WAL write lock */
static pthread_mutex_t poll_mu = PTHREAD_MUTEX_INITIALIZER;
static struct stat seen;     /* the control file as last read (under poll_mu) */

/* The control file's word, and what follows it (the power cut's arguments) in *args. */
static enum fault parse(const char *s, size_t n, const char **args, size_t *nargs)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    size_t w = 0;
    while (w < n && s[w] != ' ')
        w++;
    *args = s + w;
    *nargs = n - w;
    for (size_t i = 0; i < sizeof fault_names / sizeof *fault_names; i++)
        if (strlen(fault_names[i]) == w && memcmp(fault_names[i], s, w) == 0)
            return (enum fault)i;
    return FAULT_NONE;
}

static void pl_arm(bool already, const char *args, size_t n);
static void pl_release(void);

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
        char buf[64];
        ssize_t n = 0;
        int fd = open(control_path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            n = read(fd, buf, sizeof buf);
            close(fd);
        }
        if (n == 0 && fd >= 0) { /* a writer between truncating the file and writing it */
            pthread_mutex_unlock(&poll_mu);
            return (enum fault)atomic_load(&current);
        }
        seen = st;
        const char *args;
        size_t nargs;
        enum fault f = parse(buf, n > 0 ? (size_t)n : 0, &args, &nargs);
        enum fault was = (enum fault)atomic_load(&current);
        /* Before the new mode is published: an operation that sees it finds its state. */
        if (f == FAULT_POWERLOSS)
            pl_arm(was == FAULT_POWERLOSS, args, nargs);
        else if (was == FAULT_POWERLOSS)
            pl_release();
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

/* ---- power loss -------------------------------------------------------------------------- *
 *
 * The kill -9 test keeps the kernel's page cache, so it shows that an answer waits for the
 * commit, not that it waits for the fsync. Under "powerloss" the page cache is ours: a write
 * to the database or its WAL is held here, per file (not per handle: every connection's
 * handle on one file shares it), in 512-byte sectors; reads and sizes see it; a sync writes
 * the file's held sectors to the real file and fsyncs it, and only then is it on "the disk".
 * "powerloss KIND K SEED" arms a cut at the K-th operation of KIND from then on — "write"
 * (any write, truncation or sync), "wal" (a write to the WAL: inside a commit, or between a
 * commit and its sync), "db" (a write to the database file: inside a checkpoint), "sync"
 * (just before a sync takes effect). The cut drops every held write, or, for half the seeds,
 * lets a random subset of the held sectors reach the disk (a torn write), and a held
 * truncation land or not; then the process ends at once with status PL_EXIT, taking
 * everything it held with it. SEED decides all of it, so a cut can be replayed (given the
 * same sequence of operations). A last word "lie" makes the disk ignore syncs, which must
 * lose acknowledged writes: the check of the tests that use this. Not modelled: directory
 * entries (a file created or deleted is so at once) and tears inside a sector. */

enum { PL_SECTOR = 512, PL_EXIT = 86 };
enum pl_kind { PL_ANY, PL_WAL, PL_DB, PL_SYNC };
static const char *const pl_kinds[] = {"write", "wal", "db", "sync"};

struct pl_sector {
    struct pl_sector *next;
    int64_t idx;
    unsigned char b[PL_SECTOR];
};

struct pl_file {
    struct pl_file *next;
    dev_t dev;
    ino_t ino;
    int fd;       /* our own descriptor, kept open: closing any descriptor of the database
                     file would drop the process's POSIX locks on it (SQLite's locks) */
    bool wal;
    int64_t size; /* as SQLite sees it */
    int64_t disk; /* as the disk holds it */
    int64_t kept; /* bytes of the disk still seen: the smallest size since the last sync */
    struct pl_sector **tab; /* held sectors, chained by idx % cap */
    size_t cap, n;
};

static pthread_mutex_t pl_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pl_file *pl_files;
static struct {
    bool on;    /* between pl_arm and pl_release: fault_now() said so before pl_mu was taken */
    bool armed;
    bool lie; /* "lie": syncs keep nothing and the cut loses all (the test of the test) */
    enum pl_kind kind;
    long k, count;
    unsigned long long seed;
    uint64_t rng;
} pl;

static uint64_t pl_random(void)
{
    pl.rng ^= pl.rng << 13;
    pl.rng ^= pl.rng >> 7;
    pl.rng ^= pl.rng << 17;
    return pl.rng;
}

static void pl_drop(struct pl_file *p)
{
    for (size_t i = 0; i < p->cap; i++)
        for (struct pl_sector *s = p->tab[i], *next; s; s = next) {
            next = s->next;
            free(s);
        }
    memset(p->tab, 0, p->cap * sizeof *p->tab);
    p->n = 0;
}

static struct pl_sector *pl_find(struct pl_file *p, int64_t idx)
{
    for (struct pl_sector *s = p->tab[(uint64_t)idx % p->cap]; s; s = s->next)
        if (s->idx == idx)
            return s;
    return NULL;
}

/* What the file holds from off for n bytes, as SQLite would read it: the disk up to kept,
 * zeros after, the held sectors over both. */
static void pl_image(struct pl_file *p, unsigned char *buf, int64_t n, int64_t off)
{
    memset(buf, 0, (size_t)n);
    int64_t end = off + n < p->kept ? off + n : p->kept;
    for (int64_t at = off; at < end;) {
        ssize_t r = pread(p->fd, buf + (at - off), (size_t)(end - at), at);
        if (r <= 0)
            break;
        at += r;
    }
    for (int64_t i = off / PL_SECTOR; i * PL_SECTOR < off + n; i++) {
        struct pl_sector *s = pl_find(p, i);
        if (!s)
            continue;
        int64_t lo = i * PL_SECTOR > off ? i * PL_SECTOR : off;
        int64_t hi = (i + 1) * PL_SECTOR < off + n ? (i + 1) * PL_SECTOR : off + n;
        memcpy(buf + (lo - off), s->b + (lo - i * PL_SECTOR), (size_t)(hi - lo));
    }
}

static struct pl_sector *pl_hold(struct pl_file *p, int64_t idx)
{
    struct pl_sector *s = pl_find(p, idx);
    if (s)
        return s;
    if (p->n >= p->cap) { /* grow: rechain every sector */
        size_t cap = p->cap * 2;
        struct pl_sector **tab = calloc(cap, sizeof *tab);
        if (!tab)
            abort();
        for (size_t i = 0; i < p->cap; i++)
            for (struct pl_sector *t = p->tab[i], *next; t; t = next) {
                next = t->next;
                t->next = tab[(uint64_t)t->idx % cap];
                tab[(uint64_t)t->idx % cap] = t;
            }
        free(p->tab);
        p->tab = tab;
        p->cap = cap;
    }
    s = malloc(sizeof *s);
    if (!s)
        abort();
    s->idx = idx;
    pl_image(p, s->b, PL_SECTOR, idx * PL_SECTOR);
    s->next = p->tab[(uint64_t)idx % p->cap];
    p->tab[(uint64_t)idx % p->cap] = s;
    p->n++;
    return s;
}

/* The file at path, registered on first sight (found again by device and inode). */
static struct pl_file *pl_attach(const char *path, bool wal)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return NULL;
    for (struct pl_file *p = pl_files; p; p = p->next)
        if (p->fd >= 0 && p->dev == st.st_dev && p->ino == st.st_ino)
            return p;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        log_error("faults: powerloss cannot open %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    struct pl_file *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    p->dev = st.st_dev;
    p->ino = st.st_ino;
    p->fd = fd;
    p->wal = wal;
    p->size = p->disk = p->kept = st.st_size;
    p->cap = 64;
    p->tab = calloc(p->cap, sizeof *p->tab);
    if (!p->tab)
        abort();
    p->next = pl_files;
    pl_files = p;
    return p;
}

static void pl_write(struct pl_file *p, const void *buf, int n, int64_t off)
{
    const unsigned char *b = buf;
    for (int64_t at = off; at < off + n;) {
        int64_t i = at / PL_SECTOR;
        int64_t hi = (i + 1) * PL_SECTOR < off + n ? (i + 1) * PL_SECTOR : off + n;
        memcpy(pl_hold(p, i)->b + (at - i * PL_SECTOR), b + (at - off), (size_t)(hi - at));
        at = hi;
    }
    if (off + n > p->size)
        p->size = off + n;
}

static void pl_truncate(struct pl_file *p, int64_t size)
{
    if (size < p->size) {
        for (size_t i = 0; i < p->cap; i++)
            for (struct pl_sector **sp = &p->tab[i]; *sp;) {
                struct pl_sector *s = *sp;
                if (s->idx * PL_SECTOR >= size) {
                    *sp = s->next;
                    free(s);
                    p->n--;
                    continue;
                }
                if ((s->idx + 1) * PL_SECTOR > size) /* so that growing again reads zeros */
                    memset(s->b + (size - s->idx * PL_SECTOR), 0,
                           (size_t)((s->idx + 1) * PL_SECTOR - size));
                sp = &s->next;
            }
        if (size < p->kept)
            p->kept = size;
    }
    p->size = size;
}

/* Puts one held sector on the disk (the part of it inside the file). */
static int pl_put(struct pl_file *p, struct pl_sector *s)
{
    int64_t len = p->size - s->idx * PL_SECTOR;
    if (len > PL_SECTOR)
        len = PL_SECTOR;
    return len <= 0 || pwrite(p->fd, s->b, (size_t)len, s->idx * PL_SECTOR) == len ? 0 : -1;
}

/* A sync: everything held goes to the disk, in order: the truncation, the sectors, the size. */
static int pl_flush(struct pl_file *p, bool sync)
{
    int rc = p->kept < p->disk ? ftruncate(p->fd, p->kept) : 0;
    for (size_t i = 0; rc == 0 && i < p->cap; i++)
        for (struct pl_sector *s = p->tab[i]; rc == 0 && s; s = s->next)
            rc = pl_put(p, s);
    if (rc == 0)
        rc = ftruncate(p->fd, p->size);
    if (rc == 0 && sync)
        rc = fdatasync(p->fd);
    if (rc == 0) {
        pl_drop(p);
        p->disk = p->kept = p->size;
    }
    return rc;
}

/* The power cut: what lands of what is held, then the end of the process. Under pl_mu. */
static _Noreturn void pl_cut(const char *why)
{
    bool torn = !pl.lie && (pl_random() & 1);
    long landed = 0, held = 0;
    for (struct pl_file *p = pl_files; p; p = p->next) {
        if (p->fd < 0)
            continue;
        if (torn && p->kept < p->disk && (pl_random() & 1) && ftruncate(p->fd, p->kept) != 0)
            abort();
        for (size_t i = 0; i < p->cap; i++)
            for (struct pl_sector *s = p->tab[i]; s; s = s->next, held++)
                if (torn && (pl_random() & 1)) {
                    if (pl_put(p, s) != 0)
                        abort();
                    landed++;
                }
    }
    char line[200];
    int n = snprintf(line, sizeof line,
                     "faults: power cut at %s %ld (seed %llu): %s, %ld of %ld held sectors "
                     "reached the disk\n",
                     why, pl.count, pl.seed, torn ? "torn" : "all lost", landed, held);
    if (write(2, line, (size_t)n) < 0)
        n = 0;
    _exit(PL_EXIT);
}

/* Counts an operation of kind k toward the armed cut. Under pl_mu. */
static void pl_tick(enum pl_kind k)
{
    if (pl.armed && (pl.kind == PL_ANY || pl.kind == k) && ++pl.count >= pl.k)
        pl_cut(pl_kinds[k]);
}

static void pl_arm(bool already, const char *args, size_t n)
{
    pthread_mutex_lock(&pl_mu);
    if (!already) /* files written while no power loss was simulated: take them as they are */
        for (struct pl_file *p = pl_files; p; p = p->next) {
            struct stat st;
            if (p->fd >= 0 && fstat(p->fd, &st) == 0)
                p->size = p->disk = p->kept = st.st_size;
        }
    char a[64], kind[16];
    snprintf(a, sizeof a, "%.*s", (int)(n < sizeof a ? n : sizeof a - 1), args);
    long k;
    unsigned long long seed;
    pl.on = true;
    pl.armed = false;
    pl.lie = strstr(a, "lie") != NULL;
    if (sscanf(a, " %15s %ld %llu", kind, &k, &seed) == 3 && k > 0)
        for (size_t i = 0; i < sizeof pl_kinds / sizeof *pl_kinds; i++)
            if (strcmp(kind, pl_kinds[i]) == 0) {
                pl.armed = true;
                pl.kind = (enum pl_kind)i;
                pl.k = k;
                pl.count = 0;
                pl.seed = seed;
                pl.rng = seed * 0x9E3779B97F4A7C15ull | 1;
                log_warn("faults: power cut armed at %s %ld (seed %llu)", kind, k, seed);
            }
    pthread_mutex_unlock(&pl_mu);
}

/* Leaving power-loss mode without a cut: what is held reaches the disk (as the kernel would
 * write it back), and the files are used directly again. */
static void pl_release(void)
{
    pthread_mutex_lock(&pl_mu);
    pl.on = false;
    pl.armed = false;
    for (struct pl_file *p = pl_files; p; p = p->next)
        if (p->fd >= 0 && pl_flush(p, false) != 0)
            log_error("faults: powerloss could not write back: %s", strerror(errno));
    pthread_mutex_unlock(&pl_mu);
}

/* A sync of the file at path from outside SQLite (the group commit's db_sync_wal). */
static int pl_sync_path(const char *path)
{
    pthread_mutex_lock(&pl_mu);
    struct pl_file *p = pl.on ? pl_attach(path, true) : NULL; /* off meanwhile: pl_of */
    int rc = 0;
    if (p) {
        pl_tick(PL_SYNC);
        rc = pl.lie ? 0 : pl_flush(p, true);
    }
    pthread_mutex_unlock(&pl_mu);
    return rc;
}

/* The server's group commit syncs the WAL with fdatasync, outside SQLite (db_sync_wal), so
 * "ioerr-sync" is injected there too, and "powerloss" writes what it holds of the WAL. */
bool db_fault_sync(const char *path)
{
    if (!control_path)
        return false;
    enum fault k = fault_now();
    if (k == FAULT_POWERLOSS)
        return pl_sync_path(path) != 0; /* its held writes first: they are not in the file */
    if (k != FAULT_IOERR_SYNC)
        return false;
    inject(SQLITE_IOERR_FSYNC, "db_sync_wal");
    return true;
}

/* ---- the VFS shim ------------------------------------------------------------------------ */

struct ffile {
    sqlite3_file base;
    bool target;        /* the database, its WAL or its journal: faults apply */
    bool wal;
    const char *name;   /* SQLite keeps it valid until xClose */
    struct pl_file *pl; /* under "powerloss": what is held for the file (pl_of) */
    sqlite3_file *real; /* the default VFS's file, right after this struct */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;

#define REAL(f) (((struct ffile *)(f))->real)
#define TARGET(f) (((struct ffile *)(f))->target)

/* Under "powerloss", a target file's held writes, with pl_mu taken (the caller unlocks);
 * otherwise NULL, and the operation goes to the real file. The mode is looked at again under
 * pl_mu: a thread that saw "powerloss" may have waited while pl_release wrote everything
 * back, and a write it then held would never reach the file. */
static struct pl_file *pl_of(sqlite3_file *f, enum fault k)
{
    struct ffile *ff = (struct ffile *)f;
    if (k != FAULT_POWERLOSS || !ff->target)
        return NULL;
    pthread_mutex_lock(&pl_mu);
    if (!pl.on) {
        pthread_mutex_unlock(&pl_mu);
        return NULL;
    }
    if (!ff->pl || ff->pl->fd < 0)
        ff->pl = pl_attach(ff->name, ff->wal);
    if (!ff->pl)
        pthread_mutex_unlock(&pl_mu);
    return ff->pl;
}

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
        struct pl_file *p = pl_of(f, k);
        if (p) {
            pl_image(p, buf, n, off);
            bool short_read = off + n > p->size; /* pl_image left zeros there, as SQLite wants */
            pthread_mutex_unlock(&pl_mu);
            return short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
        }
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
        struct pl_file *p = pl_of(f, k);
        if (p) {
            pl_write(p, buf, n, off);
            pl_tick(p->wal ? PL_WAL : PL_DB); /* after: a cut now may tear this write */
            pthread_mutex_unlock(&pl_mu);
            return SQLITE_OK;
        }
    }
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    enum fault k = TARGET(f) ? fault_now() : FAULT_NONE;
    if (k == FAULT_IOERR_WRITE)
        return inject(SQLITE_IOERR_TRUNCATE, "xTruncate");
    struct pl_file *p = pl_of(f, k);
    if (p) {
        pl_truncate(p, size);
        pl_tick(PL_ANY); /* counts toward "write" only */
        pthread_mutex_unlock(&pl_mu);
        return SQLITE_OK;
    }
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    enum fault k = TARGET(f) ? fault_now() : FAULT_NONE;
    if (k == FAULT_IOERR_SYNC)
        return inject(SQLITE_IOERR_FSYNC, "xSync");
    struct pl_file *p = pl_of(f, k);
    if (p) {
        pl_tick(PL_SYNC); /* before: a cut now loses what this sync was to keep */
        int rc = pl.lie ? 0 : pl_flush(p, true);
        pthread_mutex_unlock(&pl_mu);
        if (rc != 0)
            return SQLITE_IOERR_FSYNC;
    }
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    struct pl_file *p = pl_of(f, TARGET(f) ? fault_now() : FAULT_NONE);
    if (p) {
        *size = p->size;
        pthread_mutex_unlock(&pl_mu);
        return SQLITE_OK;
    }
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
    /* A size hint may grow the real file (with a chunk size set): not before a sync. */
    if (op == SQLITE_FCNTL_SIZE_HINT && TARGET(f) && fault_now() == FAULT_POWERLOSS)
        return SQLITE_OK;
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
    /* No memory-mapped reads while any fault is on: they would bypass xRead, and under
     * "powerloss" the sectors it holds (the map shows the file, not what SQLite wrote). */
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
    ff->wal = (flags & SQLITE_OPEN_WAL) != 0;
    ff->name = name;
    ff->pl = NULL;
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    /* SQLite calls xClose only when pMethods is set: leave it NULL when the real open failed
     * and left nothing to close. */
    f->pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    if (control_path && fault_now() == FAULT_POWERLOSS) {
        /* A WAL or journal deleted: what was held for it goes with it. Its descriptor may be
         * closed (no SQLite lock lives on these files). */
        struct stat st;
        pthread_mutex_lock(&pl_mu);
        for (struct pl_file *p = pl_files; p; p = p->next)
            if (p->fd >= 0 && stat(name, &st) == 0 && p->dev == st.st_dev &&
                p->ino == st.st_ino) {
                pl_drop(p);
                close(p->fd);
                p->fd = -1;
            }
        pthread_mutex_unlock(&pl_mu);
    }
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
