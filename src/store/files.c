/* files: content-addressed attachment storage beside the database (store/files.h). */
#include "store/files.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/sb.h"
#include "store/db.h"
#include "store/db_impl.h"

const char *files_dir(struct db *db, struct arena *a)
{
    const char *path = sqlite3_db_filename(db->h, "main");
    return arena_printf(a, "%s.files", path && *path ? path : "duikou.db");
}

void files_sha256(const void *data, size_t len, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

/* dir/ab and dir/ab/abcdef… for a hash. */
static void paths(const char *dir, const char *hex, char *sub, size_t nsub, char *file,
                  size_t nfile)
{
    snprintf(sub, nsub, "%s/%.2s", dir, hex);
    snprintf(file, nfile, "%s/%.2s/%s", dir, hex, hex);
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0750) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

static bool valid_hex(const char *hex)
{
    if (!hex || strlen(hex) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return false;
    return true;
}

int files_put(const char *dir, const void *data, size_t len, const char hex[65])
{
    if (!valid_hex(hex))
        return errno = EINVAL, -1;
    char sub[4096], file[4096], tmp[4200];
    paths(dir, hex, sub, sizeof sub, file, sizeof file);
    struct stat st;
    if (stat(file, &st) == 0 && (size_t)st.st_size == len)
        return 0; /* the same content is there already */
    if (make_dir(dir) < 0 || make_dir(sub) < 0)
        return -1;
    /* a name of its own: two threads storing the same content at once never share one */
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", file);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return -1;
    fchmod(fd, 0640);
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            return errno = e, -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return errno = e, -1;
    }
    /* rename replaces a torn file of the same name; two uploads of one content write the
     * same bytes, so either rename leaves it whole */
    if (rename(tmp, file) != 0) {
        int e = errno;
        unlink(tmp);
        return errno = e, -1;
    }
    return sync_dir(sub) == 0 && sync_dir(dir) == 0 ? 0 : -1;
}

int files_get(const char *dir, const char *hex, struct arena *a, char **data, size_t *len)
{
    if (!valid_hex(hex))
        return -1;
    char sub[4096], file[4096];
    paths(dir, hex, sub, sizeof sub, file, sizeof file);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    char *buf = arena_alloc(a, n + 1);
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n)
        return -1;
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int files_check(struct db *db, struct sb *report)
{
    struct arena a;
    arena_init(&a);
    const char *dir = files_dir(db, &a);
    struct stmt st;
    int bad = 0, checked = 0, s;
    if (db_prepare(db, &st, "SELECT DISTINCT sha256, size FROM attachment") < 0) {
        arena_free(&a);
        sb_append(report, "attachment files: could not run the check\n");
        return -1;
    }
    while ((s = db_step(&st)) == DB_ROW) {
        const char *hex = db_col_text(&st, 0);
        int64_t size = db_col_int64(&st, 1);
        char *data;
        size_t len;
        char got[65];
        struct arena one; /* one file at a time in memory */
        arena_init(&one);
        checked++;
        if (files_get(dir, hex, &one, &data, &len) != 0) {
            arena_free(&one);
            sb_appendf(report, "attachment files: MISSING %s\n", hex);
            bad++;
            continue;
        }
        files_sha256(data, len, got);
        arena_free(&one);
        if (strcmp(got, hex) != 0 || (int64_t)len != size) {
            sb_appendf(report, "attachment files: DAMAGED %s (its bytes hash to %s)\n", hex, got);
            bad++;
        }
    }
    db_finalize(&st);
    arena_free(&a);
    if (s < 0) {
        sb_append(report, "attachment files: could not run the check\n");
        return -1;
    }
    if (!bad)
        sb_appendf(report, "attachment files: ok, %d file%s, every one matches its hash\n",
                   checked, checked == 1 ? "" : "s");
    return bad;
}

int files_backup(struct db *src_db, const char *dest_path)
{
    struct arena a;
    arena_init(&a);
    const char *src = files_dir(src_db, &a);
    const char *dest = arena_printf(&a, "%s.files", dest_path);
    struct stmt st;
    int rc = 0, s = 0;
    if (db_prepare(src_db, &st, "SELECT DISTINCT sha256 FROM attachment") < 0) {
        arena_free(&a);
        return -1;
    }
    while (rc == 0 && (s = db_step(&st)) == DB_ROW) {
        char *data;
        size_t len;
        const char *hex = db_col_text(&st, 0);
        struct arena one; /* one file at a time in memory */
        arena_init(&one);
        if (files_get(src, hex, &one, &data, &len) != 0 || files_put(dest, data, len, hex) != 0) {
            log_error("backup: attachment %s could not be copied: %s", hex, strerror(errno));
            rc = -1;
        }
        arena_free(&one);
    }
    db_finalize(&st);
    arena_free(&a);
    return s < 0 ? -1 : rc;
}
